"""Images: the photos a catalogue shows → checked, cached, published renditions.

Takes the catalogue's `PhotoRef`s (a content file naming a photo at one of its lines) and gives
`Photos`: the `Picture` of each photo, the files to publish (`media/...` → a finished file in the
cache) and, at the line naming it, a diagnostic for each bad photo. A photo whose renditions are
in the cache is not even opened; the others are checked and rendered by `imaging` in a pool of
processes, one per core. `check_photos` only checks, and writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import imagecache, imaging
from generator.errors import Diagnostic, error, warning
from generator.formats import comma_decimal
from generator.imaging import MAX_PIXELS, OG_FILE, Photos, Picture, Problem, Settings, Shape
from generator.model import PhotoRef
from generator.processes import run_jobs
from generator.urls import media_output, photo_path

MIN_SIDE = 300  # the e-catalogue refuses photos smaller than this on their shortest side
FALLBACK_WIDTH = 640  # the `src` of browsers that do not read `srcset`
SETTINGS = Settings()  # the renditions every build makes
_SHOWN_FORMAT = {"WEBP": "WebP"}


@dataclass(frozen=True)
class Shown:
    """A picture as a template writes it: the fallback JPEG, both `srcset`s, its size."""

    src: str
    srcset: str
    webp_srcset: str
    width: int
    height: int


def publish_photos(refs: Sequence[PhotoRef], content_dir: Path, cache_dir: Path,
                   workers: int | None = None, settings: Settings = SETTINGS) -> Photos:
    """Every photo checked and rendered into the cache, from the cache where it already is."""
    paths = sorted({ref.path for ref in refs})
    memo = imagecache.load_memo(cache_dir)
    remembered = dict(memo)
    entries = _entries(paths, content_dir, cache_dir, memo, settings)
    outcomes, todo = _cached(entries)
    reused = sum(isinstance(outcome, Picture) for outcome in outcomes.values())
    jobs = [(str(content_dir / path), str(entries[path]), settings) for path in todo]
    outcomes |= dict(zip(todo, run_jobs(imaging.render_photo, jobs, workers), strict=True))
    if memo != remembered:
        imagecache.save_memo(cache_dir, memo)
    pictures = {p: o for p, o in sorted(outcomes.items()) if isinstance(o, Picture)}
    files, clashes = _published(refs, pictures, entries)
    return Photos(pictures, files, (*diagnose(refs, outcomes), *clashes), len(todo), reused)


def check_photos(refs: Sequence[PhotoRef], content_dir: Path, cache_dir: Path,
                 workers: int | None = None) -> tuple[Diagnostic, ...]:
    """The diagnostics `publish_photos` would give, found without writing anything: photos
    already in the cache are taken as checked, the others are decoded in full."""
    paths = sorted({ref.path for ref in refs})
    entries = _entries(paths, content_dir, cache_dir, imagecache.load_memo(cache_dir),
                       SETTINGS)
    outcomes, todo = _cached(entries)
    jobs = [(content_dir / path,) for path in todo]
    outcomes |= dict(zip(todo, run_jobs(imaging.inspect_photo, jobs, workers), strict=True))
    planned = {path: Picture(o.width, o.height, imaging.plan_widths(o.width, SETTINGS))
               for path, o in outcomes.items() if not isinstance(o, Problem)}
    _, clashes = _published(refs, planned, entries)
    return (*diagnose(refs, outcomes), *clashes)


def _entries(paths: Sequence[str], content_dir: Path, cache_dir: Path, memo: imagecache.Memo,
             settings: Settings) -> dict[str, Path | None]:
    """The cache folder of each photo, or None when the photo cannot be read."""
    fingerprint = settings.fingerprint()
    entries: dict[str, Path | None] = {}
    for path in paths:
        digest = imagecache.digest(content_dir / path, memo)
        entries[path] = imagecache.entry_dir(cache_dir, digest, fingerprint) if digest else None
    return entries


def _cached(entries: Mapping[str, Path | None]
            ) -> tuple[dict[str, Picture | Shape | Problem], list[str]]:
    """What the cache already knows of each photo, and the photos it does not know."""
    outcomes: dict[str, Picture | Shape | Problem] = {}
    todo = []
    for path, entry in entries.items():
        picture = imaging.read_entry(entry) if entry else None
        if entry is None:
            outcomes[path] = Problem("unreadable")
        elif picture is None:
            todo.append(path)
        else:
            outcomes[path] = picture
    return outcomes, todo


def rendition(path: str, picture: Picture, width: int, kind: str = "jpg") -> str:
    """Where one rendition of the photo at content path `path` is published, inside `media/`."""
    if kind == "jpg" and width == picture.widths[-1]:
        return photo_path(path)
    return photo_path(path, width, "webp" if kind == "webp" else "jpg")


def rendition_files(path: str, picture: Picture, cover: bool) -> dict[str, str]:
    """Each published rendition (path inside `media/`) → its file name in the cache entry;
    the Open Graph card only for a cover photo."""
    files = {}
    for width in picture.widths:
        files[rendition(path, picture, width, "webp")] = f"{width}.webp"
        files[rendition(path, picture, width)] = f"{width}.jpg"
    if cover:
        files[photo_path(path, kind="og")] = OG_FILE
    return files


def _published(refs: Sequence[PhotoRef], pictures: Mapping[str, Picture],
               entries: Mapping[str, Path | None]) -> tuple[dict[str, Path], list[Diagnostic]]:
    """The site files of every picture, and an error for a photo whose file names another
    photo already takes (`sepatu.png` and `sepatu.jpg` both publish `sepatu.jpg`)."""
    covers = {ref.path for ref in refs if ref.is_cover}
    first = {ref.path: ref for ref in sorted(refs, reverse=True)}
    owners: dict[str, str] = {}
    files: dict[str, Path] = {}
    clashes = []
    for path, picture in pictures.items():
        names = rendition_files(path, picture, path in covers)
        taken = sorted((name for name in names if name in owners),
                       key=lambda name: (name != photo_path(path), name))  # its main file first
        if taken:
            clashes.append(_clash(first[path], taken[0], owners[taken[0]]))
            continue
        owners |= dict.fromkeys(names, path)
        entry = entries[path] or Path()  # a picture always has its entry
        files |= {media_output(name): entry / file for name, file in names.items()}
    return files, clashes


def shown(path: str, picture: Picture, href: Callable[[str], str]) -> Shown:
    """The picture of the photo at content path `path`; `href` links a path inside `media/`."""
    def srcset(kind: str) -> str:
        return ", ".join(f"{href(rendition(path, picture, w, kind))} {w}w"
                         for w in picture.widths)

    fallback = max((w for w in picture.widths if w <= FALLBACK_WIDTH), default=picture.widths[0])
    largest = picture.widths[-1]
    return Shown(href(rendition(path, picture, fallback)), srcset("jpg"), srcset("webp"),
                 largest, picture.height_at(largest))


def diagnose(refs: Sequence[PhotoRef],
             outcomes: Mapping[str, Picture | Shape | Problem]) -> list[Diagnostic]:
    """An error for each bad photo and a warning for each small one, at every line naming it."""
    found = []
    for ref in refs:
        outcome = outcomes[ref.path]
        if isinstance(outcome, Problem):
            found.append(error(ref.where, ref.field, *explain(outcome, ref.written)))
        elif min(outcome.width, outcome.height) < MIN_SIDE:
            found.append(warning(
                ref.where, ref.field,
                f"gambar \"{ref.written}\" hanya {outcome.width} × {outcome.height} piksel;"
                f" e-Katalog menolak foto yang sisi terpendeknya kurang dari {MIN_SIDE} piksel",
                f"image \"{ref.written}\" is only {outcome.width} × {outcome.height} pixels;"
                f" the e-catalogue refuses photos under {MIN_SIDE} pixels on the shortest side"))
    return found


def explain(problem: Problem, written: str) -> tuple[str, str]:
    """What is wrong with a photo and what to do, in Indonesian and in English."""
    kind, shown_format = problem.kind, _SHOWN_FORMAT.get(problem.format, problem.format)
    if kind == "unreadable":
        return (f"berkas gambar \"{written}\" tidak dapat dibaca; periksa izin berkasnya",
                f"image file \"{written}\" cannot be read; check its permissions")
    if kind == "unknown":
        return (f"berkas \"{written}\" bukan gambar JPEG, PNG atau WebP; isinya tidak dikenali",
                f"file \"{written}\" is not a JPEG, PNG or WebP image; its content is unknown")
    if kind == "format":
        return (f"gambar \"{written}\" berformat {shown_format}; simpan ulang sebagai JPEG, PNG"
                " atau WebP",
                f"image \"{written}\" is in {shown_format} format; save it again as JPEG, PNG"
                " or WebP")
    if kind == "extension":
        renamed = os.path.splitext(written)[0] + imaging.SUFFIXES[problem.format][0]
        return (f"berkas \"{written}\" berisi gambar {shown_format}; ganti nama berkasnya, dan"
                f" nama yang ditulis di sini, menjadi \"{renamed}\"",
                f"file \"{written}\" holds a {shown_format} image; rename the file, and the name"
                f" written here, to \"{renamed}\"")
    if kind == "too-large":
        return _too_large(problem, written)
    return (f"gambar \"{written}\" rusak atau terpotong; salin ulang berkas aslinya dari kamera"
            " atau ponsel",
            f"image \"{written}\" is damaged or cut short; copy the original file from the camera"
            " or phone again")


def _too_large(problem: Problem, written: str) -> tuple[str, str]:
    limit = MAX_PIXELS // 1_000_000
    advice_id = "perkecil dulu, misalnya menjadi 4000 × 3000 piksel"
    advice_en = "make it smaller first, for example 4000 × 3000 pixels"
    if not problem.width:
        return (f"gambar \"{written}\" lebih dari {limit} megapiksel; {advice_id}",
                f"image \"{written}\" is over {limit} megapixels; {advice_en}")
    size = f"{problem.width} × {problem.height}"
    megapixels = problem.width * problem.height / 1_000_000
    return (f"gambar \"{written}\" berukuran {size} piksel ({comma_decimal(megapixels, 1)}"
            f" megapiksel), lebih dari batas {limit} megapiksel; {advice_id}",
            f"image \"{written}\" is {size} pixels ({megapixels:.1f} megapixels), over the limit of"
            f" {limit} megapixels; {advice_en}")


def _clash(ref: PhotoRef, name: str, owner: str) -> Diagnostic:
    return error(ref.where, ref.field,
                 f"foto \"{ref.written}\" akan terbit sebagai media/{name}, nama yang sudah"
                 f" dipakai foto {owner}; ganti nama salah satu berkas",
                 f"photo \"{ref.written}\" would be published as media/{name}, a name photo"
                 f" {owner} already takes; rename one of the files")
