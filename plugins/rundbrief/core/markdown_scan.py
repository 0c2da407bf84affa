"""A line scanner over Markdown that knows what is code, and finds headings and profile links. It is
deliberately no Markdown parser: the structure of an issue lives in its lines. Comments are gone before
it runs (`sanitize.strip_comments`)."""

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


def opens_fence(line: str) -> str:
    """The fence ("```", "~~~~") a line opens a code block with, or ""."""
    match = _FENCE.match(line)
    return match.group(1) if match else ""


def closes_fence(fence: str, line: str) -> bool:
    return line.strip().startswith(fence) and not line.strip().strip(fence[0])


def scan(body: str) -> Iterator[Line]:
    """Yields every line that is not inside a fenced code block."""
    fence = ""
    for index, text in enumerate(body.split("\n")):
        if fence:
            if closes_fence(fence, text):
                fence = ""
            continue
        if fence := opens_fence(text):
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
