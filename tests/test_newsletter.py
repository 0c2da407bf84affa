"""A newsletter, not documentation: what readers see of an issue, a profile, the map and the site's
edges (404, themes, feeds), and what editors are told where they go wrong."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from content import issue, profile
from photos import photo
from search_index import indexed

SAMPLE_ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
WIDE_PHOTO = """
## Vorgestellt

### KArAD stellt sich vor

![Ein bunt bemalter Bus](../assets/images/bus.jpg)

Text über [KArAD](../projects/karad.md).
"""


def test_srcset_names_every_width_once_also_in_the_feed(site):
    photo(site.root / "content/assets/images/bus.jpg", 2400, 1600, orientation=1)
    profile(site)
    issue(site, front="image: assets/images/bus.jpg\nimage_alt: Ein bunt bemalter Bus\n", body=WIDE_PHOTO)
    out = site.build()
    html = site.html("newsletters/2024-12-13/")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    srcsets = re.findall(r'srcset="([^"]+)"', html) + re.findall(r'srcset="([^"]+)"', feed)
    assert srcsets
    for srcset in srcsets:
        widths = re.findall(r" (\d+)w", srcset)
        assert widths == sorted(set(widths), key=int), srcset
        assert widths[-1] == "1600"


def test_issues_with_one_title_differ_in_feeds_tabs_and_pager(site):
    profile(site)
    issue(site, "2024-11-15", date="2024-11-15", title="Die Vernetzungsstelle informiert")
    issue(site, "2024-12-13", date="2024-12-13", title="Die Vernetzungsstelle informiert")
    out = site.build()
    titles = [entry.title for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert titles == ["Die Vernetzungsstelle informiert (13. Dezember 2024)",
                      "Die Vernetzungsstelle informiert (15. November 2024)"]
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["title"] for item in items] == titles
    newer = site.html("newsletters/2024-12-13/")
    assert "<title>Die Vernetzungsstelle informiert (13. Dezember 2024) - Akti(F) Plus" in newer
    assert re.search(r'rel="prev"[^>]*>\s*<span class="rb-pager__direction">Vorherige Ausgabe</span>\s*'
                     r'<span class="rb-pager__title">Die Vernetzungsstelle informiert \(15. November 2024\)', newer)


def test_issue_opens_with_masthead_contents_reading_time_and_share_links(sample):
    sample.build()
    html = sample.html(SAMPLE_ISSUE)
    header = html.split('<header class="rb-issue__header rb-masthead">', 1)[1].split("</header>", 1)[0]
    assert '<p class="rb-masthead__name" data-pagefind-ignore>Akti(F) Plus – Die Vernetzungsstelle informiert</p>' in header
    assert re.search(r"· Lesezeit \d+ Minuten?</span>", header)
    assert "<picture" in header  # the issue's picture, or the portrait's
    contents = header.split('<nav class="rb-contents"', 1)[1]
    assert '<a href="#vorgestellt">Vorgestellt</a>' in contents
    assert '<a href="#karad-mit-dem-bunten-bus-zu-den-familien">KArAD: Mit dem bunten Bus zu den Familien</a>' in contents
    share = html.split('<aside class="rb-share"', 1)[1].split("</aside>", 1)[0]
    address = "https%3A//www.aktif-vernetzt.de/" + SAMPLE_ISSUE.replace("/", "%2F").removesuffix("%2F")
    assert "mailto:?subject=Die%20Vernetzungsstelle%20informiert%20%2813.%20Dezember%202024%29&amp;body=https%3A//" in share
    assert 'href="https://www.linkedin.com/sharing/share-offsite/?url=https%3A//www.aktif-vernetzt.de/newsletters/' in share
    assert "<script" not in share and address.split("%2F")[0] in share


def test_issue_without_picture_shows_the_portrait_picture_in_its_masthead(site):
    (site.root / "content/assets/images").mkdir(parents=True, exist_ok=True)
    photo(site.root / "content/assets/images/bus.jpg", orientation=1)
    profile(site, front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    issue(site)
    site.build()
    header = site.html("newsletters/2024-12-13/").split("rb-masthead", 1)[1].split("</header>", 1)[0]
    assert 'alt="Ein Bus"' in header


def test_print_stylesheet_hides_navigation_and_writes_links_out():
    css = (Path(__file__).parent.parent / "overrides/assets/stylesheets/rundbrief.css").read_text(encoding="utf-8")
    printed = css.split("@media print {", 1)[1]
    assert ".md-header, .md-tabs, .md-sidebar" in printed
    assert 'content: " (" attr(href) ")";' in printed


def test_404_page_is_german_with_ways_on_and_no_english_credit(sample):
    out = sample.build()
    page = (out / "404.html").read_text(encoding="utf-8")
    assert '<h1 id="inhalt">Seite nicht gefunden</h1>' in page
    assert "Not found" not in page
    assert "<title>Seite nicht gefunden - " in page
    for link in ("Zur Startseite", "Alle Ausgaben im Archiv", "Alle Projekte nach Bundesland", "Die Website durchsuchen"):
        assert link in page
    for html in (page, sample.html("")):
        assert "Made with" not in html
        assert "Erstellt mit" in html


def test_search_keeps_the_portrait_facts_apart(sample):
    out = sample.build()
    pages = indexed(out)
    text = pages["/" + SAMPLE_ISSUE]["content"]
    assert "Ort Düren" in text and "Land Nordrhein-Westfalen" in text and "Träger low-tec" in text
    for url, page in pages.items():  # no label glued to its value anywhere
        assert not re.search(r"\b(Träger|Ort|Land|Themen|Kurzname|Website)([A-ZÄÖÜ]|low-tec)", page["content"]), url


def test_map_writes_each_count_on_its_land_and_lists_them_beside(sample):
    sample.build()
    for url in ("projects/", ""):
        html = sample.html(url)
        counts = dict(re.findall(r'<text x="[\d.]+" y="[\d.]+" data-state="([^"]+)">(\d+)</text>', html))
        assert counts == {"Bremen": "1", "Niedersachsen": "1", "Nordrhein-Westfalen": "2"}
        legend = html.split('<ul class="rb-map__legend"', 1)[1].split("</ul>", 1)[0]
        assert re.findall(r">([^<>]+: \d Projekte?)</a>", legend) == [
            "Bremen: 1 Projekt", "Niedersachsen: 1 Projekt", "Nordrhein-Westfalen: 2 Projekte"]


def test_map_numbers_stand_inside_their_land():
    from rundbrief.core.germany import _outlines

    for name, outline, (x, y) in _outlines()[1]:
        assert set(re.findall("[a-zA-Z]", outline)) <= {"m", "z"}, name  # what _centre reads
        assert 0 < x < 586 and 0 < y < 793, name


def test_themes_folder_lists_every_theme(sample):
    sample.build()
    html = sample.html("themen/")
    assert '<h1 id="inhalt">Themen</h1>' in html
    assert '<a href="../themen/mobilitaet/">Mobilität</a>' in html or '<a href="mobilitaet/">Mobilität</a>' in html
    assert "(2 Projekte)" in html or "(1 Projekt)" in html
    assert "Alle Themen" in sample.html("themen/mobilitaet/")


def test_profile_without_organisation_shows_no_empty_trager(site):
    site.write("projects/netz.md", "---\ntitle: Netz\nlocation: Bremen\nstate: Bremen\n---\nText.\n")
    site.build()
    assert "Träger" not in site.html("projects/netz/").split('<div class="md-content"', 1)[1].split("Erwähnt in")[0]
    directory = site.html("projects/")
    assert '<span class="rb-projects__where">Bremen</span>' in directory


def test_sample_profiles_publish_no_placeholder(sample):
    out = sample.build()
    for page in sample.pages():
        if page.relative_to(out).parts[0] in ("projects", "themen", "newsletters", "index.html"):
            assert "PLATZHALTER" not in page.read_text(encoding="utf-8"), page


def test_placeholder_in_a_profile_field_is_a_warning_at_its_line(site, run):
    profile(site, front='short: "[PLATZHALTER: Kurzname]"\n')
    issue(site)
    result = run(site, "check")
    assert ("projects/karad.md:6: Warnung: Platzhalter in „short:“ noch nicht ersetzt. Verzeichnis, Porträts und "
            "Feeds zeigen dieses Feld: vor der Veröffentlichung die Angabe des Projekts eintragen oder die Zeile "
            "löschen, wenn sie freiwillig ist.") in result.output


def test_profile_linked_only_by_a_draft_is_not_reported_as_unmentioned(site, run):
    profile(site)
    profile(site, "neu", title="Neu")
    issue(site, "entwurf", front="draft: true\n", body=ISSUE_LINKING_NEW)
    issue(site)
    result = run(site, "check")
    assert "projects/neu.md:1: Warnung: Keine Ausgabe verweist" not in result.output
    site.build_preview()
    mentions = site.html("projects/neu/").split('id="erwaehnt-in"', 1)[1]
    assert "(Entwurf)" in mentions


ISSUE_LINKING_NEW = """
## Vorgestellt

