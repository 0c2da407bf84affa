"""What only a page's rendered HTML shows: raw HTML the allow-list refuses, links that lead nowhere,
headings the line scanner did not see. The build and `rundbrief check` ask the same questions here."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from .content import Content
from .links import link_problems
from .model import Issue, Project
from .pages import StaticPage
from .problems import Problem
from .sanitize import html_problems
from .structure import heading_problems


@dataclass(frozen=True)
class Body:
    """An editor's page body, its comments removed: what is rendered, and where to report on it."""

    src_uri: str  # the page's path in the site, e.g. "newsletters/x.md"
    path: str  # the editor's file, relative to the project
    text: str  # as written, for finding a problem's line
    first_line: int  # of `text` in the file
    markdown: str  # what is rendered: an issue's has anchors on its headings
    issue: Issue | None = None  # an issue's headings are checked against its sections and items


def body(model: Issue | Project | StaticPage, src_uri: str) -> Body:
    return Body(src_uri, model.path, model.source.body, model.source.body_line, model.markdown,
                model if isinstance(model, Issue) else None)


def bodies(content: Content, static_pages: Mapping[str, StaticPage]) -> Iterator[Body]:
    """Every body an editor wrote: issues and drafts, profiles, the pages of the pages' folder."""
    models: list[Issue | Project] = [*content.all_issues, *content.projects]
    for model in models:
        yield body(model, model.path)  # issues and profiles keep their paths as pages
    for src_uri, page in static_pages.items():
        yield body(page, src_uri)


def rendered_problems(page: Body, html: str, files: Collection[str], *, site_url: str, docs: str) -> list[Problem]:
    """`files` are the site's files a body may link to, `docs` the name of the pages' folder."""
    problems = html_problems(page.path, page.text, page.first_line, html)
    problems += link_problems(page.path, page.src_uri, page.text, page.first_line, files, site_url=site_url, docs=docs)
    if page.issue:
        problems += heading_problems(page.issue, html)
    return problems
