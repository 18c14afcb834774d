"""The URL scheme: every kind of page in both languages, sub-path sites, twins, output files."""

from __future__ import annotations

import pytest

from generator.urls import (
    Route,
    SiteUrls,
    mailto_link,
    map_link,
    media_output,
    media_path,
    output_file,
    photo_path,
    query_value,
    whatsapp_link,
)
from tests.catalogs import site

URLS = SiteUrls("https://contoh.go.id/", ("id", "en"))
SUB = SiteUrls("https://host.example/katalog/", ("id", "en"))


@pytest.mark.parametrize(("route", "indonesian", "english"), [
    (Route("home"), "", "en/"),
    (Route("product", "sepatu-kulit"), "produk/sepatu-kulit/", "en/products/sepatu-kulit/"),
    (Route("facility", "lapas-serang"), "upt/lapas-serang/", "en/facilities/lapas-serang/"),
    (Route("category", "alas-kaki"), "kategori/alas-kaki/", "en/categories/alas-kaki/"),
    (Route("products"), "produk/", "en/products/"),
    (Route("products", page=2), "produk/halaman/2/", "en/products/page/2/"),
    (Route("products", sort="price"), "produk/harga/", "en/products/price/"),
    (Route("products", sort="newest"), "produk/terbaru/", "en/products/newest/"),
    (Route("products", sort="price", page=3), "produk/harga/halaman/3/",
     "en/products/price/page/3/"),
    (Route("facility", "lapas-serang", page=2), "upt/lapas-serang/halaman/2/",
     "en/facilities/lapas-serang/page/2/"),
    (Route("category", "alas-kaki", page=2), "kategori/alas-kaki/halaman/2/",
     "en/categories/alas-kaki/page/2/"),
    (Route("facilities"), "upt/", "en/facilities/"),
    (Route("categories"), "kategori/", "en/categories/"),
    (Route("ekatalog"), "e-katalog/", "en/e-catalogue/"),
    (Route("ekatalog", page=2), "e-katalog/halaman/2/", "en/e-catalogue/page/2/"),
    (Route("statistics"), "statistik/", "en/statistics/"),
    (Route("statistics", "2025"), "statistik/2025/", "en/statistics/2025/"),
    (Route("recap", "2025"), "statistik/2025/rekapitulasi/", "en/statistics/2025/recap/"),
    (Route("search"), "cari/", "en/search/"),
    (Route("page", "tentang"), "tentang/", "en/tentang/"),
    (Route("feed"), "feed.xml", "en/feed.xml"),
])
def test_paths_in_both_languages(route: Route, indonesian: str, english: str) -> None:
    assert URLS.path(route, "id") == indonesian
    assert URLS.path(route, "en") == english


@pytest.mark.parametrize(("route", "path"), [
    (Route("not-found"), "404.html"),
    (Route("sitemap"), "sitemap.xml"),
    (Route("language-sitemap", "id"), "sitemap-id.xml"),
    (Route("language-sitemap", "en"), "sitemap-en.xml"),
    (Route("robots"), "robots.txt"),
    (Route("data", "products.json"), "data/products.json"),
    (Route("data", "products.csv"), "data/products.csv"),
    (Route("data", "facilities.json"), "data/facilities.json"),
    (Route("data", "stats.json"), "data/stats.json"),
    (Route("data", "2025/pnbp.csv"), "data/2025/pnbp.csv"),
    (Route("static", "style.css"), "static/style.css"),
    (Route("media", "products/lapas-a/sepatu.jpg"), "media/products/lapas-a/sepatu.jpg"),
])
def test_shared_files_are_the_same_in_every_language(route: Route, path: str) -> None:
    assert URLS.path(route, "id") == path
    assert URLS.path(route, "en") == path
    assert URLS.twins(route, "id") == ()


def test_pages_are_folders_with_an_index_file() -> None:
    assert URLS.output(Route("product", "x"), "id") == "produk/x/index.html"
    assert URLS.output(Route("home"), "id") == "index.html"
    assert URLS.output(Route("home"), "en") == "en/index.html"
    assert URLS.output(Route("not-found"), "en") == "404.html"
    assert output_file("en/feed.xml") == "en/feed.xml"


def test_links_are_root_relative_under_the_base_path() -> None:
    assert SUB.href(Route("home"), "id") == "/katalog/"
    assert SUB.href(Route("product", "sepatu"), "id") == "/katalog/produk/sepatu/"
    assert SUB.href(Route("product", "sepatu"), "en") == "/katalog/en/products/sepatu/"
    assert SUB.href(Route("static", "style.css"), "en") == "/katalog/static/style.css"
    assert URLS.href(Route("product", "sepatu"), "id") == "/produk/sepatu/"


def test_canonical_links_are_absolute() -> None:
    assert SUB.absolute(Route("product", "sepatu"), "id") == \
        "https://host.example/katalog/produk/sepatu/"
    assert SUB.absolute(Route("home"), "en") == "https://host.example/katalog/en/"
    assert SUB.absolute(Route("sitemap"), "id") == "https://host.example/katalog/sitemap.xml"


def test_base_url_without_trailing_slash_is_completed() -> None:
    urls = SiteUrls.of(site(base_url="https://host.example/katalog"))
    assert urls.base_url == "https://host.example/katalog/"
    assert urls.href(Route("statistics"), "id") == "/katalog/statistik/"


