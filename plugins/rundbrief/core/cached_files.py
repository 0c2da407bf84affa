"""Files in the project's cache (pictures, cards, rendered pages, the search index): written whole or
not at all, since builds run side by side (a preview beside a build, one drawer per core) and can be
killed; and put into the site by a hard link, which costs no copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def link(cached: Path, target: Path) -> None:
    """Puts a cached file at `target`, in place of what an earlier build left there."""
    try:
        os.link(cached, target)
    except FileExistsError:
        target.unlink()
        link(cached, target)
    except OSError:  # a cache on another file system
        shutil.copyfile(cached, target)
