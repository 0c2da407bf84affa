"""How the preview hears of a save (cli/preview.py `PreviewServer.watch`): folders through the
system's notifications, mkdocs.yml and every folder, where the system has no notification to give,
by asking as MkDocs does. A save rebuilds; the build reading the folder's files does not."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rundbrief.cli import preview as preview_module
from rundbrief.cli.preview import PreviewServer

pytestmark = pytest.mark.slow


class Watched:
    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "newsletters"
        self.folder.mkdir()
        self.file = self.folder / "ausgabe.md"
        self.file.write_text("Erste Fassung\n", encoding="utf-8")
        self.config = tmp_path / "mkdocs.yml"
        self.config.write_text("site_name: Test\n", encoding="utf-8")
        (tmp_path / "site").mkdir()
        self.builds: list[float] = []
        self.server = PreviewServer(builder=lambda: self.builds.append(time.monotonic()), host="127.0.0.1", port=0,
                                    root=str(tmp_path / "site"))
        self.server.watch(str(self.folder))
        self.server.watch(str(self.config))
        self.thread = threading.Thread(target=self.server.serve, daemon=True)

    def rebuilt_after(self, change: Callable[[], object]) -> float:
        """Seconds from `change` until a build starts."""
        before = len(self.builds)
        changed = time.monotonic()
        change()
        deadline = changed + 20
        while len(self.builds) == before:
            assert time.monotonic() < deadline, "no build after the change"
            time.sleep(0.01)
        return self.builds[before] - changed


def _saved(file: Path, text: str, scratch: Path) -> Callable[[], object]:
    """As editors' tools save: a new file, written in `scratch`, renamed over the old one."""
    def save() -> None:
        scratch.mkdir(exist_ok=True)
        replacement = scratch / file.name
        replacement.write_text(text, encoding="utf-8")
        replacement.replace(file)
    return save


@pytest.fixture(params=["notified", "asked"])
def watched(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Watched]:
    if request.param == "asked":  # a system that gives no notification: no inotify instance left
        def refused() -> None:
            raise OSError(24, "Too many open files")
        monkeypatch.setattr(preview_module, "Observer", refused)
    watched = Watched(tmp_path)
    assert (watched.server.notifying is None) == (request.param == "asked")
    watched.thread.start()
    time.sleep(0.6)  # the polling observer's first look at the files
    yield watched
    watched.server.shutdown()
    watched.thread.join(timeout=10)
    assert not watched.thread.is_alive()


def test_a_save_rebuilds_and_reading_the_files_does_not(watched, tmp_path):
    for _ in range(20):  # as every build reads the content
        watched.file.read_bytes()
    time.sleep(1.2)  # longer than MkDocs' polling interval and its wait for more changes
    assert watched.builds == []
    watched.rebuilt_after(lambda: watched.file.write_text("Zweite Fassung\n", encoding="utf-8"))
    watched.rebuilt_after(_saved(watched.file, "Dritte Fassung\n", tmp_path / "entwurf"))
    watched.rebuilt_after(lambda: (watched.folder / "neu.md").write_text("Neue Ausgabe\n", encoding="utf-8"))
    watched.rebuilt_after((watched.folder / "neu.md").unlink)
    # mkdocs.yml, replaced twice: its watch outlives the file it was made for
    watched.rebuilt_after(_saved(watched.config, "site_name: Zweiter Test\n", tmp_path / "entwurf"))
    watched.rebuilt_after(_saved(watched.config, "site_name: Dritter Test\n", tmp_path / "entwurf"))


def test_a_notified_save_starts_the_build_without_waiting_for_a_poll(tmp_path):
    watched = Watched(tmp_path)
    assert watched.server.notifying is not None  # Linux: inotify
    watched.thread.start()
    try:
        time.sleep(0.6)
        # MkDocs' polling takes 0.1 s (its wait for more changes) plus up to 0.5 s, 0.35 s on average
        waits = sorted(watched.rebuilt_after(lambda: watched.file.write_text(f"Fassung {n}\n", encoding="utf-8")) for n in range(5))
        assert waits[2] < 0.3, waits
    finally:
        watched.server.shutdown()
        watched.thread.join(timeout=10)
