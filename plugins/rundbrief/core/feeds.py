"""Feeds for subscribers: RSS 2.0 (written by feedgen) and JSON Feed 1.1, for the whole newsletter and
for each project. Everything here is pure: the adapter hands in the rendered HTML of each issue."""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from .model import Issue
from .text import html_to_text, plain_text

# Characters XML 1.0 cannot hold. They must not crash a build; they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|poster)=")([^"]*)(")')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


@dataclass(frozen=True)
class Channel:
    """What a feed is about: the whole newsletter, or one project."""

    title: str
    link: str  # absolute URL of the page the feed belongs to
    url: str  # absolute URL of the feed itself
    description: str
    image: str | None = None  # absolute URL of a PNG, GIF or JPEG logo


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    type: str


@dataclass(frozen=True)
class Entry:
    """One issue as it appears in feeds: its absolute URL, its HTML with absolute links, and the time
    of day in Berlin at which it appears unless its `date:` gives one."""

    issue: Issue
    url: str
    html: str
    time_of_day: datetime.time
    enclosure: Enclosure | None = None

    @property
    def published(self) -> datetime.datetime:
        return self.issue.moment(self.time_of_day)

    @functools.cached_property
    def rss_item(self) -> FeedEntry:
        """The feed item, made once: an issue stands in the newsletter's feed and its projects' feeds."""
        item = FeedEntry()
        item.title(clean(self.issue.headline))
        item.link(href=self.url)
        item.guid(self.url, permalink=True)
        item.pubDate(self.published)
        item.description(self.summary or clean(self.issue.title))
        item.content(clean(self.html))
        for section in self.issue.sections:
            item.category(term=section.name)
        if self.enclosure:
            item.enclosure(self.enclosure.url, str(self.enclosure.length), self.enclosure.type)
        return item

    @functools.cached_property
    def summary(self) -> str:
        """The teaser as plain text; without one, the issue's first paragraph."""
        if self.issue.description:
            return clean(plain_text(self.issue.description))
        first = _FIRST_PARAGRAPH.search(self.html)
        return clean(html_to_text(first.group(1))) if first else ""


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def absolute_urls(html: str, base: str) -> str:
    """Makes every href, src and srcset in `html` absolute against `base`, the page's own URL."""
    html = _URL_ATTRIBUTE.sub(lambda m: m.group(1) + urljoin(base, m.group(2)) + m.group(3), html)
    return _SRCSET.sub(
        lambda m: m.group(1) + ", ".join(
            " ".join([urljoin(base, part.split()[0]), *part.split()[1:]]) for part in m.group(2).split(",") if part.strip()
        ) + m.group(3),
        html,
    )


def published(issues: Iterable[Issue], now: datetime.datetime, time_of_day: datetime.time) -> list[Issue]:
    """The issues a feed may carry: those public at `now`, also in a preview, which shows drafts and
    issues not yet due."""
    return [issue for issue in issues if issue.public_at(now, time_of_day)]


def rss(channel: Channel, entries: list[Entry]) -> bytes:
    """RSS 2.0. `entries` newest first; the same entries give the same bytes."""
    feed = FeedGenerator()
    feed.title(clean(channel.title))
    feed.link(href=channel.url, rel="self")
    feed.link(href=channel.link, rel="alternate")  # after "self": feedgen's <link> is the last one set
    feed.description(clean(channel.description) or clean(channel.title))
    feed.language("de")
    feed.generator("Rundbrief")
    if channel.image:
        feed.image(url=channel.image, title=clean(channel.title), link=channel.link)
    if entries:
        feed.lastBuildDate(max(entry.published for entry in entries))
    for entry in entries:
        feed.add_entry(entry.rss_item, order="append")  # feedgen prepends by default; entries are newest first
    return feed.rss_str(pretty=True)


def json_feed(channel: Channel, entries: list[Entry]) -> str:
    """JSON Feed 1.1 with the same items as the RSS feed."""
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": channel.link,
        "feed_url": channel.url,
        "description": channel.description,
        "language": "de",
    }
    if channel.image:
        feed["icon"] = channel.image
    items = []
    for entry in entries:
        item: dict[str, object] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.issue.headline,
            "content_html": entry.html,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "tags": [section.name for section in entry.issue.sections],
        }
        if entry.enclosure:
            item["image"] = entry.enclosure.url
        items.append(item)
    feed["items"] = items
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
