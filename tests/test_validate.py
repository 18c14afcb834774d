"""Validation: complete records from valid content; every mistake found in one pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import validate
from generator.load import load_sources
from generator.validate import build_catalog
from tests.conftest import PRODUCT


def catalog_of(root: Path, **options: object):
    return build_catalog(load_sources(root), **options)  # type: ignore[arg-type]


def formatted(root: Path) -> list[str]:
    return [d.format() for d in catalog_of(root)[1]]


def test_minimal_content_gives_a_complete_catalog(content) -> None:
    catalog, found = catalog_of(content())
    assert found == ()
    assert catalog is not None
    product = catalog.product("sepatu-kulit")
    assert (product.price, product.sku, product.min_order) == (275000, "SRG-001", 1)
    assert product.availability == "available"
    assert product.body_html == "<p>Sepatu kulit buatan warga binaan.</p>"
    assert catalog.products_of(catalog.facility("lapas-serang")) == (product,)
    assert catalog.site.base_url == "https://uji.example.go.id/"


def test_transactions_resolve_seller_and_default_pnbp(content) -> None:
    root = content({"site.yaml": "title: U\norganization: K\nbase_url: https://u.go.id\n"
                                 "pnbp_rate: 0.25\n",
                    "transactions/2025.csv": "date,product,quantity,unit_price,buyer,channel,pnbp\n"
                    "2025-01-10,sepatu-kulit,3,100001,Dinas,direct,\n"
                    "2025-01-11,sepatu-kulit,1,1000,Dinas,direct,7\n"})
    catalog, _ = catalog_of(root)
    assert catalog is not None
    first, second = catalog.transactions
    assert (first.seller, first.category, first.buyer_type) == ("lapas-serang", "alas-kaki",
                                                                "public")
    assert (first.total, first.pnbp, second.pnbp) == (300003, 75001, 7)
    assert first.date == dt.date(2025, 1, 10)
    assert catalog.site.base_url == "https://u.go.id/"


def test_drafts_are_left_out_unless_asked(content) -> None:
    root = content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace(
        "unit: pasang", "unit: pasang\ndraft: true")})
    assert catalog_of(root)[0].products == ()
    assert len(catalog_of(root, drafts=True)[0].products) == 1


def test_empty_optional_fields_mean_not_given(content) -> None:
    root = content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace(
        "price: 275000", "price:\nekatalog:\nen:\n  name:")})
    catalog, found = catalog_of(root)
    assert found == ()
    assert catalog.products[0].price is None
    assert catalog.products[0].ekatalog is None


def test_english_text_is_rendered_and_optional(content) -> None:
    root = content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace(
        "unit: pasang", "unit: pasang\nen:\n  name: Leather Shoes\n  description: |\n"
        "    Made by hand.\n    <script>x</script>")})
    catalog, found = catalog_of(root)
    assert catalog.products[0].en.name == "Leather Shoes"
    assert catalog.products[0].en_body_html == "<p>Made by hand.</p>\n"
    assert [d.format() for d in found] == [
        "content/products/lapas-serang/sepatu-kulit.md:10:1: peringatan: en.description: tag"
        " HTML <script> dihapus demi keamanan dan tidak akan tampil (warning: HTML tag <script>"
        " removed for safety and will not be shown)"]


def test_unknown_fields_warn_with_a_suggestion_and_do_not_block(content) -> None:
    root = content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace(
        "unit: pasang", "unit: pasang\nprise: 1\nekatalog:\n  status: draft\n  urll: x")})
    catalog, _ = catalog_of(root)
    assert catalog is not None
    assert formatted(root) == [
        "content/products/lapas-serang/sepatu-kulit.md:6:1: peringatan: prise: field tidak"
        " dikenal dan diabaikan; mungkin maksudnya \"price\"? (warning: unknown field, ignored;"
        " did you mean \"price\"?)",
        "content/products/lapas-serang/sepatu-kulit.md:9:3: peringatan: ekatalog.urll: field"
        " tidak dikenal dan diabaikan; mungkin maksudnya \"url\"? (warning: unknown field,"
        " ignored; did you mean \"url\"?)",
    ]


def test_a_broken_facility_file_causes_no_second_error_in_its_products(content) -> None:
    root = content({"facilities/lapas-serang.md": "---\nname: [\n---\n"})
    found = formatted(root)
    assert len(found) == 1
    assert found[0].startswith("content/facilities/lapas-serang.md:")


def test_whatsapp_numbers_become_international(content) -> None:
    root = content({"facilities/lapas-serang.md": "---\nname: L\nkind: lapas\ncity: S\n"
                    "contact:\n  whatsapp: \"0812-3456-7890\"\n---\n"})
    assert catalog_of(root)[0].facility("lapas-serang").contact.whatsapp == "6281234567890"


def test_a_unit_buying_from_itself_is_a_warning(content) -> None:
    root = content({"transactions/2025.csv": "date,product,quantity,unit_price,buyer,buyer_type"
                    ",channel\n2025-01-10,sepatu-kulit,1,1,lapas-serang,upt,ekatalog\n"})
    assert formatted(root) == [
        "content/transactions/2025.csv:2:1: peringatan: buyer: unit membeli dari dirinya sendiri"
        " (warning: a unit buys from itself)"]


def test_without_a_today_no_sale_is_in_the_future(content) -> None:
    root = content({"transactions/2025.csv": "date,product,quantity,unit_price,buyer,channel\n"
                    "2099-01-10,sepatu-kulit,1,1,Budi,direct\n"})
    assert formatted(root) == []
    found = [d.format() for d in catalog_of(root, today=dt.date(2099, 1, 9))[1]]
    assert found == [
        "content/transactions/2025.csv:2:1: galat: date: tanggal 2099-01-10 belum terjadi (hari"
        " ini 2099-01-09); periksa tahunnya (error: the date 2099-01-10 is in the future (today"
        " is 2099-01-09); check the year)"]


def test_catalog_lists_every_photo_shown_with_the_line_naming_it(content) -> None:
    shoe = PRODUCT.replace("images: [sepatu-kulit.jpg]", "images:\n  - sepatu.jpg\n"
                           "  - /bersama/logo.png")
    draft = PRODUCT.replace("images: [sepatu-kulit.jpg]", "draft: true\nimages: [draf.jpg]"
                            ).replace("sepatu-kulit", "x").replace("SRG-001", "SRG-002")
    root = content({
        "products/lapas-serang/sepatu-kulit.md": shoe,
        "products/lapas-serang/sepatu-draf.md": draft,
        "products/lapas-serang/sepatu.jpg": b"x", "products/lapas-serang/draf.jpg": b"x",
        "bersama/logo.png": b"x", "facilities/lapas-serang.jpg": b"x",
        "facilities/lapas-serang.md": "---\nname: Lapas\nkind: lapas\ncity: Serang\n"
                                      "photo: lapas-serang.jpg\n---\n",
    })
    catalog, _ = catalog_of(root)
    assert catalog is not None
    assert [(p.path, str(p.where), p.field, p.written, p.is_cover) for p in catalog.photos] == [
        ("bersama/logo.png", "content/products/lapas-serang/sepatu-kulit.md:10:5", "images.1",
         "/bersama/logo.png", False),
        ("facilities/lapas-serang.jpg", "content/facilities/lapas-serang.md:5:8", "photo",
         "lapas-serang.jpg", True),
        ("products/lapas-serang/sepatu.jpg", "content/products/lapas-serang/sepatu-kulit.md:9:5",
         "images.0", "sepatu.jpg", True),
    ]
    with_drafts, _ = catalog_of(root, drafts=True)
    assert with_drafts is not None
    assert "products/lapas-serang/draf.jpg" in {p.path for p in with_drafts.photos}


def test_markdown_converted_in_worker_processes_gives_the_same_catalogue(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A large catalogue's Markdown bodies are converted in several processes first: the same
    records and diagnostics as one process converting each as it is checked."""
    sources = load_sources(Path(__file__).resolve().parent.parent / "content")
    alone = build_catalog(sources, workers=1)
    monkeypatch.setattr(validate, "MARKDOWN_POOL_FROM", 1)
    monkeypatch.setattr(validate, "MARKDOWN_CHUNK", 7)
    pooled = build_catalog(sources, workers=2)
    assert alone[0] is not None and len(alone[0].products) > 20
    assert pooled == alone
    assert [p.body_html for p in pooled[0].products] == [p.body_html for p in alone[0].products]


def test_records_given_the_same_fields_share_one_set_of_them(content) -> None:
    """Pydantic's set of the fields each record was given is kept once per distinct set, not
    once per record (1.8 KB a product), and still answers for each record."""
    root = content({"products/lapas-serang/sandal.md": PRODUCT.replace("SRG-001", "SRG-2"),
                    "products/lapas-serang/sabuk.md": PRODUCT.replace("SRG-001", "SRG-3").replace(
                        "unit: pasang", "unit: pasang\nstock: 4")})
    catalog, found = catalog_of(root)
    assert catalog is not None, [d.format() for d in found]
    shoes, sandals, belt = (catalog.product(s) for s in ("sepatu-kulit", "sandal", "sabuk"))
    assert shoes.model_fields_set is sandals.model_fields_set
    assert belt.model_fields_set == shoes.model_fields_set | {"stock"}
    copied = shoes.model_copy(update={"stock": 9})
    assert "stock" in copied.model_fields_set and "stock" not in sandals.model_fields_set
