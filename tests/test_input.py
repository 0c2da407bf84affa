"""Content as an attacker or a careless editor writes it: bounded input, front matter as a closed
contract, plain-text themes, safe image paths. Each case builds a real site (or runs the real
command) and asserts on the message and on what was, or was not, written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Site
from photos import photo
from content import ISSUE_BODY, issue, profile
from rundbrief.cli.main import main
from rundbrief.core import linkedin
from rundbrief.core.issues import parse_issue
from rundbrief.core.source import split_front_matter

ALIAS_BOMB = """\
date: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def _build_in_subprocess(site: Site) -> tuple[subprocess.CompletedProcess[str], float]:
    """`mkdocs build` in a process of its own, where a segfault or MemoryError cannot take the test
    run with it; returns the finished process and how long it took."""
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(site.root / "mkdocs.yml")],
        cwd=site.root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return result, time.monotonic() - start


def _outputs(site: Site) -> str:
    """Everything the build wrote, as one text."""
    return "\n".join(site.outputs().values())


# Bounded input


def test_yaml_alias_bomb_is_refused_at_once(site):
    site.write("newsletters/2024-12-13.md", f"---\ntitle: Ausgabe\n{ALIAS_BOMB}---\n{ISSUE_BODY}")
    assert len(ALIAS_BOMB.encode()) < 450
    result, seconds = _build_in_subprocess(site)
    assert result.returncode == 1, result.stderr
    assert "newsletters/2024-12-13.md:3: Anker und Verweise („&a“, „*a“) sind im Kopfbereich nicht erlaubt" in result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
    assert seconds < 30


def test_deeply_nested_yaml_is_refused_without_a_crash(site):
    profile(site, front="tags: " + "[" * 30_000 + "]" * 30_000 + "\n")
    result, _ = _build_in_subprocess(site)
    assert result.returncode == 1, result.stderr  # a segfault would be -11
    assert "projects/karad.md:6: Der Kopfbereich ist mehr als 10 Ebenen tief verschachtelt" in result.stderr
    assert "Traceback" not in result.stderr


def test_yaml_tags_are_refused_and_never_run(site):
    marker = site.root / "pwned"
    profile(site, front=f'tags: !!python/object/apply:os.system ["touch {marker}"]\n')
    issue(site, front="description: !!str Anreißer\n")
    problems = site.build_fails()
    assert "projects/karad.md:6: Die Typangabe „!!python/object/apply:os.system“ ist im Kopfbereich nicht erlaubt" in problems
    assert "newsletters/2024-12-13.md:4: Die Typangabe „!!str“ ist im Kopfbereich nicht erlaubt" in problems
    assert not marker.exists()


def test_huge_file_is_refused_before_it_is_read(site):
    file = site.root / "newsletters/2024-12-13.md"
    file.parent.mkdir(exist_ok=True)
    with file.open("wb") as f:  # 300 MB, most of it a hole on disk: a date nobody could read
        f.write(b"---\ntitle: Ausgabe\ndate: ")
        f.truncate(300_000_000)
    start = time.monotonic()
    problems = site.build_fails()
    assert time.monotonic() - start < 20
    assert ("newsletters/2024-12-13.md:1: Die Datei ist 300,0 MB groß. Erlaubt ist höchstens 1 MB je Datei" in problems)


def test_long_values_are_cut_in_messages(site):
    issue(site, date="'" + "2024" * 200_000 + "'")  # 800 KB, under the size limit
    profile(site, state="Nord" * 1000)
    problems = site.build_fails()
    assert f"newsletters/2024-12-13.md:3: „date: {'2024' * 14}202…“ ist kein gültiges Datum." in problems
    assert f"projects/karad.md:5: Unbekanntes Bundesland „{'Nord' * 14}Nor…“." in problems
    assert max(len(line) for line in problems.splitlines()) < 600


def test_fitting_a_long_post_is_linear(monkeypatch):
    """A 4 MB issue: each line is cleaned once, however many items must be dropped to fit."""
    items = 20_000
    body = "## Vernetzt\n\n" + "".join(f"### Beitrag {n}\n\nText {n}.\n\n" for n in range(items))
    text = f"---\ntitle: Ausgabe\ndate: 2024-12-13\n---\n{body}"
    source = split_front_matter("newsletters/2024-12-13.md", text, [])
    assert source is not None
    problems: list = []
    parsed, _ = parse_issue(source, "2024-12-13", ["Vernetzt"], problems)
    assert parsed is not None and not problems
    texts = {item.id: f"Der Beitrag erzählt von einem Treffen. {'Ein langer Satz mit Wörtern. ' * 6}"
             for item in parsed.sections[0].items}
    assert sum(map(len, texts.values())) > 4_000_000
    calls = 0
    unstyle = linkedin._unstyle

    def counting(line: str) -> str:
        nonlocal calls
        calls += 1
        return unstyle(line)

    monkeypatch.setattr(linkedin, "_unstyle", counting)
    start = time.monotonic()
    post = linkedin.issue_post(parsed, texts, "https://www.aktif-vernetzt.de/newsletters/2024-12-13/", ["#A", "#B", "#C"])
    assert time.monotonic() - start < 10  # was minutes
    assert calls < 3 * items  # dropping items one by one cleaned the kept lines again: items² calls
    assert len(post.text) <= linkedin.POST_LIMIT
    lines = post.text.splitlines()
    assert lines[-3:] == ["Zur Ausgabe: https://www.aktif-vernetzt.de/newsletters/2024-12-13/", "", "#A #B #C"]
    assert "… und weitere Beiträge in der Ausgabe." in lines
    kept = [line for line in lines if line.startswith("– ")]
    assert kept and all(line.startswith(f"– Beitrag {n}.") for n, line in enumerate(kept))


