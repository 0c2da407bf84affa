"""What the `linkedin:` option of the plugin makes: post texts for every issue, a copy page per issue,
Open Graph tags on every page, and social cards. The plugin calls it from its event handlers with the
build state, into which it puts the posts and cards it makes; its files are written by the plugin's
one writer, but for the cards missing from the cache, which are drawn on every core from the moment
the content is read."""

from __future__ import annotations

import functools
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from PIL import ImageColor

from rundbrief.core import Issue, Project, paths
from rundbrief.core.build import Build
from rundbrief.core.cards import DEFAULT_FONT, HEIGHT, WIDTH, Card, Cards, Style
from rundbrief.core.linkedin import Post, invalid_hashtags, item_texts, posts
from rundbrief.core.text import german_date

from ..writer import CARDS_NICE, Workers
from .config import LinkedinConfig
from .images import Pictures
from .meta import generated_source, page_source


class Linkedin:
    def __init__(self) -> None:
        self.options = LinkedinConfig()
        self.cards: Cards | None = None  # where cards are drawn and cached; None where they are off
        self.pages: dict[str, Issue] = {}  # src_uri of a copy page -> its issue
        self.drawing = Workers()  # the cards missing from the cache
        self.cached: dict[str, Card] = {}  # the cards in the cache by their address, for the writer to link
        # issue name -> (its model, its HTML, the options, its posts): the last build's, which the
        # preview's next build reuses (the plugin instance outlives its builds)
        self.made: dict[str, tuple[Issue, str, tuple[object, ...], list[Post]]] = {}

    def configure(self, options: LinkedinConfig, config: MkDocsConfig, root: Path, cache: Path) -> list[str]:
        """Takes the options; returns what is wrong with them, in German."""
        self.options = options
        self.cards = None
        problems = []
        if not config.site_url:
            problems.append("LinkedIn-Texte und Vorschaubilder brauchen absolute Adressen, aber „site_url“ fehlt. "
                            "Erlaubt ist z. B. „site_url: https://www.aktif-vernetzt.de/“.")
        if reason := invalid_hashtags(options.hashtags):
            problems.append(f"„linkedin: hashtags“: {reason}")
        cards = options.cards
        for option in ("background", "foreground", "accent"):
            try:
                ImageColor.getrgb(cards[option])
            except ValueError:
                problems.append(f"„linkedin: cards: {option}: {cards[option]}“ ist keine Farbe. "
                                "Erlaubt sind Farben wie „#3f51b5“ oder „white“.")
        font = str(root / cards.font) if cards.font else DEFAULT_FONT
        if cards.enabled and not Path(font).is_file():
            problems.append(f"Die Schrift „{cards.font}“ aus „linkedin: cards: font“ fehlt.")
        elif cards.enabled:
            self.cards = Cards(Style(cards.background, cards.foreground, cards.accent, font), cache / "cards")
            if missing := self.cards.missing_glyphs():
                problems.append(f"Der Schrift „{cards.font}“ fehlen Zeichen, die deutsche Titel brauchen: {missing}. "
                                "Erlaubt ist eine Schrift mit Umlauten, ß, „ “ und –.")
        return problems

    def add_pages(self, build: Build, files: Files, config: MkDocsConfig) -> None:
        """A copy page per issue, for the office: not in the nav, search or sitemap."""
        self.pages = {generated_source(paths.posts_page(issue.name)): issue for issue in build.content.issues}
        for src_uri, issue in self.pages.items():
            meta = {
                "title": f"LinkedIn-Texte: {issue.title}",
                "template": "linkedin.html",
                "search": {"exclude": True},
                "robots": "noindex, nofollow",  # working pages for the office, not for search engines
                "hide": ["navigation", "toc"],
            }
            files.append(File.generated(config, src_uri, content=page_source(meta), inclusion=InclusionLevel.NOT_IN_NAV))

    def draw_cards(self, build: Build, pictures: Pictures, out: Path) -> None:
        """Starts drawing the cards missing from the cache: they depend on the content alone, which is
        read now, so they are drawn while MkDocs renders the pages. A card shared by two addresses is
        drawn once. The cached ones are left to the writer."""
        self.cached = {}
        if self.cards is None:
            return
        owned = _cards(build, pictures)
        build.cards = {address: card for address, (_, card) in owned.items()}
        missing: dict[Path, dict[str, tuple[str, Card]]] = {}  # cache file -> address -> owner, card
        for address, (owner, card) in owned.items():
            if (cached := self.cards.cached(card)).exists():
                self.cached[address] = card
            else:
                missing.setdefault(cached, {})[address] = (owner, card)
        self.drawing.start([(next(iter(cards.values()))[0], functools.partial(
            self._render, out, {address: card for address, (_, card) in cards.items()})) for cards in missing.values()],
            nice=CARDS_NICE)

    def _render(self, out: Path, cards: dict[str, Card]) -> None:
        """Puts cards at their addresses in the site, drawing those missing from the cache."""
        assert self.cards, "cards are rendered only where they are on"
        for folder in {(out / address).parent for address in cards}:
            folder.mkdir(parents=True, exist_ok=True)
        for address, card in cards.items():
            self.cards.render(card, out / address)

    def page_context(self, context: TemplateContext, page: Page, build: Build, config: MkDocsConfig) -> None:
        """The posts on a copy page, the Open Graph tags on every page."""
        if issue := self.pages.get(page.file.src_uri):
            context["posts"] = build.posts[issue.name]  # type: ignore[typeddict-unknown-key]
        context["og"] = _open_graph(page, build, config)  # type: ignore[typeddict-unknown-key]

    def make_posts(self, build: Build) -> None:
        """Every issue's posts, once its HTML is rendered: for the copy pages, the writer and the command."""
        build.posts = {issue.name: self._posts(build, issue) for issue in build.content.issues}
        self.made = {name: self.made[name] for name in build.posts}

    def _posts(self, build: Build, issue: Issue) -> list[Post]:
        """The issue's posts, made again only where what they are made of changed: the preview builds
        after every save, and a save changes one issue at most. An unchanged issue file gives the
        same model (core/content.py `Parsing`)."""
        html = build.html[issue.name]
        options = (build.site_url, tuple(self.options.hashtags), tuple(self.options.utm.items()), build.portrait_section)
        made = self.made.get(issue.name)
        if made and made[0] is issue and made[1] == html and made[2] == options:
            return made[3]
        result = posts(issue, item_texts(html), build.site_url, self.options.hashtags, self.options.utm, build.portrait_section)
        self.made[issue.name] = (issue, html, options, result)
        return result

    def write(self, build: Build, out: Path) -> None:
        """The writer's part: the post texts, and the cards that were in the cache (`draw_cards` draws
        the others)."""
        for name, found in build.posts.items():
            (out / paths.posts_page(name)).mkdir(parents=True, exist_ok=True)
            for post in found:
                (out / post.path).write_text(post.text, encoding="utf-8")
        self._render(out, self.cached)

    def wait(self) -> None:
        """Waits for the cards being drawn; raises if one failed."""
        self.drawing.wait()

    def cancel(self) -> None:
        self.drawing.cancel()


