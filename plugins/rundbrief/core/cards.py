"""Social cards: 1200×627 JPEG link previews, drawn offline with Pillow and cached by their inputs.
JPEG at quality 90 is encoded much faster than PNG, which took most of a card's time (bench/RESULTS.md);
its colours at half resolution are what LinkedIn's own encoding of a preview keeps anyway."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import font_source_sans_pro
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, ImageOps

from .cached_files import code_digest, place, write_atomically

WIDTH, HEIGHT = 1200, 627
MARGIN = 80
PICTURE_WIDTH = 460  # the picture's part of the card, on the right
GERMAN = "ÄÖÜäöüß„“–"
# Source Sans Pro Bold in its TrueType flavour: FreeType draws its outlines faster than those of the
# OpenType (CFF) file of the same design, and drawing the titles is much of a card's time.
DEFAULT_FONT = str(Path(font_source_sans_pro.SourceSansProBold).with_suffix(".ttf"))


@dataclass(frozen=True)
class Style:
    background: str
    foreground: str
    accent: str
    font: str  # a TrueType or OpenType file with bold letters


@dataclass(frozen=True)
class Card:
    """What a card shows; a card is redrawn only when one of these, or its style, changes."""

    title: str
    subtitle: str  # date of an issue, organisation and place of a project
    site_name: str
    # The portrayed project of an issue, „Vorgestellt: KArAD, Düren“: what sets apart two issues that
    # share a title. A picture file (issue's photo, project's photo or logo) is named by its content.
    feature: str = ""
    picture: str | None = None


class Cards:
    """Cards in one style, drawn into a cache folder and linked from there into the site."""

    def __init__(self, style: Style, cache: Path) -> None:
        self.style = style
        self.cache = cache
        stat = Path(style.font).stat()
        self.font_stamp = [style.font, stat.st_size, stat.st_mtime_ns]  # a changed font file redraws all
        self.style_fields = asdict(style)  # part of every card's key
        self.code = code_digest((__name__,), ("pillow",))  # so is the code that draws it
        self.fonts: dict[int, ImageFont.FreeTypeFont] = {}
        self.bases: dict[tuple[str, int], Image.Image] = {}

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at `size`, loaded once per build: loading it costs as much as drawing a line."""
        if size not in self.fonts:
            self.fonts[size] = ImageFont.truetype(self.style.font, size)
        return self.fonts[size]

    def base(self, site_name: str, width: int) -> Image.Image:
        """What every card of the site shows, drawn once per build: the background, the accent bar
        and the site's name, cut to `width`."""
        if (site_name, width) not in self.bases:
            image = Image.new("RGB", (WIDTH, HEIGHT), self.style.background)
            draw = ImageDraw.Draw(image)
            draw.rectangle((MARGIN, MARGIN, MARGIN + 120, MARGIN + 10), fill=self.style.accent)
            small = self.font(34)
            draw.text((MARGIN, MARGIN + 40), _shorten(draw, site_name, small, width), font=small, fill=self.style.foreground)
            self.bases[site_name, width] = image
        return self.bases[site_name, width].copy()

    def missing_glyphs(self, characters: str = GERMAN) -> str:
        """The characters the font cannot draw: Pillow would draw boxes for them. A font found
        complete is remembered in the cache, as reading it costs more than a build's other checks."""
        complete = self.cache / f"font-{_key([self.font_stamp, characters])}"
        if complete.exists():
            return ""
        missing = missing_glyphs(self.style.font, characters)
        if not missing:
            self.cache.mkdir(parents=True, exist_ok=True)
            complete.touch()
        return missing

    def cached(self, card: Card) -> Path:
        """The card's file in the cache, which exists once the card was drawn."""
        # A card's fields are text: a flat dict is what `asdict` makes of it, without its deep copies
        inputs = {f.name: getattr(card, f.name) for f in fields(card)}
        return self.cache / f"{_key(['card', self.code, inputs, self.style_fields, self.font_stamp])}.jpg"

    def draw(self, card: Card) -> Path:
        """Draws the card into the cache unless it is there; returns its file there. The file appears
        whole or not at all, so that a build killed while drawing leaves no broken card to reuse."""
        cached = self.cached(card)
        if not cached.exists():
            self.cache.mkdir(parents=True, exist_ok=True)
            drawing = io.BytesIO()
            _draw(card, self).save(drawing, "JPEG", quality=90)
            write_atomically(cached, drawing.getvalue())
        return cached

    def render(self, card: Card, target: Path) -> None:
        """Writes the card to `target`, from the cache when the same card was drawn before.
        The folder of `target` must exist."""
        place(self.draw(card), target)


