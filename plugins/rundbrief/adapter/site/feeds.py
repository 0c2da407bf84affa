"""Writes the feeds after the build: the core makes them, this module gathers what MkDocs knows."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from rundbrief.core import Content, Issue
from rundbrief.core.feeds import Channel, Enclosure, Entry, absolute_urls, json_feed, published, rss
from rundbrief.core.text import today

from .config import FeedConfig
from .images import Pictures

# The "¶" permalinks of the toc extension: useful on a page, noise in a feed reader.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')


def write_feeds(
    config: MkDocsConfig, options: FeedConfig, content: Content, html: dict[str, str], files: Files, pictures: Pictures
) -> None:
    site_url = config.site_url or ""
    entries = {
        issue.name: _entry(issue, site_url, html[issue.name], pictures)
        for issue in published(content.issues, today())
        if issue.name in html
    }
    site = Channel(
        title=config.site_name,
        link=site_url,
        url=site_url + "feed.xml",
        description=config.site_description or config.site_name,
        image=_logo(config, files),
    )
    newest = list(entries.values())[: options.max_items]
    out = Path(config.site_dir)
    (out / "feed.xml").write_bytes(rss(site, newest))
    (out / "feed.json").write_text(json_feed(_json_channel(site), newest), encoding="utf-8")
    for project in content.projects:
        names = dict.fromkeys(mention.issue.name for mention in project.mentions)  # newest first, once each
        channel = Channel(
            title=f"{config.site_name}: {project.name}",
            link=site_url + project.url,
            url=site_url + project.feed_url,
            description=f"Ausgaben, die {project.name} erwähnen.",
            image=site.image,
        )
        target = out / project.feed_url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rss(channel, [entries[name] for name in names if name in entries]))


def _entry(issue: Issue, site_url: str, page_html: str, pictures: Pictures) -> Entry:
    url = site_url + issue.url
    enclosure = None
    if issue.picture:  # a JPEG or PNG of medium width: every feed reader shows it, none waits long
        rendition = pictures.derived[issue.picture.src].middle()
        enclosure = Enclosure(
            site_url + pictures.url(rendition.name, None), pictures.file(rendition.name).stat().st_size, rendition.type)
    return Entry(issue, url, absolute_urls(_HEADERLINK.sub("", page_html), url), enclosure)


def _logo(config: MkDocsConfig, files: Files) -> str | None:
    logo = config.theme.get("logo")
    file = files.get_file_from_path(logo) if logo else None
    return (config.site_url or "") + file.url if file else None


def _json_channel(site: Channel) -> Channel:
    return Channel(site.title, site.link, site.link + "feed.json", site.description, site.image)
