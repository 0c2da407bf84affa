"""Reading a Markdown file: UTF-8 text, YAML front matter with the line of every key, the body."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

_FENCE_END = ("---", "...")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml where available: front matter is parsed for every file on every build. Dates stay text,
    so that "2024-02-30" becomes a message about the date rather than a crash in YAML."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """A Markdown file split into front matter and body, with line numbers for both."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # line number of the body's first line in the file
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a front matter key, or of the front matter's start when the key is missing."""
        return self.key_lines.get(key, 1)


def read_source(root: Path, file: Path, problems: list[Problem]) -> Source | None:
    """Reads `file`; appends to `problems` and returns None when it cannot be read at all."""
    path = file.relative_to(root).as_posix()
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problems.append(
            Problem(
                path,
                line,
                f"Die Datei ist nicht in UTF-8 gespeichert (Byte 0x{data[e.start]:02x}). "
                "Erlaubt ist nur UTF-8: im Editor „Speichern unter… → Kodierung UTF-8“ wählen.",
            )
        )
        return None
    return split_front_matter(path, text, problems)


def split_front_matter(path: str, text: str, problems: list[Problem]) -> Source | None:
    # Lines as Python-Markdown and editors' tools count them: str.splitlines() would also split at
    # "\x0c", "\x1c", "\x85", U+2028 and shift every line number after one.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Source(path, {}, text, 1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCE_END), None)
    if end is None:
        problems.append(
            Problem(path, 1, "Der Kopfbereich wird mit „---“ geöffnet, aber nie mit „---“ geschlossen.")
        )
        return None
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(e, "problem", None) or str(e)
        problems.append(
            Problem(
                path,
                line,
                f"Der Kopfbereich (YAML) lässt sich nicht lesen: {reason}. "
                "Erlaubt sind Zeilen der Form „schlüssel: wert“; Text mit „:“ in Anführungszeichen setzen.",
            )
        )
        return None
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        problems.append(
            Problem(path, 2, "Der Kopfbereich muss aus Zeilen der Form „schlüssel: wert“ bestehen.")
        )
        return None
    key_lines = {
        key.value: key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return Source(path, meta, body, end + 2, key_lines)
