"""The showcase: the map of the Länder, portraits, the start page, the public-site duties."""

from __future__ import annotations

import re

from content import issue, profile


def test_directory_map_has_16_laender_shaded_and_linked(site):
    profile(site, "karad", title="KArAD", front="tags: [Mobilität]\n")
    profile(site, "anker", title="ANKER", front="tags: [Alleinerziehende]\n")
    profile(site, "geste", title="Geste", state="Niedersachsen")
    profile(site, "wuerzburg", title="Würzburg", state="Bayern")
    site.build()
    html = site.html("projects/")
    svg = re.search(r"<svg class=\"rb-map__svg\".*?</svg>", html, re.S).group(0)
    names = re.findall(r'aria-label="([^"]+)"', svg)[1:]  # the first names the map itself
    assert len(names) == 16
    assert "Nordrhein-Westfalen: 2 Projekte" in names and "Thüringen: keine Projekte" in names
    assert "Baden-Württemberg: keine Projekte" in names  # the package's "Baden-Wurttemberg", corrected
    links = {href: shade for shade, href in re.findall(r'<a class="rb-map__land rb-map__land--(\d)" href="(#[^"]+)"', svg)}
    assert links == {"#land-nordrhein-westfalen": "4", "#land-niedersachsen": "2", "#land-bayern": "2"}
    for target in links:  # each link leads to the Land's group, which names its projects in text
        assert f'<h2 id="{target[1:]}">' in html
    assert '<h2 id="land-bayern">Bayern <span class="rb-state__count">(1)</span></h2>' in html
    assert "CC BY 4.0" in html and "svg-maps" in html  # the licence's attribution


def test_directory_filters_are_data_for_a_script_the_page_works_without(site):
    profile(site, "karad", title="KArAD", front="tags: [Mobilität, Aufsuchende Arbeit]\n")
    site.build()
    html = site.html("projects/")
    assert '<form class="rb-filter" hidden' in html  # shown by the script only
    assert "<option>Nordrhein-Westfalen</option>" in html and "<option>Mobilität</option>" in html
    assert '<li data-state="Nordrhein-Westfalen" data-themes="[&#34;Mobilit\\u00e4t&#34;, &#34;Aufsuchende Arbeit&#34;]">' in html
    assert (site.out / "assets/javascripts/directory.js").is_file()
