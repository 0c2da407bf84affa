"""`rundbrief check`: the build's own rules and the warnings, without building."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import get_files

from rundbrief.adapter.errors import ProblemsError
from rundbrief.core import Problem
from rundbrief.core.review import review

from .project import Workspace


def check_workspace(workspace: Workspace) -> list[Problem]:
    config = workspace.config
    problems: list[Problem] = []
    for plugin in (workspace.site, workspace.linkedin):
        if plugin:
            try:
                plugin.on_config(config)
            except ProblemsError as e:  # mkdocs.yml problems; the content can be checked all the same
                problems += e.problems
    _, found = workspace.site.read(get_files(config), config)
    problems += found
    docs = Path(config.docs_dir)
    pages = {
        (docs / page).relative_to(workspace.root).as_posix(): (docs / page).read_text(encoding="utf-8")
        for page in workspace.site.config.legal_pages.values()
        if (docs / page).is_file()
    }
    problems += review(workspace.site.content, pages)
    return sorted(problems)
