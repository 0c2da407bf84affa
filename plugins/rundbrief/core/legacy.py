"""Importing old newsletters, saved as plain text or HTML copied from the old website, into issues.

A copy has a header line "13.12.2024: Die Vernetzungsstelle informiert", the section names on lines
of their own, paragraphs, and the website's boilerplate around it. Every paragraph of a section
becomes an item whose heading is drafted from its first sentence; the text stays as it was."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .model import Project
from .scaffold import front_matter
from .text import cut_at_word, sentences

_HEADER = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[:–-]\s*(.+)$")
HEADING_LIMIT = 80

# Words of the old website's navigation, standing alone on a line.
_NAVIGATION = {
    "start", "startseite", "home", "aktuelles", "news", "newsletter", "über uns", "das programm",
    "programm", "projekte", "vernetzungsstelle", "kontakt", "impressum", "datenschutz",
    "datenschutzerklärung", "barrierefreiheit", "erklärung zur barrierefreiheit", "menü", "navigation",
    "suche", "zurück", "nach oben", "teilen", "drucken", "seite drucken", "zur übersicht", "mehr",
    "weiterlesen", "login", "sitemap", "direkt zum inhalt", "zum inhalt springen",
}
# The call to be featured and the funding notice, which every issue repeated.
_BOILERPLATE = [
    re.compile(r"\b(vorstellen|präsentieren|vorgestellt werden)\b.*\b(LinkedIn|Website|Webseite|Homepage)\b", re.I),
    re.compile(r"^Sie möchten Ihr Projekt", re.I),
    re.compile(r"Kofinanziert von der Europäischen Union", re.I),
    re.compile(r"^Gefördert (durch|vom|von)\b", re.I),
    re.compile(r"^(©|Copyright)", re.I),
]


@dataclass
class Imported:
    """An old newsletter as an issue file, and what could not be placed in it."""

    date: datetime.date
    title: str
    markdown: str
    unmapped: list[str] = field(default_factory=list)


class NoHeader(ValueError):
    """The copy has no line "TT.MM.JJJJ: Titel"."""


def blocks_from_text(text: str, sections: Sequence[str]) -> list[str]:
    """Paragraphs of a text copy; a header line or a section name is a block of its own."""
    blocks: list[str] = []
    paragraph: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        standalone = line in sections or _HEADER.match(line) or line.casefold() in _NAVIGATION
        if not line or standalone:
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            if line:
                blocks.append(line)
        else:
            paragraph.append(line)
    if paragraph:
        blocks.append(" ".join(paragraph))
    return blocks


_INVISIBLE = ("script", "style", "title")


class _Blocks(HTMLParser):
    """The text of an HTML page as blocks: every block element ends one."""

    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
             "header", "footer", "nav", "main", "blockquote", "td", "tr", "table", "figure", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0  # inside script, style or the head's title

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.skip += 1
        elif tag in self.BLOCK or tag == "br":
            self._end()

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.skip -= 1
        elif tag in self.BLOCK:
            self._end()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _end(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def blocks_from_html(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._end()
    return parser.blocks


def convert(blocks: Sequence[str], sections: Sequence[str], projects: Sequence[Project]) -> Imported:
    """Maps the blocks of an old newsletter onto an issue. Raises NoHeader without a header line."""
    start = next((i for i, block in enumerate(blocks) if _HEADER.match(block)), None)
    if start is None:
        raise NoHeader("Keine Kopfzeile der Form „13.12.2024: Die Vernetzungsstelle informiert“ gefunden.")
    day, month, year, title = _HEADER.match(blocks[start]).groups()  # type: ignore[union-attr]
    date = datetime.date(int(year), int(month), int(day))
    unmapped = [block for block in blocks[:start] if not _is_boilerplate(block)]
    intro: list[str] = []
    body: dict[str, list[str]] = {}
    section: str | None = None
    for block in blocks[start + 1 :]:
        if block in sections:
            section = block
            body.setdefault(section, [])
        elif _is_boilerplate(block):
            continue
        elif section is None:
            intro.append(block)
        else:
            body[section].append(block)

    parts = [_link_projects(paragraph, projects) for paragraph in intro]
    for name in sections:  # in the configured order, whatever the copy's order
        if name in body:
            parts.append(f"## {name}")
            for paragraph in body[name]:
                parts += [f"### {_heading(paragraph)}", _link_projects(paragraph, projects)]
    front = front_matter({"title": title.strip(), "date": date})
    return Imported(date, title.strip(), front + "\n" + "\n\n".join(parts) + "\n", unmapped)


def _is_boilerplate(block: str) -> bool:
    return block.casefold() in _NAVIGATION or any(pattern.search(block) for pattern in _BOILERPLATE)


def _heading(paragraph: str) -> str:
    """A heading drafted from the paragraph's first sentence, at most HEADING_LIMIT characters."""
    first = next(iter(sentences(paragraph)), paragraph).rstrip(".!:;")
    return cut_at_word(first, HEADING_LIMIT) if len(first) > HEADING_LIMIT else first


def _link_projects(paragraph: str, projects: Sequence[Project]) -> str:
    """Links the first mention of each known project to its profile; the words stay as they were."""
    spans: list[tuple[int, int, str]] = []
    for project in projects:
        names = [project.title] + ([project.short] if project.short else [])
        for name in sorted(names, key=len, reverse=True):
            match = re.search(rf"(?<![\w\[]){re.escape(name)}(?!\w)", paragraph)
            if match and not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), project.slug))
                break
    for start, end, slug in sorted(spans, reverse=True):
        paragraph = f"{paragraph[:start]}[{paragraph[start:end]}](../projects/{slug}.md){paragraph[end:]}"
    return paragraph
