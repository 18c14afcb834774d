"""The site map: which pages exist, where they go, how listings paginate, and path collisions."""

from __future__ import annotations

import datetime as dt

from generator.contexts import (
    Card,
    FacilityContext,
    HomeContext,
    ListingContext,
    NotFoundContext,
    Pager,
    ProductContext,
    SearchContext,
    SitemapContext,
    SitemapIndexContext,
)
from generator.errors import Location
from generator.model import Product
from generator.pages import (
    PAGE_SIZE,
    PageSpec,
    check_paths,
    paginate,
    related_products,
    site_pages,
    sort_products,
)
from generator.stats import Tally
from generator.urls import Route
from tests.catalogs import catalog, live, page, product, sale

BUILD_DATE = dt.date(2024, 6, 1)


def outputs(pages: tuple[PageSpec, ...]) -> set[str]:
    return {p.output for p in pages}


def many_products(count: int) -> tuple[Product, ...]:
    return tuple(product(f"produk-{n:03d}", price=1_000 * n) for n in range(1, count + 1))


def test_every_kind_of_page_exists_in_both_languages() -> None:
    shop = catalog((product("sepatu"),), pages=(page("tentang", "Tentang"),))
    made = outputs(site_pages(shop, BUILD_DATE))
    assert {
        "index.html", "produk/index.html", "produk/harga/index.html",
        "produk/terbaru/index.html", "produk/sepatu/index.html", "upt/index.html",
        "upt/lapas-a/index.html", "kategori/index.html", "kategori/alas-kaki/index.html",
        "e-katalog/index.html", "statistik/index.html", "tentang/index.html", "feed.xml",
        "en/index.html", "en/products/index.html", "en/products/price/index.html",
        "en/products/sepatu/index.html", "en/facilities/lapas-a/index.html",
        "en/categories/alas-kaki/index.html", "en/e-catalogue/index.html",
        "en/statistics/index.html", "en/tentang/index.html", "en/feed.xml",
        "404.html", "sitemap.xml", "robots.txt", "data/products.json", "data/products.csv",
        "data/facilities.json", "data/stats.json",
    } <= made
    assert check_paths(site_pages(shop, BUILD_DATE)) == []


def test_an_indonesian_only_site_makes_no_english_pages() -> None:
    shop = catalog((product("sepatu"),), languages=("id",))
    made = outputs(site_pages(shop, BUILD_DATE))
    assert "produk/sepatu/index.html" in made
    assert not [path for path in made if path.startswith("en/")]


def test_pages_carry_the_content_file_behind_them() -> None:
    shoe = product("sepatu")
    pages = {p.output: p for p in site_pages(catalog((shoe,)), BUILD_DATE)}
    assert pages["produk/sepatu/index.html"].source == shoe.source
    assert pages["en/products/sepatu/index.html"].source == shoe.source
    assert pages["upt/lapas-a/index.html"].source == Location("content/facilities/lapas-a.md")
    assert pages["produk/index.html"].source is None
    assert pages["produk/sepatu/index.html"].template == "product.html"
    assert isinstance(pages["404.html"].context, NotFoundContext)


def test_the_product_listing_paginates_every_sort_order() -> None:
    pages = {p.output: p for p in site_pages(catalog(many_products(30)), BUILD_DATE)}
    first, second = pages["produk/index.html"], pages["produk/halaman/2/index.html"]
    assert isinstance(first.context, ListingContext)
    assert isinstance(second.context, ListingContext)
    assert len(first.context.pager.items) == PAGE_SIZE
    assert len(second.context.pager.items) == 30 - PAGE_SIZE
    assert second.context.pager.previous == Route("products")
    assert second.context.pager.next is None
    assert "produk/halaman/3/index.html" not in pages
    assert "produk/harga/halaman/2/index.html" in pages
    assert "en/products/newest/page/2/index.html" in pages