### Neu dabei

Über [Neu](../projects/neu.md).
"""


def test_misspelt_profile_link_suggests_the_form_that_works(site):
    profile(site)
    issue(site, body="\n## Vorgestellt\n\n### A\n\nSiehe [Karat](../projects/karat.md).\n")
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:10: Verweis auf ein Projektprofil, das es nicht gibt: „projects/karat.md“. "
            "Gemeint ist vielleicht „../projects/karad.md“.") in errors


@pytest.mark.slow
def test_preview_answers_unknown_addresses_with_the_german_404(start):
    preview = start()
    preview.poll("", "Die Vernetzungsstelle informiert")
    status, text, _ = preview.get("gibt-es-nicht/")
    assert status == 404
    assert "Seite nicht gefunden" in text and "Not Found" not in text
    preview.stop()


@pytest.mark.slow
def test_serve_started_in_the_background_of_a_script_ends_on_ctrl_c(sample):
    """A shell script's `rundbrief serve &` starts with Ctrl+C ignored; it must end on it all the same."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rundbrief", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=sample.root,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        output = ""
        assert process.stdout is not None
        for line in process.stdout:
            output += line
            if "beenden mit Strg+C" in line:
                break
        _answering(f"http://127.0.0.1:{port}/")  # serving, not still between the build and the server
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
        assert "Vorschau beendet." in output + rest
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _answering(url: str) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_portrait_lists_the_projects_other_issues(site):
    profile(site)
    for day in ("2024-10-01", "2024-11-01", "2024-12-13"):
        issue(site, day, date=day, title="Die Vernetzungsstelle informiert")
    site.build()
    portrait = site.html("newsletters/2024-11-01/").split('<aside class="rb-portrait"', 1)[1].split("</aside>", 1)[0]
    more = portrait.split('<p class="rb-portrait__more" data-pagefind-ignore>Weitere Ausgaben zu diesem Projekt</p>', 1)[1]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', more) == [
        ("../2024-12-13/", "Die Vernetzungsstelle informiert (13. Dezember 2024)"),
        ("../2024-10-01/", "Die Vernetzungsstelle informiert (1. Oktober 2024)")]


