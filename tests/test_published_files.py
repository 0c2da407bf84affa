"""Safe by construction, for what the site publishes besides the editors' pages: the values the
templates write, the files of content/ published as they are, and symlinks inside the project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment

from content import issue

REPO = Path(__file__).resolve().parent.parent
SIGN_LANGUAGE = "content/gebaerdensprache.md"


def sign_language_video(site, video: str, captions: str) -> None:
    page = site.root / SIGN_LANGUAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("# video: assets/dgs/erklaerung.mp4", f"video: '{video}'")
                    .replace("# captions: assets/dgs/erklaerung.vtt", f"captions: '{captions}'"), encoding="utf-8")


# Every value a template writes is escaped


def test_a_quote_in_the_sign_language_video_is_refused_at_its_line(site, run):
    video = 'assets/dgs/q" onerror="alert(1)" x=".mp4'
    (site.root / "content/assets/dgs").mkdir(parents=True)
    (site.root / "content" / video).write_bytes(b"\x00\x00\x00\x18ftypmp42")  # the file is there: only its name is wrong
    (site.root / "content/assets/dgs/erklaerung.vtt").write_text("WEBVTT\n", encoding="utf-8")
    sign_language_video(site, video, 'assets/dgs/erklaerung.vtt"><script>alert(2)</script>')
    errors = site.build_fails()
    assert (f"{SIGN_LANGUAGE}:4: „video: assets/dgs/q\" onerror=\"alert(1)\" x=\".mp4“ ist nicht erlaubt: das Zeichen "
            "„\"“ gehört nicht in einen Dateinamen. Erlaubt ist ein Pfad ohne Anführungszeichen") in errors
    assert f"{SIGN_LANGUAGE}:5: „captions: assets/dgs/erklaerung.vtt\"><script>alert(2)</script>“ ist nicht erlaubt" in errors
    assert "Traceback" not in errors
    assert not site.out.exists()
    result = run(site, "check")
    assert result.exit_code == 1 and f"{SIGN_LANGUAGE}:4: „video: assets/dgs/q\"" in result.output


def test_the_sign_language_paths_are_escaped_in_the_page(site):
    (site.root / "content/assets/dgs").mkdir(parents=True)
    (site.root / "content/assets/dgs/Gebärden & Untertitel.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (site.root / "content/assets/dgs/Gebärden & Untertitel.vtt").write_text("WEBVTT\n", encoding="utf-8")
    sign_language_video(site, "assets/dgs/Gebärden & Untertitel.mp4", "assets/dgs/Gebärden & Untertitel.vtt")
    site.build()
    sign = site.html("gebaerdensprache/")
    assert '<source src="../assets/dgs/Gebärden &amp; Untertitel.mp4">' in sign
    assert 'src="../assets/dgs/Gebärden &amp; Untertitel.vtt" default>' in sign
    assert "& Untertitel" not in sign


# What writes HTML itself: sanitized bodies, Material's blocks, Rundbrief's macros and pictures.
HTML_PRODUCERS = re.compile(r"^(page\.content|super\(\)|rundbrief\.picture\(.*|link_list\(.*|.*\|\s*forceescape)$", re.S)


@pytest.mark.parametrize("template", sorted(p.relative_to(REPO / "overrides").as_posix()
                                            for p in (REPO / "overrides").rglob("*.html")))
def test_every_value_a_template_writes_is_escaped(template):
    """A template writes `{{ value | e }}`, or an expression that makes HTML itself: no value from
    content, configuration or code reaches a page unescaped because its template forgot."""
    source = (REPO / "overrides" / template).read_text(encoding="utf-8")
    tokens = list(Environment().lex(source))
    unescaped, expression, inside = [], [], False
    for _, kind, value in tokens:
        if kind == "variable_begin":
            expression, inside = [], True
        elif kind == "variable_end":
            text = "".join(expression).strip()
            escaped = re.search(r"\|\s*e$", text)
            if not escaped and not HTML_PRODUCERS.match(text):
                unescaped.append(text)
            inside = False
        elif inside:
            expression.append(value)
    assert not unescaped, f"{template}: unescaped {unescaped}"


# Symlinks lead only into their own folder


def test_symlinks_inside_the_project_lead_only_into_their_own_folder(sample, run):
    (sample.root / ".git").mkdir()
    (sample.root / ".git/config").write_text('[remote "origin"]\n\turl = https://x-access-token:GEHEIM@example.org/r\n')
    (sample.root / ".env").write_text("PASSWORT=GEHEIM\n", encoding="utf-8")
    issue(sample, "2025-03-01", date="2025-03-01", front="draft: true\n", title="Entwurf GEHEIM")
    (sample.root / "content/assets/leak.txt").symlink_to("../../.git/config")
    (sample.root / "content/x.md").symlink_to("../.env")
    (sample.root / "content/entwurf.md").symlink_to("../newsletters/2025-03-01.md")
    errors = sample.build_fails()
    assert ("content/assets/leak.txt:1: Der Verweis (Symlink) zeigt auf „.git/config“ außerhalb des Ordners content/ "
            "und wird nicht veröffentlicht. Erlaubt sind nur Verweise auf Dateien im selben Ordner") in errors
    assert "content/x.md:1: Der Verweis (Symlink) zeigt auf „.env“ außerhalb des Ordners content/" in errors
    assert "content/entwurf.md:1: Der Verweis (Symlink) zeigt auf „newsletters/2025-03-01.md“" in errors
    assert not sample.out.exists()
    result = run(sample, "check")
    assert result.exit_code == 1 and "content/assets/leak.txt:1: Der Verweis (Symlink)" in result.output


def test_a_symlink_to_a_file_in_its_own_folder_is_published(site):
    (site.root / "content/assets/images/bus.png").symlink_to("bunter-bus.png")
    site.build()
    assert (site.out / "assets/images/bus.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Files a browser or web server would run


@pytest.mark.parametrize(("name", "message"), [
    *((name, f"Dateien mit der Endung „{ending}“ werden nicht veröffentlicht: Browser oder Webserver führen sie aus, "
             "an der Prüfung der Inhalte vorbei.")
      for name, ending in (("assets/seite.html", ".html"), ("assets/alt.htm", ".htm"), ("assets/feed.xml", ".xml"),
                           ("kontakt.php", ".php"), ("assets/Seite.XHTML", ".xhtml"))),
    ("assets/feed.rss", "Dateien mit der Endung „.rss“ werden nicht veröffentlicht: Browser oder Webserver führen sie aus"),
    ("assets/bild.svg.gz", "Dateien mit der Endung „.gz“ werden nicht veröffentlicht: auf die Website kommen nur Arten"),
    ("web.config", "Dateien mit der Endung „.config“ werden nicht veröffentlicht"),
    ("_headers", "Dateien ohne Endung werden nicht veröffentlicht"),
    ("assets/seite.html.de", "Dateien mit der Endung „.html“ werden nicht veröffentlicht, auch nicht vor einer "
                             "weiteren Endung: Browser oder Webserver führen sie aus"),
    ("assets/foto.jfif", "Dateien mit der Endung „.jfif“ werden nicht veröffentlicht"),
    ("favicon.ico", "Dateien mit der Endung „.ico“ werden nicht veröffentlicht"),  # may hold a PNG with metadata
])
def test_only_kinds_of_files_the_site_publishes_leave_the_pages_folder(site, run, name, message):
    """An allow-list of last endings, and no ending anywhere in the name that a browser or server runs:
    Apache reads every ending, so "seite.html.de" is a page."""
    site.write(f"content/{name}", "<script>alert(document.cookie)</script>\n")
    errors = site.build_fails()
    assert f"content/{name}:1: {message}" in errors
    assert "Erlaubt sind Seiten als Markdown (.md), Bilder (.jpg, .jpeg, .png, .gif, .webp" in errors
    assert "Dokumente (.pdf, .txt, .csv" in errors and "Traceback" not in errors
    assert not site.out.exists()
    result = run(site, "check")
    assert result.exit_code == 1 and f"content/{name}:1: {message}" in result.output


def test_a_jpeg_with_another_ending_is_to_be_saved_as_jpg(site):
    site.write("content/assets/foto.jfif", "kein Bild\n")
    errors = site.build_fails()
    assert "content/assets/foto.jfif:1: Dateien mit der Endung „.jfif“ werden nicht veröffentlicht" in errors
    assert ": das Bild als .jpg speichern." in errors


def test_documents_media_and_fonts_are_published(site):
    files = {"assets/bericht.2024.pdf": "%PDF-1.4\n", "assets/dgs/untertitel.vtt": "WEBVTT\n",
             "assets/fonts/schrift.woff2": "wOF2", "assets/javascripts/eigenes.js": "// eigenes\n"}
    for name, text in files.items():
        site.write(f"content/{name}", text)
    out = site.build()
    for name, text in files.items():
        assert (out / name).read_text(encoding="utf-8") == text, name


HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert('laden')">
  <title>Ein Kreis</title>
  <script>alert('skript')</script>
  <a href="javascript:alert('link')"><circle cx="5" cy="5" r="4" fill="#039"/></a>
  <image href="https://tracker.example.com/pixel.png" width="1" height="1"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert('html')"/></div></foreignObject>
</svg>
"""


