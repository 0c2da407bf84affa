"""The pages built from issues and profiles: issue, archive, directory, themes, profile, start page."""

from __future__ import annotations

import re

from content import issue, profile

THREE_ISSUES = {
    "2023-11-30-herbst": ("2023-11-30", "Herbstausgabe", "Teaser aus dem Herbst."),
    "2024-05-29-auftakt": ("2024-05-29", "Auftakt", "Teaser zum Auftakt."),
    "2024-12-13-jahresende": ("2024-12-13", "Jahresende", "Teaser zum Jahresende."),
}


def _three_issues(site):
    profile(site)
    for name, (date, title, description) in THREE_ISSUES.items():
        issue(site, name, date=date, title=title, front=f"description: {description}\n")


def test_issue_page(site):
    profile(site)
    profile(site, "anker-plus", title="ANKER Plus")
    issue(site, body="""
        Einleitung.

        ## Vorgestellt

        ### KArAD: Mit dem Bus zu den Familien

        Text über [KArAD](../projects/karad.md).

        ## Vernetzt

        ### Treffen in Bremen

        Bericht.

        ### Treffen in Bremen

        Noch ein Bericht, gleiche Überschrift.

        ## Umgeschaut

        ### Größe zeigen

        Ein Fund von [ANKER Plus](../projects/anker-plus.md).
        """)
    site.build()
    html = site.html("newsletters/2024-12-13/")
    assert '<h1 id="inhalt">Ausgabe</h1>' in html
    assert '<time datetime="2024-12-13">13. Dezember 2024</time>' in html
    headings = re.findall(r'<h([23]) id="([^"]+)">', html)
    assert headings == [
        ("2", "vorgestellt"), ("3", "karad-mit-dem-bus-zu-den-familien"),
        ("2", "vernetzt"), ("3", "treffen-in-bremen"), ("3", "treffen-in-bremen-2"),
        ("2", "umgeschaut"), ("3", "groesse-zeigen"),
    ]
    assert '<a href="../../projects/karad/">KArAD</a>' in html
    assert ">Größe zeigen<" in html  # umlauts and ß intact in the text, transliterated only in the anchor


def test_previous_and_next_issue(site):
    _three_issues(site)
    site.build()
    middle = site.html("newsletters/2024-05-29-auftakt/")
    assert re.search(r'rel="prev" href="../2023-11-30-herbst/">.*?Herbstausgabe', middle, re.S)
    assert re.search(r'rel="next" href="../2024-12-13-jahresende/">.*?Jahresende', middle, re.S)
    assert 'rel="next"' not in site.html("newsletters/2024-12-13-jahresende/").split("md-content")[1]
    assert 'rel="prev"' not in site.html("newsletters/2023-11-30-herbst/").split("md-content")[1]


