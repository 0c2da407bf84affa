"""The sign-language page's video: a self-hosted file with captions, checked like every other file."""

from __future__ import annotations

from mkdocs.structure.files import Files

from rundbrief.core import Problem
from rundbrief.core.images import UNSAFE_IN_PATH
from rundbrief.core.pages import StaticPage
from rundbrief.core.problems import cut
from rundbrief.core.text import unsafe_character

_FORMATS = (".mp4", ".webm")


def check_video(page: StaticPage, files: Files) -> list[Problem]:
    """`video:` and `captions:` of a page: both or neither, files inside docs_dir, no embed from elsewhere,
    and no character that would end the attribute the path is written into."""
    problems: list[Problem] = []
    video, captions = page.video, page.captions
    if video is None and captions is None:
        return problems

    def fail(key: str, message: str) -> None:
        problems.append(Problem(page.path, page.source.line_of(key), message))

    for key, value in (("video", video), ("captions", captions)):
        if value is not None and (bad := unsafe_character(value, UNSAFE_IN_PATH)):
            fail(key, f"„{key}: {cut(value)}“ ist nicht erlaubt: das Zeichen {bad} gehört nicht in einen Dateinamen. "
                 f"Erlaubt ist ein Pfad ohne Anführungszeichen, spitze Klammern und Steuerzeichen, z. B. "
                 f"„{key}: assets/dgs/erklaerung.{'mp4' if key == 'video' else 'vtt'}“.")
    if problems:
        return problems
    if video is None or not video.endswith(_FORMATS) or video not in files.src_uris:
        fail("video", f"„video: {video}“ ist kein Video in diesem Ordner. Erlaubt ist eine MP4- oder WebM-Datei "
             "neben den Seiten, z. B. „video: assets/dgs/erklaerung.mp4“; Videos von anderen Websites nicht.")
    if captions is None or not captions.endswith(".vtt") or captions not in files.src_uris:
        fail("captions" if captions is not None else "video", (
            f"Zum Video fehlen die Untertitel „captions: {captions if captions is not None else '…'}“. Erlaubt ist "
            "eine WebVTT-Datei neben den Seiten, z. B. „captions: assets/dgs/erklaerung.vtt“."))
    return problems
