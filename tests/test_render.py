"""Rendering: what a visitor sees on the pages, in both languages, and the files beside them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.formats import (
    format_date,
    format_decimal,
    format_money,
    format_month,
    format_number,
    format_percent,
)
from generator.model import Catalog, Listing, Tkdn
from generator.pages import site_pages
from generator.render import render_site
from generator.translations import flatten, load_translations
from tests.catalogs import catalog, facility, live, page, product, sale

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BUILD_DATE = dt.date(2024, 6, 1)
ID = load_translations(TEMPLATES / "i18n", "id").locale
EN = load_translations(TEMPLATES / "i18n", "en").locale


def render(shop: Catalog) -> dict[str, str]:
    """Every output as text (binary files are not made by render)."""
    outputs = render_site(shop, site_pages(shop, BUILD_DATE), TEMPLATES)
    return {path: data.decode("utf-8") for path, data in outputs.items()}


def shop_catalog(**site_changes: object) -> Catalog:
    shoe = product(
        "sepatu-kulit", name="Sepatu Kulit", price=1_250_000, unit="pasang",
        price_valid_until=dt.date(2024, 3, 5), en={"name": "Leather Shoes"},
        body_html="<p>Kulit sapi asli.</p>", en_body_html="<p>Genuine cowhide.</p>",
        ekatalog=live("https://katalog.example/p/77", tkdn=Tkdn(percent=45.5)),
        specs={"Ukuran": "39–44"}, added=dt.date(2024, 3, 5), featured=True,
    )
    bag = product("tas-anyaman", name="Tas Anyaman", body_html="<p>Tas pandan.</p>",
                  ekatalog=Listing(status="submitted"), added=dt.date(2024, 2, 1))
    units = (facility("lapas-a", name="Lapas Kelas IIA Serang", class_="IIA",
                      en={"name": "Serang Class IIA Prison"}),)
    sales = (sale("2024-03-05", shoe, 2, 1_250_000, "Dinas Uji", "government", "direct"),)
    return catalog((shoe, bag), facilities=units, transactions=sales,
                   pages=(page("tentang", "Tentang kami", body_html="<p>Halo.</p>"),),
                   **site_changes)


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render(shop_catalog(sample_data=True))


class Links(HTMLParser):
    """Collects every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.links


def main_text(html: str) -> str:
    """The visible text inside <main>, tags removed, spaces collapsed."""
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# Formats

@pytest.mark.parametrize(("value", "indonesian", "english"), [
    (1_250_000, "Rp 1.250.000", "IDR 1,250,000"), (0, "Rp 0", "IDR 0"),
    (500, "Rp 500", "IDR 500"), (None, "–", "–"),
])
def test_money(value: int | None, indonesian: str, english: str) -> None:
    assert format_money(value, ID) == indonesian
    assert format_money(value, EN) == english


def test_numbers_percentages_and_dates() -> None:
    assert (format_number(19_316, ID), format_number(19_316, EN)) == ("19.316", "19,316")
    assert (format_percent(45.5, ID), format_percent(45.5, EN)) == ("45,5%", "45.5%")
    assert (format_percent(100.0, ID), format_percent(33.25, ID)) == ("100%", "33,2%")
    assert format_decimal(1234.5, ID) == "1.234,5"
    assert format_date(dt.date(2024, 3, 5), ID) == "5 Maret 2024"
    assert format_date(dt.date(2024, 3, 5), EN) == "5 March 2024"
    assert (format_month("2024-08", ID), format_month("2024-08", EN)) == (
        "Agustus 2024", "August 2024")


# Product page

def test_product_page_in_indonesian(site: dict[str, str]) -> None:
    text = main_text(site["produk/sepatu-kulit/index.html"])
    for shown in ("Sepatu Kulit", "Rp 1.250.000", "/ pasang", "5 Maret 2024", "TKDN 45,5%",
                  "Tayang di e-Katalog", "Beli di e-Katalog", "Lapas Kelas IIA Serang",
                  "Kulit sapi asli.", "Spesifikasi", "Ukuran", "Pesanan minimal"):
        assert shown in text, shown
    html = site["produk/sepatu-kulit/index.html"]
    assert '<html lang="id">' in html
    assert '<a class="button" href="https://katalog.example/p/77"' in html


def test_product_page_in_english(site: dict[str, str]) -> None:
    html = site["en/products/sepatu-kulit/index.html"]
    text = main_text(html)
    for shown in ("Leather Shoes", "IDR 1,250,000", "5 March 2024", "TKDN 45.5%",
                  "Buy on the e-Catalogue", "Serang Class IIA Prison", "Genuine cowhide."):
        assert shown in text, shown
    assert '<html lang="en">' in html
    assert '<span lang="id">pasang</span>' in html  # unit of sale has no English field


