"""Safe by construction (issue 24): names taken from content fit every file system, control characters
never reach a page, a post text or the terminal, every generated address is reserved, every URL
attribute is checked, and the importer takes no more than the build does."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from conftest import Site, make_project
from content import issue, profile


def _portrait(heading: str) -> str:
    return f"\n## Vorgestellt\n\n### {heading}\n\nText über [KArAD](../projects/karad.md).\n"


def test_a_long_heading_builds_with_a_short_file_name(site):
    profile(site)
    heading = "Ä" * 300
    issue(site, body=_portrait(heading))
    out = site.build()
    texts = list((out / "linkedin" / "2024-12-13").glob("*.txt"))
    assert len(texts) == 1
    assert len(texts[0].name.encode()) <= 104
    assert texts[0].read_text(encoding="utf-8").startswith("Ä" * 100)
    assert f'id="{texts[0].stem}"' in site.html("newsletters/2024-12-13/")


def test_two_long_headings_alike_to_the_cut_keep_their_own_texts(site):
    profile(site)
    start = "Ein sehr langer Titel " * 10
    issue(site, body=_portrait(start + "eins") + "\nMehr.\n\n### " + start + "zwei\n\nAnderes.\n")
    out = site.build()
    texts = sorted((out / "linkedin" / "2024-12-13").glob("*.txt"))
    assert len(texts) == 2
    assert sorted("Anderes." in text.read_text(encoding="utf-8") for text in texts) == [False, True]


def test_a_long_file_name_is_refused_with_a_short_one_to_use(site):
    profile(site, "k" * 200)
    errors = site.build_fails()
    assert f"projects/{'k' * 200}.md:1: Der Dateiname" in errors
    assert f"„{'k' * 91}-" in errors


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(heading=st.text(alphabet=st.sampled_from("äÄßa Z-–.:*"), min_size=200, max_size=3000))
def test_long_headings_build_or_are_refused_in_german(heading, caplog):
    with tempfile.TemporaryDirectory() as folder:
        site = Site(Path(folder), caplog)
        make_project(site.root, sample=False)
        profile(site)
        issue(site, body=_portrait(heading))
        caplog.clear()
        try:
            site.build()
        except Abort:
            errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
            assert any("newsletters/2024-12-13.md:" in error for error in errors), errors
            assert not any("Traceback" in error or "OSError" in error for error in errors), errors


def _outputs(site: Site) -> str:
    return "\n".join(file.read_text(encoding="utf-8", errors="replace")
                     for file in site.out.rglob("*") if file.is_file()) if site.out.exists() else ""


@pytest.mark.editors_command
@pytest.mark.parametrize(("title", "body", "line", "message"), [
    ('"Ausgabe\\e]0;gekapert\\a"', "", 2, "Der Wert von „title“ enthält das unsichtbare Zeichen U+001B (Escape), "
                                         "geschrieben als YAML-Zeichenfolge mit „\\“."),
    ("Ausgabe", "\n## Vorgestellt\n\n### KArAD \x1b]0;gekapert\x07\n\nText.\n", 8,
     "Das unsichtbare Zeichen U+001B (Escape) ist nicht erlaubt."),
    ("Aus\u202egabe", "", 2, "Das unsichtbare Zeichen U+202E (Umkehrung der Schreibrichtung) ist nicht erlaubt."),
    ("Aus\u061cgabe", "", 2, "Das unsichtbare Zeichen U+061C (Steuerzeichen der Schreibrichtung) ist nicht erlaubt."),
    ("Ausgabe", "\n## Vorgestellt\n\n### KArAD &#x202E;dalf\n\nText.\n", 8,
     "Der Zeichenverweis „&#x202E;“ steht für das unsichtbare Zeichen U+202E (Umkehrung der Schreibrichtung)"),
])
def test_control_characters_are_refused_at_their_line(site, run, title, body, line, message):
    profile(site)
    issue(site, title=title, body=body or _portrait("KArAD"))
    errors = site.build_fails()
    assert f"newsletters/2024-12-13.md:{line}: {message}" in errors
    assert "Erlaubt sind sichtbare Zeichen" in errors
    for result in (run(site, "check"), run(site, "linkedin", "2024-12-13")):
        assert result.exit_code == 1
        assert f"newsletters/2024-12-13.md:{line}: " in result.output
        assert "\x1b" not in result.output and "\u202e" not in result.output
    outputs = _outputs(site)
    assert "\x1b" not in outputs and "\u202e" not in outputs and "&#x202E;" not in outputs


def test_control_characters_in_a_page_and_a_profile_are_refused(site):
    profile(site, front='short: "K\\u202eA"\n')
    site.write("content/kontakt.md", "# Kontakt\n\nSchreiben Sie uns.\x1b[2J\n")
    errors = site.build_fails()
    assert "projects/karad.md:6: Der Wert von „short“ enthält das unsichtbare Zeichen U+202E" in errors
    assert "content/kontakt.md:3: Das unsichtbare Zeichen U+001B (Escape) ist nicht erlaubt." in errors


_TEXTS = (".html", ".json", ".txt", ".xml", ".js", ".css")  # the rest are images, fonts and binary indexes


def test_other_control_characters_reach_no_output(site, run):
    """A bell or a backspace pasted from PDF becomes a space where the file is read, and so does one
    written as a YAML escape in the front matter: no page, feed or post text holds one, nor the terminal."""
    profile(site)
    issue(site, title='"Ausgabe\\b\\a mit Resten"', front='description: "Kurz\\x7f gesagt"\n',
          body=_portrait("KArAD geheim\x08\x08\x08 offen\x07") + "\nText\x7f mit\x81 Resten.\n")
    out = site.build()
    texts = {path: text for path, text in site.outputs().items() if path.endswith(_TEXTS)}
    assert {"newsletters/2024-12-13/index.html", "feed.json", "linkedin/2024-12-13/karad-geheim-offen.txt"} < set(texts)
    assert not [path for path, text in texts.items() if any(c in text for c in "\x07\x08\x7f\x81")]
    assert (out / "linkedin/2024-12-13/karad-geheim-offen.txt").read_text(encoding="utf-8").startswith(
        "KArAD geheim    offen\n")
    result = run(site, "linkedin", "2024-12-13", "--item", "karad-geheim-offen")
    assert result.exit_code == 0, result.output
    assert "KArAD geheim    offen" in result.output and "\x08" not in result.output


@pytest.mark.parametrize("path", ["newsletters/2024-12-13.md", "projects/karad.md"])
def test_a_title_of_escaped_control_characters_alone_is_missing(site, path):
    """They become spaces where the front matter is read, and a title of spaces is none: not an empty
    title on the page, nor a crash."""
    profile(site, title='"\\a\\b"' if path.startswith("projects") else "KArAD")
    issue(site, title='"\\a\\b"' if path.startswith("newsletters") else "Ausgabe")
    errors = site.build_fails()
    assert f"{path}:2: Pflichtfeld „title“ fehlt im Kopfbereich." in errors


def test_the_arabic_letter_mark_is_refused_as_a_control_of_direction(site):
    profile(site)
    issue(site, body=_portrait("KArAD \u061cdalf"))
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:8: Das unsichtbare Zeichen U+061C (Steuerzeichen der Schreibrichtung) ist "
            "nicht erlaubt.") in errors
    assert not site.out.exists()


@pytest.mark.editors_command
def test_build_prints_a_content_error_visibly(site, run):
    """A tag the build refuses is quoted in its message; `rundbrief build` shows its control character
    as a code point, so that the terminal does not act on it."""
    profile(site, front='tags: ["Mobil\\x9ait\\x07ät"]\n')
    result = run(site, "build")
    assert result.exit_code == 1
    assert "projects/karad.md:6: Das Thema „Mobil<U+009A>it<U+0007>ät“ ist nicht erlaubt" in result.output
    assert "\x9a" not in result.output and "\x07" not in result.output


@pytest.mark.editors_command
@pytest.mark.parametrize("key", ['"x\\e]0;PWNED\\a"', 'links:\n  "x\\e]0;PWNED\\a"'])
def test_a_control_character_escaped_in_a_key_is_refused(site, run, key):
    profile(site, front=f"{key}: 1\n")
    result = run(site, "build")
    assert result.exit_code == 1
    assert "projects/karad.md:6: " in result.output
    assert "enthält das unsichtbare Zeichen U+001B (Escape), geschrieben als YAML-Zeichenfolge" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


@pytest.mark.editors_command
@pytest.mark.parametrize(("name", "shown", "character"), [
    ("content/x\x1b]0;PWNED\x07.md", "content/x<U+001B>]0;PWNED<U+0007>.md", "U+001B (Escape)"),
    ("content/\u202eabc.md", "content/<U+202E>abc.md", "U+202E (Umkehrung der Schreibrichtung)"),
    ("newsletters/2024-12-13\x08.md", "newsletters/2024-12-13<U+0008>.md", "U+0008 (Steuerzeichen für das Terminal)"),
    ("projects/neu\u2067/karad.md", "projects/neu<U+2067>", "U+2067 (Steuerzeichen der Schreibrichtung)"),
])
def test_a_name_with_a_control_character_is_refused(site, run, name, shown, character):
    profile(site)
    site.write(name, "# Seite\n\nText.\n")
    for command in ("build", "check"):
        result = run(site, command)
        assert result.exit_code == 1, result.output
        assert f"{shown}:1: Der Name enthält das unsichtbare Zeichen {character}" in result.output
        assert not any(c in result.output for c in "\x1b\x07\x08\u202e\u2067")
    assert not site.out.exists()


def test_a_script_in_a_srcset_is_refused_at_its_line(site):
    profile(site)
    issue(site, body=_portrait("KArAD") + '\n<img srcset="javascript:alert(1) 1x" alt="Logo">\n')
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:12: Nicht erlaubt: eine Adresse (srcset=… an <img>) mit „javascript:“."
            in errors)
    assert "javascript:" not in _outputs(site)


def test_the_sites_own_pictures_keep_their_relative_srcset(site):
    profile(site)
    issue(site, body=_portrait("KArAD") + "\n![Logo](../assets/images/bunter-bus.png)\n")
    site.build()
    html = site.html("newsletters/2024-12-13/")
    assert 'srcset="../../assets/pictures/' in html


@pytest.mark.parametrize(("path", "address", "what"), [
    ("themen.md", "themen/index.html", "die Seiten der Themen"),
    ("themen/mobilitaet/index.md", "themen/mobilitaet/index.html", "die Seiten der Themen"),
    ("linkedin.md", "linkedin/index.html", "die LinkedIn-Texte"),
])
def test_a_page_at_a_generated_folder_is_refused(site, path, address, what):
    profile(site, front="tags: [Mobilität]\n")
    site.write(f"content/{path}", "# Von Hand\n")
    errors = site.build_fails()
    assert f"content/{path}:1: Unter dieser Adresse ({address}) schreibt Rundbrief {what}." in errors


@pytest.mark.parametrize(("path", "taken"), [
    ("newsletters.md", "die von Rundbrief erzeugte Übersichtsseite"),
    ("projects.md", "die von Rundbrief erzeugte Übersichtsseite"),
    ("suche/index.md", "die von Rundbrief erzeugte Übersichtsseite"),
])
def test_a_page_at_a_generated_address_is_refused(site, path, taken):
    site.write(f"content/{path}", "# Von Hand\n")
    errors = site.build_fails()
    assert f"content/{path}:1: Diese Datei bekäme dieselbe Adresse wie {taken}." in errors


def test_a_page_at_an_issues_address_is_refused(site):
    profile(site)
    issue(site)
    site.write("content/newsletters/2024-12-13/index.md", "# Von Hand\n")
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:1: Diese Datei bekäme dieselbe Adresse wie "
            "content/newsletters/2024-12-13/index.md.") in errors


def test_the_importer_refuses_a_file_larger_than_the_build_takes(site, run, tmp_path):
    copy = tmp_path / "riesig.txt"
    copy.write_text("13.12.2024: Die Vernetzungsstelle informiert\n\nVorgestellt\n\n" + "Text. " * 200_000,
                    encoding="utf-8")
    result = run(site, "import", str(copy))
    assert result.exit_code == 1
    assert (f"{copy}: Die Datei ist 1,2 MB groß. Erlaubt ist höchstens 1 MB je Datei, wie für jede Ausgabe"
            in result.output)
    assert "Traceback" not in result.output
    assert not list((site.root / "newsletters").iterdir())


def test_a_site_folder_inside_the_pages_is_named_in_good_german(site, run):
    result = run(site, "build", "--site-dir", "content/website")
    assert result.exit_code == 1
    assert f"liegt im Ordner „{site.root / 'content'}“, der die Seiten enthält; die Website würde" in result.output


@pytest.mark.parametrize(("front", "line", "reason"), [
    ("description: Eins: zwei\n", 4, "ein „:“ mitten im Wert (Spalte 18)"),
    ("description: @KArAD\n", 4, "ein Wert beginnt mit „@“, das dort nicht stehen darf (Spalte 14)"),
    ('description: "offen\n', 4, "ein Anführungszeichen wird geöffnet, aber nicht geschlossen"),
    ("tags: [a, b\n", 5, "eine Liste wird mit „[“ geöffnet, aber nicht mit „]“ geschlossen"),
    ("description: a\nohne Doppelpunkt\n", 6, "eine Zeile ohne „:“ (Spalte 1)"),
])
def test_broken_yaml_is_explained_in_german(site, run, front, line, reason):
    profile(site)
    issue(site, front=front)
    errors = site.build_fails()
    assert f"newsletters/2024-12-13.md:{line}: Der Kopfbereich (YAML) lässt sich nicht lesen: {reason}" in errors
    output = run(site, "check").output
    assert f"newsletters/2024-12-13.md:{line}: Der Kopfbereich (YAML) lässt sich nicht lesen: {reason}" in output
    for english in ("found", "expected", "while", "allowed", "token", "mapping"):
        assert english not in errors and english not in output
