"""`rundbrief`: one command for the editors, with `--help` on every subcommand."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click

from rundbrief.core.importer import NotImportable, convert, read_copy
from rundbrief.core.model import NEWSLETTERS, PROJECTS, Project
from rundbrief.core.problems import ERROR, WARNING, Problem
from rundbrief.core.projects import parse_project
from rundbrief.core.scaffold import issue_path, issue_text, project_text
from rundbrief.core.schedule import german_moment, parse_now
from rundbrief.core.source import split_front_matter
from rundbrief.core.text import anchor, today

from . import german
from .build import build_atomically
from .check import check_workspace, checked, summary
from .email import email_command
from .errors import Command, describe_os_error, visible
from .edit import edit_server, write_cms_config
from .preview import serve_preview
from .publish import publish_site
from .recipes import write_recipe
from .project import Failure, open_workspace

german.install()

CONFIG = click.option("--config", "-f", "config_file", default="mkdocs.yml", show_default=True, metavar="DATEI",
                      help="Die Einstellungen der Website.")


@click.group("rundbrief", cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Rundbrief: Newsletter-Ausgaben und Projektprofile als Website."""


main.add_command(email_command)


@main.group(short_help="Legt eine Ausgabe oder ein Projektprofil an.")
def new() -> None:
    """Legt eine neue Ausgabe oder ein neues Projektprofil an."""


@new.command("issue", short_help="Legt eine neue Ausgabe als Entwurf an.")
@click.option("--date", "date_text", metavar="JJJJ-MM-TT", help="Datum der Ausgabe, JJJJ-MM-TT (Standard: heute).")
@click.option("--title", help="Titel (Standard: der Titel der neuesten Ausgabe).")
@CONFIG
def new_issue(date_text: str | None, title: str | None, config_file: str) -> None:
    """Legt newsletters/<datum>-<titel>.md als Entwurf an, mit den Abschnitten und Hinweisen."""
    workspace = open_workspace(config_file)
    date = _date(date_text) if date_text else today()
    if not title:
        issues = workspace.content().issues
        title = issues[0].title if issues else "Neue Ausgabe"
    path = issue_path(date, title)
    _write_new(workspace.root / path, issue_text(title, date, workspace.site.config.sections))
    click.echo(f"Angelegt: {path}\nDie Ausgabe ist ein Entwurf („draft: true“) und erscheint nur in der Vorschau "
               "(„rundbrief serve“). Beiträge schreiben, „rundbrief check“, dann die Zeile „draft: true“ löschen.")


@new.command("project", short_help="Legt ein neues Projektprofil an.")
@click.argument("slug", metavar="DATEINAME")
@click.option("--title", required=True, help="Voller Projektname.")
@click.option("--organisation", help="Der Vorhabenträger, wo bekannt.")
@click.option("--location", required=True, help="Ort oder Kreis.")
@click.option("--state", required=True, help="Bundesland mit genauem Namen, z. B. Nordrhein-Westfalen.")
@click.option("--short", help="Kurzname, z. B. KArAD.")
@click.option("--website", help="Adresse mit https:// oder http://.")
@click.option("--email", help="E-Mail-Adresse.")
@click.option("--tag", "tags", multiple=True, help="Ein Thema; mehrfach angeben für mehrere.")
@CONFIG
def new_project(slug: str, config_file: str, **fields: object) -> None:
    """Legt projects/<slug>.md an und prüft die Angaben wie der Bau."""
    workspace = open_workspace(config_file)
    if slug != anchor(slug):
        raise Failure(f"„{slug}“ ist als Dateiname nicht erlaubt. Erlaubt sind Kleinbuchstaben, Ziffern und "
                      f"Bindestriche, z. B. „{anchor(slug)}“.")
    path = f"{PROJECTS}/{slug}.md"
    text = project_text({
        "title": fields["title"], "short": fields["short"], "organisation": fields["organisation"],
        "location": fields["location"], "state": fields["state"], "website": fields["website"],
        "email": fields["email"], "tags": list(fields["tags"]),  # type: ignore[call-overload]
    })
    problems: list[Problem] = []
    source = split_front_matter(path, text, problems)
    if source:
        parse_project(source, slug, problems)
    if problems:
        _report(problems)
        raise Failure("Nichts angelegt.")
    existing = {p.stem.casefold() for p in (workspace.root / PROJECTS).glob("*.md")}
    if slug.casefold() in existing:
        raise Failure(f"{path} gibt es schon: nichts überschrieben.")
    _write_new(workspace.root / path, text)
    click.echo(f"Angelegt: {path}")


