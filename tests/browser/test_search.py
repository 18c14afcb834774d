"""Search in real Chromium: Pagefind's index of the demo site, our interface over it, the address.

Expected results come from the demo catalogue itself (`check` on content/), so a test states
what a buyer should see, not what the script happened to draw.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from generator.build import BuildOptions, build
from generator.facets import FILTERS, product_filters
from generator.model import Catalog, Product
from generator.pages import sort_products
from generator.pipeline import check
from generator.urls import SiteUrls, search_link
from tests.browser.harness import serve, wait_until
from tests.conftest import MINIMAL, ROOT, write_tree

pytestmark = pytest.mark.browser

URLS = SiteUrls("https://etalase.example.go.id/", ("id", "en"))
EVIL = "Sepatu <img src=x onerror=alert(1)> Jahit"


@pytest.fixture(scope="module", params=["one index", "index in parts"])
def site_url(request: pytest.FixtureRequest, demo_site: Path, photo_cache: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site; then the same content with its search index in parts, as a catalogue
    of thousands of products has it (`search_bundle.join_parts`): every search below gives
    the same answers from both."""
    site = demo_site
    if request.param == "index in parts":
        site = tmp_path_factory.mktemp("parts") / "site"
        build(BuildOptions(content_dir=ROOT / "content", output_dir=site,
                           cache_dir=photo_cache,
                           search_part_size=5, pocket=False))
        assert len(list((site / "pagefind").glob("part-*/pagefind-entry.json"))) >= 5
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The demo catalogue the demo site is built from."""
    return check(BuildOptions(content_dir=ROOT / "content"))[0]


def settle(page: Page) -> None:
    """Wait until the search shown in the address has been answered on the page."""
    wait_until(page, """(() => {
        const results = document.getElementById('search-results');
        return results.hidden || (!results.hasAttribute('aria-busy')
            && document.getElementById('search-status').textContent !== '');
    })()""")


def search(page: Page, site_url: str, address: str) -> None:
    response = page.goto(site_url + address, wait_until="load")
    assert response is not None and response.status == 200
    settle(page)


def status(page: Page) -> str:
    return page.locator("#search-status").inner_text()


def card_titles(page: Page) -> list[str]:
    return page.locator("#search-list .card-title a").all_inner_texts()


def card_slugs(page: Page) -> list[str]:
    hrefs = page.locator("#search-list .card-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def shown_counts(page: Page) -> dict[tuple[str, str], int]:
    """The count beside every filter checkbox, by (filter, value)."""
    rows = page.locator("input[data-filter]").evaluate_all("""boxes => boxes.map(box => [
        box.dataset.filter, box.value, box.labels[0].querySelector('.facet-count').textContent
    ])""")
    return {(key, value): int(text.replace(".", "")) for key, value, text in rows}


def expected_counts(catalog: Catalog, chosen: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """What each checkbox would give: every other chosen filter applies, its own does not."""
    counts: dict[tuple[str, str], int] = {}
    for product in catalog.products:
        pairs = dict(product_filters(product))
        for key in FILTERS:
            others = all(pairs[k] in values for k, values in chosen.items() if k != key)
            if others:
                counts[(key, pairs[key])] = counts.get((key, pairs[key]), 0) + 1
    return counts


def matching(catalog: Catalog, chosen: dict[str, set[str]]) -> list[Product]:
    return [p for p in catalog.products
            if all(dict(product_filters(p))[k] in values for k, values in chosen.items())]


def test_a_typed_query_finds_the_expected_product(page: Page, site_url: str) -> None:
    search(page, site_url, "/cari/")
    page.locator("#search-q").fill("pantofel")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/cari/?q=pantofel")
    settle(page)
    assert card_slugs(page)[0] == "sepatu-pantofel-kulit-pria"
    assert card_titles(page)[0] == "Sepatu Pantofel Kulit Pria"
    assert status(page) == "1 produk ditemukan"
    assert page.locator("#search-status").get_attribute("role") == "status"
    assert page.locator("#search-browse").is_hidden()
    assert page.problems.found == []  # type: ignore[attr-defined]


def test_an_indonesian_stem_matches(page: Page, site_url: str, catalog: Catalog) -> None:
    search(page, site_url, "/cari/?q=jual")
    said = {p.slug for p in catalog.products if re.search(r"\bdijual\b", p.body, re.I)}
    assert not any(re.search(r"\bjual\b", p.body + p.name, re.I) for p in catalog.products)
    assert len(said) >= 3
    assert set(card_slugs(page)) == said


def test_places_are_listed_apart_from_products(page: Page, site_url: str) -> None:
    search(page, site_url, "/cari/?q=ecoprint")
    places = page.locator("#search-places li a").all_inner_texts()
    assert "Batik dan Tekstil" in places
    assert "Batik dan Tekstil" not in card_titles(page)
    assert "Syal Sutra Ecoprint" in card_titles(page)


@pytest.mark.parametrize(("key", "value"), [
    ("unit", "lapas-serang"), ("category", "alas-kaki"), ("ekatalog", "live"),
    ("availability", "made-to-order"), ("price", "50000-100000"),
])
def test_each_filter_narrows_and_every_count_is_right(page: Page, site_url: str,
                                                      catalog: Catalog, key: str,
                                                      value: str) -> None:
    search(page, site_url, "/cari/")
    assert shown_counts(page) == expected_counts(catalog, {})
    page.locator(f"details:has(#f-{key}-{value}) summary").click()
    page.locator(f"#f-{key}-{value}").check()
    settle(page)
    chosen = {key: {value}}
    expected = matching(catalog, chosen)
    assert page.url == site_url + search_link(URLS, "id", filters={key: (value,)})
    assert status(page) == f"{len(expected)} produk ditemukan"
    assert card_slugs(page) == [p.slug for p in sort_products(expected, "name", "id")][:24]
    assert shown_counts(page) == {pair: expected_counts(catalog, chosen).get(pair, 0)
                                  for pair in shown_counts(page)}


def test_two_units_add_up_and_a_word_narrows_them(page: Page, site_url: str,
                                                  catalog: Catalog) -> None:
    chosen = {"unit": {"lapas-serang", "lapas-tangerang"}}
    search(page, site_url, "/cari/?upt=lapas-serang&upt=lapas-tangerang")
    assert status(page) == f"{len(matching(catalog, chosen))} produk ditemukan"
    assert shown_counts(page) == {pair: expected_counts(catalog, chosen).get(pair, 0)
                                  for pair in shown_counts(page)}
    search(page, site_url, "/cari/?q=sepatu&upt=lapas-serang&upt=lapas-tangerang")
    said = {p.slug for p in matching(catalog, chosen) if "sepatu" in (p.name + p.body).lower()}
    assert set(card_slugs(page)) == said
    assert {"sepatu-pantofel-kulit-pria", "sepatu-pdh-kulit"} <= said


def test_sort_by_price_orders_results(page: Page, site_url: str, catalog: Catalog) -> None:
    search(page, site_url, "/cari/?kategori=perlengkapan-ibadah&urut=harga")
    chosen = matching(catalog, {"category": {"perlengkapan-ibadah"}})
    expected = sort_products(chosen, "price", "id")
    assert card_slugs(page) == [p.slug for p in expected]
    prices = [p.price for p in expected if p.price is not None]
    assert prices == sorted(prices) and len(set(prices)) > 2
    assert page.locator("#search-sort").input_value() == "harga"


def test_the_address_round_trips_and_the_back_button_works(page: Page, site_url: str) -> None:
    search(page, site_url, "/cari/")
    page.locator("#search-q").fill("kaos")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/cari/?q=kaos")
    settle(page)
    page.locator("summary", has_text="Unit").click()
    page.locator("#f-unit-lapas-serang").check()
    settle(page)
    page.locator("#search-sort").select_option("terbaru")
    settle(page)
    address = search_link(URLS, "id", "kaos", {"unit": ("lapas-serang",)}, "newest")
    assert address == "/cari/?q=kaos&upt=lapas-serang&urut=terbaru"
    assert page.url == site_url + address
    shown = card_slugs(page)
    page.reload()
    settle(page)
    assert page.locator("#search-q").input_value() == "kaos"
    assert page.locator("#f-unit-lapas-serang").is_checked()
    assert card_slugs(page) == shown
    page.go_back()
    page.wait_for_url(f"{site_url}/cari/?q=kaos&upt=lapas-serang")
    settle(page)
    assert page.locator("#search-sort").input_value() == ""
    page.go_back()
    page.wait_for_url(f"{site_url}/cari/?q=kaos")
    settle(page)
    assert not page.locator("#f-unit-lapas-serang").is_checked()
    assert len(card_slugs(page)) > len(shown)


def test_english_search_finds_english_names(page: Page, site_url: str) -> None:
    search(page, site_url, "/en/search/?q=mosque")
    assert card_titles(page)[0] == "Rolled Mosque Carpet"
    assert card_slugs(page)[0] == "sajadah-masjid-gulung"
    assert page.locator("#search-list a").first.get_attribute("href") == (
        "/en/products/sajadah-masjid-gulung/")
    assert status(page).endswith("found")


def test_no_results_suggests_categories(page: Page, site_url: str, catalog: Catalog) -> None:
    search(page, site_url, "/cari/?q=zzqx")
    assert status(page) == "Tidak ada produk yang cocok."
    suggestions = page.locator("#search-none a")
    assert suggestions.count() == len(catalog.categories)
    assert suggestions.first.is_visible()


def test_more_results_by_keyboard(page: Page, site_url: str) -> None:
    search(page, site_url, "/cari/?ketersediaan=available")
    assert len(card_slugs(page)) == 24
    page.locator("#search-more").focus()
    page.keyboard.press("Enter")
    wait_until(page, "document.activeElement.closest('li') ==="
                           " document.querySelectorAll('#search-list li')[24]")
    assert page.evaluate("document.activeElement.tagName") == "A"
    assert len(card_slugs(page)) == min(48, int(status(page).split()[0]))


def test_browsing_by_filters_never_loads_the_word_index(page: Page, site_url: str) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    search(page, site_url, "/cari/?upt=lapas-serang")
    assert "/pagefind/facets.id.json.gz" in asked
    assert any(path.startswith("/pagefind/fragment/") for path in asked)
    assert not [path for path in asked if path.endswith(("pagefind.js", ".pf_meta", ".pf_index",
                                                         "pagefind"))]


def test_without_javascript_the_page_lists_categories_and_units(browser: Browser,
                                                                site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/cari/?q=sepatu")
    assert page.locator("#search-form").is_hidden()
    assert page.locator("#by-category").is_visible()
    assert page.locator("#search-browse a[href='/kategori/alas-kaki/']").is_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 1440])
def test_a_search_with_open_filters_passes_axe_and_fits(browser: Browser, site_url: str,
                                                        width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    search(page, site_url, "/cari/?q=sepatu&upt=lapas-serang")
    page.locator("summary", has_text="Harga").click()
    settle(page)
    results = Axe().run(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert overflow <= 0


@pytest.fixture(scope="session")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site whose one product is named with an HTML tag, served on loopback."""
    root = tmp_path_factory.mktemp("evil")
    product = MINIMAL["products/lapas-serang/sepatu-kulit.md"].replace(
        "name: Sepatu Kulit", f'name: "{EVIL}"')
    content = write_tree(root / "content", {**MINIMAL,
                                            "products/lapas-serang/sepatu-kulit.md": product})
    build(BuildOptions(content_dir=content, output_dir=root / "site",
                       base_url="http://127.0.0.1/"))
    with serve(root / "site") as url:
        yield url


