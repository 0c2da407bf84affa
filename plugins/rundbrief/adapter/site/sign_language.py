"""The sign-language page's video: a self-hosted file with captions, checked like every other file."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import Files

from rundbrief.core import Problem
from rundbrief.core.source import read_source

_FORMATS = (".mp4", ".webm")


def check_video(root: Path, page: Path, files: Files) -> list[Problem]:
    """`video:` and `captions:` of a page: both or neither, files inside docs_dir, no embed from elsewhere."""
    problems: list[Problem] = []
    source = read_source(root, page, problems) if page.is_file() else None
    if source is None:
        return problems
    video, captions = source.meta.get("video"), source.meta.get("captions")
    if video is None and captions is None:
        return problems

    def fail(key: str, message: str) -> None:
        problems.append(Problem(source.path, source.line_of(key), message))

    if not isinstance(video, str) or not video.endswith(_FORMATS) or video not in files.src_uris:
        fail("video", f"„video: {video}“ ist kein Video in diesem Ordner. Erlaubt ist eine MP4- oder WebM-Datei "
             "neben den Seiten, z. B. „video: assets/dgs/erklaerung.mp4“; Videos von anderen Websites nicht.")
    if not isinstance(captions, str) or not captions.endswith(".vtt") or captions not in files.src_uris:
        fail("captions" if captions is not None else "video", (
            f"Zum Video fehlen die Untertitel „captions: {captions if captions is not None else '…'}“. Erlaubt ist "
            "eine WebVTT-Datei neben den Seiten, z. B. „captions: assets/dgs/erklaerung.vtt“."))
    return problems
