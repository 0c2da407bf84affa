"""The feeds: RSS 2.0, JSON Feed 1.1 and one RSS feed per project, parsed as subscribers' readers do."""

from __future__ import annotations

import datetime
import email.utils
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import build_once, unchanged
from content import issue, profile
from photos import photo

SITE = "https://www.aktif-vernetzt.de/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _archive(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site, "karad", title="KArAD")
    profile(site, "anker-plus", title="ANKER Plus")
    issue(site, "winter", date="2024-12-13", title="Winterausgabe", front="description: Teaser Winter.\n")
    issue(site, "sommer", date="2024-06-25", title="Sommerausgabe", body="""
        Intro mit [ANKER Plus](../projects/anker-plus.md) und einem [Bild](../projects/anker-plus.md#team).

        ## Vernetzt

        ### Treffen

        ![Bus](../assets/images/bus.jpg) Text mit [Link](#treffen) und [extern](https://example.org/x).

        ## Umgeschaut

        ### Fund

        Noch ein Text.
        """)
    issue(site, "fruehling", date="2024-03-01", title="Frühlingsausgabe", body="""
        ## Vorgestellt

        ### ANKER Plus

        Über [ANKER Plus](../projects/anker-plus.md).
        """)
    issue(site, "entwurf", date="2024-11-01", title="Entwurf", front="draft: true\n")
    issue(site, "zukunft", date="2999-01-01", title="Aus der Zukunft")


@pytest.fixture(scope="module")
def _archive_built_once(tmp_path_factory):
    return build_once(tmp_path_factory.mktemp("archive"), sample=False, prepare=_archive)


@pytest.fixture
def archive(_archive_built_once):
    """`_archive` built once, for the tests that only read what the build wrote."""
    yield from unchanged(_archive_built_once)


def _rss(site, path="feed.xml"):
    return ET.fromstring((site.out / path).read_bytes()).find("channel")