def test_archive_grouped_by_year_newest_first(site):
    _three_issues(site)
    site.build()
    html = site.html("newsletters/")
    years = re.findall(r'<h2 id="jahr-(\d+)">', html)
    assert years == ["2024", "2023"]
    titles = re.findall(r'rb-teaser__title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Jahresende", "Auftakt", "Herbstausgabe"]
    assert html.index("jahr-2024") < html.index("Jahresende") < html.index("jahr-2023") < html.index("Herbstausgabe")
    for _, _, description in THREE_ISSUES.values():
        assert description in html


def test_directory_grouped_by_state(site):
    profile(site, "karad", title="KArAD", front="tags: [Mobilität]\n")
    profile(site, "stadtteileltern", title="Bremer Stadtteileltern", state="Bremen", front="tags: [Elternarbeit, Mobilität]\n")
    profile(site, "anker", title="ANKER Plus")
    site.build()
    html = site.html("projects/")
    states = re.findall(r'<h2 id="land-[a-z-]+">([^<]+?) <span', html)
    assert states == ["Bremen", "Nordrhein-Westfalen"]
    nrw = html[html.index('<h2 id="land-nordrhein-westfalen">'):]
    assert nrw.index("ANKER Plus") < nrw.index("KArAD")
    assert "low-tec, Düren" in html
    assert '<a class="md-tag" href="../themen/mobilitaet/">Mobilität</a>' in html


def test_theme_pages_list_their_projects(site):
    profile(site, "karad", title="KArAD", front="tags: [Mobilität]\n")
    profile(site, "stadtteileltern", title="Bremer Stadtteileltern", state="Bremen", front="tags: [Elternarbeit, Mobilität]\n")
    site.build()
    theme = site.html("themen/mobilitaet/")
    assert '<h1 id="inhalt">Thema: Mobilität</h1>' in theme
    listed = re.findall(r'<a href="../../projects/([^/]+)/">', theme)
    assert listed == ["stadtteileltern", "karad"]  # by title, as in the directory
    assert "low-tec, Düren" in theme
    elternarbeit = site.html("themen/elternarbeit/")
    assert re.findall(r'<a href="../../projects/([^/]+)/">', elternarbeit) == ["stadtteileltern"]
    # a theme on a profile leads to the theme's page
    assert '<nav class="md-tags" aria-label="Themen">' in site.html("projects/karad/")
    assert '<a class="md-tag" href="../../themen/mobilitaet/">Mobilität</a>' in site.html("projects/karad/")


def test_profile_lists_every_mention_newest_first(site):
    profile(site, front="short: KArAD\nwebsite: https://www.low-tec.de\nemail: karad@example.org\n",
            title="Kooperationen zu Armutsbekämpfung in Düren")
    issue(site, "alt", date="2024-05-29", title="Alte Ausgabe",
          body="\nIm Intro: [KArAD](../projects/karad.md).\n\n## Vernetzt\n\n### Treffen\n\nMit [KArAD](../projects/karad.md) und [noch mal](../projects/karad.md).\n")
    issue(site, "neu", date="2024-12-13", title="Neue Ausgabe")
    issue(site, "ohne", date="2024-09-01", title="Ohne Erwähnung", body="\n## Vernetzt\n\n### Etwas anderes\n\nText.\n")
    site.build()
    html = site.html("projects/karad/")
    mentions = html[html.index('id="erwaehnt-in"'):html.index("</ul>", html.index('id="erwaehnt-in"'))]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', mentions)
    assert links == [
        ("../../newsletters/neu/#karad-stellt-sich-vor", "Neue Ausgabe: KArAD stellt sich vor"),
        ("../../newsletters/alt/", "Alte Ausgabe"),
        ("../../newsletters/alt/#treffen", "Alte Ausgabe: Treffen"),
    ]
    assert "13. Dezember 2024" in mentions and "29. Mai 2024" in mentions
    assert "Ohne Erwähnung" not in html
    assert "<dd>low-tec</dd>" in html and "<dd>Düren (Nordrhein-Westfalen)</dd>" in html
    assert '<a href="https://www.low-tec.de">' in html and 'href="mailto:karad@example.org"' in html


def test_profile_without_mentions(site):
    profile(site)
    site.build()
    assert "Bisher in keiner Ausgabe erwähnt." in site.html("projects/karad/")


def test_start_page(site):
    _three_issues(site)
    site.configure("")
    site.build()
    html = site.html("index.html")
    latest = html[html.index('id="neueste-ausgabe"'):html.index('id="weitere-ausgaben"')]
    assert "Jahresende" in latest and "13. Dezember 2024" in latest and "Teaser zum Jahresende." in latest
    assert '<a href="newsletters/2024-12-13-jahresende/#karad-stellt-sich-vor">KArAD stellt sich vor</a>' in latest
    recent = html[html.index('id="weitere-ausgaben"'):]
    assert recent.index("Auftakt") < recent.index("Herbstausgabe")
    assert '<a href="newsletters/">Alle Ausgaben im Archiv</a>' in html
    assert '<a href="projects/">Alle Projekte nach Bundesland</a>' in html


def test_recent_issue_count_is_configurable(site):
    _three_issues(site)
    (site.root / "mkdocs.yml").write_text(
        (site.root / "mkdocs.yml").read_text().replace("  - rundbrief:\n", "  - rundbrief:\n      recent_issues: 1\n")
    )
    site.build()
    recent = site.html("index.html").split('id="weitere-ausgaben"')[1]
    assert "Auftakt" in recent and "Herbstausgabe" not in recent


def _sections(site, options: str) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - rundbrief:\n", f"  - rundbrief:\n{options}"))


def test_sections_are_configurable(site):
    _sections(site, "      sections: [Aktuelles, Termine]\n      portrait_section: Termine\n")
    issue(site, body="\n## Aktuelles\n\n### Neu\n\nText.\n\n## Termine\n\n### Bald\n\nText.\n")
    site.build()
    html = site.html("newsletters/2024-12-13/")
    assert '<h2 id="aktuelles">' in html and '<h2 id="termine">' in html
    assert (site.out / "linkedin" / "2024-12-13" / "bald.txt").is_file()  # the portraits' section has posts
    assert not (site.out / "linkedin" / "2024-12-13" / "neu.txt").exists()
    issue(site, body="\n## Vorgestellt\n\n### A\n\nText.\n")
    errors = site.build_fails()
    assert "Unbekannter Abschnitt „Vorgestellt“. Erlaubt sind: Aktuelles, Termine (in dieser Reihenfolge)." in errors


def test_the_portrait_section_must_be_a_section(site):
    _sections(site, "      sections: [Aktuelles, Termine]\n")
    errors = site.build_fails()
    assert ("mkdocs.yml:1: „rundbrief: portrait_section: Vorgestellt“ ist keiner der Abschnitte. "
            "Erlaubt ist einer aus „sections“: Aktuelles, Termine.") in errors


def test_drafts_appear_nowhere(site):
    profile(site)
    issue(site, "veroeffentlicht", title="Veröffentlicht")
    issue(site, "entwurf", date="2025-01-10", title="Geheimer Entwurf", front="draft: true\n")
    site.build()
    assert not (site.out / "newsletters" / "entwurf").exists()
    for file in site.out.rglob("*"):
        if file.is_file() and file.suffix in {".html", ".xml", ".json", ".txt"}:
            text = file.read_text(encoding="utf-8")
            assert "Geheimer Entwurf" not in text and "entwurf/" not in text, file
    assert "Veröffentlicht" in site.html("newsletters/")


def test_navigation_stays_small(built_sample):
    html = built_sample.html("index.html")
    tabs = re.findall(r'class="md-tabs__link[^"]*">\s*([^<]+?)\s*</a>', html)
    assert tabs == ["Start", "Ausgaben", "Projekte", "Über das Programm", "Kontakt"]
    start = html.index('class="md-nav md-nav--primary')
    nav = html[start:html.index("</nav>", start)]
    links = re.findall(r'class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)
    assert links == tabs
