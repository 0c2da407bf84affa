"""What text copied from Word brings along and Markdown silently turns into something else: a list
indented with a tab becomes a code block, a table's tab-separated rows one run-on paragraph."""

from __future__ import annotations

import re

from .markdown_scan import scan
from .problems import Problem, cut
from .source import Source

_TAB_LIST = re.compile(r"^\t+(?:[-*+•]|\d+[.)])[ \t]")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]")
_TAB_CELL = re.compile(r"\S\t+\S")  # a tab between words: a table's column


def pasted(source: Source) -> list[Problem]:
    """A problem at the first line of each such block of the body."""
    problems = []
    previous, context = "", ""  # the line above, and the last one with text
    table = 0  # the first line of the tab-separated rows under way, or 0
    rows = 0
    for line in scan(source.body):
        number, text = source.body_line + line.index, line.text
        if _TAB_LIST.match(text) and not previous.strip() and not _LIST.match(context) \
                and not context.startswith(("\t", "    ")):
            problems.append(Problem(source.path, number, (
                "Diese Aufzählung ist mit einem Tabulator eingerückt: Markdown zeigt sie deshalb als Codeblock in "
                "Schreibmaschinenschrift. Erlaubt ist eine Aufzählung am Zeilenanfang, „- Punkt“: den Tabulator "
                "vor „" + cut(text.strip()) + "“ und den folgenden Punkten löschen.")))
        if _TAB_CELL.search(text):
            table, rows = (table or number), rows + 1
        else:
            if rows >= 2:
                problems.append(_table(source.path, table))
            table = rows = 0
        previous = text
        if text.strip():
            context = text
    if rows >= 2:
        problems.append(_table(source.path, table))
    return problems


def _table(path: str, line: int) -> Problem:
    return Problem(path, line, (
        "Diese Zeilen sind durch Tabulatoren in Spalten geteilt, wohl eine aus Word kopierte Tabelle: Markdown "
        "macht daraus einen einzigen Absatz. Erlaubt ist eine Tabelle in Markdown, eine Zeile je Reihe mit „|“ "
        "zwischen den Spalten und „| --- | --- |“ unter der ersten, oder eine Aufzählung „- …“."))
