"""The map of the 16 Länder on the project directory: outlines from the vendored `@svg-maps/germany`
(CC BY 4.0, see data/svg-maps-germany/), each Land with its exact German name and its projects."""

from __future__ import annotations

import functools
import re
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
    x: float = 0.0  # where its number stands on the map
    y: float = 0.0

    @property
    def small(self) -> bool:
        """Too small to tell from its neighbours by shade alone: drawn with a dark outline."""
        return self.name in (*_ENCLAVES, "Saarland")

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


# Where a Land's centre lies in an enclave or at its edge, its number moves by so much (SVG units).
_NUDGE = {"Brandenburg": (40.0, 45.0), "Niedersachsen": (10.0, 15.0)}


@functools.cache
def _outlines() -> tuple[str, tuple[tuple[str, str, tuple[float, float]], ...]]:
    root = ET.fromstring(MAP.read_text(encoding="utf-8"))
    paths = root.iter("{http://www.w3.org/2000/svg}path")
    return root.attrib["viewBox"], tuple(
        (_NAMES[p.attrib["id"]], p.attrib["d"], _centre(p.attrib["d"], _NAMES[p.attrib["id"]])) for p in paths)


def _centre(outline: str, name: str) -> tuple[float, float]:
    """The centroid of the Land's largest part. The vendored outlines use relative moves only
    (`m x,y dx,dy … z`), which a test keeps true."""
    parts: list[list[tuple[float, float]]] = []
    x = y = 0.0
    for command, numbers in re.findall(r"([mz])([^mz]*)", outline):
        if command == "z":
            x, y = parts[-1][0]
            continue
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", numbers)]
        points = []
        for dx, dy in zip(values[::2], values[1::2]):
            x, y = x + dx, y + dy
            points.append((x, y))
        parts.append(points)
    area, cx, cy = max((_polygon(points) for points in parts), key=lambda found: abs(found[0]))
    nudge = _NUDGE.get(name, (0.0, 0.0))
    return round(cx + nudge[0], 1), round(cy + nudge[1], 1)


def _polygon(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, points[0][0], points[0][1]
    return area / 2, cx / (3 * area), cy / (3 * area)


def germany(projects: list[Project]) -> GermanyMap:
    """The map with every Land shaded by its number of projects, in proportion to the most."""
    counts = Counter(project.state for project in projects)
    most = max(counts.values(), default=0)
    view_box, outlines = _outlines()
    lands = tuple(
        Land(name, state_id(name), outline, counts[name], -(-counts[name] * SHADES // most) if most else 0, *centre)
        for name, outline, centre in sorted(outlines, key=lambda land: (land[0] in _ENCLAVES, land[0]))
    )
    return GermanyMap(view_box, lands)
