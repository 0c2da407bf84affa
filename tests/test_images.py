"""Pictures: phone photos go in (huge, turned by EXIF, with GPS), clean renditions come out."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from content import issue, profile
from photos import GPS, photo
from rundbrief.core.images import AVIF, ImageProblem, derive_all, scrub_all

ISSUE = "newsletters/2024-12-13/"
ITEM_WITH_PHOTO = """
## Vorgestellt

### KArAD stellt sich vor

![Ein bunt bemalter Bus](../assets/images/bus.jpg)

Text über [KArAD](../projects/karad.md).
"""


def _images_in(site_dir):
    return [p for p in site_dir.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}]


def test_phone_photo_is_published_turned_and_without_metadata(site):
    original = photo(site.root / "content/assets/images/bus.jpg", 4000, 3000)
    profile(site)
    issue(site, front="image: assets/images/bus.jpg\nimage_alt: Ein bunt bemalter Bus\n", body=ITEM_WITH_PHOTO)
    out = site.build()

    derived = list((out / "assets/pictures").iterdir())
    assert {p.suffix for p in derived} == {".webp", ".jpg"} | ({".avif"} if AVIF else set())
    # 3000 px wide once turned: 480, 960 and 1600, never wider
    assert sorted({Image.open(p).width for p in derived}) == [480, 960, 1600]
    for path in _images_in(out):
        with Image.open(path) as image:
            exif = image.getexif()
            assert not exif and not exif.get_ifd(GPS), path
            assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info), (path, image.info.keys())
            if path.parent.name == "pictures":
                assert image.height > image.width, path  # orientation 6 applied: portrait
                rgb = image.convert("RGB")
                top, bottom = rgb.getpixel((image.width // 2, 5)), rgb.getpixel((image.width // 2, image.height - 5))
                assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], path  # red on top
    # The original, and its GPS bytes, are nowhere in the site
    assert not (out / "assets/images/bus.jpg").exists()
    marker = original[original.find(b"Telefonhersteller"):][:40]
    for path in out.rglob("*"):
        if path.is_file():
            assert marker not in path.read_bytes(), path

    html = site.html(ISSUE)
    header, body = html.split('<h2 id="vorgestellt"', 1)
    pictures = re.findall(r"<picture[^>]*>.*?</picture>", html)
    assert len(pictures) == 2
    for picture in pictures:
        if AVIF:
            assert re.search(r'<source type="image/avif" srcset="[^"]+-480\.avif 480w, [^"]+-1600\.avif 1600w"', picture)
        assert re.search(r'<source type="image/webp" srcset="\.\./\.\./assets/pictures/[0-9a-f]+-480\.webp 480w, '
                         r'[^"]+-960\.webp 960w, [^"]+-1600\.webp 1600w" sizes="[^"]+">', picture)
        assert 'width="1600" height="2133" alt="Ein bunt bemalter Bus"' in picture
        assert re.search(r'<img src="\.\./\.\./assets/pictures/[0-9a-f]+-960\.jpg" srcset="[^"]+-480\.jpg 480w', picture)
    assert 'loading="lazy"' not in header.split("<picture", 1)[1]  # the issue's own picture is on top
    assert 'loading="lazy"' in body


def test_profile_picture_and_transparent_logo(site):
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    logo.paste((0, 120, 60, 255), (100, 100, 700, 300))
    (site.root / "content/assets/images").mkdir(parents=True, exist_ok=True)
    logo.save(site.root / "content/assets/images/karad-logo.png")
    profile(site, front="image: assets/images/karad-logo.png\nimage_alt: Logo von KArAD\n")
    out = site.build()
    html = site.html("projects/karad/")
    assert re.search(r'<img src="\.\./\.\./assets/pictures/[0-9a-f]+-800\.png" srcset="[^"]+-480\.png 480w, '
                     r'[^"]+-800\.png 800w"[^>]* width="800" height="400" alt="Logo von KArAD">', html)
    assert not (out / "assets/images/karad-logo.png").exists()
    png = next((out / "assets/pictures").glob("*-800.png"))
    with Image.open(png) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0  # transparency kept


def test_renditions_are_cached_by_content(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site, front="image: assets/images/bus.jpg\nimage_alt: Ein Bus\n")
    site.build()
    cache = site.root / ".cache/rundbrief/images"
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    site.build()
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == first
    photo(site.root / "content/assets/images/bus.jpg", 1000, 800)  # new content: new renditions
    site.build()
    assert len(list(cache.glob("*.json"))) == 2


def test_the_core_starts_no_thread_and_works_with_the_map_it_is_given(tmp_path, monkeypatch):
    """The builtin map derives one picture after another in the calling thread; the adapter hands in a
    pool's, on every core, with the same results. A broken file is a problem, returned not raised."""
    files = [tmp_path / "bus.jpg", tmp_path / "kaputt.jpg", tmp_path / "bus.jpg"]
    photo(files[0])
    files[1].write_bytes(b"kein Bild")
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = derive_all(files, tmp_path / "threads", pool.map), scrub_all(files, tmp_path / "threads", pool.map)

    def no_thread(thread):
        raise AssertionError(f"the core started {thread}")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    derived, scrubbed = derive_all(files, tmp_path / "one"), scrub_all(files, tmp_path / "one")
    assert list(derived) == list(scrubbed) == files[:2]  # each file once
    assert derived[files[0]] == threaded[0][files[0]]
    assert scrubbed[files[0]].read_bytes() == threaded[1][files[0]].read_bytes()
    assert isinstance(derived[files[1]], ImageProblem) and isinstance(scrubbed[files[1]], ImageProblem)


