"""Imaging: one photo file → its published renditions, with Pillow; or what is wrong with it.

Runs inside the worker processes of `images`, so it knows nothing of content files or editors:
it takes a path and gives a `Picture` (the files it wrote) or a `Problem` (why it cannot).

A photo is trusted as little as possible. Its format comes from its first bytes, never from its
name, and only the JPEG, PNG and WebP decoders are ever run; the size is read from the header and
refused above `MAX_PIXELS` before any pixel is decoded; the whole image is then decoded, so a
truncated file is caught. Published files are new images: EXIF orientation applied, colours
converted to sRGB, then nothing of the original's metadata (EXIF, GPS, XMP, IPTC, comments,
thumbnails, colour profile) is written.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import PIL
from PIL import Image, ImageCms, ImageFile, ImageOps, features
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile
from PIL.WebPImagePlugin import WebPImageFile

if TYPE_CHECKING:
    from generator.errors import Diagnostic

PIPELINE_VERSION = 1  # raise when the output of `render_photo` changes for the same settings
MAX_PIXELS = 40_000_000
META = "meta.json"
OG_FILE = "og.jpg"
_DECODERS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImageFile, "PNG": PngImageFile, "WEBP": WebPImageFile}
SUFFIXES = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
_ROTATED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# What a broken file makes Pillow's decoders raise: the errors `Image.open` turns into
# "cannot identify image file", and those `ImageFile.load` lets through.
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error,
            zlib.error)

ProblemKind = Literal["unreadable", "unknown", "format", "extension", "too-large", "damaged"]


@dataclass(frozen=True)
class Photos:
    """The outcome of the image stage."""

    pictures: Mapping[str, Picture] = field(default_factory=dict)  # by content path
    files: Mapping[str, Path] = field(default_factory=dict)  # site path → file in the cache
    diagnostics: tuple[Diagnostic, ...] = ()
    processed: int = 0  # photos decoded and rendered in this run
    reused: int = 0  # photos whose renditions were in the cache already


@dataclass(frozen=True)
class Settings:
    """How renditions are made; every field is part of the cache key."""

    widths: tuple[int, ...] = (320, 480, 640, 1024, 1600)
    webp_quality: int = 78
    jpeg_quality: int = 80
    og_size: tuple[int, int] = (1200, 630)
    og_background: tuple[int, int, int] = (246, 241, 233)  # the site's sand colour

    def fingerprint(self) -> str:
        """The settings and the encoder versions, as text: a new version means new bytes."""
        versions = (PIL.__version__, features.version("jpg"), features.version("webp"),
                    features.version("littlecms2"))
        return json.dumps([PIPELINE_VERSION, asdict(self), versions], sort_keys=True)


@dataclass(frozen=True)
class Shape:
    """Width and height of a photo as shown, EXIF orientation applied."""

    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A published photo: its size as shown, and the widths of its renditions (ascending).

    Each width has `<width>.webp` and `<width>.jpg` in the cache entry, plus `og.jpg`.
    """

    width: int
    height: int
    widths: tuple[int, ...]

    def height_at(self, width: int) -> int:
        """The height of the rendition `width` pixels wide."""
        return max(1, round(self.height * width / self.width))


@dataclass(frozen=True)
class Problem:
    """Why a photo cannot be published: the kind, the format found, its size when known."""

    kind: ProblemKind
    format: str = ""
    width: int = 0
    height: int = 0


def sniff(head: bytes) -> str | None:
    """The format named by a file's first bytes: JPEG, PNG, WEBP, or another we refuse."""
    signatures = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF8", "GIF"),
                  (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"%PDF", "PDF"))
    for signature, name in signatures:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIC"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in text:
        return "SVG"
    return None


def open_photo(path: Path) -> ImageFile.ImageFile | Problem:
    """The photo with its header read and checked, no pixel decoded yet; or its problem."""
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError:
        return Problem("unreadable")
    found = sniff(head)
    if found is None:
        return Problem("unknown")
    if found not in _DECODERS:
        return Problem("format", found)
    if path.suffix.lower() not in SUFFIXES[found]:
        return Problem("extension", found)
    try:
        image = _DECODERS[found](str(path))
    except Image.DecompressionBombError:
        return Problem("too-large", found)
    except _DAMAGED:
        return Problem("damaged", found)
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        return Problem("too-large", found, width, height)
    return image


def _rotated(image: ImageFile.ImageFile) -> bool:
    """True when EXIF orientation turns the photo a quarter: width and height swap."""
    return image.getexif().get(0x0112) in _ROTATED


def _shape(size: tuple[int, int], rotated: bool) -> Shape:
    return Shape(size[1], size[0]) if rotated else Shape(*size)


