"""The whole pipeline on the demo content: deterministic, and complete."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_demo(out: Path, hash_seed: str, cache: Path) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(ROOT / "content"),
         "--out", str(out), "--cache", str(cache)], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_two_builds_of_the_demo_are_byte_identical(tmp_path: Path, photo_cache: Path) -> None:
    # Cold photo work is shown byte-identical in test_images; here the cache is shared.
    build_demo(tmp_path / "a", "1", photo_cache)
    build_demo(tmp_path / "b", "2", photo_cache)
    first, second = digest_tree(tmp_path / "a"), digest_tree(tmp_path / "b")
    assert len(first) > 100
    assert sum(name.startswith("media/") and name.endswith(".webp") for name in first) > 300
    assert first == second


def test_the_demo_site_has_every_page_kind(tmp_path: Path, photo_cache: Path) -> None:
    build_demo(tmp_path / "site", "0", photo_cache)
    site = tmp_path / "site"
    for page in ("index.html", "404.html", "sitemap.xml", "robots.txt", "produk/index.html",
                 "produk/sepatu-pantofel-kulit-pria/index.html", "upt/lapas-serang/index.html",
                 "kategori/alas-kaki/index.html", "e-katalog/index.html",
                 "statistik/index.html", "tentang/index.html", "en/index.html",
                 "en/products/sepatu-pantofel-kulit-pria/index.html",
                 "en/facilities/lapas-serang/index.html", "en/statistics/index.html",
                 "data/products.json", "data/products.csv", "data/facilities.json",
                 "data/stats.json"):
        assert (site / page).is_file(), page
    assert "Data contoh" in (site / "index.html").read_text(encoding="utf-8")


def test_product_and_unit_pages_link_to_their_file_in_the_web_editor(demo_site: Path) -> None:
    product = (demo_site / "produk/sepatu-pantofel-kulit-pria/index.html").read_text("utf-8")
    unit = (demo_site / "en/facilities/lapas-serang/index.html").read_text("utf-8")
    editor = "https://gitlab.example.go.id/kanwil-banten/etalase/-/edit/main/content/"
    assert (f'<a href="{editor}products/lapas-serang/sepatu-pantofel-kulit-pria.md"'
            ' rel="nofollow">Ubah halaman ini</a>') in product
    assert f'<a href="{editor}facilities/lapas-serang.md" rel="nofollow">Edit this page</a>' in unit
