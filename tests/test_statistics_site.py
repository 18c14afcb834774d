"""The statistics of a tiny content folder, every figure worked out by hand, checked in the
published data (stats.json, CSV) and on the pages a reader sees, in both languages.

Three units, two categories, six products, seven sales (the same as tests/test_stats.py):

    T1 2024-01-15 sepatu  (lapas-a) 2 × 250.000 = 500.000 → rutan-b (upt)  ekatalog    pnbp 100.000
    T2 2024-01-20 keripik (rutan-b) 10 × 10.000 = 100.000 → Dinas Sosial   direct      pnbp  25.000
    T3 2024-03-05 sepatu  (lapas-a) 1 × 250.000 = 250.000 → lpka-c (upt)   ekatalog    pnbp  50.000
    T4 2024-03-31 keripik (rutan-b) 30 × 10.000 = 300.000 → lapas-a (upt)  direct      pnbp  75.000
    T5 2025-02-01 kue     (lpka-c)  5 × 20.000  = 100.000 → lapas-a (upt)  ekatalog    pnbp  20.000
    T6 2025-02-10 sandal  (lapas-a) 4 × 50.000  = 200.000 → Budi (public)  exhibition  pnbp       0
    T7 2024-12-31 sepatu  (lapas-a) 1 × 250.000 = 250.000 → rutan-b (upt)  ekatalog    pnbp  50.000

PNBP targets: lapas-a 2024 1.000.000 and 2025 500.000, rutan-b 2024 300.000. Obstacles: lapas-a
2024-02-01 open and 2024-05-01 resolved, rutan-b 2024-06-01 in progress.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import BuildOptions
from generator.pipeline import render
from tests.conftest import write_tree

UNIT = """\
---
name: {name}
kind: {kind}
city: Serang
{extra}
---
Profil.
"""
PRODUCT = """\
---
name: {name}
facility: {facility}
category: {category}
unit: pcs
{extra}
---
"""
LIVE = "ekatalog: {status: live, url: \"https://katalog.example/p/1\"}"
FILES = {
    "site.yaml": "title: Etalase Uji\norganization: Kanwil Uji\n"
                 "base_url: https://uji.example.go.id/\n",
    "categories.yaml": "- slug: alas-kaki\n  name: Alas Kaki\n"
                       "- slug: makanan\n  name: Makanan\n",
    "facilities/lapas-a.md": UNIT.format(name="Lapas A", kind="lapas", extra="""\
pnbp_targets: {2024: 1000000, 2025: 500000}
challenges:
  - {date: 2024-02-01, challenge: Bahan mahal, status: open}
  - {date: 2024-05-01, challenge: Mesin rusak, solution: Diperbaiki, status: resolved}"""),
    "facilities/rutan-b.md": UNIT.format(name="Rutan B", kind="rutan", extra="""\
pnbp_targets: {2024: 300000}
challenges:
  - {date: 2024-06-01, challenge: Listrik padam, status: in-progress}"""),
    "facilities/lpka-c.md": UNIT.format(name="LPKA C", kind="lpka", extra=""),
    "products/lapas-a/sepatu.md": PRODUCT.format(
        name="Sepatu", facility="lapas-a", category="alas-kaki", extra=LIVE),
    "products/lapas-a/sandal.md": PRODUCT.format(
        name="Sandal", facility="lapas-a", category="alas-kaki",
        extra="ekatalog: {status: submitted}"),
    "products/rutan-b/keripik.md": PRODUCT.format(
        name="Keripik", facility="rutan-b", category="makanan", extra=LIVE),
    "products/rutan-b/roti.md": PRODUCT.format(
        name="Roti", facility="rutan-b", category="makanan", extra="ekatalog: {status: draft}"),
    "products/lpka-c/kue.md": PRODUCT.format(
        name="Kue", facility="lpka-c", category="makanan", extra=""),
    "products/lpka-c/dompet.md": PRODUCT.format(
        name="Dompet", facility="lpka-c", category="alas-kaki",
        extra="ekatalog: {status: inactive}"),
    "transactions/penjualan.csv": """\