def test_items_newest_first_with_berlin_dates(archive):
    feed = feedparser.parse((archive.out / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Winterausgabe (13. Dezember 2024)", "Sommerausgabe (25. Juni 2024)",
                                               "Frühlingsausgabe (1. März 2024)"]
    dates = [item.findtext("pubDate") for item in _rss(archive).iter("item")]
    # noon in Berlin by default: winter time +0100, summer time +0200
    assert dates == ["Fri, 13 Dec 2024 12:00:00 +0100", "Tue, 25 Jun 2024 12:00:00 +0200", "Fri, 01 Mar 2024 12:00:00 +0100"]
    assert feed.feed.language == "de"
    assert _rss(archive).findtext("lastBuildDate") == "Fri, 13 Dec 2024 12:00:00 +0100"


def test_item_fields(archive):
    feed = feedparser.parse((archive.out / "feed.xml").read_bytes())
    winter, sommer, _ = feed.entries
    assert winter.link == SITE + "newsletters/winter/"
    assert winter.id == SITE + "newsletters/winter/"
    assert next(_rss(archive).iter("item")).find("guid").get("isPermaLink") == "true"
    assert winter.summary == "Teaser Winter."
    assert "KArAD stellt sich vor" in winter.content[0].value
    assert [t.term for t in winter.tags] == ["Vorgestellt"]
    assert [t.term for t in sommer.tags] == ["Vernetzt", "Umgeschaut"]
    assert sommer.summary.startswith("Intro mit ANKER Plus und einem Bild.")  # no teaser: first paragraph
    channel = feedparser.parse((archive.out / "feed.xml").read_bytes()).feed
    assert channel.title == "Akti(F) Plus – Die Vernetzungsstelle informiert"
    assert channel.link == SITE
    assert channel.image.href == SITE + "assets/images/logo.png"


def test_absolute_urls_inside_content(archive):
    html = feedparser.parse((archive.out / "feed.xml").read_bytes()).entries[1].content[0].value
    assert f'<a href="{SITE}projects/anker-plus/">ANKER Plus</a>' in html
    assert f'<a href="{SITE}projects/anker-plus/#team">Bild</a>' in html
    assert re.search(f'src="{SITE}assets/pictures/[0-9a-f]+-900.jpg"', html)
    assert re.search(f'srcset="{SITE}assets/pictures/[0-9a-f]+-480.webp 480w, ', (archive.out / "feed.xml").read_text())
    assert f'<a href="{SITE}newsletters/sommer/#treffen">Link</a>' in html
    assert '<a href="https://example.org/x">extern</a>' in html
    assert "headerlink" not in html


def test_no_drafts_or_future_issues(archive):
    for path in ["feed.xml", "feed.json", *(p.relative_to(archive.out).as_posix() for p in archive.out.glob("projects/*/feed.xml"))]:
        text = (archive.out / path).read_text(encoding="utf-8")
        assert "Entwurf" not in text and "Aus der Zukunft" not in text, path
    # nor on the site: an issue not yet due is treated as a draft (tests/test_schedule.py)
    assert "Aus der Zukunft" not in archive.html("newsletters/")


def test_builds_are_byte_identical_and_guids_stable(site):
    _archive(site)
    feeds = ["feed.xml", "feed.json", "projects/anker-plus/feed.xml", "projects/karad/feed.xml"]
    site.build()
    first = {path: (site.out / path).read_bytes() for path in feeds}
    site.build()
    second = {path: (site.out / path).read_bytes() for path in feeds}
    assert first == second
    guids = [item.findtext("guid") for item in _rss(site).iter("item")]
    assert guids == [SITE + "newsletters/winter/", SITE + "newsletters/sommer/", SITE + "newsletters/fruehling/"]


def test_ampersand_and_angle_bracket_escaped_exactly_once(site):
    profile(site)
    issue(site, title="'Kinder & Jugend <2025>'")
    site.build()
    raw = (site.out / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Kinder &amp; Jugend &lt;2025&gt; (13. Dezember 2024)</title>" in raw
    assert "&amp;amp;" not in raw and "&amp;lt;" not in raw
    assert feedparser.parse(raw.encode()).entries[0].title == "Kinder & Jugend <2025> (13. Dezember 2024)"
    assert json.loads((site.out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == \
        "Kinder & Jugend <2025> (13. Dezember 2024)"


def test_control_characters_do_not_break_the_feed(site):
    profile(site)
    issue(site, front="description: \"Teaser\\x01 mit Steuerzeichen\"\n",
          body="\n## Vorgestellt\n\n### Titel\x0b mit Tab\n\nText\x08 über [KArAD](../projects/karad.md) bleibt.\n")
    site.build()
    raw = (site.out / "feed.xml").read_bytes()
    ET.fromstring(raw)  # well-formed XML
    entry = feedparser.parse(raw).entries[0]
    assert entry.summary == "Teaser  mit Steuerzeichen"  # the control character became a space, as in the body
    assert "Text  über" in entry.content[0].value and "bleibt." in entry.content[0].value  # the backspace became a space
    json.loads((site.out / "feed.json").read_text(encoding="utf-8"))


def test_project_feed_holds_exactly_the_issues_that_link_to_it(archive):
    anker = feedparser.parse((archive.out / "projects/anker-plus/feed.xml").read_bytes())
    assert [e.link for e in anker.entries] == [SITE + "newsletters/sommer/", SITE + "newsletters/fruehling/"]
    assert anker.feed.title == "Akti(F) Plus – Die Vernetzungsstelle informiert: ANKER Plus"
    assert anker.feed.link == SITE + "projects/anker-plus/"
    karad = feedparser.parse((archive.out / "projects/karad/feed.xml").read_bytes())
    assert [e.link for e in karad.entries] == [SITE + "newsletters/winter/"]


def test_max_items_is_configurable(site):
    _archive(site)
    (site.root / "mkdocs.yml").write_text((site.root / "mkdocs.yml").read_text().replace(
        "  - rundbrief:\n", "  - rundbrief:\n      feed:\n        max_items: 2\n"))
    site.build()
    assert len(feedparser.parse((site.out / "feed.xml").read_bytes()).entries) == 2
    assert len(json.loads((site.out / "feed.json").read_text())["items"]) == 2
    assert len(feedparser.parse((site.out / "projects/anker-plus/feed.xml").read_bytes()).entries) == 2


def _feed_option(site, text):
    (site.root / "mkdocs.yml").write_text((site.root / "mkdocs.yml").read_text().replace(
        "  - rundbrief:\n", f"  - rundbrief:\n      feed:\n        {text}\n"))


def _utc_dates(site) -> tuple[datetime.datetime, datetime.datetime]:
    """The newest item's moment in the RSS and in the JSON feed, in UTC."""
    pub_date = email.utils.parsedate_to_datetime(next(_rss(site).iter("item")).findtext("pubDate"))
    published = datetime.datetime.fromisoformat(json.loads((site.out / "feed.json").read_text())["items"][0]["date_published"])
    return pub_date.astimezone(datetime.UTC), published.astimezone(datetime.UTC)


def test_an_issue_keeps_its_date_in_utc(archive):
    """At midnight in Berlin, 13 December was 12 December in UTC, and readers showed the day before."""
    for moment in _utc_dates(archive):
        assert moment.date() == datetime.date(2024, 12, 13)
        assert moment.strftime("%d %b") == "13 Dec"


def test_time_of_day_is_configurable(site):
    _archive(site)
    _feed_option(site, 'time_of_day: "07:30"')
    site.build()
    assert next(_rss(site).iter("item")).findtext("pubDate") == "Fri, 13 Dec 2024 07:30:00 +0100"
    assert _utc_dates(site) == (datetime.datetime(2024, 12, 13, 6, 30, tzinfo=datetime.UTC),) * 2
    # the issue's page says the same moment to link previews
    assert '<meta property="article:published_time" content="2024-12-13T07:30:00+01:00">' in site.html(
        "newsletters/winter/")


@pytest.mark.parametrize("value, message", [
    ('"25:00"', "„25:00“ in „rundbrief: feed.time_of_day“ ist keine Uhrzeit. Erlaubt ist eine Uhrzeit in Berlin "
                "als „HH:MM“ in Anführungszeichen, z. B. „time_of_day: \"10:00\"“."),
    ('"mittags"', "„mittags“ in „rundbrief: feed.time_of_day“ ist keine Uhrzeit."),
    # YAML reads an unquoted 10:00 as the number 600 (base 60)
    ("10:00", "Ohne Anführungszeichen liest YAML eine Uhrzeit als Zahl: gemeint ist vielleicht „time_of_day: \"10:00\"“."),
])
def test_a_bad_time_of_day_fails_the_build(site, value, message):
    _archive(site)
    _feed_option(site, f"time_of_day: {value}")
    errors = site.build_fails()
    assert "mkdocs.yml:1: " in errors
    assert message in errors
    assert not (site.out / "feed.xml").exists()


def test_enclosure_for_an_issue_image(site):
    profile(site)
    photo(site.root / "content/assets/images/bus.jpg")
    issue(site, front="image: assets/images/bus.jpg\nimage_alt: Der bunte Bus\n")
    site.build()
    enclosure = next(_rss(site).iter("item")).find("enclosure")
    url = enclosure.get("url")
    assert re.fullmatch(f"{SITE}assets/pictures/[0-9a-f]+-900.jpg", url) and enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == str((site.out / url[len(SITE):]).stat().st_size)
    assert json.loads((site.out / "feed.json").read_text())["items"][0]["image"] == url


def test_json_feed(archive):
    feed = json.loads((archive.out / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SITE + "feed.json" and feed["home_page_url"] == SITE
    assert feed["language"] == "de"
    rss_ids = [e.id for e in feedparser.parse((archive.out / "feed.xml").read_bytes()).entries]
    assert [item["id"] for item in feed["items"]] == rss_ids
    winter = feed["items"][0]
    assert winter["date_published"] == "2024-12-13T12:00:00+01:00"
    assert winter["summary"] == "Teaser Winter."
    assert winter["tags"] == ["Vorgestellt"]
    assert f'href="{SITE}projects/karad/"' in winter["content_html"]


def test_feed_needs_site_url(site):
    (site.root / "mkdocs.yml").write_text(re.sub(r"site_url: .*\n", "", (site.root / "mkdocs.yml").read_text()))
    errors = site.build_fails()
    assert "mkdocs.yml:1: Die Feeds brauchen absolute Adressen, aber „site_url“ fehlt." in errors


def test_discovery_on_every_page(built_sample):
    for page in built_sample.pages():
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate feed" type="application/rss\+xml" title="[^"]+" href="[./]*feed.xml">', html), page
        assert 'type="application/feed+json"' in html, page
        assert re.search(r'<a href="(\./|[^"]*feed/)">\s*<span class="twemoji"[^>]*>.*?</span>\s*RSS-Feed abonnieren', html, re.S), page
    profile_page = built_sample.html("projects/karad/")
    assert '<link rel="alternate feed" type="application/rss+xml" title="KArAD (RSS)" href="feed.xml">' in profile_page
    assert '<a href="feed.xml">Neue Erwähnungen von KArAD als RSS-Feed abonnieren</a>' in profile_page
    assert re.search(r"<h1[^>]*>RSS-Feed abonnieren", built_sample.html("feed/"))


# The W3C Feed Validation Service's errors that apply to RSS 2.0, checked on the sample site's feeds.

@pytest.fixture
def sample_feeds(built_sample):
    paths = [built_sample.out / "feed.xml", *sorted(built_sample.out.glob("projects/*/feed.xml"))]
    return {SITE + path.relative_to(built_sample.out).as_posix(): path for path in paths}


def test_w3c_missing_atom_self_link(sample_feeds):
    assert len(sample_feeds) == 5
    for url, path in sample_feeds.items():
        channel = ET.fromstring(path.read_bytes()).find("channel")
        self_links = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_links == [url]


def test_w3c_relative_references_in_content(sample_feeds):
    references = []
    for path in sample_feeds.values():
        for item in ET.fromstring(path.read_bytes()).iter("item"):
            references += re.findall(r'(?:href|src)="([^"]*)"', item.findtext(CONTENT))
    assert len(references) >= 4  # the sample issues link to profiles
    assert all(re.match(r"https?://", ref) for ref in references), references


def test_w3c_invalid_rfc822_dates(sample_feeds):
    rfc822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")
    for path in sample_feeds.values():
        channel = ET.fromstring(path.read_bytes()).find("channel")
        dates = [channel.findtext("lastBuildDate")] + [item.findtext("pubDate") for item in channel.iter("item")]
        for date in dates:
            assert rfc822.fullmatch(date), (path, date)
            assert email.utils.parsedate_to_datetime(date).tzinfo is not None


def test_w3c_duplicate_guids(sample_feeds):
    for path in sample_feeds.values():
        guids = [item.findtext("guid") for item in ET.fromstring(path.read_bytes()).iter("item")]
        assert len(guids) == len(set(guids)), path


def test_w3c_invalid_language_code(sample_feeds):
    for path in sample_feeds.values():
        language = ET.fromstring(path.read_bytes()).find("channel").findtext("language")
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,8})*", language), (path, language)
        assert language == "de"
