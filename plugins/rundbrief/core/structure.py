"""The safety net under the line scanner: the headings Python-Markdown rendered are compared, in order,
with the sections and items the scanner found. Any difference is a way of writing a heading nobody
foresaw (a heading in a list or an HTML block, an unclosed code fence, …) and is reported at the best
line there is, so that the published page never has a structure the checks did not see."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .model import Issue
from .problems import Problem

_LEVELS = {"h1": 1, "h2": 2, "h3": 3}


@dataclass(frozen=True)
class _Heading:
    level: int
    id: str
    text: str = ""
    line: int = 0  # in the file, for the headings the scanner found


def heading_problems(issue: Issue, html: str) -> list[Problem]:
    """At most one problem: after the first difference, the rest would only repeat it."""
    expected = [
        heading
        for section in issue.sections
        for heading in [_Heading(2, section.id, section.name, section.line)]
        + [_Heading(3, item.id, item.title, item.line) for item in section.items]
    ]
    rendered = _rendered(html)
    known = {(h.level, h.id) for h in expected}
    for index in range(max(len(expected), len(rendered))):
        want = expected[index] if index < len(expected) else None
        got = rendered[index] if index < len(rendered) else None
        if want and got and (want.level, want.id) == (got.level, got.id):
            continue
        after = expected[index - 1].line if index else issue.source.body_line
        if got and (want is None or (got.level, got.id) not in known):
            line = _find(issue, got.text, after)
            return [Problem(issue.path, line, (
                f"Markdown macht hier eine Überschrift „{got.text}“, die kein Abschnitt und kein Beitrag ist, "
                "z. B. in einer Aufzählung, einem Zitat, als HTML oder nach einem nicht geschlossenen Codeblock "
                "(„```“). Erlaubt sind „## Abschnitt“ und „### Titel des Beitrags“ am Zeilenanfang, außerhalb "
                "von Aufzählungen, Zitaten und HTML."))]
        assert want is not None  # one of the two differs from the other, and `got` was accounted for
        return [Problem(issue.path, want.line, (
            f"Markdown liest „{want.text}“ nicht als Überschrift, z. B. weil sie in einem HTML-Block (<div>…</div>) "
            "oder in einem Codeblock steht. Erlaubt sind „## Abschnitt“ und „### Titel des Beitrags“ außerhalb "
            "von HTML und Code."))]
    return []


def _find(issue: Issue, text: str, after: int) -> int:
    """The first line after `after` holding the heading's text, else the line after `after`."""
    lines = issue.source.body.split("\n")
    start = max(after - issue.source.body_line + 1, 0)
    needle = text.strip().casefold()
    for index in range(start, len(lines)):
        if needle and needle in lines[index].casefold():
            return issue.source.body_line + index
    return min(after + 1, issue.source.body_line + max(len(lines) - 1, 0))


def _rendered(html: str) -> list[_Heading]:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.headings


class _Headings(HTMLParser):
    """h1–h3 with their ids and texts, without the permalink ("¶") the toc extension adds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[_Heading] = []
        self.open: tuple[int, str] | None = None
        self.text: list[str] = []
        self.in_permalink = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LEVELS:
            self.open, self.text = (_LEVELS[tag], dict(attrs).get("id") or ""), []
        elif tag == "a" and self.open and "headerlink" in (dict(attrs).get("class") or "").split():
            self.in_permalink = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.in_permalink = False
        elif tag in _LEVELS and self.open:
            self.headings.append(_Heading(self.open[0], self.open[1], "".join(self.text).strip()))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open and not self.in_permalink:
            self.text.append(data)
