"""Work done ahead by a forked process on the second core, while the build's own process does
something else, for a build whose render cache holds nothing of use (a fresh clone on a build server, a new
release of Rundbrief or MkDocs, a changed extension). What such a process writes into the cache is
what the build would have written; what it reads, logs or fails with is its own: its output goes
nowhere, and its failure leaves the work to the build, which reports every problem as before.

`ConvertingAhead` converts the pages' Markdown into the render cache from the last page backwards,
while the build converts them from the first on and finds in the cache what the other has done:
converting the Markdown of every page is the largest part of such a build's own process. It stays
because it saves a fresh clone more than a tenth of what it does beyond a warm build (bench/build_speed.py
--ahead); compiling the templates ahead, which saved less, was removed by the same rule."""

from __future__ import annotations

import functools

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
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
