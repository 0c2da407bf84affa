"""Parsing and validating one project profile."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from .fields import Fields
from .images import front_matter_picture, markdown_pictures
from .markdown_scan import ProjectLink, project_links, scan
from .model import PROJECTS, Project
from .pasted import pasted
from .problems import Problem, cut
from .source import Source
from .text import unsafe_character

STATES = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
    "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
)  # fmt: skip

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# The front matter of a profile; the types are those read below.
_QUOTES = "„“”‚‘’»«\"'"  # Word's, and straight ones written inside YAML's own
PROJECT_KEYS = ("title", "short", "organisation", "location", "state", "website", "email", "tags", "image", "image_alt")
THEME_LIMIT = 60  # characters: a theme is a few words, shown as a chip and in a page title
# Themes go into search results and tags.json, which Material's scripts insert as HTML: plain words only.
_MARKUP_IN_THEME = '<>&"'


def parse_project(source: Source, slug: str, problems: list[Problem]) -> tuple[Project | None, list[ProjectLink]]:
    """Parses a profile; returns None (and adds problems) when it cannot be published."""
    before = len(problems)
    fields = Fields(source, problems, PROJECT_KEYS)
    title = fields.text("title", required=True)
    short = fields.text("short")
    organisation = fields.text("organisation")  # optional: not every network names one Träger
    location = fields.text("location", required=True)
    state = fields.text("state", required=True)
    website = fields.text("website")
    email = fields.text("email")
    themes = fields.text_list("tags")
    for theme in themes:
        if reason := _theme_problem(theme):
            fields.fail("tags", f"Das Thema „{cut(theme)}“ ist nicht erlaubt: {reason}. Erlaubt ist schlichter Text bis "
                        f"{THEME_LIMIT} Zeichen ohne <, >, &, \" und Steuerzeichen, z. B. „tags: [Mobilität, Elternarbeit]“.")
    picture = front_matter_picture(source, fields.text("image"), fields.text("image_alt"), problems)
    pictures = ([picture] if picture else []) + markdown_pictures(source, PROJECTS, problems)

    if state and state not in STATES:
        close = difflib.get_close_matches(state, STATES, n=1, cutoff=0.6)
        hint = f" Gemeint ist vielleicht „{close[0]}“." if close else ""
        fields.fail("state", f"Unbekanntes Bundesland „{cut(state)}“.{hint} Erlaubt sind die 16 Länder mit ihrem "
                    f"genauen Namen: {', '.join(STATES)}.")
    if website and website[0] in _QUOTES and website[-1] in _QUOTES:
        fields.fail("website", f"Die Adresse {cut(website)} steht in Anführungszeichen, die nicht zu ihr gehören. "
                    f"Erlaubt ist die Adresse allein: „website: {cut(website.strip(_QUOTES))}“.")
    elif website:
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            fields.fail("website", f"„website: {cut(website)}“ ist keine Webadresse. Erlaubt sind Adressen, die mit "
                        "„https://“ oder „http://“ beginnen, z. B. „https://www.beispiel.de“.")
    if email and not _EMAIL.fullmatch(email):
        fields.fail("email", f"„email: {cut(email)}“ ist keine E-Mail-Adresse. Erlaubt ist die Form „name@beispiel.de“.")

    problems += pasted(source)
    links = [
        ProjectLink(target, source.body_line + line.index)
        for line in scan(source.body)
        for target in project_links(line.text, PROJECTS)
    ]
    if len(problems) > before:
        return None, links
    assert title and location and state  # required fields were checked above
    project = Project(
        slug=slug,
        path=source.path,
        title=title,
        short=short,
        organisation=organisation,
        location=location,
        state=state,
        website=website,
        email=email,
        themes=themes,
        markdown=source.body,
        source=source,
        pictures=pictures,
    )
    return project, links


def _theme_problem(tag: str) -> str | None:
    """Why `tag` cannot be a theme, or None."""
    if len(tag) > THEME_LIMIT:
        return f"es ist {len(tag)} Zeichen lang"
    if bad := unsafe_character(tag, _MARKUP_IN_THEME):
        return f"es enthält das Zeichen {bad}"
    return None
