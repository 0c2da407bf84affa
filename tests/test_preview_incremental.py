"""The preview's rebuilds after a save write only what the save can change (adapter/site/incremental.py):
after a series of edits, what the running preview serves must be what a full build of the same
content makes, byte for byte."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REPO, Preview, Site
from content import issue, profile

pytestmark = pytest.mark.slow

ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"
ISSUE_URL = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"


@pytest.fixture
def preview(sample: Site, start: Callable[[], Preview], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Preview:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # where the preview makes its site folder
    (tmp_path / "tmp").mkdir()
    preview = start()
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle informiert")
    return preview


def _served_site(tmp_path: Path) -> Path:
    [folder] = (tmp_path / "tmp").glob("rundbrief-vorschau-*")
    return folder


def _until(condition: Callable[[], bool], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the preview did not change"
        time.sleep(0.2)


def _full_build(site: Site, url: str, out: Path) -> Path:
    """A fresh build of the site's content as the preview builds it: drafts shown, links into it."""
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(out))
    config.site_url = url
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=url)
    finally:
        config.plugins.on_shutdown()
    return out


def _files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a site but the search index, whose files Pagefind numbers in the order it was
    given the pages."""
    return {path.relative_to(site_dir).as_posix(): path.read_bytes() for path in sorted(site_dir.rglob("*"))
            if path.is_file() and not path.relative_to(site_dir).as_posix().startswith("pagefind/")}


def _assert_as_full_build(sample: Site, preview: Preview, tmp_path: Path, name: str) -> None:
    preview.get("feed.xml")  # waits for the outputs written after the pages
    served = _files(_served_site(tmp_path))
    fresh = _files(_full_build(sample, preview.url(""), tmp_path / name))
    assert sorted(served) == sorted(fresh)
    assert [path for path in fresh if served[path] != fresh[path]] == []


def test_after_a_series_of_edits_the_preview_serves_what_a_full_build_makes(sample, preview, tmp_path):
    # an issue's body and its title: shown by the archive, the start page, the profiles it mentions
    directory = _served_site(tmp_path) / "projects" / "index.html"
    written = directory.stat().st_mtime_ns
    preview.edit(ISSUE, "## Vernetzt", "Ein Satz, neu geschrieben.\n\n## Vernetzt")
    preview.poll(ISSUE_URL, "Ein Satz, neu geschrieben.")
    assert directory.stat().st_mtime_ns == written  # it shows no issue: not written again
    preview.edit(ISSUE, "title: Die Vernetzungsstelle informiert", "title: Die Vernetzungsstelle berichtet")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle berichtet")
    # a profile's name, title and themes: "Mobilität" loses its only profile, and its page
    preview.edit("projects/karad.md", "title: Kooperationen zu", "title: Kooperationsprojekt zu")
    preview.edit("projects/karad.md", "tags: [Aufsuchende Arbeit, Mobilität]", "tags: [Aufsuchende Arbeit, Wohnen]")
    preview.poll("themen/wohnen/", "Kooperationsprojekt zu")
    preview.edit("projects/karad.md", "short: KArAD", "short: KArAD Düren")
    preview.poll("projects/karad/", "KArAD Düren")
    # an issue turned draft and back
    preview.edit(ISSUE, "date: 2024-12-13\n", "date: 2024-12-13\ndraft: true\n")
    preview.poll(ISSUE_URL, "Entwurf")
    preview.edit(ISSUE, "date: 2024-12-13\ndraft: true\n", "date: 2024-12-13\n")
    _until(lambda: "Entwurf" not in preview.get(ISSUE_URL)[1])
    _assert_as_full_build(sample, preview, tmp_path, "fresh")
    assert not (tmp_path / "fresh" / "themen" / "mobilitaet").exists()

    # a new issue, a new profile, which is then deleted, a page of content/: each a full build
    issue(sample, "2025-01-10-neu", date="2025-01-10", title="Neue Ausgabe")
    preview.poll("newsletters/2025-01-10-neu/", "Neue Ausgabe")
    profile(sample, "neu", title="Neues Projekt")
    preview.poll("projects/neu/", "Neues Projekt")
    (sample.root / "projects" / "neu.md").unlink()
    _until(lambda: preview.get("projects/neu/")[0] == 404)
    preview.edit("content/kontakt.md", "\n\n", "\n\nNeu auf der Kontaktseite.\n\n")
    preview.poll("kontakt/", "Neu auf der Kontaktseite.")
    # then again an issue's title, a profile's name: rebuilt on top of those
    preview.edit(ISSUE, "title: Die Vernetzungsstelle berichtet", "title: Die Vernetzungsstelle schreibt")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle schreibt")
    preview.edit("projects/karad.md", "short: KArAD Düren", "short: KArAD Nord")
    preview.poll("projects/karad/", "KArAD Nord")
    _assert_as_full_build(sample, preview, tmp_path, "fresh-again")

    output = preview.stop()
    rebuilds = [line for line in output.splitlines() if "Seiten neu gebaut" in line]
    assert len(rebuilds) >= 6, output  # the edits of issues and profiles did not rebuild everything


def test_a_theme_file_or_template_changed_while_serving_is_in_the_next_build(sample, start, tmp_path, monkeypatch):
    # The project's own templates folder, as editors have it. The preview keeps MkDocs' listing of the
    # theme's files between builds: it must see a file added to or removed from it.
    shutil.copytree(REPO / "overrides", sample.root / "overrides")
    config = sample.root / "mkdocs.yml"
    config.write_text(re.sub(r"custom_dir: .*", "custom_dir: overrides", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    preview = start()
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle informiert")
    preview.edit(ISSUE, "title: Die Vernetzungsstelle informiert", "title: Die Vernetzungsstelle berichtet")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle berichtet")  # a build with the kept listing
    # the templates' folder is not watched: the next save of an issue builds with what it holds then
    sample.write("overrides/assets/hinweis.txt", "Neu im Theme.\n")
    preview.edit("overrides/main.html", "{% block announce %}\n", "{% block announce %}\n  <p>Neu im Kopf</p>\n")
    preview.edit(ISSUE, "title: Die Vernetzungsstelle berichtet", "title: Die Vernetzungsstelle schreibt")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle schreibt")
    assert preview.get("assets/hinweis.txt")[:2] == (200, "Neu im Theme.\n")
    assert "Neu im Kopf" in preview.get("projects/karad/")[1]
    _assert_as_full_build(sample, preview, tmp_path, "fresh")
    (sample.root / "overrides" / "assets" / "hinweis.txt").unlink()
    preview.edit(ISSUE, "title: Die Vernetzungsstelle schreibt", "title: Die Vernetzungsstelle meldet")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle meldet")
    assert preview.get("assets/hinweis.txt")[0] == 404
    preview.edit(ISSUE, "title: Die Vernetzungsstelle meldet", "title: Die Vernetzungsstelle grüßt")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle grüßt")
    _assert_as_full_build(sample, preview, tmp_path, "fresh-again")
    assert "Seiten neu gebaut" in preview.stop()


def test_the_search_index_of_a_rebuild_covers_every_page(sample, preview, tmp_path):
    preview.edit(ISSUE, "title: Die Vernetzungsstelle informiert", "title: Die Vernetzungsstelle berichtet")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle berichtet")
    preview.get("feed.xml")  # waits for the index
    served = _served_site(tmp_path) / "pagefind"
    fresh = _full_build(sample, preview.url(""), tmp_path / "fresh") / "pagefind"
    # Pagefind names each page's fragment (its URL, text and meta) by its hash: the same pages with the
    # same text, whatever the order they were given in
    fragments = sorted(path.name for path in (fresh / "fragment").iterdir())
    assert len(fragments) > 10
    assert sorted(path.name for path in (served / "fragment").iterdir()) == fragments
    assert "Seiten neu gebaut" in preview.stop()


def test_an_error_after_incremental_builds_shows_the_error_page_and_the_fix_recovers(sample, preview, tmp_path):
    preview.edit(ISSUE, "title: Die Vernetzungsstelle informiert", "title: Die Vernetzungsstelle berichtet")
    preview.poll(ISSUE_URL, "Die Vernetzungsstelle berichtet")
    preview.edit(ISSUE, "## Vorgestellt", "## Vorgstellt")
    text = preview.poll(ISSUE_URL, "Die Vorschau kann die Website nicht bauen")
    assert "Unbekannter Abschnitt „Vorgstellt“. Gemeint ist vielleicht „Vorgestellt“." in text
    preview.edit(ISSUE, "## Vorgstellt", "## Vorgestellt")
    preview.poll(ISSUE_URL, '<h1 id="inhalt">Die Vernetzungsstelle berichtet</h1>')
    preview.edit("projects/karad.md", "title: Kooperationen zu", "title: Kooperationsprojekt zu")
    preview.poll("projects/karad/", "Kooperationsprojekt zu")
    preview.get("feed.xml")
    served = _files(_served_site(tmp_path))
    fresh = _files(_full_build(sample, preview.url(""), tmp_path / "fresh"))
    assert served == fresh
    output = preview.stop()
    assert "Die Vorschau zeigt 1 Fehler statt der Website:" in output
    assert "Seiten neu gebaut" in output.split("Die Vorschau zeigt 1 Fehler")[1].split("Änderung gespeichert", 2)[2]


def test_a_failure_after_the_pages_are_served_shows_the_error_page(sample, preview, tmp_path):
    # a folder where the feed belongs: MkDocs copies it into the site, then the feed cannot be written
    sample.write("content/feed.xml/notiz.txt", "Kein Feed.\n")
    text = preview.poll("", "Die Vorschau kann die Website nicht bauen")
    assert "Schreiben fehlgeschlagen: die Feeds." in text
    (sample.root / "content" / "feed.xml" / "notiz.txt").unlink()
    (sample.root / "content" / "feed.xml").rmdir()
    preview.poll("", "Die Vernetzungsstelle informiert")
    assert preview.get("feed.xml")[0] == 200
    output = preview.stop()
    assert "Die Vorschau zeigt 1 Fehler statt der Website:\n  Schreiben fehlgeschlagen: die Feeds." in output
