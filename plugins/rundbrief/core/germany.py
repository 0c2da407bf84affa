"""The map of the 16 Länder on the project directory: outlines from the vendored `@svg-maps/germany`
(CC BY 4.0, see data/svg-maps-germany/), each Land with its exact German name and its projects."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files

from .model import Project
from .projects import STATES
from .text import anchor

MAP = files(__package__) / "data" / "svg-maps-germany" / "germany.svg"
SHADES = 4  # levels of shading for Länder with projects; 0 is a Land without one

# The package's ids, and the names it lacks: its own read "Baden-Wurttemberg", "Thuringen".
_NAMES = {
    "bw": "Baden-Württemberg", "by": "Bayern", "be": "Berlin", "bb": "Brandenburg", "hb": "Bremen",
    "hh": "Hamburg", "he": "Hessen", "mv": "Mecklenburg-Vorpommern", "ni": "Niedersachsen",
    "nw": "Nordrhein-Westfalen", "rp": "Rheinland-Pfalz", "sl": "Saarland", "sn": "Sachsen",
    "st": "Sachsen-Anhalt", "sh": "Schleswig-Holstein", "th": "Thüringen",
}  # fmt: skip
assert sorted(_NAMES.values()) == sorted(STATES)
# Enclosed by a larger Land: drawn last, or the larger one would cover them and take their clicks.
_ENCLAVES = ("Berlin", "Bremen", "Hamburg")


@dataclass(frozen=True)
class Land:
    """One Land on the map: its outline, and how many projects it has."""

    name: str
    id: str  # the anchor of its group in the directory
    outline: str  # SVG path data
    projects: int
    shade: int  # 0 (no project) … SHADES (the most projects)

    @property
    def label(self) -> str:
        """What the map says of the Land, also to screen readers: „Bremen: 1 Projekt“."""
        count = {0: "keine Projekte", 1: "1 Projekt"}.get(self.projects, f"{self.projects} Projekte")
        return f"{self.name}: {count}"


@dataclass(frozen=True)
class GermanyMap:
    view_box: str
    lands: tuple[Land, ...]


def state_id(state: str) -> str:
    """The anchor of a Land's group in the directory, e.g. "land-nordrhein-westfalen"."""
    return f"land-{anchor(state)}"


@functools.cache
def _outlines() -> tuple[str, tuple[tuple[str, str], ...]]:
    root = ET.fromstring(MAP.read_text(encoding="utf-8"))
    paths = root.iter("{http://www.w3.org/2000/svg}path")
    return root.attrib["viewBox"], tuple((_NAMES[p.attrib["id"]], p.attrib["d"]) for p in paths)


def germany(projects: list[Project]) -> GermanyMap:
    """The map with every Land shaded by its number of projects, in proportion to the most."""
    counts = Counter(project.state for project in projects)
    most = max(counts.values(), default=0)
    view_box, outlines = _outlines()
    lands = tuple(
        Land(name, state_id(name), outline, counts[name], -(-counts[name] * SHADES // most) if most else 0)
        for name, outline in sorted(outlines, key=lambda land: (land[0] in _ENCLAVES, land[0]))
    )
    return GermanyMap(view_box, lands)
