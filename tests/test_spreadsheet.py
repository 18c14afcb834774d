"""Spreadsheet import and export: every bad row reported, nothing half-written, round trips."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from generator.load import load_sources
from generator.validate import build_catalog
from tests.conftest import ROOT

HEADER = "name,category,unit,price,sku,materials,specs,featured\n"


def products(content: Path) -> dict[str, dict[str, object]]:
    catalog, found = build_catalog(load_sources(content), drafts=True)
    assert catalog is not None, [d.format() for d in found]
    return {p.slug: p.model_dump(exclude={"source"}) for p in catalog.products}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_of_an_export_gives_back_every_demo_product(fmt: str, tmp_path: Path,
                                                          run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    before = products(tmp_path / "content")
    assert run("export", "--format", fmt, "--output", f"produk.{fmt}")[0] == 0
    for product_file in (tmp_path / "content" / "products").glob("*/*.md"):
        product_file.unlink()  # the photos stay, as they would beside a spreadsheet
    code, out, err = run("import", f"produk.{fmt}")
    assert (code, err) == (0, "")
    assert out.endswith(f"{len(before)} produk ditulis ({len(before)} products written)\n")
    assert products(tmp_path / "content") == before


def test_export_csv_goes_to_standard_output(content, run) -> None:
    content()
    code, out, _ = run("export")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("slug,facility,name,category,unit,price,")
    assert lines[1].startswith("sepatu-kulit,lapas-serang,Sepatu Kulit,alas-kaki,pasang,275000,")


def test_import_writes_products_for_the_given_unit(content, run, tmp_path: Path) -> None:
    content()
    (tmp_path / "baru.csv").write_text(
        HEADER + 'Sajadah Bordir,pakaian,pcs,85000,"0712",Beludru; Busa,"Ukuran: 70 x 110 cm",ya\n')
    code, out, _ = run("import", "baru.csv", "--facility", "lapas-serang")
    assert code == 0, out
    written = tmp_path / "content" / "products" / "lapas-serang" / "sajadah-bordir.md"
    assert written.read_text(encoding="utf-8") == (
        "---\nname: Sajadah Bordir\nfacility: lapas-serang\ncategory: pakaian\nunit: pcs\n"
        "price: 85000\nsku: '0712'\nmaterials:\n- Beludru\n- Busa\nspecs:\n"
        "  Ukuran: 70 x 110 cm\nfeatured: true\n---\n")
    assert run("check")[0] == 0


def test_every_bad_row_is_reported_and_nothing_is_written(content, run, tmp_path: Path) -> None:
    content()
    (tmp_path / "salah.csv").write_text(
        HEADER + "Sajadah,pakaian,pcs,85.000,,,,\n"
        "Mug,keramik,pcs,35000,,,,mungkin\n"
        "Sepatu Kulit,alas-kaki,pasang,1,,,,\n"
        ",pakaian,pcs,1,,,Ukuran,\n")
    code, out, err = run("import", "salah.csv", "--facility", "lapas-serang")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'salah.csv:2:4: galat: price: tulis angka tanpa titik ribuan: 85000, bukan "85.000"'
        ' (error: write the number without separators: 85000, not "85.000")',
        "salah.csv:3:8: galat: featured: isi ya atau tidak (error: write yes or no)",
        'salah.csv:4:1: galat: slug: produk "sepatu-kulit" sudah ada'
        " (products/lapas-serang/sepatu-kulit.md) (error: product \"sepatu-kulit\" already"
        " exists (products/lapas-serang/sepatu-kulit.md))",
        'salah.csv:5:7: galat: specs: tulis spesifikasi sebagai "Label: nilai; Label: nilai"'
        ' (error: write specifications as "Label: value; Label: value")',
        "4 galat, 0 peringatan (4 error(s), 0 warning(s))",
    ]
    assert not (tmp_path / "content" / "products" / "lapas-serang" / "sajadah.md").exists()


def test_xlsx_rows_are_reported_by_sheet_and_row(content, run, tmp_path: Path) -> None:
    content()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Serang"
    sheet.append(["name", "facility", "category", "unit", "price"])
    sheet.append(["Peci Rajut", "lapas-serang", "pakaian", "pcs", 25000])
    sheet.append(["Keset", "lapas-serng", "pakaian", "pcs", -5])
    workbook.save(tmp_path / "daftar.xlsx")
    code, _, err = run("import", "daftar.xlsx", "--dry-run")
    assert code == 1
    assert err.splitlines()[:2] == [
        "daftar.xlsx[Serang]:3:2: galat: facility: unit \"lapas-serng\" tidak ada"
        " (error: there is no unit \"lapas-serng\")",
        "daftar.xlsx[Serang]:3:5: galat: price: tidak boleh kurang dari 0, tertulis \"-5\""
        " (error: must be at least 0, written \"-5\")",
    ]


def test_dry_run_writes_nothing(content, run, tmp_path: Path) -> None:
    content()
    (tmp_path / "baru.csv").write_text(HEADER + "Peci Rajut,pakaian,pcs,25000,,,,\n")
    code, out, _ = run("import", "baru.csv", "--facility", "lapas-serang", "--dry-run")
    assert code == 0
    assert out == ("akan ditulis: content/products/lapas-serang/peci-rajut.md\n"
                   "1 produk akan ditulis (1 products would be written)\n")
    assert not (tmp_path / "content" / "products" / "lapas-serang" / "peci-rajut.md").exists()