def test_untranslated_content_is_marked_indonesian(site: dict[str, str]) -> None:
    html = site["en/products/tas-anyaman/index.html"]
    assert '<h1><span lang="id">Tas Anyaman</span></h1>' in html
    assert '<div lang="id"><p>Tas pandan.</p></div>' in html
    assert "Price on request" in main_text(html)
    assert "Submitted to the e-catalogue" in main_text(html)


def test_stale_price_is_flagged(site: dict[str, str]) -> None:
    # price_valid_until 5 March 2024 is before the build date of 1 June 2024
    assert "Harga ini berlaku sampai 5 Maret 2024" in main_text(
        site["produk/sepatu-kulit/index.html"])


def test_product_without_price_says_price_on_request(site: dict[str, str]) -> None:
    assert "Harga atas permintaan" in main_text(site["produk/tas-anyaman/index.html"])
    assert "Beli di e-Katalog" not in main_text(site["produk/tas-anyaman/index.html"])


# Whole site

def test_every_page_says_the_data_are_samples(site: dict[str, str]) -> None:
    pages = {path: html for path, html in site.items() if path.endswith(".html")}
    for path, html in pages.items():
        notice = "Data contoh:" if not path.startswith("en/") else "Sample data:"
        assert notice in html, path
    assert "angka dan produk di situs ini hanya ilustrasi." in site["index.html"]
    assert "the figures and products on this site are for illustration only." in site[
        "en/index.html"]


def test_no_sample_notice_on_real_data() -> None:
    assert "sample-notice" not in render(shop_catalog())["index.html"]


def test_hostile_product_name_is_escaped_everywhere() -> None:
    evil = "<img src=x onerror=alert(1)>"
    shop = catalog((product("jahat", name=evil, added=dt.date(2024, 1, 1)),))
    site = render(shop)
    for path in ("produk/jahat/index.html", "produk/index.html", "en/products/jahat/index.html",
                 "feed.xml", "index.html"):
        assert "<img src=x" not in site[path], path
    assert "&lt;img src=x onerror=alert(1)&gt;" in site["produk/jahat/index.html"]
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in site["produk/jahat/index.html"]
    assert json.loads(site["data/products.json"])["products"][0]["name"] == evil


def test_site_under_a_sub_path_links_inside_it() -> None:
    site = render(shop_catalog(base_url="https://host.example/katalog/"))
    for path, html in site.items():
        if not path.endswith(".html"):
            continue
        for link in links_of(html):
            if link.startswith("/"):
                assert link.startswith("/katalog/"), (path, link)
    home = site["en/index.html"]
    assert '<link rel="canonical" href="https://host.example/katalog/en/">' in home
    assert '<link rel="stylesheet" href="/katalog/static/style.css">' in home
    assert "Sitemap: https://host.example/katalog/sitemap.xml" in site["robots.txt"]


def test_every_internal_link_leads_to_a_page() -> None:
    site = render(shop_catalog(base_url="https://host.example/katalog/"))
    for path, html in site.items():
        for link in links_of(html) if path.endswith(".html") else ():
            if not link.startswith("/katalog/"):
                continue
            target = link.removeprefix("/katalog/").split("#")[0]
            target = target + "index.html" if target.endswith("/") or not target else target
            assert target in site, (path, link)


def test_two_renders_are_byte_identical() -> None:
    shop = shop_catalog(sample_data=True)
    pages = site_pages(shop, BUILD_DATE)
    assert render_site(shop, pages, TEMPLATES) == render_site(shop, pages, TEMPLATES)


def test_language_switch_links_to_the_twin_page(site: dict[str, str]) -> None:
    html = site["produk/sepatu-kulit/index.html"]
    assert '<a href="/en/products/sepatu-kulit/" hreflang="en" lang="en">English</a>' in html
    assert '<link rel="alternate" hreflang="en" href="https://contoh.go.id/en/products/' \
           'sepatu-kulit/">' in html


def test_indonesian_only_site_has_no_language_switch() -> None:
    site = render(shop_catalog(languages=("id",)))
    assert not [path for path in site if path.startswith("en/")]
    assert "lang-switch" not in site["produk/sepatu-kulit/index.html"]
    assert "hreflang" not in site["produk/sepatu-kulit/index.html"]


def test_not_found_page_speaks_both_languages(site: dict[str, str]) -> None:
    html = site["404.html"]
    assert "Halaman tidak ditemukan" in html and "Page not found" in html
    assert '<section class="not-found" lang="en">' in html
    assert "canonical" not in html


