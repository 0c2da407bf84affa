"""Scheduled issues: `date:` with a time, one clock per build, and what a build at a given moment
publishes. Builds are made at the minute before an issue's time and at its time, and compared."""

from __future__ import annotations

import datetime
import json
import logging
import re
import xml.etree.ElementTree as ET

import pytest

from content import issue, profile
from rundbrief.core.text import BERLIN

WORD = "zauberwort"  # only the scheduled issue has it: in its name, title and body
NAME = f"2027-03-01-{WORD}"
TITLE = "Frühjahrsausgabe Zauberwort"
BODY = """
Zauberwort in der Einleitung.

## Vorgestellt

### KArAD und das Zauberwort

Das Zauberwort steht im Text über [KArAD](../projects/karad.md).
"""


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def _scheduled(site, date: str = "2027-03-01 09:00", name: str = NAME) -> None:
    """The sample site and one issue due at `date`, which mentions KArAD."""
    issue(site, name, date=date, title=TITLE, front="description: Ein Zauberwort im Anreißer.\n", body=BODY)


def _holding_word(site) -> list[str]:
    """Every file of the built site whose path or text (the search index decompressed) has the word."""
    return [path for path, text in site.outputs().items() if WORD in path.lower() or WORD in text.lower()]


def _due(site, date: str, title: str, before: str, due: str) -> dict[str, str]:
    """An issue dated `date`: not on the site in a build at `before`, on it at `due`; the feed's dates then."""
    profile(site)
    issue(site, date.strip("'")[:10], date=date, title=title)
    site.build(now=at(before))
    assert title not in site.html("newsletters/")
    site.build(now=at(due))
    assert title in site.html("newsletters/")
    return _rss_dates(site)


def _rss_dates(site) -> dict[str, str]:
    """The feed's dates by issue title; the feed's titles end in the date, „Titel (1. März 2027)“."""
    channel = ET.fromstring((site.out / "feed.xml").read_bytes()).find("channel")
    return {re.sub(r" \([^()]+\)$", "", item.findtext("title") or ""): item.findtext("pubDate")
            for item in channel.iter("item")}


def test_one_minute_before_its_time_no_file_of_the_site_has_the_issue(sample):
    _scheduled(sample)
    sample.build(now=at("2027-03-01 08:59"))
    assert (sample.out / "pagefind").is_dir() and (sample.out / "linkedin").is_dir()  # search and LinkedIn on
    assert _holding_word(sample) == []
    # the issue before it is the newest: the start page and the "next" link know nothing newer
    assert 'rel="next"' not in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")


def test_from_its_time_on_the_issue_is_everywhere(sample):
    _scheduled(sample)
    sample.build(now=at("2027-03-01 09:00"))
    files = _holding_word(sample)
    assert f"newsletters/{NAME}/index.html" in files
    assert TITLE in sample.html(f"newsletters/{NAME}/")
    assert TITLE in sample.html("newsletters/")  # the archive
    assert TITLE in sample.html("")  # the start page
    assert f"newsletters/{NAME}/" in sample.html("projects/karad/")  # "Erwähnt in"
    assert TITLE in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")  # "next"
    assert _rss_dates(sample)[TITLE] == "Mon, 01 Mar 2027 09:00:00 +0100"  # its own time, not noon
    assert "feed.json" in files and "projects/karad/feed.xml" in files and "sitemap.xml" in files
    assert f"linkedin/{NAME}.txt" in files
    assert any(path.startswith("pagefind/fragment/") for path in files)  # searchable
    assert '<meta property="article:published_time" content="2027-03-01T09:00:00+01:00"' in sample.html(
        f"newsletters/{NAME}/")


def test_the_builds_before_and_at_its_time_differ_only_by_the_issue(sample):
    """Diffed file by file: what the minute adds is the issue and what lists or links it."""
    _scheduled(sample)
    sample.build(now=at("2027-03-01 08:59"))
    before = sample.outputs()
    sample.build(now=at("2027-03-01 09:00"))
    after = sample.outputs()
    added = set(after) - set(before)
    assert f"newsletters/{NAME}/index.html" in added and f"linkedin/{NAME}.txt" in added
    assert set(before) - set(after) <= {path for path in before if path.startswith("pagefind/")}  # its hashed names
    changed = {path for path in set(before) & set(after) if before[path] != after[path]}
    assert {"newsletters/index.html", "index.html", "projects/karad/index.html", "feed.xml", "feed.json",
            "sitemap.xml"} <= changed
    # a profile the issue does not mention and a page of content/ stay as they were
    assert "projects/anker-plus/index.html" not in changed and "impressum/index.html" not in changed


