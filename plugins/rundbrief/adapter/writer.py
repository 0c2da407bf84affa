"""The adapter's one executor policy, for every derived output, and the one writer of them. The core
never starts a thread or a process: it takes a map-like callable (`threads`).

- Threads where the work lets go of Python's lock: Pillow decoding, resizing and encoding pictures
  (`threads`), Pagefind indexing in a process of its own (search.py).
- A forked process where Python itself does the work while the build's own process renders the
  pages: the writer's parts (feeds, post texts, cached cards), forked once every page's Markdown is
  rendered (MkDocs renders the Markdown of every page before the first template), so that they are
  written on a second core while MkDocs renders the templates; and the card drawers, one per core,
  from the moment the content is read (`Workers`). A forked process shares all that is read already;
  the card drawers' text layout holds the lock, so threads would draw them one at a time.

The build waits for them in `on_post_build` and fails if one failed."""

from __future__ import annotations

import ctypes
import functools
import json
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from rundbrief.core.os_errors import os_error_text

# How much lower than the build's own the priority of the work is that the build needs only at its
# end: it takes the cores only while the build's process, whose rendering of the pages everything
# waits for, leaves them idle. The cards are the most of it and come last.
OUTPUTS_NICE = 5  # the writer's parts, the search's indexer
CARDS_NICE = 10

Part = Callable[[Path], None]  # writes into the site folder it is given
Task = tuple[str, Callable[[], None]]  # what it writes, named in a failure ("die Feeds"), and how


class Writer:
    def __init__(self) -> None:
        self.parts: list[tuple[str, Part]] = []
        self.workers = Workers()
        self.later: list[Task] = []  # left to `wait`: the preview writes them once it serves the pages

    def reset(self) -> None:
        """A new build: `mkdocs serve` builds many times with the same plugins."""
        self.cancel()
        self.parts = []

    def add(self, what: str, part: Part) -> None:
        """`what` names the output in a failure, e.g. "die Feeds"."""
        self.parts.append((what, part))

    def start(self, site_dir: Path, *, later: bool = False) -> None:
        """Runs the parts in turn in one forked process, or here and now (see `can_fork`).
        `later` leaves them to `wait`: the preview writes them once it serves the pages."""
        site_dir.mkdir(parents=True, exist_ok=True)  # MkDocs makes it only when it copies the first file
        tasks: list[Task] = [(what, functools.partial(part, site_dir)) for what, part in self.parts]
        if later:
            self.later = tasks
        else:
            self.workers.start(tasks, processes=1, nice=OUTPUTS_NICE)

    def wait(self) -> None:
        """Waits for the parts started last, or writes those left for later; raises if they failed."""
        tasks, self.later = self.later, []
        _run(tasks)
        self.workers.wait()

    def cancel(self) -> None:
        """Stops the work of a failed build, so that nothing writes into the site after it."""
        self.later = []
        self.workers.cancel()


class Workers:
    """Tasks shared out among forked processes, one per core unless told, which start at once: the
    writer's parts, and the cards, which depend on the content only and are drawn while MkDocs
    renders the pages."""

    def __init__(self) -> None:
        self.children: list[_Child] = []

    def start(self, tasks: list[Task], processes: int | None = None, *, nice: int = 0) -> None:
        """Runs the tasks in processes of their own, or here and now (see `can_fork`). `nice` lowers
        their priority: work that is needed only at the end of the build yields the cores to the
        build's own process, whose rendering is what the build waits for."""
        self.cancel()
        if not tasks:
            return
        if not can_fork():
            _run(tasks)
            return
        count = min(processes or _cores(), len(tasks))
        indices: Iterable[int] = _Queue(len(tasks)) if count > 1 else range(len(tasks))
        self.children = [_fork(tasks, indices, nice) for _ in range(count)]

    def wait(self) -> None:
        """Waits for every process; raises for the first failed task, once the others are stopped."""
        children, self.children = self.children, []
        for n, child in enumerate(children):
            try:
                child.wait()
            except PluginError:
                for other in children[n + 1:]:
                    other.kill()
                raise

    def cancel(self) -> None:
        """Stops the work of a failed build, so that nothing writes into the site after it."""
        children, self.children = self.children, []
        for child in children:
            child.kill()


