"""The browser editor's (Decap CMS) configuration, generated from the content contract: the keys each
kind of file allows, their types, the required ones, the Länder, the existing themes, the hints of the
build's own messages. Written by hand it would drift from what the build accepts."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .issues import ISSUE_KEYS, parse_issue
from .model import NEWSLETTERS, PROJECTS
from .pages import HIDE, PAGE_KEYS, parse_page
from .problems import Problem
from .projects import PROJECT_KEYS, STATES, parse_project
from .scaffold import issue_text
from .source import Source

MEDIA_FOLDER = "assets/images"  # inside the pages folder: where uploaded pictures go, as `image:` names them
# The file name from the entry's own date, also when it has a time; Decap's {{year}} is the day of saving.
ISSUE_SLUG = "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$"


def _field(name: str, label: str, widget: str, *, hint: str = "", **more: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "label": label, "widget": widget}
    if hint:
        field["hint"] = hint
    field.update(more)
    return field


def _picture() -> list[dict[str, Any]]:
    """`image:` and `image_alt:`, as issues and profiles share them."""
    return [
        _field("image", "Bild", "image", choose_url=False, media_library={"config": {"multiple": False}},
               hint="Erlaubt ist ein Bild (JPEG, PNG, WebP, GIF) ab 480 Bildpunkten Breite; es wird ohne seine "
                    "Metadaten veröffentlicht."),
        _field("image_alt", "Bildbeschreibung", "string",
               hint="Pflicht zu jedem Bild: was es zeigt, z. B. „Ein bunt bemalter Bus vor einem Wohnhaus“."),
    ]


def _body(default: str = "") -> dict[str, Any]:
    # A plain text area: the Markdown stays exactly as typed, headings and comments included. Decap's
    # rich-text editor rewrites Markdown on save.
    field = _field("body", "Text (Markdown)", "text",
                   hint="„## Abschnitt“, „### Beitrag“; Kommentare <!-- … --> erscheinen nicht auf der Website.")
    if default:
        field["default"] = default
    return field


def _allowed(parse: Callable[[Source, list[Problem]], object], key: str, wrong: object) -> str:
    """What the build's own message for a wrong value of `key` says is allowed: „Erlaubt ist …“."""
    problems: list[Problem] = []
    parse(Source("neu.md", {key: wrong}, "", 1, {key: 2}), problems)
    message = next(problem.message for problem in problems if problem.line == 2 and "Erlaubt" in problem.message)
    return message[message.index("Erlaubt"):]


def _issue_parser(sections: Sequence[str]) -> Callable[[Source, list[Problem]], object]:
    return lambda source, problems: parse_issue(source, "neu", sections, problems)


def _project_parser(source: Source, problems: list[Problem]) -> object:
    return parse_project(source, "neu", problems)


def _issues(sections: Sequence[str], today: datetime.date) -> dict[str, Any]:
    parse = _issue_parser(sections)
    date_hint = _allowed(parse, "date", "?")
    template = issue_text("Die Vernetzungsstelle informiert", today, sections)
    body = template.partition("\n---\n")[2]  # the same sections and hints as `rundbrief new issue`
    fields = [
        _field("title", "Titel", "string",
               hint="Der Titel der Ausgabe, z. B. „Die Vernetzungsstelle informiert“."),
        _field("date", "Datum", "string", default=today.isoformat(),
               pattern=[DATE_PATTERN, date_hint], hint=date_hint),
        _field("description", "Anreißer", "text",
               hint="Ein bis zwei Sätze; der erste erscheint auf LinkedIn vor „…mehr anzeigen“."),
        _field("draft", "Entwurf", "boolean", default=True,
               hint="Ein Entwurf erscheint nur in der Vorschau. Zum Veröffentlichen ausschalten."),
        *_picture(),
        _body(body),
    ]
    return {
        "name": "issues", "label": "Ausgaben", "label_singular": "Ausgabe", "folder": NEWSLETTERS,
        "create": True, "extension": "md", "format": "frontmatter",
        "slug": ISSUE_SLUG, "summary": "{{date}} – {{title}}",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title"], "preview_path": f"{NEWSLETTERS}/{{{{slug}}}}/",
        "editor": {"preview": False},
        "fields": _checked(fields, ISSUE_KEYS, _required(parse, ISSUE_KEYS)),
    }


