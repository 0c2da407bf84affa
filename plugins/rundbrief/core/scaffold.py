"""New files for editors: an issue with its section headings and hints, a profile from its fields."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import yaml

from .model import NEWSLETTERS
from .text import anchor

# What belongs in each of the default sections; other configured sections get the general hint.
HINTS = {
    "Vorgestellt": "Ein gefördertes Projekt im Porträt: Wer trägt es, wo arbeitet es, was ist besonders?",
    "Vernetzt": "Treffen und Veranstaltungen mit Partner*innen, je ein kurzer Bericht.",
    "Umgeschaut": "Fundstücke von anderswo: ein Radiobeitrag, eine Veröffentlichung, eine Empfehlung.",
}
ITEM_HINT = ("Jeder Beitrag beginnt mit einer Überschrift „### …“. "
             "Verweis auf ein Projekt: [KArAD](../projects/karad.md)")
SLUG_LIMIT = 60  # characters of the title in an issue's file name: short enough for every file system and link


def issue_text(title: str, date: datetime.date, sections: Sequence[str]) -> str:
    """A new issue: a draft until the editors remove `draft: true`."""
    front = front_matter({"title": title, "date": date, "description": "", "draft": True})
    parts = [
        front,
        "<!-- Anreißer: ein bis zwei Sätze unter „description“; der erste Satz erscheint auf LinkedIn\n"
        "     vor „…mehr anzeigen“. Zum Veröffentlichen die Zeile „draft: true“ löschen. -->\n",
        "<!-- Einleitung (freiwillig): ein, zwei Absätze vor dem ersten Abschnitt. -->\n",
    ]
    for name in sections:
        hint = HINTS.get(name, "Die Beiträge dieses Abschnitts.")
        parts.append(f"## {name}\n\n<!-- {hint}\n     {ITEM_HINT} -->\n")
    return "\n".join(parts)


def issue_path(date: datetime.date, title: str) -> str:
    """newsletters/<date>-<title as an anchor>.md, a long title cut after a whole word."""
    slug = anchor(title)
    if len(slug) > SLUG_LIMIT:
        cut = slug[: SLUG_LIMIT + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else ""
        slug = words if len(words) >= SLUG_LIMIT // 2 else slug[:SLUG_LIMIT].rstrip("-")
    return f"{NEWSLETTERS}/{date.isoformat()}-{slug}.md"


def project_text(fields: dict[str, object]) -> str:
    """A new profile with the given front matter fields (None leaves a field out)."""
    front = front_matter({key: value for key, value in fields.items() if value not in (None, [], "")})
    return front + "\n<!-- Freier Text über das Projekt: Wer es trägt, wen es erreicht, was es besonders macht. -->\n"


def front_matter(fields: Mapping[str, object]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=100) + "---\n"
