"""New: write a starter product or unit file with every field and an Indonesian comment.

The slug comes from the name; an existing file is never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import ContentErrors, Location, did_you_mean, error
from generator.load import shown_path
from generator.model import slugify

PRODUCT = """\
---
# Nama produk (wajib). Product name (required).
name: {name}
# Slug unit pembuat, sama dengan nama folder (wajib). The maker unit.
facility: {facility}
# Slug kategori dari categories.yaml (wajib){choices}. Category slug.
category: {category}
# Satuan jual (wajib): pcs, pasang, kg, lembar, set, botol, bungkus, ...
unit: pcs
# Harga dalam rupiah, angka tanpa titik: 275000. Kosongkan bila harga atas permintaan.
price:
# Harga berlaku sampai (TTTT-BB-HH), boleh kosong.
price_valid_until:
# Nomor produk (SKU), unik; tulis dengan tanda kutip.
sku:
# Merek, boleh kosong.
brand:
# Foto JPEG, PNG atau WebP di folder yang sama, sisi terpendek minimal 300 piksel;
# foto pertama menjadi sampul. Contoh: [foto-1.jpg]
images: []
# Bahan, contoh: [Kulit sapi, Sol karet]
materials: []
# Spesifikasi, "label: nilai" per baris, contoh:  Ukuran: "39-44"
specs: {{}}
# Varian ukuran atau warna, contoh: ["39", "40", "41"]
variants: []
# Stok saat ini (angka), boleh kosong.
stock:
# Kapasitas produksi per bulan (angka), boleh kosong.
capacity_per_month:
# Lama pembuatan dalam hari, boleh kosong.
lead_time_days:
# Pemesanan minimum (angka, paling sedikit 1).
min_order: 1
# Ketersediaan: available, made-to-order, out-of-stock, discontinued
availability: available
# e-Katalog: status draft, submitted, live, inactive; url wajib bila live. Kosongkan bila belum.
ekatalog:
# Kata kunci, contoh: [kulit, pria]
tags: []
# Tampilkan di halaman depan? true atau false
featured: false
# Tanggal pertama kali dicantumkan (TTTT-BB-HH).
added:
# true = belum tampil di situs.
draft: false
# Teks bahasa Inggris (English text), boleh kosong.
en:
  name:
  description:
---
Tulis deskripsi produk di sini: kegunaan, bahan, ukuran, cara perawatan.
"""

FACILITY = """\
---
# Nama unit (wajib), contoh: Lapas Kelas IIA Serang
name: {name}
# Jenis (wajib): lapas, rutan, lpka, lapas-perempuan, lapas-terbuka, lapas-narkotika,
# bapas, rupbasan, other
kind: {kind}
# Kelas: I, IIA, IIB atau III (tulis dengan tanda kutip); kosongkan bila tidak ada.
class:
# Kota atau kabupaten (wajib).
city: "Isi kota"
# Alamat jalan.
address:
# Koordinat untuk tautan peta, contoh: {{lat: -6.12, lon: 106.15}}
location:
# Kontak untuk pembeli: phone, email, whatsapp, website, instagram
contact:
  phone:
  email:
  whatsapp:
# Bengkel kerja, contoh: [Menjahit, Pertukangan kayu]
workshops: []
# Foto unit (JPEG, PNG atau WebP), relatif terhadap berkas ini.
photo:
# Target PNBP per tahun anggaran dalam rupiah, contoh:  2025: 150000000
pnbp_targets: {{}}
# Kendala dan solusi: daftar {{date, challenge, solution, status: open/in-progress/resolved}}
challenges: []
# Teks bahasa Inggris (English text).
en:
  name:
  profile:
---
Tulis profil unit di sini: sejarah singkat, program pembinaan, bengkel kerja.
"""

_KINDS = ("lapas-perempuan", "lapas-terbuka", "lapas-narkotika", "lapas", "rutan", "lpka",
          "bapas", "rupbasan")


def new_file(kind: str, name: str, content: Path, facility: str | None,
             category: str | None) -> Path:
    """Write a starter file for a product or facility; returns its path."""
    slug = slugify(name)
    if not slug:
        _fail(content, "nama harus berisi huruf atau angka", "the name needs letters or digits")
    if kind == "facility":
        guess = next((k for k in _KINDS if slug.startswith(k)), "other")
        return _write(content / "facilities" / f"{slug}.md",
                      FACILITY.format(name=json.dumps(name, ensure_ascii=False), kind=guess))
    facilities = sorted(p.stem for p in (content / "facilities").glob("*.md"))
    if facility not in facilities:
        hint_id, hint_en = did_you_mean(facility or "", facilities)
        _fail(content / "facilities", f"unit \"{facility or ''}\" tidak ada; pakai --facility"
              f" dengan slug unit{hint_id}", f"there is no unit \"{facility or ''}\"; pass"
              f" --facility with a unit slug{hint_en}")
    text = PRODUCT.format(name=json.dumps(name, ensure_ascii=False), facility=facility,
                          category=category or "", choices=_category_choices(content))
    return _write(content / "products" / str(facility) / f"{slug}.md", text)


def _category_choices(content: Path) -> str:
    path = content / "categories.yaml"
    if not path.is_file():
        return ""
    slugs = [line.split(":", 1)[1].strip() for line in path.read_text("utf-8").splitlines()
             if line.strip().startswith("- slug:")]
    return f": {', '.join(slugs)}" if slugs else ""


def _write(path: Path, text: str) -> Path:
    if path.exists():
        _fail(path, "berkas sudah ada dan tidak ditimpa; pilih nama lain",
              "the file already exists and is not overwritten; choose another name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _fail(path: Path, message_id: str, message_en: str) -> None:
    raise ContentErrors([error(Location(shown_path(path)), "", message_id, message_en)])