def test_no_page_but_a_listing_grows_with_the_catalogue() -> None:
    pages = site_pages(catalog(many_products(100)), BUILD_DATE)
    for spec in pages:
        context = spec.context
        if isinstance(context, HomeContext):
            assert len(context.featured) <= 8
        if isinstance(context, ProductContext):
            assert len(context.related) <= 4
        pager = getattr(context, "pager", None)
        if isinstance(pager, Pager):
            assert len(pager.items) <= 50


def test_facility_pages_paginate_their_products() -> None:
    pages = {p.output: p for p in site_pages(catalog(many_products(25)), BUILD_DATE)}
    second = pages["upt/lapas-a/halaman/2/index.html"]
    assert isinstance(second.context, FacilityContext)
    assert second.context.products == 25
    assert len(second.context.pager.items) == 1


def test_sort_orders() -> None:
    cheap = product("murah", price=5_000, added=dt.date(2024, 1, 1))
    dear = product("mahal", price=90_000, added=dt.date(2024, 5, 1))
    asked = product("tanya", name="Abon")  # no price, no date
    both = (dear, asked, cheap)
    assert [p.slug for p in sort_products(both, "name", "id")] == ["tanya", "mahal", "murah"]
    assert [p.slug for p in sort_products(both, "price", "id")] == ["murah", "mahal", "tanya"]
    assert [p.slug for p in sort_products(both, "newest", "id")] == ["mahal", "murah", "tanya"]


def test_english_listing_sorts_by_english_name() -> None:
    a = product("a", name="Zaitun", en={"name": "Olive oil"})
    b = product("b", name="Madu", en={"name": "Honey"})
    assert [p.slug for p in sort_products((a, b), "name", "en")] == ["b", "a"]
    assert [p.slug for p in sort_products((a, b), "name", "id")] == ["b", "a"]
    c = product("c", name="Apel", en={"name": "Zucchini"})
    assert [p.slug for p in sort_products((a, c), "name", "en")] == ["a", "c"]


def test_featured_products_fill_the_home_page() -> None:
    star = product("bintang", featured=True)
    pages = {p.output: p for p in site_pages(catalog((product("biasa"), star)), BUILD_DATE)}
    home = pages["index.html"].context
    assert isinstance(home, HomeContext)
    assert home.featured == (Card.of(star),)  # what a card shows of it


def test_pager_window_shows_gaps() -> None:
    pagers = paginate(many_products(240), Route("products"), 24)
    assert len(pagers) == 10
    assert pagers[0].window == (1, 2, 3, None, 10)
    assert pagers[5].window == (1, None, 4, 5, 6, 7, 8, None, 10)
    assert (pagers[1].first_item, pagers[1].last_item) == (25, 48)
    empty = paginate((), Route("products"), 24)
    assert len(empty) == 1 and empty[0].items == () and empty[0].first_item == 0


def test_free_page_on_a_built_in_address_is_an_error() -> None:
    shop = catalog((product("sepatu"),), pages=(page("produk", "Produk kami"),))
    problems = check_paths(site_pages(shop, BUILD_DATE))
    assert [p.format() for p in problems] == [
        'content/pages/produk.md:1:1: galat: alamat halaman "produk/index.html" sudah dipakai'
        ' oleh halaman bawaan; ganti nama berkas (error: page address "produk/index.html" is'
        ' already used by a built-in page; rename the file)',
    ]


def test_product_named_like_a_sort_order_is_an_error() -> None:
    shop = catalog((product("harga"),))
    problems = check_paths(site_pages(shop, BUILD_DATE))
    assert [p.format() for p in problems] == [
        'content/products/lapas-a/harga.md:1:1: galat: alamat halaman'
        ' "produk/harga/index.html" sudah dipakai oleh halaman bawaan; ganti nama berkas'
        ' (error: page address "produk/harga/index.html" is already used by a built-in page;'
        ' rename the file)',
    ]


