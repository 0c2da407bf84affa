"""`rundbrief publish`: the editors' build, then only what changed to the web host."""

from __future__ import annotations

from pathlib import Path

import click

from rundbrief.adapter.publish import Refused, open_target, publish

from .build import build_atomically
from .errors import visible
from .project import Failure, open_workspace


def publish_site(config_file: str, url: str | None) -> None:
    """Builds as `rundbrief build` does and publishes only a site that built without an error. The
    target is checked before the build, so that a wrong address costs no build."""
    workspace = open_workspace(config_file)
    url = url or workspace.site.config.publish
    if not url:
        raise Failure("Es fehlt das Ziel: wohin die Website soll. Entweder „--target ADRESSE“ angeben oder in "
                      "mkdocs.yml unter „plugins:“ bei „- rundbrief:“ die Zeile „publish: ADRESSE“ eintragen, z. B. "
                      "„publish: sftp://web123@ssh.example.org/html“. Mehr dazu in REDAKTION.md, „Veröffentlichen“.")
    site = Path(workspace.config.site_dir).resolve()
    try:
        target = open_target(url, workspace.root, site)
    except Refused as e:
        raise Failure(f"{e} Nichts veröffentlicht.") from None
    shown = visible(target.label)
    try:
        try:
            build_atomically(config_file, None)
        except Failure as e:
            raise Failure(f"{e.message} Nichts veröffentlicht: {shown} ist unverändert.") from None
        click.echo(f"Veröffentliche nach {shown} …", err=True)
        outcome = publish(site, target, lambda line: click.echo(line, err=True))
    except Refused as e:
        raise Failure(str(e)) from None
    finally:
        target.close()
    click.echo(f"Veröffentlicht: {outcome}.", err=True)
