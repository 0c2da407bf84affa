"""A line scanner over Markdown that knows what is code and what is a comment, and finds headings and
profile links. It is deliberately no Markdown parser: the structure of an issue lives in its lines."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import PROJECTS


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ATTRIBUTES = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")
_INLINE_LINK = re.compile(r"\]\([ \t]*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)")
_COMMENT = re.compile(r"<!--.*?-->")


@dataclass(frozen=True)
class ProjectLink:
    """A link to a profile, kept with its line to report a profile that does not exist."""

    slug: str
    line: int


@dataclass
class Line:
    """One line outside code: its index in the body, its text without comments, and its heading."""

    index: int
    text: str
    level: int = 0  # 1-6 for an ATX heading, else 0
    heading: str = ""  # heading text without trailing {: attributes }


def scan(body: str) -> Iterator[Line]:
    """Yields every line that is not inside a fenced code block or an HTML comment."""
    fence = ""
    in_comment = False
    for index, raw in enumerate(body.split("\n")):
        if fence:
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                fence = ""
            continue
        text = raw
        if in_comment:
            end = text.find("-->")
            if end < 0:
                continue
            text = text[end + 3 :]
            in_comment = False
        text = _COMMENT.sub("", text)
        start = text.find("<!--")
        if start >= 0:
            text, in_comment = text[:start], True
        match = _FENCE.match(text)
        if match:
            fence = match.group(1)
            continue
        heading = _HEADING.match(text)
        if heading:
            yield Line(index, text, len(heading.group(1)), _ATTRIBUTES.sub("", heading.group(2)))
        else:
            yield Line(index, text)


def project_links(text: str, base: str) -> Iterator[str]:
    """Slugs of the profiles a line links to; `base` is the folder of the linking file."""
    for target in _INLINE_LINK.findall(text) + _REFERENCE.findall(text):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            continue
        path = posixpath.normpath(posixpath.join(base, parts.path))
        folder, name = posixpath.split(path)
        if folder == PROJECTS:
            yield name[: -len(".md")]
