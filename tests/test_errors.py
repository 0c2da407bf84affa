"""Every content error fails a plain `mkdocs build` and says file, line, what is wrong, what is allowed."""

from __future__ import annotations

import pytest

from content import issue, profile


def test_unknown_section(site):
    profile(site)
    issue(site, body="\n## Vorgstellt\n\n### Ein Beitrag\n\nText.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:6: Unbekannter Abschnitt „Vorgstellt“." in errors
    assert "Gemeint ist vielleicht „Vorgestellt“." in errors
    assert "Erlaubt sind: Vorgestellt, Vernetzt, Umgeschaut (in dieser Reihenfolge)." in errors
    # the items of an unknown section are not reported again as misplaced
    assert "außerhalb eines Abschnitts" not in errors


def test_section_out_of_order(site):
    issue(site, body="\n## Umgeschaut\n\n### A\n\nText.\n\n## Vernetzt\n\n### B\n\nText.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:12: Der Abschnitt „Vernetzt“ steht nach „Umgeschaut“." in errors
    assert "Erlaubt ist die Reihenfolge Vorgestellt, Vernetzt, Umgeschaut." in errors


def test_section_twice(site):
    issue(site, body="\n## Vernetzt\n\n### A\n\nText.\n\n## Vernetzt\n\n### B\n\nText.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:12: Der Abschnitt „Vernetzt“ kommt zweimal vor." in errors
    assert "Jeder Abschnitt ist nur einmal erlaubt" in errors


def test_text_before_first_item(site):
    issue(site, body="\n## Vernetzt\n\nLoser Text.\nNoch mehr.\n\n### A\n\nText.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:8: Text im Abschnitt „Vernetzt“ vor dem ersten Beitrag." in errors
    assert "Jeder Beitrag beginnt mit einer Überschrift „### …“" in errors
    assert errors.count("vor dem ersten Beitrag") == 1  # once per section, not once per line


def test_comments_and_code_are_not_structure(site):
    """Hints in HTML comments and headings inside code blocks are no content."""
    issue(site, body="""
        ## Vernetzt

        <!-- Hinweis: jeder Beitrag beginnt mit ###
        ## Kein Abschnitt -->

        ### A

        ```markdown
        ## Auch kein Abschnitt
        ```
        """)
    site.build()
    assert 'id="a"' in site.html("newsletters/2024-12-13/")


def test_item_outside_section(site):
    issue(site, body="\n### Ohne Abschnitt\n\nText.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:6: Beitrag („### …“) außerhalb eines Abschnitts." in errors
    assert "## Vorgestellt, ## Vernetzt, ## Umgeschaut" in errors


def test_heading_level_one_in_body(site):
    issue(site, body="\n# Noch ein Titel\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:6: Überschriften der Ebene 1" in errors
    assert "der Titel steht im Kopfbereich unter „title“" in errors


def test_missing_title_and_date(site):
    site.write("newsletters/leer.md", "---\ndescription: Nur ein Teaser\n---\n")
    errors = site.build_fails()
    assert "newsletters/leer.md:1: Pflichtfeld „title“ fehlt im Kopfbereich." in errors
    assert "newsletters/leer.md:1: Pflichtfeld „date“ fehlt im Kopfbereich. Erlaubt ist ein Datum der Form JJJJ-MM-TT" in errors


def test_file_without_front_matter(site):
    site.write("newsletters/ohne.md", "## Vorgestellt\n")
    errors = site.build_fails()
    assert "newsletters/ohne.md:1: Pflichtfeld „title“ fehlt" in errors


def test_invalid_title_and_date(site):
    issue(site, title="2024", date="13.12.2024")
    profile(site)
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:2: „title“ muss ein Text sein, nicht eine Zahl." in errors
    assert "newsletters/2024-12-13.md:3: „date: 13.12.2024“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT" in errors


def test_impossible_date(site):
    issue(site, date="2024-02-30")
    profile(site)
    assert "„date: 2024-02-30“ ist kein gültiges Datum." in site.build_fails()


def test_invalid_draft_flag(site):
    issue(site, front="draft: vielleicht\n")
    profile(site)
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:4: „draft: vielleicht“ ist nicht erlaubt." in errors
    assert "Erlaubt sind „draft: true“ und „draft: false“." in errors


def test_yaml_that_does_not_parse(site):
    issue(site, front="description: Termin: morgen: [offen\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:4: Der Kopfbereich (YAML) lässt sich nicht lesen" in errors
    assert "Text mit „:“ in Anführungszeichen setzen" in errors


def test_front_matter_never_closed(site):
    site.write("newsletters/offen.md", "---\ntitle: Offen\n")
    assert "newsletters/offen.md:1: Der Kopfbereich wird mit „---“ geöffnet, aber nie" in site.build_fails()


def test_link_to_missing_profile(site):
    profile(site)
    issue(site, body="\n## Vorgestellt\n\n### A\n\nSiehe [Karat](../projects/karat.md#team).\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:10: Verweis auf ein Projektprofil, das es nicht gibt: „projects/karat.md“." in errors
    assert "Gemeint ist vielleicht „../projects/karad.md“." in errors
    assert "Erlaubt sind Verweise auf die Dateien im Ordner projects/" in errors


def test_reference_link_to_missing_profile(site):
    issue(site, body="\n## Vorgestellt\n\n### A\n\nSiehe [ANKER][anker].\n\n[anker]: ../projects/anker-plus.md\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:12: Verweis auf ein Projektprofil, das es nicht gibt: „projects/anker-plus.md“." in errors


def test_profile_missing_required_fields(site):
    site.write("projects/leer.md", "---\ntitle: Leer\n---\nText\n")
    errors = site.build_fails()
    for field in ("location", "state"):  # a network may name no Träger
        assert f"projects/leer.md:1: Pflichtfeld „{field}“ fehlt im Kopfbereich." in errors


def test_unknown_state(site):
    profile(site, state="Nordrhein Westfalen")
    errors = site.build_fails()
    assert "projects/karad.md:5: Unbekanntes Bundesland „Nordrhein Westfalen“." in errors
    assert "Gemeint ist vielleicht „Nordrhein-Westfalen“." in errors
    assert "Erlaubt sind die 16 Länder mit ihrem genauen Namen: Baden-Württemberg, Bayern," in errors
    assert "Thüringen." in errors


def test_website_not_http(site):
    profile(site, front="website: javascript:alert(1)\n")
    errors = site.build_fails()
    assert "projects/karad.md:6: „website: javascript:alert(1)“ ist keine Webadresse." in errors
    assert "Erlaubt sind Adressen, die mit „https://“ oder „http://“ beginnen" in errors


def test_invalid_email_and_tags(site):
    profile(site, front="email: aktif-vernetzt(at)gsub.de\ntags: Mobilität\n")
    errors = site.build_fails()
    assert "projects/karad.md:6: „email: aktif-vernetzt(at)gsub.de“ ist keine E-Mail-Adresse." in errors
    assert "projects/karad.md:7: „tags“ muss eine Liste von Texten sein" in errors


def test_two_files_with_the_same_slug(site):
    profile(site, "karad")
    profile(site, "KArAD")
    errors = site.build_fails()
    assert "projects/karad.md:1: Die Datei hat denselben Namen wie „projects/KArAD.md“" in errors
    assert "Erlaubt ist jeder Dateiname nur einmal" in errors


def test_issue_colliding_with_a_page(site):
    profile(site)
    issue(site, "ueber")
    site.write("content/newsletters/ueber.md", "# Über\n")
    errors = site.build_fails()
    assert "newsletters/ueber.md:1: Diese Datei bekäme dieselbe Adresse wie content/newsletters/ueber.md." in errors
    assert "Erlaubt ist jede Adresse nur einmal" in errors


def test_page_colliding_with_the_archive(site):
    site.write("content/newsletters/index.md", "# Archiv\n")
    errors = site.build_fails()
    assert "content/newsletters/index.md:1: Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite." in errors


@pytest.mark.parametrize(("path", "what"), [
    ("assets/cards/site.jpg", "die Vorschaubilder für LinkedIn"),
    ("assets/pictures/logo.png", "die Fassungen der Bilder"),
    ("pagefind/pagefind-entry.json", "die Suche"),
    ("linkedin/ausgabe.txt", "die LinkedIn-Texte"),
    ("feed.xml", "den Feed"),
    ("feed.json", "den JSON-Feed"),
    ("projects/karad/feed.xml", "den Feed eines Projekts"),
])
def test_file_at_an_address_rundbrief_writes(site, path, what):
    """A file copied over a card or the search index would overwrite the cached one, which every
    later build links into the site."""
    site.write(f"content/{path}", "von Hand\n")
    errors = site.build_fails()
    assert f"content/{path}:1: Unter dieser Adresse ({path}) schreibt Rundbrief {what}." in errors
    assert "Erlaubt ist jede andere Adresse" in errors
    cache = site.root / ".cache"
    assert not any(b"von Hand" in file.read_bytes() for file in cache.rglob("*") if file.is_file())


@pytest.mark.parametrize(("path", "message"), [
    ("Linkedin/ausgabe.txt", "Unter dieser Adresse (Linkedin/ausgabe.txt) schreibt Rundbrief die LinkedIn-Texte."),
    ("Assets/Pictures/logo.png", "Unter dieser Adresse (Assets/Pictures/logo.png) schreibt Rundbrief die Fassungen"),
    ("Suche.md", "Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite."),
    ("Newsletters.md", "Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite."),
])
def test_an_address_rundbrief_writes_is_taken_in_no_case(site, path, message):
    """On macOS and Windows "Suche/" and "suche/" are one folder: the editor's file would replace
    Rundbrief's, or Rundbrief's the editor's."""
    site.write(f"content/{path}", "von Hand\n")
    assert f"content/{path}:1: {message}" in site.build_fails()


def test_files_beside_rundbrief_outputs_are_published(site):
    profile(site)
    site.write("content/assets/cards-info.txt", "Karten\n")  # beside the cards' folder, not in it
    site.write("content/projects/karad/plan.pdf", "%PDF-1.4\n")  # beside the project's feed.xml
    out = site.build()
    assert (out / "assets" / "cards-info.txt").read_text() == "Karten\n"
    assert (out / "projects" / "karad" / "plan.pdf").read_text() == "%PDF-1.4\n"


def test_profile_named_like_the_directory(site):
    profile(site, "index")
    errors = site.build_fails()
    assert "projects/index.md:1: Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite." in errors


def test_file_not_utf8(site):
    (site.root / "projects" / "karad.md").write_bytes(
        "---\ntitle: KArAD\norganisation: low-tec\nlocation: D".encode() + "üren\n".encode("latin-1")
    )
    errors = site.build_fails()
    assert "projects/karad.md:4: Die Datei ist nicht in UTF-8 gespeichert (Byte 0xfc)." in errors
    assert "Erlaubt ist nur UTF-8" in errors


def test_issue_image_that_does_not_exist(site):
    profile(site)
    issue(site, front="image: assets/images/fehlt.jpg\nimage_alt: Ein Bus\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13.md:4: Das Bild „assets/images/fehlt.jpg“ gibt es nicht in content/." in errors


def test_missing_legal_page(site):
    (site.root / "content" / "impressum.md").unlink()
    errors = site.build_fails()
    assert "mkdocs.yml:1: Die Datei „impressum.md“ aus der Einstellung „rundbrief: legal_pages.Impressum“ fehlt in content/." in errors


def test_all_problems_reported_together(site):
    profile(site, state="Bayernland")
    issue(site, "a", body="\n## Unbekannt\n")
    issue(site, "b", date="gestern")
    errors = site.build_fails()
    assert "3 Fehler:\n" in errors
    assert errors.index("newsletters/a.md:6") < errors.index("newsletters/b.md:3") < errors.index("projects/karad.md:5")


def test_front_matter_that_is_no_mapping(site):
    site.write("newsletters/liste.md", "---\n- title\n- date\n---\n")
    errors = site.build_fails()
    assert "newsletters/liste.md:2: Der Kopfbereich muss aus Zeilen der Form „schlüssel: wert“ bestehen." in errors


def test_a_theme_spelled_two_ways(site):
    profile(site, "anker-plus", title="ANKER Plus", front="tags: [Mobilität, Wohnen]\n")
    profile(site, "karad", front="tags: [Alleinerziehende, mobilitaet]\n")
    errors = site.build_fails()
    assert ("projects/karad.md:6: Das Thema „mobilitaet“ ist anders geschrieben als „Mobilität“ in "
            "projects/anker-plus.md. Erlaubt ist eine Schreibweise je Thema: „Mobilität“.") in errors
    assert errors.startswith("1 Fehler:")