# Front matter is a closed contract


def test_unknown_key_is_refused_and_published_nowhere(site):
    profile(site)
    issue(site, front="author: '\"><script>alert(1)</script>'\n")
    problems = site.build_fails()
    assert ("newsletters/2024-12-13.md:4: Unbekannter Schlüssel „author“ im Kopfbereich. Erlaubt sind: title, date, "
            "description, draft, image, image_alt.") in problems
    assert "<script>" not in problems and "<script>" not in _outputs(site)


def test_template_and_redirect_location_are_no_editors_keys(site):
    site.write("content/weiter.md", """\
        ---
        title: Weiter
        template: redirect.html
        location: 'javascript:alert(1)'
        ---
        Text.
        """)
    profile(site, front="template: redirect.html\n")
    problems = site.build_fails()
    assert ("content/weiter.md:3: Unbekannter Schlüssel „template“ im Kopfbereich. Erlaubt sind: title, description, "
            "hide, video, captions.") in problems
    assert "content/weiter.md:4: Unbekannter Schlüssel „location“ im Kopfbereich." in problems
    assert "projects/karad.md:6: Unbekannter Schlüssel „template“ im Kopfbereich." in problems
    assert "javascript:" not in _outputs(site)


@pytest.mark.parametrize(("key", "meant"), [("descripton", "description"), ("beschreibung", "description"),
                                             ("iamge", "image"), ("Titel", "title")])
def test_misspelled_key_gets_a_suggestion(site, key, meant):
    issue(site, front=f"{key}: Ein Wert\n")
    problems = site.build_fails()
    assert (f"newsletters/2024-12-13.md:4: Unbekannter Schlüssel „{key}“ im Kopfbereich. Gemeint ist vielleicht "
            f"„{meant}“. Erlaubt sind:") in problems


def test_misspelled_key_of_a_profile_and_a_page(site):
    profile(site, front="tag: [Mobilität]\n")
    site.write("content/kontakt.md", "---\ntitle: Kontakt\nhide: [navigaton]\ndescripton: Schreiben Sie uns.\n---\nText.\n")
    problems = site.build_fails()
    assert "projects/karad.md:6: Unbekannter Schlüssel „tag“ im Kopfbereich. Gemeint ist vielleicht „tags“." in problems
    assert ("content/kontakt.md:3: „hide: ['navigaton']“ ist nicht erlaubt. Erlaubt ist eine Liste aus navigation, "
            "toc, footer, path, tags") in problems
    assert "content/kontakt.md:4: Unbekannter Schlüssel „descripton“ im Kopfbereich. Gemeint ist vielleicht „description“." in problems


def test_duplicate_key_names_both_lines(site):
    issue(site, front="description: Anreißer\ntitle: Zweiter Titel\n")
    problems = site.build_fails()
    assert ("newsletters/2024-12-13.md:5: „title“ steht zweimal im Kopfbereich, in Zeile 2 und in Zeile 5. "
            "Erlaubt ist jeder Schlüssel nur einmal") in problems


def test_keys_that_are_no_words(site):
    issue(site, front="1: eins\n")
    problems = site.build_fails()
    assert "newsletters/2024-12-13.md:4: Ein Schlüssel im Kopfbereich ist kein Wort." in problems


def test_empty_front_matter(site):
    site.write("content/kontakt.md", "---\n---\n# Kontakt\n\nText.\n")
    issue(site, name="2024-12-14", date="2024-12-14")
    site.write("newsletters/2024-12-13.md", "---\n---\n## Vorgestellt\n")
    problems = site.build_fails()
    assert "newsletters/2024-12-13.md:1: Pflichtfeld „title“ fehlt im Kopfbereich." in problems
    assert "content/kontakt.md" not in problems
    site.write("newsletters/2024-12-13.md", (site.root / "newsletters/2024-12-14.md").read_text())
    profile(site)
    site.build()
    assert "<h1 id=\"kontakt\">Kontakt" in site.html("kontakt/")


def test_check_reports_pages_of_content(site, monkeypatch):
    site.write("content/kontakt.md", "---\ntitle: Kontakt\nauthor: Jemand\n---\nText.\n")
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "content/kontakt.md:3: Unbekannter Schlüssel „author“ im Kopfbereich." in result.output


