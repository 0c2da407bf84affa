"""One build: what a site is made from and what the build made of it. The plugin makes it once per
build and adds what it makes of it (the issues' HTML, the posts, the cards) as it goes, then freezes
it before the writer of derived outputs takes it into its own process; the writer, the templates and
the command line only read it."""

from __future__ import annotations

import datetime
import functools
from dataclasses import FrozenInstanceError, dataclass, field
from pathlib import Path
from types import MappingProxyType

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

    frozen: bool = field(default=False, init=False)

    def freeze(self) -> None:
        """Every page rendered and every post made. From here on the state is read only: the writer
        forks with it, and a change after that would reach only one of the two processes. Its maps
        become read-only views; the content was read only since it was made."""
        for name in ("static_pages", "html", "posts", "cards"):
            object.__setattr__(self, name, MappingProxyType(getattr(self, name)))
        object.__setattr__(self, "frozen", True)

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "frozen", False):
            raise FrozenInstanceError(f"Build is frozen: {name} cannot change")
        super().__setattr__(name, value)

    @functools.cached_property
    def pages(self) -> dict[str, Issue | Project]:
        """The page of each issue and profile, by the path of its file: the page's source in MkDocs."""
        models: list[Issue | Project] = [*self.content.issues, *self.content.projects]
        return {model.path: model for model in models}
