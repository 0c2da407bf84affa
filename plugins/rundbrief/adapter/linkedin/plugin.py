"""The `linkedin` MkDocs plugin: post texts for every issue, a copy page per issue, Open Graph tags on
every page, and social cards. Builds on the `rundbrief` plugin's content."""

from __future__ import annotations

from pathlib import Path

import font_source_sans_pro
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from PIL import ImageColor

from rundbrief.adapter.site.plugin import SitePlugin, page_source
from rundbrief.core import Issue, Project
from rundbrief.core.cards import HEIGHT, WIDTH, Card, Cards, Style
from rundbrief.core.linkedin import Post, invalid_hashtags, item_texts, posts
from rundbrief.core.text import german_date, published_at

from ..background import Background
from ..errors import ProblemsError, config_problem
from .config import LinkedinConfig

LINKEDIN = "linkedin"  # post texts and copy pages below this folder
CARDS = "assets/cards"


class LinkedinPlugin(BasePlugin[LinkedinConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.posts: dict[str, list[Post]] = {}  # issue name -> its post, then one per Vorgestellt item
        self.pages: dict[str, Issue] = {}  # src_uri of a copy page -> its issue
        self.output = Background("die LinkedIn-Texte und Vorschaubilder")

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
            problems.append("Beiträge und Vorschaubilder brauchen absolute Adressen, aber „site_url“ fehlt. "
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
        font = str(root / cards.font) if cards.font else font_source_sans_pro.SourceSansProBold
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

    @event_priority(-10)  # after the rundbrief plugin has read the content
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self.posts = {}
        self.pages = {f"{LINKEDIN}/{issue.name}.md": issue for issue in self.site.content.issues}
        for src_uri, issue in self.pages.items():
            meta = {
                "title": f"LinkedIn-Texte: {issue.title}",
                "template": "linkedin.html",
                "search": {"exclude": True},
                "robots": "noindex, nofollow",  # working pages for the office, not for search engines
                "hide": ["navigation", "toc"],
            }
            files.append(File.generated(config, src_uri, content=page_source(meta), inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def _posts(self, issue: Issue, config: MkDocsConfig) -> list[Post]:
        """An issue's posts, from its rendered HTML: MkDocs renders every page's Markdown before the
        first template, so they are ready for the copy pages, which are rendered after."""
        if issue.name not in self.posts:
            texts = item_texts(self.site.html[issue.name])
            portraits = self.site.config.sections[0]  # Vorgestellt
            self.posts[issue.name] = posts(issue, texts, config.site_url or "", self.config.hashtags,
                                           self.config.utm, portraits)
        return self.posts[issue.name]

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
                        ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        model = self.site.sources.get(page.file.src_uri)
        issue = self.pages.get(page.file.src_uri)
        if issue:
            posts = [(post, _post_path(issue.name, post, i)) for i, post in enumerate(self._posts(issue, config))]
            context["posts"] = posts  # type: ignore[typeddict-unknown-key]
        context["og"] = self._open_graph(page, model, config)  # type: ignore[typeddict-unknown-key]
        return context

    def _open_graph(self, page: Page, model: Issue | Project | None, config: MkDocsConfig) -> dict[str, str]:
        site_url = config.site_url or ""
        og = {
            "type": "website",
            "title": page.title or config.site_name,
            "description": page.meta.get("description") or config.site_description or "",
            "url": page.canonical_url or site_url,
            "image": site_url + _card_path(None),
            "image_alt": config.site_name,
            "image_width": str(WIDTH),
            "image_height": str(HEIGHT),
        }
        if isinstance(model, Issue):
            og.update(type="article", published_time=published_at(model.date).isoformat(), image=site_url + _card_path(model),
                      image_alt=" – ".join(filter(None, (model.title, german_date(model.date), self._feature(model),
                                                          config.site_name))))
        elif isinstance(model, Project):
            og.update(image=site_url + _card_path(model), image_alt=f"{model.title} – {_where(model)}",
                      description=page.meta.get("description") or f"{model.title}: {_where(model)}")
        return og

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.config.enabled:  # every issue's HTML is rendered by now
            self.output.start(lambda: self._write(Path(config.site_dir), config))
        return None

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.output.wait()

    def on_build_error(self, error: Exception) -> None:
        self.output.cancel()

    def _write(self, out: Path, config: MkDocsConfig) -> None:
        """The post texts and the cards."""
        for issue in self.site.content.issues:
            (out / LINKEDIN / issue.name).mkdir(parents=True, exist_ok=True)
            for index, post in enumerate(self._posts(issue, config)):
                (out / _post_path(issue.name, post, index)).write_text(post.text, encoding="utf-8")
        if self.config.cards.enabled:
            for folder in ("newsletters", "projects"):
                (out / CARDS / folder).mkdir(parents=True, exist_ok=True)
            site = config.site_name
            self.cards.render(Card(site, config.site_description or "", site), out / _card_path(None))
            for issue in self.site.content.issues:
                card = Card(issue.title, german_date(issue.date), site, self._feature(issue), self._picture(issue))
                self.cards.render(card, out / _card_path(issue))
            for project in self.site.content.projects:
                card = Card(project.title, _where(project), site, picture=self._picture(project))
                self.cards.render(card, out / _card_path(project))

    def _feature(self, issue: Issue) -> str:
        """The project the issue portrays, with its place: „Vorgestellt: KArAD, Düren“."""
        sections = self.site.config.sections
        project = self.site.content.portrait(issue, sections[0]) if sections else None
        return f"{sections[0]}: {project.name}, {project.location}" if project else ""

    def _picture(self, model: Issue | Project) -> str | None:
        """A derived rendition of the model's picture (never the original, which carries metadata)."""
        if model.picture is None:
            return None
        pictures = self.site.pictures
        return str(pictures.file(pictures.derived[model.picture.src].middle().name))


def _post_path(issue_name: str, post: Post, index: int) -> str:
    """/linkedin/<issue>.txt for the issue's post, /linkedin/<issue>/<item-id>.txt for an item's."""
    return f"{LINKEDIN}/{issue_name}.txt" if index == 0 else f"{LINKEDIN}/{issue_name}/{post.id}.txt"


def _card_path(model: Issue | Project | None) -> str:
    if isinstance(model, Issue):
        return f"{CARDS}/newsletters/{model.name}.png"
    if isinstance(model, Project):
        return f"{CARDS}/projects/{model.slug}.png"
    return f"{CARDS}/site.png"


def _where(project: Project) -> str:
    return f"{project.organisation}, {project.location}"

