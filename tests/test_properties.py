"""Property-based tests: whatever editors write into front matter and sections, `load_content`,
`rundbrief check` and a real build only ever report problems; none of them raises. Examples Hypothesis
once found are kept as ordinary tests at the end of this file."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from conftest import Site, make_project
from rundbrief.cli.main import main
from rundbrief.core import Problem, load_content
from rundbrief.core.links import link_problems
from rundbrief.core.review import review
from rundbrief.core.structure import heading_problems

pytestmark = pytest.mark.slow

ODD = "\x0c\x1c\x1d\x1e\x85\u2028\u2029\r\t{}[]()#<>`!-=*:_\"'\\|&%äöüß„“–"
KEYS = ["title", "date", "description", "draft", "image", "image_alt", "organisation", "location", "state",
        "short", "website", "email", "tags", "beschreibung", "descripton", "iamge", "", "title"]
VALUES = st.one_of(
    st.sampled_from(["Ausgabe", "2024-12-13", "2024-02-30", "13.12.2024", "true", "ja", "", "null", "[]",
                     "[a, b]", "{", "}", "'", "\"x", "- a", "Bremen", "NRW", "https://example.org",
                     "assets/images/logo.png", "a@b.de", "[PLATZHALTER Name]", ": x", "&a *a", "!!python/none"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(ODD), max_size=20),
)
FRONT_LINE = st.one_of(st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KEYS), VALUES),
                       st.sampled_from(["---", "...", "  - x", "title", ":", "#", ""]))
HEADINGS = ["## Vorgestellt", "## Vernetzt", "## Umgeschaut", "## Vorgstellt", "##Vernetzt", "###Titel", "### Titel",
            "### KArAD", "# Titel", "#", "##", "###", "#### Klein", "####### sieben", "## Vernetzt ##", "### A {x",
            "### B {#id}", "## {", "  ## Eingerückt", "    ## Code", "> ## Zitat", "- ### Punkt", "1. ## Eins",
            "<h2>HTML</h2>", "Titel", "=====", "-----", "---", "* * *", "#AktiFPlus"]
BLOCKS = ["```", "~~~", "````markdown", "<div>", "</div>", "<details>", "<!--", "-->", "<!-- ## x -->", "`<!--`",
          "", "", "Text.", "Text mit Mitstreiter*innen."]
LINKS = ["[KArAD](../projects/karad.md)", "[K](projects/karad.md)", "[K](/projects/karad/)",
         "[K](https://www.aktif-vernetzt.de/projects/karad/)", "[x](../nirgends.md)", "![Bild](../assets/images/logo.png)",
         "![](bild.png)", "[a](../../../etc/passwd)", "[r]: ../projects/karad.md", "<a href=\"../kontakt.md\">K</a>",
         "<img src=\"x.png\">", "[a [b] c](<x y.md>)", "[x](../projects/karad.md#a)", "[l](#)", "[m](mailto:a@b)",
         "[%](%zz)", "[k](../projects/index.md)", "[n](..)", "[t](.)"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(ODD), max_size=30)
BODY_LINE = st.one_of(st.sampled_from(HEADINGS + BLOCKS + LINKS), TEXT,
                      st.builds(lambda a, b: f"{a} {b}", st.sampled_from(HEADINGS), st.sampled_from(LINKS)))
FRONT = st.one_of(st.lists(FRONT_LINE, max_size=8).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n"),
                  st.sampled_from(["", "---\n---\n", "---\n", "---\n...\n", "\ufeff---\ntitle: A\n---\n"]))
VALID_ISSUE = "---\ntitle: Ausgabe\ndate: 2024-12-13\n---\n"
VALID_PROFILE = "---\ntitle: KArAD\norganisation: low-tec\nlocation: Düren\nstate: Nordrhein-Westfalen\n---\n"


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """An issue and a profile: front matter valid or not, then a body of generated lines."""
    issue_front = draw(st.one_of(st.just(VALID_ISSUE), FRONT))
    profile_front = draw(st.one_of(st.just(VALID_PROFILE), FRONT))
    issue_body = "\n".join(draw(st.lists(BODY_LINE, max_size=25)))
    profile_body = "\n".join(draw(st.lists(BODY_LINE, max_size=8)))
    return issue_front + issue_body, profile_front + profile_body


NAMES = st.sampled_from(["2024-12-13-ausgabe", "2024-12-12-ausgabe", "a", "Große Ausgabe", "KArAD", "x.md", "index"])
EXTENSIONS = st.sampled_from([".md", ".md", ".md", ".MD", ".markdown"])


def write(root: Path, issue: str, profile: str, name: str = "2024-12-13-ausgabe", extension: str = ".md") -> None:
    (root / "newsletters").mkdir(exist_ok=True)
    (root / "projects").mkdir(exist_ok=True)
    (root / "newsletters" / f"{name}{extension}").write_text(issue, encoding="utf-8", newline="")
    (root / "projects" / "karad.md").write_text(profile, encoding="utf-8", newline="")


_SITE_MARKDOWN = markdown.Markdown(
    extensions=["toc", "tables", "fenced_code", "attr_list", "admonition", "pymdownx.betterem"],
    extension_configs={"toc": {"permalink": True}, "pymdownx.betterem": {"smart_enable": "all"}},
)


def assert_core_reports_only(root: Path) -> None:
    content = load_content(root)
    problems = list(content.problems) + review(content, {})
    files = {f"projects/{p.slug}.md" for p in content.projects} | {"kontakt.md", "assets/images/logo.png"}
    for model in [*content.all_issues, *content.projects]:
        problems += link_problems(model.path, model.path, model.source.body, model.source.body_line, files,
                                  site_url="https://www.aktif-vernetzt.de/")
    for issue in content.all_issues:
        problems += heading_problems(issue, _SITE_MARKDOWN.reset().convert(issue.markdown))
    for problem in problems:
        assert isinstance(problem, Problem) and problem.line >= 1 and problem.message
        assert str(problem).startswith(f"{problem.path}:{problem.line}: ")


@settings(max_examples=300, deadline=None)
@given(documents(), NAMES, EXTENSIONS)
def test_load_content_only_reports(document, name, extension):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root, *document, name=name, extension=extension)
        assert_core_reports_only(root)


def build_and_check(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build either succeeds or stops with Abort after reporting `path:line: message`; `check`, which
    applies the build's rules without building, fails exactly when the build does."""
    site.caplog.clear()  # one fixture for all examples
    try:
        site.build()
        failed = False
    except Abort:
        failed = True
        errors = "\n".join(r.getMessage() for r in site.caplog.records if r.levelno >= logging.ERROR)
        assert re.search(r"^  .+?:\d+: ", errors, re.M), errors
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == (1 if failed else 0), result.output
    assert "Traceback" not in result.output


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents(), name=NAMES, extension=EXTENSIONS)
def test_build_and_check_only_report(document, name, extension, caplog, monkeypatch):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, sample=False)
        write(root, *document, name=name, extension=extension)
        build_and_check(Site(root, caplog), monkeypatch)


# Examples Hypothesis found, kept as ordinary tests.


def test_issue_without_any_section(site):
    """Crashed the LinkedIn texts; now an error, and a warning for a draft."""
    site.write("projects/karad.md", VALID_PROFILE)
    site.write("newsletters/2024-12-13-ausgabe.md", VALID_ISSUE + "\nNur Text.\n")
    errors = site.build_fails()
    assert "newsletters/2024-12-13-ausgabe.md:5: Die Ausgabe hat keinen Abschnitt und erschiene leer." in errors
    site.write("newsletters/2024-12-13-ausgabe.md", VALID_ISSUE.replace("---\n", "---\ndraft: true\n", 1))
    site.build()
    assert_core_reports_only(site.root)
    site.build_preview()
    assert "Entwurf" in site.html("newsletters/2024-12-13-ausgabe/")


def test_empty_front_matter(tmp_path):
    write(tmp_path, "---\n\n---\n## Vorgestellt\n", VALID_PROFILE)
    assert_core_reports_only(tmp_path)
