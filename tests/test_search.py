"""The site search (Pagefind): which pages are indexed and with what, the search page and the field
in the header, and the build's errors when Pagefind cannot run. tests/test_search_browser.py searches."""

from __future__ import annotations

import json
import re
import shutil
import threading

import pytest

from content import issue, profile
from rundbrief.adapter.site.search import SIGNATURE, SearchIndex
from search_index import indexed

ISSUE = "/newsletters/2024-12-13-die-vernetzungsstelle-informiert/"


def test_public_pages_are_indexed_in_german(built_sample):
    entry = json.loads((built_sample.out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de"]  # stemmed as German: "Familien" finds "Familie"
    pages = indexed(built_sample.out)
    assert entry["languages"]["de"]["page_count"] == len(pages)
    assert {ISSUE, "/projects/karad/", "/ueber-das-programm/", "/kontakt/"} <= set(pages)
    # listings repeat what their pages say; copy pages, the search page and 404 are no content
    listings = {"/", "/newsletters/", "/projects/", "/suche/", "/404.html"}
    assert not listings & set(pages)
    assert not [url for url in pages if url.startswith("/linkedin/")]
    assert not [url for url in pages if url.startswith("/pagefind/")]
    files = [file for file in (built_sample.out / "pagefind").rglob("*") if file.is_file()]
    assert len(files) > len(pages) and all(file.stat().st_size > 0 for file in files)  # all complete


def test_issue_and_profile_carry_what_results_show(built_sample):
    pages = indexed(built_sample.out)
    issue_page, karad = pages[ISSUE], pages["/projects/karad/"]
    assert issue_page["meta"]["title"] == "Die Vernetzungsstelle informiert"
    assert issue_page["meta"]["date"] == "13. Dezember 2024"
    assert "Mitstreiter*innen" in issue_page["content"]
    assert "¶" not in issue_page["content"]  # the headings' permalinks are no text
    anchors = {anchor["id"]: anchor["text"] for anchor in issue_page["anchors"]}
    assert anchors["karad-mit-dem-bunten-bus-zu-den-familien"] == "KArAD: Mit dem bunten Bus zu den Familien"
    assert "Vorherige Ausgabe" not in issue_page["content"] and "Nächste Ausgabe" not in issue_page["content"]
    assert karad["meta"]["title"].startswith("Kooperationen zu Armutsbekämpfung")
    assert karad["meta"]["place"] == "Düren (Nordrhein-Westfalen)"
    assert "KArAD" in karad["content"]
    assert "Erwähnt in" not in karad["content"]  # the mentions are the issues' text, found there
    # a theme page is found by its theme; the projects it lists, on their own pages
    theme = pages["/themen/mobilitaet/"]
    assert theme["meta"]["title"] == "Thema: Mobilität"
    assert "KArAD" not in theme["content"]
    # only the page's main part reaches Pagefind: the header's EU emblem is no result's image
    assert not [url for url, page in pages.items() if "eu-emblem" in page["meta"].get("image", "")]


def test_every_page_has_the_search_field(built_sample):
    pages = built_sample.pages()
    assert len(pages) > 20
    for page in pages:
        if "/pagefind/" in page.as_posix():
            continue
        html = page.read_text(encoding="utf-8")
        form = re.search(r'<form class="rb-search" role="search" aria-label="Website" action="([^"]+)" method="get">', html)
        assert form, page
        target = built_sample.out / form[1].lstrip("/") if form[1].startswith("/") else page.parent / form[1]  # 404: absolute
        assert (target / "index.html").resolve() == built_sample.out / "suche" / "index.html", page
        assert '<input class="rb-search__input" id="rb-search-header" type="search" name="q"' in html
    assert 'class="md-search' not in built_sample.html("")  # Material's search is gone
    assert not (built_sample.out / "search" / "search_index.json").exists()


def test_search_page(built_sample):
    html = built_sample.html("suche/")
    assert "<title>Suche - " in html
    assert '<h1 id="inhalt">Suche</h1>' in html
    assert '<form class="rb-search-page" role="search" aria-label="Suchseite" action="./" method="get">' in html
    assert 'data-bundle="../pagefind/"' in html
    assert '<script type="module" src="../assets/javascripts/suche.js"></script>' in html
    assert (built_sample.out / "pagefind" / "pagefind.js").is_file()
    assert "https://" not in (built_sample.out / "assets" / "javascripts" / "suche.js").read_text(encoding="utf-8")


@pytest.fixture
def indexing(monkeypatch):
    """Counts the pages handed to Pagefind."""
    handed: list[str] = []
    index = SearchIndex._index

    def counting(self, main, url):
        handed.append(url)
        index(self, main, url)

    monkeypatch.setattr(SearchIndex, "_index", counting)
    return handed


def test_a_warm_build_of_unchanged_pages_reuses_the_last_index(sample, indexing):
    sample.build()
    assert len(indexing) > 10
    first = sample.outputs()
    indexing.clear()
    sample.build()
    assert indexing == []
    assert {path: text for path, text in sample.outputs().items() if path.startswith("pagefind/")} == \
           {path: text for path, text in first.items() if path.startswith("pagefind/")}


def test_the_index_is_kept_in_the_cache_and_the_site_has_copies_of_its_own(sample):
    sample.build()
    cached = {p.read_bytes(): p.stat().st_ino for p in (sample.root / ".cache" / "rundbrief" / "search").rglob("*")
              if p.is_file() and p.name != SIGNATURE}  # this machine's signature of the kept index stays in the cache
    published = [p for p in (sample.out / "pagefind").rglob("*") if p.is_file()]
    assert len(published) > 10
    for file in published:  # the same bytes, never the same file: a write into the site cannot reach the cache
        assert cached[file.read_bytes()] != file.stat().st_ino


def test_an_index_the_cache_cannot_keep_is_written_into_the_site(sample):
    cache = sample.root / ".cache" / "rundbrief" / "search"
    cache.parent.mkdir(parents=True)
    cache.write_text("kein Ordner", encoding="utf-8")  # as a full disk: nothing can be kept there
    sample.build()
    assert "/projects/karad/" in indexed(sample.out)
    assert all(p.stat().st_nlink == 1 for p in (sample.out / "pagefind").rglob("*") if p.is_file())


def test_an_index_another_build_took_from_the_cache_meanwhile_is_written_into_the_site(sample, monkeypatch):
    """A preview and a build share the cache: the other's index may replace this one's right after
    it was kept there."""
    keep = SearchIndex._keep

    def replaced_meanwhile(self, files, kept):
        kept_it = keep(self, files, kept)
        shutil.rmtree(kept)
        return kept_it

    monkeypatch.setattr(SearchIndex, "_keep", replaced_meanwhile)
    sample.build()
    assert "/projects/karad/" in indexed(sample.out)


def test_an_index_that_cannot_be_put_into_the_site_fails_the_build_in_german(sample, monkeypatch):
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rundbrief.adapter.site.search._write_tree", full_disk)
    errors = sample.build_fails()
    assert ("Der Suchindex konnte nicht in die Website geschrieben werden. Kein Platz mehr auf dem Datenträger für "
            "eine Datei. Platz schaffen und den Befehl wiederholen.") in errors
    assert "No space" not in errors and "Errno" not in errors


def test_an_index_under_way_is_dropped_for_the_last_one_that_fits(sample, indexing, monkeypatch):
    """Pages converted anew (here: the render cache emptied) go to the indexer as they come; when their
    index turns out to be the last one after all, that one is taken and the indexer stopped."""
    failures: list[object] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    sample.build()
    first = indexed(sample.out)
    shutil.rmtree(sample.root / ".cache" / "rundbrief" / "rendered")
    indexing.clear()
    sample.build()
    assert len(indexing) > 10
    assert indexed(sample.out) == first
    assert failures == []


def test_a_page_changed_outside_its_markdown_is_indexed_anew(sample, indexing):
    sample.build()
    issue = sample.root / "newsletters" / "2024-06-25-auftakt.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("date: 2024-06-25", "date: 2024-06-26"), encoding="utf-8")
    indexing.clear()
    sample.build()  # the same Markdown, so the last index was expected to fit: it does not
    assert len(indexing) > 10
    assert indexed(sample.out)["/newsletters/2024-06-25-auftakt/"]["meta"]["date"] == "26. Juni 2024"


def test_drafts_are_not_indexed_even_in_the_preview(site):
    profile(site)
    issue(site, "veroeffentlicht", title="Veröffentlicht")
    issue(site, "entwurf", date="2025-01-10", title="Geheimer Entwurf", front="draft: true\n")
    site.build_preview()
    assert "Geheimer Entwurf" in site.html("newsletters/entwurf/")  # previewed ...
    pages = indexed(site.out)
    assert "/newsletters/veroeffentlicht/" in pages
    assert "/newsletters/entwurf/" not in pages  # ... but never searchable


@pytest.mark.slow  # starts a preview server
def test_the_preview_searches_its_own_content(sample, start):
    """`rundbrief serve` indexes each rebuild: a new issue becomes searchable (drafts: the test below)."""
    preview = start()
    entry = "pagefind/pagefind-entry.json"
    count = json.loads(preview.poll(entry, '"page_count"'))["languages"]["de"]["page_count"]
    issue(sample, "2025-01-10", date="2025-01-10", title="Neu im Januar")
    preview.poll(entry, f'"page_count":{count + 1}')


def test_search_can_be_switched_off(site):
    site.configure("")
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    (site.root / "mkdocs.yml").write_text(config.replace("  - rundbrief:\n", "  - rundbrief:\n      search:\n        enabled: false\n"))
    site.build()
    assert not (site.out / "suche").exists()
    assert not (site.out / "pagefind").exists()
    assert "rb-search" not in site.html("")


def test_a_page_named_like_the_search_page_is_reported(site):
    site.write("content/suche.md", "# Unsere Suche\n")
    errors = site.build_fails()
    assert "content/suche.md:1: Diese Datei bekäme dieselbe Adresse wie die von Rundbrief erzeugte Übersichtsseite." in errors


def test_missing_pagefind_fails_the_build(site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site.root / "fehlt" / "pagefind"))
    errors = site.build_fails()
    assert "Pagefind, das Programm für die Suche, startet nicht" in errors
    assert "Pagefind gehört zu Rundbrief und kommt mit „pip install 'pagefind[extended]'“ dazu." in errors
    assert "Traceback" not in errors


@pytest.mark.parametrize("script", ["exit 1", "echo 'kein JSON,'; cat > /dev/null"])
def test_a_failing_pagefind_fails_the_build(site, monkeypatch, script):
    """A program that ends at once, and one that answers nonsense."""
    program = site.write("pagefind", f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    errors = site.build_fails()
    assert "Pagefind, das Programm für die Suche, ist unerwartet beendet worden oder antwortet unverständlich." in errors
    assert "Traceback" not in errors
