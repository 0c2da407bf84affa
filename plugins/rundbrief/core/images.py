"""Pictures of issues, items and profiles: found in the content, checked, and derived for the web.

Editors drop in photos straight from a phone: several megabytes, rotated by an EXIF tag, with the GPS
position of the place they were taken. No original reaches the site. Every picture of an issue or profile
is drawn anew from the pixels alone — orientation applied, no metadata at all — in a few widths, as AVIF
(where Pillow can write it) and WebP, and as a JPEG (or PNG, where the picture is transparent) for the
rest. Every other image file is published as a copy of its pixels alone (`scrub`)."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageOps, features

from .cached_files import code_digest, write_atomically
from .markdown_scan import scan
from .model import Picture
from .problems import Problem, cut
from .source import Source
from .text import unsafe_character

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
# A map-like callable: the builtin `map`, or a pool's, with which the adapter spreads the work over cores.
Map = Callable[[Callable[[A], B], Iterable[A]], Iterable[B]]

WIDTHS = (480, 960, 1600)  # phones, tablets and laptops, high-density phones and desktops
MIN_WIDTH = WIDTHS[0]
AVIF = features.check("avif")  # Pillow 11.2 and later, built with libavif
MODERN = ((("avif", "image/avif"),) if AVIF else ()) + (("webp", "image/webp"),)  # best first
FALLBACKS = ("image/jpeg", "image/png")
# The largest picture decoded, checked from the file's header before its pixels are: a 90 megapixel
# picture takes some 360 MB while it is derived, and every core derives one.
MAX_PIXELS = 90_000_000
WEBP_MAX_SIDE = 16383  # no WebP is wider or higher
# Python's warning filters are the process's: one thread at a time silences Pillow's while it opens a file.
_OPENING = threading.Lock()

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".webp")  # what browsers, feed readers and LinkedIn show
# Files that may carry a camera's metadata, which the site publishes only as a copy of their pixels.
IMAGE_FILES = (*IMAGE_TYPES, ".avif", ".tif", ".tiff", ".bmp", ".heic", ".heif")
# The formats Pillow may read them as: no other of its readers sees a file, whatever its name (an EPS
# named .jpg would be handed to Ghostscript). JPEG's reader opens a phone's MPO too.
READABLE = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", *(("AVIF",) if AVIF else ()))
# Characters that would end or bend the attribute or URL the path is written into.
UNSAFE_IN_PATH = '"\'<>`\\'
# `![alt](src "title")`, the src also in angle brackets, where it may hold spaces: `![alt](<mein bild.jpg>)`.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\([ \t]*(?:<([^>\n]*)>|([^)\s]+))(?:[ \t]+\"[^\"]*\")?[ \t]*\)")


def front_matter_picture(source: Source, image: str | None, alt: str | None, problems: list[Problem]) -> Picture | None:
    """The `image:` of an issue or profile; it needs `image_alt:`, as every picture needs its words."""
    if not image:
        return None
    if reason := _path_problem(image):
        problems.append(Problem(source.path, source.line_of("image"), (
            f"„image: {cut(image)}“ ist nicht erlaubt: {reason}. Erlaubt ist ein Pfad im Ordner der Seiten mit der "
            f"Endung {', '.join(IMAGE_TYPES)}, ohne Anführungszeichen, spitze Klammern und Steuerzeichen, "
            "z. B. „image: assets/images/bus.jpg“.")))
        return None
    if not alt:
        problems.append(Problem(source.path, source.line_of("image"), (
            f"Zum Bild „{image}“ fehlt die Beschreibung „image_alt“. Erlaubt ist ein Bild nur mit einem Text, "
            "der sagt, was es zeigt, z. B. „image_alt: Ein bunt bemalter Bus vor einem Wohnhaus“.")))
        return None
    return Picture(image.lstrip("/"), alt, source.path, source.line_of("image"))


def _path_problem(image: str) -> str | None:
    """Why `image` is no path to an image inside the site's pages folder, or None."""
    if bad := unsafe_character(image, UNSAFE_IN_PATH):
        return f"das Zeichen {bad} gehört nicht in einen Dateinamen"
    if urlsplit(image).scheme or image.startswith("/"):
        return "eine Adresse oder ein absoluter Pfad führt aus dem Ordner der Seiten hinaus"
    if ".." in image.split("/"):
        return "„..“ führt aus dem Ordner der Seiten hinaus"
    if not image.lower().endswith(IMAGE_TYPES):
        return "die Endung ist die keines Bildes"
    return None


