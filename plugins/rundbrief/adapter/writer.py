"""The one writer of derived outputs: feeds, post texts, cards. Each plugin adds its part; all parts
run in one process forked when every page's Markdown is rendered (MkDocs renders the Markdown of every
page before the first template), so that they are written on a second core while MkDocs renders the
templates. Threads would gain nothing under the GIL; a forked process shares all that is already
read. The build waits for it in `on_post_build` and fails if it failed."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

Part = Callable[[Path], None]  # writes into the site folder it is given
_FAILED = 10  # a child's exit status: 10 + the index of the part that failed


class Writer:
    def __init__(self) -> None:
        self.parts: list[tuple[str, Part]] = []
        self.pid: int | None = None
        self.later: Path | None = None  # the site folder, where `wait` writes the parts

    def reset(self) -> None:
        """A new build: `mkdocs serve` builds many times with the same plugins."""
        self.cancel()
        self.parts = []
        self.later = None

    def add(self, what: str, part: Part) -> None:
        """`what` names the output in a failure, e.g. "die Feeds"."""
        self.parts.append((what, part))

    def start(self, site_dir: Path, *, later: bool = False) -> None:
        """Runs the parts in a forked process, or here and now where that cannot help (one core) or is
        not safe: beside other threads (`mkdocs serve`), whose locks a child would inherit held, and
        outside Linux (Windows has no fork; macOS system libraries may crash in a forked child).
        `later` leaves them to `wait`: the preview writes them once it serves the pages."""
        site_dir.mkdir(parents=True, exist_ok=True)  # MkDocs makes it only when it copies the first file
        if later:
            self.later = site_dir
            return
        if not sys.platform.startswith("linux") or _cores() < 2 or threading.active_count() > 1:
            self._write(site_dir)
            return
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid:
            self.pid = pid
            return
        status, index = 1, 0
        try:
            _die_with(parent)
            for index, (_, part) in enumerate(self.parts):
                part(site_dir)
            status = 0
        except BaseException:  # the parent reports the failure; the traceback says what it was
            traceback.print_exc()
            status = _FAILED + index  # tells the parent which part failed
        finally:
            sys.stderr.flush()
            os._exit(status)  # never return into MkDocs: the parent goes on with the build

    def _write(self, site_dir: Path) -> None:
        for what, part in self.parts:
            try:
                part(site_dir)
            except OSError as e:  # a full disk, a folder without write permission
                raise PluginError(f"Schreiben fehlgeschlagen: {what}. {e}") from e

    def wait(self) -> None:
        """Waits for the parts started last; raises if they failed."""
        if self.later:
            site_dir, self.later = self.later, None
            self._write(site_dir)
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if status != 0:
            failed = status - _FAILED
            what = self.parts[failed][0] if 0 <= failed < len(self.parts) else "die Feeds und LinkedIn-Texte"
            raise PluginError(f"Schreiben fehlgeschlagen: {what}. Die Ursache steht in der Meldung darüber.")

    def cancel(self) -> None:
        """Stops the work of a failed build, so that nothing writes into the site after it."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _die_with(parent: int) -> None:
    """Has the kernel kill this process when its parent dies, even by `kill -9`: nothing may go on
    writing into a site after the build that started it is gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>; fork is used on Linux only


def _cores() -> int:
    """The cores this process may run on, which a container or `taskset` may limit."""
    return len(os.sched_getaffinity(0))
