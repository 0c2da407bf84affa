"""The cache of rendered Markdown: a warm build skips the conversion of unchanged pages and
publishes exactly what converting them again would."""

from __future__ import annotations

import logging

import markdown
import pytest

ISSUE = "newsletters/2024-12-13-die-vernetzungsstelle-informiert.md"


@pytest.fixture
def conversions(monkeypatch):
    """Counts the pages Python-Markdown converts, on a machine of one core: on more, a second process
    would convert some of them ahead (tests/test_ahead.py)."""
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 1)
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def counting(self, source):
        converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    return converted


def test_a_warm_build_converts_nothing_and_writes_the_same_site(sample, conversions):
    sample.build()
    cold = sample.outputs()
    assert len(conversions) > 20
    conversions.clear()
    sample.build()
    assert conversions == []
    assert sample.outputs() == cold


def test_a_changed_issue_is_converted_again_and_alone(sample, conversions):
    sample.build()
    conversions.clear()
    issue = sample.root / ISSUE
    issue.write_text(issue.read_text(encoding="utf-8").replace("Kooperationen zu Armutsbekämpfung",
                                                               "Kooperationen gegen Armut"), encoding="utf-8")
    sample.build()
    assert len(conversions) == 1
    assert "Kooperationen gegen Armut" in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")


def test_a_link_broken_by_a_removed_profile_fails_the_warm_build(sample):
    sample.build()
    (sample.root / "projects" / "karad.md").unlink()
    errors = sample.build_fails()
    assert f"{ISSUE}:19:" in errors


@pytest.mark.allow_warnings
@pytest.mark.parametrize("setting, link", [
    ("anchors", "kontakt.md#nirgends"),  # checked after rendering, with the anchors the cache restores
    ("absolute_links", "/kontakt/"),  # logged by the conversion itself, and logged again from the cache
])
def test_a_warm_build_warns_as_the_cold_one_did(site, caplog, setting, link):
    site.configure(f"""
        validation:
          {setting}: warn
    """)
    site.write("content/ueber-das-programm.md", f"# Über das Programm\n\nSiehe [Kontakt]({link}).\n")

    def warnings() -> list[str]:
        found = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        caplog.clear()
        return found

    site.build()
    cold = warnings()
    assert any(link.split("#")[-1] in warning for warning in cold)
    site.build()
    assert warnings() == cold


def test_a_damaged_entry_is_converted_again(sample, conversions):
    sample.build()
    for entry in (sample.root / ".cache" / "rundbrief" / "rendered").iterdir():
        entry.write_text('{"content": "<p>abgeschnit', encoding="utf-8")
    conversions.clear()
    sample.build()
    assert len(conversions) > 20
    assert "Kooperationen zu Armutsbekämpfung" in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")


def test_entries_of_pages_gone_are_removed(sample):
    extra = sample.write("content/termine.md", "# Termine\n\nBald mehr.\n")
    sample.build()
    rendered = sample.root / ".cache" / "rundbrief" / "rendered"
    before = set(rendered.iterdir())
    extra.unlink()
    sample.build()
    after = set(rendered.iterdir())
    assert after and not after & before  # another file list: every page is rendered anew
    assert len(after) < len(before)


def test_an_extension_that_reads_other_files_turns_the_cache_off(sample, conversions):
    with (sample.root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("  - pymdownx.snippets\n")  # mkdocs.yml ends with the list of extensions
    sample.build()
    conversions.clear()
    sample.build()
    assert len(conversions) > 20
