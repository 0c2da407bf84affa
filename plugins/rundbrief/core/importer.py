"""Importing old newsletters, saved as plain text or HTML copied from the old website, into issues.

A copy has a header line "13.12.2024: Die Vernetzungsstelle informiert", the section names on lines
of their own, paragraphs, and the website's frame around it: navigation, the repeated newsletter
title, the call to be featured and the funding notice at the end. Every paragraph of a section becomes
an item whose heading is drafted from its first sentence, unless the copy gives the item a heading of
its own. Imported text stays text: whatever Markdown or HTML would read as markup is escaped."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from w3lib.encoding import html_body_declared_encoding, read_bom

from .model import Project
from .scaffold import front_matter
from .os_errors import error_name
from .source import MAX_BYTES, megabytes
from .text import cut_at_word, sentences

_HEADER = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[:–—−-]\s*(.+)$")
HEADING_LIMIT = 80
QUOTE_LIMIT = 100  # of a copy's text quoted in a message

# Words of the old website's navigation, standing alone on a line or joined as a breadcrumb.
_NAVIGATION = {
    "start", "startseite", "home", "aktuelles", "news", "newsletter", "über uns", "das programm",
    "programm", "projekte", "vernetzungsstelle", "kontakt", "impressum", "datenschutz",
    "datenschutzerklärung", "barrierefreiheit", "erklärung zur barrierefreiheit", "menü", "navigation",
    "suche", "zurück", "nach oben", "zum seitenanfang", "teilen", "artikel teilen", "drucken",
    "seite drucken", "zur übersicht", "zurück zur übersicht", "mehr", "weiterlesen", "login", "sitemap",
    "direkt zum inhalt", "zum inhalt springen", "sie sind hier", "linkedin", "xing", "e-mail",
    "facebook", "mastodon", "instagram",
}
_BREADCRUMB = re.compile(r"\s*[|>»›·•:/]\s*")
# The call to be featured and the funding notice close every issue; nothing after them is an item.
# Lookaheads only from the start (\A): tried at every position, each would scan the rest of the block,
# and a paragraph of a megabyte would take hours.
_CLOSING = [
    re.compile(r"\A(?=.*\bIhre?[mns]? Projekt)(?=.*\b(LinkedIn|Website|Webseite|Homepage|Internetseite)\b)", re.I | re.S),
    # „Möchten auch Sie, dass wir über Ihre Arbeit … berichten, dann melden Sie sich gerne unter …“
    re.compile(r"\A(?=.*\b(möchten|wollen|wünschen)\s+(auch\s+)?Sie\b)(?=.*\b(berichten|vorstellen|präsentieren)\b)"
               r"(?=.*\b(melden|schreiben|wenden)\s+Sie\b)", re.I | re.S),
    re.compile(r"^(Kofinanziert von der Europäischen Union|Gefördert (durch|vom|von)\b)", re.I),
    re.compile(r"\A(?=.*\b(gefördert|kofinanziert)\b)(?=.*(Europäische\w* Union|Sozialfonds))"
               r"(?=.*(Bundesministerium für Arbeit und Soziales|BMAS))", re.I | re.S),
    re.compile(r"^(©|Copyright)", re.I),
]
# Characters a copy carries that no reader sees: soft hyphens, zero-width spaces, a stray BOM.
_INVISIBLE_CHARACTERS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_LINE_BREAKS = re.compile(r"[\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MINUS_AS_DASH = re.compile(r"(?<!\S)\u2212(?!\S)")  # "Geste − GemeinsamSTARK"
_SENTENCE_END = (".", "!", "?", ":", ";", ",", "…")
# A sentence that only pointed at a link, whose address the copy lost: „Die Sendung können Sie hier
# nachhören.“ Without the link it points at nothing.
_DEAD_LINK = re.compile(
    r"\bhier\s*[.!]?$|\bhier\s+(nach|an|ab|herunter|down)?(lesen|hören|sehen|rufen|laden|finden)\b"
    r"|^Hier\s+(geht'?s|geht es|gelangen Sie|können Sie|finden Sie|lesen Sie|hören Sie|erfahren Sie)\b"
    r"|\b(unter|über) diesem Link\b", re.I)


@dataclass(frozen=True)
class Block:
    """A paragraph of a copy, or a line standing alone, as plain text."""

    text: str
    heading: bool = False  # an h1…h6 or bold line in HTML; in a text copy, a short line of its own without a full stop


@dataclass
class Copy:
    """The blocks of an old newsletter, and what an editor should know about how the file was read."""

    blocks: list[Block]
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """An old newsletter as a draft issue file, and what could not be placed in it."""

    date: datetime.date
    title: str
    markdown: str
    items: dict[str, int]  # the number of items per section, in the configured order
    unmapped: list[str] = field(default_factory=list)
    dead_links: list[str] = field(default_factory=list)  # sentences left out: they pointed at a lost link


class NotImportable(ValueError):
    """The file cannot become an issue; the message says why, in German."""


def read_copy(path: Path, sections: Sequence[str]) -> Copy:
    """Reads a saved page or text copy. Raises NotImportable for what is not one."""
    if path.is_dir():
        raise NotImportable("Das ist ein Ordner. Erlaubt sind Dateien mit einer alten Ausgabe als Text (.txt) "
                            "oder HTML (.html).")
    try:
        size, data = path.stat().st_size, b""
        if size <= MAX_BYTES:  # a pipe or /dev/stdin says 0, whatever comes: never read more than allowed
            with path.open("rb") as file:
                data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise NotImportable("Diese Datei gibt es nicht.") from None
    except PermissionError:
        raise NotImportable("Die Datei darf nicht gelesen werden: Es fehlen die Leserechte.") from None
    except OSError as e:
        raise NotImportable(f"Die Datei kann nicht gelesen werden ({error_name(e.errno)}).") from None
    if size > MAX_BYTES or len(data) > MAX_BYTES:  # the draft would be refused by every build
        found = f"{megabytes(size)} MB groß" if size > MAX_BYTES else f"größer als {megabytes(MAX_BYTES)} MB"
        raise NotImportable(f"Die Datei ist {found}. Erlaubt ist höchstens 1 MB je Datei, wie für jede Ausgabe: "
                            "die Seite ohne Bilder speichern („Nur HTML“) oder den Text kopieren und als .txt "
                            "speichern.")
    html = path.suffix.lower() in (".html", ".htm") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    text, notes = decode(data, html)
    if html or text.lstrip().startswith("<"):
        return Copy(blocks_from_html(text), notes)
    return Copy(blocks_from_text(text, sections), notes)


def decode(data: bytes, html: bool) -> tuple[str, list[str]]:
    """The text of a file: by its byte order mark, else the charset its HTML declares, else UTF-8;
    what is none of these is read as Windows-1252, the old Windows default, and said so."""
    encoding, mark = read_bom(data)
    if encoding and mark:
        try:
            return data[len(mark):].decode(encoding), []
        except UnicodeDecodeError:
            raise NotImportable(
                f"Die Datei beginnt mit der Kennung von {encoding.upper()}, ist aber nicht so gespeichert. "
                "Erlaubt sind Text- und HTML-Dateien, wie der Browser sie speichert.") from None
    if b"\x00" in data:
        raise NotImportable("Das ist keine Text- oder HTML-Datei. Erlaubt sind alte Ausgaben als Text (.txt) oder "
                            "HTML (.html), wie der Browser sie speichert.")
    notes = []
    declared = html_body_declared_encoding(data) if html else None
    if declared:
        try:
            return data.decode(declared), []
        except UnicodeDecodeError:
            notes.append(f"Die Datei gibt die Zeichenkodierung {declared} an, ist aber nicht so gespeichert.")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        notes.append(f"Die Datei ist nicht in UTF-8 gespeichert (erstes anderes Zeichen in Zeile {line}) und wurde "
                     "als Windows-1252 gelesen. Bitte Umlaute und Sonderzeichen prüfen.")
        return data.decode("cp1252", errors="replace"), notes


def _clean(line: str) -> str:
    """One line as a reader saw it: single spaces, no invisible characters, a dash where the copy has a minus."""
    line = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", line.translate(_INVISIBLE_CHARACTERS)))
    return _MINUS_AS_DASH.sub("–", " ".join(line.split()))


def blocks_from_text(text: str, sections: Sequence[str]) -> list[Block]:
    """Paragraphs of a text copy; a header line, a section name or a navigation word is a block of its own."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            alone = len(paragraph) == 1
            blocks.append(Block(" ".join(paragraph), heading=alone and _looks_like_heading(paragraph[0])))
            paragraph.clear()

    for raw in _LINE_BREAKS.sub("\n", text).splitlines():
        line = _clean(raw)
        if not line or _section(line, sections) or _HEADER.match(line) or _is_navigation(line):
            end_paragraph()
            if line:
                blocks.append(Block(line))
        else:
            paragraph.append(line)
    end_paragraph()
    return blocks


