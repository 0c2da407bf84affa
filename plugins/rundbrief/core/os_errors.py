"""What went wrong with a file, in German, by the system's error number: the system's own words are
English, and the same error reads the same wherever it is met."""

from __future__ import annotations

import errno

_NO_PERMISSION = ("Keine Berechtigung für {path}. Die Schreibrechte für diesen Ordner prüfen oder einen anderen "
                  "Ordner wählen.")
_WHAT_TO_DO = {
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.EROFS: "{path} liegt auf einem schreibgeschützten Datenträger. Einen anderen Ordner wählen.",
    errno.ENOSPC: "Kein Platz mehr auf dem Datenträger für {path}. Platz schaffen und den Befehl wiederholen.",
    errno.EDQUOT: "Das Speicherkontingent ist erschöpft, {path} konnte nicht geschrieben werden. Platz schaffen "
                  "und den Befehl wiederholen.",
    errno.ENOENT: "{path} gibt es nicht (mehr). Den Pfad prüfen und den Befehl wiederholen.",
    errno.ELOOP: "{path} ist ein Verweis (Symlink), der im Kreis auf sich selbst zeigt. Den Verweis löschen.",
    errno.ENOTDIR: "{path}: ein Teil des Pfads ist eine Datei, kein Ordner. Den Pfad prüfen.",
    errno.EISDIR: "{path} ist ein Ordner, erwartet ist eine Datei. Den Ordner umbenennen.",
    errno.EEXIST: "{path} gibt es schon, aber als Datei, wo ein Ordner hingehört. Die Datei umbenennen oder löschen.",
}


def os_error_text(code: int | None, path: str | None) -> str:
    """Why reading or writing `path` failed with error number `code`, and what to do."""
    path = path or "eine Datei"
    if code in _WHAT_TO_DO:
        return _WHAT_TO_DO[code].format(path=path)
    return f"{path} ließ sich nicht lesen oder schreiben ({error_name(code)}). Den Pfad prüfen."


def error_name(code: int | None) -> str:
    """The system's error by its symbolic name, which a search finds: "Systemfehler ENXIO"."""
    return f"Systemfehler {errno.errorcode.get(code, code)}" if code is not None else "Systemfehler ohne Nummer"
