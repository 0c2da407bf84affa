"""How the plugins build: output written in a second process, caches between builds, config paths."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import PROPERDOCS, REPO
from rundbrief.adapter import writer

OUTPUT = (".xml", ".json", ".txt", ".jpg")  # what the plugins write beside MkDocs' pages
GENERATOR = "properdocs" if PROPERDOCS else "mkdocs"  # for builds in a process of their own


def _output(site) -> dict[str, bytes]:
    return {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*") if p.suffix in OUTPUT}


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The processes the build forks, on a machine of two cores whatever this one has."""
    counted: list[int] = []
    fork = os.fork

    def counting_fork() -> int:
        pid = fork()
        counted.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)
    return counted


def test_output_from_the_second_process_equals_output_written_inline(sample, forks):
    sample.build()
    forked = _output(sample)
    # one writer (feeds, post texts, cached cards), a card drawer per core, and with the cache empty
    # one process converting Markdown ahead (tests/test_ahead.py)
    assert len(forks) == 4
    cards = sample.root / ".cache" / "rundbrief" / "cards"
    shutil.rmtree(cards)  # so that the next builds draw every card too, inline
    stop = threading.Event()
    serving = threading.Thread(target=stop.wait)  # as in `mkdocs serve`: forking beside threads is unsafe
    serving.start()
    try:
        sample.build()
        inline = _output(sample)
    finally:
        stop.set()
        serving.join()
    assert len(forks) == 4
    assert forked == inline
    shutil.rmtree(cards)
    with pytest.MonkeyPatch.context() as one_core:  # no second core: forking would only cost
        one_core.setattr("rundbrief.adapter.writer._cores", lambda: 1)
        sample.build()
    assert len(forks) == 4
    assert _output(sample) == forked
    issue = "2024-12-13-die-vernetzungsstelle-informiert"
    for path in ("feed.xml", "feed.json", "projects/karad/feed.xml", f"linkedin/{issue}.txt",
                 f"assets/cards/newsletters/{issue}.jpg"):
        assert path in forked


def test_a_second_build_copies_the_cached_cards_without_drawing(sample, forks, monkeypatch):
    sample.build()
    first = _output(sample)
    assert len(forks) == 4  # the writer, a card drawer per core, converting ahead

    def redraw(*args: object) -> None:
        raise AssertionError("a cached card was drawn again")

    monkeypatch.setattr("rundbrief.core.cards._draw", redraw)
    sample.build()
    assert len(forks) == 5  # the writer alone: no card missing, no Markdown to convert
    assert _output(sample) == first
    cards = [p for p in first if p.startswith("assets/cards/")]
    assert len(cards) == 1 + 3 + 4  # site, issues, profiles
    cache = sample.root / ".cache" / "rundbrief" / "cards"
    cached = {p.read_bytes(): p.stat().st_ino for p in cache.glob("*.jpg")}
    for card in cards:  # the cached card's bytes, in a file of the site's own
        assert cached[(sample.out / card).read_bytes()] != (sample.out / card).stat().st_ino


@pytest.mark.parametrize(("target", "what"), [
    ("rundbrief.adapter.site.feeds.rss", "die Feeds"),
    ("rundbrief.adapter.site.linkedin.Linkedin.write", "die LinkedIn-Texte und Vorschaubilder"),
    # a card missing from the cache is drawn by a process of its own, which names the card that failed:
    # here every card fails, and the drawers share them out as they go, so any card may be named
    ("rundbrief.core.cards.Cards.render", "das Vorschaubild"),
    ("rundbrief.core.cards._draw", "das Vorschaubild"),
])
def test_a_failure_in_the_second_process_fails_the_build(sample, forks, monkeypatch, capfd, target, what):
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(target, full_disk)
    errors = sample.build_fails()
    assert forks
    card = r"( der Website| zu „[^“]+“)" if what == "das Vorschaubild" else ""
    assert re.search(re.escape(f"Schreiben fehlgeschlagen: {what}") + card + re.escape(
        ". Kein Platz mehr auf dem Datenträger für eine Datei. Platz schaffen und den Befehl wiederholen."), errors)
    assert "Traceback" not in capfd.readouterr().err  # the child says what failed through the build, in German
    for pid in forks:
        with pytest.raises(ChildProcessError):  # it has ended, and the build has reaped it: no zombie
            os.waitpid(pid, os.WNOHANG)
    cache = sample.root / ".cache" / "rundbrief" / "cards"
    # nothing half-drawn: only complete cards and the font's check
    assert all(f.suffix == ".jpg" or f.name.startswith("font-") for f in cache.iterdir())


