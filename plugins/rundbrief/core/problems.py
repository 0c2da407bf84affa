"""Problems found in content, reported to editors as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file. `path` is relative to the project, `line` counts from 1."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """All problems of a build at once, so that editors fix them in one round."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} Fehler:\n" + "\n".join(f"  {p}" for p in self.problems))
