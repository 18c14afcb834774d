"""E-catalogue readiness: the form's checks on products with known gaps, and what pages show."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from generator.imaging import Picture
from generator.model import Listing, Tkdn
from generator.readiness import CHECKS, assess, load_form, photo_sizes
from generator.translations import load_translations
from tests.catalogs import catalog, category, live, product

TODAY = dt.date(2025, 6, 1)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAPPED = {"ekatalog_category": ("Pakaian", "Alas Kaki", "Sepatu")}


def gaps(book, slug: str) -> dict[str, str]:
    ready = book.by_product[slug]
    return {item.key: item.problem for item in ready.missing}


def complete_shoe(**changes: object) -> object:
    fields: dict[str, object] = {
        "name": "Sepatu Kulit", "unit": "pasang", "price": 275_000, "brand": "Langkah",
        "specs": {"Bahan": "Kulit sapi"}, "stock": 10, "images": ("sepatu.jpg",),
        "ekatalog": live(kbki="29330", sni="SNI-1",
                         tkdn=Tkdn(percent=42.5, certificate="T-1",
                                   valid_until=dt.date(2026, 1, 1))),
    }
    return product("sepatu-kulit", **(fields | changes))


def shop(*products: object, **category_fields: object) -> object:
    return catalog(tuple(products),  # type: ignore[arg-type]
                   categories=(category("alas-kaki", "Alas Kaki", **category_fields),))


def test_a_complete_product_scores_every_applicable_check() -> None:
    book = assess(shop(complete_shoe(), **MAPPED, tkdn_required=True, sni_required=True),
                  TODAY, {"products/lapas-a/sepatu.jpg": (800, 600)})
    ready = book.by_product["sepatu-kulit"]
    assert (ready.score, ready.total, ready.complete) == (12, 12, True)
    assert [i.key for i in ready.items] == [
        "category", "name", "photo", "kbki", "origin", "tkdn", "sni", "brand", "specs", "unit",
        "price", "supply"]
    assert not ready.listable  # already live


def test_tkdn_and_sni_count_only_where_the_category_asks() -> None:
    bare = product("kaos", category="alas-kaki")
    book = assess(shop(bare, **MAPPED), TODAY)
    assert book.by_product["kaos"].total == 10
    asked = assess(shop(bare, **MAPPED, tkdn_required=True, sni_required=True), TODAY)
    assert asked.by_product["kaos"].total == 12


def test_known_gaps_are_named_with_their_problem() -> None:
    bare = product("kaos", name="Kaos Polos", unit="pcs")
    book = assess(shop(bare), TODAY, {})
    assert gaps(book, "kaos") == {"category": "missing", "photo": "missing", "kbki": "missing",
                                  "brand": "missing", "specs": "missing", "price": "missing",
                                  "supply": "missing"}
    ready = book.by_product["kaos"]
    assert (ready.score, ready.total) == (3, 10)  # name, origin and unit are always there


def test_expired_certificate_small_photo_and_old_price() -> None:
    shoe = complete_shoe(price_valid_until=dt.date(2025, 5, 31), ekatalog=Listing(
        status="submitted", kbki="29330",
        tkdn=Tkdn(percent=40, certificate="T-1", valid_until=dt.date(2025, 1, 1))))
    book = assess(shop(shoe, **MAPPED, tkdn_required=True), TODAY,
                  {"products/lapas-a/sepatu.jpg": (640, 299)})
    assert gaps(book, "sepatu-kulit") == {"photo": "small", "tkdn": "expired",
                                          "price": "expired"}
    no_date = complete_shoe(ekatalog=Listing(status="draft", tkdn=Tkdn(percent=40)))
    book = assess(shop(no_date, **MAPPED, tkdn_required=True), TODAY, None)
    assert gaps(book, "sepatu-kulit")["tkdn"] == "incomplete"
    assert "photo" not in gaps(book, "sepatu-kulit")  # sizes not measured: a photo counts


def test_capacity_stands_in_for_stock() -> None:
    made_to_order = complete_shoe(stock=None, capacity_per_month=150)
    book = assess(shop(made_to_order, **MAPPED), TODAY, None)
    assert "supply" not in gaps(book, "sepatu-kulit")


def test_units_rank_their_products_fewest_gaps_first_and_count_the_listable() -> None:
    ready = complete_shoe(ekatalog=Listing(status="submitted", kbki="1", sni="S"))
    almost = product("sandal", name="Sandal", brand="Langkah", unit="pasang")
    gone = complete_shoe(availability="discontinued", ekatalog=Listing(
        status="draft", kbki="1", sni="S")).model_copy(update={"slug": "sepatu-lama"})
    book = assess(shop(almost, gone, ready, **MAPPED), TODAY, None)
    unit = book.units[0]
    assert [r.product.slug for r in unit.rows] == ["sepatu-kulit", "sepatu-lama", "sandal"]
    assert (unit.products, unit.complete, unit.listable, unit.live) == (3, 2, 1, 0)
    assert (book.complete, book.listable) == (2, 1)
    assert book.gaps[0].key in {"kbki", "photo", "price", "specs", "supply"}
    assert book.gaps[0].missing == 1 and book.gaps[0].applies == 3


def test_photo_sizes_come_from_the_published_pictures() -> None:
    pictures = {"products/lapas-a/sepatu.jpg": Picture(400, 320, (320, 400))}
    assert photo_sizes(pictures) == {"products/lapas-a/sepatu.jpg": (400, 320)}


def test_every_check_of_the_form_has_code_and_words_in_both_languages() -> None:
    form = load_form()
    assert {c.key for c in form.checks} == set(CHECKS)
    for lang in ("id", "en"):
        strings = load_translations(TEMPLATES / "i18n", lang)
        for check in form.checks:
            assert strings(f"readiness.item.{check.key}"), (lang, check.key)
    assert form.min_photo_side == 300


def test_product_page_shows_the_score_and_what_is_missing(content, run) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (280, 200), "#174a5a").save(photo, format="PNG")
    root = content({
        "products/lapas-serang/foto.png": photo.getvalue(),
        "products/lapas-serang/sepatu-kulit.md": """\
            ---
            name: Sepatu Kulit
            facility: lapas-serang
            category: alas-kaki
            unit: pasang
            price: 275000
            images: [foto.png]
            ---
            Sepatu.
            """,
    })
    code, _, err = run("build", "--content", str(root), "--out", "site")
    assert code == 0, err
    html = (root.parent / "site/produk/sepatu-kulit/index.html").read_text("utf-8")
    assert '<h2 id="readiness">Siap e-Katalog: 4/10</h2>' in html
    for shown in ("Kategori e-Katalog tiga tingkat: belum diisi",
                  "Foto produk: foto terbesar kurang dari 300 px di sisi terpendek",
                  "Kode KBKI: belum diisi", "Merek: belum diisi", "Spesifikasi: belum diisi",
                  "Stok atau kapasitas produksi: belum diisi"):
        assert shown in html, shown
    english = (root.parent / "site/en/products/sepatu-kulit/index.html").read_text("utf-8")
    assert "Ready for the e-catalogue: 4/10" in english
    unit = (root.parent / "site/upt/lapas-serang/index.html").read_text("utf-8")
    assert "0 dari 1 produk lengkap datanya untuk formulir e-Katalog" in unit
    assert 'href="/data/katalog-saku-lapas-serang.pdf"' in unit


@pytest.mark.parametrize(("levels", "message"), [
    ("[Pakaian, Alas Kaki]", "categories.yaml:3:22: galat: ekatalog_category: tulis tepat tiga"
     " tingkat kategori e-Katalog, tertulis 2: [tingkat 1, tingkat 2, tingkat 3] (error:"
     " write exactly three e-catalogue category levels, written 2: [level 1, level 2,"
     " level 3])"),
])
def test_a_category_needs_three_levels(content, run, levels: str, message: str) -> None:
    root = content({"categories.yaml": f"""\
        - slug: alas-kaki
          name: Alas Kaki
          ekatalog_category: {levels}
        - slug: pakaian
          name: Pakaian
        """})
    code, _, err = run("check", "--content", str(root))
    assert code == 1
    assert err.splitlines()[0] == f"content/{message}"


def test_products_with_the_same_outcome_of_a_check_share_its_item() -> None:
    """A catalogue of 50,000 products has over a million checks and few distinct outcomes:
    each outcome is held once (60 MB less), and still told apart."""
    shoe = complete_shoe()
    book = assess(shop(shoe, shoe.model_copy(update={"slug": "sandal", "name": "Sandal"}),
                       shoe.model_copy(update={"slug": "sabuk", "brand": None}), **MAPPED),
                  TODAY, {"products/lapas-a/sepatu.jpg": (800, 600)})
    shoes, sandals, belt = (book.by_product[s] for s in ("sepatu-kulit", "sandal", "sabuk"))
    assert shoes.items is sandals.items
    assert all(a is b for a, b in zip(shoes.items, belt.items, strict=True)
               if a.key != "brand")
    assert ([i.key for i in shoes.missing], [i.key for i in belt.missing]) == ([], ["brand"])
