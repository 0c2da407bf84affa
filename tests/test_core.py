"""Unit tests of the core's parsing and text functions: plain Python, no MkDocs, no site built."""

from __future__ import annotations

import datetime

import pytest

from rundbrief.core.linkedin import HOOK_LIMIT, _shorten, hook
from rundbrief.core.markdown_scan import project_links, scan
from rundbrief.core.model import Issue
from rundbrief.core.problems import Problem
from rundbrief.core.sanitize import strip_comments
from rundbrief.core.source import Source, split_front_matter
from rundbrief.core.text import (
    anchor, cut_at_word, german_date, html_to_text, plain_text, published_at, sentences, today,
)


# core/source.py: split_front_matter

def test_front_matter_with_the_line_of_every_key():
    problems: list[Problem] = []
    source = split_front_matter("newsletters/a.md", "---\ntitle: Winter\n\ndate: 2024-12-13\n---\nText\nmehr", problems)
    assert problems == []
    assert source is not None
    assert source.meta == {"title": "Winter", "date": "2024-12-13"}  # dates stay text, checked later
    assert source.key_lines == {"title": 2, "date": 4}
    assert source.body == "Text\nmehr"
    assert source.body_line == 6
    assert source.line_of("date") == 4 and source.line_of("image") == 1


def test_front_matter_closed_by_dots_and_empty():
    problems: list[Problem] = []
    assert split_front_matter("a.md", "---\ntitle: A\n...\nText", problems).body == "Text"  # type: ignore[union-attr]
    empty = split_front_matter("a.md", "---\n---\nText", problems)
    assert empty is not None and empty.meta == {} and empty.body == "Text"
    assert problems == []


def test_no_front_matter_is_all_body():
    problems: list[Problem] = []
    assert split_front_matter("a.md", "# Titel\n---\n", problems) == Source("a.md", {}, "# Titel\n---\n", 1)
    assert split_front_matter("a.md", "", problems) == Source("a.md", {}, "", 1)
    assert problems == []


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: A\nText", 1, "Der Kopfbereich wird mit „---“ geöffnet, aber nie mit „---“ geschlossen."),
    ("---\ntitle: A\ntitle: B: C\n---\n", 3, "Der Kopfbereich (YAML) lässt sich nicht lesen: "),
    ("---\n- a\n- b\n---\n", 2, "Der Kopfbereich muss aus Zeilen der Form „schlüssel: wert“ bestehen."),
])
def test_broken_front_matter_is_a_problem_at_its_line(text, line, message):
    problems: list[Problem] = []
    assert split_front_matter("newsletters/a.md", text, problems) is None
    [problem] = problems
    assert (problem.path, problem.line) == ("newsletters/a.md", line)
    assert problem.message.startswith(message)


# core/markdown_scan.py: scan, project_links

def test_scan_finds_headings_outside_code():
    body = "\n".join([
        "## Vorgestellt",  # 0
        "```",
        "## im Code",
        "```",
        "### KArAD {: #karad }",  # 4
        "   #### Eingerückt ###",
        "#ohne Leerzeichen",  # a heading to Python-Markdown, and so to the scan
        "~~~~",
        "~~~",  # a shorter fence closes nothing
        "## im Code",
        "~~~~",
        "Text",  # 11
    ])
    lines = list(scan(body))
    headings = [(line.index, line.level, line.heading) for line in lines if line.level]
    assert headings == [(0, 2, "Vorgestellt"), (4, 3, "KArAD"), (5, 4, "Eingerückt"), (6, 1, "ohne Leerzeichen")]
    texts = {line.index: line.text for line in lines}
    assert 2 not in texts and 9 not in texts
    assert texts[11] == "Text"


def test_comments_are_stripped_wherever_they_start_and_lines_stay():
    body = "\n".join([
        "## Vorgestellt <!-- privat",
        "noch privat --> sichtbar",
        "`<!--` im Code bleibt",
        "```",
        "<!-- im Codeblock bleibt -->",
        "```",
        "Text <!-- weg --> bleibt",
        "<!-- nie geschlossen",
        "alles weg",
    ])
    assert strip_comments(body).split("\n") == [
        "## Vorgestellt ", " sichtbar", "`<!--` im Code bleibt", "```", "<!-- im Codeblock bleibt -->", "```",
        "Text  bleibt", "", "",
    ]


