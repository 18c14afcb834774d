"""Schema: the content models → JSON Schema documents for editors' tools.

Generated from the same pydantic models that validation uses, so the schema and the checks
never disagree. Fields the generator fills in itself (slug, source, body) are left out; every
field carries an Indonesian description with the English after it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from generator.model import Category, Facility, Page, Product, Record, SiteConfig

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
KINDS: dict[str, type[Record]] = {
    "site": SiteConfig, "categories": Category, "facility": Facility, "product": Product,
    "page": Page,
}
TITLES = {
    "site": "site.yaml", "categories": "categories.yaml", "facility": "facilities/<slug>.md",
    "product": "products/<unit>/<slug>.md", "page": "pages/<slug>.md",
}
HELP: dict[str, tuple[str, str]] = {
    "title": ("Judul", "Title"),
    "description": ("Deskripsi singkat", "Short description"),
    "organization": ("Nama kantor induk", "Parent office"),
    "base_url": ("Alamat situs, misalnya https://etalase.example.go.id/", "Site address"),
    "languages": ("Bahasa situs; yang pertama adalah bahasa utama", "Site languages"),
    "contact": ("Kontak", "Contact"),
    "email": ("Alamat e-mail", "E-mail address"),
    "phone": ("Nomor telepon, dalam tanda kutip", "Phone number, quoted"),
    "whatsapp": ("Nomor WhatsApp, dalam tanda kutip", "WhatsApp number, quoted"),
    "address": ("Alamat jalan", "Street address"),
    "website": ("Situs web (https://...)", "Website"),
    "instagram": ("Akun Instagram", "Instagram account"),
    "ekatalog_url": ("Alamat e-Katalog sektoral", "Sectoral e-catalogue address"),
    "pnbp_rate": ("Bagian penjualan yang disetor sebagai PNBP (0 sampai 1)",
                  "Share of a sale deposited as PNBP (0 to 1)"),
    "sample_data": ("true bila angka di situs hanya contoh", "true when figures are examples"),
    "repository": ("Repositori sumber untuk tautan Ubah halaman ini", "Source repository"),
    "slug": ("Slug: huruf kecil, angka dan tanda hubung", "Slug: lowercase, digits, hyphens"),
    "name": ("Nama", "Name"),
    "en": ("Teks bahasa Inggris", "English text"),
    "kind": ("Jenis unit", "Kind of unit"),
    "class": ("Kelas unit", "Class of the unit"),
    "city": ("Kota atau kabupaten", "City or regency"),
    "location": ("Koordinat untuk tautan peta", "Coordinates for a map link"),
    "lat": ("Lintang (-90 sampai 90)", "Latitude"),
    "lon": ("Bujur (-180 sampai 180)", "Longitude"),
    "workshops": ("Bengkel kerja", "Workshops"),
    "photo": ("Foto unit", "Unit photo"),
    "pnbp_targets": ("Target PNBP per tahun anggaran, rupiah", "PNBP target per fiscal year"),
    "challenges": ("Kendala dan solusi", "Obstacles and solutions"),
    "date": ("Tanggal (TTTT-BB-HH)", "Date (YYYY-MM-DD)"),
    "challenge": ("Kendala", "Obstacle"),
    "solution": ("Solusi", "Solution"),
    "status": ("Status", "Status"),
    "profile": ("Profil unit (Markdown)", "Unit profile (Markdown)"),
    "facility": ("Slug unit pembuat", "Slug of the maker unit"),
    "category": ("Slug kategori dari categories.yaml", "Category slug"),
    "unit": ("Satuan jual: pcs, pasang, kg, ...", "Unit of sale"),
    "price": ("Harga rupiah tanpa titik: 275000; kosong = atas permintaan",
              "Whole rupiah without separators; empty = on request"),
    "price_valid_until": ("Harga berlaku sampai", "Price valid until"),
    "sku": ("Nomor produk, unik, dalam tanda kutip", "Product number, unique, quoted"),
    "brand": ("Merek", "Brand"),
    "images": ("Foto; yang pertama menjadi sampul", "Photos; the first is the cover"),
    "materials": ("Bahan", "Materials"),
    "specs": ("Spesifikasi: label dan nilai", "Specification: label and value"),
    "variants": ("Varian ukuran atau warna", "Size or colour variants"),
    "stock": ("Stok", "Stock"),
    "capacity_per_month": ("Kapasitas produksi per bulan", "Monthly capacity"),
    "lead_time_days": ("Lama pembuatan (hari)", "Lead time in days"),
    "min_order": ("Pemesanan minimum", "Minimum order"),
    "availability": ("Ketersediaan", "Availability"),
    "ekatalog": ("Pendaftaran di e-Katalog", "E-catalogue listing"),
    "ekatalog_category": ("Kategori e-Katalog, tiga tingkat: [tingkat 1, tingkat 2, tingkat 3]",
                          "E-catalogue category, three levels"),
    "tkdn_required": ("true bila produk kategori ini wajib bersertifikat TKDN di e-Katalog",
                      "true when listings in this category need a TKDN certificate"),
    "sni_required": ("true bila produk kategori ini perlu sertifikat SNI di e-Katalog",
                     "true when listings in this category need an SNI certificate"),
    "url": ("Alamat (https://...)", "Address"),
    "product_id": ("ID produk di e-Katalog", "E-catalogue product id"),
    "listed_on": ("Tanggal tayang", "Listing date"),
    "kbki": ("Kode KBKI", "KBKI commodity code"),
    "tkdn": ("Sertifikat TKDN", "TKDN certificate"),
    "percent": ("Persen (0 sampai 100)", "Percent"),
    "certificate": ("Nomor sertifikat", "Certificate number"),
    "valid_until": ("Berlaku sampai", "Valid until"),
    "sni": ("Nomor sertifikat SNI", "SNI certificate number"),
    "tags": ("Kata kunci", "Tags"),
    "featured": ("Tampil di halaman depan", "Shown on the home page"),
    "added": ("Tanggal pertama dicantumkan", "Date first listed"),
    "draft": ("true = belum tampil", "true = not published"),
    "body": ("Isi halaman (Markdown)", "Page text (Markdown)"),
    "branch": ("Cabang git", "Git branch"),
    "content_dir": ("Folder konten di repositori", "Content folder in the repository"),
    "admin": ("Penyunting formulir di /admin/ (Decap CMS)", "Form editor at /admin/"),
    "backend": ("repository = simpan ke repositori; test-repo = uji coba saja",
                "repository = save to the repository; test-repo = try-out only"),
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of content file."""
    model = KINDS[kind]
    schema = _editor_view(model.model_json_schema(by_alias=True), model)
    schema.update({"$schema": SCHEMA_URI, "title": f"Etalase: {TITLES[kind]}"})
    if kind == "categories":
        item = {k: v for k, v in schema.items() if k not in ("$schema", "title", "$defs")}
        return {"$schema": SCHEMA_URI, "title": schema["title"], "type": "array",
                "items": item, "$defs": schema.get("$defs", {})}
    return schema


def _editor_view(schema: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    internal = model.internal_fields if issubclass(model, Record) else frozenset()
    for name in internal:
        schema.get("properties", {}).pop(name, None)
    schema["required"] = [r for r in schema.get("required", []) if r not in internal]
    defs = schema.get("$defs", {})
    defs.pop("Location", None)
    for part in (schema, *defs.values()):
        _describe(part)
    return schema


def _describe(part: dict[str, Any]) -> None:
    part.pop("description", None)
    for name, prop in part.get("properties", {}).items():
        prop.pop("title", None)
        if name in HELP:
            id_text, en_text = HELP[name]
            prop["description"] = f"{id_text} ({en_text})"


def render_schema(kind: str) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
