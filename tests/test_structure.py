"""Mistakes that used to pass: headings Markdown reads differently than the scanner did, empty sections,
links in the wrong form or into nothing, files the build passes over, shifted line numbers. Each fails a
real build and is reported by `rundbrief check`, at its line, in German."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import slow_but
from content import issue, profile
from rundbrief.cli.main import main

PATH = "newsletters/2024-12-13.md"


@pytest.fixture
def check(monkeypatch):
    """Runs `rundbrief check` in a site's folder; returns its exit code and output."""

    def invoke(site) -> tuple[int, str]:
        monkeypatch.chdir(site.root)
        result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
        return result.exit_code, result.output

    return invoke


def fails_everywhere(site, check, *expected: str) -> str:
    """Asserts that the build and `rundbrief check` both fail with each expected message."""
    errors = site.build_fails()
    code, output = check(site)
    assert code == 1, output
    for message in expected:
        assert message in errors, errors
        assert message in output, output
    return errors


def item(body: str) -> str:
    """An issue body whose one item holds `body`."""
    return "\n## Vorgestellt\n\n### KArAD\n\nÜber [KArAD](../projects/karad.md).\n\n" + body


# Line 6 is the body's first line after the front matter and its empty first line; item() starts at 6.


@pytest.mark.parametrize("heading, meant", [("##Vernetzt", "## Vernetzt"), ("###Titel", "### Titel")])
def test_heading_without_space(site, check, heading, meant):
    """Markdown makes a heading of "##Vernetzt" too: once filed the next items under the wrong section."""
    profile(site)
    issue(site, body=item(f"{heading}\n\n### B\n\nText.\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: Nach „{meant.split()[0]}“ fehlt ein Leerzeichen")
    assert f"Gemeint ist vielleicht „{meant}“." in errors
    assert errors.count(f"{PATH}:") == 1  # read as the heading it is, nothing after it is misplaced


def test_hashtag_at_line_start(site, check):
    profile(site)
    issue(site, body=item("#AktiFPlus und mehr\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: „#AktiFPlus und mehr“ am Zeilenanfang macht Markdown zur Überschrift.")
    assert "Erlaubt ist ein Hashtag am Zeilenanfang mit einem Schrägstrich davor: „\\#AktiFPlus und mehr“." in errors
    assert "Ebene 1" not in errors  # one message for one mistake


@pytest.mark.parametrize("underline", ["=====", "-----"])
def test_setext_heading(site, check, underline):
    profile(site)
    issue(site, body=item(f"Ein Titel\n{underline}\n\nText.\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: Die Zeile „{underline[0] * 3}“ darunter macht diese Zeile zur Überschrift.")
    assert "Erlaubt sind Überschriften der Form „## Abschnitt“ und „### Titel des Beitrags“" in errors


def test_rule_after_a_paragraph_is_no_heading(site):
    profile(site)
    issue(site, body=item("Erster Absatz\nzweite Zeile\n---\n\nText.\n\n---\n"))
    site.build()
    assert site.html("newsletters/2024-12-13/").count("<hr") == 2


@pytest.mark.parametrize("line, where", [("> ## Zitat", "einem Zitat"), ("- ### Punkt", "einer Aufzählung"),
                                         ("1. ## Punkt", "einer Aufzählung")])
def test_heading_in_quote_or_list(site, check, line, where):
    profile(site)
    issue(site, body=item(f"{line}\n"))
    fails_everywhere(site, check, f"{PATH}:12: Überschrift in {where}")


def test_heading_as_html(site, check):
    profile(site)
    issue(site, body=item("<h2>Neu</h2>\n\nText mit `<h2>` im Code ist erlaubt.\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: Überschrift als HTML")
    assert errors.count("Überschrift als HTML") == 1


def test_heading_inside_an_html_block(site, check):
    """The scanner sees "### B", Markdown leaves it as text in the <div>: the comparison finds it."""
    profile(site)
    issue(site, body=item("<div>\n### B\n</div>\n"))
    fails_everywhere(site, check, f"{PATH}:13: Markdown liest „B“ nicht als Überschrift")


def test_heading_after_an_unclosed_fence(site, check):
    """An unclosed "```" is no code block to Markdown: what follows is rendered, and so checked."""
    profile(site)
    issue(site, body=item("```\nnie geschlossen\n\n## Vernetzt\n\n### B\n\nText.\n"))
    errors = fails_everywhere(site, check, f"{PATH}:15: Markdown macht hier eine Überschrift „Vernetzt“")
    assert "nicht geschlossenen Codeblock" in errors


@pytest.mark.parametrize("heading", ["### A {x", "## Vernetzt {x", "### A }"])
def test_heading_with_a_stray_brace(site, check, heading):
    profile(site)
    issue(site, body=item(f"{heading}\n\nText.\n"))
    fails_everywhere(site, check, f"{PATH}:12: Geschweifte Klammern in der Überschrift")


def test_empty_heading(site, check):
    profile(site)
    issue(site, body=item("###\n\nText.\n"))
    fails_everywhere(site, check, f"{PATH}:12: Die Überschrift „###“ ist leer.")


def test_empty_section(site, check):
    profile(site)
    issue(site, body=item("## Vernetzt\n\n## Umgeschaut\n\n### B\n\nText.\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: Der Abschnitt „Vernetzt“ hat keinen Beitrag")
    assert "Umgeschaut“ hat keinen" not in errors


def test_empty_section_in_a_draft_is_a_warning(site, check):
    profile(site)
    issue(site, "neu", date="2024-12-14", front="draft: true\n", body=item("## Vernetzt\n\n## Umgeschaut\n"))
    issue(site, body=item(""))
    site.build()
    code, output = check(site)
    assert code == 0, output
    assert "newsletters/neu.md:13: Warnung: Der Abschnitt „Vernetzt“ hat noch keinen Beitrag." in output
    assert "newsletters/neu.md:15: Warnung: Der Abschnitt „Umgeschaut“ hat noch keinen Beitrag." in output


@pytest.mark.parametrize("link", slow_but(["projects/karad.md", "/projects/karad/", "../projects/karad/",
                                           "../projects/karad.html", "https://www.aktif-vernetzt.de/projects/karad/"],
                                          "projects/karad.md", "https://www.aktif-vernetzt.de/projects/karad/"))
def test_profile_link_in_another_form(site, check, link):
    profile(site)
    issue(site, body=item(f"Mehr bei [KArAD]({link}).\n"))
    errors = fails_everywhere(site, check, f"{PATH}:12: Verweis auf das Projektprofil „{link}“")
    assert "Erlaubt ist „[Name](../projects/karad.md)“" in errors


def test_profile_link_from_a_page_and_another_site(site, check):
    """From a page in content/ the profile's path is "projects/…"; other sites' /projects/ are theirs."""
    profile(site)
    issue(site, body=item("Siehe [anderswo](https://example.org/projects/karad/).\n"))
    site.write("content/partner.md", "# Partner\n\n[KArAD](projects/karad.md)\n")
    site.build()
    assert 'href="../projects/karad/"' in site.html("partner/")
    assert check(site)[0] == 0


def test_broken_links_and_images(site, check):
    profile(site)
    issue(site, body=item("Zum [Kontakt](../kontak.md) und [weg](../../../etc/passwd).\n\n"
                          "Das [Archiv](../newsletters/) liegt von der Seite newsletters/2024-12-13/ aus anderswo.\n"))
    site.write("content/partner.md", "# Partner\n\n[Start](start.md) und ![Logo](assets/images/logo.png)\n")
    errors = fails_everywhere(
        site, check,
        f"{PATH}:12: Der Verweis „../kontak.md“ führt ins Leere",
        f"{PATH}:12: Der Verweis „../../../etc/passwd“ führt aus der Website hinaus",
        "content/partner.md:3: Der Verweis „start.md“ führt ins Leere",
        f"{PATH}:14: Der Verweis „../newsletters/“ führt ins Leere",
    )
    assert "Gemeint ist vielleicht „../kontakt.md“." in errors
    assert errors.startswith("4 Fehler:")  # not the image that exists


def test_a_picture_that_does_not_exist(site, check):
    """Pictures of issues and profiles are checked when the content is read, before any page."""
    profile(site, body="Ein Bild: ![Bus](../assets/images/bus.png)\n")
    fails_everywhere(site, check, "projects/karad.md:8: Das Bild „assets/images/bus.png“ gibt es nicht in content/.")


def test_links_that_work(site, check):
    profile(site)
    issue(site, body=item("[Kontakt](../kontakt.md), [Start](../../), [Archiv](index.md), [hier](#karad), "
                          "[Feed](../feed.xml), [Mail](mailto:a@b.de), [fremd](https://example.org/x.png)\n\n"
                          "```\n[kaputt](nirgends.md)\n```\n"))
    site.build()
    page = site.html("newsletters/2024-12-13/")
    assert '<a href="../../kontakt/">Kontakt</a>' in page and '<a href="../../">Start</a>' in page
    assert '<a href="../">Archiv</a>' in page
    code, output = check(site)
    assert code == 0, output


@pytest.mark.parametrize("name, wanted", [
    ("2024-12-13.MD", "newsletters/2024-12-13.md"),
    ("2024-12-13.markdown", "newsletters/2024-12-13.md"),
    ("2024/2024-12-13.md", "newsletters/2024-12-13.md"),
])
def test_issue_files_the_build_would_pass_over(site, check, name, wanted):
    site.write(f"newsletters/{name}", "---\ntitle: A\ndate: 2024-12-13\n---\n")
    errors = fails_everywhere(site, check, f"newsletters/{name}:1: Diese Datei steht")
    assert f"die Datei nach „{wanted}“ verschieben" in errors


@pytest.mark.parametrize("name, wanted", [("Große Ausgabe", "grosse-ausgabe"), ("KArAD", "karad"),
                                          ("neu_2", "neu-2")])
def test_file_names_that_are_no_clean_address(site, check, name, wanted):
    profile(site)
    issue(site, name)
    fails_everywhere(site, check, f"newsletters/{name}.md:1: Der Dateiname „{name}.md“ wird Teil der Adresse.",
                     f"die Datei in „{wanted}.md“ umbenennen")


def test_profile_in_a_subfolder(site, check):
    profile(site)
    issue(site)
    profile(site, "alt/karad")
    fails_everywhere(site, check, "projects/alt/karad.md:1: Diese Datei steht in einem Unterordner")


def test_editors_tools_folders_are_no_content(site, check):
    profile(site)
    issue(site)
    site.write("newsletters/.obsidian/notizen.md", "# Notizen\n")
    site.build()
    assert check(site)[0] == 0


def test_date_in_file_name_differs(site, check):
    profile(site)
    issue(site, "2024-12-12-ausgabe")
    site.build()
    code, output = check(site)
    assert code == 0, output
    assert ("newsletters/2024-12-12-ausgabe.md:3: Warnung: Das Datum im Dateinamen (2024-12-12) weicht von "
            "„date: 2024-12-13“ ab.") in output
    assert "„2024-12-13-ausgabe.md“ umbenennen" in output


def test_placeholder_left_in_a_profile(site, check):
    profile(site, body="Ansprechperson: [PLATZHALTER Name]\n")
    issue(site)
    site.build()
    code, output = check(site)
    assert code == 0, output
    assert "projects/karad.md:8: Warnung: Platzhalter noch nicht ersetzt." in output


@pytest.mark.parametrize("odd", slow_but(["\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x1e"], "\x0c", "\u2028"))
def test_line_numbers_with_odd_line_breaks(site, check, odd):
    """Python splits lines at these, Markdown and editors' tools do not: the numbers must not shift."""
    profile(site)
    issue(site, body=item(f"Noch{odd}ein{odd}Text.\n\n## Vorgstellt\n\n### B\n\nMehr{odd}Text [x](../nirgends.md)\n"))
    fails_everywhere(site, check, f"{PATH}:14: Unbekannter Abschnitt „Vorgstellt“.")
    issue(site, body=item(f"Noch{odd}ein{odd}Text.\n\nMehr{odd}Text [x](../nirgends.md)\n"))
    fails_everywhere(site, check, f"{PATH}:14: Der Verweis „../nirgends.md“ führt ins Leere")


def test_missing_profile_is_reported_once(site, check):
    """The link is in the right form: that the profile is missing is the one thing to say."""
    profile(site)
    issue(site, body=item("Siehe [Karat](../projects/karat.md).\n"))
    code, output = check(site)
    assert code == 1
    assert output.count(f"{PATH}:12: ") == 1, output
    assert "Verweis auf ein Projektprofil, das es nicht gibt: „projects/karat.md“." in output
