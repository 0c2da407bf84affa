"""The error the plugins raise for problems, keeping them for `rundbrief check`."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from rundbrief.core import Problem, report


class ProblemsError(PluginError):
    """Fails the build with every problem at once, as `path:line: message` lines."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(report(self.problems))


def config_problem(message: str) -> Problem:
    return Problem("mkdocs.yml", 1, message)