def test_svg_pictures_are_published_without_scripts_or_requests_elsewhere(site):
    site.write("content/assets/images/kreis.svg", HOSTILE_SVG)
    site.build()
    published = (site.out / "assets/images/kreis.svg").read_text(encoding="utf-8")
    assert "<title>Ein Kreis</title>" in published and "<circle" in published
    for hostile in ("alert", "script", "onload", "onerror", "javascript:", "tracker.example.com", "foreignObject"):
        assert hostile not in published, hostile
    emblem = (site.out / "assets/images/eu-emblem.svg").read_text(encoding="utf-8")
    assert "<title id=\"t\">Emblem der Europäischen Union</title>" in emblem and emblem.count("<polygon") == 12


def test_an_svg_that_is_no_xml_is_refused(site):
    site.write("content/assets/images/kaputt.svg", "<svg><g></svg>\n")
    errors = site.build_fails()
    assert ("content/assets/images/kaputt.svg:1: Die SVG-Grafik ist kein lesbares SVG (XML) und wird nicht "
            "veröffentlicht.") in errors


# No file of content/ takes the place of a theme file


@pytest.mark.parametrize("name", ["assets/javascripts/rundbrief.js", "assets/stylesheets/rundbrief.css",
                                  "assets/images/favicon.png", "Assets/Javascripts/Rundbrief.JS"])
