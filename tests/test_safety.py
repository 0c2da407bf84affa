"""Safe by construction: nothing private published, nothing hostile run, nothing lost. Each test builds a
real site (or runs the real command) and looks at every output the build writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import Site, make_project
from content import issue, profile


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and ".cache" not in p.parts}


# Data loss


@pytest.fixture
def nested(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Site:
    """The sample site one folder down, so that the folder above it holds the project alone: a check
    of that folder reads this test's files, not every other test's beside it."""
    make_project(tmp_path / "projekt", sample=True)
    return Site(tmp_path / "projekt", caplog)


@pytest.mark.parametrize("target", [".", "..", "content", "newsletters", "projects", "overrides", "content/site"])
def test_build_refuses_a_site_dir_holding_the_project_or_its_sources(nested, run, target):
    sample = nested
    (sample.root / "overrides").mkdir(exist_ok=True)
    (sample.root / "overrides" / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    (sample.root / ".git").mkdir()
    (sample.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = tree(sample.root.parent)
    result = run(sample, "build", "--site-dir", target)
    assert result.exit_code == 1
    assert "Fehler: Der Zielordner" in result.output
    assert "Nichts gebaut, nichts gelöscht." in result.output
    assert tree(sample.root.parent) == before


def test_build_refuses_a_folder_it_did_not_build_and_replaces_one_it_did(sample, run):
    (sample.root / "fotos").mkdir()
    (sample.root / "fotos" / "urlaub.jpg").write_bytes(b"\xff\xd8 private")
    result = run(sample, "build", "--site-dir", "fotos")
    assert result.exit_code == 1
    assert "ist nicht leer und wurde nicht von Rundbrief gebaut" in result.output
    assert (sample.root / "fotos" / "urlaub.jpg").read_bytes() == b"\xff\xd8 private"
    assert run(sample, "build").exit_code == 0
    assert (sample.out / ".rundbrief-site").is_file()
    assert run(sample, "build").exit_code == 0  # its own stamp lets the next build replace it


def test_plain_mkdocs_build_refuses_the_sources_as_site_dir(sample):
    sample.configure("site_dir: newsletters\n")
    before = tree(sample.root / "newsletters")
    errors = sample.build_fails()
    assert "Der Zielordner" in errors and "die Ausgaben" in errors
    assert tree(sample.root / "newsletters") == before


def test_next_build_recovers_the_last_good_site_and_removes_leftovers(sample, run):
    assert run(sample, "build").exit_code == 0
    good = tree(sample.out)
    # A crash between the two renames of a swap, and a crash during a build:
    old = sample.root / ".site-alt-x1"
    old.mkdir()
    sample.out.rename(old / "site")
    (sample.root / ".site-neu-y2" / "assets").mkdir(parents=True)
    (sample.root / ".site-neu-y2" / "assets" / "big.bin").write_bytes(b"0" * 1024)
    issue(sample, "kaputt", body="\n## Unbekannt\n")  # this build fails: the recovered site must stay
    result = run(sample, "build")
    assert result.exit_code == 1
    assert "Die letzte gute Fassung der Website ist wiederhergestellt" in result.output
    assert tree(sample.out) == good
    assert [p.name for p in sample.root.iterdir() if p.name.startswith(".site")] == []


def test_forked_writers_die_with_the_build(tmp_path):
    """A build killed with `kill -9` leaves no process writing behind it: neither the writer nor the
    card drawers."""
    script = tmp_path / "build.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from rundbrief.adapter import writer
        writer._cores = lambda: 2
        work = writer.Writer()
        work.add("die Feeds", lambda out: time.sleep(60))
        work.start(Path(sys.argv[1]))
        drawing = writer.Workers()
        drawing.start([("das Vorschaubild der Website", lambda: time.sleep(60))] * 2)
        print(*(child.pid for child in work.workers.children + drawing.children), flush=True)
        time.sleep(60)
    """), encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script), str(tmp_path / "site")], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    children = [int(pid) for pid in build.stdout.readline().split()]
    assert len(children) == 3
    assert killed_leaves_none(build, children)