def test_two_content_files_on_one_address_name_both() -> None:
    first = PageSpec("tentang/index.html", "page.html", "id", Route("page", "tentang"),
                     NotFoundContext(), Location("content/pages/a.md"))
    second = PageSpec("tentang/index.html", "page.html", "id", Route("page", "tentang"),
                      NotFoundContext(), Location("content/pages/b.md"))
    assert [p.format() for p in check_paths([second, first])] == [
        'content/pages/b.md:1:1: galat: alamat halaman "tentang/index.html" sudah dipakai oleh'
        ' content/pages/a.md; ganti nama berkas (error: page address "tentang/index.html" is'
        ' already used by content/pages/a.md; rename the file)',
    ]


def test_related_products_are_of_the_same_category_after_it_by_name() -> None:
    shoes = tuple(product(f"sepatu-{n}", name=f"Sepatu {n.upper()}") for n in "abcdef")
    bag = product("tas", category="tas")
    pages = {p.output: p for p in site_pages(catalog((*shoes, bag)), BUILD_DATE)}
    shoe = pages["produk/sepatu-e/index.html"].context
    assert isinstance(shoe, ProductContext)
    assert [p.slug for p in shoe.related] == ["sepatu-f", "sepatu-a", "sepatu-b", "sepatu-c"]
    assert all(p.category == "alas-kaki" for p in shoe.related)
    alone = pages["produk/tas/index.html"].context
    assert isinstance(alone, ProductContext) and alone.related == ()


def test_related_products_of_a_small_category_leave_the_product_out() -> None:
    a, b, c = (product(s) for s in ("a", "b", "c"))
    assert related_products(b, (a, b, c)) == (c, a)
    assert related_products(a, (a,)) == ()
    assert related_products(a, (a, b, c), count=1) == (b,)


def test_product_pages_carry_their_maker_with_its_counts() -> None:
    shop = catalog((product("sepatu", ekatalog=live()), product("sandal")))
    pages = {p.output: p for p in site_pages(shop, BUILD_DATE)}
    context = pages["produk/sepatu/index.html"].context
    assert isinstance(context, ProductContext)
    assert (context.maker.facility.slug, context.maker.products, context.maker.live) == (
        "lapas-a", 2, 1)


def test_unit_pages_carry_their_sales() -> None:
    shoe = product("sepatu", facility="lapas-a")
    other = product("tas", facility="lapas-b")
    sales = (sale("2024-03-05", shoe, 2, 1_000, "Dinas Uji"),
             sale("2024-04-05", shoe, 1, 5_000, "Toko Uji", line=3))
    pages = {p.output: p for p in site_pages(catalog((shoe, other), transactions=sales),
                                              BUILD_DATE)}
    selling = pages["upt/lapas-a/index.html"].context
    idle = pages["en/facilities/lapas-b/index.html"].context
    assert isinstance(selling, FacilityContext) and isinstance(idle, FacilityContext)
    assert selling.sales == Tally(count=2, quantity=3, value=7_000)
    assert idle.sales == Tally()


def test_search_pages_and_sitemaps_exist() -> None:
    pages = {p.output: p for p in site_pages(catalog((product("sepatu"),)), BUILD_DATE)}
    search = pages["cari/index.html"]
    assert search.template == "search.html" and search.route == Route("search")
    assert isinstance(search.context, SearchContext)
    assert [row.category.slug for row in search.context.categories] == ["alas-kaki"]
    assert "en/search/index.html" in pages
    index = pages["sitemap.xml"].context
    assert isinstance(index, SitemapIndexContext)
    assert index.sitemaps == (Route("language-sitemap", "id"), Route("language-sitemap", "en"))
    english = pages["sitemap-en.xml"]
    assert english.lang == "en" and isinstance(english.context, SitemapContext)
    assert Route("product", "sepatu") in english.context.routes
    assert Route("products", sort="price") not in english.context.routes
