"""All content of a site at once: issues and profiles read, checked and cross-referenced."""

from __future__ import annotations

import datetime
import difflib
import functools
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .issues import parse_issue
from .markdown_scan import ProjectLink
from .model import NEWSLETTERS, PROJECTS, Issue, Mention, Project
from .os_errors import error_name
from .problems import Problem, cut
from .projects import parse_project
from .sanitize import strip_comments
from .schedule import Clock, german_moment
from .source import decode_source, read_bytes
from .symlinks import outside
from .text import anchor

DEFAULT_SECTIONS = ("Vorgestellt", "Vernetzt", "Umgeschaut")


@dataclass
class Content:
    """What a site is built from. `issues` are the published ones, newest first."""

    issues: list[Issue] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)  # by title
    drafts: list[Issue] = field(default_factory=list)
    scheduled: list[Issue] = field(default_factory=list)  # not yet due by the clock, outside a preview
    problems: list[Problem] = field(default_factory=list)
    clock: Clock = field(default_factory=Clock.real)

    @property
    def all_issues(self) -> list[Issue]:
        """Published, scheduled and draft issues: what is checked, whether or not it appears."""
        return self.issues + self.scheduled + self.drafts

    def public(self, issue: Issue) -> bool:
        """Whether the issue is due by this build's clock: what a preview shows besides is no feed's."""
        return issue.public_at(self.clock.now, self.clock.time_of_day)

    def moment(self, issue: Issue) -> datetime.datetime:
        """When the issue appears, and the date its feed entry and Open Graph tags give."""
        return issue.moment(self.clock.time_of_day)

    def pending(self) -> list[Issue]:
        """The issues not yet due by the clock, drafts aside, the next first."""
        waiting = [issue for issue in self.all_issues if not issue.draft and not self.public(issue)]
        return sorted(waiting, key=lambda issue: (self.moment(issue), issue.name))

    def announcement(self) -> str | None:
        """What every build says of the schedule: when the next issue not yet due appears."""
        pending = self.pending()
        if not pending:
            return None
        return f"Nächste geplante Ausgabe: {pending[0].name} am {german_moment(self.moment(pending[0]))}"

    def planned(self, issue: Issue) -> str | None:
        """The preview's note on an issue not yet due, e.g. „Geplant: erscheint am 1. März 2027 um 9:00 Uhr“."""
        if issue.draft or self.public(issue):
            return None
        return f"Geplant: erscheint am {german_moment(self.moment(issue))}"

    def neighbours(self, issue: Issue) -> tuple[Issue | None, Issue | None]:
        """The previous (older) and next (newer) published issue."""
        index = self._positions[issue.name]
        older = self.issues[index + 1] if index + 1 < len(self.issues) else None
        newer = self.issues[index - 1] if index > 0 else None
        return older, newer

    def by_state(self) -> list[tuple[str, list[Project]]]:
        groups: dict[str, list[Project]] = defaultdict(list)
        for project in self.projects:
            groups[project.state].append(project)
        return sorted(groups.items())

    def portrait(self, issue: Issue, section: str) -> Project | None:
        """The project the issue portrays: the first profile an item of the portrait section links to."""
        by_slug = self.by_slug()
        slugs = [slug for part in issue.sections if part.name == section for item in part.items for slug in item.projects]
        return next((by_slug[slug] for slug in slugs if slug in by_slug), None)

    def by_slug(self) -> dict[str, Project]:
        return self._slugs

    # Made once, when first asked, as every page asks: `load_content` completes the content before that.
    @functools.cached_property
    def _slugs(self) -> dict[str, Project]:
        return {project.slug: project for project in self.projects}

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return {issue.name: index for index, issue in enumerate(self.issues)}

    def themes(self) -> list[str]:
        """The themes, one spelling each: a second spelling is a problem, not a second page."""
        spellings: dict[str, str] = {}
        for project in self.projects:
            for theme in project.themes:
                spellings.setdefault(anchor(theme), theme)
        return sorted(spellings.values(), key=str.casefold)

    def with_theme(self, theme: str) -> list[Project]:
        """The projects of one theme, by title: its page lists them."""
        return [project for project in self.projects if theme in project.themes]


