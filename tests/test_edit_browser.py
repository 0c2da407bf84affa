"""`rundbrief edit` in Debian's Chromium: Decap CMS from node_modules, signed in to the local backend,
saving through Rundbrief's checks into a temporary git repository; no request leaves this machine."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO
from test_browser import browser  # noqa: F401 (a fixture)
from test_edit import ISSUE, PROFILE, editor, git  # noqa: F401 (editor: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL = ("127.0.0.1", "localhost")


@pytest.fixture
def page(browser, editor):
    """A page signed in to the local backend; every request is routed, one to another host fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    foreign: list[str] = []

    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL or route.request.url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{editor.origin}/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Ausgaben").first.wait_for()
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], errors


def screenshot(page, name: str, tmp_path: Path) -> None:
    """REDAKTION.md shows these; RUNDBRIEF_SCREENSHOTS=1 writes them to readme/."""
    folder = REPO / "readme" if os.environ.get("RUNDBRIEF_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(folder / name))


def refused_by_decap(page) -> None:
    """Decap leaves the promise of a refused save unhandled: the page reports the rejected action, an
    object, as an error of its own. Nothing else may be reported."""
    page.errors.remove("Object")


def publish(page) -> None:
    """Decap's „Veröffentlichen“ in the simple mode, which saves and commits, in Rundbrief's words."""
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.get_by_role("menuitem", name="Jetzt speichern").click()


def test_a_new_issue_written_in_the_form_is_saved_committed_and_previewed(page, editor, tmp_path):
    commits = editor.commits()
    entries = page.locator("a[href*='/collections/issues/entries/']")
    entries.first.wait_for()
    assert "2024-12-13" in entries.first.inner_text()  # newest first
    screenshot(page, "editor-issues.png", tmp_path)
    page.goto(f"{editor.origin}/admin/#/collections/issues/new")
    page.locator("[id^=title-field]").fill("Frühlingsgruß")
    page.locator("[id^=date-field]").fill("2025-03-14")
    body = page.locator("textarea[id^=body-field]")
    template = body.input_value()
    assert "## Vorgestellt" in template and "<!-- Ein gefördertes Projekt im Porträt" in template  # `new issue`'s
    typed = template.replace("## Vernetzt\n", "## Vernetzt\n\n### Ein Treffen in Kiel\n\nDie Projekte aus "
                                              "Schleswig-Holstein trafen sich. <!-- intern: Fotos folgen -->\n")
    body.fill(typed)
    page.locator("[id^=title-field]").scroll_into_view_if_needed()
    screenshot(page, "editor-new-issue.png", tmp_path)
    publish(page)
    page.wait_for_url(re.compile(r"/entries/2025-03-14-"))
    page.get_by_text("Eintrag gespeichert").wait_for()
    slug = page.url.rsplit("/", 1)[1]
    path = f"newsletters/{slug}.md"
    text = (editor.root / path).read_text(encoding="utf-8")
    assert text.endswith(typed) and "draft: true" in text and "date: 2025-03-14" in text
    assert editor.commits() == [f"Neu: {path} (im Editor)", *commits]
    preview = page.context.new_page()
    preview.goto(f"{editor.origin}/newsletters/{slug}/")
    preview.get_by_role("heading", name="Ein Treffen in Kiel").wait_for()
    assert "Fotos folgen" not in preview.content() and "Entwurf" in preview.inner_text("body")
    preview.close()


def test_a_save_the_build_refuses_shows_the_german_problem_and_writes_nothing(page, editor, tmp_path):
    before, commits = (editor.root / ISSUE).read_bytes(), editor.commits()
    page.goto(f"{editor.origin}/admin/#/collections/issues/entries/{Path(ISSUE).stem}")
    body = page.locator("textarea[id^=body-field]")
    body.fill(body.input_value().replace("## Vernetzt", "## Vernetz"))
    publish(page)
    toast = page.get_by_text(re.compile("Unbekannter Abschnitt „Vernetz“"))
    toast.wait_for()
    assert f"{ISSUE}:" in toast.inner_text()
    refused_by_decap(page)
    assert (editor.root / ISSUE).read_bytes() == before and editor.commits() == commits


def test_an_unknown_land_is_refused_with_its_german_message(page, editor, tmp_path):
    # The form offers the 16 Länder only; what the build refuses is refused however it is sent: here the
    # request on its way is changed, as an older form or another tool would send it.
    before, commits = (editor.root / PROFILE).read_bytes(), editor.commits()

    def misspelled(route):
        request = json.loads(route.request.post_data)
        if request.get("action") == "persistEntry":
            for file in request["params"]["dataFiles"]:
                file["raw"] = file["raw"].replace("state: Nordrhein-Westfalen", "state: Bayernn")
        route.continue_(post_data=json.dumps(request))

    page.route("**/api/v1", misspelled)
    page.goto(f"{editor.origin}/admin/#/collections/projects/entries/{Path(PROFILE).stem}")
    states = page.locator("[id^=state-field]")
    states.wait_for()
    page.locator("[id^=location-field]").fill("Kreis Mettmann, Ratingen")
    publish(page)
    toast = page.get_by_text(re.compile("Unbekanntes Bundesland „Bayernn“"))
    toast.wait_for()
    assert "Gemeint ist vielleicht „Bayern“" in toast.inner_text() and f"{PROFILE}:" in toast.inner_text()
    page.wait_for_timeout(1000)  # the notice slides in
    screenshot(page, "editor-refused.png", tmp_path)
    refused_by_decap(page)
    assert (editor.root / PROFILE).read_bytes() == before and editor.commits() == commits


def test_an_existing_issue_keeps_its_bytes_where_the_editor_changed_nothing(page, editor):
    file = editor.root / ISSUE
    before, commits = file.read_bytes(), editor.commits()
    page.goto(f"{editor.origin}/admin/#/collections/issues/entries/{Path(ISSUE).stem}")
    title = page.locator("[id^=title-field]")
    title.wait_for()
    original = title.input_value()
    title.fill(original + "!")
    title.fill(original)  # changed and changed back: nothing to save, Decap offers no saving
    assert page.get_by_role("button", name="Speichern", exact=True).count() == 0
    assert page.get_by_text("Gespeichert", exact=True).is_visible()
    assert file.read_bytes() == before and editor.commits() == commits
    # Only the body changed: Decap sends the whole file, its front matter written by its own YAML; the
    # file keeps its own front matter, byte for byte.
    sent: list[str] = []
    page.on("request", lambda r: r.url.endswith("/api/v1") and "persistEntry" in (r.post_data or "")
            and sent.append(json.loads(r.post_data)["params"]["dataFiles"][0]["raw"]))
    body = page.locator("textarea[id^=body-field]")
    body.fill(body.input_value().replace("bunten Bus", "bunten Omnibus"))
    publish(page)
    page.get_by_text("Eintrag gespeichert").wait_for()
    front = before.decode().partition("\n---\n")[0]
    assert sent and not sent[0].startswith(front + "\n---\n")  # Decap rewrote the front matter …
    assert file.read_bytes() == before.decode().replace("bunten Bus", "bunten Omnibus").encode()  # … not written
    assert editor.commits() == [f"Geändert: {ISSUE} (im Editor)", *commits]
    assert git(editor.root, "status", "--porcelain") == ""


def test_a_page_of_another_site_can_neither_write_nor_read(browser, editor):
    """Another site the editor has open (here: another port of this machine, another origin) sends both
    kinds of request a page can: a plain one, which needs no permission, and one with JSON, which the
    browser asks about first. The first is refused for its Origin, the second never sent."""
    before, commits = (editor.root / PROFILE).read_bytes(), editor.commits()
    body = json.dumps({"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": PROFILE, "raw": "---\ntitle: übernommen\n---\n"}], "assets": [],
        "options": {"commitMessage": "x"}}})
    script = f"""
        window.results = [];
        const body = {json.dumps(body)};
        fetch("{editor.origin}/api/v1", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}}, body}})
            .then(() => results.push("opaque"), () => results.push("blocked"));
        fetch("{editor.origin}/api/v1", {{method: "POST", headers: {{"Content-Type": "application/json"}}, body}})
            .then(r => r.text().then(t => results.push("read: " + t)), () => results.push("blocked"));
    """
    page_html = f"<!doctype html><title>Andere Website</title><script>{script}</script>".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{other.server_port}/")
        page.wait_for_function("window.results.length === 2")
        results = page.evaluate("window.results")
    finally:
        context.close()
        other.shutdown()
    assert sorted(results) == ["blocked", "opaque"]
    assert (editor.root / PROFILE).read_bytes() == before and editor.commits() == commits


