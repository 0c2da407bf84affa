"""The preview's rebuilds after a save, limited to what the save can change. MkDocs' `build(dirty=True)`
keeps the site folder and writes only pages whose `file.is_modified()` is true; here that answer
comes from a fingerprint of everything a page's template reads of the content, compared with the
previous build's. Every page is still read and rendered to HTML, so that every check, the
feeds and the LinkedIn texts see the whole content as a full build does; only the templates of
unchanged pages are not rendered again.

A rebuild is dirty only when the site is made of the same files as before: any file added, removed
or renamed, any change to mkdocs.yml, to the templates or to a page in docs_dir (which every page's
navigation and footer may show) makes a full build, as does any failed build before it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from rundbrief.core import Issue, Project, paths
from rundbrief.core.build import Build
from rundbrief.core.content import Parsing
from rundbrief.core.paths import NEWSLETTERS, PROJECTS


@dataclass
class Previous:
    """What a successful build leaves for the next one."""

    stamp: str  # the site's files, see `stamp`
    fingerprints: dict[str, str]  # url -> fingerprint, for the pages that have one
    searchable: dict[str, str]  # url -> the page's HTML, for the pages in the search index


@dataclass
class Incremental:
    """The site plugin's state between the preview's builds, and the current build's plan."""

    parsing: Parsing = field(default_factory=Parsing)
    previous: Previous | None = None
    dirty: bool = False  # this build keeps the site folder
    defer: bool = False  # the search index and the writer's outputs are written after the build
    deferred: Callable[[], None] | None = None  # writes them; the preview calls it once it serves the pages
    stamp: str = ""  # this build's
    fingerprints: dict[str, str] = field(default_factory=dict)  # this build's
    searchable: dict[str, str] = field(default_factory=dict)  # this build's, as pages are written
    skipped: set[str] = field(default_factory=set)  # urls of the pages kept from the previous build
    kept: set[str] = field(default_factory=set)  # paths in the site of the files this build need not write
    before: dict[str, tuple[int, int]] = field(default_factory=dict)  # path in the site -> (inode, ctime)
    theme_listing: tuple[object, list[str]] | None = None  # what the theme's folders held, see `keep_theme_listing`

    def begin(self, config: MkDocsConfig, *, defer: bool = False) -> bool:
        """Called before a preview build; returns whether it may be dirty. `defer`: see `deferred`."""
        self.defer, self.deferred = defer, None
        self.stamp = stamp(config)
        self.keep_theme_listing(config)
        self.dirty = self.previous is not None and self.previous.stamp == self.stamp
        self.fingerprints, self.searchable, self.skipped, self.kept = {}, {}, set(), set()
        self.before = _files(Path(config.site_dir)) if self.dirty else {}
        return self.dirty

    def keep_theme_listing(self, config: MkDocsConfig) -> None:
        """MkDocs lists the thousands of files of the theme's folders on every build to find its static
        files. What it lists changes only with mkdocs.yml and the templates' folder, which the
        stamp covers; Material's and MkDocs' own folders change only with their release, which a
        running preview keeps. So a build with the stamp of the last listing takes that listing."""
        get_env = config.theme.get_env  # Host internal: MkDocs 1.6.1 lists the templates through it

        def env_listing_once() -> Environment:
            env = get_env()
            list_templates = env.list_templates

            def listing(extensions: Collection[str] | None = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
                key = (self.stamp, tuple(extensions or ()), getattr(filter_func, "__code__", filter_func))
                if self.theme_listing is None or self.theme_listing[0] != key:
                    self.theme_listing = key, list_templates(extensions, filter_func)
                return list(self.theme_listing[1])

            env.list_templates = listing  # type: ignore[method-assign]
            return env

        config.theme.get_env = env_listing_once  # type: ignore[method-assign]

    def read_everything(self, files: Files) -> None:
        """Every page is read and rendered, whatever its file's time says: the build needs them all."""
        for file in files.documentation_pages():
            _answer(file, True)

    def write_changed(self, files: Files, build: Build) -> None:
        """From here on, MkDocs writes only the pages whose fingerprint changed."""
        self.fingerprints = fingerprints(build)
        if not self.dirty or self.previous is None:
            return
        before = self.previous.fingerprints
        for file in files.documentation_pages():
            fingerprint = self.fingerprints.get(file.url)
            changed = fingerprint is None or before.get(file.url) != fingerprint
            _answer(file, changed)
            if not changed:
                self.skipped.add(file.url)
                self.kept.add(file.abs_dest_path)
        # Static files are copied only when changed
        self.kept.update(file.abs_dest_path for file in files if not file.is_documentation_page())

    def kept_searchable(self) -> Iterable[tuple[str, str]]:
        """The searchable pages this build kept, as (HTML, url), for the search index of all pages."""
        before = self.previous.searchable if self.previous else {}
        for url in sorted(self.skipped & before.keys()):
            self.searchable[url] = before[url]
            yield before[url], url

    def sweep(self, site_dir: str) -> None:
        """Removes what an earlier build wrote and this one did not: the page of a theme no profile
        has any more, the post text of a renamed item. Whatever this build wrote has a new change
        time (ctime), hard-linked cards included."""
        if not self.dirty:
            return
        for path, status in _files(Path(site_dir)).items():
            if self.before.get(path) == status and path not in self.kept:
                os.remove(path)
        for parent, _, _ in sorted(os.walk(site_dir), reverse=True):  # the deepest first
            if parent != site_dir and not os.listdir(parent):
                os.rmdir(parent)

    def finish(self) -> None:
        self.previous = Previous(self.stamp, self.fingerprints, self.searchable)

    def forget(self) -> None:
        """After a failed build, whose site folder is incomplete: the next build is a full one."""
        self.previous = None


def written_later(path: str) -> bool:
    """Whether a file of the site (a path relative to it) is among the outputs the preview writes
    after the build: a request for it waits for them."""
    return (path.endswith(paths.FEED) or path == paths.JSON_FEED or path.startswith((paths.CARDS, paths.SEARCH_BUNDLE))
            or (path.startswith(paths.LINKEDIN) and path.endswith(".txt")))


def _answer(file: File, modified: bool) -> None:
    # Host internal: MkDocs 1.6.1 asks `file.is_modified()` of every page in a dirty build
    file.is_modified = (lambda: True) if modified else (lambda: False)  # type: ignore[method-assign]


def _files(site_dir: Path) -> dict[str, tuple[int, int]]:
    result = {}
    for parent, _, names in os.walk(site_dir):
        for name in names:
            path = os.path.join(parent, name)
            status = os.stat(path)
            result[path] = (status.st_ino, status.st_ctime_ns)
    return result


def stamp(config: MkDocsConfig) -> str:
    """The site's files without the text of issues and profiles, whose changes the fingerprints
    follow: mkdocs.yml, every file of docs_dir and of the templates with its size and time, and
    the names in newsletters/ and projects/."""
    root = Path(config.config_file_path).resolve().parent
    digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
    folders = [(Path(config.docs_dir), True), (root / NEWSLETTERS, False), (root / PROJECTS, False)]
    if config.theme.custom_dir:
        folders.append((Path(config.theme.custom_dir), True))
    for folder, times in folders:
        digest.update(f"\0{folder}".encode())
        for parent, folder_names, names in os.walk(folder):
            folder_names.sort()
            for name in sorted(names):
                path = os.path.join(parent, name)
                digest.update(path.encode(errors="surrogateescape"))
                if times:
                    try:
                        status = os.stat(path)
                    except OSError:  # gone already: a build of its own follows
                        continue
                    digest.update(f"{status.st_size} {status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def fingerprints(build: Build) -> dict[str, str]:
    """Per page built from an issue or profile (and the issue's LinkedIn page), by URL, a digest of what its
    template reads of the content: for an issue itself, its neighbours, and the profiles it links
    to (portraits, Open Graph); for a profile itself and the issues that mention it; for the
    directory every profile. The other generated listings (start page, archive, themes) have none,
    and are always written."""
    content = build.content
    models: list[Issue | Project] = [*content.all_issues, *content.projects]
    own = {model.path: _digest(model) for model in models}
    by_slug = content.by_slug()
    result: dict[str, str] = {}
    for issue in content.issues:
        linked = sorted({slug for slug, _ in issue.linked_projects()})
        parts = [own[issue.path], *(own[n.path] if n else "-" for n in content.neighbours(issue)),
                 *(own[by_slug[slug].path] if slug in by_slug else f"-{slug}" for slug in linked)]
        fingerprint = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        result[issue.url] = result[paths.posts_page(issue.name)] = fingerprint
    for project in content.projects:
        parts = [own[project.path], *(f"{own[m.issue.path]} {m.item.id if m.item else ''}" for m in project.mentions)]
        result[project.url] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    # The directory shows every profile and nothing of the issues: of its 500 entries, an issue's save changes none
    result[paths.DIRECTORY] = hashlib.sha256("\n".join(own[project.path] for project in content.projects).encode()).hexdigest()
    return result


def _digest(model: Issue | Project) -> str:
    """Every field of the model (the source and a profile's mentions aside, which follow from it)."""
    plain = replace(model, mentions=[]) if isinstance(model, Project) else model
    return hashlib.sha256(repr(plain).encode()).hexdigest()
