"""The package ships py.typed: its annotations must hold."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def test_mypy_finds_no_error():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", str(REPO / "plugins" / "rundbrief")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout
    assert "Success: no issues found" in result.stdout
