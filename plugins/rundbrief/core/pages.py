"""The front matter of the static pages in the site's pages folder (content/), which MkDocs reads
itself: checked here with the same rules, so that only validated values reach the templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import Fields
from .problems import Problem
from .sanitize import strip_comments
from .source import Source

# The few keys a static page needs; the types are those read below. The page's template is no
# editor's choice: the plugin sets it (the start page's, for one).
PAGE_KEYS = ("title", "description", "hide", "video", "captions")  # the sign-language page's video
HIDE = ("navigation", "toc", "footer", "path", "tags")  # the parts of a page Material can hide


@dataclass
class StaticPage:
    """One page of content/, e.g. the Impressum."""

    path: str  # relative to the project
    title: str | None  # without one, the page's first heading is its title
    description: str | None
    source: Source = field(repr=False)  # its body without comments
    hide: list[str] = field(default_factory=list)
    video: str | None = None  # a video file in docs_dir, checked by the plugin with the site's files
    captions: str | None = None

    @property
    def markdown(self) -> str:
        """What is rendered: the body as written."""
        return self.source.body


def parse_page(source: Source, problems: list[Problem]) -> StaticPage | None:
    """Checks a static page's front matter; returns None (and adds problems) when it is not valid."""
    before = len(problems)
    fields = Fields(source, problems, PAGE_KEYS)
    source.body = strip_comments(source.body)  # editors' notes, as private as in an issue
    page = StaticPage(
        path=source.path,
        title=fields.text("title"),
        description=fields.text("description"),
        source=source,
        hide=fields.choices("hide", HIDE),
        video=fields.text("video"),
        captions=fields.text("captions"),
    )
    return page if len(problems) == before else None
