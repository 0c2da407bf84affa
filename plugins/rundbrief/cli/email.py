"""`rundbrief email`: an issue as an e-mail for the mailing tool, checked before sending, and the same
checks in `rundbrief check`."""

from __future__ import annotations

import datetime
import email.policy
import os
from pathlib import Path

import click

from rundbrief.adapter.email import PASSWORD, Editions, Mail, Refusal, send
from rundbrief.adapter.site.config import time_of_day
from rundbrief.core import Content, Issue, Problem
from rundbrief.core.email import NO_TOOL, TOOL_NAMES, TOOLS, message, problems_as_warnings, unsubscribe_problem
from rundbrief.core.model import NEWSLETTERS
from rundbrief.core.problems import ERROR, WARNING
from rundbrief.core.rendered import bodies
from rundbrief.core.sanitize import sanitize
from rundbrief.core.schedule import NOON, german_moment

from .errors import describe_os_error, visible
from .german import GermanCommand
from .project import Failure, Workspace, open_workspace


@click.command("email", cls=GermanCommand, short_help="Macht aus einer Ausgabe eine E-Mail für das Versandwerkzeug.")
@click.argument("issue_name", metavar="AUSGABE")
@click.option("--tool", type=click.Choice(TOOLS), metavar="|".join(TOOLS),
              help="Das Versandwerkzeug, dessen Abmeldelink die E-Mail bekommt (Standard: email: tool aus mkdocs.yml, "
                   "sonst file: ohne Werkzeug).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="ORDNER",
              help="Wohin die Dateien kommen (Standard: email/ neben dem Ordner der Website).")
@click.option("--send-test", "address", metavar="ADRESSE",
              help="Schickt die E-Mail zur Probe an diese Adresse, über den SMTP-Server aus mkdocs.yml (email: smtp:).")
@click.option("--config", "-f", "config_file", default="mkdocs.yml", show_default=True, metavar="DATEI",
              help="Die Einstellungen der Website.")
def email_command(issue_name: str, tool: str | None, out: Path | None, address: str | None, config_file: str) -> None:
    """Schreibt AUSGABE.html, AUSGABE.txt und AUSGABE.eml: die Ausgabe als E-Mail mit HTML- und Textteil,
    geprüft wie vor dem Versand (Größe, Alternativtexte, CSS, Abmeldelink). Beispiel:
    `rundbrief email 2024-12-13-die-vernetzungsstelle-informiert --tool cleverreach`."""
    workspace = open_workspace(config_file)
    options = workspace.site.config.email
    tool = tool or options.tool
    if problem := unsubscribe_problem(tool, options.unsubscribe):  # before the build it would wait for
        raise Failure(problem)
    folder = out or Path(workspace.config.site_dir).parent / "email"  # before the build moves site_dir
    content = workspace.content()
    issue = _find(content, issue_name)
    if issue.draft:
        raise Failure(f"{issue.path} ist ein Entwurf („draft: true“): Die Ausgabe ist nicht veröffentlicht, "
                      "„Im Browser lesen“ und die Links zu den Beiträgen führten ins Leere. Erst die Zeile "
                      "„draft: true“ löschen, die Website bauen und veröffentlichen, dann die E-Mail machen.")
    moment = issue.moment(time_of_day(workspace.site.config.feed.time_of_day) or NOON)
    scheduled = issue in content.scheduled
    if scheduled:  # built as of its moment, so that its page is in the build
        workspace.site.now = moment
    build = workspace.built()
    try:
        editions = Editions(workspace.root, workspace.config, workspace.site.config, build.content, workspace.site.pictures)
        mail = editions.make(issue, build.html[issue.name], tool)
    except Refusal as e:
        raise Failure(str(e)) from None
    problems = [*mail.problems]
    if scheduled:
        problems.append(Problem(issue.path, 1, (
            f"Die Ausgabe ist geplant und erscheint erst am {german_moment(moment)}: bis dahin ist "
            "ihre Seite nicht online, und „Im Browser lesen“ und die Links zu den Beiträgen führen ins Leere. "
            "Die E-Mail erst ab diesem Zeitpunkt versenden."), WARNING))
    if mail.edition.unsubscribe is None:
        click.echo(visible(f"Hinweis: {NO_TOOL}"), err=True)
    sender = options.sender
    written = _write(folder, issue, mail, sender, moment)
    for found in sorted(problems, key=lambda p: p.severity != ERROR):
        click.echo(visible(str(found)), err=True)
    click.echo(f"Geschrieben ({TOOL_NAMES[tool]}): " + ", ".join(str(path) for path in written))
    errors = sum(p.severity == ERROR for p in problems)
    if errors:
        raise Failure(f"Die E-Mail hat {errors} Fehler: so nicht versenden. Die Dateien liegen zur Ansicht in {folder}."
                      + (" Nichts zur Probe verschickt." if address else ""))
    if address:
        if not sender:
            raise Failure("Für --send-test fehlt der Absender: in mkdocs.yml unter „rundbrief: email:“ „sender:“ "
                          "eintragen, z. B. „sender: Akti(F) Plus Vernetzungsstelle <newsletter@example.org>“.")
        test = message(mail.edition, mail.html, mail.text, sender, moment, to=address)
        try:
            send(test, options.smtp, os.environ.get(PASSWORD))
        except Refusal as e:
            raise Failure(str(e)) from None
        click.echo(f"Zur Probe verschickt an {address}.")


def _find(content: Content, name: str) -> Issue:
    issues = {issue.name: issue for issue in content.all_issues}
    issue = issues.get(Path(name).name.removesuffix(".md").removeprefix(f"{NEWSLETTERS}/"))
    if issue is None:
        raise Failure(f"Keine Ausgabe „{name}“. Vorhanden: {', '.join(sorted(issues)) or 'keine'}.")
    return issue


def _write(folder: Path, issue: Issue, mail: Mail, sender: str | None, moment: datetime.datetime) -> list[Path]:
    eml = message(mail.edition, mail.html, mail.text, sender, moment).as_bytes(policy=email.policy.default)
    files = {f"{issue.name}.html": mail.html.encode("utf-8"), f"{issue.name}.txt": mail.text.encode("utf-8"),
             f"{issue.name}.eml": eml}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    except OSError as e:
        raise Failure(describe_os_error(e)) from None
    return [folder / name for name in files]


def check_editions(workspace: Workspace, content: Content) -> list[Problem]:
    """For `rundbrief check`: the e-mail of each issue still to be sent (the newest published one, the
    scheduled ones and the drafts), made from its Markdown as `check` renders it, without a build; as
    warnings, since they stop a send, not the site."""
    newest = content.issues[:1]
    candidates = [*newest, *content.scheduled, *content.drafts]
    if not candidates:
        return []
    try:
        editions = Editions(workspace.root, workspace.config, workspace.site.config, content, workspace.site.pictures)
    except Refusal as e:  # no site_url, no emblem: no edition of any issue can be made
        return problems_as_warnings([Problem("mkdocs.yml", 1, str(e))])
    tool = workspace.site.config.email.tool
    pages = {page.path: page for page in bodies(content, {})}
    problems = []
    for issue in candidates:
        page = pages.get(issue.path)
        html = sanitize(workspace.render(page.markdown)) if page else ""
        try:
            problems += editions.make(issue, html, tool).problems
        except Refusal as e:
            problems.append(Problem(issue.path, 1, str(e)))
    return problems_as_warnings(problems)
