"""`rundbrief import`: old newsletters, copied from the old website as text or HTML, become draft issues
that an editor checks, publishes and builds."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest


LEGACY = Path(__file__).parent / "legacy"
ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"
ISSUE_URL = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
ITEMS = "Beiträge je Abschnitt: Vorgestellt 1, Vernetzt 3, Umgeschaut 2."
PROJECT_LINKS = ["../projects/karad.md", "../projects/bremer-stadtteileltern.md", "../projects/anker-plus.md",
                 "../projects/geste-gemeinsamstark.md"]


def _items(markdown: str) -> dict[str, int]:
    """The number of items (### …) under each section (## …) of an issue file."""
    counts: dict[str, int] = {}
    section = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            section = line[3:]
            counts[section] = 0
        elif line.startswith("### "):
            counts[section] += 1
    return counts


def _publish(site, path: str = ISSUE) -> str:
    """What the editor does after checking the drafted headings: deletes the line `draft: true`."""
    file = site.root / path
    text = file.read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    file.write_text(text.replace("\ndraft: true\n", "\n", 1), encoding="utf-8")
    return text


def _article(site, url: str) -> str:
    """The content of a built page, without the theme's frame."""
    return site.html(url).split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]


@pytest.mark.parametrize("legacy", ["2024-12-13.txt", "2024-12-13.html"])
def test_import_legacy_issue(sample, run, legacy):
    (sample.root / ISSUE).unlink()
    result = run(sample, "import", str(LEGACY / legacy))
    assert result.exit_code == 0, result.output
    assert f"{legacy} → {ISSUE}" in result.output
    assert f"Als Entwurf angelegt („draft: true“). {ITEMS}" in result.output
    assert "Die Überschriften der Beiträge sind Vorschläge: bitte prüfen und kürzen" in result.output
    assert "nicht zugeordnet: „Stand der Seite: zuletzt bearbeitet von der Redaktion“" in result.output
    text = (sample.root / ISSUE).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Die Vernetzungsstelle informiert\ndate: 2024-12-13\ndraft: true\n---\n")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "## Vorgestellt",
        "### Das Projekt KArAD aus Düren ist mit einem bunt bemalten Bus unterwegs",
        "## Vernetzt",
        "### Am 12. November 2024 war die Vernetzungsstelle beim Bundeskongress der…",
        "### Anfang November trafen sich die Projekte aus Bremen und Bremerhaven auf…",
        "### ANKER Plus aus dem Kreis Mettmann berichtete am 2. Dezember 2024 in Köln-Deutz…",
        "## Umgeschaut",
        "### Im Lokalradio „radioaktiv“ stellten Mitarbeitende des Jobcenters…",
        "### Der Deutsche Verein für öffentliche und private Fürsorge e.V. hat Empfehlungen…",
    ]
    # the text itself stays verbatim, with known projects linked
    assert ("Das Projekt [KArAD](../projects/karad.md) aus Düren ist mit einem bunt bemalten Bus unterwegs. "
            "Träger ist low-tec, die Projektleitung hat Constanze Heck.") in text
    assert "Einladung der [Bremer Stadtteileltern](../projects/bremer-stadtteileltern.md). Die Senatorin" in text
    assert "[ANKER Plus](../projects/anker-plus.md) aus dem Kreis Mettmann" in text
    assert "das Projekt [Geste – GemeinsamSTARK](../projects/geste-gemeinsamstark.md) vor." in text
    assert "Zum Jahresende sagen wir Danke: an alle Mitstreiter*innen in den Projekten" in text
    for boilerplate in ("Startseite", "Kontakt", "LinkedIn vorstellen", "Kofinanziert", "Gefördert durch", "Impressum"):
        assert boilerplate not in text, boilerplate
    sample.build()  # a draft is checked by the build, but published nowhere
    assert not (sample.out / ISSUE_URL).exists()
    _publish(sample)
    sample.build()
    mentions = sample.html("projects/anker-plus/").split('id="erwaehnt-in"')[1]
    assert f"{ISSUE_URL}#anker-plus-aus-dem-kreis-mettmann" in mentions


