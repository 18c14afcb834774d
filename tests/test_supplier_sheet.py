"""The listing-form export: columns in the form's order and words, values from the content,
formula injection guarded, and the same bytes from two builds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from generator import supplier_sheet, workbook
from generator.readiness import load_form
from generator.supplier_sheet import guarded

CATEGORIES = """\
- slug: alas-kaki
  name: Alas Kaki
  ekatalog_category: [Pakaian dan Perlengkapan Dinas, Alas Kaki, Sepatu dan Sandal]
  tkdn_required: true
- slug: pakaian
  name: Pakaian
"""
SHOE = """\
---
name: Sepatu Pantofel
facility: lapas-serang
category: alas-kaki
unit: pasang
price: 275000
sku: "SRG-001"
brand: Langkah Serang
specs:
  Bahan: Kulit sapi
  Ukuran: "38-45"
variants: ["40", "41"]
stock: 64
capacity_per_month: 150
lead_time_days: 7
ekatalog:
  status: live
  url: https://katalog.example.go.id/p/1
  kbki: "29330"
  tkdn: {percent: 42.5, certificate: "1187/TKDN/2024", valid_until: 2027-05-31}
---
Sepatu.
"""
TRAP = """\
---
name: "=HYPERLINK(\\"https://jahat.example\\",\\"klik\\")"
facility: lapas-serang
category: pakaian
unit: "@pcs"
brand: "+62 Merek"
---
"""
EXPECTED_SHOE = {
    "Kategori Level 1": "Pakaian dan Perlengkapan Dinas", "Kategori Level 2": "Alas Kaki",
    "Kategori Level 3": "Sepatu dan Sandal", "Nama Produk": "Sepatu Pantofel",
    "Nomor Produk (SKU)": "SRG-001", "Foto Produk": "", "Kode KBKI": "29330",
    "Jenis Produk": "Lokal", "Status PDN": "PDN", "Nomor Sertifikat TKDN": "1187/TKDN/2024",
    "Nilai TKDN (%)": "42.5", "Masa Berlaku TKDN": "2027-05-31", "Nomor Sertifikat SNI": "",
    "Merek": "Langkah Serang", "Spesifikasi": "Bahan: Kulit sapi; Ukuran: 38-45",
    "Varian": "40; 41", "Stok": "64", "Satuan": "pasang", "Harga (Rp)": "275000",
    "ID Produk Etalase": "sepatu-pantofel", "Unit (UPT)": "Lapas Kelas IIA Serang",
    "Kapasitas per Bulan": "150", "Lama Pengerjaan (hari)": "7", "Status e-Katalog": "live",
    "Tautan e-Katalog": "https://katalog.example.go.id/p/1",
    "Tautan Produk": "https://uji.example.go.id/produk/sepatu-pantofel/",
    "Siap e-Katalog": "10/11", "Belum Lengkap": "Foto produk",
}


@pytest.fixture
def site(content, run) -> Path:
    root = content({"categories.yaml": CATEGORIES, "products/lapas-serang/sepatu-kulit.md": None,
                    "transactions/2025.csv": None,
                    "products/lapas-serang/sepatu-pantofel.md": SHOE,
                    "products/lapas-serang/jebakan.md": TRAP})
    code, _, err = run("build", "--content", str(root), "--out", "site")
    assert code == 0, err
    return root.parent / "site"


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())  # spreadsheets then read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_columns_follow_the_form_and_values_the_content(site: Path) -> None:
    rows = read_csv(site / "data/ekatalog-lapas-serang.csv")
    header = (site / "data/ekatalog-lapas-serang.csv").read_text("utf-8-sig").splitlines()[0]
    assert header.split(",") == [c.header for c in load_form().columns]
    assert header.startswith("Kategori Level 1,Kategori Level 2,Kategori Level 3,Nama Produk,")
    assert rows[0] == EXPECTED_SHOE  # the most ready first
    assert [r["ID Produk Etalase"] for r in rows] == ["sepatu-pantofel", "jebakan"]
    assert read_csv(site / "data/ekatalog.csv") == rows  # the region: one unit here


def test_formula_injection_is_guarded_in_csv_and_xlsx(site: Path) -> None:
    trap = read_csv(site / "data/ekatalog-lapas-serang.csv")[1]
    assert trap["Nama Produk"] == "'=HYPERLINK(\"https://jahat.example\",\"klik\")"
    assert (trap["Satuan"], trap["Merek"]) == ("'@pcs", "'+62 Merek")
    sheet = openpyxl.load_workbook(site / "data/ekatalog-lapas-serang.xlsx").active
    name = sheet.cell(row=3, column=4)
    assert (name.value, name.data_type) == ("=HYPERLINK(\"https://jahat.example\",\"klik\")", "s")
    assert name.quotePrefix is True


def test_xlsx_has_the_same_columns_with_numbers_and_dates_typed(site: Path) -> None:
    workbook = openpyxl.load_workbook(site / "data/ekatalog-lapas-serang.xlsx")
    sheet = workbook.active
    assert sheet.title == "e-Katalog" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in load_form().columns]
    shoe = dict(zip(rows[0], rows[1], strict=True))
    assert (shoe["Harga (Rp)"], shoe["Stok"], shoe["Nilai TKDN (%)"]) == (275000, 64, 42.5)
    assert shoe["Masa Berlaku TKDN"] == dt.datetime(2027, 5, 31)
    assert shoe["Nomor Produk (SKU)"] == "SRG-001" and shoe["Foto Produk"] is None
    assert workbook.properties.modified == dt.datetime(2024, 1, 1)  # build date: no dates here


def test_two_builds_give_the_same_spreadsheets(site: Path, run) -> None:
    code, _, err = run("build", "--content", "content", "--out", "again")
    assert code == 0, err
    for name in ("ekatalog-lapas-serang.csv", "ekatalog-lapas-serang.xlsx"):
        assert (site / "data" / name).read_bytes() == (site.parent / "again/data" / name
                                                        ).read_bytes()


def test_workbooks_made_in_worker_processes_are_the_same(
        content, run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large catalogue's workbooks are made in several processes: the same files."""
    root = content({"categories.yaml": CATEGORIES, "products/lapas-serang/sepatu-kulit.md": None,
                    "transactions/2025.csv": None,
                    "products/lapas-serang/pantofel.md": SHOE,
                    "facilities/rutan-pandeglang.md": "---\nname: Rutan Pandeglang\nkind: rutan"
                    "\ncity: Pandeglang\n---\n", "products/rutan-pandeglang/pantofel-2.md":
                    SHOE.replace("lapas-serang", "rutan-pandeglang").replace("SRG-", "PDG-")})
    code, _, err = run("build", "--content", str(root), "--out", "one", "--jobs", "1")
    assert code == 0, err
    monkeypatch.setattr(supplier_sheet, "POOL_FROM_ROWS", 0)
    code, _, err = run("build", "--content", str(root), "--out", "pooled", "--jobs", "2")
    assert code == 0, err
    made = sorted(root.parent.glob("pooled/data/ekatalog*.xlsx"))
    assert [p.name for p in made] == ["ekatalog-lapas-serang.xlsx",
                                      "ekatalog-rutan-pandeglang.xlsx", "ekatalog.xlsx"]
    for path in made:
        assert path.read_bytes() == (root.parent / "one/data" / path.name).read_bytes()


