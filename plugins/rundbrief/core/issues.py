"""Parsing and validating one issue: front matter, then sections in order, each made of items."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .fields import Fields
from .images import front_matter_picture, markdown_pictures
from .markdown_scan import ProjectLink, project_links, scan
from .model import NEWSLETTERS, Issue, Item, Section
from .problems import Problem
from .source import Source
from .text import anchor, plain_text


def parse_issue(
    source: Source, name: str, sections: Sequence[str], problems: list[Problem]
) -> tuple[Issue | None, list[ProjectLink]]:
    """Parses an issue; returns None (and adds problems) when it cannot be published."""
    before = len(problems)
    fields = Fields(source, problems)
    title = fields.text("title", required=True)
    date = fields.date("date")
    description = fields.text("description")
    draft = fields.flag("draft")
    image = fields.text("image")
    image_alt = fields.text("image_alt")
    picture = front_matter_picture(source, image, image_alt, problems)

    body = _Body(source, sections, problems)
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
    )
    return issue, body.links


class _Body:
    """Walks the body once: checks the section structure, assigns anchors, collects profile links."""

    def __init__(self, source: Source, allowed: Sequence[str], problems: list[Problem]):
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

        for line in scan(source.body):
            number = source.body_line + line.index
            if line.level == 2:
                section = self._section(line.heading, number)
                if section:
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

    def _fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.path, line, message))

    def _section(self, heading: str, line: int) -> Section | None:
        name = plain_text(heading)
        allowed = ", ".join(self.allowed)
        if name not in self.allowed:
            close = difflib.get_close_matches(name, self.allowed, n=1, cutoff=0.6)
            hint = f" Gemeint ist vielleicht „{close[0]}“." if close else ""
            self._fail(line, f"Unbekannter Abschnitt „{name}“.{hint} Erlaubt sind: {allowed} (in dieser Reihenfolge).")
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
