"""`rundbrief build`: MkDocs underneath, with German progress and safe output."""

from __future__ import annotations

import contextlib
import datetime
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from rundbrief.core.site_dir import STAMP, refusal

from .errors import visible
from .project import Failure, open_workspace

PROGRESS_FROM = 50  # pages; smaller sites build too fast to need progress
PLUGIN_LOGGER = "mkdocs.plugins.rundbrief"


class Progress(logging.Handler):
    """Shows MkDocs' warnings and errors, and the progress of a large build from its debug log. The
    preview shows errors on its own page instead, so it only collects them."""

    def __init__(self, *, errors_to_terminal: bool = True) -> None:
        super().__init__(logging.DEBUG)
        self.errors_to_terminal = errors_to_terminal
        self.start()

    def start(self) -> None:
        """Counts from zero: the preview builds again and again with the same handler."""
        self.pages = self.built = self.shown = 0
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("mkdocs.livereload", "mkdocs.commands.serve")):
            return  # the server's English chatter; the preview says in German what matters
        message = visible(record.getMessage())
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
            if self.errors_to_terminal:
                click.echo(message, err=True)
        elif record.levelno >= logging.WARNING or (record.name == PLUGIN_LOGGER and record.levelno >= logging.INFO):
            click.echo(message, err=True)  # the plugin's news, such as when the next scheduled issue appears
        elif message.startswith("Reading: "):
            self.pages += 1
        elif message.startswith("Building page "):
            self.built += 1
            step = self.built * 4 // self.pages if self.pages >= PROGRESS_FROM else 0
            if step > self.shown:
                self.shown = step
                click.echo(f"  {self.built} von {self.pages} Seiten gebaut", err=True)


@contextlib.contextmanager
def logging_to(handler: Progress) -> Iterator[Progress]:
    logger = logging.getLogger("mkdocs")
    # MkDocs logs every event of every plugin for every page in debug, thousands of records per build
    # that nobody reads; the progress comes from its builder's.
    plugins = logging.getLogger("mkdocs.plugins")
    level, plugins_level = logger.level, plugins.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    plugins.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        plugins.setLevel(plugins_level)


def build_atomically(config_file: str, site_dir: Path | None, now: datetime.datetime | None = None) -> None:
    """Builds next to the target and swaps it in only on success: a failed build leaves the last good
    site untouched, byte for byte. The target is checked first, as MkDocs checks only the site_dir of
    mkdocs.yml, and this build points MkDocs at its staging folder instead. `now` is the build's clock
    (None: the real time)."""
    workspace = open_workspace(config_file)
    workspace.site.now = now
    target = (site_dir or Path(workspace.config.site_dir)).resolve()
    if reason := refusal(target, workspace.root, workspace.site.sources_folders(workspace.config)):
        raise Failure(f"{reason} Nichts gebaut, nichts gelöscht.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target, workspace.root / workspace.site.config.cache_dir):
        _recover(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
        workspace.config.site_dir = str(staging)
        start = time.monotonic()
        click.echo(visible(f"Baue die Website nach {target} …"), err=True)
        with logging_to(Progress()) as progress:
            try:
                mkdocs_build(workspace.config)
            except (MkDocsException, SystemExit):
                shutil.rmtree(staging, ignore_errors=True)
                raise Failure(f"Bau abgebrochen. Die bisherige Website in {target} ist unverändert.") from None
            except BaseException as e:
                shutil.rmtree(staging, ignore_errors=True)
                if isinstance(e, OSError) and e.filename is None:  # a full disk, met while writing some file
                    e.filename = str(target)
                raise
        if target.exists():
            # Two renames: a crash between them leaves the last good site in the old folder, from where
            # the next build restores it (_recover).
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}{REPLACED}", dir=target.parent))
            target.rename(old / target.name)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            staging.rename(target)
    seconds = f"{time.monotonic() - start:.1f}".replace(".", ",")
    click.echo(visible(f"Fertig: {progress.pages} Seiten in {seconds} s, in {target}"), err=True)


STAGING = "-neu-"  # .site-neu-*: a build in progress, or one a crash left behind
REPLACED = "-alt-"  # .site-alt-*/site: the last good site while the new one is swapped in


@contextlib.contextmanager
def _exclusive(target: Path, cache: Path) -> Iterator[None]:
    """One build per target at a time, so that a build never takes another's folders for leftovers.
    Windows has no fcntl; editors there build one at a time anyway."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"build-{target.name}.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Failure(f"Ein anderer Bau nach {target} läuft gerade. Warten, bis er fertig ist.") from None
        yield


def _recover(target: Path) -> None:
    """Restores the last good site if a crash took it away mid-swap, and removes what crashed builds
    left behind: they filled small disks until every build failed."""
    parent = target.parent
    replaced = sorted(parent.glob(f".{target.name}{REPLACED}*"), key=lambda p: p.stat().st_mtime)
    if not target.exists():
        good = next((old / target.name for old in reversed(replaced) if (old / target.name / STAMP).is_file()), None)
        if good:
            good.rename(target)
            click.echo(visible(f"Die letzte gute Fassung der Website ist wiederhergestellt: {target}"), err=True)
    for stale in [*replaced, *parent.glob(f".{target.name}{STAGING}*")]:
        shutil.rmtree(stale, ignore_errors=True)
