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
    assert "mailto:?subject=Die%20Vernetzungsstelle%20informiert&amp;body=https%3A//" in share
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
    text = indexed(out)["/" + SAMPLE_ISSUE]["content"]
    assert "Ort Düren" in text and "Land Nordrhein-Westfalen" in text and "Träger low-tec" in text
    assert not re.search(r"(Träger|Ort|Land|Themen)[A-ZÄÖÜa-z]", text.replace("Landschaftsverband", ""))


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
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
        assert "Vorschau beendet." in output + rest
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


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
    more = portrait.split('<p class="rb-portrait__more">Weitere Ausgaben zu diesem Projekt</p>', 1)[1]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', more) == [
        ("../2024-12-13/", "Die Vernetzungsstelle informiert (13. Dezember 2024)"),
        ("../2024-10-01/", "Die Vernetzungsstelle informiert (1. Oktober 2024)")]
