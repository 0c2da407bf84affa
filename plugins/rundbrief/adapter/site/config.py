"""Options of the `rundbrief` plugin in mkdocs.yml."""

from __future__ import annotations

import datetime
import re

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
    # When an issue appears, "HH:MM" in Berlin. At midnight, readers that show UTC showed the day before;
    # noon is the issue's date from UTC-10 to UTC+12. An int is what YAML makes of an unquoted 10:00.
    time_of_day = c.Type((str, int), default="12:00")


class SearchConfig(Config):
    """The site search (Pagefind): a field in the header and the search page /suche/."""

    enabled = c.Type(bool, default=True)
    title = c.Type(str, default="Suche")  # of the search page


class CardsConfig(Config):
    """Social cards: the 1200×627 images of link previews."""

    enabled = c.Type(bool, default=True)
    background = c.Type(str, default="#3f51b5")
    foreground = c.Type(str, default="#ffffff")
    accent = c.Type(str, default="#ffcc00")
    font = c.Optional(c.Type(str))  # a bold TrueType/OpenType file; default: Source Sans Pro Bold


class LinkedinConfig(Config):
    """Post texts for LinkedIn, their copy pages, Open Graph tags and social cards."""

    enabled = c.Type(bool, default=True)
    hashtags = c.ListOfItems(c.Type(str), default=["#AktiFPlus", "#ESFPlus", "#Familienarmut"])
    utm = c.DictOfItems(c.Type(str), default={})  # e.g. {utm_source: linkedin, utm_medium: social}
    cards = c.SubConfig(CardsConfig)


class SmtpConfig(Config):
    """The server `rundbrief email --send-test` sends through; the password only from the environment
    variable RUNDBRIEF_SMTP_PASSWORD, never from a file in the repository."""

    host = c.Optional(c.Type(str))
    port = c.Type(int, default=587)
    security = c.Type(str, default="starttls")  # starttls, ssl or none
    user = c.Optional(c.Type(str))


class EmailConfig(Config):
    """The e-mail edition of an issue (`rundbrief email`)."""

    tool = c.Type(str, default="file")  # cleverreach, rapidmail, mailchimp, listmonk or file
    sender = c.Optional(c.Type(str))  # "Name <address>", the messages' From
    unsubscribe = c.Optional(c.Type(str))  # the tool's unsubscribe placeholder, in place of Rundbrief's
    eu_emblem = c.Type(str, default="assets/images/eu-emblem.png")  # inside docs_dir: mail clients show no SVG
    contact_page = c.Type(str, default="kontakt.md")  # inside docs_dir: the call to projects links it; "" = none
    smtp = c.SubConfig(SmtpConfig)


class SubscribeConfig(Config):
    """The subscription page /abonnieren/: a form posting to the mailing tool, which confirms by e-mail."""

    action = c.Optional(c.Type(str))  # where the form posts; without it there is no page
    provider = c.Type(str, default="")  # listmonk, cleverreach, rapidmail, mailchimp, buttondown; "" = any
    hidden = c.DictOfItems(c.Type(str), default={})  # fields the provider needs, e.g. listmonk's list: {l: …}
    title = c.Type(str, default="Newsletter abonnieren")


class SiteConfig(Config):
    enabled = c.Type(bool, default=True)

    # The sections of an issue, in their order; headings "## <name>", anchors derived from the names.
    sections = c.ListOfItems(c.Type(str), default=list(DEFAULT_SECTIONS))
    # The section whose items portray projects: each gets a LinkedIn post of its own.
    portrait_section = c.Type(str, default=DEFAULT_SECTIONS[0])
    drafts_on_serve = c.Type(bool, default=True)  # the live preview shows drafts, marked as such
    cache_dir = c.Type(str, default=".cache/rundbrief")  # relative to mkdocs.yml: compiled templates, cards
    # Where `rundbrief publish` copies the site: file:///…, sftp://user@host/path or git+<remote>#<branch>
    publish = c.Optional(c.Type(str))
    # The speed layer (adapter/speed/): off, a build is plain MkDocs and Material, with the same output
    speed = c.Type(bool, default=True)

    # Generated pages
    archive_title = c.Type(str, default="Ausgaben")
    directory_title = c.Type(str, default="Projekte")
    theme_title = c.Type(str, default="Thema: {theme}")
    recent_issues = c.Type(int, default=4)  # on the start page, below the latest issue

    feed = c.SubConfig(FeedConfig)
    search = c.SubConfig(SearchConfig)
    linkedin = c.SubConfig(LinkedinConfig)
    email = c.SubConfig(EmailConfig)
    subscribe = c.SubConfig(SubscribeConfig)

    # Footer
    funding = c.SubConfig(FundingConfig)
    # BITV 2.0 § 4: explanations in Leichte Sprache and German Sign Language, pages inside docs_dir
    # linked from the start page and the footer; "" switches one off.
    easy_language_page = c.Type(str, default="leichte-sprache.md")
    sign_language_page = c.Type(str, default="gebaerdensprache.md")
    legal_pages = c.DictOfItems(
        c.Type(str),
        default={
            "Impressum": "impressum.md",
            "Datenschutz": "datenschutz.md",
            "Barrierefreiheit": "barrierefreiheit.md",
        },
    )


_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def time_of_day(value: object) -> datetime.time | None:
    """`feed.time_of_day` as a time, or None where it is not "HH:MM"."""
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    return datetime.time(int(match[1]), int(match[2])) if match else None
