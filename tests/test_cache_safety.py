"""The project's cache is no trusted place and no necessary one: what another branch or a pull request
put there runs nothing, and a cache that cannot be written fails a build in one German sentence. Each
test builds the real site."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic
from mkdocs.commands.build import build
from mkdocs.config import load_config

import rundbrief
from rundbrief.core import cached_files
from rundbrief.core.cached_files import KEY_SIZE, SIGNATURE_SIZE

from conftest import PROPERDOCS
from test_safety import _alive, killed_leaves_none


class Touch:
    """A pickle that creates a file when it is loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def test_a_poisoned_compiled_template_runs_nothing_and_is_compiled_anew(sample, tmp_path):
    sample.build()
    built = sample.outputs()
    marker = tmp_path / "angegriffen"
    entries = list((sample.root / ".cache" / "rundbrief" / "templates").iterdir())
    assert len(entries) > 20
    for entry in entries:  # as Jinja reads an entry: its magic, then a pickle
        entry.write_bytes(bc_magic + pickle.dumps(Touch(marker), 2))
    sample.build()
    assert not marker.exists()
    assert sample.outputs() == built
    # the templates the build used are compiled anew and signed; those of no page are left alone
    assert sum(not entry.read_bytes().startswith(bc_magic) for entry in entries) > 10


def test_compiled_templates_signed_by_another_key_are_compiled_anew(sample, tmp_path, monkeypatch):
    sample.build()
    built = sample.outputs()
    templates = sample.root / ".cache" / "rundbrief" / "templates"
    before = {entry.name: entry.read_bytes() for entry in templates.iterdir()}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "anderer-rechner"))
    script = ("import properdocs.replacement; " if PROPERDOCS else "") + \
        "from mkdocs.commands.build import build; from mkdocs.config import load_config; build(load_config())"
    subprocess.run([sys.executable, "-c", script], cwd=sample.root, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    key = tmp_path / "anderer-rechner" / "rundbrief" / "key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    after = {entry.name: entry.read_bytes() for entry in templates.iterdir()}
    assert after.keys() == before.keys()
    assert sum(after[name] != before[name] for name in before) > 10  # none taken: those of the pages signed anew
    assert sample.outputs() == built


def test_builds_making_the_machines_key_at_once_keep_one(tmp_path, monkeypatch):
    """The key is created where there is none and never replaced (no site needed): of builds making it at
    once, each takes the one written, read again while it is being written, or, should it stay a part, a
    key of its own for this build only; none takes a part, and every later build takes the one written."""
    path = tmp_path / "rundbrief" / "key"
    start = threading.Barrier(8)

    def make(_: int) -> bytes | None:
        start.wait()
        try:
            return cached_files._create_key(path)
        except OSError:  # still a part when read again: refused
            return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = set(pool.map(make, range(8))) - {None}
    written = path.read_bytes()
    assert len(written) == KEY_SIZE and path.stat().st_mode & 0o777 == 0o600
    assert taken == {written}
    assert cached_files._create_key(path) == written
    path.write_bytes(written[:5])  # as a build beside is writing it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    own = cached_files._key.__wrapped__()  # as a new build's process: not the key it remembers
    assert len(own) == KEY_SIZE and not own.startswith(written[:5])
    assert path.read_bytes() == written[:5]  # left to the build writing it


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    """`rundbrief build` as editors run it, with all that its processes print."""
    return subprocess.run([sys.executable, "-m", "rundbrief", "build"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)


@pytest.mark.parametrize("size", ["200k", "600k"])  # full while deriving the pictures, or drawing the cards
def test_a_full_disk_under_the_cache_fails_the_build_in_one_german_sentence(sample, tmp_path, size):
    cache = tmp_path / "cache"
    cache.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(cache)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root): {mounted.stderr!r}")
    try:
        sample.configure("")
        config = sample.root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "  - rundbrief:\n", f"  - rundbrief:\n      cache_dir: {cache}\n"), encoding="utf-8")
        result = _build(sample.root)
    finally:
        subprocess.run(["umount", str(cache)], check=True)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert output.count("Kein Platz mehr auf dem Datenträger") == 1, output
    assert f"Kein Platz mehr auf dem Datenträger für {cache}/" in output
    assert "Platz schaffen und den Befehl wiederholen." in output
    for english in ("Traceback", "Errno", "No space left"):
        assert english not in output
    assert not sample.out.exists()


def test_a_file_where_the_cache_belongs_fails_the_build_in_one_german_sentence(sample):
    sample.configure("")
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - rundbrief:\n", "  - rundbrief:\n      cache_dir: zwischenspeicher\n"), encoding="utf-8")
    (sample.root / "zwischenspeicher").write_text("Keine Ablage.\n", encoding="utf-8")
    result = _build(sample.root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert len(output.splitlines()) == 1 and output.startswith(f"Fehler: {sample.root / 'zwischenspeicher'} "), output
    assert "Traceback" not in output
    assert (sample.root / "zwischenspeicher").read_text(encoding="utf-8") == "Keine Ablage.\n"


def test_the_processes_of_a_cold_build_die_with_it(sample, tmp_path):
    """A cold build killed with `kill -9` while its process converts the pages ahead leaves it not
    behind."""
    script = tmp_path / "build.py"
    script.write_text(textwrap.dedent("""
        import time
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from rundbrief.adapter import writer
        from rundbrief.adapter.speed import ahead

        writer._cores = lambda: 2

        def telling(start):
            def starting(self, *args):
                start(self, *args)
                print(*(child.pid for child in self.workers.children), flush=True)
            return starting

        def slowly(work):
            def working(*args):
                work(*args)
                time.sleep(60)  # still at work when the build is killed
            return working

        ahead.ConvertingAhead.start = telling(ahead.ConvertingAhead.start)
        ahead._convert = slowly(ahead._convert)
        ahead.ConvertingAhead.stop = lambda self: time.sleep(60)  # the build still at work when it is killed
        build(load_config())
    """), encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script)], cwd=sample.root, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.stdout is not None
    children = [int(build.stdout.readline())]  # converting ahead
    time.sleep(1)
    assert all(_alive(child) for child in children)
    assert killed_leaves_none(build, children)


