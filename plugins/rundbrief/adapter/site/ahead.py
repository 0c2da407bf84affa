"""Markdown converted ahead, for a build whose render cache holds nothing of use (a fresh clone on a
build server, a new release of Rundbrief or MkDocs, a changed extension): a forked process converts
the pages into the render cache from the last page backwards, while the build's own process converts
them from the first on and finds in the cache what the other has done. Converting the Markdown of
every page is the largest part of such a build's own process, which everything else waits for.

The process runs the pipeline MkDocs runs for each page (`_populate_page`: every plugin's events
before and after the conversion), so that it arrives at the same Markdown, whose conversion is then
keyed by it in the render cache. What it writes there is what the build would have written: an entry
is a function of its key, written whole or not at all. What it reads, logs or fails with is its own:
its output goes nowhere, its failure leaves the pages to the build, which converts and checks them
itself and reports every problem as before. The build stops it once every page's Markdown is
converted (`stop`)."""

from __future__ import annotations

import functools

from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..writer import Workers, can_fork, silence
from .render_cache import RenderCache


class ConvertingAhead:
    """The process converting a cold build's Markdown ahead, while there is one."""

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
        _populate_page(file.page, config, files)