def killed_leaves_none(build: subprocess.Popen[str], children: list[int]) -> bool:
    """Kills `build` as `kill -9` does; whether its `children` are gone within 10 s."""
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(child) for child in children):
        time.sleep(0.1)
    return not any(_alive(child) for child in children)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only init may still reap it


# Nothing private is published

SECRETS_ISSUE = """
<!-- GEHEIM-1: nur für die Redaktion -->
Einleitung mit `<!--` im Code, der sichtbar bleibt.

## Vorgestellt <!-- GEHEIM-2 über
mehrere Zeilen, GEHEIM-3 -->

### KArAD stellt sich vor <!-- GEHEIM-4 -->

Text über [KArAD](../projects/karad.md). <!-- GEHEIM-5
-->

```
<!-- Beispielcode bleibt stehen -->
```

## Vernetzt

### Treffen in Bremen

Bericht.<!--GEHEIM-6-->
<!--
GEHEIM-7
"""


def test_comments_appear_in_no_output(sample):
    issue(sample, "2024-01-10", date="2024-01-10", front="description: Ein Anreißer.\n", body=SECRETS_ISSUE)
    profile(sample, body="Ein Projekt. <!-- GEHEIM-8 -->\n\n<!--\nGEHEIM-9\n-->\nMehr.\n")
    sample.write("content/kontakt.md", "---\ntitle: Kontakt\n---\n\n# Kontakt\n\nSchreiben Sie uns.<!-- GEHEIM-10 -->\n")
    sample.build()
    texts = sample.outputs()
    assert any(name.startswith("pagefind/fragment/") for name in texts)
    for name in ("feed.xml", "feed.json", "projects/karad/feed.xml", "themen/elternarbeit/index.html",
                 "sitemap.xml", "linkedin/2024-01-10.txt", "linkedin/2024-01-10/index.html",
                 "linkedin/2024-01-10/karad-stellt-sich-vor.txt", "kontakt/index.html"):
        assert name in texts, name
    leaks = {path: text for path, text in texts.items() if "GEHEIM" in text}
    assert leaks == {}
    page = sample.html("newsletters/2024-01-10/")
    assert "<code>&lt;!--</code>" in page
    assert "&lt;!-- Beispielcode bleibt stehen --&gt;" in page
    assert 'id="vorgestellt"' in page and 'id="karad-stellt-sich-vor"' in page
    assert "<!--" not in page.split('<article class="rb-issue"')[1].split("</article>")[0]


def test_symlinks_out_of_the_project_are_refused(sample, tmp_path, run):
    secret = tmp_path.parent / f"{tmp_path.name}-privat"
    secret.mkdir()
    (secret / "schluessel.txt").write_text("PRIVATER-SCHLUESSEL", encoding="utf-8")
    (sample.root / "content" / "assets" / "passwd.png").symlink_to("/etc/passwd")
    (sample.root / "content" / "privat").symlink_to(secret)
    (sample.root / "projects" / "fremd.md").symlink_to(secret / "schluessel.txt")
    (sample.root / "content" / "kreis").symlink_to(sample.root / "content")
    (sample.root / "newsletters" / "leer.md").symlink_to(sample.root / "fehlt.md")
    errors = sample.build_fails()
    assert "content/assets/passwd.png:1: Der Verweis (Symlink) zeigt auf „/etc/passwd“ außerhalb des Projekts" in errors
    assert f"content/privat:1: Der Verweis (Symlink) zeigt auf „{secret}“" in errors
    assert "projects/fremd.md:1: Der Verweis (Symlink) zeigt auf" in errors
    assert "content/kreis:1: Der Verweis (Symlink) zeigt auf einen Ordner, der ihn selbst enthält" in errors
    assert "newsletters/leer.md:1: Der Verweis (Symlink) zeigt ins Leere" in errors
    assert not sample.out.exists()
    result = run(sample, "check")
    assert result.exit_code == 1
    assert "content/assets/passwd.png:1: Der Verweis (Symlink)" in result.output


# Nothing hostile runs

