"""The files of the pages folder that the site publishes as they are, beside the pages. A file that a
browser or a web server runs when it is opened — an HTML page, an SVG with a script, a PHP file on a
host that runs PHP — would get around the allow-list every body passes, so such files are refused.
SVG pictures are published as svg-hush leaves them: no scripts, no event handlers, no links to
scripts, and no references to other websites."""

from __future__ import annotations

import posixpath

from py_svg_hush import filter_svg

from .problems import Problem

# Run by browsers when opened (markup, XML with its stylesheets, compressed SVG, saved web pages),
# or by web servers (PHP, CGI and the like on a plain web host).
ACTIVE = (
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml",
    ".php", ".php3", ".php4", ".php5", ".php7", ".php8", ".phtml", ".phar", ".cgi", ".pl", ".asp", ".aspx", ".jsp",
)
SVG = ".svg"


def active_file(path: str) -> Problem | None:
    """A refusal of the file at `path` (relative to the project) if a browser or server would run it."""
    suffix = posixpath.splitext(path)[1].lower()
    if suffix not in ACTIVE:
        return None
    return Problem(path, 1, (
        f"Dateien mit der Endung „{suffix}“ werden nicht veröffentlicht: Browser oder Webserver führen sie aus, "
        "an der Prüfung der Inhalte vorbei. Erlaubt sind Seiten als Markdown (.md), Bilder, Videos und Dokumente "
        "wie PDF: den Inhalt als Markdown-Seite schreiben oder die Datei entfernen."))


def inert_svg(path: str, data: bytes) -> bytes | Problem:
    """The SVG picture at `path` without anything that runs or loads from elsewhere, or why it cannot be published."""
    try:
        return filter_svg(data)
    except ValueError:
        return Problem(path, 1, (
            "Die SVG-Grafik ist kein lesbares SVG (XML) und wird nicht veröffentlicht. Erlaubt sind SVG-Dateien, wie "
            "Zeichenprogramme sie speichern, oder das Bild als PNG oder JPEG."))
