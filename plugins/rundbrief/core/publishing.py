"""What a publish sends, in which order, and what it deletes: the plan, made from the built site's
hashes and the manifest the last publish left on the target. Pure: the targets (adapter/publish/) carry
it out.

The manifest is the target's memory of what Rundbrief put there. Only its names are ever deleted, so
whatever else lives on the target (a host's own files, a CNAME) stays. A publish in progress leaves a
journal beside it listing every name it may touch; if the publish dies, the next one treats those names
as unknown, sends them again and deletes those the site no longer has: the previous site keeps working
in between, and the next run completes it."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .site_dir import STAMP

MANIFEST = ".rundbrief-manifest.json"
JOURNAL = ".rundbrief-manifest.pending.json"  # a publish in progress: every name it may write or delete
TEMPORARY = ".rundbrief-neu"  # suffix of a file being written, renamed onto its name when complete
_OWN = {MANIFEST, JOURNAL}
_VERSION = 1

# A name on the target: relative, "/"-separated, no empty, "." or ".." part, no backslash (a folder
# separator on Windows shares), no control character, not one of the publish's own files.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")

# Ranks of the order of sending: what pages load, then pages, then what points at pages.
ASSET, PAGE, FEED = 0, 1, 2


def confined(name: str) -> bool:
    """Whether `name` stays inside the target: a publish never writes or deletes anything else."""
    if not name or name.startswith("/") or _CONTROL.search(name):
        return False
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    return name not in _OWN and not parts[-1].endswith(TEMPORARY)


def rank(name: str) -> int:
    """Assets first (styles, scripts, pictures, the search index, texts), then pages, then feeds and
    the sitemap: a reader never gets a page that points at a file not yet there, nor a feed or sitemap
    that points at a page not yet there."""
    base = name.rsplit("/", 1)[-1]
    if base.endswith((".xml", ".xml.gz")) or base == "feed.json":
        return FEED
    if base.endswith(".html"):
        return PAGE
    return ASSET


def temporary(name: str) -> str:
    """Where `name` is written before it is renamed onto its name: the same folder, so the rename is
    atomic, and a dot file, which web servers usually do not serve."""
    folder, _, base = name.rpartition("/")
    return f"{folder}/.{base}{TEMPORARY}" if folder else f".{base}{TEMPORARY}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def site_files(site: Path) -> dict[str, Path]:
    """The files of a built site by their names on the target. Links are not followed (a build writes
    none); the build's own stamp stays home."""
    files: dict[str, Path] = {}
    for path in sorted(site.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        if name != STAMP and confined(name):
            files[name] = path
    return files


def hash_site(files: Mapping[str, Path]) -> dict[str, str]:
    return {name: digest(path.read_bytes()) for name, path in files.items()}


def manifest_bytes(hashes: Mapping[str, str]) -> bytes:
    return json.dumps({"version": _VERSION, "files": dict(sorted(hashes.items()))}, ensure_ascii=False,
                      indent=0).encode("utf-8")


def journal_bytes(names: Iterable[str]) -> bytes:
    return json.dumps({"version": _VERSION, "pending": sorted(set(names))}, ensure_ascii=False,
                      indent=0).encode("utf-8")


def read_manifest(data: bytes | None) -> dict[str, str]:
    """The files the last complete publish left, by hash. The target is no trusted place: anything but
    a well-formed manifest counts as none, and names that leave the target are dropped, so that a
    manifest planted there can never make a publish delete or write outside it."""
    loaded = _load(data)
    files = loaded.get("files") if isinstance(loaded, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: value for name, value in files.items()
            if isinstance(name, str) and isinstance(value, str) and confined(name)}


def read_journal(data: bytes | None) -> set[str]:
    loaded = _load(data)
    pending = loaded.get("pending") if isinstance(loaded, dict) else None
    if not isinstance(pending, list):
        return set()
    return {name for name in pending if isinstance(name, str) and confined(name)}


def _load(data: bytes | None) -> object:
    if data is None:
        return None
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) and loaded.get("version") == _VERSION else None


@dataclass
class Plan:
    send: list[str] = field(default_factory=list)  # in the order of sending
    delete: list[str] = field(default_factory=list)  # after the new manifest is written
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not self.send and not self.delete


def plan(site: Mapping[str, str], previous: Mapping[str, str], pending: Iterable[str] = ()) -> Plan:
    """What to send and delete so that the target holds `site` (name → hash), given the manifest of the
    last complete publish and the journal of one that did not complete. A name of the journal may have
    been written or deleted or neither: it is sent again if the site has it, deleted if not."""
    known: dict[str, str | None] = dict(previous)
    for name in pending:
        known[name] = None
    send = sorted((name for name in site if known.get(name) != site[name]),
                  key=lambda name: (rank(name), name))
    delete = sorted((name for name in known if name not in site and confined(name)),
                    key=lambda name: (-name.count("/"), name))  # deepest first: folders empty from inside out
    return Plan(send, delete, len(site) - len(send))


def summary(sent: int, deleted: int, unchanged: int) -> str:
    """„12 Dateien übertragen, 3 gelöscht, 480 unverändert“."""
    def files(n: int) -> str:
        return f"{n} Datei" if n == 1 else f"{n} Dateien"
    return f"{files(sent)} übertragen, {deleted} gelöscht, {unchanged} unverändert"