def markdown_pictures(source: Source, folder: str, problems: list[Problem]) -> list[Picture]:
    """The `![alt](src)` images of a body; `folder` is where the page lives below docs_dir."""
    pictures = []
    for line in scan(source.body):
        number = source.body_line + line.index
        for match in _MARKDOWN_IMAGE.finditer(line.text):
            alt, target = match.group(1).strip(), match.group(2) or match.group(3) or ""
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                problems.append(Problem(source.path, number, (
                    f"Das Bild „{target}“ liegt auf einer anderen Website. Erlaubt sind nur Bilder im Ordner "
                    "content/, z. B. „![Beschreibung](../assets/images/bus.jpg)“: jede Anfrage an fremde "
                    "Server verrät Leser*innen.")))
                continue
            if not alt:
                problems.append(Problem(source.path, number, (
                    f"Dem Bild „{target}“ fehlt die Beschreibung. Erlaubt ist ein Bild nur mit einem Text, der "
                    "sagt, was es zeigt: „![Ein bunt bemalter Bus](…)“.")))
                continue
            src = posixpath.normpath(posixpath.join(folder, unquote(parts.path))).lstrip("/")
            pictures.append(Picture(src, alt, source.path, number, match.group(0)))
    return pictures


@dataclass(frozen=True)
class Rendition:
    """One derived file: a width in one format."""

    name: str  # file name, unique by content: "<key>-960.webp"
    width: int
    height: int
    type: str  # MIME type


@dataclass(frozen=True)
class Derived:
    """All renditions of one image, the largest last of each type."""

    key: str
    width: int  # of the largest rendition: the picture's intrinsic size for width/height
    height: int
    renditions: tuple[Rendition, ...]

    @property
    def fallback(self) -> str:
        """The MIME type for browsers without WebP: JPEG for photos, PNG for transparent pictures."""
        return next(r.type for r in self.renditions if r.type in FALLBACKS)

    def of_type(self, kind: str) -> list[Rendition]:
        return [r for r in self.renditions if r.type == kind]

    def middle(self) -> Rendition:
        """A fallback rendition of medium width: for `src`, feeds and social cards."""
        fallback = self.of_type(self.fallback)
        return fallback[min(1, len(fallback) - 1)]


class ImageProblem(Exception):
    """An image that cannot be published; the message says why, in German, for the editors."""


def cache_key(data: bytes, recipe: str = f"{WIDTHS} {MODERN}") -> str:
    """The key of what is made of `data`: a change to this module, to Pillow or to `recipe` (what the
    module's source does not fix) makes the old results stale."""
    code = code_digest((__name__,), ("pillow",))
    return hashlib.sha256(f"{code} {recipe}".encode() + data).hexdigest()[:24]


def cached(data: bytes, cache: Path) -> Derived | None:
    """The renditions of an image derived before, if all of them are still in the cache."""
    manifest = cache / f"{cache_key(data)}.json"
    if not manifest.is_file():
        return None
    try:
        raw = json.loads(manifest.read_text(encoding="utf-8"))
        derived = Derived(raw["key"], raw["width"], raw["height"], tuple(Rendition(**r) for r in raw["renditions"]))
    except (ValueError, KeyError, TypeError):
        return None
    return derived if all((cache / r.name).is_file() for r in derived.renditions) else None


def derive(data: bytes, cache: Path) -> Derived:
    """Derives the renditions of an image into `cache`; raises ImageProblem if it is none we can publish."""
    found = cached(data, cache)
    if found:
        return found
    key = cache_key(data)
    upright, _ = _upright(data)
    if upright.width < MIN_WIDTH:
        raise ImageProblem(f"Das Bild ist nur {upright.width} Bildpunkte breit. Erlaubt sind Bilder ab {MIN_WIDTH} "
                           "Bildpunkten Breite, damit sie auch auf großen Bildschirmen scharf sind.")
    clean = _pixels_only(upright)
    fallback = ("png", "image/png") if clean.mode == "RGBA" else ("jpg", "image/jpeg")
    # Each width once: a photo wider than the largest gets that width, not a second rendition of it.
    widths = sorted({*(w for w in WIDTHS if w < clean.width), min(clean.width, WIDTHS[-1])})
    heights = [max(1, round(clean.height * width / clean.width)) for width in widths]
    if heights[-1] > WEBP_MAX_SIDE:  # the widest rendition is the highest
        times = WEBP_MAX_SIDE // widths[-1]
        raise ImageProblem(f"Das Bild ist {clean.width} × {clean.height} Bildpunkte groß und damit zu hoch für seine "
                           f"Breite: in {widths[-1]} Bildpunkten Breite wäre es {heights[-1]} hoch, das Webformat "
                           f"WebP fasst höchstens {WEBP_MAX_SIDE}. Erlaubt ist bei dieser Breite ein Bild bis zu "
                           f"{times}-mal so hoch wie breit: ein langes Bild in mehrere teilen.")
    renditions = []
    cache.mkdir(parents=True, exist_ok=True)
    for width, height in zip(widths, heights):
        resized = clean.resize((width, height), Image.Resampling.LANCZOS) if width != clean.width else clean
        for extension, kind in (*MODERN, fallback):
            buffer = io.BytesIO()
            try:
                if extension == "avif":
                    resized.save(buffer, "AVIF", quality=55, speed=8)
                elif extension == "webp":
                    resized.save(buffer, "WEBP", quality=80, method=4)
                elif extension == "jpg":
                    resized.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
                else:
                    resized.save(buffer, "PNG", optimize=True)
            except (OSError, ValueError):  # an encoder's limit that the checks above do not know
                raise ImageProblem(f"Das Bild lässt sich nicht in {width} × {height} Bildpunkten als "
                                   f"{extension.upper()} speichern. Erlaubt sind Fotos und Grafiken in üblichen "
                                   "Maßen: das Bild beschneiden oder verkleinert speichern.") from None
            # Named by its bytes, not by the key: a new release that derives the same picture changes no
            # address, so feeds keep their enclosures and a publish sends nothing again.
            name = f"{hashlib.sha256(buffer.getvalue()).hexdigest()[:24]}-{width}.{extension}"
            write_atomically(cache / name, buffer.getvalue())
            renditions.append(Rendition(name, width, height, kind))
    largest = renditions[-1]
    derived = Derived(key, largest.width, largest.height, tuple(renditions))
    write_atomically(cache / f"{key}.json", json.dumps(asdict(derived)).encode())
    return derived