def _cards(build: Build, pictures: Pictures) -> dict[str, tuple[str, Card]]:
    """Every card of the site by its address, with its owner as a failure names it."""
    site = build.site_name
    cards = {paths.SITE_CARD: ("das Vorschaubild der Website", Card(site, build.site_description, site))}
    for issue in build.content.issues:
        cards[paths.issue_card(issue.name)] = (f"das Vorschaubild zu „{issue.path}“", Card(
            issue.title, german_date(issue.date), site, _feature(build, issue), _picture(pictures, issue)))
    for project in build.content.projects:
        cards[paths.project_card(project.slug)] = (f"das Vorschaubild zu „{project.path}“", Card(
            project.title, _where(project), site, picture=_picture(pictures, project)))
    return cards


def _open_graph(page: Page, build: Build, config: MkDocsConfig) -> dict[str, str]:
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
    model = build.pages.get(page.file.src_uri)
    if isinstance(model, Issue):
        og.update(type="article", title=model.headline, published_time=model.moment(build.time_of_day).isoformat(),
                  image=site_url + paths.issue_card(model.name),
                  image_alt=" – ".join(filter(None, (model.title, german_date(model.date), _feature(build, model),
                                                      config.site_name))))
    elif isinstance(model, Project):
        og.update(image=site_url + paths.project_card(model.slug), image_alt=f"{model.title} – {_where(model)}",
                  description=page.meta.get("description") or f"{model.title}: {_where(model)}")
    return og


def _feature(build: Build, issue: Issue) -> str:
    """The project the issue portrays, with its place: „Vorgestellt: KArAD, Düren“."""
    section = build.portrait_section
    project = build.content.portrait(issue, section)
    return f"{section}: {project.name}, {project.location}" if project else ""


def _picture(pictures: Pictures, model: Issue | Project) -> str | None:
    """A derived rendition of the model's picture (never the original, which carries metadata)."""
    if model.picture is None:
        return None
    return str(pictures.file(pictures.derived[model.picture.src].middle().name))


def _where(project: Project) -> str:
    return ", ".join(part for part in (project.organisation, project.location) if part)