date,product,quantity,unit_price,buyer,buyer_type,channel,pnbp
2024-01-15,sepatu,2,250000,rutan-b,upt,ekatalog,100000
2024-01-20,keripik,10,10000,Dinas Sosial,government,direct,25000
2024-03-05,sepatu,1,250000,lpka-c,upt,ekatalog,50000
2024-03-31,keripik,30,10000,lapas-a,upt,direct,75000
2025-02-01,kue,5,20000,lapas-a,upt,ekatalog,20000
2025-02-10,sandal,4,50000,Budi,public,exhibition,0
2024-12-31,sepatu,1,250000,rutan-b,upt,ekatalog,50000
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    content = write_tree(tmp_path_factory.mktemp("tiny") / "content", FILES)
    outputs = render(BuildOptions(content_dir=content)).outputs
    return {path: data.decode("utf-8") for path, data in outputs.items()
            if not path.startswith("pagefind/")  # the search index is binary
            and not path.endswith((".pdf", ".xlsx"))}  # so are sheets and pocket PDFs


@pytest.fixture(scope="module")
def data(site: dict[str, str]) -> dict:  # type: ignore[type-arg]
    return json.loads(site["data/stats.json"])


def text_of(html: str) -> str:
    """The visible text inside <main>, tags removed, spaces collapsed."""
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