def test_decap_takes_the_gitlab_configuration_setup_writes(browser, editor, tmp_path):
    """`rundbrief setup cms gitlab`'s file, given to the same Decap: no configuration error, the GitLab
    sign-in offered, and nothing asked of GitLab before the editor signs in."""
    done = subprocess.run([sys.executable, "-m", "rundbrief", "setup", "cms", "gitlab", "--repo", "vernetzung/rundbrief",
                           "--app-id", "0123456789abcdef" * 4], cwd=editor.root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((editor.root / "cms/config.yml").read_text(encoding="utf-8"))
    (editor.root / "cms/config.yml").unlink()
    (editor.root / "cms").rmdir()
    script = f"window.CMS_MANUAL_INIT = true;\nwindow.RUNDBRIEF_CMS = {json.dumps({**config, 'load_config_file': False})};"
    context = browser.new_context()
    foreign: list[str] = []

    def route(route):
        if route.request.url.endswith("/admin/config.js"):
            route.fulfill(body=script, content_type="text/javascript")
        elif urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        page.goto(f"{editor.origin}/admin/")
        page.get_by_role("button", name="Mit GitLab einloggen").wait_for()
        assert "Konfigurationsfehler" not in page.inner_text("body")
    finally:
        context.close()
    assert foreign == []
