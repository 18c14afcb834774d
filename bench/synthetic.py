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


def product_file(rng: random.Random, number: int, facility: str,
                 rich: bool = False) -> tuple[str, str]:
    """A product's slug and file: front matter and a short description (`rich`: a longer
    body with materials, tags, a list and a link)."""
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
    if rich:
        lines += ["materials:", f"  - {quality}", "tags:", f"  - {noun.lower().split()[0]}",
                  f"min_order: {rng.randrange(1, 20)}", f"stock: {rng.randrange(0, 500)}"]
    lines += [f"added: {added.isoformat()}", "en:",
              f"  name: {quality_en} {other_en} {noun_en} {number}", "---", ""]
    lines.append(rich_body(rng, slug) if rich else " ".join(rng.sample(SENTENCES, 3)))
    return slug, "\n".join(lines) + "\n"


KINDS = ("lapas", "rutan", "lpka", "bapas", "rupbasan")
CITIES = ("Kota Serang", "Kota Tangerang", "Kota Cilegon", "Kabupaten Lebak",
          "Kabupaten Pandeglang", "Kota Bandung", "Kota Semarang", "Kota Surabaya",
          "Kota Medan", "Kota Makassar")
WORDS = ("bengkel", "kerja", "warga", "binaan", "bahan", "kualitas", "pesanan", "instansi",
         "pelatihan", "produksi", "kerajinan", "tangan", "rapi", "kuat", "awet", "pilihan",
         "harga", "terjangkau", "pengiriman", "seluruh", "wilayah", "sekolah", "kantor", "desain")


def write_scale_catalogue(out: Path, count: int) -> Path:
    """A national-scale content folder: `count` products with three paragraphs, a list and a
    link each, over count/50 generated units (no photos), and a year of sales."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(DEMO / "site.yaml", out / "site.yaml")
    shutil.copy(DEMO / "categories.yaml", out / "categories.yaml")
    rng = random.Random(SEED)
    facilities = [f"unit-{n:04d}" for n in range(1, max(1, count // 50) + 1)]
    (out / "facilities").mkdir()
    for number, slug in enumerate(facilities, start=1):
        (out / "facilities" / f"{slug}.md").write_text(facility_file(rng, number), "utf-8")
    slugs = []
    for number in range(1, count + 1):
        facility = facilities[(number - 1) % len(facilities)]
        slug, text = product_file(rng, number, facility, rich=True)
        path = out / "products" / facility / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        slugs.append(slug)
    (out / "transactions").mkdir()
    (out / "transactions" / "penjualan-2025.csv").write_text(sales_file(rng, slugs), "utf-8")
    return out


def facility_file(rng: random.Random, number: int) -> str:
    """A generated unit: kind, city, address, contact, workshops, a PNBP target."""
    kind = KINDS[number % len(KINDS)]
    city = rng.choice(CITIES)
    return "\n".join([
        "---", f"name: {kind.title()} Sintetis {number}", f"kind: {kind}", f"city: {city}",
        f"address: Jl. Pemasyarakatan No. {number}, {city}", "contact:",
        f'  phone: "(021) {200000 + number}"', f'  email: "unit{number}@example.go.id"',
        "workshops:", "  - Konfeksi", "  - Mebel kayu", "pnbp_targets:",
        f"  2025: {rng.randrange(10, 90) * 1_000_000}", "---", "",
        f"Unit sintetis nomor {number} untuk uji skala.", ""])


def sales_file(rng: random.Random, slugs: list[str]) -> str:
    """One sale per ten products, dated in 2025."""
    rows = []
    for _ in range(max(1, len(slugs) // 10)):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append(f"{day.isoformat()},{rng.choice(slugs)},{rng.randrange(1, 50)},"
                    f"{rng.randrange(10, 500) * 1000},Pembeli umum,public,direct,,")
    header = "date,product,quantity,unit_price,buyer,buyer_type,channel,pnbp,note"
    return "\n".join([header, *sorted(rows)]) + "\n"


def rich_body(rng: random.Random, slug: str) -> str:
    """Three paragraphs of Indonesian-like text, a list and a link."""
    def paragraph() -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(30, 60)))
        return " ".join(rng.sample(SENTENCES, 2)) + " " + words.capitalize() + "."
    items = "\n".join(f"- {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
                      for _ in range(4))
    link = f"Lihat juga [katalog elektronik](https://katalog.example.go.id/produk/{slug})."
    return "\n\n".join([paragraph(), paragraph(), items, paragraph(), link])


if __name__ == "__main__":
    target = Path(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    print(write_catalogue(target, total))
