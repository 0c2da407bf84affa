"""Problems found in content, reported to editors as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


ERROR = "error"
WARNING = "warning"  # works, but hurts readers or reach; fails no build
NOTE = "note"  # nothing wrong, worth knowing: an issue scheduled to appear later
_PREFIXES = {WARNING: "Warnung: ", NOTE: "Hinweis: "}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file. `path` is relative to the project, `line` counts from 1."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {_PREFIXES.get(self.severity, '')}{self.message}"


def report(problems: list[Problem]) -> str:
    """All problems of a build at once, so that editors fix them in one round."""
    return f"{len(problems)} Fehler:\n" + "\n".join(f"  {problem}" for problem in sorted(problems))


def cut(value: object, limit: int = 60) -> str:
    """An editor's value as quoted in a message: at most `limit` characters, so that a huge value
    cannot flood the terminal or the build's memory."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
