"""The `linkedin` MkDocs plugin: post texts for every issue, a copy page per issue, Open Graph tags on
every page, and social cards. Reads the build state of the `rundbrief` plugin; its files are written by
that plugin's one writer, but for the cards missing from the cache, which are drawn on every core
from the moment the content is read."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from PIL import ImageColor

from rundbrief.adapter.site.plugin import SitePlugin, generated_source, page_source
from rundbrief.core import Issue, Project, paths
from rundbrief.core.build import Build
from rundbrief.core.cards import DEFAULT_FONT, HEIGHT, WIDTH, Card, Cards, Style
from rundbrief.core.linkedin import Post, invalid_hashtags, item_texts, posts
from rundbrief.core.text import german_date, published_at

from ..errors import ProblemsError, config_problem
from ..writer import CARDS_NICE, Workers
from .config import LinkedinConfig


class LinkedinPlugin(BasePlugin[LinkedinConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.posts: dict[str, list[Post]] = {}  # issue name -> its post, then one per portrait
        self.pages: dict[str, Issue] = {}  # src_uri of a copy page -> its issue
        self.drawing = Workers()  # the cards missing from the cache
        self.cached: dict[str, Card] = {}  # the cards in the cache by their address, for the writer to link
        # issue name -> (its model, its HTML, the options, its posts): the last build's
        self.made: dict[str, tuple[Issue, str, tuple[object, ...], list[Post]]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Declared so that MkDocs keeps this instance across the preview's builds, with the posts it
        made last (`_posts`), as it keeps the rundbrief plugin's."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        site = config.plugins.get("rundbrief")
        if not isinstance(site, SitePlugin):
            raise ProblemsError([config_problem(
                "„linkedin“ braucht das Plugin „rundbrief“: beide unter „plugins:“ eintragen.")])
        self.site = site
        problems = []
        if not config.site_url:
            problems.append("LinkedIn-Texte und Vorschaubilder brauchen absolute Adressen, aber „site_url“ fehlt. "
                            "Erlaubt ist z. B. „site_url: https://www.aktif-vernetzt.de/“.")
        reason = invalid_hashtags(self.config.hashtags)
        if reason:
            problems.append(f"„linkedin: hashtags“: {reason}")
        cards = self.config.cards
        for option in ("background", "foreground", "accent"):
            try:
                ImageColor.getrgb(cards[option])
            except ValueError:
                problems.append(f"„linkedin: cards: {option}: {cards[option]}“ ist keine Farbe. "
                                "Erlaubt sind Farben wie „#3f51b5“ oder „white“.")
        root = Path(config.config_file_path).resolve().parent
        font = str(root / cards.font) if cards.font else DEFAULT_FONT
        if cards.enabled and not Path(font).is_file():
            problems.append(f"Die Schrift „{cards.font}“ aus „linkedin: cards: font“ fehlt.")
        elif cards.enabled:
            style = Style(cards.background, cards.foreground, cards.accent, font)
            self.cards = Cards(style, root / site.config.cache_dir / "cards")
            if missing := self.cards.missing_glyphs():
                problems.append(f"Der Schrift „{cards.font}“ fehlen Zeichen, die deutsche Titel brauchen: {missing}. "
                                "Erlaubt ist eine Schrift mit Umlauten, ß, „ “ und –.")
        if problems:
            raise ProblemsError([config_problem(p) for p in problems])
        return config

    @property
    def build(self) -> Build:
        assert self.site.build, "the rundbrief plugin makes the build state in on_files, before any reader"
        return self.site.build

    @event_priority(-10)  # after the rundbrief plugin has read the content
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self.posts = {}
        self.cached = {}
        self.pages = {generated_source(paths.posts_page(issue.name)): issue for issue in self.build.content.issues}
        for src_uri, issue in self.pages.items():
            meta = {
                "title": f"LinkedIn-Texte: {issue.title}",
                "template": "linkedin.html",
                "search": {"exclude": True},
                "robots": "noindex, nofollow",  # working pages for the office, not for search engines
                "hide": ["navigation", "toc"],
            }
            files.append(File.generated(config, src_uri, content=page_source(meta), inclusion=InclusionLevel.NOT_IN_NAV))
        if self.config.cards.enabled:
            self._draw_cards(Path(config.site_dir))
        return files

    def _draw_cards(self, out: Path) -> None:
        """Starts drawing the cards missing from the cache: they depend on the content alone, which is
        read now, so they are drawn while MkDocs renders the pages. A card shared by two addresses is
        drawn once. The cached ones are left to the writer."""
        missing: dict[Path, dict[str, tuple[str, Card]]] = {}  # cache file -> address -> owner, card
        for address, (owner, card) in self._cards().items():
            if (cached := self.cards.cached(card)).exists():
                self.cached[address] = card
            else:
                missing.setdefault(cached, {})[address] = (owner, card)
        self.drawing.start([(next(iter(cards.values()))[0], functools.partial(
            self._render, out, {address: card for address, (_, card) in cards.items()})) for cards in missing.values()],
            nice=CARDS_NICE)

    def _cards(self) -> dict[str, tuple[str, Card]]:
        """Every card of the site by its address, with its owner as a failure names it."""
        build = self.build
        site = build.site_name
        cards = {paths.SITE_CARD: ("das Vorschaubild der Website", Card(site, build.site_description, site))}
        for issue in build.content.issues:
            cards[paths.issue_card(issue.name)] = (f"das Vorschaubild zu „{issue.path}“", Card(
                issue.title, german_date(issue.date), site, self._feature(issue), self._picture(issue)))
        for project in build.content.projects:
            cards[paths.project_card(project.slug)] = (f"das Vorschaubild zu „{project.path}“", Card(
                project.title, _where(project), site, picture=self._picture(project)))
        return cards

    def _render(self, out: Path, cards: dict[str, Card]) -> None:
        """Puts cards at their addresses in the site, drawing those missing from the cache."""
        for folder in {(out / address).parent for address in cards}:
            folder.mkdir(parents=True, exist_ok=True)
        for address, card in cards.items():
            self.cards.render(card, out / address)

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
                        ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        model = self.build.pages.get(page.file.src_uri)
        issue = self.pages.get(page.file.src_uri)
        if issue:
            context["posts"] = self.posts[issue.name]  # type: ignore[typeddict-unknown-key]
        context["og"] = self._open_graph(page, model, config)  # type: ignore[typeddict-unknown-key]
        return context

    def _open_graph(self, page: Page, model: Issue | Project | None, config: MkDocsConfig) -> dict[str, str]:
        site_url = config.site_url or ""
        og = {
            "type": "website",
            "title": page.title or config.site_name,
            "description": page.meta.get("description") or config.site_description or "",
            "url": page.canonical_url or site_url,
            "image": site_url + paths.SITE_CARD,
            "image_alt": config.site_name,
            "image_width": str(WIDTH),
            "image_height": str(HEIGHT),
        }
        if isinstance(model, Issue):
            og.update(type="article", published_time=published_at(model.date, self.build.time_of_day).isoformat(), image=site_url + paths.issue_card(model.name),
                      image_alt=" – ".join(filter(None, (model.title, german_date(model.date), self._feature(model),
                                                          config.site_name))))
        elif isinstance(model, Project):
            og.update(image=site_url + paths.project_card(model.slug), image_alt=f"{model.title} – {_where(model)}",
                      description=page.meta.get("description") or f"{model.title}: {_where(model)}")
        return og

    @event_priority(101)  # before the rundbrief plugin's on_env starts the writer
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        # Every issue's HTML is rendered by now. The posts are made once, here, for the copy pages and
        # for the writer.
        build = self.build
        self.posts = {issue.name: self._posts(issue) for issue in build.content.issues}
        self.made = {name: self.made[name] for name in self.posts}
        self.site.writer.add("die LinkedIn-Texte und Vorschaubilder", self._write)
        return None

    def _posts(self, issue: Issue) -> list[Post]:
        """The issue's posts, made again only where what they are made of changed: the preview builds
        after every save, and a save changes one issue at most. An unchanged issue file gives the
        same model (core/content.py `Parsing`)."""
        build = self.build
        html = build.html[issue.name]
        options = (build.site_url, tuple(self.config.hashtags), tuple(self.config.utm.items()), build.portrait_section)
        made = self.made.get(issue.name)
        if made and made[0] is issue and made[1] == html and made[2] == options:
            return made[3]
        result = posts(issue, item_texts(html), build.site_url, self.config.hashtags, self.config.utm, build.portrait_section)
        self.made[issue.name] = (issue, html, options, result)
        return result

    def _write(self, out: Path) -> None:
        """The post texts, and the cards that were in the cache (`_draw_cards` draws the others)."""
        build = self.build
        for issue in build.content.issues:
            (out / paths.posts_page(issue.name)).mkdir(parents=True, exist_ok=True)
            for post in self.posts[issue.name]:
                (out / post.path).write_text(post.text, encoding="utf-8")
        self._render(out, self.cached)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.drawing.wait()

    def on_build_error(self, error: Exception) -> None:
        self.drawing.cancel()

    def _feature(self, issue: Issue) -> str:
        """The project the issue portrays, with its place: „Vorgestellt: KArAD, Düren“."""
        section = self.build.portrait_section
        project = self.build.content.portrait(issue, section)
        return f"{section}: {project.name}, {project.location}" if project else ""

    def _picture(self, model: Issue | Project) -> str | None:
        """A derived rendition of the model's picture (never the original, which carries metadata)."""
        if model.picture is None:
            return None
        pictures = self.site.pictures
        return str(pictures.file(pictures.derived[model.picture.src].middle().name))


def _where(project: Project) -> str:
    return f"{project.organisation}, {project.location}"
