"""Symbolic links and names in the project's folders. Content is what lies in its own folder: a link
leading elsewhere would publish whatever it points at — /etc/passwd, a private key, the checkout's
`.git/config` with its token, an `.env`, a draft from `newsletters/` as a page of `content/`. A link
leading back into its own folder would make every walk over the folder endless. A name holding a
control character would give a terminal commands and a page's title reversed text. All are refused,
naming the file, before anything reads the folders."""

from __future__ import annotations

import os
from pathlib import Path

from .problems import Problem
from .text import CONTROL, control_name


def outside(root: Path, path: Path) -> str | None:
    """Why `path` must not be published, if it or a folder on its way leads out of `root`."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a link pointing at itself, directly or in a loop
        return "Der Verweis (Symlink) führt im Kreis. Erlaubt sind nur Dateien im Projektordner: den Verweis entfernen."
    if not resolved.is_relative_to(root.resolve()):
        return (f"Der Verweis (Symlink) zeigt auf „{resolved}“ außerhalb des Projekts und wird nicht "
                "veröffentlicht. Erlaubt sind nur Dateien im Projektordner: die Datei hineinkopieren.")
    return None


def unsafe_links(root: Path, folders: list[Path]) -> list[Problem]:
    """Every name below `folders` holding a control character, and every link that leads out of its own
    folder, nowhere, or into a folder containing it."""
    problems = []
    for folder in folders:
        if reason := outside(root, folder):
            problems.append(Problem(folder.relative_to(root).as_posix(), 1, reason))
            continue
        for parent, dirnames, filenames in os.walk(folder):  # links to folders are not followed
            for name in dirnames + filenames:
                path = Path(parent, name)
                if (reason := _unsafe_name(name)) or (path.is_symlink() and (reason := _unsafe(root, folder, path))):
                    problems.append(Problem(path.relative_to(root).as_posix(), 1, reason))
            dirnames[:] = [name for name in dirnames if not _unsafe_name(name)]  # one message for a folder
    return problems


def _unsafe_name(name: str) -> str | None:
    bad = CONTROL.search(name)
    if bad is None:
        return None
    return (f"Der Name enthält das unsichtbare Zeichen {control_name(bad.group())} und wird nicht veröffentlicht. "
            "Erlaubt sind Namen aus sichtbaren Zeichen: die Datei oder den Ordner umbenennen.")


def _unsafe(root: Path, folder: Path, link: Path) -> str | None:
    if reason := outside(root, link):
        return reason
    if not link.exists():
        return "Der Verweis (Symlink) zeigt ins Leere. Erlaubt sind nur vorhandene Dateien: den Verweis entfernen."
    resolved = link.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        shown = resolved.relative_to(root.resolve()).as_posix()
        return (f"Der Verweis (Symlink) zeigt auf „{shown}“ außerhalb des Ordners {folder.relative_to(root).as_posix()}/ "
                "und wird nicht veröffentlicht. Erlaubt sind nur Verweise auf Dateien im selben Ordner: die Datei "
                "hineinkopieren oder den Verweis entfernen.")
    if resolved in (link.parent.resolve(), *link.parent.resolve().parents):
        return ("Der Verweis (Symlink) zeigt auf einen Ordner, der ihn selbst enthält, und führt im "
                "Kreis. Erlaubt sind nur Dateien und Ordner im Projektordner: den Verweis entfernen.")
    return None
