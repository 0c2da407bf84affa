"""The files of the pages folder that the site publishes as they are, beside the pages. Only kinds of
files that browsers show or download and web servers hand out are published, by an allow-list of
endings: a file that a browser or a web server runs when it is opened — an HTML page, a feed with
XHTML in it, a PHP file on a host that runs PHP — would get around the allow-list every body passes.
SVG pictures are published as svg-hush leaves them: no scripts, no event handlers, no links to
scripts, and no references to other websites."""

from __future__ import annotations

from pathlib import PurePosixPath

from py_svg_hush import filter_svg

from .images import IMAGE_FILES
from .problems import Problem

SVG = ".svg"
# What content/ may publish, by the file's last ending. Pictures: those `images.scrub` copies without
# their metadata, and SVG made inert here; no .ico, which may hold a PNG with its metadata. .css and .js
# run only where mkdocs.yml loads them (extra_css, extra_javascript: the developers' file, as is every
# template); opened on their own, a browser shows them as text, as it does JSON.
PICTURES = (*IMAGE_FILES, SVG)
DOCUMENTS = (".pdf", ".txt", ".csv", ".odt", ".ods", ".odp", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
             ".rtf", ".zip")
MEDIA = (".mp4", ".webm", ".mp3", ".ogg", ".m4a", ".vtt")
FONTS = (".woff", ".woff2", ".ttf", ".otf")
STYLES_AND_SCRIPTS = (".css", ".js", ".json")
ALLOWED = frozenset((*PICTURES, *DOCUMENTS, *MEDIA, *FONTS, *STYLES_AND_SCRIPTS))
# Run by browsers when opened (markup, XML that may hold XHTML's <script> or a stylesheet, compressed
# SVG, saved web pages, Flash), or by web servers (PHP, CGI and the like on a plain web host). None is
# allowed as any ending of a name: Apache reads every one, so "seite.html.de" is a page and
# "bild.php.jpg" may run as PHP.
ACTIVE = frozenset((
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".xml", ".xsl", ".xslt", ".xsd", ".rss", ".atom",
    ".rdf", ".mml", ".svgz", ".mht", ".mhtml", ".swf",
    ".php", ".php2", ".php3", ".php4", ".php5", ".php6", ".php7", ".php8", ".phtml", ".pht", ".phps", ".phar",
    ".cgi", ".pl", ".py", ".rb", ".sh", ".asp", ".aspx", ".asa", ".ashx", ".asmx", ".jsp", ".jspx", ".cfm",
    ".cfml",
))
# Endings of pictures the site does not publish, and the one to save them with instead.
SAVE_AS = {".jfif": ".jpg", ".jpe": ".jpg", ".pjpeg": ".jpg", ".dng": ".jpg", ".apng": ".png"}
WHAT_IS_ALLOWED = (
    f"Erlaubt sind Seiten als Markdown (.md), Bilder ({', '.join(PICTURES)}), Dokumente ({', '.join(DOCUMENTS)}), "
    f"Videos, Töne und Untertitel ({', '.join(MEDIA)}), Schriften ({', '.join(FONTS)}) und "
    f"{', '.join(STYLES_AND_SCRIPTS)}")


def unpublished(path: str) -> Problem | None:
    """A refusal of the file at `path` (relative to the project) unless its kind is one the site publishes."""
    endings = [ending.lower() for ending in PurePosixPath(path).suffixes]
    if active := next((ending for ending in endings if ending in ACTIVE), None):
        where = "" if active == endings[-1] else ", auch nicht vor einer weiteren Endung"
        return Problem(path, 1, (
            f"Dateien mit der Endung „{active}“ werden nicht veröffentlicht{where}: Browser oder Webserver führen "
            f"sie aus, an der Prüfung der Inhalte vorbei. {WHAT_IS_ALLOWED}: den Inhalt als Markdown-Seite "
            "schreiben oder die Datei entfernen."))
    last = endings[-1] if endings else None
    if last in ALLOWED:
        return None
    kind = f"mit der Endung „{last}“" if last else "ohne Endung"
    if last in SAVE_AS:
        advice = f"das Bild als {SAVE_AS[last]} speichern"
    else:
        advice = "die Datei in einer dieser Arten speichern oder entfernen"
    return Problem(path, 1, (
        f"Dateien {kind} werden nicht veröffentlicht: auf die Website kommen nur Arten von Dateien, die Browser "
        f"und Webserver nicht ausführen. {WHAT_IS_ALLOWED}: {advice}."))


def inert_svg(path: str, data: bytes) -> bytes | Problem:
    """The SVG picture at `path` without anything that runs or loads from elsewhere, or why it cannot be published."""
    try:
        return filter_svg(data)
    except ValueError:
        return Problem(path, 1, (
            "Die SVG-Grafik ist kein lesbares SVG (XML) und wird nicht veröffentlicht. Erlaubt sind SVG-Dateien, wie "
            "Zeichenprogramme sie speichern, oder das Bild als PNG oder JPEG."))