def test_the_start_page_template_is_the_plugins_choice(sample):
    assert "template" not in (Path(__file__).parent.parent / "content/index.md").read_text(encoding="utf-8")
    sample.build()
    start = sample.html("index.html")
    latest = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
    assert f'href="{latest}"' in start  # start.html shows the latest issue
    assert f'href="../{latest}"' not in sample.html("kontakt/")
    # the validated "hide: [navigation, toc]" of content/index.md reaches Material
    assert 'data-md-type="navigation" hidden>' in start and 'data-md-type="toc" hidden>' in start
    assert 'data-md-type="navigation" hidden>' not in sample.html("kontakt/")


def test_pages_of_content_have_the_size_limit(site):
    with (site.root / "content/kontakt.md").open("a", encoding="utf-8") as f:
        f.write("Text. " * 200_000)
    problems = site.build_fails()
    assert "content/kontakt.md:1: Die Datei ist 1,2 MB groß. Erlaubt ist höchstens 1 MB je Datei" in problems


# Themes are plain text


def test_markup_in_a_theme_is_refused_and_reaches_no_output(site):
    evil = "<img src=x onerror=alert(1)>"
    profile(site, front=f"tags: ['{evil}', Mobilität]\n")
    problems = site.build_fails()
    assert (f"projects/karad.md:6: Das Thema „{evil}“ ist nicht erlaubt: es enthält das Zeichen „<“. Erlaubt ist "
            "schlichter Text bis 60 Zeichen ohne <, >, &, \" und Steuerzeichen") in problems
    assert "onerror=alert" not in _outputs(site)
    profile(site, front="tags: [Mobilität]\n")
    site.build()
    outputs = site.outputs()
    assert any(path.startswith("pagefind/fragment/") for path in outputs)
    assert "projects/karad/" in outputs["themen/mobilitaet/index.html"]
    assert "onerror=alert" not in "\n".join(outputs.values())


def test_control_characters_and_long_themes(site):
    profile(site, front='tags: ["Mobil\\x81ität", "Arbeit\\u200b", ' + "'" + "Thema " * 46 + "x'" + "]\n")
    problems = site.build_fails()
    assert "projects/karad.md:6: Das Thema „Mobil\x81ität“ ist nicht erlaubt: es enthält das Zeichen U+0081." in problems
    assert "es enthält das Zeichen U+200B." in problems
    assert f"projects/karad.md:6: Das Thema „{('Thema ' * 10)[:59]}…“ ist nicht erlaubt: es ist 277 Zeichen lang." in problems
    assert "Traceback" not in problems


def test_a_raw_control_character_in_yaml(site):
    site.write("projects/karad.md", "---\ntitle: KArAD\norganisation: low-tec\nlocation: Düren\n"
               "state: Bremen\ntags: [Mobil\x81ität]\n---\nText.\n")
    problems = site.build_fails()
    assert "projects/karad.md:6: Das unsichtbare Steuerzeichen U+0081 ist im Kopfbereich nicht erlaubt." in problems


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_a_line_separator_in_yaml_is_named_at_its_line(site, separator):
    """YAML breaks the line there; the editor sees one line, and gets its number and the character."""
    site.write("projects/karad.md", f"---\ntitle: KArAD\norganisation: low-tec{separator}Düren\nlocation: Düren\n"
               "state: Bremen\n---\nText.\n")
    problems = site.build_fails()
    assert (f"projects/karad.md:3: Das unsichtbare Zeilentrennzeichen U+{ord(separator):04X} ist im Kopfbereich "
            "nicht erlaubt. Erlaubt ist ein Wert auf einer Zeile") in problems


# Image paths


@pytest.mark.parametrize(("image", "reason"), [
    ('assets/images/bus".jpg', "das Zeichen „\"“ gehört nicht in einen Dateinamen"),
    ("assets/images/<bus>.jpg", "das Zeichen „<“ gehört nicht in einen Dateinamen"),
    ("../../../etc/passwd.png", "„..“ führt aus dem Ordner der Seiten hinaus"),
    ("/etc/bus.png", "eine Adresse oder ein absoluter Pfad führt aus dem Ordner der Seiten hinaus"),
    ("javascript:alert(1)//.png", "eine Adresse oder ein absoluter Pfad führt aus dem Ordner der Seiten hinaus"),
    ("assets/images/bus.svg", "die Endung ist die keines Bildes"),
])
def test_image_path_is_checked(site, image, reason):
    if '"' in image:  # the file exists: its name is what is refused
        site.write(f"content/{image}", "x")
    profile(site)
    quoted = "'" + image + "'"
    issue(site, front=f"image: {quoted}\n")
    problems = site.build_fails()
    assert f"newsletters/2024-12-13.md:4: „image: {image}“ ist nicht erlaubt: {reason}. Erlaubt ist ein Pfad" in problems


def test_a_valid_image_path(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site)
    issue(site, front="image: assets/images/bus.jpg\nimage_alt: Ein bunter Bus, gezeichnet\n")
    site.build()
    page = site.html("newsletters/2024-12-13/")
    assert '<picture class="rb-picture rb-issue__image">' in page and 'alt="Ein bunter Bus, gezeichnet"' in page
