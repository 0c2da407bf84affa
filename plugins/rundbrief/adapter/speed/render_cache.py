"""What MkDocs renders from a page's Markdown, and what the checks found in the result, kept across
builds in the project's cache: a warm build converts and checks only the pages whose inputs changed.

Converting Markdown is a large part of a plain MkDocs build; a new Markdown instance per page, with
its extensions, is much of that (bench/RESULTS.md). An entry is keyed by everything the conversion reads: the page's final
Markdown and address, the addresses of all files (links are resolved against them), the extensions'
configuration, the versions of MkDocs, Markdown and the extensions, and Rundbrief's own code. What
the conversion logs is kept with it and logged again, so that `--strict` fails a warm build too.

The preview builds again after every save, in one process: it keeps the entries of its last build in
memory, and the allow-list's results too, which every other build computes anew."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

import rundbrief
from rundbrief.core.cached_files import SIGNATURE_SIZE, code_digest, signature, signed_by_us, write_atomically
from rundbrief.core.sanitize import sanitize

DISTRIBUTIONS = ("mkdocs", "properdocs", "markdown", "pymdown-extensions", "mkdocs-material", "nh3")
# Extensions that read other files than the page: their output is not a function of the key
READS_FILES = {"pymdownx.snippets", "pymdownx.b64"}
PURE_PACKAGES = ("markdown.extensions.", "pymdownx.", "material.extensions.")
LAST_BUILD = "rendered.digest"  # the common inputs of the last full build, see `RenderCache.cold`
LOGGER = Page.__module__.partition(".")[0]  # "mkdocs", or "properdocs" on the fork


class RenderCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.digest: str | None = None  # of the build's inputs common to all pages; None: no caching
        self.used: dict[str, dict[str, Any] | None] = {}  # entries read or written by this build, remembered or not
        self.converted = 0  # pages this build converted: none means that no page's Markdown changed
        self.remember = False  # the entries and the allow-list's results, for the next build in this process
        self.memory: dict[str, dict[str, Any]] = {}  # the entries the last build remembered
        self.sanitized: dict[str, str] = {}  # HTML -> what the allow-list left of it, this build's
        self.sanitized_before: dict[str, str] = {}  # the last build's

    def start(self, config: MkDocsConfig, files: Files, *, options: object, remember: bool) -> None:
        """Called once the build's files are final. `options` are the plugin's, which the checks read."""
        self.memory = {name: entry for name, entry in self.used.items() if entry is not None} if remember else {}
        self.sanitized_before, self.sanitized = (self.sanitized, {}) if remember else ({}, {})
        self.used, self.converted, self.remember = {}, 0, remember
        pure = all(_pure(name) for name in config.markdown_extensions)
        self.digest = _digest([
            sys.version, _code(), config.markdown_extensions,
            config.mdx_configs, config.validation, config.use_directory_urls,
            logging.getLogger(LOGGER).getEffectiveLevel(),
            sorted((f.src_uri, f.url, f.inclusion.name, f.is_documentation_page()) for f in files), options,
        ]) if pure else None

    def cold(self) -> bool:
        """Whether the cache likely holds none of this build's pages: no full build with the same
        inputs common to all pages has ended here (see `prune`)."""
        if self.digest is None:
            return False
        try:
            return (self.folder / LAST_BUILD).read_text(encoding="ascii") != self.digest
        except (OSError, ValueError):
            return True

    def install(self, page: Page) -> None:
        """Makes `page.render` use the cache; MkDocs calls it after every `on_page_markdown`."""
        if self.digest is not None:
            # Host internal: MkDocs 1.6.1 calls `page.render` once per page, after `on_page_markdown`
            page.render = lambda config, files: self._render(page, config, files)  # type: ignore[method-assign]

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert self.digest is not None and page.markdown is not None
        key = _digest([self.digest, page.file.src_uri, page.file.dest_uri, page.markdown])
        if (entry := self._read("rendered", key)) and _restore(page, entry, files):
            for name, level, message in entry["logs"]:
                logging.getLogger(name).log(level, message)
            return
        self.converted += 1
        with _Recording() as logs:
            Page.render(page, config, files)
        self._write("rendered", key, {
            "content": page.content,
            "toc": [_token(link) for link in page.toc],
            "title": page._title_from_render,  # Host internal: MkDocs 1.6.1
            "anchors": sorted(page.present_anchor_ids or ()),
            "links_to_anchors": None if page.links_to_anchors is None else
            {file.src_uri: links for file, links in page.links_to_anchors.items()},
            "logs": logs,
        })

    def check(self, inputs: list[object], check: Callable[[], bool]) -> None:
        """Runs `check`, which says whether it found nothing, unless the same `inputs` were checked
        and found clean before. A problem is found again by every build until it is mended."""
        key = _digest([self.digest, inputs]) if self.digest else None
        if key and self._read("checked", key) is not None:
            return
        if check() and key:
            self._write("checked", key, {})

    def sanitize(self, html: str) -> str:
        """The allow-list's result, from the last build's where this process made it."""
        result = self.sanitized_before.get(html)
        if result is None:
            result = sanitize(html)
        if self.remember:
            self.sanitized[html] = result
        return result

    def prune(self) -> None:
        """Removes what this build did not use: after a full build, that is every stale entry.
        Remembers the build's common inputs, by which the next build tells whether it is `cold`."""
        try:
            for kind in ("rendered", "checked"):
                folder = self.folder / kind
                for entry in os.scandir(folder) if folder.is_dir() else ():
                    if f"{kind}/{entry.name}" not in self.used:
                        Path(entry.path).unlink(missing_ok=True)
            if self.digest is not None:
                write_atomically(self.folder / LAST_BUILD, self.digest.encode("ascii"))
        except OSError:  # a read-only or full disk: the cache only grows, and the next build converts ahead again
            pass

    def _read(self, kind: str, key: str) -> dict[str, Any] | None:
        name = f"{kind}/{key}"
        entry = self.memory.get(name)
        if entry is None:
            try:
                data = (self.folder / name).read_bytes()
                mark, data = data[:SIGNATURE_SIZE], data[SIGNATURE_SIZE:]
                # An entry's title, table of contents and logs reach pages past the allow-list: only
                # what a build on this machine wrote is used, nothing a restored cache brought along.
                entry = json.loads(data) if signed_by_us(mark, data) else None
            except (OSError, ValueError):  # none yet, or cut short by a crash: render again
                return None
            if not isinstance(entry, dict):
                return None
        self.used[name] = entry if self.remember else None
        return entry

    def _write(self, kind: str, key: str, entry: dict[str, Any]) -> None:
        target = self.folder / kind / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(entry, ensure_ascii=False).encode()
            write_atomically(target, signature(data) + data)
        except OSError:  # a full or read-only disk slows the next build, and fails none
            return
        self.used[f"{kind}/{key}"] = entry if self.remember else None


