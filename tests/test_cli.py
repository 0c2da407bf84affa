"""The editors' command `rundbrief`: every subcommand, its exit codes and its refusals."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from content import issue, profile
from rundbrief.adapter.writer import failure_reason
from rundbrief.cli.main import main


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_help_on_every_subcommand(sample, run):
    commands = [[], ["new"], ["new", "issue"], ["new", "project"], ["check"], ["import"], ["build"], ["serve"],
                ["linkedin"]]
    for command in commands:
        result = run(sample, *command, "--help")
        assert result.exit_code == 0, command
        assert result.output.startswith("Aufruf: rundbrief"), command


def test_new_issue(sample, run):
    result = run(sample, "new", "issue", "--date", "2025-01-31")
    assert result.exit_code == 0, result.output
    path = sample.root / "newsletters" / "2025-01-31-die-vernetzungsstelle-informiert.md"
    assert "Angelegt: newsletters/2025-01-31-die-vernetzungsstelle-informiert.md" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Die Vernetzungsstelle informiert\ndate: 2025-01-31\n")  # the latest title
    assert "draft: true" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## Vorgestellt", "## Vernetzt", "## Umgeschaut"]
    assert "<!-- Ein gefördertes Projekt im Porträt" in text
    sample.build()  # a new issue is a valid draft: it builds and appears nowhere
    assert not (sample.out / "newsletters" / "2025-01-31-die-vernetzungsstelle-informiert").exists()


def test_new_issue_with_title_and_refusing_to_overwrite(sample, run):
    assert run(sample, "new", "issue", "--date", "2025-02-28", "--title", "Größe zeigen").exit_code == 0
    path = sample.root / "newsletters" / "2025-02-28-groesse-zeigen.md"
    path.write_text(path.read_text(encoding="utf-8") + "Mein Text.\n", encoding="utf-8")
    before = path.read_bytes()
    result = run(sample, "new", "issue", "--date", "2025-02-28", "--title", "Größe zeigen")
    assert result.exit_code == 1
    assert "Fehler: 2025-02-28-groesse-zeigen.md gibt es schon: nichts überschrieben." in result.output
    assert path.read_bytes() == before


def test_new_issue_where_a_file_takes_the_folder_says_so_in_german(site, run):
    (site.root / "newsletters").rmdir()
    (site.root / "newsletters").write_text("", encoding="utf-8")
    result = run(site, "new", "issue", "--date", "2025-02-28")
    assert result.exit_code == 1
    assert (f"Fehler: {site.root / 'newsletters'} gibt es schon, aber als Datei, wo ein Ordner hingehört. Die Datei "
            "umbenennen oder löschen.") in result.output


def test_an_error_of_the_system_is_named_in_german(site, run, tmp_path):
    """The system's own words are English: an error without a German description is named by its symbol."""
    result = run(site, "build", "--site-dir", str(tmp_path / ("s" * 250)))
    assert result.exit_code == 1
    assert "ließ sich nicht lesen oder schreiben (Systemfehler ENAMETOOLONG). Den Pfad prüfen." in result.output
    assert "File name too long" not in result.output
    assert failure_reason(errno.ENXIO, "site/feed.json") == ("site/feed.json ließ sich nicht lesen oder schreiben "
                                                            "(Systemfehler ENXIO). Den Pfad prüfen.")


def test_new_issue_invalid_date(sample, run):
    result = run(sample, "new", "issue", "--date", "31.01.2025")
    assert result.exit_code == 1
    assert "„31.01.2025“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT" in result.output


def test_new_project(sample, run):
    result = run(sample, "new", "project", "neues-projekt", "--title", "Neues Projekt: „Familien stärken“",
                 "--organisation", "Träger e.V.", "--location", "Erfurt", "--state", "Thüringen",
                 "--tag", "Mobilität", "--tag", "Elternarbeit", "--website", "https://example.org")
    assert result.exit_code == 0, result.output
    text = (sample.root / "projects" / "neues-projekt.md").read_text(encoding="utf-8")
    assert "title: 'Neues Projekt: „Familien stärken“'" in text
    assert "tags:\n- Mobilität\n- Elternarbeit\n" in text
    sample.build()
    assert '<h1 id="inhalt">Neues Projekt: „Familien stärken“</h1>' in sample.html("projects/neues-projekt/")


