"""LinkedIn post texts: plain text to paste, with a hook that shows before "…mehr anzeigen", the
link, and hashtags. LinkedIn shows about 210 characters before folding and takes 3,000 at most."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from . import paths
from .model import Issue, Item
from .text import cut_at_word, german_date, html_to_text, plain_text, sentences

POST_LIMIT = 3000
HOOK_LIMIT = 210
HOOK_AIM = 140
ITEM_AIM = 280  # one short paragraph per item in an issue's post

# Letters from Unicode's mathematical alphabets ("𝗳𝗲𝘁𝘁"): screen readers spell them out letter by
# letter, and they have no ä, ö, ü or ß. Folded back to plain letters.
_FAKE_STYLE = re.compile("[\U0001d400-\U0001d7ff]")
_HASHTAG = re.compile(r"#[A-ZÄÖÜ0-9][A-Za-zÄÖÜäöüß0-9]*")
_SPACES = re.compile(r"[ \t]+")
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>.*?</h\1>', re.S)
_BREAK = re.compile(r"<hr\b[^>]*>")


@dataclass(frozen=True)
class Post:
    """One text to paste into LinkedIn."""

    id: str  # the issue's name for the issue's post, the item's id for an item's post
    title: str
    text: str
    path: str  # where the site publishes the text


def invalid_hashtags(hashtags: Sequence[str]) -> str | None:
    """Why a list of hashtags is not usable, or None. CamelCase lets screen readers read the words."""
    if not 3 <= len(hashtags) <= 5:
        return f"3 bis 5 Hashtags sind erlaubt, angegeben sind {len(hashtags)}."
    for tag in hashtags:
        if not _HASHTAG.fullmatch(tag) or tag[1:].islower() or tag[1:].isupper():
            return (f"„{tag}“ ist kein Hashtag in CamelCase. Erlaubt ist „#“ und Wörter mit großen Anfangsbuchstaben, "
                    "z. B. „#AktiFPlus“ oder „#Familienarmut“.")
    return None


def link(url: str, utm: dict[str, str]) -> str:
    """The URL with the UTM parameters from the config, which belong before a #fragment."""
    if not utm:
        return url
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(utm)}" if parts.query else urlencode(utm)
    return urlunsplit(parts._replace(query=query))


def item_texts(html: str) -> dict[str, str]:
    """The plain text of every item by its id, from the issue's rendered HTML: a build has it already,
    and converting hundreds of items to text a second time would slow every build. An item's text
    runs to the next heading or thematic break."""
    texts = {}
    headings = list(_HEADING.finditer(html))
    for index, heading in enumerate(headings):
        if heading.group(1) == "3":
            end = headings[index + 1].start() if index + 1 < len(headings) else len(html)
            body = _BREAK.split(html[heading.end() : end], maxsplit=1)[0]
            texts[heading.group(2)] = html_to_text(body)
    return texts


def posts(issue: Issue, texts: Mapping[str, str], site_url: str, hashtags: Sequence[str],
          utm: dict[str, str], portraits: str) -> list[Post]:
    """The issue's post, then one post per item of the section `portraits` (Vorgestellt): project
    portraits are the posts projects ask for. `texts` holds each item's plain text by its id, taken from
    the issue's rendered HTML (`item_texts`); an item missing there (a heading Markdown did not render
    as one, which fails the build with its own message) has no text."""
    result = [issue_post(issue, texts, link(site_url + issue.url, utm), hashtags)]
    section = next((s for s in issue.sections if s.name == portraits), None)
    for item in section.items if section else []:
        result.append(item_post(issue, item, texts.get(item.id, ""), link(site_url + issue.anchor_url(item), utm), hashtags))
    return result


def hook(issue: Issue) -> str:
    """The first line, shown before "…mehr anzeigen": the teaser's whole sentences, else the title.
    It ends in "…" only where its first sentence had to be cut."""
    return _shorten(_clean(plain_text(issue.description)) if issue.description else issue.title, HOOK_LIMIT, HOOK_AIM)


