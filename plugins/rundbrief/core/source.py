"""Reading a Markdown file: UTF-8 text, YAML front matter with the line of every key, the body."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.numbers import format_decimal

from .problems import Problem, cut
from .text import REFUSED_CONTROL, STRIPPED_CONTROL, control_name

_FENCE_END = ("---", "...")

# Limits far above any real issue or profile (the longest sample issue has 6 KB and two levels of YAML),
# checked before the file is read or its YAML parsed: a huge file or a deep nest would otherwise exhaust
# memory or the YAML loader's stack.
MAX_BYTES = 1_000_000
MAX_DEPTH = 10


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
    data = read_bytes(root, file, problems)
    return None if data is None else decode_source(file.relative_to(root).as_posix(), data, problems)


def read_bytes(root: Path, file: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of `file`, unless it is too large to be a Markdown file."""
    path = file.relative_to(root).as_posix()
    size = file.stat().st_size
    if size > MAX_BYTES:
        problems.append(Problem(path, 1, (
            f"Die Datei ist {megabytes(size)} MB groß. Erlaubt ist "
            "höchstens 1 MB je Datei; Bilder gehören nicht in den Text, sondern als eigene Datei in den Ordner "
            "der Seiten."
        )))
        return None
    with file.open("rb") as f:
        return f.read(MAX_BYTES)


def megabytes(size: int) -> str:
    """A file's size as editors read it: "30,2"."""
    return format_decimal(size / 1_000_000, "#,##0.0", locale="de_DE")


def decode_source(path: str, data: bytes, problems: list[Problem]) -> Source | None:
    """A file's bytes as a Source; None (and a problem) unless they are UTF-8 with valid front matter."""
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
    if (REFUSED_CONTROL.search(text) or "&#" in text) and (controls := _controls(path, lines)):
        problems += controls
        return None
    if not lines or lines[0].rstrip() != "---":
        if unopened := _unopened(lines):
            problems.append(Problem(path, 1, (
                f"Über „{cut(lines[0].strip())}“ fehlt die Zeile „---“, die den Kopfbereich öffnet: so liest der Bau "
                f"die Zeilen 1 bis {unopened} als Text und findet keine Angaben. Erlaubt ist der Kopfbereich zwischen "
                "zwei Zeilen „---“: in Zeile 1 „---“ einfügen.")))
            return None
        return Source(path, {}, _stripped(text), 1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCE_END), None)
    if end is None:
        problems.append(
            Problem(path, 1, "Der Kopfbereich wird mit „---“ geöffnet, aber nie mit „---“ geschlossen.")
        )
        return None
    yaml_text = "\n".join(lines[1:end])
    body = _stripped("\n".join(lines[end + 1 :]))  # raw in the front matter, YAML refuses them
    parsed = _parse_yaml(path, yaml_text, problems)
    if parsed is None:
        return None
    meta, key_lines = parsed
    return Source(path, meta, body, end + 2, key_lines)


_KEY_LINE = re.compile(r"[a-z_]+:(?:[ \t]|$)")


def _unopened(lines: list[str]) -> int:
    """The number of lines of front matter that lacks its opening "---" (key lines, then "---"), or 0."""
    for number, line in enumerate(lines[:40]):
        if line.rstrip() == "---":
            return number if number else 0
        if not _KEY_LINE.match(line) and not (number and line.startswith((" ", "-"))):
            return 0
    return 0


def _stripped(text: str) -> str:
    """`text` with each control character that is not refused as a space: one for one, so that lines and
    columns stay where editors see them. The one place where they are stripped, for the body and the
    front matter's text values alike."""
    return STRIPPED_CONTROL.sub(" ", text)