@dataclass
class Parsed:
    """What one file gave: its model (None where it cannot be published), its links to profiles,
    its own problems."""

    data: bytes
    model: Issue | Project | None
    links: list[ProjectLink]
    problems: list[Problem]


class Parsing:
    """Issues and profiles parsed by an earlier build in the same process, by path: the preview builds
    again after every save, and a file whose bytes are the same is not parsed again. Only each file's
    own result is kept; everything that depends on other files (links, themes, mentions) is checked
    anew on every build."""

    def __init__(self) -> None:
        self.parsed: dict[str, Parsed] = {}
        self.sections: tuple[str, ...] = ()  # an issue's parse depends on them

    def parse(self, root: Path, file: Path, sections: Sequence[str]) -> Parsed:
        if tuple(sections) != self.sections:
            self.parsed, self.sections = {}, tuple(sections)
        path = file.relative_to(root).as_posix()
        problems: list[Problem] = []
        try:
            data = read_bytes(root, file, problems)
        except OSError as e:
            return Parsed(b"", None, [], [_unreadable(path, e)])
        if data is None:
            return Parsed(b"", None, [], problems)
        known = self.parsed.get(path)
        if known and known.data == data:
            return known
        parsed = Parsed(data, None, [], problems)
        source = decode_source(path, data, problems)
        if source:
            source.body = strip_comments(source.body)  # editors' private notes, which nothing may read further on
            if path.startswith(f"{PROJECTS}/"):
                parsed.model, parsed.links = parse_project(source, file.stem, problems)
            else:
                parsed.model, parsed.links = parse_issue(source, file.stem, sections, problems)
        self.parsed[path] = parsed
        return parsed


def load_content(root: Path, sections: Sequence[str] = DEFAULT_SECTIONS, *, preview: bool = False,
                 parsing: Parsing | None = None, clock: Clock | None = None) -> Content:
    """Reads `newsletters/` and `projects/` below `root`. Problems are collected, never raised.
    A preview shows drafts and issues not yet due by `clock` (the real time where None) among the
    issues (still marked as such); otherwise they appear nowhere. `parsing` keeps what files gave for
    the next call (the preview's)."""
    content = Content(clock=clock or Clock.real())
    links: list[tuple[str, ProjectLink]] = []
    issue_files = _markdown_files(root, NEWSLETTERS, content.problems)
    project_files = _markdown_files(root, PROJECTS, content.problems)
    parsing = parsing or Parsing()

    for file in [*project_files, *issue_files]:
        parsed = parsing.parse(root, file, sections)
        content.problems += parsed.problems
        links += [(file.relative_to(root).as_posix(), link) for link in parsed.links]
        if isinstance(parsed.model, Project):
            content.projects.append(parsed.model)
        elif isinstance(parsed.model, Issue):
            issue = parsed.model
            if preview or content.public(issue):
                content.issues.append(issue)
            else:
                (content.drafts if issue.draft else content.scheduled).append(issue)

    existing = [file.stem for file in project_files]
    for path, link in links:
        if link.slug not in existing:
            close = difflib.get_close_matches(link.slug, existing, n=1, cutoff=0.6)
            hint = f" Gemeint ist vielleicht „../{PROJECTS}/{close[0]}.md“." if close else ""
            content.problems.append(Problem(path, link.line, (
                f"Verweis auf ein Projektprofil, das es nicht gibt: „{PROJECTS}/{cut(link.slug)}.md“.{hint} "
                f"Erlaubt sind Verweise auf die Dateien im Ordner {PROJECTS}/, z. B. „[Name](../{PROJECTS}/<name>.md)“."
            )))

    content.problems += _theme_spellings(content.projects)
    content.issues.sort(key=lambda issue: (content.moment(issue), issue.name), reverse=True)
    content.projects.sort(key=lambda project: project.title.casefold())
    _cross_reference(content)
    return content


def _unreadable(path: str, e: OSError) -> Problem:
    return Problem(path, 1, (
        f"Die Datei lässt sich nicht lesen ({error_name(e.errno)}). Erlaubt sind Dateien, die der Bau lesen darf: "
        "Rechte prüfen oder die Datei neu speichern."))


