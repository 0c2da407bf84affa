"""The files of docs_dir that MkDocs publishes as they are: none at the address of a theme file, only
kinds the site publishes, SVG pictures replaced by their inert copies (core/assets.py). Theme files are
the developers' and pass unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from rundbrief.core import Problem
from rundbrief.core.assets import SVG, inert_svg, unpublished


class Assets:
    def __init__(self) -> None:
        self.inert: dict[str, bytes] = {}  # SVG pictures by src_uri, as they are published

    def check(self, files: Files, config: MkDocsConfig, root: Path) -> list[Problem]:
        self.inert = {}
        docs = Path(config.docs_dir)
        theme = theme_addresses(config)
        problems = []
        for file in files:
            if not file.abs_src_path or not Path(file.abs_src_path).is_relative_to(docs):
                continue
            path = Path(file.abs_src_path).relative_to(root).as_posix()
            if file.dest_uri.casefold() in theme:
                problems.append(Problem(path, 1, (
                    f"Unter dieser Adresse ({file.dest_uri}) liegt eine Datei der Vorlagen, die die Website "
                    "gestalten: diese Datei träte an ihre Stelle, auf jeder Seite, die sie lädt. Erlaubt ist jede "
                    "andere Adresse: die Datei umbenennen oder in einen anderen Ordner legen.")))
            elif file.is_documentation_page():
                continue
            elif problem := unpublished(path):
                problems.append(problem)
            elif file.src_uri.lower().endswith(SVG):
                result = inert_svg(path, Path(file.abs_src_path).read_bytes())
                if isinstance(result, Problem):
                    problems.append(result)
                else:
                    self.inert[file.src_uri] = result
        return problems

    def publish(self, files: Files, config: MkDocsConfig) -> None:
        for src_uri, data in self.inert.items():
            original = files.get_file_from_path(src_uri)
            if original:
                files.remove(original)
                files.append(File.generated(config, src_uri, content=data, inclusion=original.inclusion))


def theme_addresses(config: MkDocsConfig) -> set[str]:
    """Where the theme writes into the site, casefolded (on macOS and Windows `Main.CSS` is `main.css`):
    every file of its folders (Material's, overrides/, MkDocs' own), which MkDocs copies unless a file of
    docs_dir has its address (`Files.add_files_from_theme`), and the pages it renders from templates
    (404.html, sitemap.xml). Other templates are no files of the site. Dot files MkDocs leaves out."""
    addresses = {name.casefold() for name in config.theme.static_templates}
    for folder in config.theme.dirs:
        for current, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # Material's 10,000 icons
            relative = Path(current).relative_to(folder)
            addresses.update((relative / name).as_posix().casefold() for name in names
                             if not name.startswith(".") and not name.lower().endswith(".html"))
    return addresses
