"""Builds a synthetic archive (120 issues of 6 items, 500 profiles) with Rundbrief and with plain
MkDocs + Material (search on, small nav) on the same Markdown pages, in the same run, and reports
the ratios, and each goal (README, "Build speed") as met or by how much it is missed. Rundbrief is built three
times: with LinkedIn off (pages, archive, directory, themes, feeds; `linkedin: {enabled: false}`), with
LinkedIn on too (copy pages, post texts, social cards), and that full site again as on a build server's
fresh clone, with neither a cache nor a built site (both are moved aside before each such build and
deleted at the end of the run), all interleaved in one run. It also prints the bound CPU time sets the empty-cache
build: its CPU time shared out evenly over the cores.
`--scale` builds only the full site of a large archive (default 2,000 issues, 6,000 profiles: about
10,000 pages), once to fill the cache and once timed, and reports wall and CPU time and peak memory.
`--ahead` builds only the full site as a fresh clone, as it is and with each of the speed layer's
processes working ahead switched off in the build's process (adapter/speed/ahead.py), and reports
what each saves: each stays only where it saves at least a tenth of the build's time it takes over.
Usage: python bench/build_speed.py [--rounds N] [--issues N] [--profiles N] [--scale | --ahead]"""

from __future__ import annotations

import argparse
import datetime
import os
import re
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
    # weekly, backwards from a past day: an issue dated later than the build is not yet due, and left out
    date = datetime.date(2025, 12, 31) - datetime.timedelta(days=7 * n)
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
    """Projects with the same Markdown: built by Rundbrief (with LinkedIn on and off) and by plain
    MkDocs + Material."""
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
    (site / "mkdocs.yml").write_text(
        re.sub(r"      linkedin:\n(        .*\n)*", "      linkedin: {enabled: false}\n", config), encoding="utf-8")
    return {"plain MkDocs + Material": plain, "Rundbrief, LinkedIn off": site, "Rundbrief, full": rundbrief}


EMPTY_CACHE = "Rundbrief, full, empty cache"


def goal(what: str, value: float, limit: float, unit: str) -> str:
    """A goal against the figure of this run: met, or by how much it is missed."""
    verdict = "met" if value <= limit else f"MISSED by {value - limit:.2f}{unit} ({value / limit - 1:.0%})"
    return f"goal: {what} at most {limit:g}{unit}: {value:.2f}{unit}, {verdict}"


# The speed layer's processes working ahead, each switched off for `--ahead` by replacing its start
# with a function that does nothing, in the build's process only: no option of the product does this.
AHEAD = {
    "converting ahead": "ConvertingAhead",
}


def command(project: Path, without: str | None = None) -> list[str]:
    build = ["build", "-q", "-f", str(project / "mkdocs.yml")]
    if without is None:
        return [sys.executable, "-m", "mkdocs", *build]
    return [sys.executable, "-c", (
        "import runpy, sys\n"
        "from rundbrief.adapter.speed import ahead\n"
        f"ahead.{AHEAD[without]}.start = lambda *args, **options: None\n"
        f"sys.argv = ['mkdocs', *{build!r}]\n"
        "runpy.run_module('mkdocs', run_name='__main__')\n")]


