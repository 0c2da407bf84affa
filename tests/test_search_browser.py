"""The site search in a real browser (Debian's Chromium, driven by Playwright): the field in the
header at both widths, by keyboard; the search page /suche/?q=… with Pagefind's results; no request
to another host; axe-core. Fixtures and helpers come from test_browser.py."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import FIGURES, make_project
from test_browser import AXE, ISSUE, WIDTHS, base_url, browser, open_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# A profile that says "Familie" and never "Familien": found only through German stemming.
PATEN = """---
title: Paten für Eltern
organisation: Beispiel e.V.
location: Erfurt
state: Thüringen
---

Jede Familie bekommt eine feste Ansprechperson, die zu Terminen mitgeht.
"""
QUERY_LIMIT = 300_000  # bytes one query may transfer, page included (issue 13)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample site with one more profile."""
    root = tmp_path_factory.mktemp("sample")
    make_project(root, sample=True)
    (root / "projects" / "paten.md").write_text(PATEN, encoding="utf-8")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


def _results(page) -> list[str]:
    """The links of the results, once Pagefind has answered."""
    page.wait_for_function("document.getElementById('rb-search-status').textContent.includes('für „')")
    return page.eval_on_selector_all(".rb-result__title a", "links => links.map(a => a.getAttribute('href'))")


def _axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    assert len(result["passes"]) > 20  # axe really ran
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]


def _tab_to(page, selector: str) -> None:
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} is not reached by keyboard")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_from_the_header_by_keyboard(open_page, base_url, width):
    page = open_page(ISSUE, width)
    if width >= 1200:  # the field is in the header
        _tab_to(page, "#rb-search-header")
        page.keyboard.type("Familien", delay=20)
        page.keyboard.press("Enter")
    else:  # the button opens the search page, whose field has the focus
        _tab_to(page, ".rb-search__button")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base_url}suche/?q=")
        page.wait_for_function("document.activeElement.id === 'rb-search-query'")
        page.keyboard.type("Familien", delay=20)
        page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}suche/?q=Familien")
    assert "/projects/paten/#inhalt" in _results(page)
    assert page.input_value("#rb-search-query") == "Familien"
    assert page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_is_accessible_with_results(open_page, width):
    page = open_page("suche/?q=Familien", width)
    assert len(_results(page)) >= 5
    assert _axe(page) == [], f"axe on the search page at {width} px"
    assert page.errors == []
    hosts = {urlsplit(request.url).hostname for request in page.requests}
    assert hosts == {"127.0.0.1"}, [request.url for request in page.requests]
    assert any("/pagefind/" in request.url for request in page.requests)  # Pagefind comes from the site


def test_familien_finds_familie(open_page):
    page = open_page("suche/?q=Familien")
    links = _results(page)
    assert "/projects/paten/#inhalt" in links
    paten = page.locator(".rb-result", has=page.locator("a[href='/projects/paten/#inhalt']"))
    assert paten.locator(".rb-result__meta").inner_text() == "Erfurt (Thüringen)"
    assert paten.locator(".rb-result__excerpt mark").inner_text() == "Familie"


def test_mitstreiter_innen_finds_the_issue(open_page, base_url):
    page = open_page("suche/?q=Mitstreiter*innen")
    links = _results(page)
    assert links and links[0].startswith("/" + ISSUE)
    first = page.locator(".rb-result").first
    assert first.locator(".rb-result__meta").inner_text() == "13. Dezember 2024"
    assert "Mitstreiter*innen" in first.locator(".rb-result__excerpt mark").first.inner_text()
    first.locator(".rb-result__title a").click()
    page.wait_for_url(f"{base_url}{ISSUE}*")
    assert "Mitstreiter*innen" in page.inner_text("article")


def test_karad_finds_the_profile_first_and_the_item_where_it_is_named(open_page):
    page = open_page("suche/?q=KArAD")
    links = _results(page)
    assert links[0] == "/projects/karad/#inhalt"
    assert "/" + ISSUE + "#karad-mit-dem-bunten-bus-zu-den-familien" in links  # the item, not the issue's top
    issue = page.locator(".rb-result").nth(links.index("/" + ISSUE + "#karad-mit-dem-bunten-bus-zu-den-familien"))
    assert issue.locator(".rb-result__part").inner_text() == "In: KArAD: Mit dem bunten Bus zu den Familien"


def test_a_search_without_hits_says_so(open_page):
    page = open_page("suche/?q=Quarkstrudel")
    assert _results(page) == []
    assert page.inner_text("#rb-search-status") == "Keine Treffer für „Quarkstrudel“."


def test_one_query_transfers_little(open_page):
    """What a reader's phone loads for one search on the sample site, page and index together; the
    figure for the archive of 480 issues and 2,000 profiles comes from bench/search_transfer.py."""
    page = open_page("suche/?q=Familien")
    _results(page)
    page.wait_for_load_state("networkidle")
    total = 0
    for request in page.requests:
        response = request.response()
        assert response and response.ok, request.url
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    FIGURES.append(f"one search on the sample site: {total / 1000:.1f} KB transferred in {len(page.requests)} "
                   f"requests, search page included (limit {QUERY_LIMIT // 1000} KB, gzip)")
    print(FIGURES[-1])
    assert total <= QUERY_LIMIT


def test_the_menu_works_on_the_search_page(open_page):
    page = open_page("suche/?q=KArAD", 375)
    _results(page)
    page.click(".rb-menu")
    page.wait_for_function("document.getElementById('__drawer').checked")
    assert page.locator(".md-sidebar--primary .md-nav__link[href]").first.is_visible()
