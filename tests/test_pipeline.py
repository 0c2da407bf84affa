"""One plugin, one pipeline: what the build state holds after a build, and an old mkdocs.yml that still
lists the `linkedin` plugin, now the option `linkedin:` of `rundbrief`."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from content import plugins
from rundbrief.core.build import Build

ISSUE = "2024-12-13-die-vernetzungsstelle-informiert"
MOVED = ("mkdocs.yml:1: Warnung: Das Plugin „linkedin“ ist jetzt die Einstellung „linkedin:“ von „rundbrief“: die "
         "Zeilen unter „- linkedin:“ eingerückt unter „- rundbrief:“ als „linkedin:“ verschieben und „- linkedin:“ "
         "löschen. Bis dahin gelten sie weiter.")
OLD = '  - linkedin:\n      hashtags: ["#Familie", "#Vernetzung", "#ESFPlus"]\n'


def _old_config(site, rundbrief: str = "  - rundbrief\n") -> None:
    """mkdocs.yml as it was with two plugins, with hashtags other than the default."""
    plugins(site, rundbrief + OLD)


def _warnings(site) -> list[str]:
    return [r.getMessage() for r in site.caplog.records if r.levelno == logging.WARNING]


def test_the_build_state_holds_the_issues_their_posts_and_the_cards(sample):
    config = load_config(str(sample.root / "mkdocs.yml"))
    build(config)
    state = config.plugins["rundbrief"].build
    assert isinstance(state, Build)
    issues = ["2024-12-13-die-vernetzungsstelle-informiert", "2024-06-25-auftakt", "2024-05-29-beraten-coachen-vernetzen"]
    assert [issue.name for issue in state.content.issues] == issues  # newest first; the draft is no issue of the site
    assert sorted(state.html) == sorted(issues)
    assert {name: [post.path for post in posts] for name, posts in state.posts.items()} == {
        ISSUE: [f"linkedin/{ISSUE}.txt", f"linkedin/{ISSUE}/karad-mit-dem-bunten-bus-zu-den-familien.txt"],
        "2024-06-25-auftakt": ["linkedin/2024-06-25-auftakt.txt"],  # no portraits
        "2024-05-29-beraten-coachen-vernetzen": [
            "linkedin/2024-05-29-beraten-coachen-vernetzen.txt",
            "linkedin/2024-05-29-beraten-coachen-vernetzen/was-sind-die-aufgaben-der-vernetzungsstelle.txt",
            "linkedin/2024-05-29-beraten-coachen-vernetzen/was-zeichnet-die-arbeit-aus.txt",
            "linkedin/2024-05-29-beraten-coachen-vernetzen/wie-geht-es-weiter.txt",
        ],
    }
    assert sorted(state.cards) == ["assets/cards/newsletters/2024-05-29-beraten-coachen-vernetzen.jpg",
                                   "assets/cards/newsletters/2024-06-25-auftakt.jpg",
                                   f"assets/cards/newsletters/{ISSUE}.jpg",
                                   "assets/cards/projects/anker-plus.jpg",
                                   "assets/cards/projects/bremer-stadtteileltern.jpg",
                                   "assets/cards/projects/geste-gemeinsamstark.jpg",
                                   "assets/cards/projects/karad.jpg",
                                   "assets/cards/site.jpg"]
    assert state.cards[f"assets/cards/newsletters/{ISSUE}.jpg"].title == "Die Vernetzungsstelle informiert"
    # what the state holds is what the site publishes
    for posts in state.posts.values():
        for post in posts:
            assert (sample.out / post.path).read_text(encoding="utf-8") == post.text
    # frozen before the writer forks with it: nothing changes it after
    assert state.frozen
    with pytest.raises(TypeError):
        state.html[ISSUE] = "<p>später</p>"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.posts = {}
    assert all((sample.out / address).is_file() for address in state.cards)


@pytest.mark.allow_warnings
def test_an_old_mkdocs_yml_with_the_linkedin_plugin_builds_with_one_german_warning(sample):
    _old_config(sample)
    sample.build()
    assert _warnings(sample) == [MOVED]
    text = (sample.out / "linkedin" / f"{ISSUE}.txt").read_text(encoding="utf-8")
    assert text.endswith("#Familie #Vernetzung #ESFPlus\n")  # its options count
    assert (sample.out / "linkedin" / ISSUE / "karad-mit-dem-bunten-bus-zu-den-familien.txt").is_file()
    assert (sample.out / "assets" / "cards" / "newsletters" / f"{ISSUE}.jpg").is_file()
    assert 'property="og:image"' in sample.html(f"newsletters/{ISSUE}/")


@pytest.mark.allow_warnings
def test_an_old_linkedin_plugin_listed_before_rundbrief_hands_its_options_over_all_the_same(sample):
    plugins(sample, OLD + "  - rundbrief\n")
    sample.build()
    assert _warnings(sample) == [MOVED]
    assert (sample.out / "linkedin" / f"{ISSUE}.txt").read_text(encoding="utf-8").endswith("#Familie #Vernetzung #ESFPlus\n")


def test_linkedin_options_in_both_places_fail_in_german(sample):
    _old_config(sample, rundbrief="  - rundbrief:\n      linkedin: {enabled: false}\n")
    errors = sample.build_fails()
    assert errors == ("1 Fehler:\n  mkdocs.yml:1: „linkedin:“ steht unter „- rundbrief:“ und zugleich als altes Plugin "
                      "„- linkedin:“ unter „plugins:“. Erlaubt ist es nur unter „- rundbrief:“: was unter „- linkedin:“ "
                      "steht, dorthin übernehmen und „- linkedin:“ löschen.")


def test_check_names_the_old_linkedin_plugin(sample, run):
    _old_config(sample)
    result = run(sample, "check")
    assert result.exit_code == 0, result.output
    assert MOVED in result.output
    assert "Traceback" not in result.output