def test_list_indented_with_a_tab_is_an_error_at_its_line(site):
    profile(site)
    issue(site, body="\n## Vorgestellt\n\n### A\n\nDas Projekt bietet:\n\n\t- Beratung\n\t- Coaching\n\n"
                     "Und so weiter:\n- richtig\n\t- verschachtelt, erlaubt\n")
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:12: Diese Aufzählung ist mit einem Tabulator eingerückt: Markdown zeigt sie "
            "deshalb als Codeblock in Schreibmaschinenschrift. Erlaubt ist eine Aufzählung am Zeilenanfang, „- Punkt“: "
            "den Tabulator vor „- Beratung“ und den folgenden Punkten löschen.") in errors
    assert errors.count("Tabulator eingerückt") == 1


def test_table_pasted_from_word_is_an_error_at_its_first_row(site):
    profile(site, body="Ein Projekt.\n\nTermin\tOrt\n12. November\tHannover\n2. Dezember\tKöln\n")
    errors = site.build_fails()
    assert ("projects/karad.md:10: Diese Zeilen sind durch Tabulatoren in Spalten geteilt, wohl eine aus Word "
            "kopierte Tabelle: Markdown macht daraus einen einzigen Absatz. Erlaubt ist eine Tabelle in Markdown, "
            "eine Zeile je Reihe mit „|“ zwischen den Spalten und „| --- | --- |“ unter der ersten, oder eine "
            "Aufzählung „- …“.") in errors


