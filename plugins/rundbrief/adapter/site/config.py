"""Options of the `rundbrief` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from rundbrief.core.content import DEFAULT_SECTIONS


class FundingConfig(Config):
    """The funding notice every page of an EU-funded site carries in its footer."""

    eu_emblem = c.Type(str, default="assets/images/eu-emblem.svg")  # inside docs_dir
    eu_statement = c.Type(str, default="Kofinanziert von der Europäischen Union")
    funder = c.Type(str, default="Bundesministerium für Arbeit und Soziales")
    funder_logo = c.Optional(c.Type(str))  # inside docs_dir; without it the funder is named in text


class FeedConfig(Config):
    """RSS 2.0 and JSON Feed for the newsletter, and an RSS feed per project."""

    enabled = c.Type(bool, default=True)
    max_items = c.Type(int, default=20)  # in the newsletter's feeds; a project's feed has all its issues
    page = c.Type(str, default="feed.md")  # the page explaining feeds, inside docs_dir, linked in the footer


class SiteConfig(Config):
    enabled = c.Type(bool, default=True)

    # The sections of an issue, in their order; headings "## <name>", anchors derived from the names.
    sections = c.ListOfItems(c.Type(str), default=list(DEFAULT_SECTIONS))
    drafts_on_serve = c.Type(bool, default=True)  # the live preview shows drafts, marked as such
    cache_dir = c.Type(str, default=".cache/rundbrief")  # relative to mkdocs.yml: compiled templates, cards

    # Generated pages
    archive_title = c.Type(str, default="Ausgaben")
    directory_title = c.Type(str, default="Projekte")
    tag_title = c.Type(str, default="Thema: {tag}")
    recent_issues = c.Type(int, default=4)  # on the start page, below the latest issue

    feed = c.SubConfig(FeedConfig)

    # Footer
    funding = c.SubConfig(FundingConfig)
    # BITV 2.0 § 4: explanations in Leichte Sprache and German Sign Language, linked from the start
    # page and the footer; `accessible_pages: {}` switches them off.
    accessible_pages = c.DictOfItems(
        c.Type(str),
        default={"Leichte Sprache": "leichte-sprache.md", "Gebärdensprache": "gebaerdensprache.md"},
    )
    legal_pages = c.DictOfItems(
        c.Type(str),
        default={
            "Impressum": "impressum.md",
            "Datenschutz": "datenschutz.md",
            "Barrierefreiheit": "barrierefreiheit.md",
        },
    )
