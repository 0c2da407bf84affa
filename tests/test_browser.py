"""The sample site in a real browser (Debian's Chromium, driven by Playwright): console, requests,
axe-core, keyboard, search, copy buttons, page weight; and the Nu Html Checker on every page."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image

from conftest import FIGURES, REPO, make_project

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = (1280, 375)
ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
PAGES = {
    "start page": "",
    "issue": ISSUE,
    "archive": "newsletters/",
    "directory": "projects/",
    "profile": "projects/karad/",
    "tag page": "themen/mobilitaet/",
    "feed page": "feed/",
    "LinkedIn page": "linkedin/2024-12-13-die-vernetzungsstelle-informiert/",
    "search page": "suche/?q=Familien",
}
WEIGHT_LIMIT = 200_000


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as a production server would: text compressed with gzip."""

    COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    make_project(root, sample=True)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
        ])
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, base_url):
    """Opens a page of the site at a width, recording console errors and every request."""
    contexts = []

    def opener(path: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
        contexts.append(context)
        page = context.new_page()
        page.errors, page.requests = [], []
        page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("request", lambda request: page.requests.append(request))
        page.goto(base_url + path, wait_until="networkidle")
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(open_page, name, width):
    page = open_page(PAGES[name], width)
    assert page.errors == [], f"console errors on the {name}"
    hosts = {urlsplit(request.url).hostname for request in page.requests}
    assert len(page.requests) > 3 and hosts == {"127.0.0.1"}, [r.url for r in page.requests]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
    assert violations == [], f"axe on the {name} at {width} px"
    assert len(result["passes"]) > 20  # axe really ran


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_moves_focus_to_the_content(open_page, width):
    for path in (ISSUE, "", "projects/karad/"):
        page = open_page(path, width)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('md-skip')"), path
        page.keyboard.press("Enter")
        target = page.evaluate("location.hash")
        assert page.evaluate(f"document.querySelector('{target}').tagName") == "H1", path
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-content')"), path


def test_mobile_menu_opens_and_closes_by_keyboard(open_page):
    page = open_page("newsletters/", 375)
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rb-menu')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Menü"
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        page.wait_for_function("document.getElementById('__drawer').checked")
        assert page.get_attribute(".rb-menu", "aria-expanded") == "true"
        assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
        page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('__drawer').checked")
        assert page.get_attribute(".rb-menu", "aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('rb-menu')")


def test_menu_button_only_where_the_navigation_is_hidden(open_page):
    assert not open_page("newsletters/", 1280).is_visible(".rb-menu")  # the tabs show the navigation
    assert open_page("newsletters/", 375).is_visible(".rb-menu")


def test_menu_opens_without_javascript(browser, base_url, open_page):
    context = browser.new_context(viewport={"width": 375, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "newsletters/")
        assert not page.is_visible(".rb-menu")  # it needs the script to press the checkbox
        page.click(".rb-menu-without-js")
        assert page.is_checked("#__drawer")
        page.wait_for_timeout(500)  # the drawer slides in; without JavaScript nothing can be awaited
        assert page.locator(".md-sidebar--primary").bounding_box()["x"] >= 0
    finally:
        context.close()
    assert not open_page("newsletters/", 375).is_visible(".rb-menu-without-js")


@pytest.mark.parametrize(("query", "expected"), [
    ("KArAD", "projects/karad/"),
    ("Mitstreiter*innen", ISSUE),
])
def test_search_finds_and_opens_the_right_page(open_page, base_url, query, expected):
    """Pagefind's search through the header's field; tests/test_search_browser.py tests it in detail."""
    page = open_page("")
    page.fill("#rb-search-header", query)
    page.press("#rb-search-header", "Enter")
    link = page.locator(f".rb-result__title a[href^='/{expected}']").first
    link.wait_for()
    link.click()
    page.wait_for_url(f"{base_url}{expected}*")
    assert page.url.startswith(base_url + expected)
    if query == "Mitstreiter*innen":
        assert "Mitstreiter*innen" in page.inner_text("article")


def test_copy_buttons_put_the_post_on_the_clipboard(open_page, site):
    page = open_page("linkedin/2024-12-13-die-vernetzungsstelle-informiert/")
    buttons = page.locator("button[data-clipboard-target]")
    assert buttons.count() == 2
    expected = [
        (site / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert.txt").read_text(encoding="utf-8"),
        (site / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert" /
         "karad-mit-dem-bunten-bus-zu-den-familien.txt").read_text(encoding="utf-8"),
    ]
    for index, text in enumerate(expected):
        page.evaluate("navigator.clipboard.writeText('')")
        buttons.nth(index).click()
        page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
        assert page.evaluate("navigator.clipboard.readText()").rstrip("\n") == text.rstrip("\n")


def test_issue_page_weight(open_page):
    page = open_page(ISSUE)
    transferred = {}
    for request in page.requests:
        response = request.response()
        sizes = request.sizes()
        transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        assert response and response.ok, request.url
    total = sum(transferred.values())
    FIGURES.append(f"issue page weight: {total / 1000:.1f} KB transferred in {len(transferred)} requests "
                   f"(limit {WEIGHT_LIMIT // 1000} KB, gzip)")
    print(FIGURES[-1])
    assert any(url.endswith(".css") for url in transferred) and any(url.endswith(".js") for url in transferred)
    assert total <= WEIGHT_LIMIT, transferred


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_of_an_issue_page(open_page, width, tmp_path):
    """The README shows these; RUNDBRIEF_SCREENSHOTS=1 writes them to readme/."""
    page = open_page(ISSUE, width)
    folder = REPO / "readme" if os.environ.get("RUNDBRIEF_SCREENSHOTS") else tmp_path
    target = folder / f"issue-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    with Image.open(target) as image:
        assert image.width == width and image.height > 900


def test_nu_html_checker_finds_no_error(site):
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is missing: apt-get install openjdk-17-jre-headless (.ci/run does this)")
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    checked = len(list(site.rglob("*.html")))
    assert checked > 20
    assert messages == [], [(m.get("url", "").split("/site/")[-1], m.get("message")) for m in messages]
