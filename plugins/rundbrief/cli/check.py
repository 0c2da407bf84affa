"""`rundbrief check`: the build's own rules and the warnings, without building."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import get_files

from rundbrief.adapter.errors import ProblemsError
from rundbrief.core import Content, Issue, Problem, Project
from rundbrief.core.review import review
from rundbrief.core.sanitize import html_problems, strip_comments
from rundbrief.core.source import split_front_matter

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
    if links := workspace.site.unsafe_links(config):
        return sorted(problems + links)  # reading the folders would follow them
    content, _, found = workspace.site.read(get_files(config), config)
    problems += found
    docs = Path(config.docs_dir)
    pages = {
        (docs / page).relative_to(workspace.root).as_posix(): (docs / page).read_text(encoding="utf-8")
        for page in workspace.site.config.legal_pages.values()
        if (docs / page).is_file()
    }
    problems += review(content, pages)
    return sorted(problems + _refused_html(workspace, content))


def _refused_html(workspace: Workspace, content: Content) -> list[Problem]:
    """The raw HTML a build would refuse, found as the build finds it: in the rendered bodies."""
    problems = []
    models: list[Issue | Project] = [*content.all_issues, *content.projects]
    for model in models:
        problems += html_problems(model.path, model.source.body, model.source.body_line, workspace.render(model.markdown))
    for file in Path(workspace.config.docs_dir).rglob("*.md"):
        path = file.relative_to(workspace.root).as_posix()
        source = split_front_matter(path, file.read_text(encoding="utf-8-sig"), [])
        if source:
            body = strip_comments(source.body)
            problems += html_problems(path, body, source.body_line, workspace.render(body))
    return problems