def test_a_search_index_put_into_the_cache_from_elsewhere_is_not_published(sample):
    sample.build()
    built = sample.outputs()
    [kept] = (sample.root / ".cache" / "rundbrief" / "search").iterdir()
    script = kept / "pagefind.js"
    script.write_text("alert('angegriffen');\n" + script.read_text(encoding="utf-8"), encoding="utf-8")
    sample.build()  # the same pages: the kept index would do, were it this machine's
    assert "angegriffen" not in (sample.out / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    assert sample.outputs() == built
    [kept] = (sample.root / ".cache" / "rundbrief" / "search").iterdir()
    assert "angegriffen" not in (kept / "pagefind.js").read_text(encoding="utf-8")  # replaced by this build's


def test_rundbrief_build_names_a_file_where_the_cache_belongs_in_german(sample, run):
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - rundbrief:\n", "  - rundbrief:\n      cache_dir: zwischenspeicher\n"), encoding="utf-8")
    (sample.root / "zwischenspeicher").write_text("Keine Ablage.\n", encoding="utf-8")
    result = run(sample, "build")
    assert result.exit_code == 1
    assert (f"{sample.root / 'zwischenspeicher'} gibt es schon, aber als Datei, wo ein Ordner hingehört. "
            "Die Datei umbenennen oder löschen.") in result.output
    assert "File exists" not in result.output and "Traceback" not in result.output


# The site shares nothing writable with the cache, and the cache keys hold the code


def _published_from_cache(site: Path) -> dict[str, bytes]:
    """The files a build puts into the site from the cache: cards, pictures' renditions, the search index."""
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for folder in ("assets/cards", "assets/pictures", "pagefind") for path in sorted((site / folder).rglob("*"))
            if path.is_file()}


def test_writing_into_a_built_site_changes_no_later_build(sample, tmp_path):
    first = _published_from_cache(sample.build())
    assert sum(name.startswith("assets/cards/") for name in first) >= 7
    for name in first:  # as a minifier, `rsync --inplace` or an editor would: into the file as it is
        with (sample.out / name).open("r+b") as file:
            file.write(b"kaputt")
    again = load_config(str(sample.root / "mkdocs.yml"), site_dir=str(tmp_path / "neu"))
    build(again)
    assert _published_from_cache(tmp_path / "neu") == first
    sample.build()  # into the written site: every file of it whole again
    assert _published_from_cache(sample.out) == first


def test_cards_are_drawn_anew_when_the_code_that_draws_them_changes(sample, tmp_path):
    """A copy of the package whose cards.py draws another accent bar builds the same project with the
    same cache: every card is drawn anew, though no input of any card changed."""
    _build(sample.root)
    before = _published_from_cache(sample.root / "site")
    package = tmp_path / "geaendert"
    shutil.copytree(Path(rundbrief.__file__).parent, package / "rundbrief",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cards = package / "rundbrief" / "core" / "cards.py"
    source = cards.read_text(encoding="utf-8")
    assert "MARGIN + 120, MARGIN + 10" in source
    cards.write_text(source.replace("MARGIN + 120, MARGIN + 10", "MARGIN + 240, MARGIN + 20"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "rundbrief", "build"], cwd=sample.root, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                                         "PYTHONPATH": str(package)})
    assert result.returncode == 0, result.stderr
    after = _published_from_cache(sample.root / "site")
    cards_before = {name: data for name, data in before.items() if name.startswith("assets/cards/")}
    assert cards_before and all(after[name] != data for name, data in cards_before.items())
    assert {name: after[name] for name in before if name.startswith("assets/pictures/")} == \
        {name: data for name, data in before.items() if name.startswith("assets/pictures/")}


def test_a_rendered_page_put_into_the_cache_from_elsewhere_is_rendered_anew(sample, tmp_path):
    """A rendered entry's title and table of contents reach the page past the allow-list: one that this
    machine did not sign is not used, though it parses."""
    sample.build()
    built = sample.outputs()
    rendered = sample.root / ".cache" / "rundbrief" / "rendered"
    entries = list(rendered.iterdir())
    assert len(entries) > 20
    for entry in entries:
        poisoned = json.loads(entry.read_bytes()[SIGNATURE_SIZE:])  # after this machine's signature
        poisoned["title"] = "<script>alert('cache')</script>"
        poisoned["toc"] = [{"level": 2, "id": "x", "name": "<script>alert('toc')</script>", "children": []}]
        entry.write_bytes(json.dumps(poisoned).encode())  # as a cache from elsewhere: no signature of ours
    sample.build()
    assert sample.outputs() == built
