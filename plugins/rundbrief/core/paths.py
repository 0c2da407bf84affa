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
SUBSCRIBE = "abonnieren/"  # the subscription form, with `subscribe: action:`
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


# What Rundbrief writes into the site besides the pages of fixed addresses (archive, directory, search,
# issues, profiles; reserved by their addresses where the pages are made), by address: no other file may
# take one. The folder of themes is Rundbrief's whole, as a theme added later would take any name.
_RESERVED_FOLDERS = {f"{CARDS}/": "die Vorschaubilder für LinkedIn", f"{PICTURES}/": "die Fassungen der Bilder",
                     SEARCH_BUNDLE: "die Suche", f"{LINKEDIN}/": "die LinkedIn-Texte",
                     f"{THEMES}/": "die Seiten der Themen"}
_RESERVED_FILES = {FEED: "den Feed", JSON_FEED: "den JSON-Feed"}


def reserved(address: str) -> str | None:
    """What Rundbrief writes at `address` (relative to the site's root), e.g. "die Suche"; None
    where it writes no file of its own. Casefolded: on macOS and Windows "LinkedIn/" is "linkedin/"."""
    address = address.casefold()
    for folder, what in _RESERVED_FOLDERS.items():
        if address.startswith(folder):
            return what
    if address in _RESERVED_FILES:
        return _RESERVED_FILES[address]
    folder, _, name = address.rpartition("/")
    if name == FEED and folder.startswith(DIRECTORY) and folder.count("/") == 1:
        return "den Feed eines Projekts"
    return None