def _looks_like_heading(line: str) -> bool:
    return len(line) <= HEADING_LIMIT and not line.endswith(_SENTENCE_END)


_INVISIBLE = ("script", "style", "title", "noscript", "template")


class _Blocks(HTMLParser):
    """The text of an HTML page as blocks: every block element ends one, and so does `<br><br>`.
    Headings, and a bold line above a paragraph's text, are headings of the blocks that follow."""

    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
             "header", "footer", "nav", "main", "blockquote", "td", "tr", "table", "figure", "figcaption"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    BOLD = {"b", "strong"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lines: list[tuple[str, bool]] = []  # the current block's lines up to each <br>: text, all bold
        self.line: list[tuple[str, bool]] = []  # the current line's pieces: text, bold
        self.heading = False  # the current block is an h1…h6
        self.skip = 0  # inside script, style or the head's title
        self.bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.skip += 1
        elif tag == "br":
            self._break()
        elif tag in self.BOLD:
            self.bold += 1
        elif tag in self.BLOCK:
            self.end()
            self.heading = tag in self.HEADINGS

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag in self.BLOCK:
            self.end()

    def parse_html_declaration(self, i: int) -> int:
        # Browsers read "<![…>" outside SVG as a comment; Python's parser before 3.13 fails on a malformed one.
        if self.rawdata.startswith("<![", i):
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.line.append((data, self.bold > 0))

    def _break(self) -> None:
        text = _clean("".join(piece for piece, _ in self.line))
        self.lines.append((text, bool(text) and all(bold for piece, bold in self.line if piece.strip())))
        self.line = []

    def end(self) -> None:
        self._break()
        lines, self.lines = self.lines, []
        heading, self.heading = self.heading, False
        paragraph: list[tuple[str, bool]] = []
        for text, bold in lines + [("", False)]:
            if text:
                paragraph.append((text, bold))
                continue
            if len(paragraph) > 1 and paragraph[0][1]:  # <strong>Titel</strong><br>Text
                self.blocks.append(Block(paragraph[0][0], heading=True))
                paragraph = paragraph[1:]
            if paragraph:
                joined = " ".join(text for text, _ in paragraph)
                bold = all(bold for _, bold in paragraph) and _looks_like_heading(joined)
                self.blocks.append(Block(joined, heading=heading or bold))
            paragraph = []


def blocks_from_html(html: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser.end()
    return parser.blocks


@dataclass
class _Item:
    """An item as the copy gives it: its heading, if it has one, and its paragraphs."""

    heading: str | None  # None: drafted from the first paragraph
    paragraphs: list[str] = field(default_factory=list)


def convert(blocks: Sequence[Block], sections: Sequence[str], projects: Sequence[Project]) -> Imported:
    """Maps the blocks of an old newsletter onto a draft issue. Raises NotImportable without a valid header."""
    start = next((i for i, block in enumerate(blocks) if _HEADER.match(block.text)), None)
    if start is None:
        raise NotImportable("Keine Kopfzeile der Form „13.12.2024: Die Vernetzungsstelle informiert“ gefunden.")
    header = blocks[start].text
    day, month, year, title = _HEADER.match(header).groups()  # type: ignore[union-attr]
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise NotImportable(f"Die Kopfzeile „{_quote(header)}“ nennt kein gültiges Datum: "
                            f"den {day}.{month}.{year} gibt es nicht. Erlaubt ist TT.MM.JJJJ, z. B. 13.12.2024.") from None
    title = title.strip()

    def frame(block: Block) -> bool:
        return block.text.casefold() == title.casefold() or _is_navigation(block.text) or _closes(block.text)

    def text(block: Block) -> bool:
        return not block.heading and not _section(block.text, sections) and not frame(block)

    unmapped = [block.text for block in blocks[:start] if not frame(block)]
    intro: list[str] = []
    body: dict[str, list[_Item]] = {}
    section: str | None = None
    headed: _Item | None = None  # the item the copy gave a heading; the paragraphs after it are its text
    rest = blocks[start + 1 :]
    for index, block in enumerate(rest):
        following = rest[index + 1] if index + 1 < len(rest) else None
        if name := _section(block.text, sections):
            section, headed = name, None
            body.setdefault(section, [])
        elif section is not None and _closes(block.text):
            unmapped += [later.text for later in rest[index + 1 :] if not frame(later)]
            break
        elif frame(block):
            continue
        elif section is None:
            intro.append(block.text)
        elif block.heading and following is not None and text(following):
            headed = _Item(block.text)
            body[section].append(headed)
        elif headed is not None:
            headed.paragraphs.append(block.text)
        else:
            body[section].append(_Item(None, [block.text]))

    dead: list[str] = []
    intro = _readable(intro, dead)
    for items_of_section in body.values():
        for item in items_of_section:
            item.paragraphs = _readable(item.paragraphs, dead)
    parts = [_markdown(paragraph, projects) for paragraph in intro]
    items: dict[str, int] = {}
    for name in sections:  # in the configured order, whatever the copy's order
        if body.get(name):
            parts.append(f"## {name}")
            for item in body[name]:
                parts.append(f"### {_escape(item.heading or _heading(item.paragraphs[0]))}")
                parts += [_markdown(paragraph, projects) for paragraph in item.paragraphs]
            items[name] = len(body[name])
    front = front_matter({"title": title, "date": date, "draft": True})
    return Imported(date, title, front + "\n" + "\n\n".join(parts) + "\n", items, unmapped, dead)


def _readable(paragraphs: list[str], dead: list[str]) -> list[str]:
    """The paragraphs without the sentences that pointed at a lost link, which go to `dead`; where
    nothing else would be left, as they were."""
    kept: list[str] = []
    left_out: list[str] = []
    for paragraph in paragraphs:
        whole = sentences(paragraph) or [paragraph]
        remaining = [sentence for sentence in whole if not _DEAD_LINK.search(sentence.strip())]
        left_out += [sentence for sentence in whole if sentence not in remaining]
        if remaining:
            kept.append(paragraph if len(remaining) == len(whole) else " ".join(s.strip() for s in remaining))
    if not kept:
        return paragraphs
    dead += left_out
    return kept


def _section(line: str, sections: Sequence[str]) -> str | None:
    """The configured section a line names, in any case and with a colon: "VERNETZT:" is Vernetzt."""
    key = line.rstrip(":").strip().casefold()
    return next((name for name in sections if name.casefold() == key), None)


def _is_navigation(line: str) -> bool:
    """A navigation word, or a breadcrumb or share line made only of them."""
    return all(part.casefold() in _NAVIGATION for part in _BREADCRUMB.split(line) if part)


def _closes(block: str) -> bool:
    return any(pattern.search(block) for pattern in _CLOSING)


def _quote(text: str) -> str:
    return cut_at_word(text, QUOTE_LIMIT) if len(text) > QUOTE_LIMIT else text


def _heading(paragraph: str) -> str:
    """A heading drafted from the paragraph's first sentence, at most HEADING_LIMIT characters. A "sentence"
    of one or two words ("12." before "November: …") takes the next one with it."""
    first, *rest = sentences(paragraph) or [paragraph]
    for sentence in rest:
        if len(first.split()) > 2:
            break
        first = f"{first} {sentence}"
    first = first.rstrip(".!:;")
    return cut_at_word(first, HEADING_LIMIT) if len(first) > HEADING_LIMIT else first


# What Markdown, its extensions on the site (attr_list, admonition, betterem) or HTML would read as
# markup. A star or underscore between two letters stays: betterem keeps "Mitstreiter*innen" a word.
_MARKUP = re.compile(r"[\\`\[\]{}#]|(?<![^\W_])[*_]|[*_](?![^\W_])|<|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(?:[-+>!]|\d+(?=\.\s))")  # a list, quote, admonition or rule


def _escape(text: str, *, start: bool = True) -> str:
    """Plain text as Markdown that shows exactly this text: no HTML, no comment, no link, no emphasis."""
    text = _MARKUP.sub(_escape_markup, text)
    return _BLOCK_START.sub(lambda m: m[0] + "\\" if m[0].isdigit() else "\\" + m[0], text) if start else text


def _escape_markup(match: re.Match[str]) -> str:
    return {"<": "&lt;", "&": "&amp;"}.get(match[0], "\\" + match[0])


def _markdown(paragraph: str, projects: Sequence[Project]) -> str:
    """A paragraph as escaped Markdown, with the first mention of each known project linked to its profile."""
    spans: list[tuple[int, int, str]] = []
    for project in projects:
        names = [project.title] + ([project.short] if project.short else [])
        for name in sorted(names, key=len, reverse=True):
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", paragraph)
            if match and not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), project.slug))
                break
    parts, done = [], 0
    for begin, end, slug in sorted(spans):
        parts += [_escape(paragraph[done:begin], start=not done),
                  f"[{_escape(paragraph[begin:end], start=False)}](../projects/{slug}.md)"]
        done = end
    parts.append(_escape(paragraph[done:], start=not done))
    return "".join(parts)
