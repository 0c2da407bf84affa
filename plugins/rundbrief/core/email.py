"""The e-mail edition of an issue: what its HTML part shows, its text part, the message, and the checks
before sending. Mail clients are not browsers: no SVG, no relative addresses, little CSS, and Gmail clips
a message whose HTML exceeds about 102 KB, hiding the footer with the unsubscribe link and the funding
notice behind a click. The HTML part's layout is a template of the adapter; this module decides what it
shows, from the model and the issue's published HTML, and checks what it made."""

from __future__ import annotations

import datetime
import functools
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import nh3
from markupsafe import Markup

from .model import Issue, Project
from .problems import WARNING, Problem
from .text import cut_at_word, german_date

# The unsubscribe link as each mailing tool writes it into the HTML it sends; `file` is no tool.
# rapidmail's is not named here: its documentation could not be checked, so `email: unsubscribe:` must
# give it (`unsubscribe_problem`).
UNSUBSCRIBE = {"cleverreach": "{UNSUBSCRIBE}", "mailchimp": "*|UNSUB|*", "listmonk": "{{ UnsubscribeURL }}",
               "rapidmail": None, "file": None}
TOOLS = tuple(UNSUBSCRIBE)
TOOL_NAMES = {"cleverreach": "CleverReach", "mailchimp": "Mailchimp", "listmonk": "listmonk",
              "rapidmail": "rapidmail", "file": "eine Datei ohne Versandwerkzeug"}
# Shown in the `file` edition where a tool would put its link: marked as every placeholder of the site is.
NO_UNSUBSCRIBE = "[PLATZHALTER: Abmeldelink des Versandwerkzeugs]"

# Gmail clips a message whose HTML part is larger than "102 KB". Counted in decimal kilobytes of UTF-8,
# the smaller reading, so that a message this check passes is never clipped.
CLIP_LIMIT = 102_000
TEXT_WIDTH = 72  # the text part's lines, as plain-text mail is read: no line wider than a terminal
WIDTH = 600  # the message's width: what every client shows without scaling
CONTENT_WIDTH = 552  # inside 24 px of padding on either side
PORTRAIT_WIDTH = 160  # a profile's picture beside its facts

_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>.*?</h\1>', re.S)
_BREAK = re.compile(r"<hr\b[^>]*>")
_PICTURE = re.compile(r"<picture\b[^>]*>.*?</picture>", re.S)
_IMG = re.compile(r"<img\b[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# What the mail keeps of the published HTML: text, links and pictures, no classes or ids (the CSS of the
# mail is the template's), no figures' or tables' layout beyond what clients understand.
_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "i", "img", "ins",
         "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
         "td", "tfoot", "th", "thead", "tr", "u", "ul", "h4", "h5", "h6", "figcaption"}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "width", "height"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "ol": {"start"}}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_ABSOLUTE = re.compile(r"(https?|mailto|tel):", re.I)


@dataclass(frozen=True)
class Rendition:
    """One file of a picture on the site, as the mail may show it."""

    url: str  # absolute
    width: int
    height: int


@dataclass(frozen=True)
class MailPicture:
    url: str  # absolute, a rendition at least twice as wide as shown where the picture has one
    width: int  # shown, at most WIDTH: Outlook takes the attribute, not the CSS
    height: int
    alt: str


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Portrait:
    """A portrayed project's facts, from its profile."""

    name: str
    url: str
    facts: tuple[tuple[str, str], ...]  # (Träger, low-tec), …
    website: str | None
    picture: MailPicture | None


@dataclass(frozen=True)
class MailItem:
    title: str
    url: str  # its anchor on the issue page
    html: str  # its body as the mail shows it: absolute addresses, pictures as <img>
    portrait: Portrait | None = None


@dataclass(frozen=True)
class MailSection:
    name: str
    url: str
    items: tuple[MailItem, ...]


@dataclass(frozen=True)
class Edition:
    """One issue as an e-mail, for a mailing tool."""

    issue: Issue
    tool: str
    unsubscribe: str | None  # the tool's placeholder; None: `file`
    subject: str
    preheader: str  # what the inbox shows beside the subject
    date: str  # 13. Dezember 2024
    web_url: str  # the issue page: "Im Browser lesen"
    site_name: str
    site_url: str
    picture: MailPicture | None
    intro: str  # HTML before the first section
    sections: tuple[MailSection, ...]
    emblem: MailPicture
    eu_statement: str
    funder: str
    legal: tuple[Link, ...]  # Impressum, Datenschutz, …
    call: Link | None = None  # the invitation to projects to be featured, with the page to write to
    subscribe: Link | None = None  # where a forwarded copy's reader subscribes