def test_a_card_that_fails_inline_fails_the_build_and_is_named(site, monkeypatch):
    site.write("projects/karad.md", "---\ntitle: KArAD\norganisation: low-tec\nlocation: Düren\n"
                                    "state: Nordrhein-Westfalen\n---\nEin Projekt.\n")
    site.build()  # the site's card is cached; the next profile's card is missing

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    site.write("projects/anker.md", "---\ntitle: ANKER\norganisation: SKFM\nlocation: Mettmann\n"
                                    "state: Nordrhein-Westfalen\n---\nEin Projekt.\n")
    monkeypatch.setattr("rundbrief.core.cards._draw", full_disk)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    errors = site.build_fails()
    assert ("Schreiben fehlgeschlagen: das Vorschaubild zu „projects/anker.md“. Kein Platz mehr auf dem Datenträger "
            "für eine Datei. Platz schaffen und den Befehl wiederholen.") in errors


def test_a_failure_written_inline_fails_the_build(sample, monkeypatch):
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rundbrief.adapter.site.feeds.rss", full_disk)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    errors = sample.build_fails()
    assert ("Schreiben fehlgeschlagen: die Feeds. Kein Platz mehr auf dem Datenträger für eine Datei. Platz "
            "schaffen und den Befehl wiederholen.") in errors


def test_compiled_templates_are_kept_and_follow_changes_to_a_template(sample):
    overrides = sample.root / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides"),
                      encoding="utf-8")
    sample.build()
    assert list((sample.root / ".cache" / "rundbrief" / "templates").glob("*.cache"))
    footer = overrides / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>Geänderte Fußzeile</p>", encoding="utf-8")
    sample.build()
    assert "<p>Geänderte Fußzeile</p>" in sample.html("kontakt/")


def test_a_template_compiled_beside_other_filters_is_compiled_again(sample):
    """Jinja compiles a call of a filter unknown at the time (inside an `if`) without the context that
    the filter, once a hook adds it, takes: code compiled without the hook must not be reused with it."""
    overrides = sample.root / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides"),
                      encoding="utf-8")
    footer = overrides / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8")
                      + '{% if probe %}<p class="probe">{{ "Seite" | where }}</p>{% endif %}', encoding="utf-8")
    sample.build()
    assert 'class="probe"' not in sample.html("kontakt/")
    sample.write("hook.py", "from jinja2 import pass_context\n"
                 "def on_env(env, config, files):\n"
                 "    env.globals['probe'] = True\n"
                 "    env.filters['where'] = pass_context(lambda context, text: f\"{text} {context['base_url']}\")\n")
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    sample.build()
    assert '<p class="probe">Seite ..</p>' in sample.html("kontakt/")


def test_a_template_compiled_with_a_filter_since_changed_is_compiled_again(sample):
    """Jinja applies a filter to a literal while compiling: a hook's filter edited, or made to take the
    context from one build to the next in the same file, must not leave the old result in the page.
    Each build runs in a process of its own, as MkDocs loads a hook once per process."""
    overrides = sample.root / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {REPO / 'overrides'}", "custom_dir: overrides")
                      + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    footer = overrides / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + '<p class="probe">{{ "Seite" | greet }}</p>', encoding="utf-8")
    hook = ("import os\nfrom jinja2 import pass_context\n"
            "def greet(*args):\n    return args[-1] + (args[0]['base_url'] if len(args) == 2 else {mark!r})\n"
            "def on_env(env, config, files):\n"
            "    env.filters['greet'] = pass_context(greet) if os.environ.get('GREET_WITH_CONTEXT') else greet\n")
    for mark, context, expected in (("!", "", "Seite!"), ("??", "", "Seite??"), ("??", "1", "Seite..")):
        if not context:  # else the file of the build before, untouched
            sample.write("hook.py", hook.format(mark=mark))
        built = subprocess.run([sys.executable, "-m", GENERATOR, "build", "-q", "-f", str(config)], capture_output=True,
                               text=True, env={**os.environ, "GREET_WITH_CONTEXT": context})
        assert built.returncode == 0, built.stderr
        assert f'<p class="probe">{expected}</p>' in sample.html("kontakt/")