@main.command(short_help="Prüft alle Inhalte, ohne zu bauen.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json für CI und Editoren.")
@CONFIG
def check(output: str, config_file: str) -> None:
    """Prüft alle Inhalte mit den Regeln des Baus, ohne zu bauen. Meldet Fehler und Warnungen."""
    problems = check_workspace(open_workspace(config_file))
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    if output == "json":
        click.echo(json.dumps({
            "errors": errors,
            "warnings": warnings,
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
                         for p in problems],
        }, ensure_ascii=False, indent=2))
    else:
        click.echo(visible("\n".join(summary(problems))))
    sys.exit(1 if errors else 0)


@main.command("import", short_help="Übernimmt alte Ausgaben der früheren Website.")
@click.argument("files", nargs=-1, required=True, metavar="DATEI...", type=click.Path(path_type=Path))
@click.option("--name", metavar="NAME", help="Dateiname der neuen Ausgabe in newsletters/, ohne „.md“ (nur mit "
              "einer DATEI), z. B. wenn es den vorgeschlagenen schon gibt.")
@CONFIG
def import_(files: tuple[Path, ...], name: str | None, config_file: str) -> None:
    """Wandelt alte Ausgaben (Text oder HTML von der alten Website) in Entwürfe von Ausgaben um."""
    if name is not None and (len(files) > 1 or name != anchor(name)):
        raise Failure(f"„--name {name}“ geht nicht. Erlaubt ist ein Name aus Kleinbuchstaben, Ziffern und Bindestrichen "
                      f"für genau eine Datei, z. B. „rundbrief import --name {anchor(name) or '2024-12-13-kopie'} "
                      f"{files[0]}“.")
    workspace = open_workspace(config_file)
    sections = workspace.site.config.sections
    projects = workspace.content().projects
    failed = 0
    with click.progressbar(files, label="Importiere", file=sys.stderr, hidden=len(files) < 2) as bar:
        for file in bar:
            try:
                _import_file(workspace.root, file, sections, projects, name)
            except Failure as e:
                click.echo(visible(f"\n{file}: {e.format_message()}"), err=True)
                failed += 1
    if failed:
        raise Failure(f"{failed} von {len(files)} Dateien nicht importiert.")


def _import_file(root: Path, file: Path, sections: list[str], projects: list[Project], name: str | None) -> None:
    """Writes one old newsletter as a draft issue and says what became of it; a Failure says why not."""
    try:
        copy = read_copy(file, sections)
        imported = convert(copy.blocks, sections, projects)
    except NotImportable as e:
        raise Failure(f"{e} Nicht importiert.") from None
    path = f"{NEWSLETTERS}/{name}.md" if name else issue_path(imported.date, imported.title)
    if (root / path).exists():
        other = f"{Path(path).stem}-import"
        raise Failure(f"{path} gibt es schon: nichts überschrieben. Unter einem anderen Namen importieren: "
                      f"„rundbrief import --name {other} {file}“.")
    _write_new(root / path, imported.markdown)
    items = ", ".join(f"{name} {n}" for name, n in imported.items.items()) or (
        f"keine, denn keiner der Abschnitte {', '.join(sections)} steht auf einer eigenen Zeile; "
        "der Text ist die Einleitung")
    click.echo(visible(f"\n{file} → {path}\n  Als Entwurf angelegt („draft: true“). Beiträge je Abschnitt: {items}. "
               "Die Überschriften der Beiträge sind Vorschläge: bitte prüfen und kürzen, dann die Zeile "
               "„draft: true“ löschen."))
    for note in copy.notes:
        click.echo(visible(f"  Hinweis: {note}"))
    for block in imported.unmapped:
        click.echo(visible(f"  nicht zugeordnet: „{block}“"))
    for sentence in imported.dead_links:
        click.echo(visible(f"  Verweis fehlt in der Kopie, Satz weggelassen: „{sentence.strip()}“ – mit der Adresse "
                           "wieder einfügen, z. B. „[nachhören](https://…)“."))