def test_same_item_title_twice_is_a_warning_at_the_second(site, run):
    profile(site)
    issue(site, body="\n## Vorgestellt\n\n### KArAD\n\nText über [KArAD](../projects/karad.md).\n\n"
                     "## Vernetzt\n\n### KArAD\n\nNoch einmal.\n")
    result = run(site, "check")
    assert ("newsletters/2024-12-13.md:14: Warnung: Der Beitrag „KArAD“ steht schon in Zeile 8. Erlaubt ist das, "
            "aber wohl ist er doppelt eingefügt: einen der beiden löschen oder anders betiteln.") in result.output


def test_colon_inside_word_quotes_says_to_use_straight_quotes(site):
    site.write("newsletters/2024-12-13.md", "---\ntitle: „Vernetzt: Treffen in Bremen“\ndate: 2024-12-13\n---\n")
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:2: Der Wert von „title“ enthält einen Doppelpunkt. Deutsche Anführungszeichen "
            "(„…“) sind für den Kopfbereich Teil des Textes und schützen ihn nicht. Erlaubt ist der ganze Wert in "
            "geraden Anführungszeichen: „title: \"„Vernetzt: Treffen in Bremen“\"“.") in errors
    assert "mapping values" not in errors


def test_missing_opening_dashes_are_named_not_the_fields(site):
    site.write("newsletters/2024-12-13.md", "title: Ausgabe\ndate: 2024-12-13\n---\n\n## Vorgestellt\n")
    errors = site.build_fails()
    assert ("newsletters/2024-12-13.md:1: Über „title: Ausgabe“ fehlt die Zeile „---“, die den Kopfbereich öffnet: "
            "so liest der Bau die Zeilen 1 bis 2 als Text und findet keine Angaben. Erlaubt ist der Kopfbereich "
            "zwischen zwei Zeilen „---“: in Zeile 1 „---“ einfügen.") in errors
    assert "Pflichtfeld" not in errors


def test_word_quotes_around_an_address_say_to_remove_them(site):
    profile(site, front="website: „https://www.low-tec.de“\n")
    errors = site.build_fails()
    assert ("projects/karad.md:6: Die Adresse „https://www.low-tec.de“ steht in Anführungszeichen, die nicht zu ihr "
            "gehören. Erlaubt ist die Adresse allein: „website: https://www.low-tec.de“.") in errors
    profile(site, body="Mehr [hier](„https://www.low-tec.de“).\n")
    errors = site.build_fails()
    assert ("projects/karad.md:8: Der Verweis „https://www.low-tec.de“ steht in Anführungszeichen, die nicht zur "
            "Adresse gehören: so führte er ins Leere. Erlaubt ist die Adresse ohne sie, „(https://www.low-tec.de)“: "
            "die Anführungszeichen löschen.") in errors


WEBSITE_COPY = Path(__file__).parent / "legacy" / "2024-12-13-website.txt"
IMPORTED = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"