# Copies of the issue of 13.12.2024 as the old website gave them: each with navigation, the repeated
# title, the call to be featured and the funding notice around the 1/3/2 items.
COPIES = {
    # selected in the browser and pasted: non-breaking spaces (also doubled), U+2212 as a dash, item
    # headings on lines of their own, a breadcrumb and a share line
    "2024-12-13-browser.txt": ([], [
        "## Vorgestellt", "### KArAD: Unterwegs im bunten Bus",
        "## Vernetzt", "### Zu Gast beim Bundeskongress der Präventionsketten",
        "### Bremen und Bremerhaven an einem Tisch", "### ANKER Plus in Köln-Deutz",
        "## Umgeschaut", "### Hörtipp: Geste – GemeinsamSTARK im Radio",
        "### Lesetipp: Empfehlungen des Deutschen Vereins",
    ]),
    # the e-mail edition saved on an old Windows PC: Windows-1252 without saying so, CRLF, wrapped lines,
    # section names in capitals, "13.12.2024 – Titel"
    "2024-12-13-mail.txt": ([
        "Hinweis: Die Datei ist nicht in UTF-8 gespeichert (erstes anderes Zeichen in Zeile 5) und wurde als "
        "Windows-1252 gelesen. Bitte Umlaute und Sonderzeichen prüfen.",
        "nicht zugeordnet: „Newsletter der Akti(F) Plus Vernetzungsstelle“",
        "nicht zugeordnet: „Akti(F) Plus Vernetzungsstelle · gsub mbH · aktif-vernetzt(at)gsub.de“",
    ], [
        "## Vorgestellt", "### Mit einem bunt bemalten Bus fährt KArAD in Düren zu den Familien",
        "## Vernetzt", "### Beim Bundeskongress der Präventionsketten am 12. November in Hannover ging es…",
        "### Auf Einladung der Bremer Stadtteileltern trafen sich Anfang November 2024 die…",
        "### Die meisten Familien, die ANKER Plus begleitet, sind alleinerziehend",
        "## Umgeschaut", "### Hörenswert: Im Lokalradio „radioaktiv“ ging es um das Projekt Geste…",
        "### Der Deutsche Verein für öffentliche und private Fürsorge e.V. hat Empfehlungen…",
    ]),
    # saved from the old CMS: declared and stored as windows-1252, &nbsp;, &minus;, <br>, bold item titles
    "2024-12-13-cms.html": ([], [
        "## Vorgestellt", "### KArAD – mit dem Bus zu den Familien",
        "## Vernetzt", "### Bundeskongress der Präventionsketten", "### Treffen in Bremen",
        "### Fachtagung zu Alleinerziehenden",
        "## Umgeschaut", "### Geste – GemeinsamSTARK im Radio", "### Empfehlungen des Deutschen Vereins",
    ]),
    # UTF-8 with a byte order mark that still declares windows-1252 (the mark wins), <h4> item titles,
    # <br><br> between paragraphs, a comment and a script
    "2024-12-13-bom.html": ([], [
        "## Vorgestellt", "### KArAD aus Düren",
        "## Vernetzt", "### Bundeskongress in Hannover", "### Bremer Stadtteileltern laden ein",
        "### Tagung in Köln-Deutz",
        "## Umgeschaut", "### Im Radio", "### Empfehlungen",
    ]),
}


