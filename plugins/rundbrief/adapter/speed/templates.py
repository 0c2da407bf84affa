"""Material's templates at a lower cost per page: compiled templates kept between builds, each
translation looked up once, and the tabs and navigation rendered once per set of links. None of it
changes a byte of a page (tests/test_speed.py)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from rundbrief.core.cached_files import SIGNATURE_SIZE, signature, signed_by_us, write_atomically

from ..patches import Patch

TEMPLATES = "templates"  # the compiled templates' folder in the project's cache

# What the speed layer changes in Material's templates: calls of `Fragments` and `translator`, which
# it puts into the templates' globals as `rundbrief.fragment` and `rundbrief.translate`.
PATCHES = (
    Patch(
        "base.html", "Tabs einmal gerendert",
        '{% include "partials/tabs.html" %}',
        '{% call rundbrief.fragment("tabs") %}{% include "partials/tabs.html" %}{% endcall %}',
    ),
    Patch(
        "base.html", "Navigation einmal gerendert",
        '{% include "partials/nav.html" %}',
        '{% call rundbrief.fragment("nav") %}{% include "partials/nav.html" %}{% endcall %}',
    ),
    # Material's plugins that render this template elsewhere (search) load it without the patch.
    Patch(
        "partials/language.html", "Übersetzungen einmal nachgeschlagen",
        "{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}{% endmacro %}",
        "{% macro t(key) %}{{ rundbrief.translate(key) }}{% endmacro %}",
    ),
)


def translator(env: Environment, language: str) -> Callable[[str], Markup]:
    """Material's `lang.t(key)`, looked up once per key: Material's own macro builds the whole table
    of a language on every call, some twenty times per page. Patched into `partials/language.html`
    (`PATCHES`)."""
    own = env.get_template(f"partials/languages/{language}.html").module
    fallback = env.get_template("partials/languages/en.html").module

    @cache
    def translate(key: str) -> Markup:
        return Markup(own.t(key) or fallback.t(key) or key)  # type: ignore[attr-defined]

    return translate


def keep_compiled(env: Environment, folder: Path) -> None:
    """Compiled templates from and into `folder`, before the first template is loaded."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache that cannot be written (a file in its place, a full disk): compiled each time
        return
    env.bytecode_cache = CompiledTemplates(str(folder))


class CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept between builds. Jinja checks each against its source's checksum; the
    key adds what else the compiler read: the environment's extensions, and its filters and tests,
    each with whether it takes the context, which the compiled call passes or not, and with the file
    that defines it, since Jinja applies a filter to a literal while compiling. A template compiled
    beside other filters (another plugin's, none yet, or a hook's since edited) is compiled again."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        # made once per set of functions, which live as long as this build: a file's stat is slow
        self.compilers: dict[tuple[object, ...], str] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        def kinds(functions: Mapping[str, Any]) -> list[list[object]]:
            return sorted([key, str(getattr(function, "jinja_pass_arg", "")), *_definition(function)]
                          for key, function in functions.items())

        functions = (tuple(environment.extensions), tuple((key, id(f)) for key, f in environment.filters.items()),
                     tuple((key, id(f)) for key, f in environment.tests.items()))
        if functions not in self.compilers:
            self.compilers[functions] = json.dumps(
                [sorted(environment.extensions), kinds(environment.filters), kinds(environment.tests)])
        return super().get_bucket(environment, f"{name}|{self.compilers[functions]}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Loads an entry only where this machine's key signed it: a compiled template is code, which
        Jinja unpickles and runs, and the cache may come from elsewhere (a CI cache of another
        branch, a folder in a pull request). Any other entry is compiled anew."""
        try:
            entry = Path(self._get_cache_filename(bucket)).read_bytes()  # Host internal: Jinja 3.1.6
        except OSError:  # none yet
            return
        mark, compiled = entry[:SIGNATURE_SIZE], entry[SIGNATURE_SIZE:]
        if signed_by_us(mark, _signed(bucket, compiled)):  # whole, then: written atomically, as signed
            bucket.load_bytecode(io.BytesIO(compiled))

    def dump_bytecode(self, bucket: Bucket) -> None:
        compiled = bucket.bytecode_to_string()
        try:
            write_atomically(Path(self._get_cache_filename(bucket)), signature(_signed(bucket, compiled)) + compiled)
        except OSError:  # a read-only or full disk: compiled again by the next build
            pass


def _signed(bucket: Bucket, compiled: bytes) -> bytes:
    """What an entry's signature covers: the template it is for too, so that no signed entry can
    stand in for another template's."""
    return bucket.key.encode() + b"\0" + compiled


def _definition(function: object) -> list[object]:
    """Where a filter or test is defined: its name, and the file of its code as it is now, which an
    edit changes (a function of C, such as markupsafe's, has none)."""
    code = getattr(function, "__code__", None)
    where: list[object] = [getattr(function, "__module__", None), getattr(function, "__qualname__", repr(type(function)))]
    if code is not None:
        try:
            stat = os.stat(code.co_filename)
            where += [code.co_filename, code.co_firstlineno, stat.st_size, stat.st_mtime_ns]
        except OSError:  # made from a string: its place is all there is
            where += [code.co_filename, code.co_firstlineno]
    return where


class Fragments:
    """Material renders the tabs and the navigation into every page. On a page outside the nav they
    differ only in their relative links: to the nav's pages, and to assets such as the logo, which
    are the same from every page at the same depth (`base_url`). So they are rendered once per set
    of links, as Hugo's partialCached does. Patched into Material's base.html (`PATCHES`) as
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
