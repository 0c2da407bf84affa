"""The speed layer (adapter/speed/) changes how fast a site is built, never what is built: with
`speed: false` a build writes the same bytes as with the layer on, cold or warm; and where MkDocs lacks
an internal the layer relies on, the build says so once and writes the same bytes without it."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import pytest
from jinja2 import FileSystemBytecodeCache

from conftest import REPO, Site, make_project
from rundbrief.adapter.speed import host

sys.path.insert(0, str(REPO / "bench"))
from build_speed import issue, profile  # noqa: E402  the benchmark's generated archive, smaller

OFF = "  - rundbrief:\n      speed: false\n"


def _files(site: Site) -> dict[str, bytes]:
    return {path.relative_to(site.out).as_posix(): path.read_bytes()
            for path in sorted(site.out.rglob("*")) if path.is_file()}


def _without_speed(site: Site, caplog: pytest.LogCaptureFixture) -> Site:
    """A copy of the project, built with `speed: false`."""
    plain = Site(site.root.with_name(f"{site.root.name}-plain"), caplog)
    shutil.copytree(site.root, plain.root, ignore=shutil.ignore_patterns(".cache", "site"))
    config = (plain.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - rundbrief:\n" in config
    (plain.root / "mkdocs.yml").write_text(config.replace("  - rundbrief:\n", OFF), encoding="utf-8")
    return plain


def _same_as_without_speed(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    plain = _without_speed(site, caplog)
    plain.build()
    expected = _files(plain)
    assert not (plain.root / ".cache" / "rundbrief" / "rendered").exists()  # the layer was off
    site.build()  # cold: nothing in the cache, Markdown converted and templates compiled ahead
    assert (site.root / ".cache" / "rundbrief" / "rendered").is_dir()
    assert _files(site) == expected
    site.build()  # warm: pages from the render cache, compiled templates
    assert _files(site) == expected


def test_the_sample_is_built_the_same_with_and_without_the_speed_layer(sample, caplog):
    _same_as_without_speed(sample, caplog)


def test_a_generated_archive_is_built_the_same_with_and_without_the_speed_layer(tmp_path, caplog):
    site = Site(tmp_path / "generated", caplog)
    make_project(site.root, sample=False)
    for n in range(40):
        site.write(f"projects/p{n}.md", profile(n))
    for n in range(10):
        site.write(f"newsletters/ausgabe-{n:03}.md", issue(n, 40))
    _same_as_without_speed(site, caplog)


@pytest.mark.allow_warnings
def test_a_missing_host_internal_switches_the_layer_off_with_one_warning(sample, caplog, monkeypatch):
    plain = _without_speed(sample, caplog)
    plain.build()
    monkeypatch.delattr(FileSystemBytecodeCache, "_get_cache_filename")  # as a later Jinja might
    host.missing.cache_clear()
    try:
        sample.build()
    finally:
        host.missing.cache_clear()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("Die Beschleunigung von Rundbrief ist abgeschaltet:")
    assert "FileSystemBytecodeCache._get_cache_filename" in warnings[0]
    assert "wie mit „speed: false“" in warnings[0]
    assert not (sample.root / ".cache" / "rundbrief" / "rendered").exists()
    assert _files(sample) == _files(plain)


@pytest.mark.allow_warnings
def test_a_template_the_layer_patches_no_longer_as_it_was_switches_the_layer_off(sample, caplog):
    overrides = sample.root / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    material = Path(__import__("material").__file__).parent / "templates" / "partials" / "language.html"
    text = material.read_text(encoding="utf-8")
    (overrides / "partials").mkdir(exist_ok=True)
    (overrides / "partials" / "language.html").write_text(
        text.replace("{{ lang.t(key) or fallback.t(key) or key }}", "{{ lang.t(key) or key }}"), encoding="utf-8")
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(config.replace(f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides"),
                                            encoding="utf-8")
    sample.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Übersetzungen einmal nachgeschlagen" in warnings[0], warnings
    assert "Zum Inhalt" in sample.html("")  # built all the same, Material's texts in German


@pytest.mark.slow
def test_the_preview_without_the_speed_layer_builds_every_save_whole(sample, start):
    config = (sample.root / "mkdocs.yml").read_text(encoding="utf-8")
    (sample.root / "mkdocs.yml").write_text(config.replace("  - rundbrief:\n", OFF), encoding="utf-8")
    preview = start()
    issue_page = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
    preview.poll(issue_page, "Ein bunter Bus")
    preview.edit("newsletters/2024-12-13-die-vernetzungsstelle-informiert.md", "Ein bunter Bus", "Ein roter Bus")
    preview.poll(issue_page, "Ein roter Bus")
    preview.poll("newsletters/", "Ein roter Bus")  # the archive's teaser too: a whole build
    output = preview.stop()
    assert "Seiten neu gebaut" not in output  # no rebuild of only the changed pages
    assert not (sample.root / ".cache" / "rundbrief" / "rendered").exists()