@pytest.mark.parametrize("legacy", sorted(COPIES))
def test_import_copies_of_the_old_site(sample, run, legacy):
    notes, headings = COPIES[legacy]
    (sample.root / ISSUE).unlink()
    result = run(sample, "import", str(LEGACY / legacy))
    assert result.exit_code == 0, result.output
    assert f"{legacy} → {ISSUE}\n  Als Entwurf angelegt („draft: true“). {ITEMS}" in result.output
    for note in notes:
        assert f"\n  {note}\n" in result.output, note
    assert result.output.count("\n  nicht zugeordnet: ") == sum(n.startswith("nicht zugeordnet") for n in notes)
    assert ("Hinweis:" in result.output) == any(note.startswith("Hinweis:") for note in notes)

    text = (sample.root / ISSUE).read_text(encoding="utf-8")
    assert _items(text) == {"Vorgestellt": 1, "Vernetzt": 3, "Umgeschaut": 2}
    assert [line for line in text.splitlines() if line.startswith("#")] == headings
    assert text.count("Die Vernetzungsstelle informiert") == 1  # the title, in the front matter only
    for link in PROJECT_LINKS:
        assert link in text, link
    for frame in ("Startseite", "Aktuelles", "Sie sind hier", "Newsletter", "LinkedIn", "Kofinanziert", "Sozialfonds",
                  "Gefördert", "Impressum", "Datenschutz", "Zurück zur", "Teilen", "Nach oben", "intern", "Werbung"):
        assert frame not in text, frame
    # what readers saw: one space, a dash, umlauts; no invisible character, no mojibake
    for wrong in ("\u00a0", "\u2212", "  ", "Ã", "\ufffd", "\r", "&nbsp;", "<br"):
        assert wrong not in text, repr(wrong)
    assert "Düren" in text and "Constanze Heck" in text

    _publish(sample)
    sample.build()
    page = _article(sample, ISSUE_URL)
    assert page.count("<h3") == 6
    assert "Geste – GemeinsamSTARK</a>" in page and "Düren" in page
    mentions = sample.html("projects/geste-gemeinsamstark/").split('id="erwaehnt-in"')[1]
    assert ISSUE_URL in mentions


HOSTILE_TEXT = """\
13.12.2024: Die Vernetzungsstelle <informiert>

Auf der alten Seite stand als Beispiel <script>alert("text")</script> mit einem Kommentar <!-- intern --> darin.

Vorgestellt

<b>Fett?</b> Ein Link [hier klicken](javascript:alert(1)) und <javascript:alert(2)>, dazu <a href="javascript:alert(3)">klick</a>.

12. November: alle Mitstreiter*innen und Akteur_innen, *nicht kursiv*, __nicht fett__, {: onclick="alert(4)" } und &amp; sowie &lt;b&gt;.

# kein Titel, - keine Liste, `kein Code` und \\ ein Rückstrich

!!! note "kein Hinweiskasten"

> kein Zitat [^1] ![kein Bild](https://example.org/x.png)
"""

HOSTILE_HTML = """\
<html><head><meta charset="utf-8"><script>alert("kopf")</script></head><body>
<!-- intern: nicht veröffentlichen -->
<h1>13.12.2024: Die Vernetzungsstelle informiert</h1>
<h2>Vorgestellt</h2>
<p>Auf der alten Seite stand &lt;script&gt;alert("text")&lt;/script&gt; als Text da.</p>
<p><![ Rest aus Word ]><a href="javascript:alert(1)">Ein Link</a> und <img src="x" onerror="alert(2)"> ein Bild.
<iframe src="https://video.example.com/embed/1"></iframe><script>alert(3)</script>
&lt;!-- kein Kommentar --&gt; und Mitstreiter*innen.</p>
</body></html>
"""


