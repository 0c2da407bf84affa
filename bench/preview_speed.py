"""Measures the live preview as editors feel it: on the synthetic archive of build_speed.py (120 issues,
500 profiles), a real `rundbrief serve` runs; an issue or a profile is saved, and the changed page is
polled over HTTP until it shows the change. The time is from the file's write to the served change.
At that moment every page that shows the change must show it too: for an issue the archive, the
mentioned profiles and (for the latest issue) the start page; for a profile the directory, its theme
pages and the issue that portrays it.
Usage: python bench/preview_speed.py [--edits N] [--issues N] [--profiles N] [--dir DIR]"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from build_speed import THEMES, goal, write_projects

from rundbrief.core import paths

POLL = 0.01  # seconds between requests while waiting for a change


class Server:
    def __init__(self, project: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rundbrief", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            # stopped as an editor stops it, by Ctrl-C (`stop`), which a shell's background job ignores
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def get(self, url: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{url}", timeout=60) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.read().decode("utf-8")

    def wait_for(self, url: str, text: str, seconds: float = 120) -> float:
        """Seconds until `url` shows `text`."""
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            try:
                if text in self.get(url):
                    return time.perf_counter() - start
            except OSError:  # not listening yet
                pass
            time.sleep(POLL)
        raise SystemExit(f"{text!r} did not appear at /{url} within {seconds} s")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        return self.process.communicate(timeout=30)[0]


def edit(file: Path, *changes: tuple[str, str]) -> float:
    """Replaces each (old, new) in `file`, saved at once; returns the time of the write."""
    text = file.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, (file, old)
        text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    return time.perf_counter()


def served_after(server: Server, written: float, url: str, text: str) -> float:
    server.wait_for(url, text)
    return time.perf_counter() - written


def written_all(server: Server, written: float) -> float:
    """Seconds from the write until the feeds, LinkedIn texts, cards and search index are written
    too: the preview answers a request for a feed once they are (cli/preview.py)."""
    server.get(paths.FEED)
    return time.perf_counter() - written


def check(server: Server, pages: list[str], text: str) -> list[str]:
    """The pages that do not show `text`, asked at once."""
    return [url or "/" for url in pages if text not in server.get(url)]


def measure(project: Path, edits: int, issues: int, profiles: int) -> dict[str, list[float]]:
    server = Server(project)
    times: dict[str, list[float]] = {"issue": [], "profile": [], "issue, feeds and search": [],
                                     "profile, feeds and search": []}
    stale: list[str] = []
    try:
        first = server.wait_for(paths.ARCHIVE, f"Ausgabe {issues - 1}", seconds=600)
        print(f"first build served after {first:.1f} s")
        written_all(server, time.perf_counter())  # the first build's cards, feeds and index
        for k in range(edits):
            # An issue: its title, on the latest issue every other time (the start page shows it)
            n = issues - 1 if k % 2 == 0 else (k * 37) % issues
            marker = f"Geänderte Ausgabe {k}"
            written = edit(project / "newsletters" / f"ausgabe-{n:03}.md", ("\ntitle: ", f"\ntitle: {marker} "))
            times["issue"].append(served_after(server, written, paths.issue(f"ausgabe-{n:03}"), marker))
            shown = [paths.ARCHIVE, *(paths.project(f"p{(n * 6 + j) % profiles}") for j in range(6))]
            stale += check(server, shown + ([""] if n == issues - 1 else []), marker)
            times["issue, feeds and search"].append(written_all(server, written))
            # A profile: its title and short name; it is portrayed by issue p // 6 (build_speed.issue)
            p = 6 * ((k * 11 + 3) % issues) % profiles
            marker = f"Geändertes Projekt {k}"
            written = edit(project / "projects" / f"p{p}.md", ("\nshort: ", f"\nshort: {marker} "),
                           ("\ntitle: ", f"\ntitle: {marker} "))
            times["profile"].append(served_after(server, written, paths.project(f"p{p}"), marker))
            themes = [paths.theme(THEMES[(p + j) % len(THEMES)]) for j in range(2)]
            portrayed = [paths.issue(f"ausgabe-{p // 6:03}")] if p // 6 < issues else []
            stale += check(server, [paths.DIRECTORY, *themes, *portrayed], marker)
            times["profile, feeds and search"].append(written_all(server, written))
    finally:
        output = server.stop()
    if stale:
        raise SystemExit(f"pages not up to date when the changed page was served: {stale}\n{output}")
    print("\n".join(line for line in output.splitlines() if line.startswith("Vorschau fertig")))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=6, help="edits of an issue and of a profile each")
    parser.add_argument("--issues", type=int, default=120)
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parent),
                        help="where to build (default: bench/ in the repository, as a project folder would be)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        project = write_projects(Path(tmp), args.issues, args.profiles)["Rundbrief, full"]
        times = measure(project, args.edits, args.issues, args.profiles)
    print(f"{args.issues} issues, {args.profiles} profiles; {args.edits} edits each on "
          f"{len(os.sched_getaffinity(0))} cores; seconds from saving to the changed page served")
    for what, seconds in times.items():
        print(f"{what:26} median {statistics.median(seconds):5.2f} s, max {max(seconds):5.2f} s, "
              f"all: {' '.join(f'{s:.2f}' for s in seconds)}")
    for what in ("issue", "profile"):  # every save, not only the median: editors feel the slowest
        print(goal(f"from saving to the changed {what} page served (the slowest save)", max(times[what]), 1.0, " s"))


if __name__ == "__main__":
    main()