def _projects(themes: Sequence[str]) -> dict[str, Any]:
    theme_hint = _allowed(_project_parser, "tags", ["<"])
    if themes:
        tags = _field("tags", "Themen", "select", multiple=True, options=list(themes),
                      hint=f"Themen der vorhandenen Projekte. Ein neues Thema in der Datei eintragen. {theme_hint}")
    else:
        tags = _field("tags", "Themen", "list", hint=f"Durch Kommas getrennt. {theme_hint}")
    website, email = _allowed(_project_parser, "website", "?"), _allowed(_project_parser, "email", "?")
    fields = [
        _field("title", "Projektname", "string", hint="Der volle Name des Projekts."),
        _field("short", "Kurzname", "string", hint="Z. B. „KArAD“."),
        _field("organisation", "Träger", "string", hint="Der Vorhabenträger."),
        _field("location", "Ort", "string", hint="Ort oder Kreis, z. B. „Kreis Mettmann“."),
        _field("state", "Bundesland", "select", options=list(STATES),
               hint="Eines der 16 Länder mit genauem Namen."),
        _field("website", "Website", "string", pattern=[r"^https?://\S+$", website], hint=website),
        _field("email", "E-Mail", "string", pattern=[r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email], hint=email),
        tags,
        *_picture(),
        _body(),
    ]
    return {
        "name": "projects", "label": "Projekte", "label_singular": "Projekt", "folder": PROJECTS,
        "create": True, "extension": "md", "format": "frontmatter", "slug": "{{slug}}",
        "summary": "{{title}}", "preview_path": f"{PROJECTS}/{{{{slug}}}}/", "editor": {"preview": False},
        "fields": _checked(fields, PROJECT_KEYS, _required(_project_parser, PROJECT_KEYS)),
    }


def _pages(docs: str) -> dict[str, Any]:
    fields = [
        _field("title", "Titel", "string", hint="Ohne Titel gilt die erste Überschrift."),
        _field("description", "Beschreibung", "text", hint="Ein Satz für Suchmaschinen und Vorschauen."),
        _field("hide", "Ausblenden", "select", multiple=True, options=list(HIDE),
               hint="Teile der Seite, die fehlen sollen. " + _allowed(parse_page, "hide", ["?"])),
        _field("video", "Video", "string", hint="Nur auf der Seite in Gebärdensprache: eine Videodatei in "
                                                 f"{docs}/, z. B. „assets/video/dgs.mp4“."),
        _field("captions", "Untertitel", "string", hint="Zum Video: eine .vtt-Datei."),
        _body(),
    ]
    return {
        "name": "pages", "label": "Seiten", "label_singular": "Seite", "folder": docs, "create": True,
        "extension": "md", "format": "frontmatter", "slug": "{{slug}}", "summary": "{{title}}",
        "editor": {"preview": False}, "fields": _checked(fields, PAGE_KEYS, _required(parse_page, PAGE_KEYS)),
    }


def _checked(fields: list[dict[str, Any]], keys: Sequence[str], required: set[str]) -> list[dict[str, Any]]:
    """The form's keys are the contract's keys, no more and no fewer, so that the form can write nothing
    the build refuses as unknown and offers every key the build reads; required are the keys whose absence
    the parser itself reports."""
    names = [field["name"] for field in fields if field["name"] != "body"]
    assert sorted(names) == sorted(keys), (names, keys)
    for field in fields:
        field["required"] = field["name"] in required
    return fields


def _required(parse: Callable[[Source, list[Problem]], object], keys: Sequence[str]) -> set[str]:
    """The keys a file cannot do without, asked of the parser with empty front matter."""
    problems: list[Problem] = []
    parse(Source("neu.md", {}, "", 1), problems)
    return {key for key in keys for problem in problems if problem.message.startswith(f"Pflichtfeld „{key}“")}


def decap_config(backend: Mapping[str, Any], *, docs: str, sections: Sequence[str], themes: Sequence[str],
                 today: datetime.date, site_url: str = "") -> dict[str, Any]:
    """The whole configuration for `CMS.init`; `backend` is Decap's backend section (the local
    proxy or GitLab)."""
    config: dict[str, Any] = {
        "load_config_file": False,
        "backend": dict(backend),
        "locale": "de",
        "media_folder": f"{docs}/{MEDIA_FOLDER}",
        "public_folder": MEDIA_FOLDER,  # `image: assets/images/bus.jpg`, relative to the pages folder
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_issues(sections, today), _projects(themes), _pages(docs)],
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    return config


def gitlab_backend(repo: str, app_id: str, base_url: str = "https://gitlab.opencode.de",
                   branch: str = "main") -> dict[str, Any]:
    """Decap's GitLab backend with PKCE: the browser signs in at the GitLab itself, no server of ours
    holds a secret."""
    return {"name": "gitlab", "repo": repo, "branch": branch, "auth_type": "pkce", "app_id": app_id,
            "base_url": base_url, "api_root": f"{base_url.rstrip('/')}/api/v4"}
