"""Warnings: what builds, but hurts readers or reach. `rundbrief check` reports them; builds do not fail."""

from __future__ import annotations

import re

from .content import Content
from .linkedin import HOOK_LIMIT, hook
from .model import Issue
from .problems import WARNING, Problem

_PLACEHOLDER = re.compile(r"\[PLATZHALTER\b")  # the marker the legal pages ship with


def review(content: Content, pages: dict[str, str]) -> list[Problem]:
    """`pages` maps the legal pages (Impressum, Datenschutz, …) by path to their text."""
    warnings: list[Problem] = []
    for issue in content.all_issues:
        warnings += _issue(issue)
    for project in content.projects:
        if not project.mentions:
            warnings.append(_warn(project.path, 1, (
                "Keine Ausgabe verweist auf dieses Projekt. Erlaubt ist das, aber das Profil ist nur über "
                "das Verzeichnis zu finden: in einer Ausgabe mit [Name](../projects/"
                f"{project.slug}.md) verlinken.")))
    for path, text in pages.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if _PLACEHOLDER.search(line):
                warnings.append(_warn(path, number, (
                    "Platzhalter noch nicht ersetzt. Vor der Veröffentlichung die Angaben des Betreibers eintragen.")))
    return warnings


def _issue(issue: Issue) -> list[Problem]:
    warnings = []
    source = issue.source
    if not issue.description:
        warnings.append(_warn(issue.path, source.line_of("title"), (
            "Die Ausgabe hat keinen Anreißer. Archiv, Startseite, Feeds und LinkedIn zeigen dann nur den Titel: "
            "ein bis zwei Sätze unter „description:“ ergänzen.")))
    elif hook(issue).endswith("…"):
        warnings.append(_warn(issue.path, source.line_of("description"), (
            f"Der erste Satz des Anreißers ist länger als {HOOK_LIMIT} Zeichen; LinkedIn schneidet ihn vor "
            "„…mehr anzeigen“ ab. Erlaubt ist das, aber ein kürzerer erster Satz wirkt besser.")))
    return warnings


def _warn(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, WARNING)