def test_a_date_alone_means_the_time_of_day_for_the_feed_and_for_publication(site):
    profile(site)
    issue(site, "2027-03-01", date="2027-03-01", title="Mittagsausgabe")
    site.build(now=at("2027-03-01 11:59"))
    assert "Mittagsausgabe" not in site.html("newsletters/")
    site.build(now=at("2027-03-01 12:00"))
    assert "Mittagsausgabe" in site.html("newsletters/")
    assert _rss_dates(site) == {"Mittagsausgabe": "Mon, 01 Mar 2027 12:00:00 +0100"}


def test_the_configured_time_of_day_is_the_moment_of_a_date_alone(site):
    profile(site)
    issue(site, "2027-03-01", date="2027-03-01", title="Morgenausgabe")
    site.configure("""
    plugins:
      - rundbrief:
          feed:
            time_of_day: "08:30"
    """)
    site.build(now=at("2027-03-01 08:29"))
    assert "Morgenausgabe" not in site.html("newsletters/")
    site.build(now=at("2027-03-01 08:30"))
    assert _rss_dates(site) == {"Morgenausgabe": "Mon, 01 Mar 2027 08:30:00 +0100"}


@pytest.mark.parametrize("written", ["2027-03-01 09:00", "2027-03-01T09:00", "2027-03-01 9:00", "'2027-03-01 09:00'",
                                     "2027-03-01 09:00:00"])  # the last as YAML writes a timestamp
def test_ways_to_write_a_date_with_time(site, written):
    assert _due(site, written, "Neunuhrausgabe", "2027-03-01 08:59", "2027-03-01 09:00") == {
        "Neunuhrausgabe": "Mon, 01 Mar 2027 09:00:00 +0100"}


def test_a_plain_mkdocs_build_uses_the_real_time(site):
    profile(site)
    issue(site, "2020-01-01", date="2020-01-01 09:00", title="Vergangene Ausgabe")
    issue(site, "2099-01-01", date="2099-01-01 09:00", title="Ferne Ausgabe")
    site.build()
    archive = site.html("newsletters/")
    assert "Vergangene Ausgabe" in archive and "Ferne Ausgabe" not in archive
    assert not (site.out / "newsletters/2099-01-01").exists()


@pytest.mark.editors_command  # listens to MkDocs' own logger
def test_every_build_says_when_the_next_scheduled_issue_appears(site, caplog):
    profile(site)
    issue(site, "2099-01-01", date="2099-01-01 09:00", title="Später")
    issue(site, "2098-06-30", date="2098-06-30", title="Früher")
    issue(site, "2097-01-01", date="2097-01-01", title="Entwurf", front="draft: true\n")  # no schedule
    site.build()
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO and r.name == "mkdocs.plugins.rundbrief"]
    assert said == ["Nächste geplante Ausgabe: 2098-06-30 am 30. Juni 2098 um 12:00 Uhr"]


def test_no_word_on_the_schedule_without_a_scheduled_issue(site, caplog):
    profile(site)
    issue(site)
    site.build()
    assert not [r for r in caplog.records if "geplant" in r.getMessage()]


# Daylight saving time: 2027-03-28 02:00 -> 03:00, 2027-10-31 03:00 -> 02:00 in Berlin

def test_a_time_the_clocks_skip_is_refused(site):
    profile(site)
    issue(site, "2027-03-28", date="2027-03-28 02:30")
    errors = site.build_fails()
    assert ("newsletters/2027-03-28.md:3: „date: 2027-03-28 02:30“: Diese Uhrzeit gibt es in Berlin nicht, an diesem "
            "Tag werden die Uhren vorgestellt (Beginn der Sommerzeit). Erlaubt ist eine Uhrzeit davor oder danach, "
            "z. B. „date: 2027-03-28 03:30“.") in errors


def test_the_night_the_clocks_go_forward(site):
    # 01:59 is one minute of real time before 03:00 summer time
    assert _due(site, "2027-03-28 03:00", "Sommerzeitausgabe", "2027-03-28 01:59", "2027-03-28 03:00") == {
        "Sommerzeitausgabe": "Sun, 28 Mar 2027 03:00:00 +0200"}


def test_a_time_that_happens_twice_is_its_first_occurrence_in_summer_time(site):
    # 02:29 and 02:30 of summer time, the first pass
    assert _due(site, "2027-10-31 02:30", "Doppelte Stunde", "2027-10-31 02:29", "2027-10-31 02:30") == {
        "Doppelte Stunde": "Sun, 31 Oct 2027 02:30:00 +0200"}
    # the second 02:30, in winter time, is an hour later: the issue is still there
    site.build(now=at("2027-10-31 02:30").replace(fold=1))
    assert "Doppelte Stunde" in site.html("newsletters/")


