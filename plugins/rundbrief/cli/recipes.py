"""`rundbrief setup github|gitlab`: the build server's recipe, which builds and publishes on every push
and every hour, so that scheduled issues appear on time without anyone at a computer."""

from __future__ import annotations


import click

from .project import Failure, open_workspace

# Off the full hour: at :00 every schedule of the service starts at once, and GitHub delays or drops runs.
MINUTE = 17
CRON = f"{MINUTE} * * * *"

_SSH = """\
mkdir -p ~/.ssh && chmod 700 ~/.ssh
if [ -n "$RUNDBRIEF_KNOWN_HOSTS" ]; then printf '%s\\n' "$RUNDBRIEF_KNOWN_HOSTS" >> ~/.ssh/known_hosts; fi
if [ -n "$RUNDBRIEF_SSH_KEY" ]; then
  printf '%s\\n' "$RUNDBRIEF_SSH_KEY" > ~/.ssh/id_ed25519 && chmod 600 ~/.ssh/id_ed25519
fi"""


def github(cache: str) -> str:
    ssh = "\n".join(f"          {line}" for line in _SSH.splitlines())
    return f"""\
# Baut und veröffentlicht die Website (rundbrief publish) bei jedem Push und stündlich, damit geplante
# Ausgaben pünktlich erscheinen. Geschrieben von „rundbrief setup github“; Erklärung in REDAKTION.md.
#
# Geheimnisse (Settings → Secrets and variables → Actions), je nach Ziel in mkdocs.yml („publish:“):
#   RUNDBRIEF_SSH_KEY           privater SSH-Schlüssel für den Webspace (SFTP) oder das git-Ziel
#   RUNDBRIEF_KNOWN_HOSTS       die Zeile(n) des Servers aus ~/.ssh/known_hosts (Schlüssel des Servers)
#   RUNDBRIEF_PUBLISH_PASSWORD  nur wenn der Webspace ein Passwort statt eines Schlüssels verlangt
# Achtung: GitHub und GitHub Pages stehen in den USA (siehe REDAKTION.md, „Wo die Website liegt“).
name: Rundbrief

on:
  push:
    branches: [main]  # der Hauptzweig; heißt er anders (z. B. master), hier anpassen
  schedule:
    - cron: "{CRON}"
  workflow_dispatch:

# Nie zwei Veröffentlichungen zugleich: die zweite wartet.
concurrency:
  group: rundbrief-publish
  cancel-in-progress: false

permissions:
  contents: write  # nur für ein git-Ziel in diesem Repository (z. B. der Zweig gh-pages)

jobs:
  publish:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: pyproject.toml
      - uses: actions/cache@v4
        with:
          path: {cache}
          key: rundbrief-${{{{ github.run_id }}}}
          restore-keys: rundbrief-
      - run: python -m pip install .
      - name: Zugang zum Ziel
        env:
          RUNDBRIEF_SSH_KEY: ${{{{ secrets.RUNDBRIEF_SSH_KEY }}}}
          RUNDBRIEF_KNOWN_HOSTS: ${{{{ secrets.RUNDBRIEF_KNOWN_HOSTS }}}}
          GH_TOKEN: ${{{{ github.token }}}}
        run: |
{ssh}
          git config --global url."https://x-access-token:${{GH_TOKEN}}@github.com/".insteadOf "https://github.com/"
      - run: rundbrief publish
        env:
          RUNDBRIEF_PUBLISH_PASSWORD: ${{{{ secrets.RUNDBRIEF_PUBLISH_PASSWORD }}}}
"""


def gitlab(cache: str, publish: bool) -> str:
    ssh = "\n".join(f"      {line}" for line in _SSH.splitlines())
    head = f"""\
# Baut und veröffentlicht die Website bei jedem Push und nach Zeitplan, damit geplante Ausgaben pünktlich
# erscheinen. Geschrieben von „rundbrief setup gitlab“; Erklärung in REDAKTION.md.
#
# Den Zeitplan legt GitLab nicht in dieser Datei fest, sondern unter Build → Pipeline-Zeitpläne
# (Build → Pipeline schedules): „Neuer Zeitplan“, Intervall „{CRON}“ (stündlich um :{MINUTE}),
# Zeitzone Europe/Berlin, Zweig main.
"""
    rules = f"""\
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "web"
    - if: $CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  cache:
    key: rundbrief
    paths:
      - {cache}
  before_script:
    - python -m pip install ."""
    if not publish:
        return head + f"""\
#
# Die Website kommt auf GitLab Pages dieses Projekts (z. B. auf openCoDE): der Auftrag heißt „pages“
# und legt sie im Ordner public/ ab. Für einen eigenen Webspace stattdessen in mkdocs.yml „publish:“
# eintragen und „rundbrief setup gitlab“ neu ausführen (vorher diese Datei löschen).

pages:
  image: python:3.12
  resource_group: rundbrief-publish  # nie zwei Veröffentlichungen zugleich
{rules}
  script:
    - rundbrief build --site-dir public
  artifacts:
    paths:
      - public
"""
    return head + f"""\
#
# Geheime Variablen (Settings → CI/CD → Variables, „Masked“ und „Protected“), je nach Ziel in mkdocs.yml:
#   RUNDBRIEF_SSH_KEY           privater SSH-Schlüssel für den Webspace (SFTP) oder das git-Ziel
#   RUNDBRIEF_KNOWN_HOSTS       die Zeile(n) des Servers aus ~/.ssh/known_hosts (Schlüssel des Servers)
#   RUNDBRIEF_PUBLISH_PASSWORD  nur wenn der Webspace ein Passwort statt eines Schlüssels verlangt

publish:
  image: python:3.12
  resource_group: rundbrief-publish  # nie zwei Veröffentlichungen zugleich
{rules}
    - |
{ssh}
  script:
    - rundbrief publish
"""


def write_recipe(service: str, config_file: str) -> None:
    workspace = open_workspace(config_file)
    cache = workspace.site.config.cache_dir
    if service == "github":
        path, text = workspace.root / ".github" / "workflows" / "rundbrief.yml", github(cache)
    else:
        path, text = workspace.root / ".gitlab-ci.yml", gitlab(cache, bool(workspace.site.config.publish))
    shown = path.relative_to(workspace.root).as_posix()
    if path.exists():
        raise Failure(f"{shown} gibt es schon: nichts überschrieben. Um sie neu schreiben zu lassen, die Datei "
                      "umbenennen oder löschen und den Befehl wiederholen; eigene Änderungen darin dann übertragen.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    click.echo(f"Angelegt: {shown}")
    if service == "gitlab":
        click.echo(f"Noch nötig: in GitLab unter Build → Pipeline-Zeitpläne einen Zeitplan „{CRON}“ "
                   "(Europe/Berlin, Zweig main) anlegen, damit geplante Ausgaben pünktlich erscheinen.")
    if service == "github" and not workspace.site.config.publish:
        click.echo("Noch nötig: in mkdocs.yml unter „- rundbrief:“ das Ziel eintragen („publish: …“, siehe "
                   "REDAKTION.md, „Veröffentlichen“).")
    if service == "github" or workspace.site.config.publish:
        click.echo("Noch nötig: die Geheimnisse eintragen, die das Ziel braucht (RUNDBRIEF_SSH_KEY, "
                   "RUNDBRIEF_KNOWN_HOSTS oder RUNDBRIEF_PUBLISH_PASSWORD; siehe die Kommentare in der Datei).")