def inspect_photo(path: Path) -> Shape | Problem:
    """Check a photo fully, decoding every pixel, without writing anything."""
    image = open_photo(path)
    if isinstance(image, Problem):
        return image
    with image:
        try:
            image.load()
            return _shape(image.size, _rotated(image))  # a PNG's EXIF may follow its pixels
        except _DAMAGED:
            return Problem("damaged", image.format or "")


def plan_widths(width: int, settings: Settings) -> tuple[int, ...]:
    """Rendition widths for a photo `width` pixels wide: never wider than the photo itself,
    and no step within 10% of the largest."""
    largest = min(width, settings.widths[-1])
    return (*(w for w in settings.widths if w < largest * 0.9), largest)


def render_photo(source: str, entry: str, settings: Settings) -> Picture | Problem:
    """Check `source` and write its renditions and `meta.json` into the folder `entry`.

    The folder appears whole or not at all: files are written beside it, then renamed.
    """
    image = open_photo(Path(source))
    if isinstance(image, Problem):
        return image
    with image:
        size = image.size  # before `draft` may decode a JPEG at a smaller scale
        try:
            base = _decoded(image, settings)
            shape = _shape(size, _rotated(image))
        except _DAMAGED:
            return Problem("damaged", image.format or "")
    picture = Picture(shape.width, shape.height, plan_widths(shape.width, settings))
    _write_entry(Path(entry), _encoded(base, picture, settings), picture)
    return picture


def _decoded(image: ImageFile.ImageFile, settings: Settings) -> Image.Image:
    """Every pixel decoded (a JPEG at the smallest scale still wider than the largest rendition),
    upright, in sRGB, without transparency."""
    if image.format == "JPEG":
        rotated = _rotated(image)
        wanted = min(_shape(image.size, rotated).width, settings.widths[-1])
        image.draft("RGB", (1, wanted) if rotated else (wanted, 1))
    image.load()
    upright = ImageOps.exif_transpose(image)
    return _as_srgb(upright, image.info.get("icc_profile"))


def _as_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    if image.mode in ("RGB", "CMYK") and profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except ImageCms.PyCMSError:
            converted = None  # a broken profile: the pixels are shown as they are
        if converted is not None:
            return converted
    if image.mode.startswith("I"):  # 16-bit greyscale: keep the top 8 bits
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _encoded(base: Image.Image, picture: Picture, settings: Settings) -> dict[str, bytes]:
    """Every file of the entry: each width in WebP and JPEG (from the next larger, which is
    sharper and faster than from the original), and the Open Graph image."""
    files: dict[str, bytes] = {}
    larger = base
    for width in reversed(picture.widths):
        size = (width, picture.height_at(width))
        larger = larger.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        files[f"{width}.webp"] = _save(larger, "WEBP", quality=settings.webp_quality, method=4)
        files[f"{width}.jpg"] = _save(larger, "JPEG", quality=settings.jpeg_quality,
                                      optimize=True, progressive=True)
        if width == picture.widths[-1]:
            files[OG_FILE] = _og_image(larger, settings)
    return files


def _og_image(image: Image.Image, settings: Settings) -> bytes:
    """The whole photo, never cropped nor enlarged, centred on a sand-coloured 1200×630 card."""
    fitted = image.copy()
    fitted.thumbnail(settings.og_size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    card = Image.new("RGB", settings.og_size, settings.og_background)
    width, height = settings.og_size
    card.paste(fitted, ((width - fitted.width) // 2, (height - fitted.height) // 2))
    return _save(card, "JPEG", quality=82, optimize=True, progressive=True)


def _save(image: Image.Image, file_format: str, **options: object) -> bytes:
    """Encoded bytes of a new image: Pillow writes no metadata unless asked, and none is."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def _write_entry(entry: Path, files: dict[str, bytes], picture: Picture) -> None:
    staging = entry.with_name(f"{entry.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, data in sorted(files.items()):
        (staging / name).write_bytes(data)
    (staging / META).write_text(json.dumps(asdict(picture), sort_keys=True), encoding="utf-8")
    if entry.exists() and read_entry(entry) is None:
        shutil.rmtree(entry)  # a damaged entry, made whole again
    try:
        staging.rename(entry)
    except OSError:  # another build wrote the same entry first: its files are the same
        shutil.rmtree(staging)
        if read_entry(entry) is None:
            raise


def entry_files(picture: Picture) -> tuple[str, ...]:
    """The names of the files a cache entry holds besides `meta.json`."""
    return (*(f"{w}.{kind}" for w in picture.widths for kind in ("webp", "jpg")), OG_FILE)


def read_entry(entry: Path) -> Picture | None:
    """The picture a complete cache entry holds, or None (no entry, or a damaged one)."""
    try:
        meta = json.loads((entry / META).read_text(encoding="utf-8"))
        picture = Picture(int(meta["width"]), int(meta["height"]),
                          tuple(int(w) for w in meta["widths"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not picture.widths or not all((entry / name).is_file() for name in entry_files(picture)):
        return None
    return picture
