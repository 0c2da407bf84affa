"""Small content for the tests: a profile and an issue with the parts each test varies."""

from __future__ import annotations

from textwrap import dedent

from conftest import Site

ISSUE_BODY = """
## Vorgestellt

### KArAD stellt sich vor

Text über [KArAD](../projects/karad.md).
"""


def profile(site: Site, slug: str = "karad", *, title: str = "KArAD", state: str = "Nordrhein-Westfalen",
            front: str = "", body: str = "Ein Projekt.") -> None:
    site.write(f"projects/{slug}.md", (
        f"---\ntitle: {title}\norganisation: low-tec\nlocation: Düren\nstate: {state}\n{dedent(front)}---\n\n"
        + dedent(body)
    ))


def issue(site: Site, name: str = "2024-12-13", *, date: str = "2024-12-13", title: str = "Ausgabe",
          front: str = "", body: str = ISSUE_BODY) -> None:
    site.write(f"newsletters/{name}.md", (
        f"---\ntitle: {title}\ndate: {date}\n{dedent(front)}---\n" + dedent(body)
    ))


def plugins(site: Site, entries: str) -> None:
    """mkdocs.yml with `plugins:` holding only `entries`: the sample's options for `rundbrief` left out."""
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    start = config.index("\nplugins:") + 1
    end = config.index("\n\n", start) + 1
    (site.root / "mkdocs.yml").write_text(config[:start] + "plugins:\n" + dedent(entries) + config[end:], encoding="utf-8")
