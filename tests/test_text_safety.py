"""Safe by construction (issue 24): names taken from content fit every file system, control characters
never reach a page, a post text or the terminal, every generated address is reserved, every URL
attribute is checked, and the importer takes no more than the build does."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from conftest import Site, make_project
from content import issue, profile


def _portrait(heading: str) -> str:
    return f"\n## Vorgestellt\n\n### {heading}\n\nText über [KArAD](../projects/karad.md).\n"


def test_a_long_heading_builds_with_a_short_file_name(site):
    profile(site)
    heading = "Ä" * 300
    issue(site, body=_portrait(heading))
    out = site.build()
    texts = list((out / "linkedin" / "2024-12-13").glob("*.txt"))
    assert len(texts) == 1
    assert len(texts[0].name.encode()) <= 104
    assert texts[0].read_text(encoding="utf-8").startswith("Ä" * 100)
    assert f'id="{texts[0].stem}"' in site.html("newsletters/2024-12-13/")


def test_two_long_headings_alike_to_the_cut_keep_their_own_texts(site):
    profile(site)
    start = "Ein sehr langer Titel " * 10
    issue(site, body=_portrait(start + "eins") + "\nMehr.\n\n### " + start + "zwei\n\nAnderes.\n")
    out = site.build()
    texts = sorted((out / "linkedin" / "2024-12-13").glob("*.txt"))
    assert len(texts) == 2
    assert sorted("Anderes." in text.read_text(encoding="utf-8") for text in texts) == [False, True]


def test_a_long_file_name_is_refused_with_a_short_one_to_use(site):
    profile(site, "k" * 200)
    errors = site.build_fails()
    assert f"projects/{'k' * 200}.md:1: Der Dateiname" in errors
    assert f"„{'k' * 91}-" in errors


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(heading=st.text(alphabet=st.sampled_from("äÄßa Z-–.:*"), min_size=200, max_size=3000))
def test_long_headings_build_or_are_refused_in_german(heading, caplog):
    with tempfile.TemporaryDirectory() as folder:
        site = Site(Path(folder), caplog)
        make_project(site.root, sample=False)
        profile(site)
        issue(site, body=_portrait(heading))
        caplog.clear()
        try:
            site.build()
        except Abort:
            errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
            assert any("newsletters/2024-12-13.md:" in error for error in errors), errors
            assert not any("Traceback" in error or "OSError" in error for error in errors), errors