def unsubscribe_problem(tool: str, configured: str | None) -> str | None:
    """Why `tool` cannot be used as configured, in German; None where it can."""
    if tool not in UNSUBSCRIBE:
        return f"„{tool}“ ist kein bekanntes Versandwerkzeug. Erlaubt sind: {', '.join(TOOLS)}."
    if tool == "rapidmail" and not configured:
        return ("Den Platzhalter von rapidmail für den Abmeldelink hat Rundbrief nicht in rapidmails Dokumentation "
                "prüfen können. Erlaubt ist rapidmail nur mit dem Platzhalter aus der rapidmail-Hilfe in mkdocs.yml, "
                "unter „rundbrief: email: unsubscribe:“.")
    return None


SECURITY = ("starttls", "ssl", "none")


def option_problems(tool: str, security: str, sender: str | None) -> list[str]:
    """What is wrong with `email:`, in German. rapidmail without a placeholder is refused where it is
    used, not here: a site may never send with it."""
    found = []
    if tool not in UNSUBSCRIBE:
        found.append(f"„rundbrief: email: tool: {tool}“ ist kein bekanntes Versandwerkzeug. Erlaubt sind: "
                     f"{', '.join(TOOLS)}.")
    if security not in SECURITY:
        found.append(f"„rundbrief: email: smtp: security: {security}“ ist unbekannt. Erlaubt sind starttls "
                     "(meist Port 587), ssl (meist Port 465) und none (nur für einen Server auf diesem Rechner).")
    if problem := sender_problem(sender):
        found.append(problem)
    return found


NO_TOOL = ("Die E-Mail ist für kein Versandwerkzeug gemacht (--tool file) und hat deshalb keinen Abmeldelink, nur "
           f"den Platzhalter „{NO_UNSUBSCRIBE}“. Vor dem Versand den Abmeldelink des Werkzeugs dort einsetzen, oder "
           "das Werkzeug angeben: --tool cleverreach, rapidmail, mailchimp oder listmonk.")


def placeholder(tool: str, configured: str | None) -> str | None:
    """The unsubscribe placeholder the edition carries: the configured one, else the tool's own."""
    return None if tool == "file" else configured or UNSUBSCRIBE[tool]


def split_body(html: str) -> tuple[str, dict[str, str]]:
    """The issue's published HTML as its intro (before the first heading) and each item's body by its
    id, up to the next heading or thematic break, as the LinkedIn texts read it."""
    headings = list(_HEADING.finditer(html))
    intro = html[: headings[0].start()] if headings else html
    items = {}
    for index, heading in enumerate(headings):
        if heading.group(1) == "3":
            end = headings[index + 1].start() if index + 1 < len(headings) else len(html)
            items[heading.group(2)] = _BREAK.split(html[heading.end() : end], maxsplit=1)[0]
    return _BREAK.split(intro, maxsplit=1)[0], items