def test_a_file_at_the_address_of_a_theme_file_is_refused(site, run, name):
    """MkDocs lets a file of docs_dir win over the theme's file at the same address: every page would load
    the editors' script. overrides/ holds rundbrief.js and .css, Material the favicon; on macOS and
    Windows the address is the same in any case."""
    site.write(f"content/{name}", 'alert("owned")\n')
    errors = site.build_fails()
    assert (f"content/{name}:1: Unter dieser Adresse ({name}) liegt eine Datei der Vorlagen, die die Website "
            "gestalten") in errors
    assert "Erlaubt ist jede andere Adresse: die Datei umbenennen oder in einen anderen Ordner legen." in errors
    assert not site.out.exists()
    result = run(site, "check")
    assert result.exit_code == 1 and f"content/{name}:1: Unter dieser Adresse ({name})" in result.output


@pytest.mark.parametrize(("front", "heading"), [
    ("", "# Test &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('title: "</title><script>alert(2)</script>"\n', "# Überschrift"),
])
def test_a_title_never_becomes_markup_in_the_browser_tab(site, front, heading):
    """Material writes `page.title | striptags` into `<title>`, and `striptags` decodes entities."""
    site.write("content/titel.md", f"---\n{front}---\n\n{heading}\n\nText.\n")
    site.build()
    page = site.html("titel/")
    head = page.split("</head>", 1)[0]
    assert "<script>alert" not in head and "</title><script>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(" in head.split("<title>", 1)[1].split("</title>", 1)[0]
