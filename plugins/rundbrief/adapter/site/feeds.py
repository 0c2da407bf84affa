"""Writes the feeds, a part of the build's writer: the core makes them, this module gathers what MkDocs knows."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from rundbrief.core import Issue, paths
from rundbrief.core.build import Build
from rundbrief.core.feeds import Channel, Enclosure, Entry, absolute_urls, json_feed, published, rss

from .config import FeedConfig
from .images import Pictures

# The "¶" permalinks of the toc extension: useful on a page, noise in a feed reader.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')


def write_feeds(out: Path, build: Build, options: FeedConfig, config: MkDocsConfig, files: Files,
                pictures: Pictures) -> None:
    """The newsletter's RSS and JSON feeds and one RSS feed per project, into the site folder `out`."""
    entries = {
        issue.name: _entry(issue, build.site_url, build.html[issue.name], build.time_of_day, pictures)
        for issue in published(build.content.issues, build.content.clock.now, build.time_of_day)
        if issue.name in build.html
    }
    site = Channel(
        title=build.site_name,
        link=build.site_url,
        url=build.site_url + paths.FEED,
        description=build.site_description or build.site_name,
        image=_logo(config, files),
    )
    newest = list(entries.values())[: options.max_items]
    (out / paths.FEED).write_bytes(rss(site, newest))
    json_channel = Channel(site.title, site.link, build.site_url + paths.JSON_FEED, site.description, site.image)
    (out / paths.JSON_FEED).write_text(json_feed(json_channel, newest), encoding="utf-8")
    for project in build.content.projects:
        names = dict.fromkeys(mention.issue.name for mention in project.mentions)  # newest first, once each
        channel = Channel(
            title=f"{build.site_name}: {project.name}",
            link=build.site_url + project.url,
            url=build.site_url + project.feed_url,
            description=f"Ausgaben, die {project.name} erwähnen.",
            image=site.image,
        )
        target = out / project.feed_url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rss(channel, [entries[name] for name in names if name in entries]))


def _entry(issue: Issue, site_url: str, page_html: str, time_of_day: datetime.time, pictures: Pictures) -> Entry:
    url = site_url + issue.url
    enclosure = None
    if issue.picture:  # a JPEG or PNG of medium width: every feed reader shows it, none waits long
        rendition = pictures.derived[issue.picture.src].middle()
        enclosure = Enclosure(
            site_url + pictures.url(rendition.name, None), pictures.file(rendition.name).stat().st_size, rendition.type)
    return Entry(issue, url, absolute_urls(_HEADERLINK.sub("", page_html), url), time_of_day, enclosure)


def _logo(config: MkDocsConfig, files: Files) -> str | None:
    logo = config.theme.get("logo")
    file = files.get_file_from_path(logo) if logo else None
    return (config.site_url or "") + file.url if file else None
