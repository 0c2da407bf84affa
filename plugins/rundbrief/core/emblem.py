"""The EU emblem as PNG for the e-mail edition: mail clients show no SVG. Drawn with Pillow from the
site's own emblem (`content/assets/images/eu-emblem.svg`), which is a rectangle and twelve polygons, so
that the two cannot differ; `content/assets/images/eu-emblem.png` is this module's output, and a test
draws it again and compares."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_RECT = re.compile(r'<rect\b[^>]*fill="(#[0-9a-fA-F]{3,6})"')
_GROUP = re.compile(r'<g\b[^>]*fill="(#[0-9a-fA-F]{3,6})"[^>]*>(.*?)</g>', re.S)
_POLYGON = re.compile(r'<polygon\b[^>]*points="([^"]+)"')
_SUPERSAMPLE = 4  # drawn four times as large, then reduced: smooth edges without an SVG renderer


def rasterise(svg: str, width: int) -> bytes:
    """The emblem `width` pixels wide as PNG bytes."""
    box = _VIEWBOX.search(svg)
    rect, group = _RECT.search(svg), _GROUP.search(svg)
    if not (box and rect and group):
        raise ValueError("not the emblem's SVG: a viewBox, a filled rect and a filled group of polygons")
    view_width, view_height = float(box[1]), float(box[2])
    height = round(width * view_height / view_width)
    scale = width * _SUPERSAMPLE / view_width
    image = Image.new("RGB", (width * _SUPERSAMPLE, height * _SUPERSAMPLE), _colour(rect[1]))
    draw = ImageDraw.Draw(image)
    for points in _POLYGON.findall(group[2]):
        numbers = [float(n) * scale for n in re.split(r"[\s,]+", points.strip())]
        draw.polygon(list(zip(numbers[::2], numbers[1::2], strict=True)), fill=_colour(group[1]))
    output = io.BytesIO()
    image.resize((width, height), Image.Resampling.LANCZOS).save(output, "PNG", optimize=True)
    return output.getvalue()


def _colour(value: str) -> str:
    """#039 as #003399: Pillow reads both, written out for clarity."""
    digits = value[1:]
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)
