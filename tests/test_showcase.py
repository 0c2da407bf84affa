"""The showcase: the map of the Länder, portraits, the start page, the public-site duties."""

from __future__ import annotations

import re

from PIL import Image

from content import ISSUE_BODY, issue, profile
from photos import photo
from rundbrief.core.cards import PICTURE_WIDTH


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


def test_portrait_item_shows_the_profiles_facts(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site, "karad", title="KArAD", front=(
        "image: assets/images/bus.jpg\nimage_alt: Ein bunter Bus\ntags: [Mobilität]\nwebsite: https://www.low-tec.de/\n"))
    profile(site, "anker", title="ANKER")
    issue(site, body="""
        ## Vorgestellt

        ### KArAD stellt sich vor

        Text über [KArAD](../projects/karad.md).

        ## Vernetzt

        ### Treffen

        Mit [ANKER](../projects/anker.md).
        """)
    site.build()
    html = site.html("newsletters/2024-12-13/")
    portraits = re.findall(r'<aside class="rb-portrait".*?</aside>', html, re.S)
    assert len(portraits) == 1  # only the portrait section's item, not the one under "Vernetzt"
    portrait = portraits[0]
    assert html.index('id="karad-stellt-sich-vor"') < html.index(portrait) < html.index("Text über")
    assert 'aria-label="Steckbrief: KArAD"' in portrait
    assert '<a href="../../projects/karad/">KArAD</a>' in portrait
    for fact in ("<dt>Träger</dt> <dd>low-tec</dd>", "<dt>Ort</dt> <dd>Düren</dd>", "<dt>Land</dt> <dd>Nordrhein-Westfalen</dd>",
                 '<a href="../../themen/mobilitaet/">Mobilität</a>', '<a href="https://www.low-tec.de/">'):
        assert fact in portrait
    assert re.search(r'<picture class="rb-picture rb-portrait__image">.*alt="Ein bunter Bus"', portrait)
    assert "rundbrief:portrait" not in html