_MARKDOWN = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")  # endings editors' tools give Markdown files


def _markdown_files(root: Path, folder: str, problems: list[Problem]) -> list[Path]:
    """The Markdown files of a folder that can be published; two whose names differ only in case would
    share a URL. Markdown the build would pass over (another ending, a subfolder) is a problem."""
    files = []
    problems += _ignored(root, folder)
    folder_outside = outside(root, root / folder)
    for file in sorted((root / folder).glob("*.md")):
        path = file.relative_to(root).as_posix()
        if file.stem != anchor(file.stem):
            problems.append(Problem(path, 1, (
                f"Der Dateiname „{file.name}“ wird Teil der Adresse. Erlaubt sind Kleinbuchstaben ohne Umlaute, "
                f"Ziffern und Bindestriche: die Datei in „{anchor(file.stem)}.md“ umbenennen.")))
        # Inside a folder inside the project, only a link can lead out: resolving each file costs more
        if reason := (folder_outside or file.is_symlink()) and outside(root, file):
            problems.append(Problem(path, 1, reason))
        elif not file.is_file():
            problems.append(Problem(path, 1, (
                "Das ist keine Datei, sondern ein Ordner oder ein Verweis ins Leere. Erlaubt sind hier nur "
                "Markdown-Dateien; den Eintrag umbenennen oder entfernen.")))
        else:
            files.append(file)
    seen: dict[str, Path] = {}
    for file in files:
        other = seen.setdefault(file.stem.casefold(), file)
        if other is not file:
            problems.append(Problem(file.relative_to(root).as_posix(), 1, (
                f"Die Datei hat denselben Namen wie „{other.relative_to(root).as_posix()}“ und bekäme dieselbe "
                "Adresse. Erlaubt ist jeder Dateiname nur einmal (Groß- und Kleinschreibung zählen nicht)."
            )))
    return files


def _ignored(root: Path, folder: str) -> list[Problem]:
    """Markdown in `folder` that the build would silently pass over. Walked without following links,
    which the build refuses on their own."""
    problems = []
    for parent, folders, names in os.walk(root / folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))  # tools' own folders (.obsidian)
        here = Path(parent)
        for name in sorted(n for n in names if not n.startswith(".")):
            file = here / name
            stem, suffix = os.path.splitext(name)
            if suffix.lower() not in _MARKDOWN or (here == root / folder and suffix == ".md"):
                continue
            wanted = f"{folder}/{anchor(stem)}.md"
            where = "in einem Unterordner" if here != root / folder else f"mit der Endung „{suffix}“"
            problems.append(Problem(file.relative_to(root).as_posix(), 1, (
                f"Diese Datei steht {where} und wird nicht veröffentlicht. Erlaubt sind Markdown-Dateien mit der "
                f"Endung „.md“ direkt im Ordner {folder}/: die Datei nach „{wanted}“ verschieben.")))
    return problems


def _theme_spellings(projects: list[Project]) -> list[Problem]:
    """A theme spelled two ways ("Mobilität", "mobilitaet") would get one page at one address, listing
    only the profiles of one spelling. The first spelling, in file order, is the one to follow."""
    first: dict[str, tuple[str, Project]] = {}
    problems = []
    for project in projects:
        for theme in project.themes:
            spelling, other = first.setdefault(anchor(theme), (theme, project))
            if theme != spelling:
                problems.append(Problem(project.path, project.source.line_of("tags"), (
                    f"Das Thema „{theme}“ ist anders geschrieben als „{spelling}“ in {other.path}. "
                    f"Erlaubt ist eine Schreibweise je Thema: „{spelling}“."
                )))
    return problems


def _cross_reference(content: Content) -> None:
    """Gives every profile the places that link to it, newest issue first."""
    by_slug = content.by_slug()
    for project in content.projects:
        project.mentions = []  # a profile parsed by an earlier build kept that build's mentions
    for issue in content.issues:
        for slug, item in issue.linked_projects():
            if slug in by_slug:
                by_slug[slug].mentions.append(Mention(issue, item))