def _parse_yaml(path: str, yaml_text: str, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The front matter's keys and values, and the line of each key; None (and problems) when it
    cannot be used."""
    # YAML breaks lines at these too, where editors (and line numbers) see none: a title pasted from
    # Word or a PDF would end at one, and the rest be reported as a key without a colon.
    if found := [yaml_text.index(c) for c in _LINE_BREAKS if c in yaml_text]:
        first = min(found)
        problems.append(Problem(path, yaml_text[:first].count("\n") + 2, (
            f"Das unsichtbare Zeilentrennzeichen U+{ord(yaml_text[first]):04X} ist im Kopfbereich nicht erlaubt. "
            "Erlaubt ist ein Wert auf einer Zeile: den Wert neu tippen (solche Zeichen kommen oft beim Kopieren "
            "aus PDF oder Word mit).")))
        return None
    try:
        refused = _refused(yaml_text)
        if refused:
            problems.append(Problem(path, *refused))
            return None
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            if node is None:  # "---" and "---" with nothing between
                return {}, {}
            if not isinstance(node, yaml.MappingNode):
                problems.append(
                    Problem(path, 2, "Der Kopfbereich muss aus Zeilen der Form „schlüssel: wert“ bestehen.")
                )
                return None
            problems += _duplicates(path, node)
            meta = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as e:  # checked on the whole text before parsing
        line = yaml_text[: e.position].count("\n") + 2
        problems.append(Problem(path, line, (
            f"Das unsichtbare Steuerzeichen U+{e.character:04X} ist im Kopfbereich nicht erlaubt. Erlaubt sind "
            "sichtbare Zeichen: den Wert neu tippen (Steuerzeichen kommen oft beim Kopieren aus PDF oder Word mit)."
        )))
        return None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        if quoted := _typographic_quotes(e, yaml_text):
            problems.append(Problem(path, line, quoted))
            return None
        problems.append(
            Problem(
                path,
                line,
                f"Der Kopfbereich (YAML) lässt sich nicht lesen: {_yaml_reason(e, yaml_text)}. "
                "Erlaubt sind Zeilen der Form „schlüssel: wert“; Text mit „:“ in Anführungszeichen setzen.",
            )
        )
        return None
    key_lines: dict[str, int] = {}
    for key, _ in node.value:
        line = key.start_mark.line + 2
        if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
            problems.append(Problem(path, line, (
                "Ein Schlüssel im Kopfbereich ist kein Wort. Erlaubt sind Zeilen der Form „schlüssel: wert“, "
                "z. B. „title: Die Vernetzungsstelle informiert“."
            )))
            return None
        key_lines.setdefault(key.value, line)
    # YAML's escapes ("\\e", "\\u202e") write in a key or value what the file's text does not hold
    escaped = [Problem(path, key_lines[key], (
        f"{'Der Schlüssel' if bad_key else f'Der Wert von „{cut(key)}“'} enthält das unsichtbare Zeichen "
        f"{control_name(bad)}, geschrieben als YAML-Zeichenfolge mit „\\“. {_CONTROL_REASON}"))
        for key, value in meta.items() if (bad := (bad_key := _control_in(key)) or _control_in(value))]
    if escaped:
        problems += escaped
        return None
    # The other control characters they write become spaces, as in the body: no title, description or post
    # text holds one. A list's items are left as written: themes name pages and folders, and their check
    # refuses a control character rather than changing the name.
    return {key: _stripped(value) if isinstance(value, str) else value for key, value in meta.items()}, key_lines


def _typographic_quotes(error: yaml.YAMLError, yaml_text: str) -> str | None:
    """A colon inside „…“: YAML takes typographic quotes for text, so they protect nothing, while the
    editor did put the value in quotes. The message shows the line as it has to be."""
    mark = getattr(error, "problem_mark", None)
    if mark is None or not str(getattr(error, "problem", "")).startswith("mapping values are not allowed"):
        return None
    text = yaml_text.split("\n")[mark.line]
    key, _, value = text.partition(":")
    value = value.strip()
    if not value or not any(quote in value for quote in "„“”‚‘’»«"):
        return None
    fixed = f"'{value}'" if '"' in value else f'"{value}"'
    return (f"Der Wert von „{cut(key.strip())}“ enthält einen Doppelpunkt. Deutsche Anführungszeichen („…“) sind für "
            "den Kopfbereich Teil des Textes und schützen ihn nicht. Erlaubt ist der ganze Wert in geraden "
            f"Anführungszeichen: „{cut(key.strip())}: {cut(fixed)}“.")


_LINE_BREAKS = "\x85\u2028\u2029"
# What PyYAML's English problems mean to editors, by the start of the problem's text.
_YAML_REASONS = {
    "mapping values are not allowed": "ein „:“ mitten im Wert",
    "found character that cannot start any token": "ein Wert beginnt mit {char}, das dort nicht stehen darf",
    "found unexpected end of stream": "ein Anführungszeichen wird geöffnet, aber nicht geschlossen",
    "did not find expected ',' or ']'": "eine Liste wird mit „[“ geöffnet, aber nicht mit „]“ geschlossen",
    "did not find expected ',' or '}'": "eine Angabe wird mit „{{“ geöffnet, aber nicht mit „}}“ geschlossen",
    "found a tab character": "die Zeile ist mit einem Tabulator eingerückt",
    "could not find expected ':'": "eine Zeile ohne „:“",
    "did not find expected key": "eine Zeile ist anders eingerückt als die vorige",
    "did not find expected '-' indicator": "eine Zeile ist anders eingerückt als die Liste darüber",
    "found duplicate anchor": "ein Anker steht zweimal",
}
_REFERENCE = re.compile(r"&#(?:[xX][0-9a-fA-F]{1,8}|[0-9]{1,10});?")
_CONTROL_REASON = ("Es kann Text umdrehen oder verstecken und einem Terminal Befehle geben. Erlaubt sind sichtbare "
                   "Zeichen: das Zeichen löschen und die Stelle neu tippen (solche Zeichen kommen oft beim Kopieren "
                   "aus PDF oder Word mit).")
_MAX_CONTROL_LINES = 10  # a file full of them needs one fix, not a screen of messages per line


def _controls(path: str, lines: list[str]) -> list[Problem]:
    """The lines holding a refused control character, written as it is or as a numeric character
    reference, which the HTML and the post texts would decode."""
    problems = []
    for number, line in enumerate(lines, 1):
        if raw := REFUSED_CONTROL.search(line):
            problems.append(Problem(path, number, f"Das unsichtbare Zeichen {control_name(raw.group())} ist nicht "
                                                  f"erlaubt. {_CONTROL_REASON}"))
        elif "&#" in line and (referenced := _referenced(line)):
            reference, bad = referenced
            problems.append(Problem(path, number, (f"Der Zeichenverweis „{reference}“ steht für das unsichtbare "
                                                   f"Zeichen {control_name(bad)} und ist nicht erlaubt. {_CONTROL_REASON}")))
        if len(problems) == _MAX_CONTROL_LINES:
            break
    return problems


def _referenced(line: str) -> tuple[str, str] | None:
    """The first numeric character reference ("&#x202E;") to a refused character, and that character."""
    for match in _REFERENCE.finditer(line):
        if found := REFUSED_CONTROL.search(html.unescape(match.group())):
            return match.group(), found.group()
    return None


def _control_in(value: Any) -> str | None:
    """The first refused control character in a front matter key or value, lists and mappings included."""
    if isinstance(value, str):
        found = REFUSED_CONTROL.search(value)
        return found.group() if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((bad for item in value if (bad := _control_in(item))), None)
    return None


def _yaml_reason(error: yaml.YAMLError, yaml_text: str) -> str:
    """PyYAML's problem in German, with the column where it was found."""
    problem = getattr(error, "problem", None) or ""
    reason = next((german for english, german in _YAML_REASONS.items() if problem.startswith(english)),
                  "eine Zeile ist nicht von der Form „schlüssel: wert“")
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return reason.format(char="einem Zeichen")
    lines = yaml_text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    char = f"„{line[mark.column]}“" if mark.column < len(line) and line[mark.column].isprintable() else "einem Zeichen"
    return f"{reason.format(char=char)} (Spalte {mark.column + 1})"


def _refused(yaml_text: str) -> tuple[int, str] | None:
    """The line and message for the first anchor, alias, tag or nest too deep, read from the parser's
    events before any node is built: a 400-byte alias bomb expands to gigabytes, 30,000 nested brackets
    overflow the loader's stack. Editors never need any of them."""
    loader = _Loader(yaml_text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 2
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return line, (
                    f"Anker und Verweise („&{cut(event.anchor, 20)}“, „*{cut(event.anchor, 20)}“) sind im "
                    "Kopfbereich nicht erlaubt. Erlaubt ist jeder Wert ausgeschrieben; Text, der mit „&“ oder „*“ beginnt, "
                    "in Anführungszeichen setzen."
                )
            if getattr(event, "tag", None):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")  # as the editor wrote it
                return line, (
                    f"Die Typangabe „{cut(tag)}“ ist im Kopfbereich nicht erlaubt. Erlaubt sind schlichte "
                    "Werte wie „title: Text“; Text, der mit „!“ beginnt, in Anführungszeichen setzen."
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return line, _TOO_DEEP
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # the libyaml of PyYAML 6.0.4 stops a flow nested 1,000 deep itself, scanning ahead of the events
        if error.problem_mark and "nesting depth" in str(error.problem):
            return error.problem_mark.line + 2, _TOO_DEEP
        raise
    finally:
        loader.dispose()
    return None


_TOO_DEEP = (f"Der Kopfbereich ist mehr als {MAX_DEPTH} Ebenen tief verschachtelt. Erlaubt sind Zeilen "
             "der Form „schlüssel: wert“ und Listen wie „tags: [Mobilität, Elternarbeit]“.")


def _duplicates(path: str, node: yaml.MappingNode) -> list[Problem]:
    """Keys given twice, of which YAML would silently keep one value."""
    first: dict[str, int] = {}
    problems = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            line = key.start_mark.line + 2
            seen = first.setdefault(key.value, line)
            if seen != line:
                problems.append(Problem(path, line, (
                    f"„{cut(key.value)}“ steht zweimal im Kopfbereich, in Zeile {seen} und in Zeile {line}. "
                    "Erlaubt ist jeder Schlüssel nur einmal: einen der beiden Einträge löschen."
                )))
    return problems