@pytest.mark.parametrize(("written", "message"), [
    ("2027-03-01 25:00", "„date: 2027-03-01 25:00“ nennt keine gültige Uhrzeit. Erlaubt sind Uhrzeiten von 00:00 "
                         "bis 23:59 in Berliner Zeit, z. B. „date: 2027-03-01 09:00“."),
    ("2027-03-01 09:60", "„date: 2027-03-01 09:60“ nennt keine gültige Uhrzeit."),
    ("2027-02-30 09:00", "„date: 2027-02-30 09:00“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT, "
                         "z. B. „date: 2024-12-13“, oder mit Uhrzeit in Berliner Zeit JJJJ-MM-TT HH:MM, "
                         "z. B. „date: 2027-03-01 09:00“."),
    ("2027-03-01 9 Uhr", "„date: 2027-03-01 9 Uhr“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT"),
    ("2027-03-01 09:00 +01:00", "„date: 2027-03-01 09:00 +01:00“ ist kein gültiges Datum."),
    ("01.03.2027 09:00", "„date: 01.03.2027 09:00“ ist kein gültiges Datum."),
])
def test_invalid_dates_and_times_say_what_is_allowed(site, written, message):
    profile(site)
    issue(site, "2027-03-01", date=written)
    assert f"newsletters/2027-03-01.md:3: {message}" in site.build_fails()


def test_a_missing_date_says_that_a_time_may_follow(site):
    profile(site)
    site.write("newsletters/ohne.md", "---\ntitle: Ohne Datum\n---\n## Vorgestellt\n\n### A\n\nText.\n")
    assert ("newsletters/ohne.md:1: Pflichtfeld „date“ fehlt im Kopfbereich. Erlaubt ist ein Datum der Form "
            "JJJJ-MM-TT, z. B. „date: 2024-12-13“, oder mit Uhrzeit in Berliner Zeit JJJJ-MM-TT HH:MM, "
            "z. B. „date: 2027-03-01 09:00“.") in site.build_fails()


# The preview

def test_the_preview_shows_a_scheduled_issue_with_its_time(sample):
    _scheduled(sample)
    sample.build_preview(now=at("2027-03-01 08:59"))
    page = sample.html(f"newsletters/{NAME}/")
    assert ('<p class="admonition info">Geplant: erscheint am 1. März 2027 um 9:00 Uhr. Bis dahin nur in der '
            "Vorschau sichtbar") in page
    assert f"{TITLE}</a> (geplant)" in sample.html("newsletters/")
    # never in a feed, as drafts
    assert WORD not in (sample.out / "feed.xml").read_text(encoding="utf-8").lower()
    assert WORD not in (sample.out / "projects/karad/feed.xml").read_text(encoding="utf-8").lower()
    # nor in the search index, as drafts
    index = {path: text for path, text in sample.outputs().items() if path.startswith("pagefind/")}
    assert index and not [path for path, text in index.items() if WORD in text.lower()]
    # a published issue has no such note
    assert "Geplant:" not in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")


def test_the_preview_drops_the_note_from_the_issue_s_time_on(sample):
    _scheduled(sample)
    sample.build_preview(now=at("2027-03-01 09:00"))
    assert "Geplant:" not in sample.html(f"newsletters/{NAME}/")
    assert "(geplant)" not in sample.html("newsletters/")


@pytest.mark.slow
@pytest.mark.editors_command
def test_rundbrief_serve_shows_a_scheduled_issue_by_the_real_time(sample, start):
    _scheduled(sample, "2099-03-01 09:00", name="2099-03-01-zauberwort")
    preview = start()
    page = preview.poll("newsletters/2099-03-01-zauberwort/", "Geplant: erscheint am 1. März 2099 um 9:00 Uhr")
    assert TITLE in page
    assert f"{TITLE}</a> (geplant)" in preview.poll("newsletters/", TITLE)
    output = preview.stop()
    assert "Nächste geplante Ausgabe: 2099-03-01-zauberwort am 1. März 2099 um 9:00 Uhr" in output


# The command