class _Queue:
    """The tasks' indices, taken in turn by the processes that share them: a process slowed down
    (by the build's own, which has priority) leaves more of them to the others, so that all end at
    about the same time, which a fixed share of the tasks each would not."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.next = multiprocessing.get_context("fork").Value("q", 0)  # in memory shared across fork

    def __iter__(self) -> Iterator[int]:
        while True:
            with self.next.get_lock():
                index = self.next.value
                self.next.value += 1
            if index >= self.size:
                return
            yield index


@dataclass
class _Child:
    """A forked process running tasks in turn. It writes the index of the task that failed into its
    pipe, so that the build can name it, and the error number and file where a write failed."""

    pid: int
    pipe: int  # the read end
    tasks: list[Task]

    def wait(self) -> None:
        status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        with os.fdopen(self.pipe, "rb") as pipe:  # the child has exited: its end is closed
            failed = json.loads(pipe.read() or "null")
        if status != 0:
            names = [what for what, _ in self.tasks]
            what = names[failed[0]] if failed else ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
            reason = failure_reason(*failed[1:]) if failed and len(failed) > 1 else "Die Ursache steht in der Meldung darüber."
            raise PluginError(f"Schreiben fehlgeschlagen: {what}. {reason}")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.pipe)


def can_fork() -> bool:
    """Forking helps only with a second core, and is safe only on Linux without other threads:
    beside threads (`mkdocs serve`) a child would inherit their locks held; Windows has no fork;
    macOS system libraries may crash in a forked child."""
    return sys.platform.startswith("linux") and _cores() >= 2 and threading.active_count() == 1


def _fork(tasks: list[Task], indices: Iterable[int], nice: int = 0) -> _Child:
    """A process running the tasks at `indices`."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)  # so that the next child does not inherit it, and the pipe ends with the child
        return _Child(pid, read, tasks)
    os.close(read)
    status, index = 1, 0
    try:
        _die_with(parent)
        os.nice(nice)
        for index in indices:
            tasks[index][1]()
        status = 0
    except OSError as error:  # a full disk, a folder without write permission: the parent says so in German
        os.write(write, json.dumps([index, error.errno, None if error.filename is None else str(error.filename)]).encode())
    except BaseException:  # a fault of ours: the parent reports the failure, the traceback what it was
        traceback.print_exc()
        os.write(write, json.dumps([index]).encode())
    finally:
        sys.stderr.flush()
        os._exit(status)  # never return into MkDocs: the parent goes on with the build


def silence() -> None:
    """In a forked process whose logs and failures are the build's to report (work done ahead, which
    the build does again where it failed): neither Python's streams nor native code's (logging's
    handlers keep the streams they were given) may reach the terminal, not even on Ctrl-C."""
    silent = open(os.devnull, "w")
    os.dup2(silent.fileno(), 1)
    os.dup2(silent.fileno(), 2)
    sys.stdout = sys.stderr = silent


def _run(tasks: list[Task]) -> None:
    for what, task in tasks:
        try:
            task()
        except OSError as e:  # a full disk, a folder without write permission
            raise PluginError(f"Schreiben fehlgeschlagen: {what}. {failure_reason(e.errno, e.filename)}") from e


def failure_reason(code: int | None, path: object) -> str:
    """Why a write failed, in German, with the file where the system names it."""
    return os_error_text(code, None if path is None else str(path))


def _die_with(parent: int) -> None:
    """Has the kernel kill this process when its parent dies, even by `kill -9`: nothing may go on
    writing into a site after the build that started it is gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>; fork is used on Linux only


def threads() -> ThreadPoolExecutor:
    """Threads on every core this process may use, for work that lets go of Python's lock; they end
    with the build, however it ends. Its `map` is what the core takes."""
    return ThreadPoolExecutor(max_workers=_cores())


def _cores() -> int:
    """The cores this process may run on, which a container or `taskset` may limit (on Linux)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
