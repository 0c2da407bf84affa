"""Publishing a built site to a target: a folder, an SFTP server, a git branch. The plan (what to send,
in which order, what to delete) is the core's (`core/publishing.py`); a target only reads, writes and
deletes single files by their names, each write atomic."""

from __future__ import annotations

import itertools
import stat
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rundbrief.core.publishing import (JOURNAL, MANIFEST, hash_site, journal_bytes, manifest_bytes, plan, rank,
                                       read_journal, read_manifest, site_files, summary)

PASSWORD_VARIABLE = "RUNDBRIEF_PUBLISH_PASSWORD"
PROGRESS_FROM = 20  # files; fewer are sent too fast to need progress

FORMS = ("„file:///pfad/zum/ordner“ (ein Ordner), „sftp://benutzer@server/pfad“ (ein Webspace über SFTP) "
         "oder „git+https://server/gruppe/projekt.git#zweig“ (ein Zweig eines git-Repositorys, z. B. für "
         "GitLab, Codeberg oder GitHub Pages)")


class Refused(Exception):
    """A publish that cannot go on: the German reason and what to do."""


def real_folder(mode: int, *, create: bool, folder: str, root: str) -> bool:
    """Whether a folder of the target with this `mode` is a real folder; where it is none, False for a
    look (`create` False), and refused for a write: a link could lead a write anywhere."""
    if not create and not stat.S_ISDIR(mode):
        return False
    if stat.S_ISLNK(mode):
        raise Refused(f"{folder} ist ein Verweis (Symlink). Rundbrief schreibt nur in echte Ordner "
                      f"innerhalb von {root}: den Verweis durch einen Ordner ersetzen.")
    if not stat.S_ISDIR(mode):
        raise Refused(f"{folder} ist eine Datei, wo die Website einen Ordner braucht. Die Datei "
                      "umbenennen oder löschen.")
    return True


class Target(Protocol):
    label: str  # the target as the editor named it, fit to print: no password or token

    def read(self, name: str) -> bytes | None: ...

    def write(self, name: str, data: bytes) -> None:
        """Replaces `name` atomically: a reader gets the old file or the new one, never a part."""

    def write_all(self, files: list[tuple[str, Path]], done: Callable[[], None]) -> None:
        """Writes each file as `write` does, in any order or several at once, calling `done` after each."""

    def delete(self, name: str) -> None:
        """Removes `name` (and a half-written copy of it) if there, and folders left empty by it."""

    def finish(self, message: str) -> None:
        """Makes what was written public where a target needs a last step (git: commit and push)."""

    def close(self) -> None: ...


@dataclass
class Outcome:
    sent: int
    deleted: int
    unchanged: int

    def __str__(self) -> str:
        return summary(self.sent, self.deleted, self.unchanged)


def publish(site: Path, target: Target, progress: Callable[[str], None]) -> Outcome:
    """Brings `target` to the built `site`: sends what changed (assets, pages, then feeds and sitemap),
    then writes the manifest, then deletes what the last publish sent and the site no longer has. The
    journal, written first and removed last, lets the next run complete an interrupted one."""
    files = site_files(site)
    hashes = hash_site(files)
    previous = read_manifest(target.read(MANIFEST))
    pending = read_journal(target.read(JOURNAL))
    steps = plan(hashes, previous, pending)
    if not steps.empty:  # else the target is the site already: nothing is written, not even the manifest
        target.write(JOURNAL, journal_bytes([*steps.send, *steps.delete]))
        counted = _Counted(len(steps.send), progress)
        for _, names in itertools.groupby(steps.send, key=rank):
            target.write_all([(name, files[name]) for name in names], counted.one)
        target.write(MANIFEST, manifest_bytes(hashes))
        for name in steps.delete:
            target.delete(name)
        target.delete(JOURNAL)
    outcome = Outcome(len(steps.send), len(steps.delete), steps.unchanged)
    target.finish(f"Website veröffentlicht: {outcome}")
    return outcome


class _Counted:
    """The progress of sending, in quarters; a few files go too fast to need it."""

    def __init__(self, total: int, progress: Callable[[str], None]):
        self.total, self.progress, self.done, self.shown = total, progress, 0, 0

    def one(self) -> None:
        self.done += 1
        step = self.done * 4 // self.total if self.total >= PROGRESS_FROM else 0
        if step > self.shown:
            self.shown = step
            self.progress(f"  {self.done} von {self.total} Dateien übertragen")


def open_target(url: str, project: Path, site: Path) -> Target:
    """The target a URL names; refused in German when the URL is none of the three forms."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme == "file":
        from .folder import FolderTarget
        return FolderTarget.from_url(url, project, site)
    if scheme == "sftp":
        from .sftp import SftpTarget
        return SftpTarget.from_url(url)
    if scheme.startswith("git+"):
        from .git import GitTarget
        return GitTarget.from_url(url)
    raise Refused(f"Das Ziel „{url}“ ist keine bekannte Adresse. Erlaubt sind {FORMS}.")


def without_password(url: str) -> str:
    """The URL fit to print: a password or token in it is replaced by „***“."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
