"""LinkedIn texts, copy pages, Open Graph tags and social cards, checked on built sites."""

from __future__ import annotations

import re
import shutil
import textwrap

import font_source_sans_pro
import pytest
from click.testing import CliRunner
from fontTools import subset
from PIL import Image

from conftest import Site, slow_but
from content import issue, plugins, profile
from rundbrief.cli.main import main
from rundbrief.core.cards import DEFAULT_FONT, missing_glyphs
from search_index import indexed

SITE = "https://www.aktif-vernetzt.de/"
HASHTAGS = "#AktiFPlus #ESFPlus #Familienarmut"


def _configure(site, options: str) -> None:
    """Sets the options of `linkedin:` under `- rundbrief:`, indented as they are below `- rundbrief:`."""
    config = (site.root / "mkdocs.yml").read_text()
    start = config.index("      linkedin:\n")
    end = config.index("\n\n", start) + 1
    (site.root / "mkdocs.yml").write_text(config[:start] + "      linkedin:\n" + textwrap.indent(options, "  ") + config[end:])


def _long_issue(site, items: int = 40) -> None:
    profile(site)
    sections = {"Vorgestellt": items // 4, "Vernetzt": items // 2, "Umgeschaut": items - items // 4 - items // 2}
    body = ["Intro."]
    n = 0
    for name, count in sections.items():
        body.append(f"\n## {name}\n")
        for _ in range(count):
            n += 1
            body.append(f"### Beitrag {n} über Familien\n\nDer Beitrag {n} erzählt von einem Treffen mit "
                        f"Mitstreiter*innen in der Region. Er hat einen zweiten Satz, der länger ist, damit die "
                        f"Beiträge zusammen deutlich mehr als dreitausend Zeichen ergeben. Ein dritter Satz.\n")
    issue(site, "lang", title="Eine lange Ausgabe", front="description: Vierzig Beiträge in einer Ausgabe.\n",
          body="\n".join(body))


def test_issue_post_of_a_long_issue_fits(site):
    _long_issue(site)
    site.build()
    text = (site.out / "linkedin" / "lang.txt").read_text(encoding="utf-8")
    assert len(text) <= 3000
    assert len(text) > 2500  # shortened, not emptied
    assert f"Zur Ausgabe: {SITE}newsletters/lang/\n\n{HASHTAGS}\n" in text
    assert text.endswith(HASHTAGS + "\n")
    assert "– Beitrag 1 über Familien. Der Beitrag 1 erzählt" in text
    assert "– Beitrag 40 über Familien" not in text
    assert "… und weitere Beiträge in der Ausgabe." in text
    # whole lines dropped: every item line ends a sentence
    assert all(line.endswith((".", "!", "?")) for line in text.splitlines() if line.startswith("– "))


def test_post_structure(built_sample):
    text = (built_sample.out / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("Ein bunter Bus in Düren")
    assert lines[2] == "Die Vernetzungsstelle informiert (13. Dezember 2024)"
    assert lines.index("Vorgestellt") < lines.index("Vernetzt") < lines.index("Umgeschaut")
    assert "– Bremer und Bremerhavener Projekte an einem Tisch. Anfang November 2024 haben die Bremer Stadtteileltern" in text


def test_hook_at_most_210_characters(site):
    profile(site)
    long_sentence = "Ein sehr langer erster Satz " + "mit vielen Wörtern " * 15 + "endet hier."
    issue(site, "a", front=f"description: {long_sentence} Zweiter Satz.\n")
    two = "Der erste Satz ist kurz und sagt, worum es geht. " + "Der zweite Satz führt weiter aus, was geschah, und ist lang genug, um das Ziel von 140 Zeichen zu sprengen."
    issue(site, "b", date="2024-12-14", front=f"description: {two}\n")
    site.build()
    hook_a = (site.out / "linkedin" / "a.txt").read_text(encoding="utf-8").splitlines()[0]
    assert len(hook_a) <= 210 and hook_a.endswith("…") and hook_a.startswith("Ein sehr langer erster Satz mit")
    hook_b = (site.out / "linkedin" / "b.txt").read_text(encoding="utf-8").splitlines()[0]
    assert hook_b == "Der erste Satz ist kurz und sagt, worum es geht."  # whole sentences, aiming at 140


def test_item_without_text(site):
    profile(site)
    issue(site, body="\n## Vernetzt\n\n### Nur eine Überschrift\n\n### Zweiter Beitrag\n\nMit Text.\n")
    site.build()
    text = (site.out / "linkedin" / "2024-12-13.txt").read_text(encoding="utf-8")
    assert "– Nur eine Überschrift\n– Zweiter Beitrag. Mit Text.\n" in text


def test_hook_without_description_is_the_title(site):
    profile(site)
    issue(site, title="Neues aus den Projekten")
    site.build()
    assert (site.out / "linkedin" / "2024-12-13.txt").read_text(encoding="utf-8").startswith("Neues aus den Projekten\n")


def test_clean_text(site):
    profile(site)
    issue(site, front="description: 'Für **alle** Mitstreiter*innen &amp; Vertreter*innen'\n", body="""
        ## Vorgestellt

        ### KArAD & „der Bus“ für Akteur*innen

        Mit **fett**, *kursiv*, `Code`, <b>HTML</b>, [KArAD](../projects/karad.md) &amp; 𝗳𝗮𝗹𝘀𝗰𝗵𝗲𝗺 𝗙𝗲𝘁𝘁 für Mitstreiter*innen.
        """)
    site.build()
    for path in ("linkedin/2024-12-13.txt", "linkedin/2024-12-13/karad-der-bus-fuer-akteur-innen.txt"):
        text = (site.out / path).read_text(encoding="utf-8")
        for remnant in ("**", "`", "<", ">", "](", "&amp;", "&quot;", "&#"):
            assert remnant not in text, (path, remnant)
        assert not re.search("[\U0001d400-\U0001d7ff]", text), path
        assert "Mit fett, kursiv, Code, HTML, KArAD & falschem Fett für Mitstreiter*innen." in text, path
        assert "KArAD & „der Bus“ für Akteur*innen" in text, path
    assert (site.out / "linkedin/2024-12-13.txt").read_text(encoding="utf-8").startswith(
        "Für alle Mitstreiter*innen & Vertreter*innen\n")


def test_hashtags_and_utm_from_config(site):
    profile(site)
    issue(site)
    _configure(site, '      hashtags: ["#Familie", "#Vernetzung", "#ESFPlus", "#Vernetzung2024"]\n'
                     "      utm: {utm_source: linkedin, utm_medium: social}\n")
    site.build()
    text = (site.out / "linkedin" / "2024-12-13.txt").read_text(encoding="utf-8")
    assert text.endswith("#Familie #Vernetzung #ESFPlus #Vernetzung2024\n")
    assert f"Zur Ausgabe: {SITE}newsletters/2024-12-13/?utm_source=linkedin&utm_medium=social\n" in text
    item = (site.out / "linkedin" / "2024-12-13" / "karad-stellt-sich-vor.txt").read_text(encoding="utf-8")
    assert f"{SITE}newsletters/2024-12-13/?utm_source=linkedin&utm_medium=social#karad-stellt-sich-vor\n" in item


def test_invalid_hashtags_fail_the_build(site):
    _configure(site, '      hashtags: ["#aktifplus", "#ESFPlus"]\n')
    errors = site.build_fails()
    assert "mkdocs.yml:1: „linkedin: hashtags“: 3 bis 5 Hashtags sind erlaubt, angegeben sind 2." in errors
    _configure(site, '      hashtags: ["#aktifplus", "#ESFPlus", "#Familien"]\n')
    errors = site.build_fails()
    assert "„#aktifplus“ ist kein Hashtag in CamelCase." in errors


def test_a_post_per_portrait(built_sample):
    folder = built_sample.out / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert"
    assert sorted(p.name for p in folder.glob("*.txt")) == ["karad-mit-dem-bunten-bus-zu-den-familien.txt"]
    text = (folder / "karad-mit-dem-bunten-bus-zu-den-familien.txt").read_text(encoding="utf-8")
    assert text.startswith("KArAD: Mit dem bunten Bus zu den Familien\n\nKArAD steht für „Kooperationen")
    assert f"{SITE}newsletters/2024-12-13-die-vernetzungsstelle-informiert/#karad-mit-dem-bunten-bus-zu-den-familien" in text
    assert text.endswith(HASHTAGS + "\n") and len(text) <= 3000
    assert not list((built_sample.out / "linkedin" / "2024-06-25-auftakt").glob("*.txt"))  # no Vorgestellt section


def test_long_portrait_is_shortened_at_sentences(site):
    profile(site)
    sentence = "Das Projekt begleitet Familien auf dem Weg zu Kita, Jobcenter und Beratung, Schritt für Schritt. "
    issue(site, body=f"\n## Vorgestellt\n\n### Porträt\n\n{sentence * 60}\n")
    site.build()
    text = (site.out / "linkedin" / "2024-12-13" / "portraet.txt").read_text(encoding="utf-8")
    assert len(text) <= 3000
    body = text.split("\n\n")[1]
    assert body.endswith("Schritt für Schritt.")
    assert text.endswith(HASHTAGS + "\n") and f"{SITE}newsletters/2024-12-13/#portraet" in text


def test_copy_page(built_sample):
    html = built_sample.html("linkedin/2024-12-13-die-vernetzungsstelle-informiert/")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    posts = re.findall(r'<pre class="rb-post__text" id="(text-\d)" tabindex="0">(.*?)</pre>', html, re.S)
    assert [post_id for post_id, _ in posts] == ["text-1", "text-2"]
    assert re.findall(r'data-clipboard-target="#(text-\d)"', html) == ["text-1", "text-2"]
    issue_text = (built_sample.out / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert.txt").read_text(encoding="utf-8")
    assert posts[0][1].replace("&#34;", '"').replace("&amp;", "&") == issue_text
    assert "<script src=\"http" not in html
    assert "linkedin/" not in (built_sample.out / "sitemap.xml").read_text()
    assert indexed(built_sample.out) and not [url for url in indexed(built_sample.out) if "linkedin/" in url]
    assert "linkedin" not in built_sample.html("index.html").split('class="md-tabs"')[1].split("</nav>")[0]


def test_command_prints_the_post(sample, monkeypatch):
    sample.build()
    monkeypatch.chdir(sample.root)
    runner = CliRunner()
    result = runner.invoke(main, ["linkedin", "2024-12-13-die-vernetzungsstelle-informiert"])
    assert result.exit_code == 0, result.output
    assert result.output == (sample.out / "linkedin" / "2024-12-13-die-vernetzungsstelle-informiert.txt").read_text(encoding="utf-8")
    result = runner.invoke(main, ["linkedin", "2024-12-13-die-vernetzungsstelle-informiert",
                                  "--item", "karad-mit-dem-bunten-bus-zu-den-familien"])
    assert result.exit_code == 0 and result.output.startswith("KArAD: Mit dem bunten Bus")
    result = runner.invoke(main, ["linkedin", "gibt-es-nicht"])
    assert result.exit_code == 1
    assert "Keine Ausgabe „gibt-es-nicht“. Vorhanden: 2024-05-29-beraten-coachen-vernetzen," in result.output


def test_command_makes_every_post_as_the_build_does_without_building(sample, monkeypatch):
    built = Site(sample.root.with_name(f"{sample.root.name}-built"), sample.caplog)
    shutil.copytree(sample.root, built.root)
    built.build()
    monkeypatch.chdir(sample.root)
    runner = CliRunner()
    texts = sorted((built.out / "linkedin").rglob("*.txt"))
    assert len(texts) > 3
    for text in texts:
        name = text.relative_to(built.out / "linkedin")
        args = ["linkedin", name.stem] if len(name.parts) == 1 else ["linkedin", name.parts[0], "--item", name.stem]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.output == text.read_text(encoding="utf-8"), name
    # nothing was built: no site, no card drawn, no page converted
    assert not (sample.root / "site").exists()
    assert not list((sample.root / ".cache" / "rundbrief" / "cards").rglob("*.jpg"))
    assert not (sample.root / ".cache" / "rundbrief" / "rendered").exists()


def test_command_on_content_the_build_refuses_names_each_problem(sample, monkeypatch):
    path = sample.root / "newsletters" / "2024-06-25-auftakt.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-06-25", "date: 2024-13-25"), encoding="utf-8")
    monkeypatch.chdir(sample.root)
    result = CliRunner().invoke(main, ["linkedin", "2024-12-13-die-vernetzungsstelle-informiert"])
    assert result.exit_code == 1
    assert result.output.startswith("Fehler: Die Website lässt sich nicht bauen:\nnewsletters/2024-06-25-auftakt.md:")
    assert "2024-13-25" in result.output


OG = ("og:type", "og:title", "og:description", "og:url", "og:site_name", "og:locale", "og:image",
      "og:image:width", "og:image:height", "og:image:alt")


def _og(html: str) -> dict[str, str]:
    tags = dict(re.findall(r'<meta property="([^"]+)" content="([^"]*)">', html))
    tags.update(re.findall(r'<meta name="(twitter:[^"]+)" content="([^"]*)">', html))
    return tags


def test_open_graph_on_every_page_type(built_sample):
    pages = {
        "index.html": ("website", SITE),
        "newsletters/2024-12-13-die-vernetzungsstelle-informiert/": ("article", SITE + "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"),
        "newsletters/": ("website", SITE + "newsletters/"),
        "projects/": ("website", SITE + "projects/"),
        "projects/karad/": ("website", SITE + "projects/karad/"),
        "themen/mobilitaet/": ("website", SITE + "themen/mobilitaet/"),
        "impressum/": ("website", SITE + "impressum/"),
        "linkedin/2024-12-13-die-vernetzungsstelle-informiert/": ("website", SITE + "linkedin/2024-12-13-die-vernetzungsstelle-informiert/"),
    }
    for page, (kind, url) in pages.items():
        og = _og(built_sample.html(page))
        assert all(og.get(key) for key in OG), (page, og)
        assert og["og:type"] == kind and og["og:url"] == url, page
        assert og["og:locale"] == "de_DE" and og["og:site_name"] == "Akti(F) Plus – Die Vernetzungsstelle informiert"
        assert og["twitter:card"] == "summary_large_image"
        assert og["og:image"].startswith(SITE + "assets/cards/")
        assert (built_sample.out / og["og:image"][len(SITE):]).is_file(), page
        assert (og["og:image:width"], og["og:image:height"]) == ("1200", "627")
    issue_og = _og(built_sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/"))
    assert issue_og["article:published_time"] == "2024-12-13T12:00:00+01:00"  # as in the feeds
    assert issue_og["og:title"] == "Die Vernetzungsstelle informiert (13. Dezember 2024)"  # issues share titles
    assert issue_og["og:description"].startswith("Ein bunter Bus in Düren")
    assert issue_og["og:image"] == SITE + "assets/cards/newsletters/2024-12-13-die-vernetzungsstelle-informiert.jpg"
    assert issue_og["og:image:alt"] == ("Die Vernetzungsstelle informiert – 13. Dezember 2024 – Vorgestellt: KArAD, Düren – "
                                      "Akti(F) Plus – Die Vernetzungsstelle informiert")
    profile_og = _og(built_sample.html("projects/karad/"))
    assert profile_og["og:image"] == SITE + "assets/cards/projects/karad.jpg"
    assert profile_og["og:description"] == "Kooperationen zu Armutsbekämpfung und Arbeitsmarktintegration von Familien in Düren: low-tec, Düren"
    assert "article:published_time" not in profile_og


def test_card_size_and_ratio(built_sample):
    cards = sorted((built_sample.out / "assets" / "cards").rglob("*.jpg"))
    assert len(cards) == 1 + 3 + 4  # site, issues, profiles
    for card in cards:
        with Image.open(card) as image:
            assert image.size == (1200, 627) and image.format == "JPEG"
            assert abs(image.width / image.height - 1.91) < 0.01
            assert len(image.getcolors(1_000_000)) > 10  # text was drawn, not just a coloured area


def test_card_font_has_german_glyphs():
    assert missing_glyphs(DEFAULT_FONT, "ÄÖÜäöüß„“–") == ""


def test_card_font_without_german_glyphs_fails_the_build(site):
    options = subset.Options()
    font = subset.load_font(font_source_sans_pro.SourceSansProBold, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    subsetter.subset(font)
    subset.save_font(font, str(site.root / "ascii.otf"), options)
    assert missing_glyphs(str(site.root / "ascii.otf"), "ÄÖÜäöüß„“–") == "ÄÖÜäöüß„“–"
    _configure(site, "      cards:\n        font: ascii.otf\n")
    errors = site.build_fails()
    assert "Der Schrift „ascii.otf“ fehlen Zeichen, die deutsche Titel brauchen: ÄÖÜäöüß„“–." in errors


def test_cards_are_redrawn_only_when_their_inputs_change(site):
    profile(site)
    issue(site)
    site.build()
    cache = site.root / ".cache" / "rundbrief" / "cards"
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.jpg")}
    assert len(first) == 3  # site, issue, profile
    site.build()
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.jpg")} == first
    issue(site, title="Neuer Titel")
    site.build()
    second = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.jpg")}
    assert len(second) == 4 and all(second[name] == mtime for name, mtime in first.items())


def test_invalid_card_options_fail_the_build(site):
    _configure(site, '      cards:\n        background: "#zzz"\n        font: fonts/fehlt.ttf\n')
    errors = site.build_fails()
    assert "„linkedin: cards: background: #zzz“ ist keine Farbe. Erlaubt sind Farben wie „#3f51b5“ oder „white“." in errors
    assert "Die Schrift „fonts/fehlt.ttf“ aus „linkedin: cards: font“ fehlt." in errors


def test_linkedin_needs_the_rundbrief_plugin(site):
    plugins(site, '  - linkedin:\n      hashtags: ["#AktiFPlus"]\n')  # an old mkdocs.yml with the `linkedin` plugin alone
    errors = site.build_fails()
    assert "„linkedin“ braucht das Plugin „rundbrief“: beide unter „plugins:“ eintragen." in errors


def test_command_needs_linkedin_on_and_a_known_portrait(sample, monkeypatch):
    monkeypatch.chdir(sample.root)
    result = CliRunner().invoke(main, ["linkedin", "2024-12-13-die-vernetzungsstelle-informiert", "--item", "gibt-es-nicht"])
    assert result.exit_code == 1
    assert "Kein Porträt „gibt-es-nicht“ in dieser Ausgabe. Vorhanden: karad-mit-dem-bunten-bus-zu-den-familien." in result.output
    _configure(sample, "      enabled: false\n")
    result = CliRunner().invoke(main, ["linkedin", "2024-12-13-die-vernetzungsstelle-informiert"])
    assert result.exit_code == 1 and ("Die LinkedIn-Texte sind in mkdocs.yml abgeschaltet: unter „linkedin:“ steht "
                                      "„enabled: false“. Der Befehl braucht sie: diese Zeile löschen.") in result.output


def test_a_complete_card_font_is_read_once(site, monkeypatch):
    site.build()
    assert list((site.root / ".cache" / "rundbrief" / "cards").glob("font-*"))

    def unread(*args: object) -> str:
        raise AssertionError("the font was read again")

    monkeypatch.setattr("rundbrief.core.cards.missing_glyphs", unread)
    site.build()
    font = site.root / "font.otf"
    shutil.copyfile(font_source_sans_pro.SourceSansProBold, font)
    _configure(site, "      cards:\n        font: font.otf\n")
    with pytest.raises(AssertionError, match="the font was read again"):  # another font is checked
        site.build()



@pytest.mark.parametrize("separator", slow_but(["\\r", "\\x1c", "\\x1d", "\\x1e", "\\x85", "\\u2029", "\\a"],
                                               "\\r", "\\a"))
def test_cards_draw_text_with_separators_and_control_characters(site, separator):
    """Written as YAML escapes, which the front matter takes (raw control characters it refuses), in
    the organisation, which a profile's card shows as its subtitle."""
    site.write("projects/karad.md", f"""---
title: KArAD
organisation: "low-tec{separator}gGmbH"
location: Düren
state: Nordrhein-Westfalen
---
Ein Projekt.
""")
    site.build()
    card = Image.open(site.out / "assets" / "cards" / "projects" / "karad.jpg")
    assert card.size == (1200, 627)
