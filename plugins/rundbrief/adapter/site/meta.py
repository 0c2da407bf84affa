"""What the templates see of a page's front matter: only values the core validated, never an editor's
key as written. The template is the plugin's choice, not an editor's; so is the front matter of the
pages it generates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from rundbrief.core import Issue, Problem, Project
from rundbrief.core.pages import StaticPage, parse_page
from rundbrief.core.source import read_source

START_PAGE = "index.md"  # docs_dir's index.md is the start page, shown with start.html


def read_pages(root: Path, files: Files) -> tuple[dict[str, StaticPage], list[Problem]]:
    """The static pages of docs_dir by src_uri, checked as issues and profiles are."""
    pages: dict[str, StaticPage] = {}
    problems: list[Problem] = []
    for file in files.documentation_pages():
        if file.generated_by or not file.abs_src_path:
            continue
        source = read_source(root, Path(file.abs_src_path), problems)
        page = parse_page(source, problems) if source else None
        if page:
            pages[file.src_uri] = page
    return pages, problems


def page_meta(model: Issue | Project | StaticPage, template: str | None = None) -> dict[str, Any]:
    """`page.meta` for a page built from `model`; a static page's `template` is the plugin's choice."""
    meta: dict[str, Any]
    if isinstance(model, Issue):
        # The masthead lists the contents, as a newsletter does: no documentation sidebar beside it
        meta = {"template": "issue.html", "title": model.title, "description": model.description, "hide": ["toc"]}
    elif isinstance(model, Project):
        meta = {"template": "project.html", "title": model.title}
    else:
        meta = {"title": model.title, "description": model.description, "hide": model.hide, "template": template,
                "video": model.video, "captions": model.captions}
    return {key: value for key, value in meta.items() if value}


def page_source(meta: dict[str, Any], body: str = "") -> str:
    """A generated page's Markdown. Its front matter is JSON, which YAML reads, and which Python
    writes many times faster than YAML: sites have hundreds of generated pages."""
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n{body}"


def generated_source(url: str) -> str:
    """The Markdown source of a generated page at `url`: "themen/x/" comes from "themen/x.md"."""
    return url.removesuffix("/") + ".md"