@pytest.mark.parametrize("name, copy", [("alt.txt", HOSTILE_TEXT), ("alt.html", HOSTILE_HTML)])
def test_imported_text_stays_text(sample, run, tmp_path, name, copy):
    (sample.root / ISSUE).unlink()
    file = tmp_path / name
    file.write_text(copy, encoding="utf-8")
    result = run(sample, "import", str(file))
    assert result.exit_code == 0, result.output
    _publish(sample)
    sample.build()
    page = _article(sample, ISSUE_URL)
    # the text as the old site showed it, literally
    assert '&lt;script&gt;alert("text")&lt;/script&gt;' in page
    assert "Mitstreiter*innen" in page
    _only_our_markup(page)
    feed = json.loads((sample.out / "feed.json").read_text(encoding="utf-8"))
    _only_our_markup(next(item["content_html"] for item in feed["items"] if ISSUE_URL in item["url"]))
    if name == "alt.txt":
        assert "Die Vernetzungsstelle &lt;informiert&gt;</h1>" in page
        assert "<informiert>" not in sample.html(ISSUE_URL) + sample.html("")
        assert ">12. November: alle Mitstreiter*innen und Akteur_innen, *nicht kursiv*, __nicht…<" in page
        for literal in ("&lt;!-- intern --&gt;", "[hier klicken](javascript:alert(1))", "&lt;javascript:alert(2)&gt;",
                        '&lt;a href="javascript:alert(3)"&gt;klick&lt;/a&gt;', "<p>12. November:", "Akteur_innen",
                        "*nicht kursiv*", "__nicht fett__", '{: onclick="alert(4)" }',
                        "&amp;amp; sowie &amp;lt;b&amp;gt;", "<p># kein Titel, - keine Liste", "`kein Code`",
                        "und \\ ein Rückstrich", '<p>!!! note "kein Hinweiskasten"',
                        "<p>&gt; kein Zitat [^1] ![kein Bild](https://example.org/x.png)", "&lt;b&gt;Fett?&lt;/b&gt;"):
            assert literal in page, literal
    else:
        assert "&lt;!-- kein Kommentar --&gt;" in page and "Ein Link und ein Bild." in page


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _markup(html: str) -> tuple[list[tuple[str, dict[str, str | None]]], list[str]]:
    """The elements with their attributes, and the comments, of a piece of HTML."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tags, parser.comments


def _only_our_markup(html: str) -> None:
    """No element, attribute, link or comment in the HTML of an imported issue came from the copy."""
    tags, comments = _markup(html)
    assert not comments
    # nav, ol, ul, li, span: the masthead's date, reading time and contents, made by the template
    assert {tag for tag, _ in tags} <= {"article", "header", "h1", "p", "time", "h2", "h3", "a",
                                        "nav", "ol", "ul", "li", "span"}, tags
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)]
    links = [attrs["href"] or "" for tag, attrs in tags if tag == "a"]
    assert all(link.startswith(("#", "../../projects/", "https://www.aktif-vernetzt.de/")) for link in links), links


def _copy(tmp_path: Path, name: str, content: str | bytes) -> Path:
    file = tmp_path / name
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")
    return file


@pytest.mark.parametrize("name, content, message", [
    ("datum.txt", "31.02.2024: Die Vernetzungsstelle informiert\n\nVorgestellt\n\nText.\n",
     "Die Kopfzeile „31.02.2024: Die Vernetzungsstelle informiert“ nennt kein gültiges Datum: den 31.02.2024 gibt es "
     "nicht. Erlaubt ist TT.MM.JJJJ, z. B. 13.12.2024. Nicht importiert."),
    ("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
     "Das ist keine Text- oder HTML-Datei. Erlaubt sind alte Ausgaben als Text (.txt) oder HTML (.html), wie der "
     "Browser sie speichert. Nicht importiert."),
    ("kaputt.txt", b"\xff\xfe\x00\xd8",
     "Die Datei beginnt mit der Kennung von UTF-16-LE, ist aber nicht so gespeichert."),
    ("ordner.html", None, "Das ist ein Ordner. Erlaubt sind Dateien mit einer alten Ausgabe als Text (.txt) oder "
     "HTML (.html). Nicht importiert."),
    ("fehlt.txt", None, "Diese Datei gibt es nicht. Nicht importiert."),
])
def test_import_refuses_what_it_cannot_read(sample, run, tmp_path, name, content, message):
    before = sorted(p.name for p in (sample.root / "newsletters").iterdir())
    if name == "ordner.html":
        (tmp_path / name).mkdir()
    path = _copy(tmp_path, name, content) if content is not None else tmp_path / name
    result = run(sample, "import", str(path))
    assert result.exit_code == 1
    assert f"{path}: {message}" in result.output
    assert "Fehler: 1 von 1 Dateien nicht importiert." in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (sample.root / "newsletters").iterdir()) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_import_refuses_a_file_without_read_permission(sample, run, tmp_path):
    path = _copy(tmp_path, "gesperrt.txt", "13.12.2024: Titel\n")
    path.chmod(0)
    result = run(sample, "import", str(path))
    assert result.exit_code == 1
    assert f"{path}: Die Datei darf nicht gelesen werden: Es fehlen die Leserechte. Nicht importiert." in result.output


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux only")
def test_import_refuses_a_file_the_system_cannot_read(sample, run):
    result = run(sample, "import", "/proc/self/mem")
    assert result.exit_code == 1
    assert "/proc/self/mem: Die Datei kann nicht gelesen werden (Systemfehler EIO). Nicht importiert." in result.output


def test_import_names_a_path_through_a_file_in_german(sample, run, tmp_path):
    (tmp_path / "datei.txt").write_text("Text.\n", encoding="utf-8")
    result = run(sample, "import", str(tmp_path / "datei.txt" / "ausgabe.txt"))
    assert result.exit_code == 1
    assert "ausgabe.txt: Die Datei kann nicht gelesen werden (Systemfehler ENOTDIR). Nicht importiert." in result.output
    assert "Not a directory" not in result.output


def test_import_reads_no_more_from_a_pipe_than_the_build_takes(site, run, tmp_path):
    """A pipe says its size is 0, whatever comes through it."""
    pipe = tmp_path / "rohr.txt"
    os.mkfifo(pipe)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), pipe.open("wb") as end:
            end.write(b"13.12.2024: Die Vernetzungsstelle informiert\n\n" + b"Text. " * 200_000)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    result = run(site, "import", str(pipe))
    writer.join(10)
    assert result.exit_code == 1
    assert (f"{pipe}: Die Datei ist größer als 1,0 MB. Erlaubt ist höchstens 1 MB je Datei, wie für jede Ausgabe"
            in result.output)
    assert not (site.root / ISSUE).exists()


def test_import_of_one_long_paragraph_ends(site, tmp_path):
    """A copy of 950 KB with one paragraph: the closing notices were searched for from every position of
    it, each search to its end, which took hours. The timeout is a safety bound, not a measurement."""
    copy = tmp_path / "absatz.txt"
    copy.write_text("13.12.2024: Die Vernetzungsstelle informiert\n\n"
                    + "Die Projekte arbeiten vor Ort mit Familien zusammen " * 18_000 + "\n", encoding="utf-8")
    assert 900_000 < copy.stat().st_size < 1_000_000
    result = subprocess.run([sys.executable, "-m", "rundbrief", "import", str(copy)], cwd=site.root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (site.root / ISSUE).exists()


def test_a_long_title_gives_a_short_file_name(sample, run, tmp_path):
    title = "Die Vernetzungsstelle informiert über " + "ein sehr langes Jahr voller Begegnungen, " * 12
    copy = _copy(tmp_path, "lang.txt", f"14.12.2024: {title}\n\nVorgestellt\n\n[KArAD] war unterwegs.\n")
    result = run(sample, "import", str(copy))
    assert result.exit_code == 0, result.output
    name = "2024-12-14-die-vernetzungsstelle-informiert-ueber-ein-sehr-langes-jahr.md"
    assert f"lang.txt → newsletters/{name}" in result.output
    assert title.strip() in (sample.root / "newsletters" / name).read_text(encoding="utf-8").replace("\n  ", " ")

    result = run(sample, "new", "issue", "--date", "2025-01-31", "--title", "x" * 300)
    assert result.exit_code == 0, result.output
    assert f"Angelegt: newsletters/2025-01-31-{'x' * 60}.md" in result.output
    result = run(sample, "new", "issue", "--date", "2025-02-28", "--title", "Ausgabe " + "ä" * 400)
    assert result.exit_code == 0, result.output
    assert f"Angelegt: newsletters/2025-02-28-ausgabe-{'ae' * 26}.md" in result.output
    sample.build()  # all three are valid drafts


def test_import_says_when_a_page_is_not_stored_as_it_declares(sample, run, tmp_path):
    (sample.root / ISSUE).unlink()
    page = ('<html><head><meta charset="utf-8"></head><body><h1>13.12.2024: Die Vernetzungsstelle informiert</h1>'
            "<h2>Vorgestellt</h2><p>KArAD fährt mit dem Bus durch Düren.</p></body></html>")
    result = run(sample, "import", str(_copy(tmp_path, "alt.html", page.encode("cp1252"))))
    assert result.exit_code == 0, result.output
    assert "\n  Hinweis: Die Datei gibt die Zeichenkodierung utf-8 an, ist aber nicht so gespeichert.\n" in result.output
    assert ("\n  Hinweis: Die Datei ist nicht in UTF-8 gespeichert (erstes anderes Zeichen in Zeile 1) und wurde als "
            "Windows-1252 gelesen. Bitte Umlaute und Sonderzeichen prüfen.\n") in result.output
    text = (sample.root / ISSUE).read_text(encoding="utf-8")
    assert "[KArAD](../projects/karad.md) fährt mit dem Bus durch Düren." in text


def test_import_without_sections_keeps_the_text_as_the_intro(sample, run, tmp_path):
    copy = _copy(tmp_path, "artikel.txt", "29.05.2024: Beraten, Coachen und Vernetzen\n\nDie Vernetzungsstelle stellt "
                 "sich vor.\n\nDrei Fragen an das Team.\n")
    result = run(sample, "import", str(copy))
    assert result.exit_code == 0, result.output
    assert ("Beiträge je Abschnitt: keine, denn keiner der Abschnitte Vorgestellt, Vernetzt, Umgeschaut steht auf "
            "einer eigenen Zeile; der Text ist die Einleitung.") in result.output
    text = (sample.root / "newsletters" / "2024-05-29-beraten-coachen-und-vernetzen.md").read_text(encoding="utf-8")
    assert text.endswith("draft: true\n---\n\nDie Vernetzungsstelle stellt sich vor.\n\nDrei Fragen an das Team.\n")
    sample.build()  # a valid draft


def test_import_never_overwrites(sample, run):
    path = sample.root / ISSUE
    before = path.read_bytes()
    result = run(sample, "import", str(LEGACY / "2024-12-13.txt"))
    assert result.exit_code == 1
    assert "gibt es schon: nichts überschrieben." in result.output
    assert "Fehler: 1 von 1 Dateien nicht importiert." in result.output
    assert path.read_bytes() == before


def test_import_several_files_with_progress_and_without_header(sample, run, tmp_path):
    (sample.root / ISSUE).unlink()
    headless = _copy(tmp_path, "kein-kopf.txt", "Vorgestellt\n\nEin Absatz ohne Datum.\n")
    result = run(sample, "import", str(LEGACY / "2024-12-13.txt"), str(headless))
    assert result.exit_code == 1
    assert "Importiere" in result.output  # the progress bar of several files
    assert ("kein-kopf.txt: Keine Kopfzeile der Form „13.12.2024: Die Vernetzungsstelle informiert“ gefunden. "
            "Nicht importiert.") in result.output
    assert "Fehler: 1 von 2 Dateien nicht importiert." in result.output
    assert (sample.root / ISSUE).exists()
