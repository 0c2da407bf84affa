"""What the build's templates are compiled with: Material's templates patched (patches.py), and the
filters of Rundbrief's own templates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from jinja2 import Environment
from markupsafe import Markup

from rundbrief.core.text import german_date

from ..patches import Patch, patch_templates


def prepare(env: Environment, speed_patches: Iterable[Patch] = ()) -> None:
    """Before the first template is loaded: the patches, those of the speed layer among them where it
    is on, and the filters."""
    patch_templates(env, speed_patches)
    env.filters["time"] = time_element


def time_element(date: datetime.date) -> Markup:
    """A date as readers see it, "13. Dezember 2024", and as machines read it."""
    return Markup('<time datetime="{}">{}</time>').format(date.isoformat(), german_date(date))