def test_new_project_validates_as_the_build_does(sample, run):
    result = run(sample, "new", "project", "x-projekt", "--title", "X", "--organisation", "Y",
                 "--location", "Z", "--state", "NRW", "--website", "ftp://example.org")
    assert result.exit_code == 1
    assert "projects/x-projekt.md:5: Unbekanntes Bundesland „NRW“." in result.output
    assert "projects/x-projekt.md:6: „website: ftp://example.org“ ist keine Webadresse." in result.output
    assert "Fehler: Nichts angelegt." in result.output
    assert not (sample.root / "projects" / "x-projekt.md").exists()


def test_new_project_refuses_to_overwrite_and_bad_names(sample, run):
    before = (sample.root / "projects" / "karad.md").read_bytes()
    args = ["--title", "X", "--organisation", "Y", "--location", "Z", "--state", "Bayern"]
    result = run(sample, "new", "project", "karad", *args)
    assert result.exit_code == 1 and "projects/karad.md gibt es schon: nichts überschrieben." in result.output
    assert (sample.root / "projects" / "karad.md").read_bytes() == before
    result = run(sample, "new", "project", "KArAD", *args)
    assert result.exit_code == 1 and "„KArAD“ ist als Dateiname nicht erlaubt." in result.output


def _broken(site) -> None:
    profile(site)
    issue(site, "a", body="\n## Vorgstellt\n\n### A\n\nText.\n")
    issue(site, "b", date="13.12.2024")
    profile(site, "anker", state="NRW")


def test_check_prints_every_problem_as_path_and_line(site, run):
    _broken(site)
    result = run(site, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "newsletters/a.md:6: Unbekannter Abschnitt „Vorgstellt“. Gemeint ist vielleicht „Vorgestellt“. Erlaubt sind: Vorgestellt, Vernetzt, Umgeschaut (in dieser Reihenfolge)." in lines
    assert any(line.startswith("newsletters/b.md:3: „date: 13.12.2024“ ist kein gültiges Datum.") for line in lines)
    assert any(line.startswith("projects/anker.md:5: Unbekanntes Bundesland „NRW“.") for line in lines)
    assert all(re.match(r"[\w./-]+:\d+: ", line) for line in lines[:-1])
    assert lines[-1].startswith("3 Fehler, ")


def test_check_json(site, run):
    _broken(site)
    result = run(site, "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == 3
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert {(p["path"], p["line"]) for p in errors} == {("newsletters/a.md", 6), ("newsletters/b.md", 3), ("projects/anker.md", 5)}
    assert all(set(p) == {"path", "line", "severity", "message"} for p in report["problems"])


def test_check_warnings(site, run):
    profile(site)
    profile(site, "unerwaehnt", title="Unerwähnt")
    long_first = "Ein erster Satz, der viel zu lang ist, " + "weil er immer weiter geht, " * 8 + "bis zum Ende."
    issue(site, "ohne-anreisser", body="\n## Vorgestellt\n\n### A\n\nÜber [KArAD](../projects/karad.md).\n")
    issue(site, "lang", date="2024-12-14", front=f"description: {long_first}\n")
    result = run(site, "check")
    assert result.exit_code == 0, result.output  # warnings fail nothing
    out = result.output
    assert "newsletters/ohne-anreisser.md:2: Warnung: Die Ausgabe hat keinen Anreißer." in out
    assert "newsletters/lang.md:4: Warnung: Der erste Satz des Anreißers ist länger als 210 Zeichen" in out
    assert "projects/unerwaehnt.md:1: Warnung: Keine Ausgabe verweist auf dieses Projekt." in out
    assert ("content/barrierefreiheit.md:12: Warnung: Platzhalter noch nicht ersetzt. Vor der Veröffentlichung die "
            "Angaben des Betreibers eintragen. (und 13 weitere gleiche Warnungen in content/barrierefreiheit.md, "
            "content/datenschutz.md, content/impressum.md)\n") in out  # one line for identical warnings
    assert re.search(r"^0 Fehler, \d+ Warnungen\.$", out, re.M)


def test_check_config_problems(site, run):
    (site.root / "mkdocs.yml").write_text(re.sub(r"site_url: .*\n", "", (site.root / "mkdocs.yml").read_text()))
    result = run(site, "check")
    assert result.exit_code == 1
    assert "mkdocs.yml:1: Die Feeds brauchen absolute Adressen, aber „site_url“ fehlt." in result.output


def test_check_reports_every_config_problem_at_once(site, run):
    config = re.sub(r"site_url: .*\n", "", (site.root / "mkdocs.yml").read_text())
    (site.root / "mkdocs.yml").write_text(config.replace("  - rundbrief:\n", "  - rundbrief:\n      feed: {time_of_day: 9:30}\n"))
    result = run(site, "check")
    assert result.exit_code == 1
    assert "mkdocs.yml:1: Die Feeds brauchen absolute Adressen" in result.output
    assert "mkdocs.yml:1: „570“ in „rundbrief: feed.time_of_day“ ist keine Uhrzeit." in result.output
    assert "gemeint ist vielleicht „time_of_day: \"9:30\"“" in result.output


def test_build_replaces_the_site_only_on_success(sample, run):
    result = run(sample, "build")
    assert result.exit_code == 0, result.output
    assert "Fertig: " in result.output
    good = _tree(sample.out)
    assert "newsletters/2024-12-13-die-vernetzungsstelle-informiert/index.html" in good
    issue(sample, "kaputt", body="\n## Unbekannt\n")
    result = run(sample, "build")
    assert result.exit_code == 1
    assert "newsletters/kaputt.md:6: Unbekannter Abschnitt „Unbekannt“." in result.output
    assert "Fehler: Bau abgebrochen. Die bisherige Website in" in result.output
    assert _tree(sample.out) == good
    assert sorted(p.name for p in sample.root.iterdir() if p.name.startswith(".site")) == []


def test_build_into_another_folder_with_progress(site, run):
    for n in range(60):
        profile(site, f"p{n}", title=f"Projekt {n}")
    result = run(site, "build", "--site-dir", "public")
    assert result.exit_code == 0, result.output
    assert (site.root / "public" / "projects" / "p59" / "index.html").exists()
    assert not (site.root / "site").exists()
    assert re.search(r"\d+ von \d+ Seiten gebaut", result.output)
    result = run(site, "build", "--site-dir", "public")  # a second build replaces the first
    assert result.exit_code == 0
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".public")) == []