def issue_post(issue: Issue, texts: Mapping[str, str], url: str, hashtags: Sequence[str]) -> Post:
    """The post for a whole issue: hook, one line per item grouped by section, link, hashtags."""
    head = [hook(issue), "", f"{issue.title} ({german_date(issue.date)})"]
    tail = ["", f"Zur Ausgabe: {url}", "", " ".join(hashtags)]
    blocks = [(section.name, [_item_line(item, texts.get(item.id, "")) for item in section.items]) for section in issue.sections]
    return Post(issue.name, issue.title, _fit(head, blocks, tail), paths.post(issue.name))


def item_post(issue: Issue, item: Item, text: str, url: str, hashtags: Sequence[str]) -> Post:
    """A post for one item, e.g. a project portrait: its title as hook, its text, link, hashtags."""
    hook = _shorten(item.title, HOOK_LIMIT, HOOK_LIMIT)
    tail = f"\n\nMehr in „{issue.title}“: {url}\n\n{' '.join(hashtags)}"
    room = POST_LIMIT - len(hook) - 2 - len(tail)
    body = _shorten(_clean(text), room, room)
    return Post(item.id, item.title, _clean_lines(f"{hook}\n\n{body}{tail}"), paths.post(issue.name, item.id))


def _item_line(item: Item, text: str) -> str:
    text = _shorten(_clean(text), ITEM_AIM, ITEM_AIM)
    title = item.title if item.title[-1:] in ".!?:" else item.title + "."
    return f"– {title} {text}" if text else f"– {item.title}"


def _fit(head: list[str], blocks: list[tuple[str, list[str]]], tail: list[str]) -> str:
    """Keeps the most item lines, from the start, with which the post fits; the link and hashtags
    always stay. Each line is cleaned and measured once, so a long issue costs time in proportion to
    its length, not to its length squared."""
    # What each item line adds to the post: its section's blank line and name before the first one.
    additions = [
        [_clean_line(line) for line in (["", name] if index == 0 else []) + [item]]
        for name, items in blocks
        for index, item in enumerate(items)
    ]
    start, end = [_clean_line(line) for line in head], [_clean_line(line) for line in tail]
    note = ["", "… und weitere Beiträge in der Ausgabe."]
    kept, length = 0, _size(start) + _size(end)
    for count, addition in enumerate(additions, 1):
        length += _size(addition)
        if length + (_size(note) if count < len(additions) else 0) <= POST_LIMIT:
            kept = count
    lines = start + [line for addition in additions[:kept] for line in addition]
    return "\n".join(lines + (note if kept < len(additions) else []) + end) + "\n"


def _size(lines: list[str]) -> int:
    """The characters `lines` take in a post, each ending in a newline."""
    return sum(len(line) + 1 for line in lines)


def _shorten(text: str, limit: int, aim: int) -> str:
    """Whole sentences up to `aim` characters (at least one if it fits `limit`); else cut at a word."""
    if not text.strip():
        return ""
    # Only the opening can hold the sentences that fit; a sentence cut short by this is left out.
    opening = text[: limit + 200]
    found = sentences(opening)
    if len(opening) < len(text):
        found = found[:-1]
    result = ""
    for sentence in found:
        candidate = f"{result} {sentence}".strip()
        if len(candidate) > (aim if result else limit):
            break
        result = candidate
    return result or cut_at_word(text, limit)


def _clean(text: str) -> str:
    """One line of plain text."""
    return _SPACES.sub(" ", " ".join(_unstyle(text).split("\n"))).strip()


def _clean_lines(text: str) -> str:
    """A whole post: lines without trailing spaces, ending in a newline."""
    return _clean_line(text) + "\n"


def _clean_line(text: str) -> str:
    """Text without trailing spaces on any of its lines."""
    return "\n".join(_unstyle(line).rstrip() for line in text.split("\n"))


def _unstyle(text: str) -> str:
    return _FAKE_STYLE.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)
