"""Photos: real files through real Pillow, from content to published renditions.

Renditions and their sizes, EXIF orientation, no metadata left in any published file, the
Open Graph card, the cache (a rebuild processes nothing), parallel and serial work giving the
same bytes, and the messages for bad photos (the other cases are in tests/broken/photos/).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageCms, IptcImagePlugin

from generator.build import BuildOptions, BuildResult, build
from generator.errors import Location
from generator.images import check_photos, publish_photos
from generator.imaging import sniff
from generator.model import PhotoRef
from tests.conftest import FACILITY, PRODUCT
from tests.test_broken import BROKEN, prepare_case

SHOE = "products/lapas-serang"
SECRETS = (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"8BIM", b"ICC_PROFILE",
           b"Budi Santoso", b"SN-4411-RAHASIA", b"Kamera Rahasia", b"iCCP", b"eXIf", b"tEXt",
           b"iTXt", b"XMP ", b"EXIF")


def jpeg(size: tuple[int, int], color: tuple[int, int, int] = (170, 90, 40),
         **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85, **options)
    return buffer.getvalue()


def png(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def with_images(*names: str) -> str:
    listed = "".join(f"  - {name}\n" for name in names)
    return PRODUCT.replace("images: [sepatu-kulit.jpg]", f"images:\n{listed}".rstrip("\n"))


def build_site(root: Path, cache: Path, workers: int | None = None,
               out: str = "site") -> BuildResult:
    """A build whose photos go through `cache`; pages are rendered afresh each time, so even
    an unchanged rebuild runs the photo step (see `stamp` for the build that does nothing)."""
    return build(BuildOptions(content_dir=root, output_dir=root.parent / out, cache_dir=cache,
                              workers=workers, cached_pages=False))


def published(site: Path) -> dict[str, bytes]:
    media = site / "media"
    return {p.relative_to(media).as_posix(): p.read_bytes()
            for p in sorted(media.rglob("*")) if p.is_file()}


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_renditions_at_every_width_in_webp_and_jpeg_never_enlarged(content, tmp_path) -> None:
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("besar.jpg", "kecil.png"),
                    f"{SHOE}/besar.jpg": jpeg((2000, 1500)),
                    f"{SHOE}/kecil.png": png(Image.new("RGB", (500, 375), (0, 90, 120)))})
    result = build_site(root, tmp_path / "cache")
    files = published(tmp_path / "site")
    sizes = {name: (opened(data).format, opened(data).size) for name, data in files.items()}
    big = {w: round(w * 0.75) for w in (320, 480, 640, 1024)}
    expected = {f"{SHOE}/besar-{w}.{ext}": (fmt, (w, h)) for w, h in big.items()
                for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG"))}
    expected |= {f"{SHOE}/besar-1600.webp": ("WEBP", (1600, 1200)),
                 f"{SHOE}/besar.jpg": ("JPEG", (1600, 1200)),
                 f"{SHOE}/besar-og.jpg": ("JPEG", (1200, 630))}
    expected |= {f"{SHOE}/kecil-320.webp": ("WEBP", (320, 240)),
                 f"{SHOE}/kecil-320.jpg": ("JPEG", (320, 240)),
                 f"{SHOE}/kecil-500.webp": ("WEBP", (500, 375)),  # not enlarged to 640,
                 f"{SHOE}/kecil.jpg": ("JPEG", (500, 375))}  # and 480 is too near to be worth it
    assert sizes == expected
    assert (result.photos.processed, result.photos.reused) == (2, 0)


def test_exif_orientation_is_applied(content, tmp_path) -> None:
    raw = Image.new("RGB", (800, 600), (220, 0, 0))
    raw.paste((0, 0, 220), (400, 0, 800, 600))  # left red, right blue, as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise: the left side ends on top
    buffer = io.BytesIO()
    raw.save(buffer, "JPEG", quality=90, exif=exif)
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("tegak.jpg"),
                    f"{SHOE}/tegak.jpg": buffer.getvalue()})
    build_site(root, tmp_path / "cache")
    shown = opened((tmp_path / "site" / "media" / SHOE / "tegak.jpg").read_bytes())
    assert shown.size == (600, 800)
    top, bottom = shown.getpixel((300, 100)), shown.getpixel((300, 700))
    assert top[0] > 180 and top[2] < 60, top
    assert bottom[2] > 180 and bottom[0] < 60, bottom


def _jpeg_with_every_kind_of_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # make
    exif[0x013B] = "Budi Santoso"  # artist
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 1.5), 3: "E", 4: (106.0, 9.0, 2.5)}  # GPS
    exif.get_ifd(0x8769)[0xA431] = "SN-4411-RAHASIA"  # body serial number
    iptc = b"\x1c\x02\x50" + len(b"Budi Santoso").to_bytes(2, "big") + b"Budi Santoso"
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc
    app13 = b"Photoshop 3.0\x00" + resource
    marker = b"\xff\xed" + (len(app13) + 2).to_bytes(2, "big") + app13
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b"<dc:creator>Budi Santoso</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return jpeg((900, 600), exif=exif, xmp=xmp, extra=marker, icc_profile=icc,
                comment=b"Budi Santoso")


def test_published_files_carry_no_exif_xmp_iptc_or_any_other_metadata(content,
                                                                        tmp_path) -> None:
    source = _jpeg_with_every_kind_of_metadata()
    assert all(secret in source for secret in (b"Exif\x00\x00", b"SN-4411-RAHASIA",
                                               b"Photoshop 3.0", b"http://ns.adobe.com/xap"))
    assert IptcImagePlugin.getiptcinfo(opened(source))
    info = {"Author": "Budi Santoso", "XML:com.adobe.xmp": "Budi Santoso"}
    text = png(Image.new("RGB", (600, 400), (9, 9, 9)), exif=Image.open(io.BytesIO(
        source)).getexif(), pnginfo=_png_text(info))
    webp = io.BytesIO()
    Image.new("RGB", (600, 400)).save(webp, "WEBP", exif=Image.open(io.BytesIO(source))
                                      .getexif(), xmp=b"<x>Budi Santoso</x>")
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg", "b.png", "c.webp"),
                    f"{SHOE}/a.jpg": source, f"{SHOE}/b.png": text,
                    f"{SHOE}/c.webp": webp.getvalue()})
    build_site(root, tmp_path / "cache")
    files = published(tmp_path / "site")
    assert len(files) == 4 * 2 + 1 + 3 * 2 + 3 * 2  # widths up to 900 and 600, one card
    for name, data in files.items():
        image = opened(data)
        assert [s for s in SECRETS if s in data] == [], name
        assert len(image.getexif()) == 0, name
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(image.info), name
        if image.format == "JPEG":
            assert IptcImagePlugin.getiptcinfo(image) is None, name


def _png_text(values: dict[str, str]) -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in values.items():
        info.add_itxt(key, value)
    return info


def test_transparency_is_flattened_on_white(content, tmp_path) -> None:
    clear = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    clear.paste((200, 0, 0, 255), (100, 100, 300, 300))
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("potong.png"),
                    f"{SHOE}/potong.png": png(clear)})
    build_site(root, tmp_path / "cache")
    shown = opened((tmp_path / "site" / "media" / SHOE / "potong.jpg").read_bytes())
    assert shown.mode == "RGB"
    assert min(shown.getpixel((10, 10))) > 245  # white, not black, where it was clear
    assert shown.getpixel((200, 200))[0] > 180


@pytest.mark.parametrize(("mode", "value", "name", "grey"), [
    ("I;16", 30000, "a.png", 117), ("L", 90, "a.jpg", 90), ("1", 1, "a.png", 255),
    ("LA", (128, 255), "a.png", 128), ("CMYK", (0, 0, 0, 128), "a.jpg", 127),
])
def test_every_pixel_mode_comes_out_in_rgb(content, tmp_path, mode: str, value: object,
                                           name: str, grey: int) -> None:
    buffer = io.BytesIO()
    Image.new(mode, (400, 300), value).save(buffer, "PNG" if name.endswith("png") else "JPEG")
    root = content({f"{SHOE}/sepatu-kulit.md": with_images(name), f"{SHOE}/{name}":
                    buffer.getvalue()})
    build_site(root, tmp_path / "cache")
    shown = opened((tmp_path / "site" / "media" / SHOE / "a-320.webp").read_bytes())
    assert shown.mode == "RGB"
    assert all(abs(channel - grey) <= 3 for channel in shown.getpixel((10, 10))), \
        shown.getpixel((10, 10))


def test_a_rebuild_with_unchanged_photos_processes_none(content, tmp_path) -> None:
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg", "b.jpg"),
                    f"{SHOE}/a.jpg": jpeg((1200, 900)), f"{SHOE}/b.jpg": jpeg((900, 1200))})
    cache = tmp_path / "cache"
    first = build_site(root, cache)
    before = published(tmp_path / "site")
    second = build_site(root, cache)
    assert (first.photos.processed, second.photos.processed, second.photos.reused) == (2, 0, 2)
    assert published(tmp_path / "site") == before
    os.utime(root / SHOE / "a.jpg", ns=(10**18, 10**18))  # touched, same bytes: still cached
    assert build_site(root, cache).photos.processed == 0
    (root / SHOE / "b.jpg").write_bytes(jpeg((900, 1200), (0, 120, 60)))
    third = build_site(root, cache)
    assert (third.photos.processed, third.photos.reused) == (1, 1)
    assert published(tmp_path / "site") != before


def test_a_damaged_cache_entry_is_made_again(content, tmp_path) -> None:
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
                    f"{SHOE}/a.jpg": jpeg((1200, 900))})
    cache = tmp_path / "cache"
    build_site(root, cache)
    next(cache.rglob("640.webp")).unlink()
    assert build_site(root, cache).photos.processed == 1
    assert (tmp_path / "site" / "media" / SHOE / "a-640.webp").is_file()
    assert build_site(root, cache).photos.processed == 0


def test_the_cache_is_remembered_without_reading_settled_photos(content, tmp_path) -> None:
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
                    f"{SHOE}/a.jpg": jpeg((1200, 900))})
    os.utime(root / SHOE / "a.jpg", ns=(10**18, 10**18))  # changed long ago
    cache = tmp_path / "cache"
    build_site(root, cache)
    memo = (cache / "images" / "sources.json").read_text()
    assert str((root / SHOE / "a.jpg").resolve()) in memo
    assert build_site(root, cache).photos.processed == 0


def test_parallel_and_serial_cold_builds_are_byte_identical(content, tmp_path) -> None:
    photos = {f"{SHOE}/{n}.jpg": jpeg((1000 + 100 * i, 800), (40 * i, 90, 200 - 40 * i))
              for i, n in enumerate("abcd")}
    root = content({f"{SHOE}/sepatu-kulit.md": with_images(*(f"{n}.jpg" for n in "abcd")),
                    **photos})
    serial = build_site(root, tmp_path / "cache-1", workers=1, out="serial")
    parallel = build_site(root, tmp_path / "cache-2", workers=2, out="parallel")
    assert (serial.photos.processed, parallel.photos.processed) == (4, 4)
    assert published(tmp_path / "serial") == published(tmp_path / "parallel")
    assert len(published(tmp_path / "serial")) == (4 + 4 + 5 + 5) * 2 + 1


def test_bad_photos_give_the_same_messages_when_building(tmp_path, run, monkeypatch) -> None:
    prepare_case(BROKEN / "photos", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("build", "--content", "content", "--cache", "tembolok")
    assert (code, out) == (1, "")
    expected = (BROKEN / "photos" / "errors.txt").read_text(encoding="utf-8")
    assert err == expected + "Situs tidak diubah (the site was not changed).\n"
    assert not (tmp_path / "site").exists()


def test_a_broken_photo_leaves_the_previous_site_untouched(content, run, tmp_path) -> None:
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
                    f"{SHOE}/a.jpg": jpeg((1200, 900))})
    assert run("build", "--content", "content")[0] == 0
    before = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    data = (root / SHOE / "a.jpg").read_bytes()
    (root / SHOE / "a.jpg").write_bytes(data[: len(data) // 2])
    code, _, err = run("build", "--content", "content")
    assert code == 1
    assert err.splitlines() == [
        'content/products/lapas-serang/sepatu-kulit.md:9:5: galat: images.0: gambar "a.jpg"'
        " rusak atau terpotong; salin ulang berkas aslinya dari kamera atau ponsel (error: image"
        ' "a.jpg" is damaged or cut short; copy the original file from the camera or phone'
        " again)",
        "1 galat, 0 peringatan (1 error(s), 0 warning(s))",
        "Situs tidak diubah (the site was not changed).",
    ]
    after = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert after == before


def test_a_truncated_photo_is_caught_by_the_build_itself(content, tmp_path) -> None:
    noise = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(noise, "JPEG", quality=80)
    root = content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
                    f"{SHOE}/a.jpg": noise.getvalue()[: noise.tell() * 2 // 3]})
    refs = (PhotoRef(f"{SHOE}/a.jpg", Location("x.md", 7, 5), "images.0", "a.jpg"),)
    photos = publish_photos(refs, root, tmp_path / "cache")
    assert [d.format() for d in photos.diagnostics] == [
        'x.md:7:5: galat: images.0: gambar "a.jpg" rusak atau terpotong; salin ulang berkas'
        " aslinya dari kamera atau ponsel (error: image \"a.jpg\" is damaged or cut short; copy"
        " the original file from the camera or phone again)"]
    assert photos.files == {} and photos.processed == 1


def test_a_photo_gone_or_unreadable_after_validation_is_an_error(tmp_path) -> None:
    (tmp_path / "folder.jpg").mkdir()  # what cannot be read even by root
    refs = (PhotoRef("hilang.jpg", Location("x.md", 7, 5), "images.0", "hilang.jpg"),
            PhotoRef("folder.jpg", Location("x.md", 8, 5), "images.1", "folder.jpg"))
    assert [d.format() for d in check_photos(refs, tmp_path, tmp_path / "cache")] == [
        'x.md:7:5: galat: images.0: berkas gambar "hilang.jpg" tidak dapat dibaca; periksa izin'
        ' berkasnya (error: image file "hilang.jpg" cannot be read; check its permissions)',
        'x.md:8:5: galat: images.1: berkas gambar "folder.jpg" tidak dapat dibaca; periksa izin'
        ' berkasnya (error: image file "folder.jpg" cannot be read; check its permissions)']
    assert not (tmp_path / "cache").exists()


def test_check_writes_nothing_and_uses_what_the_cache_knows(content, run, tmp_path) -> None:
    content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
             f"{SHOE}/a.jpg": jpeg((1200, 900))})
    assert run("check", "--content", "content", "--cache", "tembolok")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]
    code, out, _ = run("build", "--content", "content", "--cache", "tembolok")
    assert code == 0
    assert "; foto: 1 diolah, 0 dari tembolok (site built: " in out
    assert out.endswith("; photos: 1 processed, 0 from the cache)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "content", "site",
                                                          "tembolok"]
    product = tmp_path / "content" / SHOE / "sepatu-kulit.md"
    product.write_text(product.read_text("utf-8") + "\nDiperbarui.\n", "utf-8")
    assert "foto: 0 diolah, 1 dari tembolok" in run("build", "--content", "content",
                                                     "--cache", "tembolok")[1]
    code, out, _ = run("build", "--content", "content", "--cache", "tembolok")
    assert out.startswith("Situs sudah terbaru: tidak ada yang berubah sejak pembangunan"
                          " terakhir; 126 berkas di site/ (")


def test_a_published_photo_written_into_in_place_is_made_again(content, run,
                                                               tmp_path) -> None:
    """A photo of the site is a hard link to its rendition in the cache: an image optimiser
    run over the published site, writing in place, changed the cache's copy too. The next
    build makes the photo again, as a clean build has it."""
    content({f"{SHOE}/sepatu-kulit.md": with_images("a.jpg"),
             f"{SHOE}/a.jpg": jpeg((1200, 900))})
    assert run("build", "--no-pdf")[0] == 0
    clean = published(tmp_path / "site")
    photo = next((tmp_path / "site" / "media").rglob("*.jpg"))
    assert photo.stat().st_nlink == 2  # the photo and its rendition in the cache
    with open(photo, "r+b") as optimised:
        optimised.truncate(photo.stat().st_size - 10)
    code, out, _ = run("build", "--no-pdf")
    assert code == 0
    assert "; foto: 1 diolah, 0 dari tembolok (site built: " in out
    assert published(tmp_path / "site") == clean


def test_the_cache_cannot_be_inside_the_site(content, run) -> None:
    content()
    code, _, err = run("build", "--content", "content", "--cache", "site/.cache")
    assert code == 2
    assert "bertumpuk dengan folder tembolok/cache" in err


def test_a_unit_photo_goes_through_the_same_pipeline(content, tmp_path) -> None:
    root = content({"facilities/lapas-serang.md": FACILITY.replace(
        "city: Serang", "city: Serang\nphoto: gedung.jpg"),
        "facilities/gedung.jpg": jpeg((1400, 1050))})
    build_site(root, tmp_path / "cache")
    files = published(tmp_path / "site")
    assert "facilities/gedung.jpg" in files and "facilities/gedung-og.jpg" in files
    page = (tmp_path / "site" / "upt" / "lapas-serang" / "index.html").read_text()
    assert 'srcset="/media/facilities/gedung-320.webp 320w' in page
    assert '<meta property="og:image" content="https://uji.example.go.id/media/facilities/' \
           'gedung-og.jpg">' in page


@pytest.mark.parametrize(("head", "found"), [
    (b"\xff\xd8\xff\xe0", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"RIFF\0\0\0\0WEBPVP8 ", "WEBP"),
    (b"GIF89a", "GIF"), (b"\0\0\0\x18ftypheic", "HEIC"), (b"\0\0\0\x18ftypavif", "AVIF"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><svg>", "SVG"), (b"  <svg xmlns=", "SVG"),
    (b"%PDF-1.7", "PDF"), (b"Foto menyusul", None),
])
def test_formats_are_told_by_their_first_bytes(head: bytes, found: str | None) -> None:
    assert sniff(head) == found


def test_demo_photos_are_small_enough_for_the_repository() -> None:
    content = Path(__file__).resolve().parent.parent / "content"
    photos = [p for p in content.rglob("*") if p.suffix in (".jpg", ".png", ".webp")]
    assert len(photos) >= 60
    assert sum(p.stat().st_size for p in photos) < 8_000_000
