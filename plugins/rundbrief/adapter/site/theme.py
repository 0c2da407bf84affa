"""Material's templates at a lower cost per page, so that a build stays as fast as plain MkDocs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from markupsafe import Markup


def translator(env: Environment, language: str) -> Callable[[str], Markup]:
    """Material's `lang.t(key)`, looked up once per key: Material's own macro builds the whole table
    of a language on every call, some twenty times per page. Used by `partials/language.html`."""
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