def test_twin_is_the_same_page_in_the_other_language() -> None:
    assert URLS.twins(Route("product", "sepatu"), "id") == (("en", "/en/products/sepatu/"),)
    assert URLS.twins(Route("products", sort="price", page=2), "en") == (
        ("id", "/produk/harga/halaman/2/"),)
    assert SUB.twins(Route("home"), "en") == (("id", "/katalog/"),)


def test_single_language_site_has_no_twins() -> None:
    urls = SiteUrls("https://contoh.go.id/", ("id",))
    assert urls.twins(Route("product", "sepatu"), "id") == ()


def test_the_first_language_is_served_at_the_root() -> None:
    urls = SiteUrls("https://contoh.go.id/", ("en", "id"))
    assert urls.path(Route("product", "x"), "en") == "products/x/"
    assert urls.path(Route("product", "x"), "id") == "id/produk/x/"


def test_route_helpers_keep_kind_and_slug() -> None:
    route = Route("products", sort="price", page=3)
    assert route.at_page(1) == Route("products", sort="price")
    assert route.sorted_by("newest") == Route("products", sort="newest")


def test_unusual_characters_are_percent_encoded() -> None:
    assert URLS.href(Route("media", "products/a/foto kain.jpg"), "id") == \
        "/media/products/a/foto%20kain.jpg"


@pytest.mark.parametrize(("folder", "image", "path"), [
    ("products/lapas-a", "sepatu.jpg", "products/lapas-a/sepatu.jpg"),
    ("products/lapas-a", "foto/sepatu.jpg", "products/lapas-a/foto/sepatu.jpg"),
    ("products/lapas-a", "../bersama/logo.png", "products/bersama/logo.png"),
    ("products/lapas-a", "/gambar/sepatu.webp", "gambar/sepatu.webp"),
    ("facilities", "lapas-a.jpg", "facilities/lapas-a.jpg"),
])
def test_media_paths_are_relative_to_the_record_or_the_content_root(
        folder: str, image: str, path: str) -> None:
    assert media_path(folder, image) == path


def test_search_lives_under_the_base_path() -> None:
    assert SUB.href(Route("search"), "id") == "/katalog/cari/"
    assert SUB.href(Route("search"), "en") == "/katalog/en/search/"
    assert SUB.absolute(Route("language-sitemap", "en"), "id") == \
        "https://host.example/katalog/sitemap-en.xml"


def test_query_values_use_percent_twenty_for_spaces() -> None:
    assert query_value("Sepatu Kulit & Sol: 2/3 (pasang)?") == \
        "Sepatu%20Kulit%20%26%20Sol%3A%202%2F3%20%28pasang%29%3F"
    assert query_value("Jumlah: ...\nå") == "Jumlah%3A%20...%0A%C3%A5"


def test_whatsapp_link_carries_its_message() -> None:
    assert whatsapp_link("6281234567890") == "https://wa.me/6281234567890"
    assert whatsapp_link("6281234567890", "Halo, 2 pasang") == \
        "https://wa.me/6281234567890?text=Halo%2C%202%20pasang"


def test_mailto_link_has_subject_and_crlf_body() -> None:
    assert mailto_link("upt@contoh.go.id", "Penawaran: Sepatu", "Halo\nJumlah: 2") == (
        "mailto:upt@contoh.go.id?subject=Penawaran%3A%20Sepatu&body=Halo%0D%0AJumlah%3A%202")


@pytest.mark.parametrize(("lat", "lon", "link"), [
    (-6.134, 106.172,
     "https://www.openstreetmap.org/?mlat=-6.134&mlon=106.172#map=16/-6.134/106.172"),
    (-6.1, 106.0, "https://www.openstreetmap.org/?mlat=-6.1&mlon=106#map=16/-6.1/106"),
    (-6.123456789, 0.0,
     "https://www.openstreetmap.org/?mlat=-6.123457&mlon=0#map=16/-6.123457/0"),
])
def test_map_link_points_at_openstreetmap(lat: float, lon: float, link: str) -> None:
    assert map_link(lat, lon) == link


def test_edit_links_open_the_web_editor_of_github_and_gitlab() -> None:
    from generator.model import Repository
    from generator.urls import edit_url

    github = Repository(url="https://github.com/kanwil/etalase/", branch="main")
    gitlab = Repository(url="https://gitlab.example.go.id/kanwil/etalase", branch="terbit",
                        content_dir="katalog")
    assert edit_url(github, "products/lapas-serang/sepatu kulit.md") == (
        "https://github.com/kanwil/etalase/edit/main/content/products/lapas-serang/"
        "sepatu%20kulit.md")
    assert edit_url(gitlab, "facilities/lapas-serang.md") == (
        "https://gitlab.example.go.id/kanwil/etalase/-/edit/terbit/katalog/facilities/"
        "lapas-serang.md")


def test_photo_renditions_have_stable_addresses_beside_the_photo() -> None:
    assert photo_path("products/lapas-a/sepatu.png") == "products/lapas-a/sepatu.jpg"
    assert photo_path("products/lapas-a/sepatu.png", 640, "webp") == \
        "products/lapas-a/sepatu-640.webp"
    assert photo_path("facilities/lapas-a.jpeg", 320) == "facilities/lapas-a-320.jpg"
    assert photo_path("bersama/logo.webp", kind="og") == "bersama/logo-og.jpg"
    assert media_output("bersama/logo.jpg") == "media/bersama/logo.jpg"
