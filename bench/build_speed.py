"""Builds a synthetic archive (120 issues of 6 items, 500 profiles) with Rundbrief and with plain
MkDocs + Material (search on, small nav) on the same Markdown pages, in the same run, and reports
the ratios. Rundbrief is built twice: with the `rundbrief` plugin only (pages, archive, directory,
themes, feeds) and with the `linkedin` plugin too (copy pages, post texts, social cards).
Usage: python bench/build_speed.py [--rounds N] [--issues N] [--profiles N]"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import resource
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


def write_projects(root: Path, issues: int, profiles: int) -> dict[str, Path]:
    """Projects with the same Markdown: built by Rundbrief (with and without the linkedin plugin)
    and by plain MkDocs + Material."""
    rundbrief, site, plain = root / "rundbrief", root / "site", root / "plain"
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
    shutil.copytree(rundbrief, site)
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(re.sub(r"  - linkedin:\n(      .*\n)*", "", config), encoding="utf-8")
    return {"plain MkDocs + Material": plain, "Rundbrief, rundbrief plugin only": site, "Rundbrief, full": rundbrief}


def timed_build(project: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one build; the CPU time includes the processes the build forks."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure builds as users run them: with cached bytecode
    os.sync()  # the previous build's writes are flushed, so that no build pays for another's
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
                   check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--issues", type=int, default=120)
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--dir", default=str(REPO / "bench"),
                        help="where to build (default: bench/ in the repository, as a project folder would be)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        projects = write_projects(Path(tmp), args.issues, args.profiles)
        walls: dict[str, list[float]] = {name: [] for name in projects}
        cpus: dict[str, list[float]] = {name: [] for name in projects}
        for project in projects.values():
            timed_build(project)  # warm the file cache, bytecode and the caches of cards and templates
        for _ in range(args.rounds):  # interleaved, so that machine noise hits all alike
            for name, project in projects.items():
                wall, cpu = timed_build(project)
                walls[name].append(wall)
                cpus[name].append(cpu)
        pages = len(list((projects["Rundbrief, full"] / "site").rglob("index.html")))
    plain = "plain MkDocs + Material"
    print(f"{args.issues} issues, {args.profiles} profiles ({pages} pages in the full Rundbrief site); "
          f"{args.rounds} builds each on {len(os.sched_getaffinity(0))} cores")
    print(f"{'':34} {'median':>7} {'ratio':>6} {'fastest':>8} {'ratio':>6} {'CPU time':>9} {'ratio':>6}")

    def figures(name: str) -> list[float]:
        return [statistics.median(walls[name]), min(walls[name]), statistics.median(cpus[name])]

    for name in projects:
        ratios = zip(figures(name), figures(plain), strict=True)
        print(f"{name:34} " + " ".join(f"{value:6.2f}s {value / of:5.2f}x" for value, of in ratios))


if __name__ == "__main__":
    main()
