"""A cold build's second process converting Markdown ahead into the render cache: the site it helps
build is byte for byte the one a build on one core makes, its failure or its end at any moment
changes nothing, and the build's own process still finds and reports every problem."""

from __future__ import annotations

import json
import os
import shutil
import time

import markdown
import pytest

from rundbrief.adapter import writer
from rundbrief.core.cached_files import SIGNATURE_SIZE


@pytest.fixture
def conversions(monkeypatch) -> list[str]:
    """On a machine of two cores, the pages the build's own process converts, each taking a tenth
    of a second longer than it would: the process converting ahead, which is not slowed, is then
    sure to have converted most pages before the build comes to them."""
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)
    build = os.getpid()
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def slowly(self, source):
        if os.getpid() == build:
            converted.append(source)
            time.sleep(0.1)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", slowly)
    return converted


def _alone(site) -> dict[str, str]:
    """The site built from an empty cache on one core: no process converts ahead."""
    shutil.rmtree(site.root / ".cache")
    with pytest.MonkeyPatch.context() as one_core:
        one_core.setattr("rundbrief.adapter.writer._cores", lambda: 1)
        site.build()
    return site.outputs()


def test_a_cold_build_converted_ahead_equals_one_built_alone(sample, conversions):
    sample.build()
    ahead = sample.outputs()
    pages = len(list((sample.root / ".cache" / "rundbrief" / "rendered").iterdir()))
    assert pages > 20
    assert len(conversions) < pages / 2  # the other process converted most pages
    assert ahead == _alone(sample)


def test_a_warm_build_or_a_changed_configuration_is_told_apart(sample, monkeypatch):
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)
    started: list[str] = []
    start = writer.Workers.start

    def counting(self, tasks, *args, **kwargs):
        started.extend(what for what, _ in tasks)
        return start(self, tasks, *args, **kwargs)

    monkeypatch.setattr("rundbrief.adapter.writer.Workers.start", counting)
    ahead = "die Seiten im Voraus"
    sample.build()
    assert started.count(ahead) == 1
    sample.build()  # warm: every page is in the cache
    assert started.count(ahead) == 1
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "permalink_title: Link zu diesem Abschnitt", "permalink_title: Link hierher"), encoding="utf-8")
    sample.build()  # a changed extension's option: no page is in the cache
    assert started.count(ahead) == 2
    assert 'title="Link hierher"' in sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")


def test_a_failing_process_leaves_the_pages_to_the_build(sample, monkeypatch, capfd):
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)
    build = os.getpid()
    convert = markdown.Markdown.convert

    def failing(self, source):
        if os.getpid() != build:
            raise RuntimeError("Absturz beim Vorausrechnen")
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", failing)
    sample.build()
    ahead = sample.outputs()
    assert "Absturz" not in capfd.readouterr().err  # its failure is its own: no traceback for the editors
    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    assert ahead == _alone(sample)


def test_a_process_stopped_while_converting_leaves_only_whole_entries(sample, monkeypatch):
    """The build stops the process once its own has converted every page: here, long before the
    other is done, since it is slowed down instead."""
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)
    build = os.getpid()
    convert = markdown.Markdown.convert

    def slowly_ahead(self, source):
        if os.getpid() != build:
            time.sleep(0.05)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", slowly_ahead)
    sample.build()
    cold = sample.outputs()
    for entry in (sample.root / ".cache" / "rundbrief" / "rendered").iterdir():
        assert not entry.name.startswith(".")  # no file cut short, nor one of the build's left over
        assert isinstance(json.loads(entry.read_bytes()[SIGNATURE_SIZE:]), dict)  # after this machine's signature
    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    sample.build()
    assert sample.outputs() == cold


def test_problems_in_pages_converted_ahead_are_reported_by_the_build(sample, conversions, capfd):
    profile = sample.root / "projects" / "karad.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    line = profile.read_text(encoding="utf-8").count("\n")
    errors = sample.build_fails()
    assert errors.count(f"projects/karad.md:{line}: Nicht erlaubt: ein Skript (<script>).") == 1
    assert "Traceback" not in capfd.readouterr().err
    assert len(conversions) < 20  # the page with the problem was converted ahead
    errors_again = sample.build_fails()  # and is checked again by every build until it is mended
    assert f"projects/karad.md:{line}: Nicht erlaubt: ein Skript (<script>)." in errors_again
