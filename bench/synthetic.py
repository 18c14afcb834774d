"""A synthetic catalogue for benchmarks: the demo's units and categories, N made-up products.

`python bench/synthetic.py OUT [COUNT]` writes a content folder to OUT (20,000 products unless
told). The same count always gives the same files: names, prices, statuses and dates come from a
seeded random generator. Every product has an English name; some descriptions say "dijual", so
an Indonesian stem search has something to find.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content"
SEED = 20250101
# (category, Indonesian noun, English noun, unit of sale, typical price)
GOODS = (
    ("alas-kaki", "Sepatu", "Shoes", "pasang", 250_000),
    ("alas-kaki", "Sandal", "Sandals", "pasang", 90_000),
    ("pakaian", "Kaos", "T-shirt", "pcs", 60_000),
    ("pakaian", "Kemeja", "Shirt", "pcs", 150_000),
    ("batik-tekstil", "Kain Batik", "Batik Fabric", "lembar", 300_000),
    ("batik-tekstil", "Tas", "Bag", "pcs", 120_000),
    ("perlengkapan-ibadah", "Sajadah", "Prayer Rug", "pcs", 110_000),
    ("perlengkapan-ibadah", "Peci", "Prayer Cap", "pcs", 45_000),
    ("makanan-minuman", "Keripik", "Crisps", "bungkus", 20_000),
    ("makanan-minuman", "Kopi Bubuk", "Ground Coffee", "bungkus", 55_000),
    ("mebel-kerajinan", "Meja", "Table", "unit", 1_500_000),
    ("mebel-kerajinan", "Kursi", "Chair", "unit", 650_000),
    ("keramik-suvenir", "Mug", "Mug", "pcs", 35_000),
    ("perkakas-dapur", "Talenan", "Cutting Board", "pcs", 75_000),
    ("hasil-pertanian", "Jahe Merah", "Red Ginger", "kg", 40_000),
    ("alat-musik", "Gitar", "Guitar", "unit", 1_200_000),
)
# (Indonesian, English) words that tell products of one kind apart
QUALITIES = (
    ("Kulit", "Leather"), ("Kayu Jati", "Teak"), ("Katun", "Cotton"), ("Anyaman", "Woven"),
    ("Bordir", "Embroidered"), ("Ecoprint", "Ecoprint"), ("Hitam", "Black"), ("Biru", "Blue"),
    ("Merah", "Red"), ("Hijau", "Green"), ("Motif Banten", "Banten Pattern"),
    ("Polos", "Plain"), ("Premium", "Premium"), ("Ekonomis", "Budget"), ("Anak", "Children's"),
    ("Dewasa", "Adult"), ("Besar", "Large"), ("Kecil", "Small"), ("Lipat", "Folding"),
    ("Sablon", "Printed"),
)
SENTENCES = (
    "Dibuat oleh warga binaan di bengkel kerja dengan bahan pilihan.",
    "Dijual satuan maupun grosir untuk instansi dan masyarakat umum.",
    "Cocok untuk kantor, sekolah, dan hadiah acara resmi.",
    "Pengerjaan rapi dan diperiksa satu per satu sebelum dikirim.",
    "Dapat dipesan dengan logo atau warna sesuai permintaan.",
)
AVAILABILITY = ("available",) * 6 + ("made-to-order",) * 2 + ("out-of-stock", "discontinued")
STATUSES = (None, None, "live", "live", "submitted", "draft", "inactive")


def write_catalogue(out: Path, count: int) -> Path:
    """Write a content folder with the demo's units and categories and `count` products."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(DEMO / "site.yaml", out / "site.yaml")
    shutil.copy(DEMO / "categories.yaml", out / "categories.yaml")
    shutil.copytree(DEMO / "facilities", out / "facilities")
    facilities = sorted(p.stem for p in (out / "facilities").glob("*.md"))
    rng = random.Random(SEED)
    for number in range(1, count + 1):
        facility = rng.choice(facilities)
        slug, text = product_file(rng, number, facility)
        path = out / "products" / facility / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def product_file(rng: random.Random, number: int, facility: str) -> tuple[str, str]:
    """A product's slug and file: front matter and a short description."""
    category, noun, noun_en, unit, typical = rng.choice(GOODS)
    (quality, quality_en), (other, other_en) = rng.sample(QUALITIES, 2)
    name = f"{noun} {quality} {other} {number}"
    slug = f"produk-{number:05d}"
    lines = ["---", f"name: {name}", f"facility: {facility}", f"category: {category}",
             f"unit: {unit}"]
    if rng.random() > 0.05:
        lines.append(f"price: {round(typical * rng.lognormvariate(0, 0.6), -3):.0f}")
    lines.append(f"availability: {rng.choice(AVAILABILITY)}")
    status = rng.choice(STATUSES)
    if status:
        lines += ["ekatalog:", f"  status: {status}",
                  f'  url: "https://katalog.example.go.id/produk/{slug}"']
    added = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1000))
    lines += [f"added: {added.isoformat()}", "en:",
              f"  name: {quality_en} {other_en} {noun_en} {number}", "---", ""]
    lines.append(" ".join(rng.sample(SENTENCES, 3)))
    return slug, "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    print(write_catalogue(target, total))
