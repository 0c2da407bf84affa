"""`rundbrief serve` as editors use it: a real server process, real HTTP requests, broken and fixed content."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Preview
from content import issue
from rundbrief.cli.main import main

pytestmark = pytest.mark.slow

ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"
MISTAKE = (f"{ISSUE}:15: Unbekannter Abschnitt „Vorgstellt“. Gemeint ist vielleicht „Vorgestellt“. Erlaubt sind: "
           "Vorgestellt, Vernetzt, Umgeschaut (in dieser Reihenfolge).")


@pytest.fixture
def preview(start: Callable[[], Preview]) -> Preview:
    return start()


def _assert_german_terminal(output: str) -> None:
    for english in ("Aborted", "BuildError", "stuck", "Building documentation", "Serving on", "Watching paths",
                    "Detected file changes", "Reloading browsers", "Traceback", "INFO", "WARNING"):
        assert english not in output


def test_broken_content_shows_the_error_page_on_every_page_at_once_and_reloads_when_fixed(preview):
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    preview.edit(ISSUE, "## Vorgestellt", "## Vorgstellt")
    preview.poll("newsletters/", "Die Vorschau kann die Website nicht bauen")
    for path in ("", "newsletters/", "newsletters/2024-12-13-die-vernetzungsstelle-informiert/",
                 "projects/karad/", "gibt-es-nicht/", "feed.xml"):
        status, text, seconds = preview.get(path)
        assert seconds < 3, path  # answered at once, not held until the content is fixed
        assert status == 500, path
        assert '<html lang="de">' in text
        assert f"<li>{MISTAKE}</li>" in text.replace("&quot;", '"')
        assert "Die Inhalte enthalten 1 Fehler" in text
        assert "livereload(" in text  # the page reloads itself after the next build
    preview.edit(ISSUE, "## Vorgstellt", "## Vorgestellt")
    text = preview.poll("newsletters/2024-12-13-die-vernetzungsstelle-informiert/",
                        '<h1 id="inhalt">Die Vernetzungsstelle informiert</h1>')
    assert "Die Vorschau kann die Website nicht bauen" not in text
    assert preview.get("projects/karad/")[0] == 200
    output = preview.stop()
    assert output.count("Baue die Vorschau …") == 1
    assert output.count("Änderung gespeichert, baue die Vorschau neu …") >= 2
    assert f"Die Vorschau zeigt 1 Fehler statt der Website:\n  {MISTAKE}\n" in output
    assert re.search(r"Vorschau auf http://127\.0\.0\.1:\d+/ – beenden mit Strg\+C", output)
    assert "Vorschau beendet." in output
    # every build counts its own pages, from zero
    counts = re.findall(r"Vorschau fertig: (?:\d+ von )?(\d+) Seiten (?:neu gebaut )?in \d+,\d s\.", output)
    assert len(counts) >= 2 and len(set(counts)) == 1, output
    _assert_german_terminal(output)


def test_a_preview_started_on_broken_content_serves_the_error_page_until_fixed(sample, start):
    path = sample.root / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("## Vorgestellt", "## Vorgstellt"), encoding="utf-8")
    preview = start()
    text = preview.poll("newsletters/", "Die Vorschau kann die Website nicht bauen")
    assert MISTAKE in text.replace("&quot;", '"')
    assert preview.process.poll() is None  # still serving
    preview.edit(ISSUE, "## Vorgstellt", "## Vorgestellt")
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    output = preview.stop()
    assert f"Baue die Vorschau …\nDie Vorschau zeigt 1 Fehler statt der Website:\n  {MISTAKE}\n" in output
    _assert_german_terminal(output)


def test_a_broken_mkdocs_yml_while_serving_shows_on_the_error_page(preview):
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    preview.edit("mkdocs.yml", "site_name:", "site_nam:")
    text = preview.poll("newsletters/", "Die Vorschau kann die Website nicht bauen")
    assert "<li>mkdocs.yml ist fehlerhaft: Config value &#x27;site_name&#x27;: Required configuration not provided.</li>" in text
    preview.edit("mkdocs.yml", "site_nam:", "site_name:")
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    _assert_german_terminal(preview.stop())


def test_a_second_preview_on_a_busy_port_says_so(sample, monkeypatch):
    monkeypatch.chdir(sample.root)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        result = CliRunner().invoke(main, ["serve", "--dev-addr", address])
    assert result.exit_code == 1
    assert (f"Fehler: Die Adresse {address} ist schon belegt, wohl von einer anderen Vorschau. Diese beenden "
            "(Strg+C in ihrem Fenster) oder eine andere Adresse wählen, z. B. „rundbrief serve --dev-addr "
            "127.0.0.1:8001“.") in result.output
    assert "Traceback" not in result.output


def test_an_invalid_address_is_refused(sample, monkeypatch):
    monkeypatch.chdir(sample.root)
    result = CliRunner().invoke(main, ["serve", "--dev-addr", "localhost:achttausend"])
    assert result.exit_code == 1
    assert ("Fehler: „localhost:achttausend“ ist keine gültige Adresse für die Vorschau. Erlaubt ist Rechner:Port, "
            "z. B. 127.0.0.1:8000.") in result.output


def test_progress_counts_each_rebuild_from_zero(sample, start):
    for day in range(1, 29):  # enough pages for progress lines
        issue(sample, f"2023-02-{day:02d}-ausgabe", date=f"2023-02-{day:02d}", title=f"Ausgabe {day}",
              front="description: Kurz.\n")
    preview = start()
    preview.poll("newsletters/2023-02-28-ausgabe/", "Ausgabe 28")
    preview.edit("newsletters/2023-02-01-ausgabe.md", "title: Ausgabe 1\n", "title: Ausgabe eins\n")
    preview.poll("newsletters/2023-02-01-ausgabe/", "Ausgabe eins")
    output = preview.stop()
    progress = re.findall(r"^  (\d+) von (\d+) Seiten gebaut$", output, re.M)
    totals = {total for _, total in progress}
    assert len(totals) == 1 and int(totals.pop()) >= 50, output
    first, *rebuilds = re.findall(r"Vorschau fertig: (?:(\d+) von )?(\d+) Seiten", output)
    assert first[0] == "" and progress.count((first[1], first[1])) == 1, output
    # a rebuild writes only the pages a title can change (adapter/site/incremental.py), counted from zero
    assert rebuilds and all(int(built) < int(total) == int(first[1]) for built, total in rebuilds), output
    _assert_german_terminal(output)


def test_an_unforeseen_error_in_a_build_shows_one_sentence_and_a_log_file(sample, start):
    sample.configure("hooks:\n  - kaputt.py\n")
    sample.write("kaputt.py", '''
        def on_page_markdown(markdown, **kwargs):
            if "KAPUTT" in markdown:
                raise RuntimeError("Kaputt im Inneren")
        ''')
    preview = start()
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    preview.edit(ISSUE, "## Vernetzt", "KAPUTT\n\n## Vernetzt")
    text = preview.poll("newsletters/", "Die Vorschau kann die Website nicht bauen")
    match = re.search(r"<li>Unerwarteter Fehler beim Bauen der Vorschau\. Die Einzelheiten stehen in "
                      r"(\S+rundbrief-fehler-\S+\.log)\.</li>", text)
    assert match, text
    log = Path(match[1]).read_text(encoding="utf-8")
    assert log.startswith("Traceback (most recent call last):") and "RuntimeError: Kaputt im Inneren" in log
    Path(match[1]).unlink()
    preview.edit(ISSUE, "KAPUTT\n\n## Vernetzt", "## Vernetzt")
    preview.poll("newsletters/", "Die Vernetzungsstelle informiert")
    output = preview.stop()
    assert f"  Unerwarteter Fehler beim Bauen der Vorschau. Die Einzelheiten stehen in {match[1]}.\n" in output
    _assert_german_terminal(output)
