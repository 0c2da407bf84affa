"""The `rundbrief` MkDocs plugin: publishes issues and profiles from outside docs_dir, generates the
archive, the project directory and one page per theme, with its `linkedin:` option post texts, copy
pages, Open Graph tags and social cards (`Linkedin`), and fails the build on any content problem.

A build goes through these phases, each handler calling their named steps:
1. read: the options checked (`on_config`), the editors' folders checked for links that lead out
   (`on_pre_build`), the content read and checked (`on_files`);
2. `Build` (core/build.py): the build state made of what was read, once (`on_files`); the generated
   pages added, the writer's first part (the feeds) added, the cards missing from the cache drawn on
   every core from here on;
3. rendered pages: every body converted, checked against the allow-list, each issue's HTML kept in
   the `Build` (`on_page_markdown`, `on_page_content`);
4. frozen: the posts made from that HTML, and the `Build` frozen (`on_env`);
5. outputs written: the writer started on feeds, post texts and cached cards (`on_env`) while MkDocs
   renders the templates, which get Open Graph tags (`on_page_context`) and feed the search index
   (`on_post_page`);
6. wait: the search index, the writer and the card drawers finished, a failure of any failing the
   build (`on_post_build`; the preview's `write_outputs` later).

The speed layer (`Speed`, adapter/speed/) is called at each phase; it changes how fast, never what.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from rundbrief.core import Content, Issue, Problem, Project, load_content, paths
from rundbrief.core import subscribe
from rundbrief.core.build import Build
from rundbrief.core.email import option_problems as email_problems
from rundbrief.core.germany import germany, state_id
from rundbrief.core.pages import StaticPage
from rundbrief.core.paths import NEWSLETTERS, PROJECTS
from rundbrief.core.problems import WARNING
from rundbrief.core.rendered import body, rendered_problems
from rundbrief.core.schedule import NOON, Clock
from rundbrief.core.site_dir import STAMP, STAMP_TEXT, refusal
from rundbrief.core.symlinks import unsafe_links

from ..errors import ProblemsError, config_problem
from ..speed import Speed
from ..writer import Writer
from .addresses import taken
from .assets import Assets
from .config import LinkedinConfig, SiteConfig, time_of_day
from .feeds import write_feeds
from .images import Pictures
from .linkedin import Linkedin
from .meta import START_PAGE, generated_source, page_meta, page_source, read_pages
from .portraits import fill_portraits, mark_portraits, without_portraits
from .search import SearchIndex, searchable
from .sign_language import check_video
from .templates import prepare

# Markdown extensions the site depends on: anchors on headings, and German typography in which
# "Mitstreiter*innen" is a word, not the start of emphasis.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "pymdownx.betterem": {"smart_enable": "all"},
}

# The `linkedin` plugin of old mkdocs.yml files, now this plugin's option `linkedin:`
MOVED_LINKEDIN = ("Das Plugin „linkedin“ ist jetzt die Einstellung „linkedin:“ von „rundbrief“: die Zeilen unter "
                  "„- linkedin:“ eingerückt unter „- rundbrief:“ als „linkedin:“ verschieben und „- linkedin:“ löschen.")
MOVED_LINKEDIN_TWICE = ("„linkedin:“ steht unter „- rundbrief:“ und zugleich als altes Plugin „- linkedin:“ unter "
                        "„plugins:“. Erlaubt ist es nur unter „- rundbrief:“: was unter „- linkedin:“ steht, dorthin "
                        "übernehmen und „- linkedin:“ löschen.")
NEEDS_RUNDBRIEF = ("„linkedin“ braucht das Plugin „rundbrief“: beide unter „plugins:“ eintragen. Besser nur "
                   "„- rundbrief:“ eintragen, die Zeilen unter „- linkedin:“ eingerückt darunter als „linkedin:“, "
                   "und „- linkedin:“ löschen.")

log = logging.getLogger("mkdocs.plugins.rundbrief")


class SitePlugin(BasePlugin[SiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: Build | None = None  # the current build's state, made in on_files
        self.writer = Writer()  # feeds, post texts and cached cards
        self.linkedin = Linkedin()  # post texts, copy pages, Open Graph tags, cards
        self.linkedin_given = False  # `linkedin:` in this plugin's options, which an old `linkedin` plugin may not repeat
        self.legal_links: list[tuple[str, str]] = []  # (label, url) for the footer
        self.accessible_links: list[tuple[str, str]] = []  # Leichte Sprache, Gebärdensprache
        self.feed_page_url: str | None = None
        self.refused: list[Problem] = []  # raw HTML the allow-list removes, reported once all pages are rendered
        self.serving = False  # `mkdocs serve`, where drafts can be previewed
        self.now: datetime.datetime | None = None  # the build's clock (`rundbrief build --now`); None: the real time
        self.search = SearchIndex()  # fed page by page while MkDocs renders
        self.linkable: tuple[set[str], str] | None = None  # src_uris a body may link to, and their digest
        self.speed = Speed()  # the speed layer, kept across the preview's builds
        self.pictures = Pictures(Path(".cache/rundbrief/images"))  # in the project's cache from on_config on
        self.assets = Assets()  # the files of docs_dir published as they are
        self.env: Environment | None = None  # for the portraits, rendered into issues' HTML

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[Any, Any]:
        self.linkedin_given = "linkedin" in options
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        self.serving = False  # MkDocs keeps plugin instances for the next config: a later build is no preview

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.settle(config)
        if problems := self.option_problems(config) + self.linkedin_problems(config):
            raise ProblemsError([config_problem(problem) for problem in problems])
        require_extensions(config)
        return config

    def settle(self, config: MkDocsConfig) -> None:
        """Where this build reads and keeps its files: the project's folder and its cache."""
        self.root = project_root(config)
        self.docs = _docs(config, self.root)  # once per build: every page's checks name it
        cache = self.root / self.config.cache_dir
        self.pictures = Pictures(cache / "images")
        self.speed.configure(config, wanted=self.config.speed, cache=cache, serving=self.serving)
        self.search = SearchIndex(cache / "search" if self.speed.on else None)

    def option_problems(self, config: MkDocsConfig) -> list[str]:
        """What is wrong with the site's options, in German."""
        problems = []
        if self.config.feed.enabled and not config.site_url:
            problems.append(
                "Die Feeds brauchen absolute Adressen, aber „site_url“ fehlt. Erlaubt ist die Adresse der "
                "Website, z. B. „site_url: https://www.aktif-vernetzt.de/“, oder „feed: {enabled: false}“ "
                "in den Einstellungen von „rundbrief“.")
        feed_time = time_of_day(self.config.feed.time_of_day)
        if feed_time is None:
            problems.append(_bad_time(self.config.feed.time_of_day))
        else:
            self.feed_time = feed_time
        if self.config.portrait_section not in self.config.sections:
            problems.append(
                f"„rundbrief: portrait_section: {self.config.portrait_section}“ ist keiner der Abschnitte. "
                f"Erlaubt ist einer aus „sections“: {', '.join(self.config.sections)}.")
        email, subscription = self.config.email, self.config.subscribe
        problems += email_problems(email.tool, email.smtp.security, email.sender)
        problems += subscribe.problems(subscription.action, subscription.provider)
        if reason := refusal(Path(config.site_dir), self.root, self.sources_folders(config)):
            problems.append(reason)  # MkDocs empties site_dir before any file is read
        return problems

    def linkedin_problems(self, config: MkDocsConfig) -> list[str]:
        """What is wrong with the `linkedin:` options, in German; none where they are off."""
        if not self.config.linkedin.enabled:
            return []
        root = project_root(config)
        return self.linkedin.configure(self.config.linkedin, config, root, root / self.config.cache_dir)

    def take_linkedin(self, options: LinkedinConfig) -> None:
        """The options of an old mkdocs.yml's `linkedin` plugin (`OldLinkedinPlugin`), in place of
        this plugin's `linkedin:`, before `on_config` checks them."""
        if self.linkedin_given:
            raise ProblemsError([config_problem(MOVED_LINKEDIN_TWICE)])
        self.config["linkedin"] = options

    def sources_folders(self, config: MkDocsConfig) -> dict[str, Path]:
        """The folders holding the editors' work, which no build may empty."""
        root = project_root(config)
        folders = {"die Seiten": Path(config.docs_dir), "die Ausgaben": root / NEWSLETTERS,
                   "die Projektprofile": root / PROJECTS}
        if config.theme.custom_dir:
            folders["die Vorlagen"] = Path(config.theme.custom_dir)
        return folders

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if problems := self.unsafe_links(config):
            raise ProblemsError(problems)  # before MkDocs walks docs_dir, which follows every link

    def unsafe_links(self, config: MkDocsConfig) -> list[Problem]:
        """Links in the editors' folders that lead out of the project or in a circle."""
        folders = self.sources_folders(config).values()
        return unsafe_links(self.root, [f for f in folders if f.is_relative_to(self.root) and f.exists()])

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        reading = self.read(files, config)
        if reading.problems:
            raise ProblemsError(reading.problems)
        if announcement := reading.content.announcement():
            log.info(announcement)
        self.build = self.make_build(reading, config)
        self.add_pages(reading, files, config)
        self.start_outputs(files, config)
        return files

    def make_build(self, reading: Reading, config: MkDocsConfig) -> Build:
        """The build state: what was read, and what every later step reads of the site."""
        return Build(
            content=reading.content,
            static_pages=reading.static_pages,
            site_url=config.site_url or "",
            site_name=config.site_name,
            site_description=config.site_description or "",
            portrait_section=self.config.portrait_section,
            cache=self.root / self.config.cache_dir,
            time_of_day=self.feed_time,
        )

    def add_pages(self, reading: Reading, files: Files, config: MkDocsConfig) -> None:
        """The generated pages, the pictures' renditions, the assets and the LinkedIn copy pages join
        the site's files; the footer's links are found among them."""
        assert self.build, "made before"
        for page in reading.generated:
            files.append(page.file(config, self.root))
        self.refused = []
        self.linkable = None
        self.pictures.publish(files, config)
        self.assets.publish(files, config)
        self.legal_links = [(label, _url(files, page)) for label, page in self.config.legal_pages.items()]
        self.accessible_links = [(label, _url(files, page)) for label, (page, _) in self.accessible_pages().items() if page]
        self.feed_page_url = _url(files, self.config.feed.page) if self.config.feed.enabled else None
        if self.config.linkedin.enabled:
            self.linkedin.add_pages(self.build, files, config)

    def start_outputs(self, files: Files, config: MkDocsConfig) -> None:
        """What depends on the content alone: the feeds, added to the writer, and the cards missing
        from the cache, drawn from now on while MkDocs renders the pages."""
        build = self.build
        assert build, "made before"
        self.writer.reset()
        if self.config.feed.enabled:
            options, pictures = self.config.feed, self.pictures
            self.writer.add("die Feeds", lambda out: write_feeds(out, build, options, config, files, pictures))
        if self.config.linkedin.enabled:
            self.linkedin.draw_cards(build, self.pictures, Path(config.site_dir))

    def read(self, files: Files, config: MkDocsConfig) -> Reading:
        """Reads the content and checks it against the site's files: the build's rules, which
        `rundbrief check` applies without building."""
        preview = self.serving and self.config.drafts_on_serve
        # One clock per build: what is public is decided once, for every page and output
        issue_time = time_of_day(self.config.feed.time_of_day) or NOON  # a wrong one is a problem of its own
        clock = Clock(self.now, issue_time) if self.now else Clock.real(issue_time)
        content = load_content(self.root, self.config.sections, preview=preview, parsing=self.speed.parsing,
                               clock=clock)
        problems = list(content.problems)
        pages, found = read_pages(self.root, files)
        problems += found
        docs = self.docs
        generated = self._generated(content)
        problems += taken(config, self.root, files, [(page.src_uri, page.source) for page in generated])
        needed = {
            "funding.eu_emblem": self.config.funding.eu_emblem,
            "funding.funder_logo": self.config.funding.funder_logo,
            **{f"legal_pages.{label}": page for label, page in self.config.legal_pages.items()},
            "easy_language_page": self.config.easy_language_page,
            "sign_language_page": self.config.sign_language_page,
            "feed.page": self.config.feed.page if self.config.feed.enabled else None,
        }
        for option, path in needed.items():
            if path and path not in files.src_uris:
                problems.append(config_problem((
                    f"Die Datei „{path}“ aus der Einstellung „rundbrief: {option}“ fehlt in {docs}/. "
                    "Erlaubt ist ein Pfad relativ zu diesem Ordner; Impressum, Datenschutz, Barrierefreiheit "
                    "und die Förderhinweise gehören auf jede Seite."
                )))
        problems += self.pictures.check(content, files, docs)
        problems += self.assets.check(files, config, self.root)
        if sign_language := pages.get(self.config.sign_language_page):
            problems += check_video(sign_language, files)
        return Reading(content, pages, generated, problems)

    def _generated(self, content: Content) -> list[Generated]:
        """Archive and directory first: an issue or profile named "index" collides with them."""
        result = [
            Generated(f"{paths.ARCHIVE}index.md", content=page_source(
                {"title": self.config.archive_title, "template": "archive.html"})),
            Generated(f"{paths.DIRECTORY}index.md", content=page_source(
                {"title": self.config.directory_title, "template": "directory.html"})),
        ]
        if self.config.search.enabled:
            result.append(Generated(generated_source(paths.SEARCH), in_nav=False, content=page_source(
                {"title": self.config.search.title, "template": "search.html", "hide": ["navigation", "toc"]})))
        if self.config.subscribe.action:
            result.append(Generated(generated_source(paths.SUBSCRIBE), in_nav=False, content=page_source(
                {"title": self.config.subscribe.title, "template": "subscribe.html", "hide": ["navigation", "toc"]})))
        models: list[Issue | Project] = [*content.issues, *content.projects]
        for model in models:
            # newsletters/<name>.md and projects/<slug>.md keep their paths as URIs
            result.append(Generated(model.path, source=model.path, in_nav=False))
        if content.themes():  # the themes' folder answers too, with all of them
            result.append(Generated(generated_source(f"{paths.THEMES}/"), in_nav=False, content=page_source(
                {"title": "Themen", "template": "themes.html"})))
        for theme in content.themes():
            meta = {"title": self.config.theme_title.format(theme=theme), "template": "theme.html", "theme": theme}
            result.append(Generated(generated_source(paths.theme(theme)), content=page_source(meta), in_nav=False))
        return result

    def accessible_pages(self) -> dict[str, tuple[str, str]]:
        """The pages BITV 2.0 asks for, by their link text: the page in docs_dir and its template."""
        return {"Leichte Sprache": (self.config.easy_language_page, "easy-language.html"),
                "Gebärdensprache": (self.config.sign_language_page, "sign-language.html")}

    def page_templates(self) -> dict[str, str]:
        """The pages of docs_dir with a template of their own, by src_uri: no editor's key chooses one."""
        return {START_PAGE: "start.html", **{page: template for page, template in self.accessible_pages().values() if page}}

    def _linkable(self, files: Files) -> tuple[set[str], str]:
        """What a body may link to: the site's files, and the pictures, whose originals the site
        replaces by renditions; with a digest for the render cache. Made once per build, when every
        file is known."""
        if self.linkable is None:
            linkable = set(files.src_uris) | set(self.pictures.derived)
            self.linkable = linkable, hashlib.sha256("\0".join(sorted(linkable)).encode()).hexdigest()
        return self.linkable

    def _model(self, page: Page) -> Issue | Project | None:
        return self.build.pages.get(page.file.src_uri) if self.build else None

    @event_priority(-100)  # last: every plugin's navigation and pages are final
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.config.enabled:
            self.speed.pages_final(config, files, options=self.config)
        return None

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # An issue or profile was read and checked with its front matter already: nothing for MkDocs
        # to read again. Its Markdown and front matter come in `on_page_markdown`.
        return "" if self.config.enabled and self._model(page) else None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        model = self._model(page)
        static = self.build.static_pages.get(page.file.src_uri) if self.build else None
        if model:
            page.meta = page_meta(model)
        elif static:
            page.meta = page_meta(static, self.page_templates().get(page.file.src_uri))
            markdown = static.markdown
        # Front matter is the editors' text, not HTML: Material prints title and description unescaped.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        self.speed.install(page)
        if model is None:
            return markdown
        markdown = self.pictures.in_markdown(model.markdown, model.pictures, page)
        if isinstance(model, Issue) and self.build:
            markdown = mark_portraits(markdown, model, self.build.portrait_section, self.build.content.by_slug())
        return markdown

    @event_priority(-100)  # last: what any plugin added to a body passes the allow-list too
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.build is None:
            return None
        written = self._model(page) or self.build.static_pages.get(page.file.src_uri)  # by an editor
        if written:
            linkable, linkable_digest = self._linkable(files)
            site_url, docs = config.site_url or "", self.docs
            page_body = body(written, page.file.src_uri)

            def check() -> bool:
                problems = rendered_problems(page_body, html, linkable, site_url=site_url, docs=docs)
                self.refused += problems
                return not problems

            inputs = [page_body.src_uri, page_body.path, page_body.text, page_body.first_line,
                      html, linkable_digest, site_url, docs]
            self.speed.check(inputs, check)
        html = self.speed.sanitize(html)  # never from disk: nothing there gets past the allow-list
        if isinstance(written, Issue):
            self.build.html[written.name] = without_portraits(html)
        return html

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled or self.build is None:
            return None
        unchanged, kept = self.speed.pages_converted(files, self.build)
        if self.refused:  # every body is rendered by now, so all are reported at once
            raise ProblemsError(self.refused)
        self.search.begin(unchanged=unchanged)
        if self.config.search.enabled:  # indexed on the second core while the changed pages are rendered
            for output, url in kept:
                self.search.add(output, url)
        if self.config.linkedin.enabled:  # every issue's HTML is in the build state by now
            self.linkedin.make_posts(self.build)
            self.writer.add("die LinkedIn-Texte und Vorschaubilder", functools.partial(self.linkedin.write, self.build))
        self.build.freeze()  # before the writer takes it into its process
        self.prepare_templates(env, config, files)
        self.writer.start(Path(config.site_dir), later=self.speed.defers)
        return env

    def prepare_templates(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        """What the templates see of Rundbrief, and the compiled templates of the cache."""
        assert self.build, "made before"
        prepare(env, self.speed.patches)
        # Globals rather than page context: theme-only pages such as 404.html have footers too.
        env.globals["rundbrief"] = {
            "content": self.build.content,
            "config": self.config,
            "paths": paths,
            "legal_links": self.legal_links,
            "accessible_links": self.accessible_links,
            "feed_page_url": self.feed_page_url,
            "search_url": _url(files, generated_source(paths.SEARCH)) if self.config.search.enabled else None,
            "picture": pass_context(lambda context, picture, **options: self.pictures.html(
                picture, context.get("page"), **options)),
            "germany": germany,
            "subscribe_field": subscribe.email_field,
            "state_id": state_id,
            **self.speed.template_globals(env, config.theme["language"]),
        }
        self.env = env

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled or self.build is None:
            return None
        self.add_context(context, page)
        if self.config.linkedin.enabled:
            self.linkedin.page_context(context, page, self.build, config)
        return context

    def add_context(self, context: TemplateContext, page: Page) -> None:
        """Template context beyond MkDocs' own keys, as Material's plugins add theirs; an issue's
        portraits filled in."""
        assert self.build, "made before"
        model = self._model(page)
        if isinstance(model, Issue):
            if self.env and page.content:
                template = self.env.get_template("partials/portrait.html")
                page.content = fill_portraits(page.content, self.build.content.by_slug(), lambda project: template.render(
                    project=project, page=page, base_url=context["base_url"]))
            context["issue"] = model  # type: ignore[typeddict-unknown-key]
            context["older"], context["newer"] = self.build.content.neighbours(model)  # type: ignore[typeddict-unknown-key]
        elif isinstance(model, Project):
            context["project"] = model  # type: ignore[typeddict-unknown-key]

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and self.config.search.enabled:
            model = self._model(page)
            # a draft, or an issue not yet due, shows in the preview but in no search index
            hidden = isinstance(model, Issue) and self.build is not None and not self.build.content.public(model)
            if searchable(output, page.meta, draft=hidden):
                self.search.add(output, page.url)
                self.speed.searchable(page.url, output)
        return None

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.speed.defers:
            self.speed.defer(lambda: self.write_outputs(config.site_dir))
        else:
            self.write_outputs(config.site_dir)
        self.linkedin.wait()

    def write_outputs(self, site_dir: str) -> None:
        """The search index, the feeds, the LinkedIn texts and cards: at the end of a build, or, in
        the preview, once it serves the pages."""
        try:
            if self.config.enabled and self.config.search.enabled:
                self.search.write(site_dir)
            self.writer.wait()
        except BaseException:
            self.on_build_error(None)
            raise
        (Path(site_dir) / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
        self.speed.written(site_dir)

    def on_build_error(self, error: Exception | None) -> None:
        self.speed.cancel()
        self.search.cancel()
        self.writer.cancel()
        self.linkedin.cancel()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled:
            for folder in (NEWSLETTERS, PROJECTS):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
        return server


class OldLinkedinPlugin(BasePlugin[LinkedinConfig]):
    """The `linkedin` plugin of an old mkdocs.yml, now the option `linkedin:` of `rundbrief`: kept
    only so that such a file still builds. It warns once per build and hands its options over; it
    does nothing else."""

    supports_multiple_instances = False

    @event_priority(100)  # before the rundbrief plugin's on_config, which checks the options handed over
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        log.warning(str(self.hand_over(config)))
        return config

    def hand_over(self, config: MkDocsConfig) -> Problem:
        """Gives the options to the `rundbrief` plugin; returns the warning to move them there."""
        site = config.plugins.get("rundbrief")
        if not isinstance(site, SitePlugin):
            raise ProblemsError([config_problem(NEEDS_RUNDBRIEF)])
        site.take_linkedin(self.config)
        return Problem("mkdocs.yml", 1, f"{MOVED_LINKEDIN} Bis dahin gelten sie weiter.", WARNING)


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which holds newsletters/ and projects/."""
    return Path(config.config_file_path).resolve().parent


def require_extensions(config: MkDocsConfig) -> None:
    """Adds the REQUIRED_EXTENSIONS that mkdocs.yml lacks."""
    for name, options in REQUIRED_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs[name] = options


def _bad_time(value: object) -> str:
    # YAML reads an unquoted 10:00 as 600, minutes in base 60
    given = f"{value // 60}:{value % 60:02}" if isinstance(value, int) and 0 <= value < 24 * 60 else None
    hint = (
        f" Ohne Anführungszeichen liest YAML eine Uhrzeit als Zahl: gemeint ist vielleicht „time_of_day: \"{given}\"“."
        if given else ""
    )
    return (
        f"„{value}“ in „rundbrief: feed.time_of_day“ ist keine Uhrzeit. Erlaubt ist eine Uhrzeit in Berlin als "
        f"„HH:MM“ in Anführungszeichen, z. B. „time_of_day: \"10:00\"“.{hint}"
    )


def _docs(config: MkDocsConfig, root: Path) -> str:
    """The pages' folder as editors see it, e.g. "content"."""
    return Path(config.docs_dir).relative_to(root).as_posix()


def _url(files: Files, src_uri: str) -> str:
    file = files.get_file_from_path(src_uri)
    assert file, src_uri  # read() reported a missing page before
    return file.url


@dataclass(frozen=True)
class Reading:
    """What `read` found: the content, checked as the build checks it."""

    content: Content
    static_pages: dict[str, StaticPage]  # the pages of docs_dir by src_uri, their front matter checked
    generated: list[Generated]
    problems: list[Problem]


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
