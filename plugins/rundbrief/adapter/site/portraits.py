"""Portraits: an item of the portrait section that links a profile shows the profile's facts beside it.

MkDocs renders Markdown before the theme's templates are ready, so the issue's Markdown gets a marker
below each portrait item's heading, and the page's HTML gets the rendered facts in its place."""

from __future__ import annotations

import re
from collections.abc import Callable

from rundbrief.core import Issue, Project

# An element, not a comment: the allow-list (core/sanitize.py) removes every comment from a body.
_MARKER = re.compile(r'\n*<div class="rb-portrait-slot rb-portrait-slot--([\w-]+)"></div>\n*')  # with its blank lines


def mark_portraits(markdown: str, issue: Issue, section: str, projects: dict[str, Project]) -> str:
    """Marks the place of the first profile each item of the portrait section links to."""
    lines = markdown.split("\n")
    places = [
        (item.line - issue.source.body_line + 1, slug)
        for part in issue.sections if part.name == section
        for item in part.items
        for slug in item.projects[:1] if slug in projects
    ]
    for index, slug in reversed(places):
        lines.insert(index, f'\n<div class="rb-portrait-slot rb-portrait-slot--{slug}"></div>\n')
    return "\n".join(lines)


def without_portraits(html: str) -> str:
    """The HTML for feeds: the facts are on the site, a link away."""
    return _MARKER.sub("\n", html)


def fill_portraits(html: str, projects: dict[str, Project], render: Callable[[Project], str]) -> str:
    """Each marker replaced by its project's facts; a marker an editor typed for a project that does not
    exist is dropped."""
    return _MARKER.sub(lambda match: f"\n{render(projects[match.group(1)])}\n" if match.group(1) in projects else "\n", html)
