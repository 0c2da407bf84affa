"""Site-wide promises: German typography, escaped front matter, the footer, no third-party requests."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

from content import issue, profile


def test_sample_site_builds_without_warnings(sample):
    sample.build()  # the autouse fixture fails the test on any warning
    assert (sample.out / "newsletters" / "2024-12-13-die-vernetzungsstelle-informiert" / "index.html").exists()
    assert len(list((sample.out / "projects").glob("*/index.html"))) >= 4


def test_gender_star_stays_literal_and_emphasis_works(site):
    profile(site)
    issue(site, body="""
        Danke an alle Mitstreiter*innen und Vertreter*innen, **fett** und *kursiv*, „Zitat“ – e.V.

        ## Vorgestellt

        ### Für Akteur*innen

        Text über [KArAD](../projects/karad.md).
        """)
    site.build()
    html = site.html("newsletters/2024-12-13/")
    assert ("<p>Danke an alle Mitstreiter*innen und Vertreter*innen, <strong>fett</strong> und "
            "<em>kursiv</em>, „Zitat“ – e.V.</p>") in html
    assert ">Für Akteur*innen<" in html
    assert 'id="fuer-akteur-innen"' in html


def test_markup_in_front_matter_is_escaped_everywhere(site):
    evil = '<script>alert(1)</script> & "Co"'
    profile(site, title=f"'{evil}'", front="short: '<b>KArAD</b>'\n")  # markup in themes: test_input.py
    site.write("projects/karad.md", (site.root / "projects/karad.md").read_text().replace(
        "organisation: low-tec", "organisation: '<em>low-tec</em>'"))
    issue(site, title=f"'{evil}'", front=f"description: '{evil}'\n")
    site.build()
    for page in site.pages():
        html = page.read_text(encoding="utf-8")
        for raw in ("<script>alert(1)", "<b>KArAD</b>", "<em>low-tec</em>"):
            assert raw not in html, page
    issue_page = site.html("newsletters/2024-12-13/")
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;"
    assert f'<h1 id="inhalt">{escaped}</h1>' in issue_page
    assert f"<title>{escaped} (13. Dezember 2024) - " in issue_page
    assert f'<meta name="description" content="{escaped}">' in issue_page
    assert escaped in site.html("newsletters/") and escaped in site.html("index.html")
    assert "&lt;b&gt;KArAD&lt;/b&gt;" in site.html("projects/")
    assert "&lt;em&gt;low-tec&lt;/em&gt;" in site.html("projects/karad/")


def test_footer_on_every_page(built_sample):
    pages = built_sample.pages()
    assert len(pages) > 15
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer class="md-footer">'):]
        assert re.search(r'<img class="rb-logo" src="[./]*/?assets/images/eu-emblem.svg"', footer), page
        assert "<span>Kofinanziert von der Europäischen Union</span>" in footer, page
        assert "Gefördert durch: Bundesministerium für Arbeit und Soziales" in footer, page
        for label, url in (("Impressum", "impressum/"), ("Datenschutz", "datenschutz/"),
                           ("Barrierefreiheit", "barrierefreiheit/")):
            assert re.search(rf'<a href="([^"]*{url}|\./)">{label}</a>', footer), (page, label)


def test_funder_logo_is_configurable(site):
    site.write("content/assets/images/bmas.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    (site.root / "mkdocs.yml").write_text((site.root / "mkdocs.yml").read_text().replace(
        "  - rundbrief:\n", "  - rundbrief:\n      funding:\n        funder_logo: assets/images/bmas.svg\n"))
    site.build()
    html = site.html("index.html")
    assert '<img class="rb-logo" src="assets/images/bmas.svg" alt="Bundesministerium für Arbeit und Soziales"' in html
    (site.root / "content/assets/images/bmas.svg").unlink()
    assert "Die Datei „assets/images/bmas.svg“ aus der Einstellung „rundbrief: funding.funder_logo“ fehlt" in site.build_fails()


class _Requests(HTMLParser):
    """Collects every URL a browser would fetch on its own when loading a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed", "track", "input"}:
            self.urls += [v for k, v in attrs if k in {"src", "poster"} and v]
        if tag == "object" and values.get("data"):
            self.urls.append(values["data"] or "")
        if tag == "link" and not {"alternate", "canonical", "prev", "next"} & set((values.get("rel") or "").split()):
            self.urls.append(values.get("href") or "")
        for k, v in attrs:
            if k in {"srcset", "imagesrcset"} and v:
                self.urls += [part.split()[0] for part in v.split(",") if part.strip()]
            if k == "style" and v:
                self.urls += re.findall(r"url\(['\"]?([^'\")]+)", v)


def test_no_request_to_a_third_party_host(built_sample):
    requests = []
    for page in built_sample.pages():
        parser = _Requests()
        html = page.read_text(encoding="utf-8")
        parser.feed(html)
        requests += [(page, url) for url in parser.urls]
        requests += [(page, url) for url in re.findall(r"@import\s+url\(['\"]?([^'\")]+)", html)]
    for css in built_sample.out.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        requests += [(css, url) for url in re.findall(r"url\(['\"]?([^'\")]+)", text)]
    assert len(requests) > 50  # stylesheets, scripts and logos were seen
    third_party = [(str(where), url) for where, url in requests
                   if urlsplit(url).netloc and urlsplit(url).netloc != "www.aktif-vernetzt.de"]
    assert third_party == []
    assert not any("fonts.googleapis" in p.read_text(encoding="utf-8") for p in built_sample.pages())


def test_core_imports_nothing_of_mkdocs():
    code = (
        "import importlib, pkgutil, sys, rundbrief.core as core;"
        "names = [m.name for m in pkgutil.iter_modules(core.__path__)];"
        "[importlib.import_module('rundbrief.core.' + name) for name in names];"
        "assert {'content', 'feeds', 'linkedin', 'cards', 'importer', 'review'} <= set(names), names;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
