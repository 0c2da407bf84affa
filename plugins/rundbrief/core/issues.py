"""Parsing and validating one issue: front matter, then sections in order, each made of items."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .fields import Fields
from .images import front_matter_picture, markdown_pictures
from .markdown_scan import Line, ProjectLink, project_links, scan
from .model import NEWSLETTERS, Issue, Item, Section
from .pasted import pasted
from .problems import Problem, cut
from .schedule import issue_date
from .source import Source
from .text import anchor, plain_text

# The front matter of an issue; the types are those read below.
ISSUE_KEYS = ("title", "date", "description", "draft", "image", "image_alt")


def parse_issue(
    source: Source, name: str, sections: Sequence[str], problems: list[Problem]
) -> tuple[Issue | None, list[ProjectLink]]:
    """Parses an issue; returns None (and adds problems) when it cannot be published."""
    before = len(problems)
    fields = Fields(source, problems, ISSUE_KEYS)
    title = fields.text("title", required=True)
    date, time = issue_date(fields)
    description = fields.text("description")
    draft = fields.flag("draft")
    image = fields.text("image")
    image_alt = fields.text("image_alt")
    picture = front_matter_picture(source, image, image_alt, problems)

    body = _Body(source, sections, problems, draft=bool(draft))
    problems += pasted(source)
    pictures = markdown_pictures(source, NEWSLETTERS, problems)
    if len(problems) > before or title is None or date is None:
        return None, body.links
    issue = Issue(
        name=name,
        path=source.path,
        title=title,
        date=date,
        description=description,
        draft=draft,
        image=image,
        image_alt=image_alt,
        markdown=body.markdown,
        source=source,
        sections=body.sections,
        intro_projects=body.intro_projects,
        pictures=([picture] if picture else []) + pictures,
        time=time,
    )
    return issue, body.links


class _Body:
    """Walks the body once: checks the section structure, assigns anchors, collects profile links."""

    def __init__(self, source: Source, allowed: Sequence[str], problems: list[Problem], *, draft: bool):
        self.source = source
        self.allowed = list(allowed)
        self.problems = problems
        self.sections: list[Section] = []
        self.intro_projects: list[str] = []
        self.links: list[ProjectLink] = []
        self.ids = {anchor(name) for name in self.allowed}
        lines = source.body.split("\n")
        section: Section | None = None
        # After a heading that is no valid section, its items are not reported again as misplaced.
        lost = stray_reported = False
        problems_before = len(problems)
        reported_before: dict[int, int] = {}  # section line -> problems before it, to spare a second message

        for line in scan(source.body):
            number = source.body_line + line.index
            if self._misread(line, number):
                continue
            if line.level == 2:
                section = self._section(line.heading, number)
                if section:
                    reported_before[section.line] = len(problems)
                    lines[line.index] = f"## {line.heading} {{#{section.id}}}"
                lost, stray_reported = section is None, False
                continue
            if lost:
                continue
            if line.level == 3:
                item = self._item(line.heading, number, section)
                if item:
                    lines[line.index] = f"### {line.heading} {{#{item.id}}}"
                continue
            if line.level == 1:
                self._fail(number, "Überschriften der Ebene 1 („# …“) sind im Text nicht erlaubt: "
                           "der Titel steht im Kopfbereich unter „title“. Erlaubt sind „## Abschnitt“ und „### Beitrag“.")
                continue
            if section is not None and not section.items:
                if line.text.strip() and not stray_reported:
                    self._fail(number, f"Text im Abschnitt „{section.name}“ vor dem ersten Beitrag. "
                               "Jeder Beitrag beginnt mit einer Überschrift „### …“; Text gehört darunter.")
                    stray_reported = True
                continue
            self._links(line.text, number, section)
        self.markdown = "\n".join(lines)
        if not self.sections and len(problems) == problems_before and not draft:
            self._fail(source.body_line, "Die Ausgabe hat keinen Abschnitt und erschiene leer. Erlaubt sind "
                       f"Ausgaben mit mindestens einem Abschnitt ({', '.join('## ' + s for s in self.allowed)}), "
                       "jeweils mit Beiträgen „### …“.")
        for empty in (s for s in self.sections if not s.items and len(problems) == reported_before[s.line]):
            if not draft:  # a draft's empty sections are the template's, still to be filled: a warning
                self._fail(empty.line, f"Der Abschnitt „{empty.name}“ hat keinen Beitrag und erschiene als bloße "
                           "Überschrift. Erlaubt sind Abschnitte mit mindestens einem Beitrag „### …“; einen leeren "
                           "Abschnitt samt Überschrift löschen.")

    def _misread(self, line: Line, number: int) -> bool:
        """Headings Markdown sees differently than an editor would: reported with what to write instead."""
        hashes = "#" * line.level
        if line.unspaced and line.level == 1:
            self._fail(number, f"„{line.text.strip()}“ am Zeilenanfang macht Markdown zur Überschrift. Erlaubt ist "
                       f"ein Hashtag am Zeilenanfang mit einem Schrägstrich davor: „\\{line.text.strip()}“.")
        elif line.unspaced:
            self._fail(number, f"Nach „{hashes}“ fehlt ein Leerzeichen: Markdown liest „{line.text.strip()}“ als "
                       f"Überschrift. Gemeint ist vielleicht „{hashes} {line.heading}“. Erlaubt sind „## Abschnitt“ "
                       "und „### Titel des Beitrags“, mit Leerzeichen nach den Rauten.")
        elif line.level and not line.heading:
            self._fail(number, f"Die Überschrift „{hashes}“ ist leer. Erlaubt sind „## Abschnitt“ und „### Titel des "
                       "Beitrags“.")
        elif line.level in (2, 3) and ("{" in line.heading or "}" in line.heading):
            self._fail(number, f"Geschweifte Klammern in der Überschrift „{line.heading}“: Markdown liest „{{…}}“ in "
                       "Überschriften als Attribute. Erlaubt sind Überschriften ohne „{“ und „}“.")
        elif line.underline:
            marks = "=" if line.underline == 1 else "-"
            self._fail(number - 1, f"Die Zeile „{marks * 3}“ darunter macht diese Zeile zur Überschrift. Erlaubt sind "
                       "Überschriften der Form „## Abschnitt“ und „### Titel des Beitrags“; für eine Trennlinie eine "
                       "Leerzeile über „---“ lassen.")
        elif line.nested:
            where = "einem Zitat („> …“)" if line.nested == ">" else "einer Aufzählung"
            self._fail(number, f"Überschrift in {where}: Markdown macht daraus eine Überschrift mitten im Beitrag. "
                       "Erlaubt sind „## Abschnitt“ und „### Titel des Beitrags“ am Zeilenanfang, außerhalb von "
                       "Zitaten und Aufzählungen.")
        elif line.html_heading:
            self._fail(number, "Überschrift als HTML („<h1>“ bis „<h3>“). Erlaubt sind Überschriften in Markdown: "
                       "„## Abschnitt“ und „### Titel des Beitrags“.")
        else:
            return False
        return not (line.unspaced and line.level > 1)  # "##Vernetzt" is still the heading Markdown makes of it

    def _fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.path, line, message))

    def _section(self, heading: str, line: int) -> Section | None:
        name = plain_text(heading)
        allowed = ", ".join(self.allowed)
        if name not in self.allowed:
            close = difflib.get_close_matches(name, self.allowed, n=1, cutoff=0.6)
            hint = f" Gemeint ist vielleicht „{close[0]}“." if close else ""
            self._fail(line, f"Unbekannter Abschnitt „{cut(name)}“.{hint} Erlaubt sind: {allowed} (in dieser Reihenfolge).")
            return None
        index = self.allowed.index(name)
        seen = [self.allowed.index(s.name) for s in self.sections]
        if index in seen:
            self._fail(line, f"Der Abschnitt „{name}“ kommt zweimal vor. Jeder Abschnitt ist nur einmal erlaubt, "
                       f"in der Reihenfolge {allowed}.")
            return None
        if seen and index < max(seen):
            self._fail(line, f"Der Abschnitt „{name}“ steht nach „{self.allowed[max(seen)]}“. "
                       f"Erlaubt ist die Reihenfolge {allowed}.")
            return None
        section = Section(name=name, id=anchor(name), line=line)
        self.sections.append(section)
        return section

    def _item(self, heading: str, line: int, section: Section | None) -> Item | None:
        if section is None:
            self._fail(line, "Beitrag („### …“) außerhalb eines Abschnitts. Erlaubt sind Beiträge nur unter "
                       f"einer Abschnittsüberschrift: {', '.join('## ' + s for s in self.allowed)}.")
            return None
        title = plain_text(heading)
        base = anchor(title)
        item_id, n = base, 2
        while item_id in self.ids:
            item_id, n = f"{base}-{n}", n + 1
        self.ids.add(item_id)
        item = Item(title=title, id=item_id, line=line)
        section.items.append(item)
        self._links(heading, line, section)
        return item

    def _links(self, text: str, line: int, section: Section | None) -> None:
        for slug in project_links(text, NEWSLETTERS):
            self.links.append(ProjectLink(slug, line))
            target = section.items[-1].projects if section and section.items else self.intro_projects
            if slug not in target:
                target.append(slug)
