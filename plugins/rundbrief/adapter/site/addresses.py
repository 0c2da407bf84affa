"""The addresses of the site and who writes at each: a file of docs_dir may take none that another
writes. Rundbrief generates pages (archive, directory, search, themes, the issues and profiles from
outside docs_dir), writes files of its own (feeds, search index, LinkedIn texts, cards: core/paths.py),
and the theme writes its files (stylesheets, scripts, 404.html). Each file of docs_dir at such an
address is reported at that file, in German, with what to do. Addresses are compared casefolded: on
macOS and Windows "Suche.md" takes the search page's "suche/index.md"."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from rundbrief.core import Problem, paths

ELSEWHERE = "Erlaubt ist jede andere Adresse: die Datei umbenennen oder in einen anderen Ordner legen."


def taken(config: MkDocsConfig, root: Path, files: Files, generated: Iterable[tuple[str, str | None]]) -> list[Problem]:
    """The files of docs_dir at an address another writes. `generated`: the pages Rundbrief adds, as
    (src_uri, the editor's file relative to the project or None), in the order they take addresses."""
    docs = Path(config.docs_dir)
    theme = theme_addresses(config)
    problems = _generated_pages(docs.relative_to(root).as_posix(), files, generated)
    for file in files:
        if not file.abs_src_path or not Path(file.abs_src_path).is_relative_to(docs):
            continue
        path = Path(file.abs_src_path).relative_to(root).as_posix()
        if what := paths.reserved(file.dest_uri):
            problems.append(Problem(path, 1, f"Unter dieser Adresse ({file.dest_uri}) schreibt Rundbrief {what}. {ELSEWHERE}"))
        elif file.dest_uri.casefold() in theme:
            problems.append(Problem(path, 1, (
                f"Unter dieser Adresse ({file.dest_uri}) liegt eine Datei der Vorlagen, die die Website "
                f"gestalten: diese Datei träte an ihre Stelle, auf jeder Seite, die sie lädt. {ELSEWHERE}")))
    return problems


def _generated_pages(docs: str, files: Files, generated: Iterable[tuple[str, str | None]]) -> list[Problem]:
    """Generated pages whose address is taken, reported at the editor's file where there is one. Compared
    by the file each is written to: "newsletters.md" takes the archive's "newsletters/index.md"."""
    overview = "die von Rundbrief erzeugte Übersichtsseite"
    directory_urls = next((file.use_directory_urls for file in files), True)
    holders = {file.dest_uri.casefold(): f"{docs}/{file.src_uri}" for file in files}
    problems = []
    for src_uri, source in generated:
        address = File(src_uri, None, "", directory_urls).dest_uri.casefold()
        holder = holders.get(address)
        if holder is None:
            holders[address] = source or overview
            continue
        path, other = (source, holder) if source else (holder, overview)
        problems.append(Problem(path, 1, (
            f"Diese Datei bekäme dieselbe Adresse wie {other}. Erlaubt ist jede Adresse nur einmal: die Datei umbenennen."
        )))
    return problems


def theme_addresses(config: MkDocsConfig) -> set[str]:
    """Where the theme writes into the site, casefolded: every file of its folders (Material's,
    overrides/, MkDocs' own), which MkDocs copies unless a file of docs_dir has its address
    (`Files.add_files_from_theme`), and the pages it renders from templates (404.html, sitemap.xml).
    Other templates are no files of the site. Dot files MkDocs leaves out."""
    addresses = {name.casefold() for name in config.theme.static_templates}
    for folder in config.theme.dirs:
        for current, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # Material's 10,000 icons
            relative = Path(current).relative_to(folder)
            addresses.update((relative / name).as_posix().casefold() for name in names
                             if not name.startswith(".") and not name.lower().endswith(".html"))
    return addresses