class Tables(HTMLParser):
    """Every table of a page as {caption: rows of cell texts}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        for part in (self._caption, self._cell):
            if part is not None:
                part.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[" ".join("".join(self._caption).split())] = self._rows
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(site: dict[str, str], name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(site[f"data/{name}"])))


# stats.json, figure by figure

def test_json_figure_1_products(data: dict) -> None:  # type: ignore[type-arg]
    products = data["products"]
    assert (products["total"], products["ekatalog_live"], products["ekatalog_percent"]) == (
        6, 2, 33.3)
    assert products["by_facility"] == {"lapas-a": {"total": 2, "ekatalog_live": 1},
                                       "lpka-c": {"total": 2, "ekatalog_live": 0},
                                       "rutan-b": {"total": 2, "ekatalog_live": 1}}
    assert products["ekatalog_pipeline"] == {"draft": 1, "submitted": 1, "live": 2,
                                             "inactive": 1, "none": 1}


def test_json_figure_2_buyer_units(data: dict) -> None:  # type: ignore[type-arg]
    assert data["ekatalog"]["buyer_units"] == 3
    assert data["ekatalog"]["buyer_unit_slugs"] == ["lapas-a", "lpka-c", "rutan-b"]
    assert data["ekatalog"]["by_buyer_unit"]["rutan-b"] == {"count": 2, "value": 750_000}


def test_json_figure_3_transactions(data: dict) -> None:  # type: ignore[type-arg]
    sales = data["transactions"]
    assert (sales["count"], sales["quantity"], sales["value"]) == (7, 53, 1_700_000)
    assert len(sales["by_month"]) == 14  # 2024-01 to 2025-02, empty months as zero
    assert sales["by_month"]["2024-01"] == {"count": 2, "quantity": 12, "value": 600_000}
    assert sales["by_month"]["2024-02"] == {"count": 0, "quantity": 0, "value": 0}
    assert sales["by_month"]["2025-02"] == {"count": 2, "quantity": 9, "value": 300_000}
    assert sales["by_facility"] == {
        "lapas-a": {"count": 4, "quantity": 8, "value": 1_200_000},
        "lpka-c": {"count": 1, "quantity": 5, "value": 100_000},
        "rutan-b": {"count": 2, "quantity": 40, "value": 400_000}}
    assert sales["by_channel"]["ekatalog"] == {"count": 4, "quantity": 9, "value": 1_100_000}
    assert sales["by_channel"]["marketplace"] == {"count": 0, "quantity": 0, "value": 0}
    assert sales["by_category"]["makanan"] == {"count": 3, "quantity": 45, "value": 500_000}


def test_json_figure_4_challenges(data: dict) -> None:  # type: ignore[type-arg]
    assert data["challenges"]["by_status"] == {"open": 1, "in-progress": 1, "resolved": 1}
    assert data["challenges"]["by_facility"]["rutan-b"] == {
        "open": 0, "in-progress": 1, "resolved": 0}


def test_json_figure_5_pnbp(data: dict) -> None:  # type: ignore[type-arg]
    assert data["pnbp"] == {
        "2024": {"lapas-a": {"target": 1_000_000, "realised": 200_000, "percent": 20.0},
                 "rutan-b": {"target": 300_000, "realised": 100_000, "percent": 33.3}},
        "2025": {"lapas-a": {"target": 500_000, "realised": 0, "percent": 0.0},
                 "lpka-c": {"target": None, "realised": 20_000, "percent": None}},
    }
    assert data["pnbp_totals"] == {
        "2024": {"target": 1_300_000, "realised": 300_000, "percent": 23.1},
        "2025": {"target": 500_000, "realised": 20_000, "percent": 4.0}}


def test_json_figure_6_matrix(data: dict) -> None:  # type: ignore[type-arg]
    assert data["matrix"] == {"lapas-a": {"lpka-c": 250_000, "rutan-b": 750_000},
                              "lpka-c": {"lapas-a": 100_000},
                              "rutan-b": {"lapas-a": 300_000}}
    assert data["matrix_total"] == 1_400_000


def test_json_documents_itself_and_each_year(data: dict) -> None:  # type: ignore[type-arg]
    assert data["schema_version"] == 2
    assert data["as_of"] == "2025-02-10" and data["currency"] == "IDR"
    assert "products.ekatalog_live" in data["about"]["keys"]
    assert data["period"] == {"first_month": "2024-01", "last_month": "2025-02"}
    year = data["years"]["2024"]
    assert (year["transactions"]["count"], year["transactions"]["value"]) == (5, 1_400_000)
    assert len(year["transactions"]["by_month"]) == 12
    assert year["ekatalog"]["buyer_unit_slugs"] == ["lpka-c", "rutan-b"]
    assert year["matrix_total"] == 1_300_000
    assert data["years"]["2025"]["challenges"]["by_status"] == {
        "open": 0, "in-progress": 0, "resolved": 0}
    assert data["downloads"]["2024"]["recap-by-month"] == (
        "https://uji.example.go.id/data/2024/recap-by-month.csv")


# CSV, one per table

def test_csv_tables_hold_the_same_figures(site: dict[str, str]) -> None:
    assert csv_rows(site, "transactions-by-facility.csv") == [
        ["facility", "facility_name", "count", "quantity", "value"],
        ["lapas-a", "Lapas A", "4", "8", "1200000"], ["lpka-c", "LPKA C", "1", "5", "100000"],
        ["rutan-b", "Rutan B", "2", "40", "400000"]]
    assert csv_rows(site, "pnbp.csv")[1:] == [
        ["2024", "lapas-a", "Lapas A", "1000000", "200000"],
        ["2024", "rutan-b", "Rutan B", "300000", "100000"],
        ["2025", "lapas-a", "Lapas A", "500000", "0"], ["2025", "lpka-c", "LPKA C", "", "20000"]]
    assert csv_rows(site, "inter-unit-sales.csv")[1] == [
        "lapas-a", "Lapas A", "lpka-c", "LPKA C", "1", "250000"]
    assert csv_rows(site, "2024/recap-by-month.csv")[1] == [
        "2024-01", "2", "12", "600000", "500000", "125000"]
    assert csv_rows(site, "2024/recap-by-facility.csv")[1] == [
        "lapas-a", "Lapas A", "500000", "0", "250000", *["0"] * 8, "250000", "1000000"]
    assert site["data/pnbp.csv"].startswith("year,facility,")
    assert site["data/pnbp.csv"].endswith("\r\n")


def test_every_table_on_the_page_links_its_csv(site: dict[str, str]) -> None:
    html = site["statistik/2024/index.html"]
    for link in re.findall(r'href="/data/([^"]+\.csv)"', html):
        assert f"data/{link}" in site, link
    assert 'href="/data/2024/inter-unit-sales.csv"' in html


# The pages

def test_all_time_page_leads_each_section_with_its_figure(site: dict[str, str]) -> None:
    text = text_of(site["statistik/index.html"])
    for headline in (
        "2 produk tayang di e-Katalog, 33,3% dari 6 produk",
        "3 unit membeli melalui e-Katalog",
        "Rp 1.700.000 nilai 7 transaksi (53 barang)",
        "3 kendala tercatat, 1 selesai, 1 masih terbuka",
        "4% target PNBP 2025 tercapai: Rp 20.000 dari Rp 500.000",
        "Rp 1.400.000 penjualan antarunit, 82,4% dari nilai seluruh transaksi",
        "Seluruh periode: Januari 2024 sampai Februari 2025. Data per 10 Februari 2025.",
    ):
        assert headline in text


def test_all_time_page_tables(site: dict[str, str]) -> None:
    found = tables(site["statistik/index.html"])
    assert found["Transaksi per bulan"][1] == ["Januari 2024", "2", "12", "Rp 600.000"]
    assert found["Transaksi per bulan"][-1] == ["Jumlah", "7", "53", "Rp 1.700.000"]
    assert found["PNBP seluruh unit per tahun anggaran"][1:] == [
        ["2024", "Rp 1.300.000", "Rp 300.000", "23,1%", ""],
        ["2025", "Rp 500.000", "Rp 20.000", "4%", ""]]
    assert found["Nilai penjualan antarunit"] == [
        ["Penjual \\ pembeli", "Lapas A", "LPKA C", "Rutan B", "Jumlah"],
        ["Lapas A", "–", "Rp 250.000", "Rp 750.000", "Rp 1.000.000"],
        ["LPKA C", "Rp 100.000", "–", "–", "Rp 100.000"],
        ["Rutan B", "Rp 300.000", "–", "–", "Rp 300.000"],
        ["Jumlah", "Rp 400.000", "Rp 250.000", "Rp 750.000", "Rp 1.400.000"]]


def test_heat_map_shades_cells_by_value(site: dict[str, str]) -> None:
    html = site["statistik/index.html"]
    # largest cell 750.000 is shade 5; 300.000 and 250.000 shade 2; 100.000 shade 1
    assert re.findall(r'heat heat-(\d)">([^<]+)<', html) == [
        ("0", "–"), ("2", "Rp 250.000"), ("5", "Rp 750.000"),
        ("1", "Rp 100.000"), ("0", "–"), ("0", "–"),
        ("2", "Rp 300.000"), ("0", "–"), ("0", "–")]


def test_charts_are_described_images(site: dict[str, str]) -> None:
    html = site["statistik/index.html"]
    assert html.count('role="img"') == html.count("<title id=") + 1  # + the PNBP headline bar
    assert ('<desc id="chart-buyers-desc">3 baris; terbesar Rutan B: Rp 750 rb. Angka lengkap'
            " ada di tabel berikut.</desc>") in html
    assert ('<desc id="chart-months-desc">Januari 2024 sampai Februari 2025; tertinggi Januari'
            " 2024: Rp 600.000. Angka lengkap ada di tabel berikut.</desc>") in html
    assert "<script" not in html.split("</header>", 1)[1]


def test_year_page_counts_only_that_year(site: dict[str, str]) -> None:
    html = site["statistik/2024/index.html"]
    assert "<title>Statistik tahun anggaran 2024 · Etalase Uji</title>" in html
    text = text_of(html)
    for headline in (
        "2 unit membeli melalui e-Katalog",
        "Rp 1.400.000 nilai 5 transaksi (44 barang)",
        "23,1% target PNBP 2024 tercapai: Rp 300.000 dari Rp 1.300.000",
        "Rp 1.300.000 penjualan antarunit, 92,9% dari nilai seluruh transaksi",
        "Tahun anggaran 2024: 1 Januari sampai 31 Desember 2024.",
    ):
        assert headline in text
    assert len(tables(html)["Transaksi per bulan"]) == 14  # header, 12 months, total
    assert "0 kendala tercatat" in text_of(site["statistik/2025/index.html"])


def test_recap_page_is_the_monthly_report_of_a_year(site: dict[str, str]) -> None:
    html = site["statistik/2024/rekapitulasi/index.html"]
    assert "<title>Rekapitulasi bulanan tahun anggaran 2024 · Etalase Uji</title>" in html
    found = tables(html)
    months = found["Penjualan dan PNBP per bulan, 2024"]
    assert months[1] == ["Januari 2024", "2", "12", "Rp 600.000", "Rp 500.000", "Rp 125.000"]
    assert months[3] == ["Maret 2024", "2", "31", "Rp 550.000", "Rp 250.000", "Rp 125.000"]
    assert months[-1] == ["Jumlah", "5", "44", "Rp 1.400.000", "Rp 1.000.000", "Rp 300.000"]
    units = found["Nilai penjualan per unit per bulan, 2024 (rupiah)"]
    assert units[1] == ["Lapas A", "500.000", "–", "250.000", *["–"] * 8, "250.000",
                        "1.000.000"]
    assert units[-1][-1] == "1.400.000"
    assert found["Target dan realisasi PNBP per unit, 2024"][-1] == [
        "Seluruh unit", "Rp 1.300.000", "Rp 300.000", "23,1%", ""]
    english = site["en/statistics/2024/recap/index.html"]
    assert "<h1>Monthly recap, fiscal year 2024</h1>" in english


def test_english_statistics_speak_english(site: dict[str, str]) -> None:
    text = text_of(site["en/statistics/index.html"])
    assert "2 products live on the e-catalogue, 33.3% of 6 products" in text
    assert "IDR 1,700,000 worth of 7 sales (53 items)" in text
    assert "4% of the 2025 PNBP target reached: IDR 20,000 of IDR 500,000" in text


def test_unit_page_shows_its_own_figures(site: dict[str, str]) -> None:
    found = tables(site["upt/lapas-a/index.html"])
    assert found["Penjualan per tahun"][1:] == [["2024", "3", "4", "Rp 1.000.000"],
                                                ["2025", "1", "4", "Rp 200.000"]]
    assert found["Target dan realisasi PNBP"][1:] == [
        ["2024", "Rp 1.000.000", "Rp 200.000", "20%", ""],
        ["2025", "Rp 500.000", "Rp 0", "0%", ""]]
    assert found["Pembeli produk unit ini"][1:] == [
        ["Rutan B", "Unit pemasyarakatan", "2", "Rp 750.000"],
        ["LPKA C", "Unit pemasyarakatan", "1", "Rp 250.000"],
        ["Budi", "Masyarakat umum", "1", "Rp 200.000"]]
    assert found["Pembelian dari unit lain"][1:] == [["LPKA C", "1", "5", "Rp 100.000"],
                                                     ["Rutan B", "1", "30", "Rp 300.000"]]


def test_statistics_pages_and_files_exist_for_every_year(site: dict[str, str]) -> None:
    for path in ("statistik/2024/index.html", "statistik/2025/index.html",
                 "statistik/2025/rekapitulasi/index.html", "en/statistics/2025/index.html",
                 "data/2025/transactions-by-month.csv", "data/ekatalog-pipeline.csv"):
        assert path in site
    assert "statistik/2023/index.html" not in site


def test_empty_cells_stay_empty_and_text_cannot_become_a_formula(tmp_path: Path) -> None:
    files = dict(FILES)
    files["facilities/lpka-c.md"] = UNIT.format(name="=HYPERLINK(1)", kind="lpka", extra="")
    content = write_tree(tmp_path / "content", files)
    outputs = render(BuildOptions(content_dir=content)).outputs
    rows = list(csv.reader(io.StringIO(outputs["data/transactions-by-facility.csv"].decode())))
    assert rows[2] == ["lpka-c", "'=HYPERLINK(1)", "1", "5", "100000"]