def choose(renditions: Sequence[Rendition], alt: str, shown: int = CONTENT_WIDTH) -> MailPicture:
    """The rendition for a picture shown at most `shown` px wide: the narrowest at least twice that (sharp
    on high-density screens), else the widest, then shown at half its width."""
    ordered = sorted(renditions, key=lambda r: r.width)
    widest = ordered[-1]
    width = min(shown, WIDTH, max(1, widest.width // 2))
    chosen = next((r for r in ordered if r.width >= 2 * width), widest)
    return MailPicture(chosen.url, width, max(1, round(width * chosen.height / chosen.width)), alt)


def for_mail(fragment: str, base: str, shown: int = CONTENT_WIDTH) -> Markup:
    """A part of the published HTML as the mail shows it: each <picture> one <img> of a fallback rendition
    (mail clients take no AVIF or WebP) at an absolute address, every link absolute, classes, ids and
    comments gone."""

    def picture(match: re.Match[str]) -> str:
        img = _IMG.search(match.group())
        return _img_for_mail(img.group(), base, shown) if img else ""

    fragment = _PICTURE.sub(picture, fragment)
    return Markup(nh3.clean(fragment, tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None, strip_comments=True,
                     url_schemes={"http", "https", "mailto", "tel"},
                     attribute_filter=functools.partial(_absolute, base)))


def _img_for_mail(img: str, base: str, shown: int) -> str:
    attributes = dict(_ATTRIBUTE.findall(img))
    width, height = int(attributes.get("width", 0) or 0), int(attributes.get("height", 0) or 0)
    renditions = []
    for candidate in attributes.get("srcset", "").split(","):
        url, _, descriptor = candidate.strip().rpartition(" ")
        if url and descriptor.endswith("w") and descriptor[:-1].isdigit() and width:
            w = int(descriptor[:-1])
            renditions.append(Rendition(urljoin(base, url), w, round(w * height / width)))
    if not renditions:
        renditions = [Rendition(urljoin(base, attributes.get("src", "")), width or shown * 2, height or shown)]
    chosen = choose(renditions, unescape(attributes.get("alt", "")), shown)
    return Markup('<img src="{}" width="{}" height="{}" alt="{}">').format(
        chosen.url, chosen.width, chosen.height, chosen.alt)


def _absolute(base: str, element: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if _ABSOLUTE.match(value) else urljoin(base, value)
    return value


def portrait(project: Project, site_url: str, picture: MailPicture | None) -> Portrait:
    facts = tuple((label, value) for label, value in (
        ("Träger", project.organisation), ("Ort", project.location), ("Land", project.state)) if value)
    return Portrait(project.name, site_url + project.url, facts, project.website, picture)


def edition(issue: Issue, html: str, *, tool: str, unsubscribe: str | None, site_url: str, site_name: str,
            portraits: Mapping[str, Portrait], picture: MailPicture | None, emblem: MailPicture,
            eu_statement: str, funder: str, legal: Sequence[Link], call: Link | None = None,
            subscribe: Link | None = None) -> Edition:
    """The e-mail edition of `issue`, from its published HTML (`html`); `portraits` holds the facts of
    the project each item of the portrait section portrays, by the item's id."""
    web_url = site_url + issue.url
    intro, bodies = split_body(html)
    sections = tuple(
        MailSection(section.name, f"{web_url}#{section.id}", tuple(
            MailItem(item.title, f"{web_url}#{item.id}", for_mail(bodies.get(item.id, ""), web_url),
                     portraits.get(item.id))
            for item in section.items))
        for section in issue.sections)
    date = german_date(issue.date)
    return Edition(
        issue=issue, tool=tool, unsubscribe=placeholder(tool, unsubscribe), subject=issue.headline,
        preheader=issue.description or _first_words(intro), date=date, web_url=web_url, site_name=site_name,
        site_url=site_url, picture=picture, intro=for_mail(intro, web_url), sections=sections, emblem=emblem,
        eu_statement=eu_statement, funder=funder, legal=tuple(legal), call=call, subscribe=subscribe)


def _first_words(html: str, limit: int = 140) -> str:
    text = " ".join(_Text.convert(html, _References()).split())
    return text if len(text) <= limit else cut_at_word(text, limit)


# The text part


@dataclass
class _References:
    """The links of the text part, numbered in the order they first appear."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def mark(self, url: str) -> str:
        """ " [3]" after a link's text, joined to it by a no-break space so that no line begins with it."""
        return f"\u00a0[{self.number(url)}]"


class _Text(HTMLParser):
    """HTML to plain text: paragraphs apart, list items with a dash, links as numbered references."""

    _BLOCKS = {"p", "div", "ul", "ol", "dl", "blockquote", "table", "tr", "pre", "h4", "h5", "h6", "figcaption"}

    def __init__(self, references: _References):
        super().__init__(convert_charrefs=True)
        self.references = references
        self.parts: list[str] = []
        self.links: list[str | None] = []

    @classmethod
    def convert(cls, html: str, references: _References) -> str:
        parser = cls(references)
        parser.feed(html)
        parser.close()
        lines = [wrapped for line in "".join(parser.parts).split("\n") for wrapped in _wrap(line)]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in self._BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n– ")
        elif tag in ("br", "dt"):
            self.parts.append("\n")
        elif tag == "dd":
            self.parts.append(": ")
        elif tag == "a":
            self.links.append(attributes.get("href"))
        elif tag == "img" and attributes.get("alt"):
            self.parts.append(f"[Bild: {attributes['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and _ABSOLUTE.match(href):
                self.parts.append(self.references.mark(href))

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))  # a line break in the source is a space in a paragraph


def _wrap(line: str) -> list[str]:
    """One line of text at most TEXT_WIDTH characters wide (a URL or a long word stays whole); a list
    item's continuation indented under its text."""
    line = _SPACES.sub(" ", line).strip()  # not str.split(): that would take the no-break spaces too
    if not line:
        return [""]
    indent = "  " if line.startswith("– ") else ""
    return textwrap.wrap(line, TEXT_WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def text_part(edition: Edition) -> str:
    """The text part, written from the edition's model: title and date, the web view, the intro, each
    section with its items and their text, the links as numbered references below, the funding
    statement, the legal pages and the unsubscribe placeholder."""
    references = _References()
    lines = [edition.issue.title, edition.date, ""]
    if edition.issue.description:
        lines += [*_wrap(edition.issue.description), ""]
    lines += [f"Im Browser lesen: {edition.web_url}", ""]
    if intro := _Text.convert(edition.intro, references):
        lines += [intro, ""]
    for section in edition.sections:
        lines += ["", section.name.upper(), "=" * len(section.name), ""]
        for item in section.items:
            heading = f"{item.title}{references.mark(item.url)}"
            lines += [heading, "-" * len(heading), ""]
            if body := _Text.convert(item.html, references):
                lines += [body, ""]
            if item.portrait:
                facts = "; ".join(f"{label}: {value}" for label, value in item.portrait.facts)
                lines += [*_wrap(f"Steckbrief {item.portrait.name}{references.mark(item.portrait.url)}: {facts}"), ""]
    if edition.call:
        lines += ["", *_wrap(f"{edition.call.label}{references.mark(edition.call.url)}"), ""]
    lines += ["", "Links", "-----", *(f"[{n}] {url}" for n, url in enumerate(references.urls, 1)), "", "",
              edition.eu_statement, f"Gefördert durch: {edition.funder}", ""]
    lines += [f"{link.label}: {link.url}" for link in edition.legal]
    if edition.subscribe:
        lines.append(f"{edition.subscribe.label}: {edition.subscribe.url}")
    lines.append(f"Abmelden: {edition.unsubscribe or NO_UNSUBSCRIBE}")
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


# The message


def message(edition: Edition, html: str, text: str, sender: str | None, moment: datetime.datetime,
            to: str | None = None) -> EmailMessage:
    """multipart/alternative: the text part first, so that clients prefer the HTML after it."""
    mail = EmailMessage()
    mail["Subject"] = edition.subject
    address = _sender(sender) if sender else None
    if address:  # quoted where needed: "Akti(F)" would otherwise read as a comment
        mail["From"] = Address(display_name=address[0], addr_spec=address[1])
    if to:  # a message on its way: mail servers expect an id of its own
        mail["To"] = to
        mail["Message-ID"] = make_msgid(domain=address[1].rpartition("@")[2] if address else None)
    mail["Date"] = format_datetime(moment)
    mail.set_content(text, cte="quoted-printable")
    mail.add_alternative(html, subtype="html", cte="quoted-printable")
    return mail


def _sender(sender: str) -> tuple[str, str] | None:
    """ "Name <address>" or "address" as (name, address); None where it is neither."""
    match = re.fullmatch(r"\s*(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*", sender)
    if match is None:
        return None
    address = match.group(2) or match.group(3)
    return (match.group(1) or "").strip().strip('"'), address


def sender_problem(sender: str | None) -> str | None:
    """Why `email: sender` is not an address a message can come from; None where it is one."""
    if sender is None:
        return None
    parts = _sender(sender)
    address = parts[1] if parts else None
    if not address or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        return (f"„rundbrief: email: sender: {sender}“ ist keine Absenderadresse. Erlaubt ist eine E-Mail-Adresse, "
                "auch mit Namen, z. B. „Akti(F) Plus Vernetzungsstelle <newsletter@example.org>“.")
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return f"„{address}“ in „rundbrief: email: sender“ ist keine gültige E-Mail-Adresse."
    return None


# The checks before sending


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_URL = re.compile(r'\s(href|src)="([^"]*)"')
_CONDITIONAL = re.compile(r"<!--\[if [^\]]*\]>|<!\[endif\]-->")
_FORBIDDEN = {"script": "Skripte", "iframe": "eingebettete Seiten (iframe)", "object": "eingebettete Objekte",
              "embed": "eingebettete Objekte", "form": "Formulare"}
_UNITS = {"rem": "css-unit-rem", "vh": "css-unit-vh", "vw": "css-unit-vw", "ch": "css-unit-ch"}
_FUNCTIONS = {"rgba": "css-rgba", "calc": "css-unit-calc", "var": "css-variables", "clamp": "css-function-clamp",
              "min": "css-function-min", "max": "css-function-max", "linear-gradient": "css-linear-gradient",
              "radial-gradient": "css-radial-gradient"}
# Properties whose feature the data names otherwise than "css-<property>" or its shorthand's.
_ALIASES = {
    **{f"{box}-{axis}": f"css-{box}-inline-block" for box in ("margin", "padding") for axis in ("inline", "block")},
    **{f"{box}-{axis}-{end}": f"css-{box}-{axis}-start-end" for box in ("margin", "padding")
       for axis in ("inline", "block") for end in ("start", "end")},
    **{side: "css-left-right-top-bottom" for side in ("left", "right", "top", "bottom")},
    **{gap: "css-gap" for gap in ("gap", "row-gap", "column-gap")},
    "block-size": "css-block-inline-size",
}
_CLIENTS = (("gmail", "desktop-webmail", "Gmail"), ("outlook", "windows", "Outlook für Windows"))
CANIEMAIL = Path(__file__).parent / "data" / "caniemail" / "css-support.json"


def check(html: str, text: str, *, issue_path: str, template: str, tool: str, unsubscribe: str | None) -> list[Problem]:
    """What keeps the edition from reaching its readers whole: its size against Gmail's clipping, pictures
    without alt text, a missing unsubscribe placeholder, what mail clients block or do not resolve (errors);
    CSS that Gmail or Outlook ignore (warnings). The CSS checked is the inlined CSS, which every client
    gets; the <style> block keeps only the dark-mode and phone rules, enhancements for the clients that
    read them."""
    problems = []
    size = len(html.encode("utf-8"))
    if size > CLIP_LIMIT:
        problems.append(Problem(issue_path, 1, (
            f"Die E-Mail ist zu groß: Ihr HTML-Teil hat {size / 1000:.1f} KB. Gmail kürzt E-Mails ab 102 KB und "
            "zeigt den Rest – mit Abmeldelink und Förderhinweis – erst nach einem Klick. Erlaubt sind höchstens "
            "102 KB: die Ausgabe kürzen oder auf zwei Ausgaben verteilen.")))
    for img in _IMG.findall(html):
        if not re.search(r'\salt="', img):
            src = dict(_ATTRIBUTE.findall(img)).get("src", "")
            problems.append(Problem(issue_path, 1, (
                f"Ein Bild der E-Mail hat keinen Alternativtext: {src}. Viele E-Mail-Programme zeigen Bilder erst "
                "nach einem Klick, Screenreader lesen nur den Text. Erlaubt sind Bilder mit Alternativtext, "
                "z. B. „![Zeichnung: ein bunter Bus](../assets/images/bus.png)“.")))
    problems += _placeholder_problems(html, text, issue_path, template, tool, unsubscribe)
    problems += _blocked(html, template, unsubscribe)
    problems += _css(html, template)
    return problems


def _placeholder_problems(html: str, text: str, issue_path: str, template: str, tool: str,
                          unsubscribe: str | None) -> list[Problem]:
    if unsubscribe is None:  # `file`: the command says what to do instead
        return []
    missing = [part for part, body in (("im HTML-Teil", html), ("im Textteil", text)) if unsubscribe not in body]
    if not missing:
        return []
    return [Problem(template, 1, (
        f"Der Abmeldelink von {TOOL_NAMES[tool]} fehlt {' und '.join(missing)}: „{unsubscribe}“ kommt dort nicht "
        "vor. Jede Ausgabe eines Newsletters braucht ihn (§ 7 UWG). Erlaubt ist die E-Mail nur mit diesem "
        "Platzhalter, den das Werkzeug beim Versand durch den Link ersetzt."))]


def _blocked(html: str, template: str, unsubscribe: str | None) -> list[Problem]:
    """Scripts, stylesheets, frames, comments and relative addresses: blocked, dropped or unresolved by mail
    clients, and an editor's comment is private."""
    problems = []
    for tag, what in _FORBIDDEN.items():
        if re.search(rf"<{tag}\b", html, re.I):
            problems.append(Problem(template, 1, f"Nicht erlaubt in einer E-Mail: {what} („<{tag}>“). "
                                    "E-Mail-Programme blockieren sie. Erlaubt sind Text, Tabellen, Links und Bilder."))
    if re.search(r"<link\b", html, re.I):
        problems.append(Problem(template, 1, "Nicht erlaubt in einer E-Mail: ein verlinktes Stylesheet („<link>“). "
                                "E-Mail-Programme laden es nicht. Erlaubt ist CSS im <style>-Block der Vorlage, "
                                "das Rundbrief in die Elemente überträgt."))
    if "<!--" in _CONDITIONAL.sub("", html):
        problems.append(Problem(template, 1, "Nicht erlaubt in einer E-Mail: ein HTML-Kommentar („<!-- … -->“). "
                                "Jeder Empfänger kann ihn im Quelltext lesen. Erlaubt sind nur die bedingten "
                                "Kommentare für Outlook („<!--[if mso]>“)."))
    relative = sorted({url for _, url in _URL.findall(html) if not _ABSOLUTE.match(url) and url != unsubscribe})
    for url in relative:
        problems.append(Problem(template, 1, (
            f"Die Adresse „{url}“ in der E-Mail ist relativ: im Postfach führt sie ins Leere. Erlaubt sind "
            "vollständige Adressen mit https://, mailto: oder tel:.")))
    return problems


@functools.cache
def _features() -> dict[str, dict[str, object]]:
    data = json.loads(CANIEMAIL.read_text(encoding="utf-8"))
    return {feature["slug"]: feature for feature in data["data"]}


def _css(html: str, template: str) -> list[Problem]:
    found: dict[str, str] = {}  # slug -> the declaration it was found in
    for style in _STYLE_ATTRIBUTE.findall(html):
        for declaration in style.replace("&quot;", '"').split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name:
                for slug in _slugs(name, value):
                    found.setdefault(slug, f"{name}: {value}")
    problems = []
    for slug, declaration in sorted(found.items()):
        feature = _features().get(slug)
        if feature is None:
            continue
        ignoring = [client for family, platform, client in _CLIENTS if _unsupported(feature, family, platform)]
        if ignoring:
            problems.append(Problem(template, 1, (
                f"Die E-Mail nutzt CSS, das {' und '.join(ignoring)} nicht unterstützen: „{declaration}“ "
                f"({feature['title']}, laut caniemail.com, getestet {feature['last_test_date']}). Dort sieht die "
                "E-Mail anders aus als geplant. Erlaubt ist CSS, das beide darstellen; "
                f"Einzelheiten: {feature['url']}"), WARNING))
    return problems


def _slugs(name: str, value: str) -> list[str]:
    """The caniemail features a declaration uses: its property (a longhand by its shorthand where the data
    has no entry of its own), display values, units and functions."""
    features = _features()
    slugs = []
    parts = name.split("-")
    if name in _ALIASES:
        slugs.append(_ALIASES[name])
        parts = []
    for end in range(len(parts), 0, -1):
        slug = "css-" + "-".join(parts[:end])
        if slug in features:
            slugs.append(slug)
            break
    if name == "display" and f"css-display-{value}" in features:
        slugs.append(f"css-display-{value}")
    for unit, slug in _UNITS.items():
        if re.search(rf"\d{unit}\b", value):
            slugs.append(slug)
    for function, slug in _FUNCTIONS.items():
        if re.search(rf"(?<![\w-]){function}\(", value):
            slugs.append(slug)
    return slugs


def _unsupported(feature: Mapping[str, object], family: str, platform: str) -> bool:
    stats = feature.get("stats", {})
    versions = stats.get(family, {}).get(platform) if isinstance(stats, dict) else None
    if not versions:
        return False
    latest = versions[sorted(versions)[-1]]
    return str(latest).split()[0] == "n"


def problems_as_warnings(problems: list[Problem]) -> list[Problem]:
    """For `rundbrief check`: the edition's problems stop a send, not the site's build."""
    return [Problem(p.path, p.line, f"E-Mail-Ausgabe: {p.message}", WARNING) for p in problems]

