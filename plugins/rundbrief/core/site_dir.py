"""Where a site may be built. A build empties its folder first, so a folder that holds the project, its
sources, or anything not built by Rundbrief is refused: `--site-dir .` once replaced a whole project,
`.git` included. Built folders carry a stamp file to tell them apart."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

STAMP = ".rundbrief-site"
STAMP_TEXT = "Gebaut von Rundbrief. Dieser Ordner wird bei jedem Bau vollständig ersetzt.\n"


def refusal(target: Path, project: Path, sources: Mapping[str, Path]) -> str | None:
    """Why the site must not be built into `target`, or None. `sources` names the folders in the
    `project` that hold the editors' work (content, issues, profiles, theme overrides)."""
    target = target.resolve()
    for name, source in {"den Projektordner": project, **sources}.items():
        source = source.resolve()
        if source == target or source.is_relative_to(target):
            return (f"Der Zielordner „{target}“ ist oder enthält {name} („{source}“); der Bau würde ihn löschen. "
                    "Erlaubt ist ein eigener Ordner für die Website, z. B. „site“ im Projektordner.")
        if target.is_relative_to(source) and source != project.resolve():
            return (f"Der Zielordner „{target}“ liegt im Ordner „{source}“, der {name} enthält; die Website "
                    "würde zwischen die Quellen geschrieben. Erlaubt ist ein eigener Ordner für die Website, "
                    "z. B. „site“ im Projektordner.")
    if target.exists() and not target.is_dir():
        return f"Der Zielordner „{target}“ ist eine Datei. Erlaubt ist ein Ordner, z. B. „site“."
    if target.is_dir() and not (target / STAMP).is_file() and any(target.iterdir()):
        return (f"Der Zielordner „{target}“ ist nicht leer und wurde nicht von Rundbrief gebaut; der Bau würde "
                "seinen Inhalt löschen. Erlaubt ist ein leerer oder neuer Ordner, oder einer, in den Rundbrief "
                "schon gebaut hat. Den Ordner selbst leeren oder einen anderen wählen.")
    return None
