"""Files in the project's cache (pictures, cards, rendered pages, the search index): written whole or
not at all, since builds run side by side (a preview beside a build, one drawer per core) and can be
killed; put into the site as copies (`place`); and keyed by what they are made of, the code that
makes them included (`code_digest`).

The cache is no trusted place: a CI cache restored from another branch, or a folder added to a pull
request, can put anything there. What is run from it (compiled templates) is signed with a key that
only this machine holds, outside every project (`signature`)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
import time
from functools import cache
from importlib import metadata, util
from pathlib import Path

KEY_SIZE = 32
SIGNATURE_SIZE = 32  # of HMAC-SHA256


def write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except BaseException as error:
        with contextlib.suppress(OSError):  # where nothing can be written, nothing is left: one error, not two
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:  # a full disk names no file: this one
            raise OSError(error.errno, error.strerror, str(target)) from None
        raise


def place(cached: Path, target: Path) -> None:
    """Puts a copy of a cached file at `target`, in place of what an earlier build left there. Never a
    link: a tool writing into the built site in place (a minifier, `rsync --inplace`, an editor) would
    change the cache, and every later build would publish the damage. Where the file system can share
    the blocks until one side is written (a reflink: Btrfs, XFS), the copy costs no more than a link."""
    target.unlink(missing_ok=True)  # an earlier build's hard link: writing through it would change the cache
    with cached.open("rb") as source, target.open("wb") as copy:
        if not _reflink(source.fileno(), copy.fileno()):
            shutil.copyfileobj(source, copy)


def _reflink(source: int, copy: int) -> bool:
    try:
        import fcntl  # not on Windows
        fcntl.ioctl(copy, _FICLONE, source)
    except (ImportError, OSError):  # ext4, tmpfs and most others: no shared blocks
        return False
    return True


_FICLONE = 0x40049409  # from <linux/fs.h>


@cache
def code_digest(modules: tuple[str, ...], distributions: tuple[str, ...] = ()) -> str:
    """The hash of the source of the modules that make a kind of cache entry, and of the versions of
    the packages they make it with: part of every such entry's key, so that a change to how cards are
    drawn or pictures derived makes the old results stale, with no number for anyone to bump."""
    digest = hashlib.sha256()
    for name in modules:
        spec = util.find_spec(name)
        assert spec and spec.origin, name
        digest.update(Path(spec.origin).read_bytes())
    for name in distributions:
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:  # e.g. ProperDocs beside MkDocs: one of the two
            digest.update(f"{name} -".encode())
    return digest.hexdigest()


def signature(data: bytes) -> bytes:
    """HMAC-SHA256 of `data` under this machine's key: what a build wrote into the cache, and nobody else."""
    return hmac.new(_key(), data, hashlib.sha256).digest()


def signed_by_us(mark: bytes, data: bytes) -> bool:
    return hmac.compare_digest(mark, signature(data))


@cache
def _key() -> bytes:
    """The machine's key, made on first use, outside every project: in the user's cache folder
    (XDG), readable by the user alone. Where none can be kept (a home without write permission),
    a key of this process: the cache then serves this build only, as nothing else verifies."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "rundbrief" / "key"
    try:
        return _read_key(path) or _create_key(path)
    except OSError:
        return secrets.token_bytes(KEY_SIZE)


def _read_key(path: Path) -> bytes | None:
    """The key, or None where there is none. A part of one is read again after a moment, since a build
    beside may be writing it (`_create_key`), and refused if it stays a part."""
    for pause in (0.0, 0.05):
        time.sleep(pause)
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            return None
        if len(key) == KEY_SIZE:
            return key
    raise OSError(f"{path}: no key")


def _create_key(path: Path) -> bytes:
    """Created only where there is none (O_EXCL), never replaced: of builds making one at once, one
    writes its key and the others read that one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_SIZE)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path) or key
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
    except BaseException:
        path.unlink(missing_ok=True)  # a part of a key would be refused by every later build
        raise
    return key