def test_project_links_inline_and_reference():
    assert list(project_links("[A](../projects/karad.md) und [B](../projects/anker-plus.md#team)", "newsletters")) == [
        "karad", "anker-plus"]
    assert list(project_links("[b]: ../projects/geste.md", "newsletters")) == ["geste"]
    assert list(project_links("[x](https://example.org/projects/a.md) [y](../kontakt.md) [z](../projects/)", "newsletters")) == []


# core/linkedin.py: hook, _shorten

def _issue(title: str = "Winterausgabe", description: str | None = None) -> Issue:
    return Issue(
        name="2024-12-13-winter", path="newsletters/2024-12-13-winter.md", title=title,
        date=datetime.date(2024, 12, 13), description=description, draft=False, image=None, image_alt=None,
        markdown="", source=Source("newsletters/2024-12-13-winter.md", {}, "", 1),
    )


def test_hook_is_the_teaser_in_whole_sentences():
    first = "Ein bunter Bus in Düren, ein Treffen in Bremen und Alleinerziehende im Fokus in Köln."
    second = "Am 12. November war die Vernetzungsstelle beim Bundeskongress in Hannover."
    assert len(f"{first} {second}") > 140  # what a hook aims at: the second sentence stays out
    assert hook(_issue(description=f"{first} {second}")) == first
    assert hook(_issue(description=f"{second} {first}")) == second  # "12." ends no sentence


def test_hook_without_teaser_is_the_title_and_plain_text():
    assert hook(_issue()) == "Winterausgabe"
    assert hook(_issue(description="Für *alle* Mitstreiter*innen: [KArAD](../projects/karad.md).")) == (
        "Für alle Mitstreiter*innen: KArAD.")


def test_hook_cuts_one_long_sentence_at_a_word():
    text = hook(_issue(description="Wort " * 100))
    assert len(text) <= HOOK_LIMIT and text.endswith("…") and text.startswith("Wort Wort")
    assert "Wor…" not in text


def test_shorten():
    assert _shorten("", 10, 10) == ""
    assert _shorten("Kurz. Auch kurz.", 100, 100) == "Kurz. Auch kurz."
    assert _shorten("Erster Satz hier. Zweiter Satz hier.", 100, 20) == "Erster Satz hier."  # aim: one sentence
    assert _shorten("Erster Satz hier. Zweiter.", 10, 10) == "Erster…"  # no sentence fits the limit
    # a sentence beyond the opening read is left out rather than cut
    assert _shorten("Eins. " + "Zwei " * 100 + "drei.", 400, 400) == "Eins."


# core/text.py

def test_anchor():
    assert anchor("Größe – Bus") == "groesse-bus"
    assert anchor("ÄÖÜ äöü ß") == "aeoeue-aeoeue-ss"
    assert anchor("„…“") == "abschnitt"


def test_plain_text_and_html_to_text():
    assert plain_text("  Ohne Markup  ") == "Ohne Markup"
    assert plain_text("Für *alle* Mitstreiter*innen & [Gäste](x.md)") == "Für alle Mitstreiter*innen & Gäste"
    assert html_to_text("<p>A &amp; <b>B</b> &bdquo;C&ldquo;</p>") == "A & B „C“"


def test_german_date():
    assert german_date(datetime.date(2024, 12, 13)) == "13. Dezember 2024"
    assert german_date(datetime.date(2024, 3, 1)) == "1. März 2024"


def test_published_at_is_in_berlin():
    winter = published_at(datetime.date(2024, 12, 13), datetime.time(12))
    assert winter.isoformat() == "2024-12-13T12:00:00+01:00"
    assert published_at(datetime.date(2024, 6, 25), datetime.time(12)).isoformat() == "2024-06-25T12:00:00+02:00"
    # at midnight in Berlin it is the day before in UTC
    assert published_at(datetime.date(2024, 12, 13), datetime.time()).astimezone(datetime.UTC).date() == datetime.date(2024, 12, 12)


def test_today_is_a_date():
    assert abs(today() - datetime.date.today()) <= datetime.timedelta(days=1)


def test_sentences_keep_german_abbreviations():
    assert sentences("Am 12. November war der Deutsche Verein e.V. dabei. Danach ging es weiter.") == [
        "Am 12. November war der Deutsche Verein e.V. dabei.", "Danach ging es weiter."]


def test_cut_at_word():
    assert cut_at_word("Ein langer Textbaustein", 14) == "Ein langer…"
    assert cut_at_word("Ein langer Text, mit Komma", 18) == "Ein langer Text…"  # no comma before "…"
    assert len(cut_at_word("a " * 50, 20)) <= 20