def test_statistics_page_has_captioned_tables(site: dict[str, str]) -> None:
    html = site["statistik/index.html"]
    for caption in ("Status pendaftaran produk di e-Katalog", "Transaksi per bulan",
                    "Transaksi per unit penjual", "Transaksi per kategori",
                    "Transaksi per saluran penjualan", "Jumlah kendala per unit menurut status"):
        assert f"<caption>{caption}</caption>" in html
    text = main_text(html)
    assert "1 transaksi, 2 barang, senilai Rp 2.500.000." in text
    assert "Maret 2024" in text


def test_free_page_and_footer_link(site: dict[str, str]) -> None:
    assert "Halo." in site["tentang/index.html"]
    assert '<a href="/tentang/">Tentang kami</a>' in site["index.html"]
    assert '<a href="/en/tentang/"><span lang="id">Tentang kami</span></a>' in site[
        "en/index.html"]


# Files beside the pages

def test_products_json_is_sorted_and_complete(site: dict[str, str]) -> None:
    text = site["data/products.json"]
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert [p["slug"] for p in data["products"]] == ["sepatu-kulit", "tas-anyaman"]
    shoe = data["products"][0]
    assert shoe["price"] == 1_250_000 and shoe["name_en"] == "Leather Shoes"
    assert shoe["urls"] == {"id": "https://contoh.go.id/produk/sepatu-kulit/",
                            "en": "https://contoh.go.id/en/products/sepatu-kulit/"}
    assert json.loads(site["data/facilities.json"])["facilities"][0]["class"] == "IIA"


def test_products_csv_opens_in_a_spreadsheet(site: dict[str, str]) -> None:
    text = site["data/products.csv"]
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["slug"] == "sepatu-kulit" and rows[0]["price"] == "1250000"
    assert rows[0]["ekatalog_status"] == "live" and rows[0]["tkdn_percent"] == "45.5"
    assert rows[1]["price"] == ""


def test_stats_json(site: dict[str, str]) -> None:
    data = json.loads(site["data/stats.json"])
    assert data["schema_version"] == 1
    assert data["transactions"]["value"] == 2_500_000


def test_feed_lists_newest_products_with_the_build_date(site: dict[str, str]) -> None:
    feed = ET.fromstring(site["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}updated") == "2024-06-01T00:00:00Z"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert titles == ["Sepatu Kulit", "Tas Anyaman"]
    english = ET.fromstring(site["en/feed.xml"])
    first = english.find(f"{atom}entry")
    assert first is not None and first.findtext(f"{atom}title") == "Leather Shoes"


def test_sitemap_lists_pages_in_both_languages(site: dict[str, str]) -> None:
    sitemap = ET.fromstring(site["sitemap.xml"])
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://contoh.go.id/produk/sepatu-kulit/" in locs
    assert "https://contoh.go.id/en/products/sepatu-kulit/" in locs
    assert "https://contoh.go.id/produk/harga/" not in locs
    assert len(locs) == len(set(locs))


def test_stylesheet_is_copied_and_asks_no_other_host(site: dict[str, str]) -> None:
    css = site["static/style.css"]
    assert len(css.encode()) < 15_000
    assert "http" not in css and "@import" not in css


# Translations

def test_both_languages_have_the_same_ui_strings() -> None:
    strings = {lang: load_translations(TEMPLATES / "i18n", lang).strings for lang in ("id", "en")}
    assert set(strings["id"]) == set(strings["en"])


def test_every_string_a_template_asks_for_exists() -> None:
    keys = set(load_translations(TEMPLATES / "i18n", "id").strings)
    asked = set()
    for template in TEMPLATES.rglob("*"):
        if template.suffix in (".html", ".xml", ".txt"):
            text = template.read_text(encoding="utf-8")
            asked |= set(re.findall(r"\bt(?:_in\(\w+, |\()[\"']([a-z_.\-]+)[\"']", text))
    exact = {key for key in asked if not key.endswith(".")}
    assert exact and exact <= keys, exact - keys
    prefixes = asked - exact  # t("kind." ~ facility.kind): some key must start with it
    assert all(any(key.startswith(prefix) for key in keys) for prefix in prefixes)


def test_flatten_numbers_lists_from_one() -> None:
    assert flatten({"a": {"b": "x"}, "m": ["j", "f"]}) == {"a.b": "x", "m.1": "j", "m.2": "f"}


def test_product_images_link_into_media() -> None:
    shop = catalog((product("sepatu", name="Sepatu", images=("sepatu.jpg", "/umum/b.png")),),
                   base_url="https://host.example/katalog/")
    html = render(shop)["produk/sepatu/index.html"]
    assert '<img src="/katalog/media/products/lapas-a/sepatu.jpg" alt="Sepatu, foto 1">' in html
    assert '<img src="/katalog/media/umum/b.png" alt="Sepatu, foto 2" loading="lazy">' in html
    assert '"image": ["https://host.example/katalog/media/products/lapas-a/sepatu.jpg"' in html
