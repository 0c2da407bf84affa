"""`rundbrief check`: the build's own rules and the warnings, without building."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import get_files

from rundbrief.adapter.errors import ProblemsError
from rundbrief.core import Issue, Problem, Project
from rundbrief.core.links import link_problems
from rundbrief.core.review import review
from rundbrief.core.sanitize import html_problems, strip_comments
from rundbrief.core.source import split_front_matter
from rundbrief.core.structure import heading_problems

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
    files = get_files(config)
    generated, found = workspace.site.read(files, config)
    problems += found
    docs = Path(config.docs_dir)
    pages = {
        (docs / page).relative_to(workspace.root).as_posix(): (docs / page).read_text(encoding="utf-8")
        for page in workspace.site.config.legal_pages.values()
        if (docs / page).is_file()
    }
    problems += review(workspace.site.content, pages)
    site_files = set(files.src_uris) | {page.src_uri for page in generated}
    return sorted(problems + _rendered(workspace, site_files))


def _rendered(workspace: Workspace, files: set[str]) -> list[Problem]:
    """What a build finds in the rendered bodies, found as the build finds it: raw HTML it would refuse,
    broken links, headings the scanner did not see."""
    problems = []
    content = workspace.site.content
    docs = Path(workspace.config.docs_dir)
    options = {"site_url": workspace.config.site_url or "", "docs": docs.relative_to(workspace.root).as_posix()}
    models: list[Issue | Project] = [*content.all_issues, *content.projects]
    for model in models:
        html = workspace.render(model.markdown)
        problems += html_problems(model.path, model.source.body, model.source.body_line, html)
        problems += link_problems(model.path, model.path, model.source.body, model.source.body_line, files, **options)
        if isinstance(model, Issue):
            problems += heading_problems(model, html)
    for file in docs.rglob("*.md"):
        path = file.relative_to(workspace.root).as_posix()
        source = split_front_matter(path, file.read_text(encoding="utf-8-sig"), [])
        if source:
            body = strip_comments(source.body)
            problems += html_problems(path, body, source.body_line, workspace.render(body))
            problems += link_problems(path, file.relative_to(docs).as_posix(), body, source.body_line, files, **options)
    return problems
