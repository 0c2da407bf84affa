"""The e-mail edition's HTML part in Chromium at 320 and 600 px, light and dark, with axe-core; and the
subscription form posting to a local stub."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REPO, make_project
from rundbrief.cli.main import main
from test_browser import browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SITE = "https://www.aktif-vernetzt.de/"
ISSUE = "2024-12-13-die-vernetzungsstelle-informiert"
SCREENSHOTS = {(600, "light"), (320, "dark")}  # the README's pair
WCAG = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Stub(http.server.BaseHTTPRequestHandler):
    """The mailing tool's form address: keeps what is posted, answers as a tool would."""

    posted: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        type(self).posted.append(parse_qs(self.rfile.read(length).decode("utf-8")))
        body = "<!doctype html><html lang=de><title>Fast geschafft</title><p>Bitte bestätigen Sie Ihre Adresse.</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    yield from _serve(_Stub)


@pytest.fixture(scope="module")
def project(tmp_path_factory, stub: str) -> Path:
    """The sample site with a subscription page posting to the stub, built, and its newest issue's
    e-mail for CleverReach."""
    root = tmp_path_factory.mktemp("sample")
    make_project(root, sample=True)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - rundbrief:\n", (
        f'  - rundbrief:\n      subscribe: {{action: "{stub}subscribe", provider: listmonk, hidden: {{l: "liste-1"}}}}\n')),
        encoding="utf-8")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(str(root / "mkdocs.yml")))
    result = CliRunner().invoke(main, ["email", ISSUE, "--tool", "cleverreach", "--out", str(root / "mail"),
                                       "--config", str(root / "mkdocs.yml")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def base_url(project: Path) -> Iterator[str]:
    yield from _serve(functools.partial(_Quiet, directory=str(project / "site")))


def _from_the_site(site: Path, route) -> None:  # type: ignore[no-untyped-def]
    """Answers a request to the site's address from the built site, as its web host would."""
    path = site / urlsplit(route.request.url).path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 600])
def test_the_html_part_in_the_browser(browser, project, width, scheme):
    html = (project / "mail" / f"{ISSUE}.html").read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.route(re.compile(r"^https?://"), functools.partial(_from_the_site, project / "site"))
        page.set_content(html, wait_until="networkidle")
        # Every picture comes from the site, and loads
        assert requests and all(url.startswith(SITE) for url in requests), requests
        images = page.evaluate("[...document.images].map(i => [i.currentSrc, i.complete && i.naturalWidth > 0])")
        assert len(images) == 3 and all(loaded for _, loaded in images), images
        # Readable without scrolling sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Dark mode turns the page dark, light mode keeps it white
        background = page.evaluate("getComputedStyle(document.querySelector('.rb-main')).backgroundColor")
        assert background == ("rgb(28, 33, 39)" if scheme == "dark" else "rgb(255, 255, 255)")
        # The preheader stays out of sight
        assert not page.is_visible(".rb-preheader")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(WCAG)
        violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
        assert violations == [], f"axe on the e-mail at {width} px, {scheme}"
        assert len(result["passes"]) > 10  # axe really ran
        if os.environ.get("RUNDBRIEF_SCREENSHOTS") and (width, scheme) in SCREENSHOTS:
            page.screenshot(path=str(REPO / "readme" / f"email-{width}-{scheme}.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_subscription_form_posts_to_the_mailing_tool(browser, base_url, stub, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base_url + "abonnieren/", wait_until="networkidle")
        assert requests and all(url.startswith(base_url) for url in requests), requests  # nothing from the tool yet
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(WCAG)
        assert [v["id"] for v in result["violations"]] == [], f"axe on the subscription page at {width} px"
        # A wrong address is refused by the browser: nothing is sent
        page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
        page.get_by_role("button", name="Abonnieren").click()
        assert page.url == base_url + "abonnieren/" and not _Stub.posted
        page.get_by_label("Ihre E-Mail-Adresse").fill("leserin@example.org")
        with page.expect_navigation():
            page.get_by_role("button", name="Abonnieren").click()
        assert page.url == stub + "subscribe"
        assert _Stub.posted.pop() == {"email": ["leserin@example.org"], "l": ["liste-1"]}
        assert "Bitte bestätigen Sie Ihre Adresse." in page.content()
    finally:
        context.close()


def test_the_feed_page_and_the_footer_lead_to_the_subscription_page(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "feed/", wait_until="networkidle")
        page.get_by_role("link", name="Den Newsletter per E-Mail abonnieren").click()
        assert page.url == base_url + "abonnieren/"
        page.goto(base_url + f"newsletters/{ISSUE}/", wait_until="networkidle")
        page.get_by_role("link", name="Newsletter per E-Mail abonnieren").click()
        assert page.url == base_url + "abonnieren/"
    finally:
        context.close()