@pytest.mark.slow  # starts a preview server
def test_serve_rebuilds_when_an_issue_or_profile_changes(sample, start):
    issue(sample, "entwurf", date="2025-01-10", title="Noch geheim", front="draft: true\n",
          body="\n## Vorgestellt\n\n### Vorschau\n\nÜber [KArAD](../projects/karad.md).\n")
    preview = start()
    url = "newsletters/2024-12-13-die-vernetzungsstelle-informiert/"
    html = preview.poll(url, '<h1 id="inhalt">Die Vernetzungsstelle informiert</h1>')
    assert "livereload" in html  # the page reloads itself after a rebuild
    preview.edit("newsletters/2024-12-13-die-vernetzungsstelle-informiert.md",
                 "title: Die Vernetzungsstelle informiert", "title: Frisch geändert")
    preview.poll(url, '<h1 id="inhalt">Frisch geändert</h1>')
    preview.edit("projects/karad.md", "organisation: low-tec", "organisation: low-tec e.V.")
    preview.poll("projects/karad/", "<dd>low-tec e.V.</dd>")
    # the preview shows drafts, marked as such, but never in a feed
    draft = preview.poll("newsletters/entwurf/", '<h1 id="inhalt">Noch geheim</h1>')
    assert "Entwurf: nur in der Vorschau sichtbar." in draft
    assert "Noch geheim</a> (Entwurf)" in preview.get("newsletters/")[1]
    assert "Noch geheim" not in preview.get("feed.xml")[1]


def test_commands_need_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "Fehler: mkdocs.yml nicht gefunden: Befehl im Ordner des Projekts aufrufen oder --config angeben." in result.output
    (tmp_path / "mkdocs.yml").write_text("site_name: Ohne Ordner\ndocs_dir: fehlt\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "Fehler: mkdocs.yml ist fehlerhaft: Config value 'docs_dir': The path '" in result.output
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Ohne Rundbrief\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "mkdocs.yml: das Plugin „rundbrief“ fehlt unter „plugins:“." in result.output
