"""The speed layer: everything that makes a build faster and nothing else, behind the one option
`speed:` of the `rundbrief` plugin (default on). With `speed: false` a build is plain MkDocs and
Material and writes the same bytes (tests/test_speed.py); so does a build whose MkDocs or Jinja lacks
an internal the layer relies on (host.py), which then warns once and goes on without it.

- render_cache.py: each page's converted Markdown and the checks' results kept between builds;
- templates.py: compiled templates kept between builds, translations looked up once, tabs and
  navigation rendered once per set of links;
- ahead.py: a cold build's Markdown converted by a second process;
- incremental.py: the preview's rebuild after a save, of the pages the save changed.

The site plugin calls `Speed` at each phase of a build; nothing else in the plugin knows these parts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from rundbrief.core.build import Build
from rundbrief.core.content import Parsing
from rundbrief.core.sanitize import sanitize

from ..patches import Patch, PatchingLoader
from . import host
from .ahead import ConvertingAhead
from .incremental import Incremental
from .render_cache import RenderCache
from .templates import PATCHES, TEMPLATES, Fragments, keep_compiled, translator

log = logging.getLogger("mkdocs.plugins.rundbrief")


class Speed:
    """The speed layer of one site plugin, kept across the preview's builds."""

    def __init__(self) -> None:
        self.on = False  # this build's: asked for, and every internal it relies on there
        self.serving = False
        self.render_cache = RenderCache(Path(".cache/rundbrief"))  # in the project's cache from `configure` on
        self.incremental = Incremental()  # the preview's state between its builds
        self.converting = ConvertingAhead()

    def configure(self, config: MkDocsConfig, *, wanted: bool, cache: Path, serving: bool) -> None:
        """Once per build, when the options are read: whether the layer is on, and where it keeps its files."""
        self.serving = serving
        self.on = wanted and not self.lacking(config)
        if self.render_cache.folder != cache:  # the preview's next build keeps it
            self.render_cache = RenderCache(cache)

    def lacking(self, config: MkDocsConfig) -> bool:
        """Whether an internal or a template the layer relies on is missing; if so, says so once."""
        missing = list(host.missing())
        env = config.theme.get_env()
        assert env.loader is not None  # MkDocs' theme always has one
        missing += [problem.message for problem in PatchingLoader(env.loader, PATCHES).problems(env)]
        if missing:
            log.warning(
                "Die Beschleunigung von Rundbrief ist abgeschaltet: Sie braucht Teile von MkDocs, Material und "
                f"Jinja, die es so nicht mehr gibt ({'; '.join(missing)}). Gelesen wurden sie aus {host.READ_FROM}. "
                "Die Website wird trotzdem vollständig gebaut, wie mit „speed: false“, nur langsamer. Abhilfe: die "
                "Versionen aus pyproject.toml installieren oder Rundbrief aktualisieren.")
        return bool(missing)

    @property
    def patches(self) -> Iterable[Patch]:
        """What the layer changes in Material's templates, where it is on."""
        return PATCHES if self.on else ()

    @property
    def parsing(self) -> Parsing | None:
        """What the preview's last build parsed, for its next."""
        return self.incremental.parsing if self.on and self.serving else None

    def pages_final(self, config: MkDocsConfig, files: Files, options: object) -> None:
        """Once every plugin has added its pages, before MkDocs reads them. `options`: the plugin's,
        which the checks read."""
        if not self.on:
            return
        self.render_cache.start(config, files, options=options, remember=self.serving)
        if self.serving:
            self.incremental.read_everything(files)
        else:
            self.converting.start(config, files, self.render_cache)

    def install(self, page: Page) -> None:
        """The page converted from the render cache where it holds it."""
        if self.on:
            self.render_cache.install(page)

    def check(self, inputs: list[object], check: Callable[[], bool]) -> None:
        """Runs `check` (see `RenderCache.check`), unless the same inputs were found clean before."""
        if self.on:
            self.render_cache.check(inputs, check)
        else:
            check()

    def sanitize(self, html: str) -> str:
        return self.render_cache.sanitize(html) if self.on else sanitize(html)

    def pages_converted(self, files: Files, build: Build) -> tuple[bool, list[tuple[str, str]]]:
        """Once every page's Markdown is converted: whether none changed since the last build (its
        search index likely fits), and the searchable pages the preview keeps from its last build,
        as (HTML, url), which MkDocs will not render again."""
        self.converting.stop()
        if not self.on:
            return False, []
        unchanged = self.render_cache.digest is not None and not self.render_cache.converted
        if not self.serving:
            return unchanged, []
        self.incremental.write_changed(files, build)
        return unchanged, list(self.incremental.kept_searchable())

    def template_globals(self, env: Environment, language: str) -> dict[str, Any]:
        """Before the first template is loaded: the compiled templates of the cache, and what the
        layer's patches call (`rundbrief.translate`, `rundbrief.fragment`)."""
        if not self.on:
            return {}
        keep_compiled(env, self.render_cache.folder / TEMPLATES)
        return {"translate": translator(env, language), "fragment": Fragments()}

    def searchable(self, url: str, html: str) -> None:
        """A page of the search index, which the preview's next build may keep."""
        if self.on and self.serving:
            self.incremental.searchable[url] = html

    @property
    def defers(self) -> bool:
        """Whether the search index and the writer's outputs wait until the preview serves the pages."""
        return self.on and self.serving and self.incremental.defer

    def defer(self, write: Callable[[], None]) -> None:
        self.incremental.deferred = write

    def written(self, site_dir: str) -> None:
        """Every output written: the preview's files of earlier builds that this one did not write
        removed, its state kept for the next; a full build's stale cache entries pruned."""
        if not self.on:
            return
        if self.serving:
            self.incremental.sweep(site_dir)
            self.incremental.finish()
        else:
            self.render_cache.prune()

    def cancel(self) -> None:
        """A failed build: the processes working ahead stopped, the preview's next build a full one."""
        self.converting.stop()
        self.incremental.forget()


def available(wanted: bool) -> bool:
    """Before a build's options are checked (the preview's planning): whether the layer can be on."""
    return wanted and not host.missing()
