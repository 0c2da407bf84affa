"""The `rundbrief` MkDocs plugin: publishes issues and profiles from outside docs_dir, generates the
archive, the project directory and one page per theme, and fails the build on any content problem."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from rundbrief.core import Content, Issue, Problem, Project, load_content
from rundbrief.core.germany import germany, state_id
from rundbrief.core.model import NEWSLETTERS, PROJECTS
from rundbrief.core.text import anchor, german_date

from ..background import Background
from ..errors import ProblemsError, config_problem
from .config import SiteConfig
from .feeds import write_feeds
from .images import Pictures
from .portraits import fill_portraits, mark_portraits, without_portraits
from .sign_language import check_video
from .theme import Fragments, cache_compiled_templates, translator

THEMES = "themen"  # one page per project theme (tag) below this folder

# Markdown extensions the site depends on: anchors on headings, and German typography in which
# "Mitstreiter*innen" is a word, not the start of emphasis.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "pymdownx.betterem": {"smart_enable": "all"},
}


class SitePlugin(BasePlugin[SiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content = Content()
        self.sources: dict[str, Issue | Project] = {}  # src_uri of a generated page -> its model
        self.files = Files([])
        self.legal_links: list[tuple[str, str]] = []  # (label, url) for the footer
        self.accessible_links: list[tuple[str, str]] = []  # Leichte Sprache, Gebärdensprache
        self.feed_page_url: str | None = None
        self.html: dict[str, str] = {}  # issue name -> its rendered Markdown, for the feeds
        self.serving = False  # `mkdocs serve`, where drafts can be previewed
        self.feeds = Background("die Feeds")
        self.pictures = Pictures(Path(".cache/rundbrief/images"))
        self.env: Environment | None = None  # for the portraits, rendered into issues' HTML

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.root = Path(config.config_file_path).resolve().parent
        self.pictures = Pictures(self.root / self.config.cache_dir / "images")
        if self.config.feed.enabled and not config.site_url:
            raise ProblemsError([config_problem(
                "Die Feeds brauchen absolute Adressen, aber „site_url“ fehlt. Erlaubt ist die Adresse der "
                "Website, z. B. „site_url: https://www.aktif-vernetzt.de/“, oder „feed: {enabled: false}“ "
                "in den Einstellungen von „rundbrief“."
            )])
        require_extensions(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        generated, problems = self.read(files, config)
        if problems:
            raise ProblemsError(problems)
        for page in generated:
            files.append(page.file(config, self.root))
        self.pictures.publish(files, config)
        self.files = files
        self.html = {}
        self.legal_links = [(label, _url(files, page)) for label, page in self.config.legal_pages.items()]
        self.accessible_links = [(label, _url(files, page)) for label, page in self.config.accessible_pages.items()]
        self.feed_page_url = _url(files, self.config.feed.page) if self.config.feed.enabled else None
        return files

    def read(self, files: Files, config: MkDocsConfig) -> tuple[list[Generated], list[Problem]]:
        """Reads the content and checks it against the site's files: the build's rules, which
        `rundbrief check` applies without building."""
        preview = self.serving and self.config.drafts_on_serve
        self.content = load_content(self.root, self.config.sections, preview=preview)
        problems = list(self.content.problems)
        docs = Path(config.docs_dir).relative_to(self.root).as_posix()
        generated = self._generated()
        problems += _collisions(docs, files, generated)
        needed = {
            "funding.eu_emblem": self.config.funding.eu_emblem,
            "funding.funder_logo": self.config.funding.funder_logo,
            **{f"legal_pages.{label}": page for label, page in self.config.legal_pages.items()},
            **{f"accessible_pages.{label}": page for label, page in self.config.accessible_pages.items()},
            "feed.page": self.config.feed.page if self.config.feed.enabled else None,
        }
        for option, path in needed.items():
            if path and path not in files.src_uris:
                problems.append(config_problem((
                    f"Die Datei „{path}“ aus der Einstellung „rundbrief: {option}“ fehlt in {docs}/. "
                    "Erlaubt ist ein Pfad relativ zu diesem Ordner; Impressum, Datenschutz, Barrierefreiheit "
                    "und die Förderhinweise gehören auf jede Seite."
                )))
        problems += self.pictures.check(self.content, files, docs)
        for page in self.config.accessible_pages.values():
            problems += check_video(self.root, Path(config.docs_dir) / page, files)
        return generated, problems

    def _generated(self) -> list[Generated]:
        """Archive and directory first: an issue or profile named "index" collides with them."""
        self.sources = {}
        result = [
            Generated(f"{NEWSLETTERS}/index.md", content=page_source(
                {"title": self.config.archive_title, "template": "archive.html"})),
            Generated(f"{PROJECTS}/index.md", content=page_source(
                {"title": self.config.directory_title, "template": "directory.html"})),
        ]
        models: list[Issue | Project] = [*self.content.issues, *self.content.projects]
        for model in models:
            # newsletters/<name>.md and projects/<slug>.md keep their paths as URIs
            self.sources[model.path] = model
            result.append(Generated(model.path, source=model.path, in_nav=False))
        for tag in self.content.tags():
            listing = "<!-- material/tags " + json.dumps({"include": [tag]}, ensure_ascii=False) + " -->\n"
            meta = {"title": self.config.tag_title.format(tag=tag)}
            result.append(Generated(f"{tag_path(tag)}.md", content=page_source(meta, listing), in_nav=False))
        return result

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # An issue or profile was read and checked with its front matter already: nothing for MkDocs
        # to read again. Its Markdown and front matter come in `on_page_markdown`.
        return "" if self.config.enabled and page.file.src_uri in self.sources else None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        model = self.sources.get(page.file.src_uri)
        if model:
            template = "issue.html" if isinstance(model, Issue) else "project.html"
            page.meta = {"template": template, **model.source.meta}
        # Front matter is the editors' text, not HTML: Material prints title and description unescaped.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        if model is None:
            return None
        markdown = self.pictures.in_markdown(model.markdown, model.pictures, page)
        if isinstance(model, Issue) and self.config.sections:  # the first section portrays a project
            markdown = mark_portraits(markdown, model, self.config.sections[0], self.content.by_slug())
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        model = self.sources.get(page.file.src_uri) if self.config.enabled else None
        if isinstance(model, Issue):
            self.html[model.name] = without_portraits(html)
        return None

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        # Globals rather than page context: theme-only pages such as 404.html have footers too.
        env.globals["rundbrief"] = {
            "content": self.content,
            "config": self.config,
            "legal_links": self.legal_links,
            "accessible_links": self.accessible_links,
            "feed_page_url": self.feed_page_url,
            "translate": translator(env, config.theme["language"]),
            "fragment": Fragments(),
            "picture": pass_context(lambda context, picture, **options: self.pictures.html(
                picture, context.get("page"), **options)),
            "germany": germany,
            "state_id": state_id,
        }
        env.filters["time"] = _time
        env.filters["tag_url"] = lambda tag: f"{tag_path(tag)}/"
        cache_compiled_templates(env, self.root / self.config.cache_dir / "templates")
        self.env = env
        if self.config.feed.enabled:  # every issue's HTML is rendered by now
            self.feeds.start(lambda: write_feeds(
                config, self.config.feed, self.content, self.html, self.files, self.pictures))
        return env

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        model = self.sources.get(page.file.src_uri)
        # Template context beyond MkDocs' own keys, as Material's plugins add theirs
        if isinstance(model, Issue):
            if self.env and page.content:
                template = self.env.get_template("partials/portrait.html")
                page.content = fill_portraits(page.content, self.content.by_slug(), lambda project: template.render(
                    project=project, page=page, base_url=context["base_url"]))
            context["issue"] = model  # type: ignore[typeddict-unknown-key]
            context["older"], context["newer"] = self.content.neighbours(model)  # type: ignore[typeddict-unknown-key]
        elif isinstance(model, Project):
            context["project"] = model  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.feeds.wait()

    def on_build_error(self, error: Exception) -> None:
        self.feeds.cancel()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled:
            for folder in (NEWSLETTERS, PROJECTS):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
        return server


def require_extensions(config: MkDocsConfig) -> None:
    """Adds the REQUIRED_EXTENSIONS that mkdocs.yml lacks."""
    for name, options in REQUIRED_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs[name] = options


def _url(files: Files, src_uri: str) -> str:
    file = files.get_file_from_path(src_uri)
    assert file, src_uri  # read() reported a missing page before
    return file.url


def _time(date: datetime.date) -> Markup:
    """A date as readers see it, "13. Dezember 2024", and as machines read it."""
    return Markup('<time datetime="{}">{}</time>').format(date.isoformat(), german_date(date))


def page_source(meta: dict[str, Any], body: str = "") -> str:
    """A generated page's Markdown. Its front matter is JSON, which YAML reads, and which Python
    writes many times faster than YAML: sites have hundreds of generated pages."""
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n{body}"


def tag_path(tag: str) -> str:
    """Where the page listing the projects of one theme lives, without extension."""
    return f"{THEMES}/{anchor(tag)}"


@dataclass(frozen=True)
class Generated:
    """A page Rundbrief adds to the site: from an editor's file outside docs_dir, or from content."""

    src_uri: str
    source: str | None = None  # relative to the project
    content: str | None = None
    in_nav: bool = True  # issues, profiles and themes are reached through links, not the nav

    def file(self, config: MkDocsConfig, root: Path) -> File:
        # A nav listing hundreds of pages would be rendered into every page and slow every build.
        inclusion = InclusionLevel.UNDEFINED if self.in_nav else InclusionLevel.NOT_IN_NAV
        if self.source:
            return File.generated(config, self.src_uri, abs_src_path=str(root / self.source), inclusion=inclusion)
        return File.generated(config, self.src_uri, content=self.content or "", inclusion=inclusion)


def _collisions(docs: str, files: Files, generated: list[Generated]) -> list[Problem]:
    """Generated pages whose address is already taken, reported at the editor's file where there is one."""
    overview = "die von Rundbrief erzeugte Übersichtsseite"
    holders = {src_uri: f"{docs}/{src_uri}" for src_uri in files.src_uris}
    problems = []
    for page in generated:
        holder = holders.get(page.src_uri)
        if holder is None:
            holders[page.src_uri] = page.source or overview
            continue
        path, other = (page.source, holder) if page.source else (holder, overview)
        problems.append(Problem(path, 1, (
            f"Diese Datei bekäme dieselbe Adresse wie {other}. Erlaubt ist jede Adresse nur einmal: die Datei umbenennen."
        )))
    return problems