@main.command(short_help="Baut die Website in den Ordner site/.")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path), metavar="ORDNER",
              help="Wohin gebaut wird (Standard: site_dir aus mkdocs.yml, meist site/).")
@click.option("--now", "now_text", metavar="\"JJJJ-MM-TT HH:MM\"",
              help="Baut, als wäre es dieser Zeitpunkt in Berliner Zeit (Standard: jetzt); für geplante Ausgaben.")
@CONFIG
def build(site_dir: Path | None, now_text: str | None, config_file: str) -> None:
    """Baut die Website. Schlägt der Bau fehl, bleibt die letzte gute Fassung unverändert."""
    now = parse_now(now_text) if now_text is not None else None
    if isinstance(now, str):
        raise Failure(now)
    build_atomically(config_file, site_dir, now)


@main.command(short_help="Baut die Website und veröffentlicht sie.")
@click.option("--target", "url", metavar="ADRESSE",
              help="Wohin: file:///ordner, sftp://benutzer@server/pfad oder git+https://…/projekt.git#zweig "
                   "(Standard: publish aus mkdocs.yml).")
@CONFIG
def publish(url: str | None, config_file: str) -> None:
    """Baut die Website und überträgt nur, was sich geändert hat. Mit einem Fehler im Bau wird nichts
    veröffentlicht."""
    publish_site(config_file, url)


@main.command(short_help="Richtet den Bau auf GitHub oder GitLab ein, oder den Editor auf GitLab.")
@click.argument("service", type=click.Choice(["github", "gitlab", "cms"]), metavar="github|gitlab|cms")
@click.argument("backend", required=False, type=click.Choice(["gitlab"]), metavar="[gitlab]")
@click.option("--repo", metavar="GRUPPE/PROJEKT", help="Nur für „cms gitlab“: das Projekt auf GitLab.")
@click.option("--app-id", metavar="ID", help="Nur für „cms gitlab“: die Application-ID der Anwendung in GitLab.")
@click.option("--gitlab-url", default="https://gitlab.opencode.de", show_default=True, metavar="ADRESSE",
              help="Nur für „cms gitlab“: die GitLab-Instanz.")
@click.option("--branch", default="main", show_default=True, metavar="ZWEIG", help="Nur für „cms gitlab“.")
@CONFIG
def setup(service: str, backend: str | None, repo: str | None, app_id: str | None, gitlab_url: str, branch: str,
          config_file: str) -> None:
    """Schreibt die Anleitung für den Bau-Server (.github/workflows/rundbrief.yml oder .gitlab-ci.yml): bauen
    und veröffentlichen bei jedem Push und stündlich, damit geplante Ausgaben pünktlich erscheinen.
    „setup cms gitlab --repo … --app-id …“ schreibt cms/config.yml für Decap CMS mit GitLab (siehe REDAKTION.md)."""
    if service != "cms":
        write_recipe(service, config_file)
        return
    if backend != "gitlab" or not repo or not app_id:
        raise Failure("Erlaubt ist „rundbrief setup cms gitlab --repo gruppe/projekt --app-id …“: Projekt und "
                      "Application-ID aus GitLab (Einstellungen → Anwendungen, Redirect-URI: die Adresse des Editors).")
    path = write_cms_config(config_file, repo, app_id, gitlab_url, branch)
    click.echo(f"Angelegt: {path.name} in {path.parent.name}/ (Decap CMS mit GitLab, Anmeldung mit PKCE).")


@main.command(short_help="Zeigt die Vorschau im Browser.")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="RECHNER:PORT",
              help="Adresse und Port.")
