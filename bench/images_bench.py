"""`make bench-images`: the photo pipeline on many phone-sized photos.

    .venv/bin/python bench/images_bench.py [--count 500] [--jobs N]

Draws `--count` distinct synthetic photos of 4000×3000 (JPEG at quality 90 with EXIF, GPS and,
on every fourth, a portrait orientation: what a phone gives) into a temporary content folder,
one product each, then builds the site with a new, empty photo cache (cold), again (warm), and
runs the image stage alone on the warm cache, and the placing of the published photo files
(hard links into the cache) alone. Prints wall-clock and CPU seconds, and the bytes
of the photos against the bytes published. Target: a warm rebuild spends under 1 s on images.
Nothing is asserted; the machine's other load shows in the wall-clock times, so CPU times are
printed too.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from generator import images, load, validate, write  # noqa: E402
from generator.build import BuildOptions, build  # noqa: E402

SIZE = (4000, 3000)
T = TypeVar("T")
SITE = ("title: Bangku Uji Foto\norganization: Kanwil Uji\n"
        "base_url: https://uji.example.go.id/\n")
CATEGORIES = "- slug: uji\n  name: Uji\n"
FACILITY = "---\nname: Lapas Uji\nkind: lapas\ncity: Serang\n---\nProfil.\n"
PRODUCT = ("---\nname: Produk {n}\nfacility: lapas-uji\ncategory: uji\nunit: pcs\n"
           "images:\n  - foto-{n}.jpg\n---\nDeskripsi.\n")


def phone_photo(number: int) -> bytes:
    """A distinct 4000×3000 JPEG with the detail, noise and metadata of a phone photo."""
    rng = random.Random(number)
    small = Image.new("RGB", (SIZE[0] // 8, SIZE[1] // 8), tuple(rng.randrange(256)
                                                                 for _ in range(3)))
    draw = ImageDraw.Draw(small)
    for _ in range(60):
        x, y, r = rng.randrange(500), rng.randrange(375), rng.randrange(8, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256)
                                                              for _ in range(3)))
    photo = Image.blend(small.resize(SIZE, Image.Resampling.BICUBIC),
                        Image.effect_noise(SIZE, 50).convert("RGB"), 0.2)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Kamera Ponsel", "Model Uji"
    exif[0x0112] = 6 if number % 4 == 0 else 1
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, float(number % 60)), 3: "E", 4: (106.0, 9.0, 2.0)}
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def write_photo(folder: str, number: int) -> int:
    data = phone_photo(number)
    Path(folder, f"foto-{number:04d}.jpg").write_bytes(data)
    return len(data)


def parallel(function: Callable[..., T], jobs: list[tuple[object, ...]]) -> list[T]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=context) as pool:
        return list(pool.map(function, *zip(*jobs, strict=True)))


def make_content(root: Path, count: int) -> int:
    """The content folder with `count` products and photos; returns the photos' bytes."""
    folder = root / "products" / "lapas-uji"
    folder.mkdir(parents=True)
    (root / "facilities").mkdir()
    (root / "site.yaml").write_text(SITE)
    (root / "categories.yaml").write_text(CATEGORIES)
    (root / "facilities" / "lapas-uji.md").write_text(FACILITY)
    for n in range(count):
        (folder / f"produk-{n:04d}.md").write_text(PRODUCT.format(n=f"{n:04d}"))
    return sum(parallel(write_photo, [(str(folder), n) for n in range(count)]))


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = function()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(count: int, jobs: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="etalase-bench-") as tmp:
        content, cache = Path(tmp) / "content", Path(tmp) / "cache"
        options = BuildOptions(content_dir=content, output_dir=Path(tmp) / "site",
                               cache_dir=cache, workers=jobs)
        photo_bytes, made, _ = timed(lambda: make_content(content, count))
        print(f"{count} photos of {SIZE[0]}×{SIZE[1]} drawn in {made:.1f} s: "
              f"{photo_bytes / 1e6:.1f} MB, {photo_bytes / count / 1e6:.2f} MB each")
        cold, cold_wall, cold_cpu = timed(lambda: build(options))
        warm, warm_wall, warm_cpu = timed(lambda: build(options))
        catalog, _ = validate.build_catalog(load.load_sources(content))
        assert catalog is not None
        stage, stage_wall, stage_cpu = timed(
            lambda: images.publish_photos(catalog.photos, content, cache, jobs))
        _, place_wall, place_cpu = timed(
            lambda: write.publish({}, Path(tmp) / "placed", warm.photos.files))
        (cache / "sources.json").unlink()
        rehash, rehash_wall, rehash_cpu = timed(
            lambda: images.publish_photos(catalog.photos, content, cache, jobs))
        media = tree_bytes(options.output_dir / "media")
        report(count, [("cold build", cold.photos.processed, cold_wall, cold_cpu),
                       ("warm build", warm.photos.processed, warm_wall, warm_cpu),
                       ("warm, image stage alone", stage.processed, stage_wall, stage_cpu),
                       ("warm, placing the photo files alone", 0, place_wall, place_cpu),
                       ("warm, stage, digests not remembered", rehash.processed, rehash_wall,
                        rehash_cpu)])
        print(f"\ninput {photo_bytes / 1e6:.1f} MB → published {media / 1e6:.1f} MB "
              f"({media / photo_bytes:.1%}) in {len(warm.photos.files)} files; "
              f"cache {tree_bytes(cache) / 1e6:.1f} MB")
        phone = tree_bytes_of(options.output_dir / "media", "-640.webp")
        print(f"a 640 px WebP (a phone's card or gallery photo): {phone / count / 1e3:.0f} KB "
              "on average")


def tree_bytes_of(folder: Path, suffix: str) -> int:
    return sum(p.stat().st_size for p in folder.rglob(f"*{suffix}"))


def report(count: int, rows: list[tuple[str, int, float, float]]) -> None:
    print(f"\n{'run':<38} {'processed':>9} {'wall s':>8} {'cpu s':>8} {'ms/photo':>9}")
    for name, processed, wall, cpu in rows:
        print(f"{name:<38} {processed:>9} {wall:>8.2f} {cpu:>8.2f} {wall / count * 1000:>9.1f}")
    print(f"({os.cpu_count()} cores; cpu s counts every process, workers included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    run(args.count, args.jobs)


if __name__ == "__main__":
    main()