def test_units_without_products_get_no_sheet(site: Path) -> None:
    assert sorted(p.name for p in (site / "data").glob("ekatalog*.xlsx")) == [
        "ekatalog-lapas-serang.xlsx", "ekatalog.xlsx"]


def test_a_unit_named_like_a_statistics_table_is_refused(content, run) -> None:
    root = content({"facilities/pipeline.md": "---\nname: Lapas Pipa\nkind: lapas\ncity: X\n"
                    "---\n", "products/pipeline/pipa.md": "---\nname: Pipa\nfacility: pipeline"
                    "\ncategory: pakaian\nunit: pcs\n---\n"})
    code, _, err = run("build", "--content", str(root), "--out", "site")
    assert code == 1
    assert err.splitlines()[0] == (
        "content/facilities:1:1: galat: berkas data/ekatalog-pipeline.csv dibuat dua kali; ganti"
        " slug unit yang memakai nama itu (error: the file data/ekatalog-pipeline.csv would be"
        " made twice; rename the unit whose slug takes that name)")
    # found after the pages were staged for publishing: none is left behind
    assert sorted(p.name for p in root.parent.iterdir()) == [".cache", ".site.lock", "content"]


@pytest.mark.parametrize(("value", "text"), [
    ("=1+1", "'=1+1"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("Sepatu", "Sepatu"), (275000, "275000"), (None, ""), (dt.date(2027, 5, 31), "2027-05-31"),
])
def test_guarded_cells(value: object, text: str) -> None:
    assert guarded(value) == text  # type: ignore[arg-type]


def test_every_kind_of_cell_is_typed_in_the_workbook() -> None:
    table = [("Nama", "Harga", "Tanggal", "Catatan", "Kosong"),
             ("Sepatu", 275_000, dt.date(2027, 5, 31), "#N/A", None),
             ("=1+1", 42.5, dt.date(2024, 1, 2), "@pcs", "biasa")]
    data = workbook.to_xlsx(table, dt.date(2024, 1, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [("Sepatu", "s"), (275_000, "n"), (dt.datetime(2027, 5, 31), "d"), ("#N/A", "s"),
         (None, "n")],
        [("=1+1", "s"), (42.5, "n"), (dt.datetime(2024, 1, 2), "d"), ("@pcs", "s"),
         ("biasa", "s")]]
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["A3"].quotePrefix
    assert sheet.auto_filter.ref == "A1:E3" and sheet.freeze_panes == "A2"
    streamed = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert streamed.calculate_dimension() == "A1:E3"  # written: some readers size a sheet by it


def test_a_workbook_worker_imports_only_the_workbook_module() -> None:
    """Workbooks are made in fresh interpreters (`processes.run_jobs`), which import the
    function's module to start: `generator.workbook` brings in no other module of the
    generator, nor pydantic or Jinja (they took a worker half a second to start)."""
    code = ("import sys, generator.workbook; print(sorted(m for m in sys.modules"
            " if m.split('.')[0] in ('generator', 'pydantic', 'jinja2', 'openpyxl')))")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(root)}).stdout
    assert out.strip() == "['generator', 'generator.workbook']"
