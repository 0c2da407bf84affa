"""Warnings: what builds, but hurts readers or reach. `rundbrief check` reports them; builds do not fail."""

from __future__ import annotations

import re

from .content import Content
from .linkedin import HOOK_LIMIT, hook
from .model import Issue
from .problems import NOTE, WARNING, Problem
from .source import Source

_PLACEHOLDER = re.compile(r"\[PLATZHALTER\b")  # the marker for facts still to be filled in
_NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-|$)")
# What `rundbrief setup github|gitlab` writes: a build on a schedule, which makes scheduled issues appear
RECIPES = (".github/workflows/rundbrief.yml", ".gitlab-ci.yml")


def review(content: Content, pages: dict[str, str]) -> list[Problem]:
    """`pages` maps the legal pages (Impressum, Datenschutz, …) by path to their text."""
    warnings: list[Problem] = []
    for issue in content.all_issues:
        warnings += _issue(issue)
    # A profile linked by an issue still being written is not forgotten: the preview lists it, as a draft.
    coming = {slug for issue in content.drafts + content.scheduled for slug, _ in issue.linked_projects()}
    for project in content.projects:
        if not project.mentions and project.slug not in coming:
            warnings.append(_warn(project.path, 1, (
                "Keine Ausgabe verweist auf dieses Projekt. Erlaubt ist das, aber das Profil ist nur über "
                "das Verzeichnis zu finden: in einer Ausgabe mit [Name](../projects/"
                f"{project.slug}.md) verlinken.")))
        warnings += _field_placeholders(project.path, project.source)
        warnings += _placeholders(project.path, project.source.body, project.source.body_line,
                                  "Vor der Veröffentlichung die Angaben des Projekts eintragen.")
    for path, text in pages.items():
        warnings += _placeholders(path, text, 1, "Vor der Veröffentlichung die Angaben des Betreibers eintragen.")
    return warnings


def schedule(content: Content, recipe: bool) -> list[Problem]:
    """Each issue not yet due, with its moment; and a warning if the project has no `recipe`, a build
    on a schedule, so that the issue would wait for someone to build by hand."""
    pending = content.pending()
    notes = [Problem(issue.path, issue.source.line_of("date"), (
        f"{content.planned(issue)}. Bis dahin zeigt sie nur die Vorschau; die Website zeigt sie ab dem ersten Bau "
        "zu diesem Zeitpunkt."), NOTE) for issue in pending]
    if pending and not recipe:
        notes.append(_warn(pending[0].path, pending[0].source.line_of("date"), (
            "Geplante Ausgaben erscheinen erst mit dem ersten Bau nach ihrem Zeitpunkt, aber das Projekt hat keinen "
            f"Zeitplan, der baut und veröffentlicht ({' oder '.join(RECIPES)}). Erlaubt ist das, wenn dann jemand von "
            "Hand baut; sonst „rundbrief setup github“ oder „rundbrief setup gitlab“ aufrufen.")))
    return notes


def _placeholders(path: str, text: str, first_line: int, todo: str) -> list[Problem]:
    return [
        _warn(path, first_line + index, f"Platzhalter noch nicht ersetzt. {todo}")
        for index, line in enumerate(text.split("\n"))
        if _PLACEHOLDER.search(line)
    ]


def _field_placeholders(path: str, source: Source) -> list[Problem]:
    """Placeholders in the front matter: the directory, the portraits and the feeds show these fields."""
    warnings = []
    for key, value in source.meta.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and _PLACEHOLDER.search(v) for v in values):
            warnings.append(_warn(path, source.line_of(key), (
                f"Platzhalter in „{key}:“ noch nicht ersetzt. Verzeichnis, Porträts und Feeds zeigen dieses Feld: "
                "vor der Veröffentlichung die Angabe des Projekts eintragen oder die Zeile löschen, wenn sie "
                "freiwillig ist.")))
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
    first: dict[str, int] = {}
    for item in (item for section in issue.sections for item in section.items):
        line = first.setdefault(item.title.casefold(), item.line)
        if line != item.line:
            warnings.append(_warn(issue.path, item.line, (
                f"Der Beitrag „{item.title}“ steht schon in Zeile {line}. Erlaubt ist das, aber wohl ist er doppelt "
                "eingefügt: einen der beiden löschen oder anders betiteln.")))
    if issue.draft:
        warnings += [
            _warn(issue.path, section.line, (
                f"Der Abschnitt „{section.name}“ hat noch keinen Beitrag. Erlaubt ist das nur im Entwurf: vor "
                "dem Veröffentlichen einen Beitrag „### …“ ergänzen oder den Abschnitt löschen."))
            for section in issue.sections
            if not section.items
        ]
        if not issue.sections:
            warnings.append(_warn(issue.path, source.body_line, (
                "Die Ausgabe hat noch keinen Abschnitt. Erlaubt ist das nur im Entwurf: vor dem Veröffentlichen "
                "Abschnitte „## …“ mit Beiträgen „### …“ ergänzen.")))
    if (named := _NAME_DATE.match(issue.name)) and named.group(1) != issue.date.isoformat():
        warnings.append(_warn(issue.path, source.line_of("date"), (
            f"Das Datum im Dateinamen ({named.group(1)}) weicht von „date: {issue.date.isoformat()}“ ab. "
            f"Erlaubt ist das, aber leichter zu finden ist die Ausgabe, wenn beide gleich sind: die Datei in "
            f"„{issue.date.isoformat()}{issue.name[len(named.group(1)):]}.md“ umbenennen oder das Datum prüfen.")))
    return warnings


def _warn(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, WARNING)