@pytest.mark.editors_command  # listens to MkDocs' own logger
def test_rundbrief_build_now_sets_the_clock(sample, run):
    _scheduled(sample)
    before = run(sample, "build", "--now", "2027-03-01 08:59")
    assert before.exit_code == 0, before.output
    assert "Nächste geplante Ausgabe: 2027-03-01-zauberwort am 1. März 2027 um 9:00 Uhr" in before.output
    assert _holding_word(sample) == []
    at_time = run(sample, "build", "--now", "2027-03-01 09:00")
    assert at_time.exit_code == 0, at_time.output
    assert "Nächste geplante Ausgabe" not in at_time.output
    assert TITLE in sample.html("newsletters/")
    assert json.loads((sample.out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == \
        f"{TITLE} (1. März 2027)"


@pytest.mark.parametrize(("given", "message"), [
    ("morgen", "Fehler: „morgen“ ist kein gültiger Zeitpunkt. Erlaubt ist ein Zeitpunkt in Berliner Zeit als "
               "„JJJJ-MM-TT HH:MM“, z. B. --now \"2027-03-01 08:59\"."),
    ("2027-03-01", "Fehler: „2027-03-01“ ist kein gültiger Zeitpunkt."),
    ("2027-02-30 08:00", "Fehler: „2027-02-30 08:00“ ist kein gültiger Zeitpunkt."),
    ("2027-03-01 24:00", "Fehler: „2027-03-01 24:00“ ist kein gültiger Zeitpunkt."),
    ("2027-03-28 02:30", "Fehler: „2027-03-28 02:30“ gibt es in Berlin nicht: an diesem Tag werden die Uhren "
                         "vorgestellt (Beginn der Sommerzeit). Erlaubt ist ein Zeitpunkt davor oder danach, z. B. "
                         "„2027-03-28 03:30“."),
])
def test_rundbrief_build_refuses_a_wrong_now(sample, run, given, message):
    result = run(sample, "build", "--now", given)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not sample.out.exists()  # nothing built


def test_check_lists_scheduled_issues_and_warns_without_a_schedule_to_build(site, run):
    profile(site)
    issue(site, "2099-03-01", date="2099-03-01 09:00", title="Später", front="description: Ein Anreißer.\n")
    result = run(site, "check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("newsletters/2099-03-01.md:3: Hinweis: Geplant: erscheint am 1. März 2099 um 9:00 Uhr. Bis dahin zeigt sie "
            "nur die Vorschau; die Website zeigt sie ab dem ersten Bau zu diesem Zeitpunkt.") in lines
    assert ("newsletters/2099-03-01.md:3: Warnung: Geplante Ausgaben erscheinen erst mit dem ersten Bau nach ihrem "
            "Zeitpunkt, aber das Projekt hat keinen Zeitplan, der baut und veröffentlicht "
            "(.github/workflows/rundbrief.yml oder .gitlab-ci.yml). Erlaubt ist das, wenn dann jemand von Hand baut; "
            "sonst „rundbrief setup github“ oder „rundbrief setup gitlab“ aufrufen.") in lines
    assert re.fullmatch(r"0 Fehler, \d+ Warnungen, 1 geplante Ausgabe\.", lines[-1])  # the legal pages' placeholders
    as_json = json.loads(run(site, "check", "--format", "json").output)
    assert [p["severity"] for p in as_json["problems"] if p["path"] == "newsletters/2099-03-01.md"] == ["note", "warning"]


@pytest.mark.parametrize("recipe", [".github/workflows/rundbrief.yml", ".gitlab-ci.yml"])
def test_check_does_not_warn_where_a_schedule_builds(site, run, recipe):
    profile(site)
    issue(site, "2099-03-01", date="2099-03-01 09:00", title="Später", front="description: Ein Anreißer.\n")
    site.write(recipe, "# written by rundbrief setup\n")
    result = run(site, "check")
    assert "Hinweis: Geplant: erscheint am 1. März 2099 um 9:00 Uhr" in result.output
    assert "Zeitplan" not in result.output
    assert re.fullmatch(r"0 Fehler, \d+ Warnungen, 1 geplante Ausgabe\.", result.output.splitlines()[-1])


def test_check_without_scheduled_issues_says_nothing_of_a_schedule(site, run):
    profile(site)
    issue(site, front="description: Ein Anreißer.\n")
    result = run(site, "check")
    assert "Geplant" not in result.output and "Zeitplan" not in result.output
    assert re.fullmatch(r"0 Fehler, \d+ Warnungen\.", result.output.splitlines()[-1])


def test_linkedin_text_of_a_scheduled_issue_waits_for_its_time(site, run):
    profile(site)
    issue(site, "2099-03-01", date="2099-03-01 09:00", title="Später")
    result = run(site, "linkedin", "2099-03-01")
    assert result.exit_code == 1
    assert ("Fehler: „2099-03-01“ ist geplant und erscheint erst am 1. März 2099 um 9:00 Uhr: der Link im LinkedIn-Text "
            "führte bis dahin ins Leere. Den Text ab diesem Zeitpunkt holen.") in result.output
