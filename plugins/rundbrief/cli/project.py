"""The project a command works on: mkdocs.yml, its plugins' options, and the content they describe."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import markdown
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from rundbrief.adapter.site.plugin import OldLinkedinPlugin, SitePlugin, require_extensions
from rundbrief.core import Content, Issue, load_content
from rundbrief.core.build import Build
from rundbrief.core.linkedin import Post, item_texts, posts
from rundbrief.core.sanitize import sanitize


class Failure(click.ClickException):
    """A command that cannot do its work: says why, in German, and exits 1."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"Fehler: {self.format_message()}", err=True)


class _Collect(logging.Handler):
    """MkDocs logs why a configuration failed, then raises a bare "Aborted"."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(record.getMessage())


@dataclass
class Workspace:
    root: Path
    config: MkDocsConfig
    site: SitePlugin
    old_linkedin: OldLinkedinPlugin | None  # an old mkdocs.yml's `linkedin` plugin, now rundbrief's `linkedin:`

    def content(self) -> Content:
        return load_content(self.root, self.site.config.sections)

    def render(self, text: str) -> str:
        """Markdown rendered with the site's extensions, before the allow-list."""
        require_extensions(self.config)
        return markdown.Markdown(extensions=self.config.markdown_extensions,
                                 extension_configs=self.config.mdx_configs).convert(text)

    def posts(self, issue: Issue) -> list[Post]:
        """The issue's LinkedIn posts as a build makes them, from its body converted alone: a post is
        made of the items' text, which neither the site's other pages nor its links change."""
        options = self.site.config
        html = sanitize(self.render(issue.markdown))
        return posts(issue, item_texts(html), self.config.site_url or "", options.linkedin.hashtags,
                     options.linkedin.utm, options.portrait_section)

    def built(self) -> Build:
        """Builds the site into a temporary folder, as `rundbrief build` does, and returns the build's
        state."""
        logger = logging.getLogger("mkdocs")
        messages, level = _Collect(), logger.level
        logger.addHandler(messages)
        logger.setLevel(logging.ERROR)  # a build on the side: only its errors are news
        try:
            with tempfile.TemporaryDirectory(prefix="rundbrief-") as folder:
                self.config.site_dir = folder
                mkdocs_build(self.config)
        except (MkDocsException, SystemExit):
            raise Failure("Die Website lässt sich nicht bauen:\n" + "\n".join(messages.errors)) from None
        finally:
            logger.removeHandler(messages)
            logger.setLevel(level)
        assert self.site.build, "a build that succeeded made its state"
        return self.site.build


def open_workspace(config_file: str) -> Workspace:
    """Reads mkdocs.yml; a command that fails here says why and stops."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is not for editors
    path = Path(config_file)
    if not path.is_file():
        raise Failure(f"{config_file} nicht gefunden: Befehl im Ordner des Projekts aufrufen oder --config angeben.")
    logger = logging.getLogger("mkdocs")
    messages = _Collect()
    logger.addHandler(messages)
    try:
        config = load_config(str(path))
    except (ConfigurationError, Abort) as e:
        reasons = " ".join(messages.errors) or str(e)
        raise Failure(f"{config_file} ist fehlerhaft: {reasons}") from None
    finally:
        logger.removeHandler(messages)
    site = config.plugins.get("rundbrief")
    if not isinstance(site, SitePlugin):
        raise Failure(f"{config_file}: das Plugin „rundbrief“ fehlt unter „plugins:“.")
    old = config.plugins.get("linkedin")
    return Workspace(path.resolve().parent, config, site, old if isinstance(old, OldLinkedinPlugin) else None)