@CONFIG
def serve(dev_addr: str, config_file: str) -> None:
    """Vorschau im Browser; jede Änderung in newsletters/ oder projects/ lädt die Seite neu."""
    serve_preview(config_file, dev_addr)


@main.command(short_help="Bearbeiten im Browser, mit Vorschau.")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="RECHNER:PORT",
              help="Adresse und Port; nur Adressen dieses Rechners.")
@CONFIG
def edit(dev_addr: str, config_file: str) -> None:
    """Startet die Vorschau und unter /admin/ den Editor (Decap CMS). Jede Speicherung wird mit den Regeln des
    Baus geprüft und mit git festgehalten; was der Bau ablehnen würde, wird nicht gespeichert."""
    server = edit_server(config_file, dev_addr)
    click.echo(f"Editor auf {server.url}/admin/ – beenden mit Strg+C", err=True)
    try:
        serve_preview(config_file, dev_addr, routes=server)
    finally:
        server.close()


@main.command(short_help="Gibt den LinkedIn-Text zu einer Ausgabe aus.")
@click.argument("issue_name", metavar="AUSGABE")
@click.option("--item", "item_id", metavar="ANKER", help="Statt des Textes zur Ausgabe den Text zu diesem Porträt (Anker-ID).")
@CONFIG
def linkedin(issue_name: str, item_id: str | None, config_file: str) -> None:
    """Gibt den LinkedIn-Text zu einer Ausgabe aus, z. B. `rundbrief linkedin 2024-12-13-die-vernetzungsstelle-informiert`."""
    workspace = open_workspace(config_file)
    found = checked(workspace)  # the build's own checks, without building the site
    if found.errors or found.content is None:
        raise Failure("Die Website lässt sich nicht bauen:\n" + "\n".join(visible(str(p)) for p in found.errors))
    content = found.content
    if not workspace.site.config.linkedin.enabled:  # known after the check: an old `linkedin` plugin hands it over
        raise Failure("Die LinkedIn-Texte sind in mkdocs.yml abgeschaltet: unter „linkedin:“ steht „enabled: false“. "
                      "Der Befehl braucht sie: diese Zeile löschen.")
    issues = {issue.name: issue for issue in content.all_issues}
    issue = issues.get(issue_name.removesuffix(".md").removeprefix(f"{NEWSLETTERS}/"))
    if issue is None:
        known = ", ".join(sorted(issues)) or "keine"
        raise Failure(f"Keine Ausgabe „{issue_name}“. Vorhanden: {known}.")
    if issue.draft:
        raise Failure(f"„{issue.name}“ ist ein Entwurf: Die Ausgabe ist noch nicht veröffentlicht, der Link im "
                      "LinkedIn-Text führte ins Leere. Erst die Zeile „draft: true“ löschen, die Website bauen und "
                      "veröffentlichen, dann den Text holen.")
    if not content.public(issue):
        raise Failure(f"„{issue.name}“ ist geplant und erscheint erst am {german_moment(content.moment(issue))}: "
                      "der Link im LinkedIn-Text führte bis dahin ins Leere. Den Text ab diesem Zeitpunkt holen.")
    made = workspace.posts(issue)
    if item_id is None:
        click.echo(visible(made[0].text), nl=False)
        return
    post = next((post for post in made[1:] if post.id == item_id), None)
    if post is None:
        known = ", ".join(post.id for post in made[1:]) or "keine"
        raise Failure(f"Kein Porträt „{item_id}“ in dieser Ausgabe. Vorhanden: {known}.")
    click.echo(visible(post.text), nl=False)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Failure(f"„{text}“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT, z. B. 2024-12-13.") from None


def _write_new(path: Path, text: str) -> None:
    """Writes a file that must not exist yet: editors' work is never overwritten."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        if isinstance(e, FileExistsError) and path.exists():  # not a file where a folder belongs
            raise Failure(f"{path.name} gibt es schon: nichts überschrieben.") from None
        raise Failure(describe_os_error(e)) from None


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(visible(str(problem)))
