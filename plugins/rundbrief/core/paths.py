"""Every address the site publishes, in one place: the core, the plugins and the templates (as
`rundbrief.paths`) ask here, so that a folder is named once. Addresses are relative to the site's root,
folders end in "/"."""

from __future__ import annotations

from .text import anchor

# The project's folders of issues and profiles, which are also the URL prefixes of their pages.
NEWSLETTERS = "newsletters"
PROJECTS = "projects"

THEMES = "themen"  # one page per theme
LINKEDIN = "linkedin"  # post texts and the copy pages of the office
CARDS = "assets/cards"  # social cards
PICTURES = "assets/pictures"  # the renditions of editors' pictures, never the originals
SEARCH_BUNDLE = "pagefind/"  # Pagefind's script and index
FEED = "feed.xml"
JSON_FEED = "feed.json"
SEARCH = "suche/"  # the search page, which reads its query from the address: /suche/?q=…
ARCHIVE = f"{NEWSLETTERS}/"
DIRECTORY = f"{PROJECTS}/"


def issue(name: str) -> str:
    return f"{NEWSLETTERS}/{name}/"


def project(slug: str) -> str:
    return f"{PROJECTS}/{slug}/"


def project_feed(slug: str) -> str:
    """The RSS feed of the issues that mention a project."""
    return f"{project(slug)}{FEED}"


def theme(name: str) -> str:
    """The page listing the projects of one theme."""
    return f"{THEMES}/{anchor(name)}/"


def posts_page(issue_name: str) -> str:
    """The page showing an issue's LinkedIn posts with copy buttons."""
    return f"{LINKEDIN}/{issue_name}/"


def post(issue_name: str, item_id: str | None = None) -> str:
    """An issue's post text, or the post text of one of its items (a portrait)."""
    return f"{LINKEDIN}/{issue_name}.txt" if item_id is None else f"{LINKEDIN}/{issue_name}/{item_id}.txt"


def issue_card(name: str) -> str:
    return f"{CARDS}/{NEWSLETTERS}/{name}.jpg"


def project_card(slug: str) -> str:
    return f"{CARDS}/{PROJECTS}/{slug}.jpg"


SITE_CARD = f"{CARDS}/site.jpg"
