"""What a reader sees, in Chromium at a phone's and a laptop's width: no page scrolls sideways, no
picture is taller than about 700 px (an upright phone photo on an issue and the start page), the
map's numbers show without hovering, the 404 page is German, axe finds nothing. Reuses the browser
fixtures of test_browser.py; the site is the sample plus an issue led by an upright photo."""

from __future__ import annotations

import os

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import make_project
from photos import photo
from test_browser import AXE, WIDTHS, base_url, browser, open_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TALL = "newsletters/2025-01-10-hochkant/"
PAGES = {
    "start page": "",
    "issue with an upright photo": TALL,
    "sample issue": "newsletters/2024-12-13-die-vernetzungsstelle-informiert/",
    "archive": "newsletters/",
    "directory": "projects/",
    "profile with a picture": "projects/karad/",
    "profile with an upright photo": "projects/anker-plus/",
    "themes": "themen/",
    "theme": "themen/mobilitaet/",
    "404": "404.html",
    "feed page": "feed/",
    "LinkedIn page": "linkedin/2024-12-13-die-vernetzungsstelle-informiert/",
    "search page": "suche/?q=Familien",
    "Leichte Sprache": "leichte-sprache/",
    "Impressum": "impressum/",
}
PICTURE_LIMIT = 710  # about 700 px, and the rounding of a browser's layout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("newsletter")
    make_project(root, sample=True)
    photo(root / "content/assets/images/hochkant.jpg", 1200, 1800, orientation=1)
    (root / "newsletters/2025-01-10-hochkant.md").write_text("""---
title: Die Vernetzungsstelle informiert
date: 2025-01-10
description: Eine Ausgabe, die mit einem Foto im Hochformat beginnt.
image: assets/images/hochkant.jpg
image_alt: Testbild im Hochformat, eine rote und eine blaue Fläche
---

## Vernetzt

### Ein Treffen

![Testbild im Hochformat, noch einmal](../assets/images/hochkant.jpg)

Ein Text über ein Treffen mit [ANKER Plus](../projects/anker-plus.md).
""", encoding="utf-8")
    anker = root / "projects/anker-plus.md"
    anker.write_text(anker.read_text(encoding="utf-8").replace(
        "state: Nordrhein-Westfalen\n",
        "state: Nordrhein-Westfalen\nimage: assets/images/hochkant.jpg\nimage_alt: Testbild im Hochformat\n", 1),
        encoding="utf-8")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_with_pictures_below_the_limit_and_passes_axe(open_page, name, width):
    page = open_page(PAGES[name], width)
    page.evaluate("Promise.all([...document.images].map(i => (i.loading = 'eager', i.decode().catch(() => null))))")
    assert page.errors == [], f"console errors on the {name}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the {name} scrolls sideways by {overflow} px at {width} px"
    heights = page.evaluate("[...document.querySelectorAll('.md-content img')].map(i => [i.alt, i.getBoundingClientRect().height])")
    assert all(height <= PICTURE_LIMIT for _, height in heights), heights
    widths = page.evaluate("[...document.querySelectorAll('.md-content img')].map(i => i.getBoundingClientRect().right)")
    assert all(right <= width for right in widths), widths
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
    assert violations == [], f"axe on the {name} at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_upright_photos_are_shown_whole_and_below_the_limit(open_page, width):
    for path in ("", TALL):
        page = open_page(path, width)
        box = page.evaluate("(() => { const i = document.querySelector('.md-content picture img');"
                            " i.scrollIntoView(); return [i.getBoundingClientRect().height, i.complete, i.naturalHeight]; })()")
        height, complete, natural = box
        assert complete and natural > 0
        assert 200 < height <= PICTURE_LIMIT, (path, height)
        fit = page.evaluate("getComputedStyle(document.querySelector('.md-content picture img')).objectFit")
        assert fit == "contain"  # the box may be wider than the picture; the picture is never stretched


@pytest.mark.parametrize("width", WIDTHS)
def test_map_numbers_and_list_are_visible_without_hovering(open_page, width):
    for path in ("projects/", ""):
        page = open_page(path, width)
        page.locator(".rb-map").scroll_into_view_if_needed()
        numbers = page.evaluate("""[...document.querySelectorAll('.rb-map__counts text')].map(t => {
            const box = t.getBoundingClientRect(), style = getComputedStyle(t);
            return [t.dataset.state, t.textContent, box.width, box.height, box.left, box.right, style.visibility,
                    parseFloat(style.fontSize)];
        })""")
        assert sorted(n[0] for n in numbers) == ["Bremen", "Niedersachsen", "Nordrhein-Westfalen"]
        for state, count, w, h, left, right, visibility, _ in numbers:
            assert w > 4 and h > 8 and visibility == "visible", state
            assert 0 <= left and right <= width, state
        legend = page.locator(".rb-map__legend")
        assert legend.is_visible()
        assert [line.strip() for line in legend.inner_text().split("\n")] == ["Bremen: 1 Projekt", "Niedersachsen: 1 Projekt",
                                                   "Nordrhein-Westfalen: 2 Projekte"]
        page.locator(".rb-map__legend a", has_text="Bremen").click()
        page.wait_for_url("**/projects/#land-bremen")


def test_404_page_is_german_and_leads_on(open_page):
    page = open_page("404.html", 375)
    assert page.inner_text("h1") == "Seite nicht gefunden"
    assert page.title().startswith("Seite nicht gefunden")
    for text in ("Zur Startseite", "Alle Ausgaben im Archiv", "Alle Projekte nach Bundesland"):
        assert page.locator(".md-content a", has_text=text).is_visible()
    assert "Made with" not in page.inner_text("footer")


def test_issue_prints_without_navigation_and_with_links_written_out(open_page):
    page = open_page("newsletters/2024-12-13-die-vernetzungsstelle-informiert/", 1280)
    page.emulate_media(media="print")
    assert not page.is_visible(".md-header") and not page.is_visible(".md-tabs") and not page.is_visible(".rb-share")
    after = page.evaluate("""getComputedStyle(document.querySelector('.md-content a[href^="http"]'), '::after').content""")
    assert after.startswith('" (http')


def test_titles_are_in_the_texts_full_contrast(open_page):
    for path in ("newsletters/2024-12-13-die-vernetzungsstelle-informiert/", "projects/karad/", "newsletters/"):
        page = open_page(path, 375)
        title, text = page.evaluate("[getComputedStyle(document.querySelector('.md-content h1')).color,"
                                    " getComputedStyle(document.querySelector('.md-content .md-typeset')).color]")
        assert title == text, path
