"""Tests build real sites in temporary folders and assert on what the build wrote."""

from __future__ import annotations

import datetime
import gzip
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent

import pytest

os.environ["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner

# RUNDBRIEF_PROPERDOCS=1 builds every site on ProperDocs, the maintained fork of MkDocs 1.x, as
# `properdocs build` does: from here on every `mkdocs` import, the plugins' included, is ProperDocs'.
PROPERDOCS = bool(os.environ.get("RUNDBRIEF_PROPERDOCS"))
if PROPERDOCS:
    import properdocs.replacement  # noqa: F401

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from rundbrief.cli.main import main  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


class Site:
    """A project folder in tmp_path: write content into it, build it, read what was built."""

    def __init__(self, root: Path, caplog: pytest.LogCaptureFixture):
        self.root = root
        self.caplog = caplog

    @property
    def out(self) -> Path:
        return self.root / "site"

    def write(self, path: str, text: str) -> Path:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
        return file

    def configure(self, text: str) -> None:
        """Appends to mkdocs.yml, e.g. plugin options."""
        with (self.root / "mkdocs.yml").open("a", encoding="utf-8") as f:
            f.write(dedent(text))

    def build(self, now: datetime.datetime | None = None) -> Path:
        """A plain `mkdocs build`; `now` is its clock, as `rundbrief build --now` sets it."""
        config = load_config(str(self.root / "mkdocs.yml"))
        if now:
            config.plugins["rundbrief"].now = now
        build(config)
        return self.out

    def build_preview(self, now: datetime.datetime | None = None) -> Path:
        """Builds as the live preview does, which shows drafts and issues not yet due."""
        config = load_config(str(self.root / "mkdocs.yml"))
        if now:
            config.plugins["rundbrief"].now = now
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()  # plugin instances outlive the config: the next build is none
        return self.out

    def build_fails(self) -> str:
        """Builds expecting failure; returns what the build logged as errors."""
        with pytest.raises(Abort):
            self.build()
        return "\n".join(r.getMessage() for r in self.caplog.records if r.levelno >= logging.ERROR)

    def html(self, url: str) -> str:
        """The HTML of a page by its URL, e.g. "newsletters/x/"."""
        path = self.out / url / "index.html" if not url.endswith(".html") else self.out / url
        return path.read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def outputs(self) -> dict[str, str]:
        """Every file the build wrote, as text, by its path in the site: pages, feeds, LinkedIn texts,
        sitemap, and the search index, whose files Pagefind compresses. Images are read
        as text too, so that nothing escapes a search for a string."""
        texts = {}
        for path in sorted(self.out.rglob("*")) if self.out.exists() else []:
            if path.is_file():
                data = path.read_bytes()
                if path.suffix.startswith(".pf_"):
                    data = gzip.decompress(data)
                texts[path.relative_to(self.out).as_posix()] = data.decode("utf-8", errors="replace")
        return texts


def make_project(root: Path, *, sample: bool) -> None:
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("newsletters", "projects"):
        if sample:
            shutil.copytree(REPO / folder, root / folder)
        else:
            (root / folder).mkdir()


@pytest.fixture
def site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Site:
    """The sample site's pages and configuration, with no issues and no profiles yet."""
    make_project(tmp_path, sample=False)
    return Site(tmp_path, caplog)


@pytest.fixture
def sample(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Site:
    """A copy of the repository's sample site."""
    make_project(tmp_path, sample=True)
    return Site(tmp_path, caplog)


class Built(Site):
    """A project built once and shared by the tests that only read what the build wrote: `built_sample`,
    `built_site`, or a module's own from `build_once`. A test that changes the project or builds
    again takes `sample` or `site`, a project of its own; `unchanged` fails one that writes here."""

    def __init__(self, root: Path):
        super().__init__(root, caplog=None)  # type: ignore[arg-type]  # nothing of it builds again

    def _shared(self, *args: object, **kwargs: object):
        raise AssertionError("a shared build is only read: take `sample` or `site` to change or build a project")

    write = configure = build = build_preview = build_fails = _shared  # type: ignore[assignment]


def build_once(root: Path, *, sample: bool, prepare: Callable[[Site], object] | None = None) -> Built:
    """Makes a project in `root` (the sample site, or its pages alone), lets `prepare` write into it and
    builds it, failing on any warning as `no_unexpected_warnings` fails a test's own build."""
    make_project(root, sample=sample)
    if prepare:
        prepare(Site(root, caplog=None))  # type: ignore[arg-type]
    warned: list[str] = []

    class Warnings(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno == logging.WARNING:
                warned.append(record.getMessage())

    handler = Warnings()
    logging.getLogger().addHandler(handler)  # every logger's records reach the root's handlers, as caplog's
    try:
        build(load_config(str(root / "mkdocs.yml")))
    finally:
        logging.getLogger().removeHandler(handler)
    assert not warned, f"unexpected warnings: {warned}"
    return Built(root)


def unchanged(built: Built) -> Iterator[Built]:
    """Hands a shared build to one test and fails the test if it wrote into the project or the site."""

    def state() -> dict[str, tuple[int, int]]:
        return {path.relative_to(built.root).as_posix(): (path.lstat().st_size, path.lstat().st_mtime_ns)
                for path in built.root.rglob("*")}

    before = state()
    yield built
    assert state() == before, "a test wrote into a shared build: it takes `sample` or `site` instead"


@pytest.fixture(scope="session")
def _sample_built_once(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_once(tmp_path_factory.mktemp("built-sample"), sample=True)


@pytest.fixture(scope="session")
def _site_built_once(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_once(tmp_path_factory.mktemp("built-site"), sample=False)


@pytest.fixture
def built_sample(_sample_built_once: Built) -> Iterator[Built]:
    """The sample site, built once for the tests that only read it (once per process under xdist)."""
    yield from unchanged(_sample_built_once)


@pytest.fixture
def built_site(_site_built_once: Built) -> Iterator[Built]:
    """The sample site's pages with no issues and no profiles, built once for the tests that only read it."""
    yield from unchanged(_site_built_once)


def slow_but(values: list[str], *quick: str) -> list[object]:
    """A parametrization's values, all but `quick` marked slow: the quick run tries a few kinds of a
    case, CI every one."""
    assert set(quick) <= set(values)
    return [value if value in quick else pytest.param(value, marks=pytest.mark.slow) for value in values]


@pytest.fixture
def run(monkeypatch):
    """Runs `rundbrief …` in a site's folder, as an editor would."""

    def invoke(site, *args: str):
        monkeypatch.chdir(site.root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def no_unexpected_warnings(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest):
    """Fails any test during which MkDocs or a plugin warned, unless the test is marked to allow it."""
    caplog.set_level(logging.INFO, logger="properdocs" if PROPERDOCS else "mkdocs")
    yield
    if request.node.get_closest_marker("allow_warnings"):
        return
    warnings = [r.getMessage() for r in caplog.get_records("call") if r.levelno == logging.WARNING]
    assert not warnings, f"unexpected warnings: {warnings}"


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    """MkDocs keeps one instance of a plugin with startup hooks for every later config of the process
    (for `mkdocs serve`): the clock one test gave its build (`build(now=…)`) must not date the builds
    of the tests after it, whichever they are (pytest-xdist deals them out in another order)."""
    yield
    for plugin in MkDocsConfig.plugins.plugin_cache.values():
        if hasattr(plugin, "now"):
            plugin.now = None


class Preview:
    """A running `rundbrief serve`, asked over HTTP as a browser would."""

    def __init__(self, site: Site, port: int, process: subprocess.Popen[str]):
        self.site, self.port, self.process = site, port, process

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def get(self, path: str) -> tuple[int, str, float]:
        """Status, text and seconds the answer took."""
        start = time.monotonic()
        try:
            with urllib.request.urlopen(self.url(path), timeout=30) as response:
                return response.status, response.read().decode("utf-8"), time.monotonic() - start
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8"), time.monotonic() - start

    def poll(self, path: str, wanted: str, seconds: float = 40) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                _, text, _ = self.get(path)
                if wanted in text:
                    return text
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{wanted!r} did not appear at {path}")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.site.root / path
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new), encoding="utf-8")

    def stop(self) -> str:
        """Ends the server as Ctrl+C does and returns what it wrote to the terminal."""
        self.process.send_signal(2)
        output, _ = self.process.communicate(timeout=20)
        return output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def start(sample: Site) -> Iterator[Callable[[], Preview]]:
    """Starts `rundbrief serve` on the sample site, in its folder, as an editor would."""
    processes: list[subprocess.Popen[str]] = []

    def starting() -> Preview:
        port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "rundbrief", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        processes.append(subprocess.Popen(command, cwd=sample.root, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True, encoding="utf-8"))
        return Preview(sample, port, processes[-1])

    yield starting
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


FIGURES: list[str] = []  # measured by tests, e.g. the issue page's weight; printed after the run


def pytest_terminal_summary(terminalreporter):
    for figure in FIGURES:
        terminalreporter.write_line(figure)
