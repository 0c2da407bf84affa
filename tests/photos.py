"""Test photos as phones write them: large, turned by an EXIF orientation tag, with a GPS position."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ORIENTATION = 0x0112
GPS = 0x8825
GPS_POSITION = {1: "N", 2: (50.0, 48.0, 12.5), 3: "E", 4: (6.0, 29.0, 3.25)}  # Düren


def photo(path: Path, width: int = 1200, height: int = 900, *, orientation: int = 6, fmt: str = "JPEG") -> bytes:
    """Writes a photo stored sideways: its left half red, right half blue. With orientation 6 a viewer
    turns it 90° clockwise, so that red is on top. Returns the bytes written."""
    image = Image.new("RGB", (width, height), (30, 60, 220))
    ImageDraw.Draw(image).rectangle((0, 0, width // 2, height), fill=(220, 30, 30))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Telefonhersteller"  # Make
    exif.get_ifd(GPS).update(GPS_POSITION)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, exif=exif.tobytes(), **({"quality": 90} if fmt == "JPEG" else {}))
    return path.read_bytes()