def scrub(data: bytes, cache: Path) -> Path:
    """A copy of an image file with nothing but its pixels, in its own format and at its full size, in
    `cache`; for the images the site publishes as they are: a logo, a photo that a page shows or only
    links to, one that nothing names. Raises ImageProblem if it is none we can read."""
    copy = cache / f"{cache_key(data, 'scrub')}.scrubbed"
    if copy.is_file():
        return copy
    upright, kind = _upright(data)
    clean = _pixels_only(upright)
    kind = "JPEG" if kind == "MPO" else kind  # a phone's JPEG with a second picture: the first is the photo
    if clean.mode == "RGBA" and kind == "JPEG":
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    try:
        clean.save(buffer, kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    except (OSError, ValueError, KeyError):  # KeyError: a format Pillow reads but cannot write
        raise ImageProblem(f"Das Bild lässt sich nicht als {kind} ohne seine Metadaten speichern. Erlaubt sind "
                           "Fotos und Grafiken als JPEG, PNG, WebP oder GIF.") from None
    cache.mkdir(parents=True, exist_ok=True)
    write_atomically(copy, buffer.getvalue())
    return copy


def _upright(data: bytes) -> tuple[Image.Image, str]:
    """The first frame of an image, turned as the phone meant it, and its format. Its size is checked
    from the file's header, before any pixel is decoded."""
    too_large = ImageProblem(f"Das Bild hat zu viele Bildpunkte, um es sicher zu verarbeiten. Erlaubt sind Bilder "
                             f"bis {MAX_PIXELS // 1_000_000} Megapixel: das Bild verkleinert speichern.")
    unreadable = ImageProblem("Die Datei ist kein lesbares Bild. Erlaubt sind Fotos und Grafiken als JPEG, PNG, "
                              "WebP oder GIF.")
    try:
        with _OPENING, warnings.catch_warnings():
            # Pillow's own limit is a little lower, and its warning English: MAX_PIXELS decides, in German.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=READABLE)  # reads the header only
    except Image.DecompressionBombError:
        raise too_large from None
    except Exception:  # a broken file makes Pillow's readers fail in many ways; content is untrusted
        raise unreadable from None
    with opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise too_large
        try:
            opened.seek(0)  # the first frame of an animation
            return ImageOps.exif_transpose(opened), opened.format or ""  # a copy, decoded
        except Image.DecompressionBombError:
            raise too_large from None
        except Exception:
            raise unreadable from None


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image of the same pixels: it has no EXIF, GPS, XMP, ICC or comment to carry over."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode)
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def derive_all(
    files: Iterable[Path], cache: Path, map: Map[Path, Derived | ImageProblem] = map
) -> dict[Path, Derived | ImageProblem]:
    """Derives many images, all of them at once, so that all broken images of a build are reported.
    `map` is how: the builtin one after the other, or a pool's on many cores, which the caller owns."""
    return _each(derive, files, cache, map)


def scrub_all(
    files: Iterable[Path], cache: Path, map: Map[Path, Path | ImageProblem] = map
) -> dict[Path, Path | ImageProblem]:
    return _each(scrub, files, cache, map)


def _each(work: Callable[[bytes, Path], T], files: Iterable[Path], cache: Path,
          map: Map[Path, T | ImageProblem]) -> dict[Path, T | ImageProblem]:
    """`work` on every file, each once; a problem is returned, not raised."""
    def one(file: Path) -> T | ImageProblem:
        try:
            return work(file.read_bytes(), cache)
        except ImageProblem as problem:
            return problem

    unique = list(dict.fromkeys(files))
    return dict(zip(unique, map(one, unique)))