def test_a_name_with_html_shows_literally_and_runs_nothing(page: Page, evil_site: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for address in ("/cari/?q=sepatu", "/cari/?upt=lapas-serang"):
        search(page, evil_site, address)
        assert card_titles(page) == [EVIL]
        # the only image is the product's own photo: the name's <img> stayed text
        assert page.locator("#search-list img:not([src*='/media/'])").count() == 0
    search(page, evil_site, "/cari/?q=serang")
    assert page.locator("#search-places a").all_inner_texts() == ["Lapas Kelas IIA Serang"]
    assert dialogs == []
    assert page.problems.found == []  # type: ignore[attr-defined]


def test_the_demo_index_is_served_beside_the_site(demo_site: Path) -> None:
    index = demo_site / "pagefind"
    assert (index / "pagefind.js").is_file()
    assert {p.name for p in index.glob("wasm.*")} == {"wasm.id.pagefind", "wasm.en.pagefind"}
    assert {p.name for p in index.glob("facets.*")} == {"facets.id.json.gz", "facets.en.json.gz"}
    assert not list(index.glob("pagefind-ui*"))


def test_a_site_under_a_sub_path_searches_too(page: Page,
                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("subpath")
    content = write_tree(root / "content", MINIMAL)
    build(BuildOptions(content_dir=content, output_dir=root / "www" / "katalog",
                       base_url="https://uji.example.go.id/katalog/"))
    with serve(root / "www") as url:
        search(page, url, "/katalog/cari/?q=sepatu")
        assert card_titles(page) == ["Sepatu Kulit"]
        assert page.locator("#search-list a").first.get_attribute("href") == (
            "/katalog/produk/sepatu-kulit/")
        search(page, url, "/katalog/en/search/?kategori=alas-kaki&category=alas-kaki")
        assert card_titles(page) == ["Sepatu Kulit"]
    assert page.problems.found == []  # type: ignore[attr-defined]