def timed_build(project: Path, *, empty_cache: bool = False, without: str | None = None) -> tuple[float, float, int, float]:
    """Wall-clock and CPU seconds of one build, its peak memory in bytes, and the part of its CPU time
    the kernel spent for it (making, writing and deleting files, mostly). The CPU time includes
    the processes the build forks; the peak memory is that of its largest process, the build or one
    it forked (the kernel's accounting, which wait4 returns for the whole tree)."""
    if empty_cache:
        # As a fresh clone: no cache, no site. Deleting them is no part of any build, so they are
        # moved aside and deleted with the run's folder at its end: on an ext4 without a journal (as
        # on this machine) the kernel skips every inode freed in the last 30 s each time it makes a
        # file, so thousands of deletions would slow every build that follows them.
        discarded = Path(tempfile.mkdtemp(dir=project.parent, prefix="discarded-"))
        for name in (".cache", "site"):
            if (project / name).exists():
                (project / name).rename(discarded / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure builds as users run them: with cached bytecode
    os.sync()  # the previous build's writes are flushed, so that no build pays for another's
    start = time.perf_counter()
    build = subprocess.Popen(command(project, without), env=env)
    _, status, usage = os.wait4(build.pid, 0)
    wall = time.perf_counter() - start
    build.returncode = os.waitstatus_to_exitcode(status)
    if build.returncode:
        raise subprocess.CalledProcessError(build.returncode, build.args)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--issues", type=int)
    parser.add_argument("--profiles", type=int)
    parser.add_argument("--scale", action="store_true", help="one timed build of a large archive's full site")
    parser.add_argument("--ahead", action="store_true", help="what each process working ahead saves a fresh clone")
    parser.add_argument("--dir", default=str(REPO / "bench"),
                        help="where to build (default: bench/ in the repository, as a project folder would be)")
    args = parser.parse_args()
    issues = args.issues or (2000 if args.scale else 120)
    profiles = args.profiles or (6000 if args.scale else 500)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        projects = write_projects(Path(tmp), issues, profiles)
        if args.scale:
            scale(projects["Rundbrief, full"], issues, profiles)
        elif args.ahead:
            ahead(projects["Rundbrief, full"], issues, profiles, args.rounds)
        else:
            compare(projects, issues, profiles, args.rounds)


def compare(projects: dict[str, Path], issues: int, profiles: int, rounds: int) -> None:
    """Builds each project `rounds` times, interleaved so that machine noise hits all alike."""
    full = projects["Rundbrief, full"]
    projects[EMPTY_CACHE] = full.with_name("empty-cache")
    shutil.copytree(full, projects[EMPTY_CACHE])
    walls: dict[str, list[float]] = {name: [] for name in projects}
    cpus: dict[str, list[float]] = {name: [] for name in projects}
    systems: dict[str, list[float]] = {name: [] for name in projects}
    for project in projects.values():
        timed_build(project)  # warm the file cache, bytecode and the caches of cards and templates
    for _ in range(rounds):
        for name, project in projects.items():
            wall, cpu, _, system = timed_build(project, empty_cache=name == EMPTY_CACHE)
            walls[name].append(wall)
            cpus[name].append(cpu)
            systems[name].append(system)
    pages = len(list((full / "site").rglob("index.html")))
    print(f"{issues} issues, {profiles} profiles ({pages} pages in the full Rundbrief site); "
          f"{rounds} builds each on {len(os.sched_getaffinity(0))} cores")
    print(f"{'':34} {'median':>7} {'ratio':>6} {'fastest':>8} {'ratio':>6} {'CPU time':>9} {'ratio':>6} {'of it, kernel':>14}")

    def figures(name: str) -> list[float]:
        return [statistics.median(walls[name]), min(walls[name]), statistics.median(cpus[name])]

    plain, warm, empty = (figures(name) for name in ("plain MkDocs + Material", "Rundbrief, full", EMPTY_CACHE))
    for name in projects:
        ratios = zip(figures(name), plain, strict=True)
        print(f"{name:34} " + " ".join(f"{value:6.2f}s {value / of:5.2f}x" for value, of in ratios)
              + f" {statistics.median(systems[name]):13.2f}s")
    ratios = zip(empty, warm, strict=True)
    print(f"{'empty cache / warm full build':34} " + " ".join(f"{'':7} {value / of:5.2f}x" for value, of in ratios))
    # No build can end before its CPU time is shared out evenly among the cores: the empty-cache
    # build's bound, however well its work were spread over them.
    cores = len(os.sched_getaffinity(0))
    bound = empty[2] / cores
    print(f"empty cache, CPU time / {cores} cores: {bound:.2f}s, {bound / warm[0]:.2f}x the warm full build's median")
    print(goal("warm full build, wall time (median) against plain's", warm[0] / plain[0], 1.0, "x"))
    print(goal("warm full build, CPU time (median) against plain's", warm[2] / plain[2], 1.2, "x"))
    print(goal("fresh clone (empty cache, median) against plain's", empty[0] / plain[0], 1.5, "x"))
    print("wall times per build: " + "; ".join(f"{name}: {', '.join(f'{w:.2f}' for w in walls[name])}" for name in projects))


def ahead(project: Path, issues: int, profiles: int, rounds: int) -> None:
    """Fresh-clone builds as they are and with each process working ahead switched off, interleaved;
    and warm builds, whose difference from a fresh clone's is the work the processes take over."""
    variants: list[str | None] = [None, *AHEAD]
    walls: dict[str | None, list[float]] = {variant: [] for variant in variants}
    warm: list[float] = []
    timed_build(project)
    for _ in range(rounds):
        for variant in variants:
            walls[variant].append(timed_build(project, empty_cache=True, without=variant)[0])
        warm.append(timed_build(project)[0])
    both = statistics.median(walls[None])
    print(f"{issues} issues, {profiles} profiles, full site, fresh clone; {rounds} builds each on "
          f"{len(os.sched_getaffinity(0))} cores (medians)")
    print(f"as it is: {both:.2f}s; warm build: {statistics.median(warm):.2f}s")
    cold_work = both - statistics.median(warm)
    for variant in AHEAD:
        without = statistics.median(walls[variant])
        saved = without - both
        print(f"without {variant}: {without:.2f}s, so it saves {saved:.2f}s = {saved / without:.0%} of that build")
        verdict = "stays" if saved >= cold_work / 10 else "saves less: delete it"
        print(f"goal: {variant} saves at least a tenth of what a fresh clone does more than a warm build "
              f"({cold_work / 10:.2f}s): {saved:.2f}s, {verdict}")


def scale(project: Path, issues: int, profiles: int) -> None:
    """One build to fill the caches, then one timed: the figure of a warm build on a large archive."""
    wall, cpu, memory, _ = timed_build(project)
    print(f"first build (empty cache): {wall:.1f} s wall, {cpu:.1f} s CPU, peak memory {memory / 2**20:.0f} MiB")
    wall, cpu, memory, _ = timed_build(project)
    pages = len(list((project / "site").rglob("index.html")))
    print(f"{issues} issues, {profiles} profiles ({pages} pages), warm cache: {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"peak memory {memory / 2**20:.0f} MiB (the largest process: the build or one it forked)")
    print(goal("warm build", wall, 60, " s"))
    print(goal("peak memory", memory / 2**20, 1024, " MiB"))


if __name__ == "__main__":
    main()
