"""Output that needs only the rendered Markdown (feeds, post texts, cards) is written on a second core
while MkDocs renders the page templates: MkDocs renders the Markdown of every page before the first
template, so the work can start in `on_env`. Threads would gain nothing under the GIL; a forked process
shares all that is already read. The build waits for it in `on_post_build` and fails if it failed."""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError


class Background:
    def __init__(self, what: str) -> None:
        self.what = what  # for the error message, e.g. "die Feeds"
        self.pid: int | None = None

    def start(self, work: Callable[[], None], site_dir: str) -> None:
        """Runs `work`, which writes into `site_dir`, in a forked process, or here and now where that
        cannot help (one core) or is not safe: beside other threads (`mkdocs serve`), whose locks a
        child would inherit held, and outside Linux (Windows has no fork; macOS system libraries may
        crash in a forked child)."""
        self.wait()
        # MkDocs makes the site folder only when it writes the first page, after `on_env`.
        Path(site_dir).mkdir(parents=True, exist_ok=True)
        if not sys.platform.startswith("linux") or _cores() < 2 or threading.active_count() > 1:
            work()
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            self.pid = pid
            return
        status = 1
        try:
            work()
            status = 0
        except BaseException:  # the parent reports the failure; the traceback says what it was
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(status)  # never return into MkDocs: the parent goes on with the build

    def wait(self) -> None:
        """Waits for the work started last; raises if it failed."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
            raise PluginError(f"Schreiben fehlgeschlagen: {self.what}. Die Ursache steht in der Meldung darüber.")

    def cancel(self) -> None:
        """Stops the work of a failed build, so that nothing writes into the site after it."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _cores() -> int:
    """The cores this process may run on, which a container or `taskset` may limit."""
    return len(os.sched_getaffinity(0))
