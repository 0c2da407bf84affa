"""The internals of MkDocs and Jinja that the speed layer relies on, each used where a comment marks
it `# Host internal:` with the release it was read from. A release that no longer has one would make
the speed layer fail or serve stale pages; so each build first checks that every one still exists,
and where one does not, builds without the speed layer and says so once (`missing`), as
mkdocs-section-index does when its rewrites no longer apply. Material's templates, which the layer
patches, are checked with the patches (`templates.PATCHES`)."""

from __future__ import annotations

import inspect
from functools import cache

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from mkdocs.commands import build
from mkdocs.structure import toc
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

READ_FROM = "MkDocs 1.6.1, Material 9.8.1, Jinja 3.1.6"

# What `Page.render` sets, which the render cache sets from an entry instead (render_cache._restore)
PAGE_RENDERS = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


@cache
def missing() -> tuple[str, ...]:
    """The internals the installed releases lack, by name; none where all are there."""
    needed = {
        "mkdocs.commands.build._populate_page": callable(getattr(build, "_populate_page", None)),
        "mkdocs.structure.toc.get_toc": callable(getattr(toc, "get_toc", None)),
        "File.is_modified": callable(getattr(File, "is_modified", None)),
        "Theme.get_env": callable(getattr(Theme, "get_env", None)),
        "FileSystemBytecodeCache._get_cache_filename": callable(
            getattr(FileSystemBytecodeCache, "_get_cache_filename", None)),
        "Bucket.bytecode_to_string": callable(getattr(Bucket, "bytecode_to_string", None)),
    }
    sets = _names(Page.render) if callable(getattr(Page, "render", None)) else set()
    needed |= {f"Page.render → {name}": name in sets for name in PAGE_RENDERS}
    return tuple(name for name, there in needed.items() if not there)


def _names(function: object) -> set[str]:
    """The attribute names a function's code uses."""
    code = getattr(inspect.unwrap(function), "__code__", None)  # type: ignore[arg-type]
    return set(code.co_names) if code else set()
