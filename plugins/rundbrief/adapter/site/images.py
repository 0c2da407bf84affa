"""The content's pictures in the MkDocs build: checked against docs_dir, derived by the core
(core/images.py) into the cache, published as their renditions instead of the originals, and
written as <picture> elements. Every other image file of docs_dir is published as a copy of its
pixels alone, or not at all."""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from rundbrief.core import Content, Problem, paths
from rundbrief.core.images import IMAGE_FILES, MODERN, Derived, ImageProblem, derive_all, scrub_all
from rundbrief.core.model import Picture
from rundbrief.core.problems import WARNING

from ..writer import threads

# The layout's content column is at most about 800 px wide; on phones it is the screen's width.
CONTENT_SIZES = "(min-width: 76.25em) 800px, 100vw"
log = logging.getLogger("mkdocs.plugins.rundbrief")


class Pictures:
    """Every picture of a build, by its source path below docs_dir."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.derived: dict[str, Derived] = {}
        self.docs = "content"  # the pages' folder as editors see it, named in the warnings

    def check(self, content: Content, files: Files, docs: str) -> list[Problem]:
        """Finds each picture's file and derives it; what cannot be published is a problem at the
        line that names the picture."""
        self.derived, self.docs = {}, docs
        problems = []
        named: dict[Path, list[Picture]] = defaultdict(list)
        everywhere = [picture for issue in content.all_issues for picture in issue.pictures]
        everywhere += [picture for project in content.projects for picture in project.pictures]
        for picture in everywhere:
            file = files.get_file_from_path(picture.src)
            if file is None or file.abs_src_path is None:
                example = "image: assets/images/bus.jpg" if picture.markdown is None else \
                    "![Beschreibung](../assets/images/bus.jpg)"
                problems.append(Problem(picture.path, picture.line, (
                    f"Das Bild „{picture.src}“ gibt es nicht in {docs}/. Erlaubt ist ein Pfad relativ zu "
                    f"diesem Ordner, z. B. „{example}“.")))
            else:
                named[Path(file.abs_src_path)].append(picture)
        with threads() as pool:
            results = derive_all(named, self.cache, pool.map)
        for path, result in results.items():
            for picture in named[path]:
                if isinstance(result, ImageProblem):
                    problems.append(Problem(picture.path, picture.line, f"Bild „{picture.src}“: {result}"))
                else:
                    self.derived[picture.src] = result
        return problems

    def publish(self, files: Files, config: MkDocsConfig) -> None:
        """Replaces the originals by their renditions, and every other image file of docs_dir (the
        theme's logo, a photo that a page shows or only links to, one that nothing names) by a copy of
        its pixels alone at the same address. An image that cannot be copied so is left out, with a
        warning; where an issue or profile shows it, `check` has failed the build already."""
        theme_files = {config.theme.get("logo"), config.theme.get("favicon")}
        docs = Path(config.docs_dir)
        images = [file for file in files if file.abs_src_path and file.src_uri.lower().endswith(IMAGE_FILES)
                  and Path(file.abs_src_path).is_relative_to(docs) and file.inclusion.is_in_serve()]
        for file in images:
            files.remove(file)
        copied = [file for file in images if file.src_uri not in self.derived or file.src_uri in theme_files]
        with threads() as pool:
            copies = scrub_all([Path(str(file.abs_src_path)) for file in copied], self.cache, pool.map)
        for file in copied:
            copy = copies[Path(str(file.abs_src_path))]
            if isinstance(copy, ImageProblem):
                warning = Problem(f"{self.docs}/{file.src_uri}", 1, f"Die Datei wird nicht veröffentlicht: {copy}",
                                  WARNING)
                log.warning(str(warning))
            else:
                files.append(File.generated(config, file.src_uri, abs_src_path=str(copy), inclusion=file.inclusion))
        names = {rendition.name for derived in self.derived.values() for rendition in derived.renditions}
        for name in sorted(names):
            files.append(File.generated(config, f"{paths.PICTURES}/{name}", abs_src_path=str(self.cache / name)))

    def html(self, picture: Picture, page: Page | None, *, lazy: bool = True, sizes: str = CONTENT_SIZES,
             css_class: str = "rb-picture", alt: str | None = None) -> Markup:
        """A <picture> on one line (Markdown keeps it inline): AVIF and WebP for browsers that take
        them, the fallback for the rest, width and height against layout shift. `alt=""` where the picture
        only repeats what a link beside it says."""
        derived = self.derived[picture.src]
        sources = Markup("").join(
            Markup('<source type="{}" srcset="{}" sizes="{}">').format(kind, self._srcset(derived, kind, page), sizes)
            for _, kind in MODERN if derived.of_type(kind)
        )
        loading = Markup(' loading="lazy" decoding="async"') if lazy else Markup("")
        return Markup(
            '<picture class="{}">{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}></picture>'
        ).format(
            css_class, sources, self.url(derived.middle().name, page), self._srcset(derived, derived.fallback, page),
            sizes, derived.width, derived.height, picture.alt if alt is None else alt, loading,
        )

    def url(self, name: str, page: Page | None) -> str:
        return normalize_url(f"{paths.PICTURES}/{name}", page)

    def file(self, name: str) -> Path:
        return self.cache / name

    def _srcset(self, derived: Derived, kind: str, page: Page | None) -> str:
        return ", ".join(f"{self.url(r.name, page)} {r.width}w" for r in derived.of_type(kind))

    def in_markdown(self, markdown: str, pictures: list[Picture], page: Page) -> str:
        """The body's `![alt](src)` images as <picture> elements, each in place."""
        for picture in pictures:
            if picture.markdown and picture.src in self.derived:
                markdown = markdown.replace(picture.markdown, self.html(picture, page), 1)
        return markdown

