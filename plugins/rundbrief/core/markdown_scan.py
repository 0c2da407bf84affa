"""A line scanner over Markdown that knows what is code, and finds headings and links. It is deliberately
no Markdown parser: the structure of an issue lives in its lines. It reads headings as Python-Markdown
does (`##Titel` is one, so is `Titel` over `---`); what it still misses, the comparison with the rendered
page catches (`structure.heading_problems`). Comments are gone before it runs (`sanitize.strip_comments`)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import PROJECTS


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Python-Markdown's own rule: hashes at the start of a line make a heading, with or without a space.
_HEADING = re.compile(r"^ {0,3}(#{1,6})((?:\\.|[^\\])*?)#*[ \t]*$")
_UNDERLINE = re.compile(r"^([=-])+[ ]*$")  # under a block's first line: a "setext" heading
# A heading inside a quote or a list item, which Python-Markdown renders as a heading there.
_NESTED_HEADING = re.compile(r"^ {0,3}((?:>[ \t]?)+|(?:[*+-]|\d+\.)[ \t]+)[ \t]*#{1,3}(?!#)")
_HTML_HEADING = re.compile(r"<h[1-3](?=[\s>/])", re.I)
_ATTRIBUTES = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")
# A lookahead, so that an image inside a link's text is found as well as the link.
_INLINE_LINK = re.compile(r"(?=(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([ \t]*(?:<([^>\n]*)>|([^)\s]+)))")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)")
_HTML_LINK = re.compile(r"<(a|img|source)\b[^>]*?\s(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.I)
CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)", re.S)


@dataclass(frozen=True)
class ProjectLink:
    """A link to a profile, kept with its line to report a profile that does not exist."""

    slug: str
    line: int


@dataclass
class Line:
    """One line outside code: its index in the body, its text, and its heading."""

    index: int
    text: str
    level: int = 0  # 1-6 for an ATX heading, else 0
    heading: str = ""  # heading text without trailing {: attributes }
    unspaced: bool = False  # "##Titel": a heading to Markdown, most likely a typo to the editor
    underline: int = 0  # 1 or 2 when this line ("===", "---") turns the line above into a heading
    nested: str = ""  # ">" or "-" when a heading starts inside a quote or a list item
    html_heading: bool = False  # <h1>…<h3> written as HTML


def opens_fence(line: str) -> str:
    """The fence ("```", "~~~~") a line opens a code block with, or ""."""
    match = _FENCE.match(line)
    return match.group(1) if match else ""


def closes_fence(fence: str, line: str) -> bool:
    return line.strip().startswith(fence) and not line.strip().strip(fence[0])


def scan(body: str) -> Iterator[Line]:
    """Yields every line that is not inside a fenced code block."""
    fence = ""
    # Python-Markdown reads "===" or "---" as an underline only under the first line of a block.
    block_ended, first_of_block = True, False
    for index, text in enumerate(body.split("\n")):
        if fence:
            if closes_fence(fence, text):
                fence = ""
            continue
        if fence := opens_fence(text):
            block_ended = first_of_block = False
            continue
        line = _line(index, text)
        if first_of_block and (underline := _UNDERLINE.match(text)):
            line.underline = 1 if underline.group(1) == "=" else 2
        blank = not text.strip()
        first_of_block = block_ended and not blank and not line.level
        block_ended = blank or bool(line.level)  # a heading line is a block of its own
        yield line


def _line(index: int, text: str) -> Line:
    heading = _HEADING.match(text)
    if heading:
        raw = heading.group(2)
        title = _ATTRIBUTES.sub("", raw.strip())
        return Line(index, text, len(heading.group(1)), title, unspaced=bool(raw.strip()) and raw[0] not in " \t")
    nested = _NESTED_HEADING.match(text)
    code_free = CODE_SPAN.sub("", text)
    return Line(index, text, nested=(">" if ">" in nested.group(1) else "-") if nested else "",
                html_heading=bool(_HTML_HEADING.search(code_free)))


@dataclass(frozen=True)
class Target:
    """Where a link or an image in a line points, as written."""

    url: str
    image: bool


def targets(text: str) -> Iterator[Target]:
    """The links and images of a line: Markdown's inline and reference forms and HTML's; code is none."""
    text = CODE_SPAN.sub("", text)
    for match in _INLINE_LINK.finditer(text):
        image, bracketed, bare = match.groups()
        if image or not text[: match.start()].endswith("!"):  # "![" was found at the "!" already
            yield Target(bracketed or bare, bool(image))
    for url in _REFERENCE.findall(text):
        yield Target(url, False)
    for tag, url in _HTML_LINK.findall(text):
        yield Target(url, tag.lower() != "a")


def project_links(text: str, base: str) -> Iterator[str]:
    """Slugs of the profiles a line links to; `base` is the folder of the linking file."""
    for target in targets(text):
        parts = urlsplit(target.url)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            continue
        path = posixpath.normpath(posixpath.join(base, parts.path))
        folder, name = posixpath.split(path)
        if folder == PROJECTS:
            yield name[: -len(".md")]
