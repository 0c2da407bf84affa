"""The showcase in a real browser at a phone's and a laptop's width: the map, the filters, the
pictures, accessibility, requests and weight. Reuses the browser fixtures of test_browser.py; the
site is the sample site plus a phone photo with a GPS position, which must come out clean."""

from __future__ import annotations

import io
import os

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image

from conftest import FIGURES, REPO, make_project
from photos import GPS, photo
from test_browser import AXE, WEIGHT_LIMIT, WIDTHS, base_url, browser, open_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
PAGES = {
    "start page": "",
    "issue": ISSUE,
    "directory": "projects/",
    "profile": "projects/karad/",
    "Leichte Sprache": "leichte-sprache/",
    "Gebärdensprache": "gebaerdensprache/",
}
PICTURE_PAGES = ("", ISSUE, "projects/", "projects/karad/")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("showcase")
    make_project(root, sample=True)
    photo(root / "content/assets/images/testfoto.jpg", 4000, 3000)
    with (root / "projects/karad.md").open("a", encoding="utf-8") as profile:
        profile.write("\n![Testfoto: eine rote und eine blaue Fläche](../assets/images/testfoto.jpg)\n")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_showcase_page_is_accessible_and_local(open_page, name, width):
    page = open_page(PAGES[name], width)
    assert page.errors == [], f"console errors on the {name}"
    hosts = {request.url.split("/")[2].split(":")[0] for request in page.requests}
    assert hosts == {"127.0.0.1"}, [r.url for r in page.requests]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
    assert violations == [], f"axe on the {name} at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_map_shows_16_laender_with_counts_and_working_links(open_page, width):
    page = open_page("projects/", width)
    assert page.locator(".rb-map__land").count() == 16
    labels = page.eval_on_selector_all(".rb-map__land", "lands => lands.map(l => l.getAttribute('aria-label'))")
    assert len(set(labels)) == 16
    assert "Nordrhein-Westfalen: 2 Projekte" in labels and "Bremen: 1 Projekt" in labels
    assert "Thüringen: keine Projekte" in labels
    land = page.locator('a.rb-map__land[aria-label="Nordrhein-Westfalen: 2 Projekte"]')
    assert land.is_visible()
    land.click()
    page.wait_for_function("location.hash === '#land-nordrhein-westfalen'")
    heading = page.locator("#land-nordrhein-westfalen")
    assert heading.is_visible() and page.evaluate(
        "document.getElementById('land-nordrhein-westfalen').getBoundingClientRect().top < innerHeight")
    assert page.locator(".rb-state:visible").count() == 1  # the click narrowed the directory
    # The start page's map leads to the same group
    start = open_page("", width)
    # by keyboard: Bremen's box is centred between the city and Bremerhaven, on Niedersachsen
    start.locator('a.rb-map__land[aria-label="Bremen: 1 Projekt"]').focus()
    start.keyboard.press("Enter")
    start.wait_for_url("**/projects/#land-bremen")
    assert start.locator("#land-bremen").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_narrow_the_directory_without_a_round_trip(open_page, width):
    page = open_page("projects/", width)
    requests = len(page.requests)
    assert page.is_visible(".rb-filter")
    page.select_option("#filter-thema", "Alleinerziehende")
    visible = page.locator(".rb-projects li:visible > a").all_inner_texts()
    assert visible == ["ANKER Plus"]
    assert page.inner_text(".rb-filter__status") == "1 Projekt gefunden"
    page.select_option("#filter-thema", "")
    page.select_option("#filter-land", "Nordrhein-Westfalen")
    assert page.locator(".rb-projects li:visible").count() == 2
    assert page.locator(".rb-state:visible").count() == 1
    page.select_option("#filter-land", "")
    assert page.locator(".rb-projects li:visible").count() == 4
    assert len(page.requests) == requests  # nothing was fetched


def test_without_javascript_the_full_directory_is_there(browser, base_url):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "projects/")
        assert not page.is_visible(".rb-filter")
        assert page.locator(".rb-projects li").count() == 4
        assert page.locator("a.rb-map__land").count() == 3
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_pictures_have_srcset_size_and_alt_and_carry_no_metadata(open_page, width):
    fetched = 0
    for path in PICTURE_PAGES:
        page = open_page(path, width)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy pictures load, too
        page.wait_for_load_state("networkidle")
        images = page.eval_on_selector_all(".rb-picture img", """images => images.map(i => ({
            alt: i.getAttribute('alt'), width: i.getAttribute('width'), height: i.getAttribute('height'),
            srcset: i.srcset, webp: i.parentElement.querySelector('source[type="image/webp"]')?.srcset,
            current: i.currentSrc, natural: i.naturalWidth}))""")
        assert images, path
        for image in images:
            assert image["alt"] is not None and image["width"] and image["height"], (path, image)
            assert " 480w" in image["srcset"] and " 480w" in image["webp"], (path, image)
            assert image["current"].endswith((".avif", ".webp")) and image["natural"] > 0, (path, image)
        for request in page.requests:
            response = request.response()
            if response and response.headers.get("content-type", "").startswith("image/") and \
                    not request.url.endswith(".svg"):
                with Image.open(io.BytesIO(response.body())) as picture:
                    exif = picture.getexif()
                    assert not exif and not exif.get_ifd(GPS) and "exif" not in picture.info, request.url
                    fetched += 1
    assert fetched >= 4


def test_no_image_in_the_site_carries_exif_or_gps(site):
    images = [p for p in site.rglob("*") if p.suffix in {".jpg", ".jpeg", ".png", ".webp"}]
    assert any("pictures" in p.parts for p in images)
    for path in images:
        with Image.open(path) as image:
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info, path
    assert not (site / "assets/images/testfoto.jpg").exists()


@pytest.mark.parametrize("path", ["", "projects/", ISSUE])
def test_showcase_page_weight(open_page, path):
    page = open_page(path, 375)
    total = 0
    for request in page.requests:
        if "search_index.json" in request.url:
            continue
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    FIGURES.append(f"/{path} at 375 px: {total / 1000:.1f} KB transferred (limit {WEIGHT_LIMIT // 1000} KB)")
    assert total <= WEIGHT_LIMIT


@pytest.mark.parametrize(("path", "name"), [("projects/", "directory-map"), (ISSUE, "issue-portrait")])
def test_screenshots_for_the_readme(open_page, path, name, tmp_path):
    """RUNDBRIEF_SCREENSHOTS=1 writes them to readme/."""
    page = open_page(path, 1280)
    folder = REPO / "readme" if os.environ.get("RUNDBRIEF_SCREENSHOTS") else tmp_path
    target = folder / f"{name}.png"
    if name == "issue-portrait":
        page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": page.evaluate(
            "document.getElementById('vorgestellt').getBoundingClientRect().top + scrollY - 40"), "width": 1280, "height": 700})
    else:
        page.screenshot(path=str(target), full_page=True)
    with Image.open(target) as image:
        assert image.width == 1280
