"""The HTML an editor may write, decided once: an allow-list applied by nh3 (Rust's ammonia) to every
page body, so that pages, feeds, LinkedIn texts and the search index carry the same safe HTML. What the
allow-list refuses is also reported to the editor at its line, so that nothing disappears silently.

Comments are editors' private notes: `strip_comments` removes them from the Markdown before anything
reads it, and nh3 drops any that remain."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .markdown_scan import CODE_SPAN, closes_fence, opens_fence
from .problems import Problem

# What Python-Markdown and its extensions produce, and what editors may add as raw HTML.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "details": {"open"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "q": {"cite"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
}
STYLES = {"text-align"}  # Python-Markdown aligns table columns with style="text-align: …"
SCHEMES = {"http", "https", "mailto", "tel"}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "textarea"}
_IMAGE_SOURCES = {("img", "src"), ("img", "srcset"), ("source", "srcset")}
# The allowed attributes that hold URLs. nh3 checks the scheme of "href" and "src" only: a "srcset"
# (a list of URLs) or a "cite" would pass with "javascript:".
_URL_ATTRIBUTES = {"href", "src", "srcset", "cite"}


def sanitize(html: str) -> str:
    """The HTML with everything outside the allow-list removed, comments included."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=SCHEMES,
        link_rel=None,
        filter_style_properties=STYLES,
        strip_comments=True,
    )


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and _refused_scheme(attribute, value):
        return None
    if (tag, attribute) in _IMAGE_SOURCES and _external(value):
        return None  # an image from another host is a request to that host from every reader
    return value


def _external(urls: str) -> bool:
    return any(urlsplit(part.strip().split(" ")[0]).netloc for part in urls.split(",") if part.strip())


def _refused_scheme(attribute: str, value: str) -> str | None:
    """The first scheme outside SCHEMES among the URLs of an attribute: each candidate of a srcset
    ("a.webp 480w, b.webp 960w"); relative URLs have none."""
    urls = [value] if attribute != "srcset" else [
        candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    for url in urls:
        try:
            scheme = urlsplit(url.strip()).scheme.lower()
        except ValueError:  # "http://[": no URL a browser would follow either
            return url.split(":")[0].strip().lower()
        if scheme and scheme not in SCHEMES:
            return scheme
    return None


@dataclass(frozen=True)
class Refusal:
    """Something in a page's HTML that the allow-list removes; `needle` finds it in the source."""

    what: str
    needle: str


def refusals(html: str) -> list[Refusal]:
    """What `sanitize` would remove from `html`, apart from comments, once each."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Refusal] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(Refusal(_TAG_REASONS.get(tag, f"das HTML-Element <{tag}>"), f"<{tag}"))
            return
        for name, value in attrs:
            value = value or ""
            if name not in ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()):
                reason = "Skripte in Attributen" if name.startswith("on") else f"das Attribut „{name}“"
                self.found.append(Refusal(f"{reason} ({name}=… an <{tag}>)", name))
            elif name == "style" and any(rule.split(":")[0].strip() not in STYLES for rule in value.split(";") if rule.strip()):
                self.found.append(Refusal(f"Formatierung mit „style“ an <{tag}>", "style"))
            elif (tag, name) in _IMAGE_SOURCES and _external(value):
                self.found.append(Refusal(f"ein Bild von einem fremden Server ({_cut(value)})", value))
            elif name in _URL_ATTRIBUTES and (scheme := _refused_scheme(name, value)):
                what = "ein Link" if name == "href" else f"eine Adresse ({name}=… an <{tag}>)"
                self.found.append(Refusal(f"{what} mit „{_cut(scheme)}:“", f"{scheme}:"))

    handle_startendtag = handle_starttag


_TAG_REASONS = {
    "script": "ein Skript (<script>)",
    "iframe": "ein eingebetteter Inhalt von einem anderen Server (<iframe>)",
    "object": "ein eingebetteter Inhalt (<object>)",
    "embed": "ein eingebetteter Inhalt (<embed>)",
    "style": "eigene Formatierung (<style>)",
    "form": "ein Formular (<form>)",
}


def html_problems(path: str, source: str, first_line: int, html: str) -> list[Problem]:
    """A problem for each refusal in a page rendered from `source`, whose first line is `first_line`
    of the file `path`: at the first line that holds what was refused."""
    lines = source.split("\n")
    problems = []
    for refusal in refusals(html):
        needle = refusal.needle.casefold()
        index = next((i for i, line in enumerate(lines) if needle in line.casefold()), 0)
        problems.append(Problem(path, first_line + index, (
            f"Nicht erlaubt: {refusal.what}. Es würde auf der Website, in den Feeds und auf LinkedIn entfernt. "
            "Erlaubt sind Markdown und einfaches HTML wie <br>, <abbr>, <sup>, Tabellen und Links mit https://, "
            "mailto: oder tel:; Bilder als Dateien der Website; Videos und Karten als Link statt eingebettet."
        )))
    return problems


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_comments(markdown: str) -> str:
    """The Markdown without HTML comments, wherever they start and however many lines they span; code
    (fenced blocks and inline spans) keeps its "<!--". Every removed line break is kept, so that
    line numbers stay right. An unclosed comment hides the rest of the text, as in a browser."""
    out: list[str] = []
    fence = ""
    in_comment = False
    for line in markdown.split("\n"):
        if fence:
            if closes_fence(fence, line):
                fence = ""
            out.append(line)
            continue
        if not in_comment and (fence := opens_fence(line)):
            out.append(line)
            continue
        kept, in_comment = _strip_line(line, in_comment)
        out.append(kept)
    return "\n".join(out)


def _strip_line(line: str, in_comment: bool) -> tuple[str, bool]:
    kept: list[str] = []
    position = 0
    while position < len(line):
        if in_comment:
            end = line.find("-->", position)
            if end < 0:
                return "".join(kept), True
            position, in_comment = end + 3, False
            continue
        start = line.find("<!--", position)
        if start < 0:
            kept.append(line[position:])
            break
        # A "<!--" inside an inline code span is code, not a comment.
        span = next((m for m in CODE_SPAN.finditer(line, position) if m.start() <= start < m.end()), None)
        if span:
            kept.append(line[position : span.end()])
            position = span.end()
            continue
        kept.append(line[position:start])
        position, in_comment = start + 4, True
    return "".join(kept), in_comment
