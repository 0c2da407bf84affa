"""The platform under the site: a fresh build wherever it runs, and with Material's options as set."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


def _tags_export_off(site) -> None:
    """Material's tags plugin made the site folder before the feeds were written into it; with its
    export off nothing did."""
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tags:\n", "  - tags:\n      export: false\n"), encoding="utf-8")


def test_fresh_build_with_the_tags_export_off(sample):
    _tags_export_off(sample)
    assert not sample.out.exists()
    sample.build()
    assert not (sample.out / "tags.json").exists()
    assert (sample.out / "feed.xml").is_file()
    assert (sample.out / "linkedin/2024-12-13-die-vernetzungsstelle-informiert.txt").is_file()


@pytest.mark.skipif(not shutil.which("taskset"), reason="taskset (util-linux) is missing")
def test_fresh_build_on_one_core(sample):
    """On one core, as on macOS and Windows, the feeds are written in the build's own process, at once."""
    _tags_export_off(sample)
    result = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=sample.root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert (sample.out / "feed.xml").is_file()
    assert (sample.out / "feed.json").is_file()
    assert (sample.out / "newsletters/2024-12-13-die-vernetzungsstelle-informiert/index.html").is_file()
