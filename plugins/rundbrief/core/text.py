"""Text helpers shared by parsing, pages and feeds: anchors, plain text, German dates."""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import re
import unicodedata
from zoneinfo import ZoneInfo

import markdown
from babel.dates import format_date
from sentencex import segment
from slugify import slugify

BERLIN = ZoneInfo("Europe/Berlin")  # the newsletter's time zone: an issue's date is a date there
_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"]]
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[\\`*_\[\]<>&]")
# Anchors name files too (an item's LinkedIn text, a theme's folder), and file systems take 255 bytes
# a name: a longer anchor is cut and kept unique by a short hash of the whole.
MAX_ANCHOR = 100
# Every control character and what it may do where text is shown. One definition: the content's
# checks, the names of its files and what the command prints all take their sets from here.
_CONTROLS = frozenset(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)]))  # C0, DEL and C1 (Unicode's Cc)
# Those that open a terminal's control sequences (which can change its title or hide text): ESC, DCS,
# SOS, CSI, OSC, PM, APC; and those that reverse the direction of text, so that what is shown is not
# what is written. No German text needs one (the marks U+200E and U+200F stay: they reorder nothing on
# their own).
_SEQUENCES = frozenset("\x1b\x90\x98\x9b\x9d\x9e\x9f")
_DIRECTION = frozenset("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LAYOUT = frozenset("\t\n\r\x85")  # tab and the line breaks; U+0085 is one to YAML, refused in front matter


def _one_of(characters: frozenset[str]) -> re.Pattern[str]:
    return re.compile(f"[{''.join(sorted(characters))}]")


# Refused in content, at their line.
REFUSED_CONTROL = _one_of(_SEQUENCES | _DIRECTION)
# The other control characters, which text pasted from PDF or Word brings along: each becomes a space
# where a file is read, so that no output holds one.
STRIPPED_CONTROL = _one_of(_CONTROLS - _SEQUENCES - _LAYOUT)
# Refused in the name of a file or folder, tab and line breaks included.
CONTROL = _one_of(_CONTROLS | _DIRECTION)
# What a terminal acts on rather than shows: all but tab and newline, which lay out what is printed.
TERMINAL_CONTROL = _one_of(_CONTROLS - frozenset("\t\n") | _DIRECTION)
_CONTROL_NAMES = {"\x1b": "Escape", "\u202e": "Umkehrung der Schreibrichtung"}
_INVISIBLE = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}  # control, format, unassigned, private use, line breaks

# The same Markdown dialect as the site, so that "Mitstreiter*innen" stays a word in plain text too.
_inline = markdown.Markdown(
    extensions=["pymdownx.betterem"],
    extension_configs={"pymdownx.betterem": {"smart_enable": "all"}},
)


@functools.lru_cache(maxsize=4096)  # section names and themes recur in every file
def anchor(text: str) -> str:
    """A stable, readable anchor id: "Größe – Bus" becomes "groesse-bus". At most MAX_ANCHOR
    characters, all ASCII, so that it is a valid file name too."""
    slug = slugify(text, replacements=_GERMAN) or "abschnitt"
    if len(slug) <= MAX_ANCHOR:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[: MAX_ANCHOR - len(digest) - 1].rstrip('-')}-{digest}"


def plain_text(markdown_text: str) -> str:
    """Markdown to plain text: markup gone, entities decoded, gender stars kept."""
    if not _MARKUP.search(markdown_text):  # most headings: no need to run Markdown
        return markdown_text.strip()
    return html_to_text(_inline.reset().convert(markdown_text))


def html_to_text(markup: str) -> str:
    """HTML to plain text: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", markup)).strip()


@functools.lru_cache(maxsize=1024)
def german_date(value: datetime.date) -> str:
    """13. Dezember 2024"""
    return format_date(value, format="d. MMMM y", locale="de_DE")


def published_at(value: datetime.date, time_of_day: datetime.time) -> datetime.datetime:
    """The moment an issue dated `value` appears, at `time_of_day` in Berlin."""
    return datetime.datetime.combine(value, time_of_day, BERLIN)


def today() -> datetime.date:
    """Today in the newsletter's time zone."""
    return datetime.datetime.now(BERLIN).date()


def sentences(text: str) -> list[str]:
    """German sentences: "12. November" and "e.V." end none."""
    return [sentence.strip() for sentence in segment("de", text) if sentence.strip()]


def cut_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word and marked with "…"."""
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"


def unsafe_character(text: str, refused: str) -> str | None:
    """The first character of `text` that is in `refused` or invisible, as editors can read it in a
    message: „<“, or U+0081 for what cannot be shown."""
    bad = next((c for c in text if c in refused or unicodedata.category(c) in _INVISIBLE), None)
    if bad is None:
        return None
    return f"„{bad}“" if bad.isprintable() else f"U+{ord(bad):04X}"


def control_name(char: str) -> str:
    """A refused control character as editors can read it in a message: "U+001B (Escape)"."""
    name = _CONTROL_NAMES.get(char) or ("Steuerzeichen für das Terminal" if char <= "\x9f"
                                        else "Steuerzeichen der Schreibrichtung")
    return f"U+{ord(char):04X} ({name})"