def test_import_of_the_old_sites_copy_drops_the_closing_call_and_dead_links(sample, run):
    """The copy as the old site gives it: breadcrumb, the title twice, Windows line ends, soft hyphens,
    no-break spaces, a minus for a dash, links whose addresses were lost, the call to be featured under
    the last item, the funding notice and the footer."""
    (sample.root / IMPORTED).unlink()
    result = run(sample, "import", str(WEBSITE_COPY))
    assert result.exit_code == 0, result.output
    assert "Beiträge je Abschnitt: Vorgestellt 1, Vernetzt 3, Umgeschaut 2." in result.output
    text = (sample.root / IMPORTED).read_text(encoding="utf-8")
    assert "Möchten auch Sie" not in text and "melden Sie sich" not in result.output
    for sentence in ("Die Dokumentation finden Sie hier.", "Die Sendung können Sie hier nachhören.",
                     "Hier geht es zu den Empfehlungen."):
        assert sentence not in text
        assert (f"Verweis fehlt in der Kopie, Satz weggelassen: „{sentence}“ – mit der Adresse wieder einfügen, "
                "z. B. „[nachhören](https://…)“.") in result.output
    assert "Es ging darum, wie Kommunen Armut strukturell vorbeugen können.\n" in text
    assert "das Projekt [Geste – GemeinsamSTARK](../projects/geste-gemeinsamstark.md) vorgestellt.\n" in text
    assert "\u00ad" not in text and "\u00a0" not in text and "\r" not in text
    check = run(sample, "check")
    assert check.exit_code == 0, check.output


def test_import_over_an_existing_issue_says_how_to_import_under_another_name(sample, run):
    before = (sample.root / IMPORTED).read_bytes()
    result = run(sample, "import", str(WEBSITE_COPY))
    assert result.exit_code == 1
    assert (f"{IMPORTED} gibt es schon: nichts überschrieben. Unter einem anderen Namen importieren: „rundbrief "
            f"import --name 2024-12-13-die-vernetzungsstelle-informiert-import {WEBSITE_COPY}“.") in result.output
    assert (sample.root / IMPORTED).read_bytes() == before
    again = run(sample, "import", "--name", "2024-12-13-die-vernetzungsstelle-informiert-import", str(WEBSITE_COPY))
    assert again.exit_code == 0, again.output
    assert (sample.root / "newsletters/2024-12-13-die-vernetzungsstelle-informiert-import.md").exists()
    refused = run(sample, "import", "--name", "Mit Leerzeichen", str(WEBSITE_COPY))
    assert refused.exit_code == 1
    assert "„--name Mit Leerzeichen“ geht nicht." in refused.output


def test_issue_has_no_documentation_sidebar_and_the_start_page_leads_with_the_headline(sample):
    sample.build()
    issue_page = sample.html(SAMPLE_ISSUE)
    # the masthead's contents instead; Material keeps the element, hidden
    assert re.search(r'md-sidebar--secondary"[^>]*data-md-type="toc" hidden>', issue_page)
    latest = sample.html("").split('id="neueste-ausgabe"', 1)[1].split('id="weitere-ausgaben"', 1)[0]
    assert latest.index('class="rb-teaser__title"') < latest.index("<picture") < latest.index('class="rb-latest__items"')


def test_small_laender_are_outlined_on_the_map(sample):
    sample.build()
    html = sample.html("projects/")
    assert re.search(r'<a class="rb-map__land rb-map__land--\d rb-map__land--small" href="#land-bremen"', html)
    for land in ("Berlin", "Hamburg", "Saarland"):
        assert re.search(rf'<path class="rb-map__land rb-map__land--0 rb-map__land--small" d="[^"]+" role="img" '
                         rf'aria-label="{land}: keine Projekte">', html), land
    assert 'rb-map__land--small" d="[^"]+" role="img" aria-label="Bayern' not in html


def test_new_project_without_organisation(site, run):
    result = run(site, "new", "project", "netz", "--title", "Netz", "--location", "Bremen", "--state", "Bremen")
    assert result.exit_code == 0, result.output
    text = (site.root / "projects/netz.md").read_text(encoding="utf-8")
    assert "organisation" not in text and "title: Netz\n" in text
