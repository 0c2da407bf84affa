"""`rundbrief`: one command for the editors, with `--help` on every subcommand."""

from __future__ import annotations

import click

from rundbrief.core.linkedin import item_texts, posts

from .project import open_workspace

CONFIG = click.option("--config", "-f", "config_file", default="mkdocs.yml", show_default=True,
                      help="Die Einstellungen der Website.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Rundbrief: Newsletter-Ausgaben und Projektprofile als Website."""


@main.command()
@click.argument("issue_name")
@click.option("--item", "item_id", help="Statt des Beitrags zur Ausgabe den Beitrag zu diesem Porträt (Anker-ID).")
@CONFIG
def linkedin(issue_name: str, item_id: str | None, config_file: str) -> None:
    """Gibt den LinkedIn-Beitrag zu einer Ausgabe aus, z. B. `rundbrief linkedin 2024-12-13-die-vernetzungsstelle-informiert`."""
    workspace = open_workspace(config_file)
    if not workspace.linkedin:
        raise click.ClickException("Das Plugin „linkedin“ ist in mkdocs.yml nicht eingetragen.")
    content = workspace.content()
    issues = {issue.name: issue for issue in content.issues + content.drafts}
    issue = issues.get(issue_name.removesuffix(".md").removeprefix("newsletters/"))
    if issue is None:
        known = ", ".join(sorted(issues)) or "keine"
        raise click.ClickException(f"Keine Ausgabe „{issue_name}“. Vorhanden: {known}.")
    options = workspace.linkedin.config
    found = posts(issue, item_texts(issue), workspace.config.site_url or "", options.hashtags, options.utm,
                  workspace.site.config.sections[0])
    if item_id is None:
        click.echo(found[0].text, nl=False)
        return
    post = next((post for post in found[1:] if post.id == item_id), None)
    if post is None:
        known = ", ".join(post.id for post in found[1:]) or "keine"
        raise click.ClickException(f"Kein Porträt „{item_id}“ in dieser Ausgabe. Vorhanden: {known}.")
    click.echo(post.text, nl=False)
