"""The pocket catalogue: real PDFs from WeasyPrint, opened with PDFium, their QR codes read back
with zxing-cpp from the rendered pages, on a small catalogue of two units and three products."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image

from generator.build import BuildOptions, build
from generator.pocket import (
    make_pocket,
    pocket_catalogues,
    pocket_html,
    pocket_key,
    render_pdf,
)
from tests.conftest import MINIMAL, write_tree

BASE = "https://uji.example.go.id/"
LISTING = "https://katalog.example.go.id/produk/srg-001"
CATEGORIES = """\
- slug: alas-kaki
  name: Alas Kaki
- slug: pakaian
  name: Pakaian
- slug: makanan
  name: Makanan
"""
SHOE = f"""\
---
name: Sepatu Kulit
facility: lapas-serang
category: alas-kaki
unit: pasang
price: 275000
capacity_per_month: 150
images: [sepatu.png]
ekatalog:
  status: live
  url: {LISTING}
---
"""
SHIRT = """\
---
name: Kaos Polos
facility: lapas-serang
category: pakaian
unit: pcs
---
"""
CRISPS = """\
---
name: Keripik Bayam
facility: rutan-pandeglang
category: makanan
unit: bungkus
price: 15000
---
"""
UNIT = """\
---
name: Rutan Kelas IIB Pandeglang
kind: rutan
city: Pandeglang
---
"""


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "#9e3f1b").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pocket")
    content = write_tree(work / "content", {
        **MINIMAL, "categories.yaml": CATEGORIES, "facilities/rutan-pandeglang.md": UNIT,
        "products/lapas-serang/sepatu-kulit.md": SHOE, "products/lapas-serang/sepatu.png": photo(),
        "products/lapas-serang/kaos-polos.md": SHIRT,
        "products/rutan-pandeglang/keripik-bayam.md": CRISPS})
    build(BuildOptions(content_dir=content, output_dir=work / "site", cache_dir=work / "cache"))
    return work


def pages(pdf: Path) -> list[pdfium.PdfPage]:
    return list(pdfium.PdfDocument(pdf))


def text(page: pdfium.PdfPage) -> str:
    return re.sub(r"\s+", " ", page.get_textpage().get_text_range())


def codes(page: pdfium.PdfPage) -> set[str]:
    """The QR codes of a page, read from the page rendered at about 220 dpi."""
    image = page.render(scale=3).to_pil()
    return {found.text for found in zxingcpp.read_barcodes(image)}


def images(page: pdfium.PdfPage) -> int:
    return len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)))


def test_unit_catalogue_has_cover_contents_and_one_page_per_category(built: Path) -> None:
    cover, contents, shoes, shirts = pages(built / "site/data/katalog-saku-lapas-serang.pdf")
    assert "Katalog Saku Lapas Kelas IIA Serang" in re.sub(r"(?i)katalog saku", "Katalog Saku",
                                                           text(cover))
    assert "2 produk" in text(cover)
    assert re.search(r"Alas Kaki \(1\) \.+ ?3 Pakaian \(1\) \.+ ?4", text(contents))
    assert "Sepatu Kulit" in text(shoes) and "Rp 275.000 / pasang" in text(shoes)
    assert "Kapasitas 150 pasang/bulan" in text(shoes)
    assert "Kaos Polos" in text(shirts) and "Harga atas permintaan" in text(shirts)


def test_qr_codes_lead_to_the_product_page_and_the_live_listing(built: Path) -> None:
    cover, _, shoes, shirts = pages(built / "site/data/katalog-saku-lapas-serang.pdf")
    assert codes(cover) == {f"{BASE}upt/lapas-serang/"}
    assert codes(shoes) == {f"{BASE}produk/sepatu-kulit/", LISTING}
    assert codes(shirts) == {f"{BASE}produk/kaos-polos/"}  # not live: no listing code


def test_a_card_shows_the_first_photo_or_a_placeholder(built: Path) -> None:
    _, _, shoes, shirts = pages(built / "site/data/katalog-saku-lapas-serang.pdf")
    assert images(shoes) == 1
    assert images(shirts) == 0 and "Foto menyusul" in text(shirts)


def test_the_region_catalogue_holds_every_unit(built: Path) -> None:
    cover, _, *sections = pages(built / "site/data/katalog-saku.pdf")
    assert "Seluruh unit" in text(cover) and "3 produk" in text(cover)
    assert codes(cover) == {BASE}
    assert [text(s).split(" ")[0] for s in sections] == ["Alas", "Makanan", "Pakaian"]
    assert "Rutan Kelas IIB Pandeglang" in text(sections[1])
    unit = pages(built / "site/data/katalog-saku-rutan-pandeglang.pdf")
    assert len(unit) == 3


def test_unit_pages_link_their_catalogue(built: Path) -> None:
    html = (built / "site/upt/lapas-serang/index.html").read_text("utf-8")
    assert 'href="/data/katalog-saku-lapas-serang.pdf" download' in html
    units = sorted(p.name for p in (built / "site/data").glob("*.pdf"))
    assert units == ["katalog-saku-lapas-serang.pdf", "katalog-saku-rutan-pandeglang.pdf",
                     "katalog-saku.pdf"]


def test_weasyprint_gives_the_same_bytes_twice_and_the_cache_is_used(built: Path) -> None:
    from generator.pipeline import check
    from generator.render import make_environment
    from generator.translations import load_translations
    from generator.urls import SiteUrls
    from tests.test_render import TEMPLATES

    catalog, _ = check(BuildOptions(content_dir=built / "content"))
    urls = SiteUrls.of(catalog.site)
    env = make_environment(TEMPLATES, catalog, urls,
                           {"id": load_translations(TEMPLATES / "i18n", "id")}, "id")
    pocket = make_pocket(catalog, catalog.facility("rutan-pandeglang"), urls, built / "content")
    html = pocket_html(pocket, env, catalog.transactions[0].date)
    first = render_pdf(html, built / "content")
    assert first.startswith(b"%PDF-") and render_pdf(html, built / "content") == first
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # the photo step still refuses cut photos
    cache = built / "cache-test"
    date = catalog.transactions[0].date
    made = pocket_catalogues(catalog, TEMPLATES, date, built / "content", cache)
    assert made["data/katalog-saku-rutan-pandeglang.pdf"] == first
    kept = cache / "pocket" / f"{pocket_key(pocket, env, date)}.pdf"
    kept.write_bytes(b"%PDF-kept")
    again = pocket_catalogues(catalog, TEMPLATES, date, built / "content", cache)
    assert again["data/katalog-saku-rutan-pandeglang.pdf"] == b"%PDF-kept"
    assert again["data/katalog-saku.pdf"] == made["data/katalog-saku.pdf"]
