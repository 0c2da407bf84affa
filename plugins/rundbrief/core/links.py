"""Links and images in a body (issue, profile or page) that lead nowhere, or to a profile in a form
other than the one that works everywhere. MkDocs' own link warnings are English and miss paths that
leave the site; these are ours, at the line, in German.

A profile is linked in one form only, relative to the linking file and to the Markdown file:
`../projects/<slug>.md` from an issue. That link works in the page, the preview and the feeds, and it
is what lists the issue on the profile. Other forms (`projects/x.md` from an issue, `/projects/x/`, the
site's own address) are errors that say how to write the link, rather than a second way to mention."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection
from urllib.parse import unquote, urlsplit

from .markdown_scan import Target, scan, targets
from .model import NEWSLETTERS, PROJECTS
from .problems import Problem

# Written by the build itself (feeds, sitemap, search index), so no file of the site to find.
_BUILT = (".xml", ".json", ".gz")


_QUOTES = "„“”‚‘’»«"


def link_problems(path: str, src_uri: str, body: str, body_line: int, files: Collection[str], *,
                  site_url: str = "", docs: str = "content") -> list[Problem]:
    """`src_uri` is the page's path in the site (e.g. "newsletters/x.md"), `files` all the site's files
    by that path, `site_url` the site's own address, `docs` the name of the pages' folder."""
    problems = []
    for line in scan(body):
        for target in targets(line.text):
            message = _problem(target, posixpath.dirname(src_uri), _page_folder(src_uri), files, site_url, docs)
            if message:
                problems.append(Problem(path, body_line + line.index, message))
    return problems


def _problem(target: Target, folder: str, page_folder: str, files: Collection[str], site_url: str,
             docs: str) -> str | None:
    url = target.url.strip()
    if len(url) > 2 and url[0] in _QUOTES and url[-1] in _QUOTES:
        # Word's quotes around an address: a relative path to the browser, which leads nowhere
        return (f"Der Verweis {url} steht in Anführungszeichen, die nicht zur Adresse gehören: so führte er ins Leere. "
                f"Erlaubt ist die Adresse ohne sie, „({url[1:-1]})“: die Anführungszeichen löschen.")
    parts = urlsplit(url)
    path = unquote(parts.path)
    own = urlsplit(site_url)
    if parts.scheme or parts.netloc:
        if not (own.netloc and parts.netloc.lower() == own.netloc.lower() and path.startswith(own.path or "/")):
            return None  # another site, mailto:, tel: — not ours to check
        path = "/" + path[len(own.path or "/"):]
    if not path:
        return None  # "#anker": an anchor on the same page
    slug = _profile(path)
    written_as_file = not (parts.scheme or parts.netloc or path.startswith("/")) and path.endswith(".md")
    canonical = f"{PROJECTS}/{slug}.md"
    in_form = written_as_file and posixpath.normpath(posixpath.join(folder, path)) == canonical
    if slug and in_form and folder in (NEWSLETTERS, PROJECTS):
        return None  # whether the profile exists, the content's check says, with the profiles there are
    if slug and not in_form:
        return (f"Verweis auf das Projektprofil „{url}“ in einer Form, die nicht überall funktioniert und das Profil "
                f"die Erwähnung nicht zeigen lässt. Erlaubt ist „[Name]({_relative(canonical, folder)})“: der Pfad "
                "zur Markdown-Datei des Profils, relativ zu dieser Datei.")
    if path.startswith("/"):
        return None  # an address on the site that the build writes, e.g. a feed: no file to look for
    resolved = posixpath.normpath(posixpath.join(folder, path))
    if resolved in files:
        return None  # MkDocs turns it into the address of that file
    suffix = posixpath.splitext(resolved)[1].lower()
    if suffix in _BUILT and not target.image:
        return None
    if suffix != ".md":
        # MkDocs leaves what is no file of the site as written: the browser reads it from the page's
        # address (newsletters/x/), one folder deeper than the file (newsletters/x.md).
        resolved = posixpath.normpath(posixpath.join(page_folder, path))
        candidates = [resolved, f"{resolved}.md", f"{resolved}/index.md"] if resolved != "." else ["index.md"]
        if any(candidate in files for candidate in candidates):
            return None
    if resolved == ".." or resolved.startswith("../"):
        return (f"Der Verweis „{url}“ führt aus der Website hinaus: so einen Pfad gibt es auf der Website nicht. "
                f"Erlaubt sind Verweise auf Seiten und Dateien in {docs}/, newsletters/ und projects/, relativ zu "
                "dieser Datei.")
    close = difflib.get_close_matches(resolved, list(files), n=1, cutoff=0.7)
    hint = f" Gemeint ist vielleicht „{_relative(close[0], folder)}“." if close else ""
    if target.image:
        return (f"Das Bild „{url}“ gibt es nicht.{hint} Erlaubt sind Bilder, die als Datei in {docs}/ liegen, mit "
                f"dem Pfad relativ zu dieser Datei, z. B. „![Beschreibung]({_relative('assets/images/bild.jpg', folder)})“.")
    return (f"Der Verweis „{url}“ führt ins Leere: diese Seite oder Datei gibt es nicht.{hint} Erlaubt sind Verweise "
            f"auf Seiten und Dateien der Website, relativ zu dieser Datei, z. B. „[Kontakt]"
            f"({_relative('kontakt.md', folder)})“.")


def _page_folder(src_uri: str) -> str:
    """The folder of the page's address, with the site's directory URLs: "newsletters/x.md" is read
    at newsletters/x/, "about/index.md" at about/."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    return posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem


def _profile(path: str) -> str:
    """The slug of the profile a path means, in whatever form: "projects/x.md", "/projects/x/", …"""
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    if segments and segments[-1] in ("index.html", "index.md"):
        segments.pop()
    if len(segments) < 2 or segments[-2] != PROJECTS:
        return ""
    slug = posixpath.splitext(segments[-1])[0] if segments[-1].endswith((".md", ".html")) else segments[-1]
    return "" if slug == "index" else slug


def _relative(target: str, folder: str) -> str:
    return posixpath.relpath(target, folder or ".")