HOSTILE_ISSUE = """
## Vorgestellt

### KArAD stellt sich vor

Text über [KArAD](../projects/karad.md).
<script>alert("skript")</script>

<img src="bus.png" alt="Bus" onerror="alert('bild')">

[Klick](javascript:alert('link'))

<iframe src="https://www.youtube.com/embed/xyz"></iframe>

<img src="https://tracker.example.com/pixel.png" alt="Zählpixel">
"""


def test_raw_html_outside_the_allow_list_fails_with_its_line(sample, run):
    issue(sample, "2024-01-10", date="2024-01-10", body=HOSTILE_ISSUE)
    profile(sample, body='Ein Projekt. <a href="#" onclick="alert(1)">x</a>\n')
    sample.write("content/kontakt.md", "---\ntitle: Kontakt\n---\n\n# Kontakt\n\n<form action=/x><input></form>\n")
    errors = sample.build_fails()
    expected = [
        "newsletters/2024-01-10.md:11: Nicht erlaubt: ein Skript (<script>).",
        "newsletters/2024-01-10.md:13: Nicht erlaubt: Skripte in Attributen (onerror=… an <img>).",
        "newsletters/2024-01-10.md:15: Nicht erlaubt: ein Link mit „javascript:“.",
        "newsletters/2024-01-10.md:17: Nicht erlaubt: ein eingebetteter Inhalt von einem anderen Server (<iframe>).",
        "newsletters/2024-01-10.md:19: Nicht erlaubt: ein Bild von einem fremden Server (https://tracker.example.com/pixel.png).",
        "projects/karad.md:8: Nicht erlaubt: Skripte in Attributen (onclick=… an <a>).",
        "content/kontakt.md:7: Nicht erlaubt: ein Formular (<form>).",
        "content/kontakt.md:7: Nicht erlaubt: das HTML-Element <input>.",
    ]
    for line in expected:
        assert line in errors
    assert "Erlaubt sind Markdown und einfaches HTML" in errors
    result = run(sample, "check")
    assert result.exit_code == 1
    for line in expected:
        assert line in result.output


def test_allowed_html_is_kept_and_nothing_else_reaches_any_output(sample):
    issue(sample, "2024-01-10", date="2024-01-10", body="""
        ## Vorgestellt

        ### KArAD stellt sich vor

        Text über [KArAD](../projects/karad.md) beim <abbr title="Bundesministerium für Arbeit und Soziales">BMAS</abbr>,
        Zeile<br>umgebrochen, 10<sup>3</sup>, [Mail](mailto:aktif-vernetzt@gsub.de).
    """)
    out = sample.build()
    page = sample.html("newsletters/2024-01-10/")
    assert '<abbr title="Bundesministerium für Arbeit und Soziales">BMAS</abbr>' in page
    assert "Zeile<br>umgebrochen" in page and "<sup>3</sup>" in page
    assert '<a href="mailto:aktif-vernetzt@gsub.de">Mail</a>' in page
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "&lt;abbr title=" in feed  # the same sanitized HTML, escaped inside the XML


def test_what_a_plugin_adds_to_a_body_is_checked_too(sample):
    """The checks read the body after every other plugin and hook: a script a hook of the site's own
    adds is refused like an editor's."""
    sample.write("hook.py", "def on_page_content(html, page, config, files):\n"
                 "    if page.url == 'kontakt/':\n"
                 "        return html + '<script>alert(1)</script>'\n")
    config = sample.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    problems = sample.build_fails()
    assert "content/kontakt.md:4: Nicht erlaubt: ein Skript (<script>)." in problems
    assert "alert(1)" not in "\n".join(sample.outputs().values())

def test_a_folder_named_like_an_issue_is_refused_with_its_name(site, run):
    (site.root / "newsletters" / "2024-12-13-ausgabe.md").mkdir()
    (site.root / "projects" / "karad.md").mkdir()
    errors = site.build_fails()
    for path in ("newsletters/2024-12-13-ausgabe.md", "projects/karad.md"):
        assert f"{path}:1: Das ist keine Datei, sondern ein Ordner oder ein Verweis ins Leere." in errors
    result = run(site, "check")
    assert result.exit_code == 1
    assert "newsletters/2024-12-13-ausgabe.md:1: Das ist keine Datei" in result.output
