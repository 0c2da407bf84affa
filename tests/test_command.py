"""The command as editors meet it: German help and click messages, the check's report as the guide shows
it, and never a traceback, not even for a full disk or an error nobody foresaw."""

from __future__ import annotations

import errno
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import rundbrief.cli.main
from conftest import REPO, Site
from content import issue, profile
from rundbrief.cli.main import main

COMMANDS = [[], ["new"], ["new", "issue"], ["new", "project"], ["check"], ["import"], ["build"], ["serve"],
            ["linkedin"], ["publish"], ["setup"]]
ENGLISH = ["Usage", "Options", "Commands", "Show this message", "Error:", "Missing", "Try '", "required]",
           "default:", "[OPTIONS]", "COMMAND", "ARGS"]


@pytest.fixture
def run(monkeypatch):
    def invoke(site: Site, *args: str):
        monkeypatch.chdir(site.root)
        return CliRunner().invoke(main, list(args))

    return invoke


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "rundbrief")
def test_help_is_german_on_every_command(sample, run, command):
    result = run(sample, *command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Aufruf: {' '.join(['rundbrief', *command])} [OPTIONEN]")
    assert "\nOptionen:\n" in result.output
    assert "-h, --help" in result.output and "Diese Hilfe zeigen und beenden." in result.output
    for word in ENGLISH:
        assert word not in result.output, word


@pytest.mark.parametrize("group", [[], ["new"]], ids=["rundbrief", "new"])
def test_command_lists_show_whole_sentences(sample, run, group):
    result = run(sample, *group, "--help")
    listing = result.output.split("\nBefehle:\n")[1]
    entries = re.findall(r"^  (\S+) +(.+(?:\n {4,}.+)*)", listing, re.M)
    command = main.commands[group[0]] if group else main
    assert [name for name, _ in entries] == sorted(command.commands)  # type: ignore[attr-defined]
    for name, text in entries:
        text = " ".join(text.split())
        assert text.endswith(".") and not text.endswith(("...", " z.", " z. B.")), (name, text)
        assert "z. B" not in text or "z. B." in text, (name, text)  # never cut after "z."


def test_click_messages_are_german(sample, run):
    result = run(sample, "new", "project", "anker-plus")
    assert result.exit_code == 2
    assert result.output == ("Aufruf: rundbrief new project [OPTIONEN] DATEINAME\n"
                             "Hilfe mit „rundbrief new project --help“.\n\n"
                             "Fehler: Es fehlt die Option '--title'.\n")
    result = run(sample, "new", "project")
    assert "Fehler: Es fehlt das Argument 'DATEINAME'." in result.output
    result = run(sample, "check", "--format", "xml")
    assert "Fehler: Ungültiger Wert für '--format': 'xml' ist keiner von 'text', 'json'." in result.output
    result = run(sample, "check", "--gibts-nicht")
    assert "Fehler: Die Option '--gibts-nicht' gibt es nicht." in result.output
    result = run(sample, "chek")
    assert "Fehler: Den Befehl 'chek' gibt es nicht." in result.output
    result = run(sample, "build", "--site-dir", "mkdocs.yml")
    assert "Fehler: Ungültiger Wert für '--site-dir' / '-d': Ordner 'mkdocs.yml' ist eine Datei." in result.output
    for word in ENGLISH:
        assert word not in result.output, word


def test_check_reports_errors_first_then_identical_warnings_in_one_line(sample, run):
    issue(sample, "2025-01-10-kaputt", date="2025-01-10", body="\n## Vorgstellt\n\n### A\n\nText.\n")
    profile(sample, "anker", state="NRW")
    result = run(sample, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("newsletters/2025-01-10-kaputt.md:6: Unbekannter Abschnitt „Vorgstellt“.")
    assert lines[1].startswith("projects/anker.md:5: Unbekanntes Bundesland „NRW“.")
    assert all("Warnung: " in line for line in lines[2:-1])
    placeholders = [line for line in lines if "Platzhalter" in line]
    assert placeholders == [
        "content/barrierefreiheit.md:12: Warnung: Platzhalter noch nicht ersetzt. Vor der Veröffentlichung die Angaben "
        "des Betreibers eintragen. (und 13 weitere gleiche Warnungen in content/barrierefreiheit.md, "
        "content/datenschutz.md, content/impressum.md)"]
    warnings = len(re.findall(r'"severity": "warning"', run(sample, "check", "--format", "json").output))
    assert lines[-1] == f"2 Fehler, {warnings} Warnungen."


def test_one_warning_is_counted_in_the_singular(site, run):
    profile(site)
    issue(site, "2024-12-13-ausgabe")
    for page in ("impressum", "datenschutz", "barrierefreiheit"):
        path = site.root / "content" / f"{page}.md"
        path.write_text(re.sub(r"\[PLATZHALTER[^\]]*\]", "Angabe", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run(site, "check")
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("newsletters/2024-12-13-ausgabe.md:2: Warnung: Die Ausgabe hat keinen")
    assert lines[1] == "0 Fehler, 1 Warnung."


def _guide_block(after: str) -> str:
    guide = (REPO / "REDAKTION.md").read_text(encoding="utf-8")
    return guide.split(after, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]


def test_the_guides_walk_through_a_mistake_is_what_check_prints(sample, run):
    path = sample.root / "newsletters" / "2024-05-29-beraten-coachen-vernetzen.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[14] == "## Vorgestellt\n"  # "in Zeile 15", as the guide says
    lines[14] = "## Vorgstellt\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = run(sample, "check")
    assert result.exit_code == 1
    assert result.output == _guide_block("`rundbrief check` meldet:")


def _guide_commands() -> Iterator[list[str]]:
    """Every `rundbrief …` the guide tells editors to type."""
    guide = (REPO / "REDAKTION.md").read_text(encoding="utf-8")
    for command in re.findall(r"`(rundbrief [^`]*)`", guide):
        if "<" not in command:  # placeholders such as `rundbrief <befehl> --help`
            yield shlex.split(command)[1:]


def test_every_command_in_the_guide_is_one_the_tool_understands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = list(_guide_commands())
    assert len(commands) >= 8
    for args in commands:
        for arg in args:
            if re.fullmatch(r"[\w.-]+\.(txt|html)", arg):
                (tmp_path / arg).write_text("")  # `import` wants files that exist
        command: click.Command = main
        name = "rundbrief"
        while isinstance(command, click.Group) and args and not args[0].startswith("-"):
            found = command.get_command(click.Context(command), args[0])
            assert found is not None, args
            command, name, args = found, args[0], args[1:]
        try:
            command.make_context(name, args)  # fails for an unknown option or a missing required one
        except click.exceptions.Exit:
            pass  # --help


def test_the_guides_setup_installs_a_working_rundbrief_command(tmp_path):
    """The Linux and macOS steps as written (Windows differs only in the activation script's path)."""
    guide = (REPO / "REDAKTION.md").read_text(encoding="utf-8")
    steps = guide.split("macOS und Linux:\n\n```sh\n", 1)[1].split("```", 1)[0]
    assert steps == "python3 -m venv .venv\nsource .venv/bin/activate\npython -m pip install -e .\nrundbrief --help\n"
    windows = guide.split("Windows (PowerShell):\n\n```powershell\n", 1)[1].split("```", 1)[0]
    assert windows == "py -m venv .venv\n.venv\\Scripts\\activate\npython -m pip install -e .\nrundbrief --help\n"
    # the installed command as the activation puts it on the PATH: the same entry point as `python -m rundbrief`
    result = subprocess.run(["rundbrief", "--help"], capture_output=True, text=True,
                            env={"PATH": str(Path(sys.executable).parent), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0 and result.stdout.startswith("Aufruf: rundbrief [OPTIONEN]"), result.stderr


def test_linkedin_on_a_draft_says_the_link_does_not_exist_yet(sample, run):
    issue(sample, "2025-01-10-entwurf", date="2025-01-10", front="draft: true\n")
    result = run(sample, "linkedin", "2025-01-10-entwurf")
    assert result.exit_code == 1
    assert ("Fehler: „2025-01-10-entwurf“ ist ein Entwurf: Die Ausgabe ist noch nicht veröffentlicht, der Link im "
            "LinkedIn-Text führte ins Leere. Erst die Zeile „draft: true“ löschen, die Website bauen und "
            "veröffentlichen, dann den Text holen.") in result.output
    assert "https://" not in result.output


def test_an_unforeseen_error_ends_in_one_german_sentence_and_a_log_file(sample, run, monkeypatch):
    def broken(*args: object) -> None:
        raise RuntimeError("Kaputt im Inneren")

    monkeypatch.setattr(rundbrief.cli.main, "check_workspace", broken)
    result = run(sample, "check")
    assert result.exit_code == 1
    match = re.fullmatch(r"Fehler: Ein unerwarteter Fehler ist aufgetreten, der nicht an den Inhalten liegt\. Die "
                         r"Einzelheiten stehen in (\S+rundbrief-fehler-\S+\.log); bitte diese Datei an die technische "
                         r"Betreuung der Website schicken\.\n", result.output)
    assert match, result.output
    log = Path(match[1]).read_text(encoding="utf-8")
    assert log.startswith("Traceback (most recent call last):") and "RuntimeError: Kaputt im Inneren" in log
    Path(match[1]).unlink()


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Callable[[Path, str], Path]]:
    """Mounts a tiny tmpfs (read-only or small); needs root, as in the project's CI container."""
    mounted: list[Path] = []

    def mounting(folder: Path, options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
        mounted.append(folder)
        return folder

    yield mounting
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=True)


def test_an_unwritable_site_folder_is_named(sample, run, mount, tmp_path):
    readonly = mount(tmp_path / "nur-lesen", "ro,size=64k")
    result = run(sample, "build", "--site-dir", str(readonly / "site"))
    assert result.exit_code == 1
    assert re.search(rf"Fehler: {re.escape(str(readonly))}/\.site-neu-\w+ liegt auf einem schreibgeschützten "
                     r"Datenträger\. Einen anderen Ordner wählen\.", result.output), result.output
    assert "Traceback" not in result.output


def test_an_unwritable_cache_folder_is_named(sample, run, mount):
    mount(sample.root / ".cache", "ro,size=64k")
    result = run(sample, "build")
    assert result.exit_code == 1
    assert (f"Fehler: {sample.root}/.cache/rundbrief liegt auf einem schreibgeschützten Datenträger. "
            "Einen anderen Ordner wählen.") in result.output
    assert "Traceback" not in result.output


def test_a_cache_path_that_is_a_file_is_named(sample, run):
    """The same without root: `.cache` is a file, so nothing can be written below it."""
    (sample.root / ".cache").write_text("kein Ordner")
    result = run(sample, "build")
    assert result.exit_code == 1
    assert re.search(rf"Fehler: {re.escape(str(sample.root))}/\.cache/rundbrief\S*: ein Teil des Pfads ist eine "
                     r"Datei, kein Ordner\. Den Pfad prüfen\.", result.output), result.output


def test_a_full_disk_is_named(sample, run, mount, tmp_path):
    full = mount(tmp_path / "voll", "size=64k")
    result = run(sample, "build", "--site-dir", str(full / "site"))
    assert result.exit_code == 1
    assert re.search(rf"Fehler: Kein Platz mehr auf dem Datenträger für {re.escape(str(full))}/(\.site-neu-\w+/)?\S+\. "
                     r"Platz schaffen und den Befehl wiederholen\.", result.output), result.output
    assert [p.name for p in full.iterdir()] == []  # no staging folder left behind
    assert "Traceback" not in result.output


def test_a_full_disk_without_a_file_name_is_still_named(sample, run, monkeypatch):
    """Some writes report ENOSPC without a path; simulated, as a full disk needs a mount."""
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rundbrief.cli.main, "build_atomically", full)
    result = run(sample, "build")
    assert result.exit_code == 1
    assert ("Fehler: Kein Platz mehr auf dem Datenträger für eine Datei. Platz schaffen und den Befehl "
            "wiederholen.") in result.output
