"""`rundbrief check`: the build's own rules and the warnings, without building."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import get_files

from rundbrief.adapter.errors import ProblemsError
from rundbrief.adapter.site.plugin import Reading
from rundbrief.core import Content, Problem
from rundbrief.core.problems import ERROR, NOTE, WARNING
from rundbrief.core.rendered import bodies, rendered_problems
from rundbrief.core.review import RECIPES, review, schedule

from .email import check_editions
from .project import Workspace


@dataclass(frozen=True)
class Checked:
    """The content as a build reads it, and every problem a build or `rundbrief check` finds."""

    problems: list[Problem]
    content: Content | None  # None where a link leads out of the project: nothing was read

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]


def check_workspace(workspace: Workspace) -> list[Problem]:
    """Everything `rundbrief check` reports: the build's checks and the e-mail editions' (which
    `rundbrief linkedin`, also calling `checked`, does not need)."""
    found = checked(workspace)
    return sorted(found.problems + (check_editions(workspace, found.content) if found.content else []))


def checked(workspace: Workspace) -> Checked:
    config = workspace.config
    problems: list[Problem] = []
    if workspace.old_linkedin:  # first, as in a build: it hands its options to the site plugin
        try:
            problems.append(workspace.old_linkedin.hand_over(config))
        except ProblemsError as e:
            problems += e.problems
    try:
        workspace.site.on_config(config)
    except ProblemsError as e:  # mkdocs.yml problems; the content can be checked all the same
        problems += e.problems
    if links := workspace.site.unsafe_links(config):
        return Checked(sorted(problems + links), None)  # reading the folders would follow them
    files = get_files(config)
    reading = workspace.site.read(files, config)
    problems += reading.problems
    docs = Path(config.docs_dir)
    pages = {
        (docs / page).relative_to(workspace.root).as_posix(): (docs / page).read_text(encoding="utf-8")
        for page in workspace.site.config.legal_pages.values()
        if (docs / page).is_file()
    }
    problems += review(reading.content, pages)
    problems += schedule(reading.content, any((workspace.root / recipe).is_file() for recipe in RECIPES))
    site_files = set(files.src_uris) | {page.src_uri for page in reading.generated}
    return Checked(sorted(problems + _rendered(workspace, reading, site_files)), reading.content)


def _rendered(workspace: Workspace, reading: Reading, files: set[str]) -> list[Problem]:
    """What a build finds in the rendered bodies, asked as the build asks it."""
    docs = Path(workspace.config.docs_dir).relative_to(workspace.root).as_posix()
    return [
        problem
        for page in bodies(reading.content, reading.static_pages)
        for problem in rendered_problems(page, workspace.render(page.markdown), files,
                                         site_url=workspace.config.site_url or "", docs=docs)
    ]


def summary(problems: list[Problem]) -> list[str]:
    """The text report: errors first, as they stop the build; identical warnings in one line, as a
    placeholder left in ten places needs one fix, not ten lines that bury the errors."""
    errors = [p for p in problems if p.severity == ERROR]
    notes = [p for p in problems if p.severity == NOTE]
    warnings: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity == WARNING:
            warnings.setdefault(problem.message, []).append(problem)
    lines = [str(problem) for problem in errors]
    for same in warnings.values():
        line = str(same[0])
        if len(same) > 1:
            others = len(same) - 1
            paths = ", ".join(dict.fromkeys(p.path for p in same))
            line += (f" (und {others} weitere gleiche Warnung{'en' if others > 1 else ''} in {paths})")
        lines.append(line)
    lines += [str(note) for note in notes]
    warning_count = sum(map(len, warnings.values()))
    planned = f", {len(notes)} geplante Ausgabe{'' if len(notes) == 1 else 'n'}" if notes else ""
    lines.append(f"{len(errors)} Fehler, {warning_count} Warnung{'' if warning_count == 1 else 'en'}{planned}.")
    return lines
