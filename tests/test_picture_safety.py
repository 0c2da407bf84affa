"""No image file reaches the site with its metadata, whatever names it or if nothing does; pictures too
tall or too large for the web are refused in German at the line that names them, never with a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import EpsImagePlugin, Image, ImageDraw

import rundbrief.core.images

from conftest import PROPERDOCS, Site, make_project
from content import issue, profile
from photos import photo
from test_properties import VALID_ISSUE, VALID_PROFILE, build_and_check

MAKER = b"Telefonhersteller"  # the Make tag `photo` writes; no file of the site may hold it
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>Telefonhersteller</rdf:Description>'
       b'</rdf:RDF></x:xmpmeta>')
ITEM = "\n## Vorgestellt\n\n### KArAD stellt sich vor\n\n{}\n\nText über [KArAD](../projects/karad.md).\n"


def with_metadata(path: Path, width: int, height: int, *, mode: str = "RGB", fmt: str = "PNG") -> None:
    """A picture of one colour, small in bytes whatever its size, with the camera's maker in its EXIF (and
    in XMP, where the format keeps it)."""
    exif = Image.Exif()
    exif[0x010F] = MAKER.decode()
    extra = {"xmp": XMP} if fmt in ("PNG", "WEBP", "JPEG", "TIFF") else {"comment": MAKER}
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, (width, height), 90).save(path, fmt, exif=exif.tobytes(), **extra)


def assert_no_metadata(out: Path) -> list[Path]:
    """Every file of the site is free of the maker; every image, of EXIF and XMP. Returns the images."""
    images = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        assert MAKER not in path.read_bytes(), path
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".tif", ".tiff", ".bmp"):
            images.append(path)
            with Image.open(path) as image:
                if image.format != "TIFF":  # whose own tags (its size, …) Pillow reads as EXIF
                    assert not image.getexif(), path
                assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info), (path, image.info)
    return images


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def test_no_image_file_reaches_the_site_with_its_metadata(site):
    photos = site.root / "content/assets/photos"
    photo(photos / "mit leerzeichen.jpg")
    photo(photos / "impressum.jpg", 800, 600, orientation=1)
    photo(photos / "groß.jpg", 900, 600, orientation=6)
    photo(photos / "lose.jpg", 700, 500)
    with_metadata(photos / "grafik.png", 300, 200, mode="RGBA")
    with_metadata(photos / "bild.webp", 300, 200)
    with_metadata(photos / "alt.gif", 300, 200, mode="P")
    with_metadata(photos / "scan.tiff", 300, 200)
    with_metadata(site.root / "content/assets/images/logo.png", 64, 64, mode="RGBA")  # the theme's logo
    append(site.root / "content/impressum.md", "\n![Ein Foto](assets/photos/impressum.jpg)\n")
    profile(site)
    issue(site, body=ITEM.format("![Ein Foto](<../assets/photos/mit leerzeichen.jpg>) und "
                                 "[groß](../assets/photos/groß.jpg)"))
    out = site.build()

    images = {path.relative_to(out).as_posix() for path in assert_no_metadata(out)}
    # The picture with spaces is derived like every other; the others keep their addresses.
    assert "assets/photos/mit leerzeichen.jpg" not in images
    assert {"assets/photos/impressum.jpg", "assets/photos/groß.jpg", "assets/photos/lose.jpg",
            "assets/photos/grafik.png", "assets/photos/bild.webp", "assets/photos/alt.gif",
            "assets/photos/scan.tiff", "assets/images/logo.png"} <= images
    html = site.html("newsletters/2024-12-13/")
    assert '<picture class="rb-picture">' in html and 'alt="Ein Foto"' in html and "leerzeichen" not in html
    assert 'href="../../assets/photos/gro%C3%9F.jpg"' in html
    assert 'src="assets/photos/impressum.jpg"' in site.html("impressum/").replace("../", "")
    assert 'href="assets/images/logo.png"' in site.html("")  # the favicon
    with Image.open(out / "assets/photos/groß.jpg") as turned:
        assert turned.size == (600, 900)  # orientation 6 applied: the copy shows what the phone meant
    with Image.open(out / "assets/photos/grafik.png") as graphic:
        assert graphic.mode == "RGBA"  # transparency kept


@pytest.mark.allow_warnings
def test_image_files_that_cannot_be_copied_are_left_out_with_a_warning(site):
    photos = site.root / "content/assets/photos"
    photos.mkdir(parents=True)
    (photos / "kaputt.jpg").write_bytes(b"\xff\xd8\xff\xe0 kein Bild, aber ein Telefonhersteller")
    Image.new("1", (10_000, 9_001)).save(photos / "riesig.png")  # 90.01 megapixels, a few kilobytes
    out = site.build()

    assert not (out / "assets/photos").exists()
    warnings = [r.getMessage() for r in site.caplog.records if r.levelname == "WARNING"]
    assert ("content/assets/photos/kaputt.jpg:1: Warnung: Die Datei wird nicht veröffentlicht: Die Datei ist kein "
            "lesbares Bild. Erlaubt sind Fotos und Grafiken als JPEG, PNG, WebP oder GIF.") in warnings
    assert ("content/assets/photos/riesig.png:1: Warnung: Die Datei wird nicht veröffentlicht: Das Bild hat zu viele "
            "Bildpunkte, um es sicher zu verarbeiten. Erlaubt sind Bilder bis 90 Megapixel: das Bild verkleinert "
            "speichern.") in warnings


def test_too_tall_picture_is_refused_at_its_line(site, run):
    with_metadata(site.root / "content/assets/images/lang.png", 600, 60_000, mode="L")
    profile(site)
    issue(site, body=ITEM.format("![Ein langes Bild](../assets/images/lang.png)"))
    message = ("newsletters/2024-12-13.md:10: Bild „assets/images/lang.png“: Das Bild ist 600 × 60000 Bildpunkte groß "
               "und damit zu hoch für seine Breite: in 600 Bildpunkten Breite wäre es 60000 hoch, das Webformat WebP "
               "fasst höchstens 16383. Erlaubt ist bei dieser Breite ein Bild bis zu 27-mal so hoch wie breit: ein "
               "langes Bild in mehrere teilen.")
    errors = site.build_fails()
    assert message in errors and "unerwarteter Fehler" not in errors
    result = run(site, "check")
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_picture_of_too_many_pixels_is_refused_before_it_is_decoded(site):
    """12,000 × 12,000 pixels in some 20 KB of PNG: decoded, 432 MB as RGB, and more on the way."""
    Image.new("1", (12_000, 12_000)).save(site.root / "content/assets/images/riesig.png")
    profile(site, front="image: assets/images/riesig.png\nimage_alt: Ein riesiges Bild\n")
    # The peak of the process's own memory, as `check` ends: not its ru_maxrss, which counts the parent's too.
    script = ("import atexit, re, sys; from rundbrief.cli.main import main; atexit.register(lambda: print("
              "'Spitze:', re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1])); main(['check'])")
    checking = subprocess.run([sys.executable, "-c", script], cwd=site.root, capture_output=True, text=True)
    printed = checking.stdout + checking.stderr
    assert checking.returncode == 1, printed
    assert ("projects/karad.md:6: Bild „assets/images/riesig.png“: Das Bild hat zu viele Bildpunkte, um es sicher zu "
            "verarbeiten. Erlaubt sind Bilder bis 90 Megapixel") in printed
    assert "Warning" not in printed and "Traceback" not in printed
    peak = int(checking.stdout.rsplit("Spitze: ", 1)[1])
    assert peak < 120_000, peak  # kilobytes: the decoded picture alone would take 144,000


def test_a_file_named_like_a_picture_is_read_only_as_a_picture(site, monkeypatch):
    """An EPS named .jpg is no JPEG: Pillow would hand it to Ghostscript, an interpreter of PostScript."""
    interpreted = []

    def ghostscript(*args, **kwargs):
        interpreted.append(args)
        raise OSError("Ghostscript")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    (site.root / "content/assets/images/plan.jpg").write_bytes(
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 800 600\n%%EndComments\nshowpage\n%%EOF\n")
    profile(site, front="image: assets/images/plan.jpg\nimage_alt: Ein Plan\n")
    errors = site.build_fails()
    assert ("projects/karad.md:6: Bild „assets/images/plan.jpg“: Die Datei ist kein lesbares Bild. Erlaubt sind Fotos "
            "und Grafiken als JPEG, PNG, WebP oder GIF.") in errors
    assert not interpreted


def test_a_change_to_how_pictures_are_made_makes_new_renditions(site, monkeypatch):
    """Renditions are keyed by the code that makes them and Pillow's version, as cards are: no number to
    bump. They are named by their bytes: where the new code derives the same, no address changes."""
    profile(site, front="image: assets/images/bunter-bus.png\nimage_alt: Ein bunter Bus\n")
    cache = site.root / ".cache/rundbrief/images"
    before = {path.name: path.read_bytes() for path in (site.build() / "assets/pictures").iterdir()}
    assert len(list(cache.glob("*.json"))) == 1
    monkeypatch.setattr(rundbrief.core.images, "code_digest", lambda modules, distributions: "anders")
    after = {path.name: path.read_bytes() for path in (site.build() / "assets/pictures").iterdir()}
    assert len(list(cache.glob("*.json"))) == 2  # derived again, not taken from the old code's entry
    assert before and after == before
    monkeypatch.setattr(rundbrief.core.images, "code_digest", lambda modules, distributions: "neu")
    monkeypatch.setattr(rundbrief.core.images, "WIDTHS", (320, 640))  # what the new code makes differs
    changed = {path.name for path in (site.build() / "assets/pictures").iterdir()}
    assert changed and not changed & before.keys()


def test_killed_build_leaves_no_process_deriving_pictures(site):
    """Pictures are derived in threads, which end with the build, however it ends."""
    for number in range(8):
        noisy = Image.effect_noise((2400, 1800), 60).convert("RGB")
        ImageDraw.Draw(noisy).text((10, 10), str(number), fill=255)
        noisy.save(site.root / f"content/assets/images/foto-{number}.jpg", quality=95)
        profile(site, f"projekt-{number}", front=f"image: assets/images/foto-{number}.jpg\nimage_alt: Foto {number}\n")
    generator = "properdocs" if PROPERDOCS else "mkdocs"
    build = subprocess.Popen([sys.executable, "-m", generator, "build", "-q"], cwd=site.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = site.root / ".cache/rundbrief/images"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(cache.glob("*.webp")):  # deriving, and far from done
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it was killed"
    descendants = _descendants(build.pid)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in descendants):
        time.sleep(0.1)
    assert not [pid for pid in descendants if _alive(pid)]


def _descendants(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# Properties: the shapes that crashed builds (tall and extreme pictures, file names with spaces),
# in every place a picture can be named, or in none.

SIZES = st.sampled_from([(1, 1), (480, 1), (20_000, 1), (600, 16_383), (600, 16_384), (1600, 16_384), (479, 60_000),
                         (600, 60_000), (500, 500)])
FILE_NAMES = st.text(alphabet="abäß -_()%2.", min_size=1, max_size=12).map(lambda name: f"{name.strip()}x.png")
PLACES = st.sampled_from(["image", "bracketed", "plain", "linked", "page", "nowhere"])


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=SIZES, name=FILE_NAMES, place=PLACES, mode=st.sampled_from(["L", "RGBA"]))
def test_pictures_of_any_shape_and_name_only_report(size, name, place, mode, caplog, monkeypatch):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, sample=False)
        monkeypatch.chdir(root)  # not the last example's folder, which is gone
        with_metadata(root / "content/assets/fotos" / name, *size, mode=mode)
        src = f"assets/fotos/{name}"
        named = {"image": f"image: {src}\nimage_alt: Ein Bild\n", "bracketed": f"![Ein Bild](<../{src}>)",
                 "plain": f"![Ein Bild](../{src})", "linked": f"[groß](<../{src}>)"}
        front = named["image"] if place == "image" else ""
        body = ITEM.format(named.get(place, "Text.") if place != "image" else "Text.")
        (root / "newsletters").mkdir(exist_ok=True)
        (root / "newsletters/2024-12-13-ausgabe.md").write_text(
            VALID_ISSUE.replace("---\n", f"---\n{front}", 1) + body, encoding="utf-8")
        (root / "projects/karad.md").write_text(VALID_PROFILE, encoding="utf-8")
        if place == "page":
            append(root / "content/impressum.md", f"\n![Ein Bild](<{src}>)\n")
        site = Site(root, caplog)
        build_and_check(site, monkeypatch)
        if site.out.exists():
            assert_no_metadata(site.out)