def missing_glyphs(font: str, characters: str = GERMAN) -> str:
    """The characters of `characters` that the font file has no glyph for."""
    cmap = TTFont(font, lazy=True).getBestCmap()
    return "".join(c for c in characters if ord(c) not in cmap)


def _key(inputs: list[object]) -> str:
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def _one_line(text: str) -> str:
    """Text as one line of printable characters: Pillow's layout fails on line and paragraph
    separators (\r, \x1c–\x1e, \x85, U+2029) and on other control characters."""
    return "".join(c for c in " ".join(text.split()) if unicodedata.category(c) != "Cc")


def _draw(card: Card, cards: Cards) -> Image.Image:
    card = replace(card, title=_one_line(card.title), subtitle=_one_line(card.subtitle),
                   site_name=_one_line(card.site_name), feature=_one_line(card.feature))
    style, font = cards.style, cards.font
    width = WIDTH - 2 * MARGIN - (PICTURE_WIDTH if card.picture else 0)
    image = cards.base(card.site_name, width)
    if card.picture:
        _paste_picture(image, card.picture)
    draw = ImageDraw.Draw(image)
    small = font(34)
    below = 180 + (50 if card.feature else 0)
    size, lines = _fit_title(draw, card.title, font, width, HEIGHT - 2 * MARGIN - below)
    title_font = font(size)
    y = MARGIN + 120
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=style.foreground)
        y += int(size * 1.2)
    if card.feature:
        draw.text((MARGIN, HEIGHT - MARGIN - 84), _shorten(draw, card.feature, small, width), font=small, fill=style.accent)
    draw.text((MARGIN, HEIGHT - MARGIN - 34), _shorten(draw, card.subtitle, small, width), font=small, fill=style.foreground)
    return image


def _paste_picture(card: Image.Image, path: str) -> None:
    """A photo fills the card's right part; a transparent logo sits whole on white there."""
    box = (PICTURE_WIDTH, HEIGHT)
    with Image.open(path) as picture:
        if picture.mode == "RGBA":
            panel = Image.new("RGB", box, "white")
            logo = ImageOps.contain(picture, (box[0] - 2 * 40, box[1] - 2 * 40))
            panel.paste(logo, ((box[0] - logo.width) // 2, (box[1] - logo.height) // 2), logo)
        else:
            panel = ImageOps.fit(picture.convert("RGB"), box)
    card.paste(panel, (WIDTH - PICTURE_WIDTH, 0))


def _shorten(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """One line of at most `width`, cut at a word with "…"."""
    words = text.split()
    while len(words) > 1 and draw.textlength(" ".join(words), font=font) > width:
        words = words[:-1]
        words[-1] = words[-1].rstrip(" ,;:–") + " …"
    return " ".join(words)


def _fit_title(draw: ImageDraw.ImageDraw, title: str, font: Callable[[int], ImageFont.FreeTypeFont], width: int, height: int
               ) -> tuple[int, list[str]]:
    """The largest size at which the title fits the space; the last line ends in "…" if cut."""
    for size in (72, 64, 56, 48):
        lines = _wrap(draw, title, font(size), width)
        if len(lines) * size * 1.2 <= height or size == 48:
            break
    most = int(height // (size * 1.2))
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" ,;:–") + " …"
    return size, lines


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
