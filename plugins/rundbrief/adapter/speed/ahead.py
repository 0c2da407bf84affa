"""Work done ahead by a forked process on the second core, while the build's own process does
something else, for a build whose cache holds nothing of use (a fresh clone on a build server, a new
release of Rundbrief or MkDocs, a changed extension). What such a process writes into the cache is
what the build would have written; what it reads, logs or fails with is its own: its output goes
nowhere, and its failure leaves the work to the build, which reports every problem as before.

- `ConvertingAhead`: the pages' Markdown converted into the render cache from the last page
  backwards, while the build converts them from the first on and finds in the cache what the other
  has done. Converting the Markdown of every page is the largest part of such a build's own process.
- `CompilingAhead`: the theme's templates compiled into the cache while the build reads the content,
  when the second core is otherwise idle (bench/build_speed.py --ahead measures what each saves)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..writer import Workers, can_fork, silence
from .render_cache import RenderCache


class ConvertingAhead:
    """The process converting a cold build's Markdown ahead, while there is one. It runs the pipeline
    MkDocs runs for each page (every plugin's events before and after the conversion), so that it
    arrives at the same Markdown, whose conversion is then keyed by it in the render cache. The build
    stops it once every page's Markdown is converted (`stop`)."""

    def __init__(self) -> None:
        self.workers = Workers()

    def start(self, config: MkDocsConfig, files: Files, cache: RenderCache) -> None:
        """Starts converting where the cache holds none of this build's pages; called when the
        navigation is final, as MkDocs starts reading the pages."""
        self.stop()
        if cache.cold() and can_fork():  # on one core, or beside threads, the build converts alone
            self.workers.start([("die Seiten im Voraus", functools.partial(_convert, config, files))], processes=1)

    def stop(self) -> None:
        self.workers.cancel()


def _convert(config: MkDocsConfig, files: Files) -> None:
    """In the forked process: the pages from the last one backwards, as MkDocs reads them in `build`."""
    silence()
    for file in reversed(files.documentation_pages(inclusion=InclusionLevel.is_included)):
        if file.page is None:  # a page outside the navigation, made by MkDocs as it reads it
            Page(None, file, config)
        assert file.page is not None
        mkdocs_build._populate_page(file.page, config, files)  # Host internal: MkDocs 1.6.1


class CompilingAhead:
    """A first build's process compiling the theme's templates into the cache. The build waits for it
    before its first template, which it needs only once every page's Markdown is converted, and
    compiles what the process did not: icons, and templates that fail."""

    def __init__(self) -> None:
        self.workers = Workers()

    def start(self, config: MkDocsConfig, folder: Path, prepare: Callable[[Environment], None]) -> None:
        """Starts compiling where the cache holds no template; called before the content is read.
        `prepare` readies an environment as the build readies its own: patches, filters, the cache."""
        try:
            compiled = folder.is_dir() and any(folder.iterdir())
        except OSError:  # a folder it may not list: the build compiles, as without a cache
            return
        if can_fork() and not compiled:
            self.workers.start([("die Vorlagen im Voraus", functools.partial(_compile, config, prepare))], processes=1)

    def wait(self) -> None:
        """Waits for the process, which leaves nothing half written in the cache. Its failure (killed
        from outside) costs only time: the build compiles what it did not."""
        try:
            self.workers.wait()
        except PluginError:
            pass

    def stop(self) -> None:
        self.workers.cancel()


def _compile(config: MkDocsConfig, prepare: Callable[[Environment], None]) -> None:
    """In the forked process: the theme's page templates, the partials they may include, and the
    sitemap, but the language tables other than the site's and the English fallback (`translator`)."""
    silence()
    language = config.theme["language"]
    languages = {f"partials/languages/{language}.html", "partials/languages/en.html"}
    try:
        env = config.theme.get_env()
        prepare(env)
        names = env.list_templates(extensions=["html", "xml"])
    except Exception:  # a patch that no longer applies: the build reports it
        return
    for name in names:
        if name.startswith("partials/languages/") and name not in languages:
            continue
        try:
            env.get_template(name)
        except Exception:  # a template that needs another plugin's filter, or is broken: the build's to say
            pass