def test_start_page_shows_newest_issue_picture_portrait_cards_and_map(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site, "karad", title="KArAD")
    issue(site, "neu", date="2024-12-13", title="Neue Ausgabe", front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    issue(site, "alt", date="2024-06-01", title="Alte Ausgabe", front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    site.build()
    html = site.html("")
    latest = html.split('id="neueste-ausgabe"', 1)[1].split('id="weitere-ausgaben"', 1)[0]
    assert re.search(r'<picture class="rb-picture rb-latest__image">.*?alt="Ein Bus">', latest)
    assert 'loading="lazy"' not in latest.split("</picture>", 1)[0]
    assert 'aria-label="Steckbrief: KArAD"' in latest
    cards = html.split('id="weitere-ausgaben"', 1)[1]
    assert re.search(r'<div class="rb-card">\s*<picture class="rb-picture rb-card__image">.*?alt="" loading="lazy"', cards, re.S)
    assert "Alte Ausgabe" in cards
    assert 'href="projects/#land-nordrhein-westfalen" aria-label="Nordrhein-Westfalen: 1 Projekt"' in html


def test_header_shows_the_wordmark_not_the_logo_image(built_site):
    header = built_site.html("").split('<header class="md-header', 1)[1].split("</header>", 1)[0]
    assert '<span class="rb-wordmark">Akti(F) Plus</span>' in header
    assert "<img" not in header


def test_social_cards_show_the_picture_and_the_portrait(site):
    photo(site.root / "content/assets/images/bus.jpg", orientation=1)
    profile(site, "karad", title="KArAD")
    profile(site, "anker", title="ANKER", front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    profile(site, "ohne", title="Ohne Bild")
    issue(site, "a", date="2024-12-13", title="Die Vernetzungsstelle informiert")
    issue(site, "b", date="2024-12-13", title="Die Vernetzungsstelle informiert", body=ISSUE_BODY.replace("karad", "anker"))
    issue(site, "c", date="2024-12-13", title="Die Vernetzungsstelle informiert",
          front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    out = site.build()
    cards = {name: Image.open(out / f"assets/cards/newsletters/{name}.jpg").convert("RGB") for name in "abc"}
    assert len({card.tobytes() for card in cards.values()}) == 3  # same title and date, three cards
    # The picture fills the card's right part: red and blue from the photo, not the card's background
    right = cards["c"].crop((1200 - PICTURE_WIDTH, 0, 1200, 627)).getcolors(1_000_000)
    assert max(right)[1][0] > 180 or max(right)[1][2] > 180
    assert 'content="Die Vernetzungsstelle informiert – 13. Dezember 2024 – Vorgestellt: ANKER, Düren – ' in site.html("newsletters/b/")
    with_photo = Image.open(out / "assets/cards/projects/anker.jpg").convert("RGB")
    without = Image.open(out / "assets/cards/projects/ohne.jpg").convert("RGB")
    assert with_photo.getpixel((1100, 300)) != without.getpixel((1100, 300))


def test_leichte_sprache_and_sign_language_pages_are_linked_from_start_page_and_footer(built_site):
    start = built_site.html("")
    accessible = start.split('<nav class="rb-accessible"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="leichte-sprache/">Leichte Sprache</a>' in accessible
    assert '<a href="gebaerdensprache/">Gebärdensprache</a>' in accessible
    for page in built_site.pages():
        if page.name == "index.html" and "linkedin" not in page.parts:
            footer = page.read_text(encoding="utf-8").split('<footer class="md-footer">', 1)[1]
            assert ">Leichte Sprache</a>" in footer and ">Gebärdensprache</a>" in footer, page
    easy = built_site.html("leichte-sprache/")
    assert '<div class="rb-easy-language">' in easy and "Vernetzungs-Stelle" in easy
    sign = built_site.html("gebaerdensprache/")
    assert '<p class="admonition-title">Das Video folgt</p>' in sign
    assert "<video" not in sign  # never a fake video


def test_sign_language_video_with_captions(site):
    (site.root / "content/assets/dgs").mkdir(parents=True)
    (site.root / "content/assets/dgs/erklaerung.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (site.root / "content/assets/dgs/erklaerung.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n")
    page = site.root / "content/gebaerdensprache.md"
    page.write_text(page.read_text().replace("# video:", "video:").replace("# captions:", "captions:"))
    site.build()
    sign = site.html("gebaerdensprache/")
    assert '<source src="../assets/dgs/erklaerung.mp4">' in sign
    assert '<track kind="captions" srclang="de" label="Deutsch" src="../assets/dgs/erklaerung.vtt" default>' in sign
    assert "Das Video folgt" not in sign


def test_sign_language_video_errors(site):
    page = site.root / "content/gebaerdensprache.md"
    text = page.read_text()
    page.write_text(text.replace("# video: assets/dgs/erklaerung.mp4", "video: https://www.youtube.com/watch?v=x"))
    errors = site.build_fails()
    assert ("content/gebaerdensprache.md:4: „video: https://www.youtube.com/watch?v=x“ ist kein Video in diesem Ordner. "
            "Erlaubt ist eine MP4- oder WebM-Datei") in errors
    assert "content/gebaerdensprache.md:4: Zum Video fehlen die Untertitel „captions: …“. Erlaubt ist eine WebVTT-Datei" in errors
    assert "Traceback" not in errors


def test_missing_accessible_page_is_a_config_problem(site):
    (site.root / "content/leichte-sprache.md").unlink()
    errors = site.build_fails()
    assert "Die Datei „leichte-sprache.md“ aus der Einstellung „rundbrief: easy_language_page“ fehlt in content/." in errors


def test_eu_emblem_and_statement_above_the_header_on_every_page(built_site):
    for page in built_site.pages():
        html = page.read_text(encoding="utf-8")
        if "md-header" not in html:
            continue
        top = html.split('<header class="md-header', 1)[0]
        assert re.search(r'<p class="rb-eu-notice">\s*<img src="[^"]*eu-emblem\.svg" alt="" width="48" height="32">\s*'
                         r"<span>Kofinanziert von der Europäischen Union</span>", top), page


def test_feeds_carry_no_portrait_marker(built_sample):
    assert "rundbrief:portrait" not in (built_sample.out / "feed.xml").read_text(encoding="utf-8")
    assert 'aria-label="Steckbrief: KArAD"' in built_sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")