def test_a_failed_build_stops_every_process_it_started(sample, forks):
    """A build that fails once the pages are converted stops the processes it started."""
    # refused once the pages are converted: the cards are being drawn, the pages converted ahead
    issue = sample.root / "newsletters" / "2024-12-13-die-vernetzungsstelle-informiert.md"
    issue.write_text(issue.read_text(encoding="utf-8") + '\n<iframe src="https://example.org/"></iframe>\n', encoding="utf-8")
    errors = sample.build_fails()
    assert re.search(r"2024-12-13-die-vernetzungsstelle-informiert\.md:\d+: .*iframe", errors)
    assert "Schreiben fehlgeschlagen" not in errors
    assert len(forks) >= 3
    for pid in forks:
        with pytest.raises(ChildProcessError):  # ended and reaped
            os.waitpid(pid, os.WNOHANG)


def test_a_cache_of_templates_that_cannot_be_listed_or_written_costs_only_time(sample):
    templates = sample.root / ".cache" / "rundbrief" / "templates"
    templates.mkdir(parents=True)
    # root reads and writes whatever the permissions say, unless it gives up the power to
    unprivileged = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    command = [*unprivileged, sys.executable, "-m", GENERATOR, "build", "-q", "-f", str(sample.root / "mkdocs.yml")]
    try:
        for mode in (0o500, 0o300):  # may be listed but not written; written but not listed
            templates.chmod(mode)
            shutil.rmtree(sample.out, ignore_errors=True)
            built = subprocess.run(command, capture_output=True, text=True)
            assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
            assert "Die Vernetzungsstelle informiert" in sample.html("kontakt/")
    finally:
        templates.chmod(0o700)


def test_builds_with_a_relative_config_path(sample, monkeypatch):
    monkeypatch.chdir(sample.root)
    build(load_config("mkdocs.yml"))
    assert (sample.out / "feed.xml").exists()
    assert (sample.out / "projects" / "karad" / "index.html").exists()


def _links(html: str, kind: str) -> list[str]:
    return re.findall(rf'<a href="([^"]*)" class="md-{kind}__link[ "]', html)


def test_tabs_and_navigation_rendered_once_still_link_from_where_each_page_is(sample):
    sample.build()
    issue = sample.html("newsletters/2024-12-13-die-vernetzungsstelle-informiert/")
    karad = sample.html("projects/karad/")
    imprint = sample.html("impressum/")
    kontakt = sample.html("kontakt/")
    for kind in ("tabs", "nav"):
        # the same depth, but each links to its own folder in its own way
        assert _links(issue, kind)[:5] == ["../..", "../", "../../projects/", "../../ueber-das-programm/", "../../kontakt/"]
        assert _links(karad, kind)[:5] == ["../..", "../../newsletters/", "../", "../../ueber-das-programm/", "../../kontakt/"]
        assert _links(imprint, kind)[:5] == ["..", "../newsletters/", "../projects/", "../ueber-das-programm/", "../kontakt/"]
        assert _links(kontakt, kind)[4] == "./"  # a page in the nav renders its own, marked active
    assert 'class="md-tabs__item md-tabs__item--active"' in kontakt
    assert "md-tabs__item--active" not in imprint


def test_drawers_share_the_tasks_as_they_go_at_a_lower_priority(tmp_path, monkeypatch):
    """A drawer slowed down (here by a task that takes long) leaves the other tasks to the others,
    so that all end together; all work below the build's own priority."""
    monkeypatch.setattr("rundbrief.adapter.writer._cores", lambda: 2)

    def task(n: int) -> None:
        if n == 0:
            time.sleep(1)
        (tmp_path / str(n)).write_text(f"{os.getpid()} {os.getpriority(os.PRIO_PROCESS, 0)}")

    drawing = writer.Workers()
    drawing.start([(f"Aufgabe {n}", functools.partial(task, n)) for n in range(20)], nice=writer.CARDS_NICE)
    drawing.wait()
    done = {n: (tmp_path / str(n)).read_text().split() for n in range(20)}
    slow = done[0][0]
    assert [n for n, (pid, _) in done.items() if pid == slow] == [0]
    assert {int(priority) for _, priority in done.values()} == {os.getpriority(os.PRIO_PROCESS, 0) + writer.CARDS_NICE}
