"""Material's templates at a lower cost per page, so that a build stays as fast as plain MkDocs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.utils import get_relative_url


def translator(env: Environment, language: str) -> Callable[[str], Markup]:
    """Material's `lang.t(key)`, looked up once per key: Material's own macro builds the whole table
    of a language on every call, some twenty times per page. Patched into `partials/language.html`
    (patches.py)."""
    own = env.get_template(f"partials/languages/{language}.html").module
    fallback = env.get_template("partials/languages/en.html").module

    @cache
    def translate(key: str) -> Markup:
        return Markup(own.t(key) or fallback.t(key) or key)  # type: ignore[attr-defined]

    return translate


def cache_compiled_templates(env: Environment, folder: Path) -> None:
    """Keeps compiled templates between builds; Jinja checks each against its source's checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


class Fragments:
    """Material renders the tabs and the navigation into every page. On a page outside the nav they
    differ only in their relative links: to the nav's pages, and to assets such as the logo, which
    are the same from every page at the same depth (`base_url`). So they are rendered once per set
    of links, as Hugo's partialCached does. Patched into Material's base.html (patches.py) as
    `{% call rundbrief.fragment("tabs") %}…{% endcall %}`."""

    def __init__(self) -> None:
        self.rendered: dict[tuple[str, ...], str] = {}

    @pass_context
    def __call__(self, context: Context, name: str, caller: Callable[[], str]) -> str:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or any(page is item for item in nav.pages):
            return caller()  # a page in the nav marks itself active in both
        key = (name, context["base_url"], *(get_relative_url(item.url, page.url) for item in nav.pages))
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]
