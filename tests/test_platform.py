"""The platform under the site: a fresh build wherever it runs, and with Material's options as set."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import PROPERDOCS, REPO

SITE = "https://www.aktif-vernetzt.de/"


def test_fresh_build_makes_its_site_folder(sample):
    """Nothing but the build makes the site folder: the feeds and posts written beside the pages
    still find it."""
    assert not sample.out.exists()
    sample.build()
    assert (sample.out / "feed.xml").is_file()
    assert (sample.out / "linkedin/2024-12-13-die-vernetzungsstelle-informiert.txt").is_file()


@pytest.mark.skipif(not shutil.which("taskset"), reason="taskset (util-linux) is missing")
def test_fresh_build_on_one_core(sample):
    """On one core, as on macOS and Windows, the feeds are written in the build's own process, at once."""
    result = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-m", "properdocs" if PROPERDOCS else "mkdocs", "build", "--strict"],
        cwd=sample.root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert (sample.out / "feed.xml").is_file()
    assert (sample.out / "feed.json").is_file()
    assert (sample.out / "newsletters/2024-12-13-die-vernetzungsstelle-informiert/index.html").is_file()


class _References(HTMLParser):
    """The stylesheets, scripts, icons and images a page loads, as written in it."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        rel = set(a.get("rel", "").split())
        if tag == "link" and rel & {"stylesheet", "icon", "apple-touch-icon", "preload", "manifest"}:
            self.urls.append(a["href"])
        elif tag == "script" and "src" in a:
            self.urls.append(a["src"])
        elif tag in ("img", "source"):
            self.urls += [a["src"]] if "src" in a else []
            self.urls += [part.split()[0] for part in a.get("srcset", "").split(",") if part.strip()]
        elif tag == "meta" and a.get("property", a.get("name")) in ("og:image", "twitter:image"):
            self.urls.append(a["content"])
        self._config = tag == "script" and a.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._config:  # Material's settings name its search worker, a script with a hashed name
            self.urls.append(json.loads(data)["search"])  # relative to the page, as the `url` filter made it
            self._config = False


def missing_assets(out: Path, site_url: str) -> list[str]:
    """Every reference from a page of the built site `out` to a stylesheet, script, icon or image on
    the site itself that the site lacks, as "page: reference"."""
    missing = []
    for page in sorted(out.rglob("*.html")):
        page_url = urljoin(site_url, page.relative_to(out).as_posix())
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8"))
        for reference in parser.urls:
            url = urljoin(page_url, reference).split("#")[0].split("?")[0]
            if not url.startswith(site_url):
                continue  # another site's: test_site.py proves there is none
            target = out / unquote(url[len(site_url):])
            if not (target / "index.html" if url.endswith("/") else target).is_file():
                missing.append(f"{page.relative_to(out)}: {reference}")
    return missing


def test_every_asset_a_page_references_is_in_the_site(sample):
    out = sample.build()
    assert missing_assets(out, SITE) == []
    checked = _References()
    checked.feed((out / "index.html").read_text(encoding="utf-8"))
    kinds = {Path(urlsplit(url).path).suffix for url in checked.urls}
    assert {".css", ".js", ".png"} <= kinds  # the check sees Material's assets, ours and the logo
    # A stylesheet of another Material release, as the copied base.html linked: the check finds it
    stylesheet = next((out / "assets/stylesheets").glob("main.*.min.css"))
    stylesheet.unlink()
    missing = missing_assets(out, SITE)
    assert f"index.html: assets/stylesheets/{stylesheet.name}" in missing
    assert len(missing) == len(sample.pages())  # every page links it


def test_a_patch_that_no_longer_applies_fails_the_build(site):
    """A Material release that changed a template Rundbrief patches: the build names template and patch."""
    import material

    overrides = site.root / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    base = (Path(material.__file__).parent / "templates/base.html").read_text(encoding="utf-8")
    title = "<title>{{ page.title | striptags }} - {{ config.site_name }}</title>"
    assert title in base
    (overrides / "base.html").write_text(
        base.replace(title, "<title>{{ page.title | striptags }} · {{ config.site_name }}</title>"), encoding="utf-8"
    )
    config = site.root / "mkdocs.yml"
    config.write_text(re.sub(r"custom_dir: .*", "custom_dir: overrides", config.read_text(encoding="utf-8")), encoding="utf-8")
    errors = site.build_fails()
    assert "base.html:1: Die Anpassung „Seitentitel im Browser-Tab maskiert“ passt nicht mehr auf die Vorlage „base.html“" in errors
    assert f"die Stelle „{title}“ wurde nicht gefunden" in errors
    assert "plugins/rundbrief/adapter/patches.py" in errors
    assert not (site.out / "index.html").exists()


def _built(out: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, without the one line that names the generator."""
    return {
        path.relative_to(out).as_posix(): re.sub(rb'<meta name="generator" content="[^"]*">', b"", path.read_bytes())
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.suffix != ".gz"  # gzip stores the time of compression
    }


@pytest.mark.properdocs
def test_properdocs_builds_the_same_site(sample):
    """`properdocs build`, the command of MkDocs' maintained fork, runs the plugins and Material's
    templates as MkDocs does: the same files with the same bytes, only the generator differs."""
    mkdocs_site = _built(sample.build())
    shutil.rmtree(sample.out)
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=sample.root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert 'content="mkdocs-ProperDocs' in (sample.out / "index.html").read_text(encoding="utf-8")
    properdocs_site = _built(sample.out)
    assert sorted(properdocs_site) == sorted(mkdocs_site)
    assert [path for path in mkdocs_site if properdocs_site[path] != mkdocs_site[path]] == []


@pytest.mark.properdocs
def test_properdocs_fails_a_build_with_the_editors_message(site):
    site.write("newsletters/2024-12-13-x.md", """
        ---
        title: Ausgabe
        date: 2024-02-30
        ---
        Text
        """)
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml"],
        cwd=site.root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert "newsletters/2024-12-13-x.md:3: „date: 2024-02-30“ ist kein gültiges Datum." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sites_are_built_by_the_generator_of_the_run(built_sample):
    """`tests/run` runs the site builds a second time with RUNDBRIEF_PROPERDOCS=1: on ProperDocs."""
    generator = re.search(r'<meta name="generator" content="([^"]*)">', built_sample.html("index.html"))
    assert generator is not None
    assert generator[1].startswith("mkdocs-ProperDocs " if PROPERDOCS else "mkdocs-1.6.1")
