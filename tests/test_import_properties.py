"""Properties of `rundbrief import` that no list of examples covers: whatever a copy holds, its text
comes out as the same text, and reading a copy ends in a draft or a German refusal, never a traceback."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import REPO
from rundbrief.core.importer import Block, NotImportable, convert, read_copy

pytestmark = pytest.mark.slow

SECTIONS = ["Vorgestellt", "Vernetzt", "Umgeschaut"]
HEADER = Block("13.12.2024: Die Vernetzungsstelle informiert")
# Markup of Markdown, its extensions and HTML, German letters, digits and spaces
CHARACTERS = st.sampled_from(list("\\`*_{}[]()<>#+-.!&;:=|~^\"'/@ \t") + list("aeiouäöüßAEÄ019")
                             + ["&lt;", "<!--", "-->"])
# Pieces of saved pages, well-formed or not
HTML = st.sampled_from(["<", ">", "<!", "<![", "<![CDATA[", "]]>", "<![if !supportLists]>", "<![endif]>", "<?", "</",
                        "<p>", "</p>", "<br>", "<b>", "</b>", "<h3>", "</h3>", "<script>", "</script>", "<style>",
                        "<!--", "-->", "&", "&#", "&#x", "&#0;", "&#xd800;", "&nbsp;", ";", "=", '"', " ", "\n", "a",
                        "13.12.2024: Titel", "Vorgestellt", "\x00", "\u00a0", "\u2212"])


def _site_markdown() -> markdown.Markdown:
    """The site's Markdown dialect, with the extensions mkdocs.yml names: a new one must not undo the escaping."""
    names, options = [], {}
    for entry in yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        options[name] = config or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


SITE_MARKDOWN = _site_markdown()


def _paragraph(pieces: list[str]) -> str:
    """A paragraph as a copy's blocks hold it: one line, single spaces, no control characters."""
    return " ".join("".join(pieces).split())


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARACTERS | st.characters(codec="utf-8", exclude_categories=["Cc", "Zl", "Zp"]), min_size=1, max_size=40))
def test_imported_text_renders_as_the_same_text(pieces):
    paragraph = _paragraph(pieces)
    assume(paragraph)
    imported = convert([HEADER, Block("Vorgestellt"), Block(paragraph)], SECTIONS, [])
    if not imported.items:  # the paragraph read as navigation, a section name or the funding notice
        return
    body = imported.markdown.split("---\n", 2)[2]
    rendered = SITE_MARKDOWN.reset().convert(body)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"h2", "h3", "p", "a"}, rendered  # a: the permalinks of the headings
    last = rendered.rsplit("<p>", 1)[1].removesuffix("</p>")
    assert html.unescape(last) == paragraph


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(HTML, max_size=60))
def test_any_saved_page_drafts_an_issue_or_says_why_not(tmp_path, pieces):
    file = Path(tmp_path) / "kopie.html"
    file.write_text("".join(pieces), encoding="utf-8")
    try:
        imported = convert(read_copy(file, SECTIONS).blocks, SECTIONS, [])
    except NotImportable as e:
        assert str(e)
    else:
        assert "\ndraft: true\n" in imported.markdown


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from([".txt", ".html"]), st.booleans())
def test_reading_any_file_drafts_an_issue_or_says_why_not(tmp_path, data, suffix, with_header):
    file = Path(tmp_path) / f"kopie{suffix}"
    file.write_bytes((b"13.12.2024: Titel\n\nVorgestellt\n\n" if with_header else b"") + data)
    try:
        copy = read_copy(file, SECTIONS)
        imported = convert(copy.blocks, SECTIONS, [])
    except NotImportable as e:
        assert str(e)
    else:
        assert imported.markdown.startswith("---\ntitle: ")
        assert "\ndraft: true\n" in imported.markdown
