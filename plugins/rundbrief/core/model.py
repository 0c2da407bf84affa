"""The content model: an Issue has Sections, a Section has Items, Items mention Projects."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import paths
from .paths import NEWSLETTERS, PROJECTS
from .source import Source
from .text import german_date, published_at

__all__ = ["NEWSLETTERS", "PROJECTS", "Issue", "Item", "Mention", "Picture", "Project", "Section"]


@dataclass(frozen=True)
class Picture:
    """A picture as the content names it: the image file (relative to docs_dir) and its alt text."""

    src: str
    alt: str
    path: str  # the content file that names it, relative to the project
    line: int
    markdown: str | None = None  # the `![alt](src)` it was written as; None for `image:` in front matter


@dataclass
class Item:
    """One report inside a section, opened by a level-3 heading."""

    title: str  # the heading as plain text
    id: str  # the anchor on the issue page, unique within the issue
    line: int
    projects: list[str] = field(default_factory=list)  # slugs of the profiles it links to


@dataclass
class Section:
    """One of the configured sections (Vorgestellt, Vernetzt, Umgeschaut) of an issue."""

    name: str
    id: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Issue:
    """One newsletter issue, `newsletters/<name>.md`, published at `newsletters/<name>/`."""

    name: str
    path: str  # relative to the project
    title: str
    date: datetime.date
    description: str | None
    draft: bool
    image: str | None
    image_alt: str | None
    markdown: str  # the body, with anchors on section and item headings
    source: Source = field(repr=False)
    sections: list[Section] = field(default_factory=list)
    intro_projects: list[str] = field(default_factory=list)  # profiles linked before any section
    pictures: list[Picture] = field(default_factory=list)  # `image:` first, then the body's images
    time: datetime.time | None = None  # written in `date:`, in Berlin; None: the site's time of day

    @property
    def picture(self) -> Picture | None:
        """The issue's own picture, `image:` in the front matter."""
        return _front_matter_picture(self.pictures)

    def moment(self, time_of_day: datetime.time) -> datetime.datetime:
        """When the issue appears: on the site, in the feeds, in Open Graph."""
        return published_at(self.date, self.time or time_of_day)

    def public_at(self, now: datetime.datetime, time_of_day: datetime.time) -> bool:
        """Whether a build at `now` publishes the issue: the one rule every output follows."""
        return not self.draft and self.moment(time_of_day) <= now

    @property
    def headline(self) -> str:
        """The title with the date: what tells issues apart that share a title, in feed readers,
        browser tabs and the pager."""
        return f"{self.title} ({german_date(self.date)})"

    @property
    def url(self) -> str:
        return paths.issue(self.name)

    def anchor_url(self, item: Item | None) -> str:
        return f"{self.url}#{item.id}" if item else self.url

    def linked_projects(self) -> list[tuple[str, Item | None]]:
        """The slug of every profile the issue links to, with the item that links it (None: the intro)."""
        return [(slug, None) for slug in self.intro_projects] + [
            (slug, item) for section in self.sections for item in section.items for slug in item.projects
        ]


@dataclass
class Mention:
    """A place in an issue that links to a project: an item, or the issue's intro (item None)."""

    issue: Issue
    item: Item | None

    @property
    def url(self) -> str:
        return self.issue.anchor_url(self.item)


@dataclass
class Project:
    """One funded project's profile, `projects/<slug>.md`, published at `projects/<slug>/`."""

    slug: str
    path: str
    title: str
    short: str | None
    organisation: str | None
    location: str
    state: str
    website: str | None
    email: str | None
    themes: list[str]  # front matter `tags`, the key Material's tags plugin reads
    markdown: str
    source: Source = field(repr=False)
    mentions: list[Mention] = field(default_factory=list)  # newest first
    pictures: list[Picture] = field(default_factory=list)  # `image:` (a photo or the logo) first

    @property
    def picture(self) -> Picture | None:
        """The profile's photo or logo, `image:` in the front matter."""
        return _front_matter_picture(self.pictures)

    @property
    def url(self) -> str:
        return paths.project(self.slug)

    @property
    def feed_url(self) -> str:
        return paths.project_feed(self.slug)

    @property
    def name(self) -> str:
        """What editors and readers call the project: its short name, else its full title."""
        return self.short or self.title


def _front_matter_picture(pictures: list[Picture]) -> Picture | None:
    return pictures[0] if pictures and pictures[0].markdown is None else None
