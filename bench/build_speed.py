"""Builds a synthetic archive (120 issues of 6 items, 500 profiles) with Rundbrief and with plain
MkDocs + Material (search on, small nav) on the same Markdown pages, in the same run, and reports
the ratio. Usage: python bench/build_speed.py [--rounds N] [--issues N] [--profiles N]"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATES = ["Bayern", "Berlin", "Bremen", "Hessen", "Niedersachsen", "Nordrhein-Westfalen", "Sachsen", "Thüringen"]
THEMES = ["Alleinerziehende", "Mobilität", "Kinderbetreuung", "Schulden", "Sucht", "Elternarbeit",
          "Tagesstruktur", "Behördenkontakt", "Jobcenter", "Jugendamt", "Wohnen", "Gesundheit"]
SECTIONS = ["Vorgestellt", "Vernetzt", "Umgeschaut"]
PARAGRAPH = ("Die Coach*innen begleiten Familien über Monate, vermitteln Kinderbetreuung und gehen mit zu "
             "Terminen beim Jobcenter. „Viele Wege entstehen erst unterwegs“, sagt das Team – **verlässlich** "
             "und *nah* an den Familien. ")


def profile(n: int) -> str:
    themes = ", ".join(THEMES[(n + k) % len(THEMES)] for k in range(2))
    return (f"---\ntitle: Projekt {n} für Familien\nshort: P{n}\norganisation: Träger {n} e.V.\n"
            f"location: Ort {n}\nstate: {STATES[n % len(STATES)]}\ntags: [{themes}]\n---\n\n"
            + PARAGRAPH * 3 + "\n\n" + PARAGRAPH * 2 + "\n")


def issue(n: int, profiles: int) -> str:
    date = datetime.date(2016, 1, 1) + datetime.timedelta(days=30 * n)
    body = [f"---\ntitle: Ausgabe {n}\ndate: {date.isoformat()}\ndescription: Teaser der Ausgabe {n}.\n---\n",
            "Einleitung für alle Mitstreiter*innen.\n"]
    for s, section in enumerate(SECTIONS):
        body.append(f"## {section}\n")
        for i in range(2):
            target = (n * 6 + s * 2 + i) % profiles
            body.append(f"### Beitrag {s * 2 + i + 1} der Ausgabe {n}\n\n{PARAGRAPH * 2}"
                        f"Mehr bei [Projekt {target}](../projects/p{target}.md).\n")
    return "\n".join(body)


def write_projects(root: Path, issues: int, profiles: int) -> tuple[Path, Path]:
    """Two projects with the same Markdown: one built by Rundbrief, one by plain MkDocs + Material."""
    rundbrief, plain = root / "rundbrief", root / "plain"
    shutil.copytree(REPO / "content", rundbrief / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (rundbrief / "mkdocs.yml").write_text(config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}"))
    shutil.copytree(REPO / "content", plain / "content")
    for folder in ("newsletters", "projects"):
        for target in (rundbrief / folder, plain / "content" / folder):
            target.mkdir(parents=True, exist_ok=True)
    for n in range(profiles):
        for target in (rundbrief / "projects", plain / "content" / "projects"):
            (target / f"p{n}.md").write_text(profile(n), encoding="utf-8")
    for n in range(issues):
        for target in (rundbrief / "newsletters", plain / "content" / "newsletters"):
            (target / f"ausgabe-{n:03}.md").write_text(issue(n, profiles), encoding="utf-8")
    (plain / "content" / "newsletters" / "index.md").write_text("# Ausgaben\n")
    (plain / "content" / "projects" / "index.md").write_text("# Projekte\n")
    (plain / "content" / "index.md").write_text("# Start\n")  # the sample's start page needs Rundbrief
    (plain / "mkdocs.yml").write_text(
        "site_name: Plain\nsite_url: https://example.org/\ndocs_dir: content\n"
        "theme:\n  name: material\n  language: de\n  font: false\n  features: [navigation.tabs]\n"
        "nav:\n  - Start: index.md\n  - Ausgaben: newsletters/index.md\n  - Projekte: projects/index.md\n"
        "  - Über das Programm: ueber-das-programm.md\n  - Kontakt: kontakt.md\n"
        "not_in_nav: |\n  /newsletters/\n  /projects/\n  /*.md\n"
        "plugins:\n  - search:\n      lang: de\n"
        "markdown_extensions:\n  - toc:\n      permalink: true\n  - attr_list\n  - admonition\n"
        "  - pymdownx.betterem:\n      smart_enable: all\n",
        encoding="utf-8",
    )
    return rundbrief, plain


def timed_build(project: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure builds as users run them: with cached bytecode
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
                   check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120)
    parser.add_argument("--profiles", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rundbrief, plain = write_projects(Path(tmp), args.issues, args.profiles)
        times: dict[str, list[float]] = {"plain": [], "rundbrief": []}
        timed_build(plain), timed_build(rundbrief)  # warm the file cache and bytecode
        for _ in range(args.rounds):  # alternate, so that machine noise hits both alike
            times["plain"].append(timed_build(plain))
            times["rundbrief"].append(timed_build(rundbrief))
        pages = len(list((rundbrief / "site").rglob("index.html")))
    plain_s, rundbrief_s = statistics.median(times["plain"]), statistics.median(times["rundbrief"])
    print(f"{args.issues} issues, {args.profiles} profiles, {pages} pages built by Rundbrief; "
          f"median of {args.rounds} builds each")
    print(f"plain MkDocs + Material: {plain_s:.2f} s")
    print(f"Rundbrief:               {rundbrief_s:.2f} s")
    print(f"ratio:                   {rundbrief_s / plain_s:.2f}x")


if __name__ == "__main__":
    main()
