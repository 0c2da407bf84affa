"""One build: what a site is made from and what the build made of it. The plugin makes it once per
build and adds what it makes of it (the issues' HTML, the posts, the cards) as it goes; the writer of
derived outputs and the command line only read it."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path

from .cards import Card
from .content import Content
from .linkedin import Post
from .model import Issue, Project
from .pages import StaticPage


@dataclass
class Build:
    content: Content
    site_url: str  # absolute, ending in "/"; "" where mkdocs.yml has none
    site_name: str
    site_description: str
    portrait_section: str  # the section whose items are portraits of projects (Vorgestellt)
    cache: Path  # compiled templates, cards: kept between builds
    time_of_day: datetime.time  # when an issue appears on its date, in Berlin: in the feeds and Open Graph
    static_pages: dict[str, StaticPage] = field(default_factory=dict)  # the pages of content/ by their file
    html: dict[str, str] = field(default_factory=dict)  # issue name -> its body as published
    # With LinkedIn on: issue name -> its post, then one per portrait; address in the site -> its card
    posts: dict[str, list[Post]] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)

    @functools.cached_property
    def pages(self) -> dict[str, Issue | Project]:
        """The page of each issue and profile, by the path of its file: the page's source in MkDocs."""
        models: list[Issue | Project] = [*self.content.issues, *self.content.projects]
        return {model.path: model for model in models}
