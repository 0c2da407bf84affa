"""The sample site's feeds and its LinkedIn post, byte for byte: any change to them is a diff in review.
`RUNDBRIEF_GOLDEN=1` rewrites the files in tests/golden/ from the build instead of comparing."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from rundbrief.core.text import BERLIN

GOLDEN = Path(__file__).parent / "golden"
POST = "linkedin/2024-12-13-die-vernetzungsstelle-informiert.txt"


@pytest.fixture
def built(sample):
    # The site carries the issues due by the build's clock: it is fixed, so the files do not change with it.
    return sample.build(now=datetime.datetime(2025, 1, 31, 12, tzinfo=BERLIN))


@pytest.mark.parametrize("path", ["feed.xml", "feed.json", POST])
def test_output_matches_golden_file(built, path):
    golden = GOLDEN / Path(path).name
    produced = (built / path).read_bytes()
    if os.environ.get("RUNDBRIEF_GOLDEN"):
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"{path} differs from {golden}; RUNDBRIEF_GOLDEN=1 rewrites it"


def test_the_date_decides_what_the_feeds_carry(sample):
    """The golden feeds hold three issues because of the fixed date, not because of the real one."""
    out = sample.build(now=datetime.datetime(2024, 12, 12, 12, tzinfo=BERLIN))
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "2024-12-13-die-vernetzungsstelle-informiert" not in feed
    assert "2024-06-25-auftakt" in feed
