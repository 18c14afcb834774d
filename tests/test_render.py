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

from generator.changes import Changes
from generator.formats import (
    format_date,
    format_decimal,
    format_money,
    format_month,
    format_number,
    format_percent,
)
from generator.imaging import Picture
from generator.model import Catalog, Listing, Tkdn
from generator.opendata import changes_pages
from generator.pages import site_pages
from generator.render import render_site
from generator.translations import MissingString, flatten, load_translations
from tests.catalogs import catalog, facility, live, page, product, sale

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BUILD_DATE = dt.date(2024, 6, 1)
ID = load_translations(TEMPLATES / "i18n", "id").locale
EN = load_translations(TEMPLATES / "i18n", "en").locale


def render(shop: Catalog, pictures: dict[str, Picture] | None = None) -> dict[str, str]:
    """Every page and text file as text, with the changes page of a first build; the
    spreadsheets and PDFs beside them are tested in test_supplier_sheet and test_pocket."""
    first = changes_pages(shop, Changes(None, len(shop.products)))
    outputs = render_site(shop, site_pages(shop, BUILD_DATE, first), TEMPLATES, pictures)
    return {path: data.decode("utf-8") for path, data in outputs.items()}


DOWNLOADS_BESIDE = re.compile(
    r"^data/(ekatalog.*\.(csv|xlsx)|katalog-saku.*\.pdf|changes\.json|.*\.schema\.json)$")


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
    assert '<a class="button button-ekatalog" href="https://katalog.example/p/77"' in html


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
    assert "angka, produk, dan foto di situs ini hanya ilustrasi." in site["index.html"]
    assert "the figures, products and photos on this site are for illustration only." in site[
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
            assert target in site or DOWNLOADS_BESIDE.match(target), (path, link)


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
    assert "Rp 2.500.000 nilai 1 transaksi (2 barang)" in text
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
    assert data["schema_version"] == 2
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


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_is_an_index_of_one_sitemap_per_language(site: dict[str, str]) -> None:
    index = ET.fromstring(site["sitemap.xml"])
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [e.text for e in index.iter(f"{SITEMAP}loc")] == [
        "https://contoh.go.id/sitemap-id.xml", "https://contoh.go.id/sitemap-en.xml"]
    assert site["robots.txt"].endswith("Sitemap: https://contoh.go.id/sitemap.xml\n")


@pytest.mark.parametrize(("name", "page", "other"), [
    ("sitemap-id.xml", "https://contoh.go.id/produk/sepatu-kulit/",
     "https://contoh.go.id/en/products/sepatu-kulit/"),
    ("sitemap-en.xml", "https://contoh.go.id/en/products/sepatu-kulit/",
     "https://contoh.go.id/produk/sepatu-kulit/"),
])
def test_each_language_sitemap_lists_its_pages_with_their_twins(
        site: dict[str, str], name: str, page: str, other: str) -> None:
    urlset = ET.fromstring(site[name])
    assert urlset.tag == f"{SITEMAP}urlset"
    locs = [e.text or "" for e in urlset.iter(f"{SITEMAP}loc")]
    assert page in locs and other not in locs
    assert "https://contoh.go.id/produk/harga/" not in locs
    assert len(locs) == len(set(locs))
    english = name == "sitemap-en.xml"
    assert all(loc.startswith("https://contoh.go.id/en/") == english for loc in locs)
    entry = next(u for u in urlset.iter(f"{SITEMAP}url") if u.findtext(f"{SITEMAP}loc") == page)
    links = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    assert links == {"id": "https://contoh.go.id/produk/sepatu-kulit/",
                     "en": "https://contoh.go.id/en/products/sepatu-kulit/",
                     "x-default": "https://contoh.go.id/produk/sepatu-kulit/"}


def test_single_language_sitemap_has_no_alternates() -> None:
    site = render(shop_catalog(languages=("id",)))
    assert "sitemap-en.xml" not in site
    assert "xhtml:link" not in site["sitemap-id.xml"]
    assert "https://contoh.go.id/sitemap-id.xml" in site["sitemap.xml"]


def test_stylesheet_is_copied_and_asks_no_other_host(site: dict[str, str]) -> None:
    css = site["static/style.css"]
    assert len(css.encode()) < 25_000  # about 5 KB over the wire, gzipped
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


def test_ui_strings_without_placeholders_are_written_into_the_compiled_template() -> None:
    from markupsafe import Markup

    from generator.render import make_environment
    from generator.urls import SiteUrls

    shop = shop_catalog()
    strings = {lang: load_translations(TEMPLATES / "i18n", lang) for lang in ("id", "en")}
    env = make_environment(TEMPLATES, shop, SiteUrls.of(shop.site), strings, "en")
    source = ('<a title="{{ t("search.label") }}">{{ t("search.label") ~ "!" }}</a>'
              '{{ t("search.found_many", count=2) }}'
              '{% if missing %}{{ t("no.such.key") }}{% endif %}')
    label = Markup.escape(strings["en"]("search.label"))
    code = env.compile(source, raw=True)
    assert f"""'<a title="{label}">{label}!</a>'""" in code  # one piece of text, no call
    assert "'search.label'" not in code and "'search.found_many'" in code
    template = env.from_string(source)
    results = strings["en"]("search.found_many", count=2)
    assert template.render(missing=False) == f'<a title="{label}">{label}!</a>{results}'
    with pytest.raises(MissingString, match=re.escape("no UI string 'no.such.key' in i18n/en")):
        template.render(missing=True)  # fails where it renders, as an unknown key always did
    own = '{% macro m(t) %}{{ t("search.label") }}{% endmacro %}{{ m(upper) }}'
    assert env.from_string(own).render(upper=str.upper) == "SEARCH.LABEL"  # its own `t`
    imported = '{% from "partials/price.html" import price as t %}{{ t("search.label") }}'
    assert "Search products" not in env.compile(imported, raw=True)


def test_what_templates_write_and_call_is_what_jinja2_itself_gives() -> None:
    """`{{ value }}` is escaped, and helpers and macros called, by shorter paths than
    Jinja2's: the same text for every kind of value, and a callable that asks for the
    context, the environment or a loop's variables still gets them."""
    from jinja2 import Environment, StrictUndefined, pass_context, pass_environment
    from markupsafe import Markup

    from generator.render import make_environment
    from generator.urls import SiteUrls

    class Html:
        def __html__(self) -> str:
            return "<b>own</b>"

    class Asks:
        @pass_context
        def __call__(self, context: object, name: str) -> str:
            return f"{name}={context['lang']}"  # type: ignore[index]

    @pass_context
    def loop_value(context: object) -> str:
        return str(context["shown"])  # type: ignore[index]

    values = ["<a href='x'>&\"</a>", Markup("<i>kept</i>"), Html(), 12, 3.5, None, True, "",
              ("<", ">"), "Kopi & teh"]
    source = ('{% macro box(x) %}<{{ x }}|{{ caller() if caller is defined else "" }}>'
              '{% endmacro %}'
              '{% for v in values %}[{{ v }}]{% endfor %}{{ box("<&>") }}'
              '{% call box(1) %}in{{ "<" }}{% endcall %}{{ asks("&") }}{{ env_name() }}'
              '{% for v in values[3:5] %}{% set shown = v * 2 %}{{ loop_value() }}{% endfor %}'
              '{% set kept %}{{ "<" }}{% endset %}{{ kept }}{{ "<x>"|upper }}')
    helpers = {"asks": Asks(), "loop_value": loop_value,
               "env_name": pass_environment(lambda env: env.undefined.__name__)}
    shop = shop_catalog()
    strings = {lang: load_translations(TEMPLATES / "i18n", lang) for lang in ("id", "en")}
    ours = make_environment(TEMPLATES, shop, SiteUrls.of(shop.site), strings, "en")
    ours.globals.update(helpers)
    jinja = Environment(autoescape=True, undefined=StrictUndefined)
    jinja.globals.update(helpers, lang="en")
    written = ours.from_string(source).render(values=values)
    assert written == jinja.from_string(source).render(values=values)
    assert written == (
        "[&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;][<i>kept</i>][<b>own</b>][12][3.5][None]"
        "[True][][(&#39;&lt;&#39;, &#39;&gt;&#39;)][Kopi &amp; teh]<&lt;&amp;&gt;|><1|in&lt;>"
        "&amp;=enStrictUndefined247.0&lt;&lt;X&gt;")
    assert "environment.escaped(" in ours.compile(source, raw=True)


def test_ui_strings_escape_what_fills_them_but_not_markup() -> None:
    from markupsafe import Markup

    from generator.render import translator
    from generator.translations import Translations

    t = translator(Translations("id", {"found": "{count} <b>hasil</b> untuk “{query}”",
                                       "braces": "Pakai {{kurung}} & tanda"}))
    assert t("found", count=3, query="<script>") == (
        "3 &lt;b&gt;hasil&lt;/b&gt; untuk “&lt;script&gt;”")
    assert t("found", count=Markup("<i>3</i>"), query="a & b") == (
        "<i>3</i> &lt;b&gt;hasil&lt;/b&gt; untuk “a &amp; b”")
    assert t("braces") == "Pakai {kurung} &amp; tanda" and t("braces") is t("braces")
    assert isinstance(t("found", count=1, query=""), Markup)
    with pytest.raises(MissingString, match="no UI string 'nothing' in i18n/id"):
        t("nothing")


def test_a_remembered_card_is_made_once_per_record_and_arguments_up_to_a_limit() -> None:
    from markupsafe import Markup

    from generator.render import remembered

    made: list[tuple[str, int]] = []

    def card(record: dict[str, str], level: int) -> Markup:
        made.append((record["name"], level))
        return Markup(f"<h{level}>{record['name']}</h{level}>")

    shoe, bag, hat = {"name": "Sepatu"}, {"name": "Tas"}, {"name": "Topi"}
    remember = remembered(most=2)
    shown = [remember(card, shoe, 2), remember(card, shoe, 2), remember(card, shoe, 3),
             remember(card, bag, 2), remember(card, bag, 2), remember(card, hat, 2)]
    assert shown == ["<h2>Sepatu</h2>", "<h2>Sepatu</h2>", "<h3>Sepatu</h3>", "<h2>Tas</h2>",
                     "<h2>Tas</h2>", "<h2>Topi</h2>"]
    assert made == [("Sepatu", 2), ("Sepatu", 3), ("Tas", 2), ("Tas", 2), ("Topi", 2)]


def test_the_limit_of_remembered_cards_is_each_macros_own() -> None:
    """Product cards up to the limit do not keep a unit's card or the footer from being
    remembered: a national catalogue's first 20,000 cards would otherwise leave every later
    unit's card made again on each of its product pages."""
    from markupsafe import Markup

    from generator.render import remembered

    made: list[str] = []

    def card(record: dict[str, str]) -> Markup:
        made.append(f"card {record['name']}")
        return Markup(record["name"])

    def unit_card(record: dict[str, str]) -> Markup:
        made.append(f"unit {record['name']}")
        return Markup(record["name"])

    shoe, bag, lapas = {"name": "Sepatu"}, {"name": "Tas"}, {"name": "Lapas Serang"}
    remember = remembered(most=2)
    for _ in range(2):
        remember(card, shoe), remember(card, bag), remember(unit_card, lapas)
    assert made == ["card Sepatu", "card Tas", "unit Lapas Serang"]


def test_flatten_numbers_lists_from_one() -> None:
    assert flatten({"a": {"b": "x"}, "m": ["j", "f"]}) == {"a.b": "x", "m.1": "j", "m.2": "f"}


def test_product_photos_are_pictures_in_every_width_and_format() -> None:
    shop = catalog((product("sepatu", name="Sepatu", images=("sepatu.jpg", "/umum/b.png")),),
                   base_url="https://host.example/katalog/")
    pictures = {"products/lapas-a/sepatu.jpg": Picture(3000, 4000, (320, 640, 1024, 1600)),
                "umum/b.png": Picture(400, 300, (320, 400))}
    html = render(shop, pictures)["produk/sepatu/index.html"]
    shoe = "/katalog/media/products/lapas-a/sepatu"
    assert (
        '<picture>\n<source type="image/webp"'
        f' srcset="{shoe}-320.webp 320w, {shoe}-640.webp 640w, {shoe}-1024.webp 1024w,'
        f' {shoe}-1600.webp 1600w"'
        ' sizes="(min-width: 74rem) 42rem, (min-width: 60rem) 56vw, calc(100vw - 2rem)">\n'
        f'<img class="gallery-cover" src="{shoe}-640.jpg"'
        f' srcset="{shoe}-320.jpg 320w, {shoe}-640.jpg 640w, {shoe}-1024.jpg 1024w,'
        f' {shoe}.jpg 1600w"'
        ' sizes="(min-width: 74rem) 42rem, (min-width: 60rem) 56vw, calc(100vw - 2rem)"'
        ' width="1600" height="2133" alt="Sepatu" fetchpriority="high" decoding="async">\n'
        '</picture>') in html
    assert ('<img src="/katalog/media/umum/b.jpg" srcset="/katalog/media/umum/b-320.jpg 320w,'
            ' /katalog/media/umum/b.jpg 400w" sizes="7rem" width="400" height="300"'
            ' alt="Sepatu, foto 2" loading="lazy" decoding="async">') in html
    assert "gallery-placeholder" not in html
    assert f'"image": ["https://host.example{shoe}.jpg", "https://host.example' \
           '/katalog/media/umum/b.jpg"]' in html


def test_only_the_first_image_of_a_page_loads_at_once() -> None:
    shoes = tuple(product(f"sepatu-{n}", images=(f"{n}.jpg",)) for n in "abc")
    pictures = {f"products/lapas-a/{n}.jpg": Picture(800, 600, (320, 640, 800)) for n in "abc"}
    pages = render(catalog(shoes), pictures)
    for path in ("produk/index.html", "produk/sepatu-a/index.html",
                 "kategori/alas-kaki/index.html"):
        images = re.findall(r"<img [^>]*>", pages[path])
        assert len(images) >= 2, path
        assert 'fetchpriority="high"' in images[0] and "loading" not in images[0], path
        assert all('loading="lazy" decoding="async"' in i for i in images[1:]), path


def test_a_product_without_photo_shows_its_category_in_colour(site: dict[str, str]) -> None:
    card = ('<div class="card-image card-image-empty tint-0" aria-hidden="true">'
            "<span>Alas Kaki</span></div>")
    assert card in site["produk/index.html"]
    assert '<p class="gallery-placeholder tint-0"><span class="placeholder-category">Alas Kaki' \
           '</span> <span class="placeholder-note">Foto menyusul</span></p>' in \
           site["produk/sepatu-kulit/index.html"]
    assert "<img" not in site["produk/sepatu-kulit/index.html"]


# Quote requests

def quote_catalog(unit_contact: dict[str, str] | None = None, **changes: object) -> Catalog:
    """One shoe with a SKU, made by a unit that has WhatsApp and e-mail unless told otherwise."""
    shoe = product("sepatu-kulit", name="Sepatu Kulit & Sol", sku="LSG-001", unit="pasang",
                   price=275_000, en={"name": "Leather Shoes"})
    contact = {"whatsapp": "0812-3456-7890", "email": "upt@contoh.go.id"}
    unit = facility("lapas-a", name="Lapas Serang",
                    contact=contact if unit_contact is None else unit_contact)
    return catalog((shoe,), facilities=(unit,), **changes)


def quote_links_of(html: str) -> list[str]:
    return [link for link in links_of(html) if "?text=" in link or "?subject=" in link]


def test_quote_links_are_prefilled_with_name_sku_and_quantity() -> None:
    html = render(quote_catalog())["produk/sepatu-kulit/index.html"]
    body = ("Halo%20Lapas%20Serang%2C%20saya%20ingin%20meminta%20penawaran%20harga%20untuk"
            "%20produk%20berikut.{nl}{nl}Produk%3A%20Sepatu%20Kulit%20%26%20Sol{nl}"
            "Nomor%20produk%20%28SKU%29%3A%20LSG-001{nl}Jumlah%3A%20...%20pasang{nl}"
            "Tautan%3A%20https%3A%2F%2Fcontoh.go.id%2Fproduk%2Fsepatu-kulit%2F")
    assert quote_links_of(html) == [
        "https://wa.me/6281234567890?text=" + body.format(nl="%0A"),
        "mailto:upt@contoh.go.id?subject=Permintaan%20penawaran%3A%20Sepatu%20Kulit%20%26%20Sol"
        "&body=" + body.format(nl="%0D%0A"),
    ]
    assert "Minta penawaran lewat WhatsApp" in main_text(html)
    assert "+" not in quote_links_of(html)[0]  # RFC 3986: a space is %20


def test_quote_links_on_the_english_page_are_in_english() -> None:
    html = render(quote_catalog())["en/products/sepatu-kulit/index.html"]
    whatsapp, email = quote_links_of(html)
    for part in ("Hello%20Lapas%20Serang", "Product%3A%20Leather%20Shoes",
                 "Product%20number%20%28SKU%29%3A%20LSG-001", "Quantity%3A%20...%20pasang",
                 "https%3A%2F%2Fcontoh.go.id%2Fen%2Fproducts%2Fsepatu-kulit%2F"):
        assert part in whatsapp and part in email, part
    assert email.startswith("mailto:upt@contoh.go.id?subject=Request%20for%20a%20quote%3A"
                            "%20Leather%20Shoes&body=")
    assert "Request a quote on WhatsApp" in main_text(html)


def test_quote_goes_to_the_office_when_the_unit_has_no_such_contact() -> None:
    office = {"whatsapp": "6281200100100", "email": "kanwil@contoh.go.id"}
    html = render(quote_catalog({}, contact=office))["produk/sepatu-kulit/index.html"]
    whatsapp, email = quote_links_of(html)
    assert whatsapp.startswith("https://wa.me/6281200100100?text=Halo%20Kanwil%20Uji%2C")
    assert email.startswith("mailto:kanwil@contoh.go.id?subject=")
    assert "Dibuat%20oleh%3A%20Lapas%20Serang" in whatsapp
    assert "Permintaan diteruskan oleh Kanwil Uji." in main_text(html)


def test_quote_asks_for_the_minimum_order_and_skips_a_missing_sku() -> None:
    shop = catalog((product("kaos", name="Kaos", unit="lembar", min_order=1_000),),
                   facilities=(facility("lapas-a", contact={"email": "upt@contoh.go.id"}),))
    html = render(shop)["produk/kaos/index.html"]
    (email,) = quote_links_of(html)
    assert "Jumlah%3A%20...%20lembar%20%28pesanan%20minimal%201.000%29" in email
    assert "SKU" not in email


def test_no_quote_section_without_any_contact() -> None:
    html = render(quote_catalog({}))["produk/sepatu-kulit/index.html"]
    assert quote_links_of(html) == []
    assert "Minta penawaran" not in html


# Related products and the maker card

def test_product_page_shows_its_maker_and_related_products() -> None:
    shoes = tuple(product(f"sepatu-{n}", name=f"Sepatu {n.upper()}") for n in "abcdef")
    shop = catalog((*shoes, product("tas", category="tas")),
                   facilities=(facility("lapas-a", name="Lapas Serang", class_="IIA"),))
    site = render(shop)
    html = site["produk/sepatu-b/index.html"]
    start = html.index('id="related"')
    related = html[start:html.index("</section>", start)]
    assert re.findall(r'href="/produk/([^/]+)/"', related) == [
        "sepatu-c", "sepatu-d", "sepatu-e", "sepatu-f"]
    assert 'href="/kategori/alas-kaki/"' in related
    card = html[html.index('class="facility-card"'):html.index('id="related"')]
    assert '<a href="/upt/lapas-a/">Lapas Serang</a>' in card
    assert "Lembaga Pemasyarakatan · Kelas IIA · Serang" in card
    assert "7 produk, 0 tayang di e-Katalog" in card
    assert 'id="related"' not in site["produk/tas/index.html"]


# Unit page

def unit_catalog(name: str = "Lapas Kelas IIA Serang") -> Catalog:
    unit = facility("lapas-a", name=name, address="Jl. Lapas No. 1, Kaligandu",
                    city="Kota Serang", location={"lat": -6.1204, "lon": 106.15},
                    contact={"phone": "(0254) 200101", "email": "upt@contoh.go.id"})
    shoe = product("sepatu", price=100_000)
    sales = (sale("2024-03-05", shoe, 2, 100_000, "Dinas Uji"),
             sale("2024-04-01", shoe, 3, 100_000, "Toko Uji", line=3))
    return catalog((shoe,), facilities=(unit,), transactions=sales)


def json_ld(html: str) -> list[dict[str, object]]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_unit_page_has_a_map_link_and_a_sales_summary() -> None:
    html = render(unit_catalog())["upt/lapas-a/index.html"]
    assert ("https://www.openstreetmap.org/?mlat=-6.1204&mlon=106.15#map=16/-6.1204/106.15"
            in links_of(html))
    assert "<iframe" not in html
    text = main_text(html)
    for shown in ("Penjualan tercatat", "2 transaksi", "5 barang terjual",
                  "Rp 500.000 nilai penjualan", "Jl. Lapas No. 1, Kaligandu",
                  "0 dari 1 produk tayang di e-Katalog."):
        assert shown in text, shown


def test_unit_page_without_sales_says_so() -> None:
    html = render(catalog((product("sepatu"),)))["en/facilities/lapas-a/index.html"]
    assert "No sales recorded yet." in main_text(html)


def test_unit_json_ld_is_a_government_organization_with_an_address() -> None:
    (data,) = json_ld(render(unit_catalog())["en/facilities/lapas-a/index.html"])
    assert data["@type"] == "GovernmentOrganization"
    assert data["url"] == "https://contoh.go.id/en/facilities/lapas-a/"
    assert data["address"] == {
        "@type": "PostalAddress", "streetAddress": "Jl. Lapas No. 1, Kaligandu",
        "addressLocality": "Kota Serang", "addressRegion": "Banten", "addressCountry": "ID"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": -6.1204, "longitude": 106.15}
    assert data["telephone"] == "(0254) 200101"
    assert data["parentOrganization"] == {"@type": "GovernmentOrganization",
                                          "name": "Kanwil Uji", "url": "https://contoh.go.id/"}


def test_script_end_tag_in_a_unit_name_stays_inside_the_json_ld() -> None:
    evil = "Lapas </script><script>alert(1)</script>"
    html = render(unit_catalog(evil))["upt/lapas-a/index.html"]
    head = html[:html.index("</head>")]
    assert head.count("<script") == head.count("</script>") == 1
    assert json_ld(html)[0]["name"] == evil


# Findable and shareable

def meta(html: str) -> dict[str, str]:
    """`property` and `name` meta tags of a page; repeated ones joined with a space."""
    found: dict[str, str] = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html):
        found[key] = f"{found[key]} {value}" if key in found else value
    return found


def test_product_page_has_open_graph_and_twitter_tags(site: dict[str, str]) -> None:
    tags = meta(site["produk/sepatu-kulit/index.html"])
    assert tags["og:type"] == "product"
    assert tags["og:title"] == "Sepatu Kulit"
    assert tags["og:url"] == "https://contoh.go.id/produk/sepatu-kulit/"
    assert tags["og:site_name"] == "Etalase Uji"
    assert tags["og:locale"] == "id_ID" and tags["og:locale:alternate"] == "en_US"
    assert tags["og:description"].startswith("Sepatu Kulit, buatan Lapas Kelas IIA Serang")
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags  # no photo yet
    english = meta(site["en/products/sepatu-kulit/index.html"])
    assert english["og:title"] == "Leather Shoes" and english["og:locale"] == "en_US"
    assert english["og:url"] == "https://contoh.go.id/en/products/sepatu-kulit/"


def test_other_pages_are_websites(site: dict[str, str]) -> None:
    tags = meta(site["index.html"])
    assert tags["og:type"] == "website" and tags["og:url"] == "https://contoh.go.id/"
    assert "og:url" not in meta(site["404.html"])


def test_og_image_is_the_open_graph_card_of_the_cover() -> None:
    shop = catalog((product("sepatu", name="Sepatu", images=("sepatu.jpg", "b.jpg")),))
    pictures = {f"products/lapas-a/{n}.jpg": Picture(800, 600, (320, 800)) for n in "sb"}
    pictures["products/lapas-a/sepatu.jpg"] = pictures.pop("products/lapas-a/s.jpg")
    tags = meta(render(shop, pictures)["en/products/sepatu/index.html"])
    assert tags["og:image"] == "https://contoh.go.id/media/products/lapas-a/sepatu-og.jpg"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:type"] == "image/jpeg"
    assert tags["og:image:alt"] == "Sepatu"


def test_product_json_ld_offer(site: dict[str, str]) -> None:
    (shoe,) = json_ld(site["produk/sepatu-kulit/index.html"])
    assert shoe["offers"] == {
        "@type": "Offer", "price": "1250000", "priceCurrency": "IDR",
        "availability": "https://schema.org/InStock", "priceValidUntil": "2024-03-05",
        "url": "https://contoh.go.id/produk/sepatu-kulit/"}
    (bag,) = json_ld(site["produk/tas-anyaman/index.html"])
    assert "offers" not in bag  # price on request


# Search

def test_every_page_has_the_search_box(site: dict[str, str]) -> None:
    for path, html in site.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        action = "/en/search/" if path.startswith("en/") else "/cari/"
        assert f'<form class="site-search" role="search" action="{action}" method="get"' in html
        assert '<label class="visually-hidden" for="site-search-q">' in html
        assert '<input id="site-search-q" type="search" name="q"' in html


def test_search_page_lists_categories_and_units(site: dict[str, str]) -> None:
    html = site["cari/index.html"]
    assert "<h1>Cari produk</h1>" in html
    assert {"/kategori/alas-kaki/", "/upt/lapas-a/"} <= set(links_of(main_text_html(html)))
    assert "<h1>Search products</h1>" in site["en/search/index.html"]


def test_only_the_search_page_loads_a_script(site: dict[str, str]) -> None:
    for path, html in site.items():
        if not path.endswith(".html"):
            continue
        scripts = re.findall(r"<script[^>]*>", html)
        if path in ("cari/index.html", "en/search/index.html"):
            assert scripts == ['<script type="application/json" id="search-config">',
                               '<script type="module" src="/static/search.js">'], path
        else:
            assert set(scripts) <= {'<script type="application/ld+json">'}, path


def main_text_html(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


# Accessibility basics the templates promise

def test_pages_have_one_h1_unique_ids_and_labelled_navs(site: dict[str, str]) -> None:
    for path, html in site.items():
        if not path.endswith(".html"):
            continue
        assert html.count("<h1") == 1, path
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), path
        labels = re.findall(r"<nav [^>]*aria-label(?:ledby)?=\"([^\"]+)\"", html)
        assert html.count("<nav") == len(labels) == len(set(labels)), path


def test_wide_tables_scroll_in_a_focusable_labelled_region(site: dict[str, str]) -> None:
    html = site["statistik/index.html"]
    regions = re.findall(r'<div class="table-scroll" tabindex="0" role="region" '
                         r'aria-label="([^"]+)">', html)
    assert len(regions) == html.count("<table") and len(set(regions)) == len(regions)