def _restore(page: Page, entry: dict[str, Any], files: Files) -> bool:
    """Sets what `Page.render` sets (host.PAGE_RENDERS); False if a file the entry names is gone."""
    # Host internal: MkDocs 1.6.1, the attributes `Page.render` sets
    links: dict[Any, dict[str, str]] | None = None
    if entry["links_to_anchors"] is not None:
        links = {}
        for src_uri, anchors in entry["links_to_anchors"].items():
            if (file := files.get_file_from_path(src_uri)) is None:
                return False
            links[file] = anchors
    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    page.links_to_anchors = links
    return True


def _token(link: AnchorLink) -> dict[str, Any]:
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_token(c) for c in link.children]}


class _Recording(logging.Handler):
    """Collects what MkDocs logs while it renders a page, as (logger, level, message)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    def __enter__(self) -> list[tuple[str, int, str]]:
        logging.getLogger(LOGGER).addHandler(self)
        return self.records

    def __exit__(self, *exc: object) -> None:
        logging.getLogger(LOGGER).removeHandler(self)


def _pure(extension: str) -> bool:
    """Whether an extension's output depends on the page's Markdown and its configuration alone."""
    return extension not in READS_FILES and (extension in _builtin_extensions() or extension.startswith(PURE_PACKAGES))


@cache
def _builtin_extensions() -> frozenset[str]:
    """Python-Markdown's own extensions by their short names, e.g. "toc"."""
    entries = metadata.entry_points(group="markdown.extensions")
    return frozenset(e.name for e in entries if e.value.startswith("markdown.extensions."))


@cache
def _code() -> str:
    """Rundbrief's own code, every module of it, since the plugin's every event can change a page, and
    the packages that convert: an update, or an edit while developing, renders anew."""
    package = Path(rundbrief.__file__).parent
    modules = (".".join(("rundbrief", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
               for path in package.rglob("*.py"))
    return code_digest(tuple(sorted(modules)), DISTRIBUTIONS)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=_plain, sort_keys=True).encode()).hexdigest()


def _plain(value: object) -> object:
    """Configuration as JSON: mappings as dicts, functions (e.g. a slugify) by their names."""
    if hasattr(value, "items"):
        return dict(value.items())
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=repr)
    return f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"
