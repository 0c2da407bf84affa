"""Front matter fields, checked one by one; each failure says what is wrong and what is allowed."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Sequence
from typing import Any

from .problems import Problem, cut
from .source import Source

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# German words editors may write for a key, "titel:" for "title:"; the suggestion names the key to use.
_GERMAN_KEYS = {
    "titel": "title", "datum": "date", "beschreibung": "description", "anreisser": "description",
    "anreißer": "description", "entwurf": "draft", "bild": "image", "bildbeschreibung": "image_alt",
    "alt": "image_alt", "kurzname": "short", "traeger": "organisation", "träger": "organisation",
    "ort": "location", "bundesland": "state", "land": "state", "webseite": "website",
    "e-mail": "email", "mail": "email", "themen": "tags",
    "thema": "tags", "schlagworte": "tags", "ausblenden": "hide",
}  # fmt: skip


class Fields:
    """Reads typed values from a Source's front matter, collecting problems instead of raising."""

    def __init__(self, source: Source, problems: list[Problem], allowed: Sequence[str]):
        """`allowed` is the closed list of keys of this kind of file: any other key is a problem, so that
        a misspelled key is not silently ignored and nothing unchecked reaches a template."""
        self.source = source
        self.problems = problems
        for key in source.meta:
            if key not in allowed:
                self.fail(key, f"Unbekannter Schlüssel „{cut(key, 40)}“ im Kopfbereich.{_suggestion(key, allowed)} "
                          f"Erlaubt sind: {', '.join(allowed)}.")

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.source.path, self.source.line_of(key), message))

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.source.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, f"Pflichtfeld „{key}“ fehlt im Kopfbereich. Erlaubt ist ein Text, z. B. „{key}: …“.")
            return None
        if not isinstance(value, str):
            self.fail(key, f"„{key}“ muss ein Text sein, nicht {_describe(value)}. Text in Anführungszeichen setzen.")
            return None
        return value.strip()

    def date(self, key: str) -> datetime.date | None:
        value = self.source.meta.get(key)
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if value is None:
            self.fail(key, f"Pflichtfeld „{key}“ fehlt im Kopfbereich. Erlaubt ist ein Datum der Form JJJJ-MM-TT, z. B. „{key}: 2024-12-13“.")
        else:
            self.fail(key, f"„{key}: {cut(value)}“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT, z. B. „{key}: 2024-12-13“.")
        return None

    def flag(self, key: str) -> bool:
        value = self.source.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"„{key}: {cut(value)}“ ist nicht erlaubt. Erlaubt sind „{key}: true“ und „{key}: false“.")
            return False
        return value

    def text_list(self, key: str) -> list[str]:
        value = self.source.meta.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"„{key}“ muss eine Liste von Texten sein, z. B. „{key}: [Alleinerziehende, Mobilität]“.")
            return []
        return [v.strip() for v in value]

    def choices(self, key: str, allowed: Sequence[str]) -> list[str]:
        """A list of words from `allowed`, e.g. "hide: [navigation, toc]"."""
        value = self.source.meta.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            self.fail(key, f"„{key}: {cut(value)}“ ist nicht erlaubt. Erlaubt ist eine Liste aus "
                      f"{', '.join(allowed)}, z. B. „{key}: [{allowed[0]}]“.")
            return []
        return list(value)


def _suggestion(key: str, allowed: Sequence[str]) -> str:
    """ „Gemeint ist vielleicht …“ for a misspelled or German key, or nothing."""
    folded = key.strip().casefold()
    meant = _GERMAN_KEYS.get(folded)
    if meant not in allowed:
        close = difflib.get_close_matches(folded, allowed, n=1, cutoff=0.6)
        meant = close[0] if close else None
    return f" Gemeint ist vielleicht „{meant}“." if meant else ""


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "ein Wahrheitswert"
    if isinstance(value, (int, float)):
        return "eine Zahl"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "ein Datum"
    if isinstance(value, list):
        return "eine Liste"
    return "eine Zuordnung"
