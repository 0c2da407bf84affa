"""`rundbrief build`: MkDocs underneath, with German progress and safe output."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from .project import Failure, open_workspace

PROGRESS_FROM = 50  # pages; smaller sites build too fast to need progress


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
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
            if self.errors_to_terminal:
                click.echo(message, err=True)
        elif record.levelno >= logging.WARNING:
            click.echo(message, err=True)
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
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def build_atomically(config_file: str, site_dir: Path | None) -> None:
    """Builds next to the target and swaps it in only on success: a failed build leaves the last good
    site untouched, byte for byte."""
    workspace = open_workspace(config_file)
    target = (site_dir or Path(workspace.config.site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-neu-", dir=target.parent))
    workspace.config.site_dir = str(staging)
    start = time.monotonic()
    click.echo(f"Baue die Website nach {target} …", err=True)
    with logging_to(Progress()) as progress:
        try:
            mkdocs_build(workspace.config)
        except (MkDocsException, SystemExit):
            shutil.rmtree(staging, ignore_errors=True)
            raise Failure(f"Bau abgebrochen. Die bisherige Website in {target} ist unverändert.") from None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-alt-", dir=target.parent))
        target.rename(old / target.name)
        staging.rename(target)
        shutil.rmtree(old)
    else:
        staging.rename(target)
    seconds = f"{time.monotonic() - start:.1f}".replace(".", ",")
    click.echo(f"Fertig: {progress.pages} Seiten in {seconds} s, in {target}", err=True)
