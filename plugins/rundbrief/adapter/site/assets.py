"""The files of docs_dir that MkDocs publishes as they are: only kinds the site publishes, SVG pictures
replaced by their inert copies (core/assets.py). Theme files are the developers' and pass unchanged;
which address a file may take is addresses.py's to say."""

from __future__ import annotations

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
        problems = []
        for file in files:
            if not file.abs_src_path or not Path(file.abs_src_path).is_relative_to(docs) or file.is_documentation_page():
                continue
            path = Path(file.abs_src_path).relative_to(root).as_posix()
            if problem := unpublished(path):
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