def test_missing_alt_text_fails_the_build(site):
    photo(site.root / "content/assets/images/bus.jpg")
    profile(site, front="image: assets/images/bus.jpg\n")
    issue(site, front="image: assets/images/bus.jpg\n", body=ITEM_WITH_PHOTO.replace("Ein bunt bemalter Bus", " "))
    errors = site.build_fails()
    assert ("projects/karad.md:6: Zum Bild „assets/images/bus.jpg“ fehlt die Beschreibung „image_alt“. Erlaubt ist "
            "ein Bild nur mit einem Text, der sagt, was es zeigt") in errors
    assert "newsletters/2024-12-13.md:4: Zum Bild „assets/images/bus.jpg“ fehlt die Beschreibung" in errors
    assert "newsletters/2024-12-13.md:11: Dem Bild „../assets/images/bus.jpg“ fehlt die Beschreibung." in errors
    assert "Traceback" not in errors


def test_images_that_cannot_be_published_fail_the_build(site):
    photo(site.root / "content/assets/images/klein.jpg", 400, 300, orientation=1)
    (site.root / "content/assets/images/kaputt.jpg").write_bytes(b"\xff\xd8\xff\xe0 kein Bild")
    (site.root / "content/assets/images/text.png").write_text("Hallo", encoding="utf-8")
    profile(site, front="image: assets/images/klein.jpg\nimage_alt: Ein kleines Bild\n")
    profile(site, "anker", front="image: assets/images/kaputt.jpg\nimage_alt: Ein kaputtes Bild\n")
    issue(site, body=ITEM_WITH_PHOTO.replace("bus.jpg", "text.png") + "\n![Ein Bus](../assets/images/fehlt.jpg)\n")
    issue(site, "fremd", body=ITEM_WITH_PHOTO.replace("../assets/images/bus.jpg", "https://example.org/bus.jpg"))
    errors = site.build_fails()
    assert ("projects/karad.md:6: Bild „assets/images/klein.jpg“: Das Bild ist nur 400 Bildpunkte breit. "
            "Erlaubt sind Bilder ab 480 Bildpunkten Breite") in errors
    assert ("projects/anker.md:6: Bild „assets/images/kaputt.jpg“: Die Datei ist kein lesbares Bild. Erlaubt "
            "sind Fotos und Grafiken als JPEG, PNG, WebP oder GIF.") in errors
    assert "newsletters/2024-12-13.md:10: Bild „assets/images/text.png“: Die Datei ist kein lesbares Bild." in errors
    assert ("newsletters/fremd.md:10: Das Bild „https://example.org/bus.jpg“ liegt auf einer anderen Website. "
            "Erlaubt sind nur Bilder im Ordner content/") in errors
    assert ("newsletters/2024-12-13.md:14: Das Bild „assets/images/fehlt.jpg“ gibt es nicht in content/. Erlaubt "
            "ist ein Pfad relativ zu diesem Ordner, z. B. „![Beschreibung](../assets/images/bus.jpg)“.") in errors
    assert "Traceback" not in errors
