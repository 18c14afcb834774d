"""Every page type, in both languages, in real Chromium: clean loads, accessibility, layout."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.harness import wait_until

pytestmark = pytest.mark.browser

PRODUCT = "sepatu-pantofel-kulit-pria"
TWINS = [  # (Indonesian page, its English twin)
    ("/", "/en/"),
    (f"/produk/{PRODUCT}/", f"/en/products/{PRODUCT}/"),
    ("/upt/lapas-serang/", "/en/facilities/lapas-serang/"),
    ("/kategori/alas-kaki/", "/en/categories/alas-kaki/"),
    ("/produk/", "/en/products/"),
    ("/produk/halaman/2/", "/en/products/page/2/"),
    ("/produk/harga/", "/en/products/price/"),
    ("/upt/", "/en/facilities/"),
    ("/kategori/", "/en/categories/"),
    ("/e-katalog/", "/en/e-catalogue/"),
    ("/statistik/", "/en/statistics/"),
    ("/statistik/2025/", "/en/statistics/2025/"),
    ("/statistik/2026/rekapitulasi/", "/en/statistics/2026/recap/"),
    ("/tentang/", "/en/tentang/"),
    ("/cari/", "/en/search/"),
    ("/perubahan/", "/en/changes/"),
]
PAGES = [path for pair in TWINS for path in pair] + ["/404.html"]
AXE = Axe()


def open_page(page: Page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_and_fits_a_phone(page: Page, site_url: str, path: str) -> None:
    open_page(page, site_url + path)
    assert page.problems.found == []  # type: ignore[attr-defined]
    assert page.locator("h1").count() == 1
    expected_lang = "en" if path.startswith("/en/") else "id"
    assert page.locator("html").get_attribute("lang") == expected_lang
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(page: Page, site_url: str, path: str) -> None:
    open_page(page, site_url + path)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations_on_a_wide_screen(browser, site_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    wide = context.new_page()
    open_page(wide, site_url + path)
    results = AXE.run(wide)
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(("id_path", "en_path"), TWINS)
def test_language_switch_lands_on_the_twin(page: Page, site_url: str, id_path: str,
                                           en_path: str) -> None:
    open_page(page, site_url + id_path)
    page.locator('a[hreflang="en"]').first.click()
    page.wait_for_url(site_url + en_path)
    page.locator('a[hreflang="id"]').first.click()
    page.wait_for_url(site_url + id_path)


def test_quote_links_carry_the_product_name_sku_and_quantity(page: Page, site_url: str) -> None:
    open_page(page, f"{site_url}/produk/{PRODUCT}/")
    whatsapp = unquote(page.locator('a[href^="https://wa.me/"]').first.get_attribute("href"))
    mail = unquote(page.locator('a[href^="mailto:"][href*="subject="]').first
                   .get_attribute("href"))
    for href in (whatsapp, mail):
        assert "Sepatu Pantofel Kulit Pria" in href
        assert "SRG-SPT-0101" in href
        assert "Jumlah:" in href
    open_page(page, f"{site_url}/en/products/{PRODUCT}/")
    whatsapp = unquote(page.locator('a[href^="https://wa.me/"]').first.get_attribute("href"))
    assert "SRG-SPT-0101" in whatsapp and "Quantity:" in whatsapp


def test_english_page_marks_indonesian_text(page: Page, site_url: str) -> None:
    open_page(page, f"{site_url}/en/")
    assert page.locator('[lang="id"]').count() >= 1


@pytest.mark.parametrize("width", [360, 1280])
def test_statistics_charts_fit_and_print(browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    stats = context.new_page()
    open_page(stats, f"{site_url}/statistik/2025/")
    charts = stats.locator("svg.chart-svg")
    assert charts.count() >= 6
    for n in range(charts.count()):
        box = charts.nth(n).bounding_box()
        assert box is not None and 0 < box["width"] <= width and box["height"] > 0
    labels = stats.locator("svg.chart-svg text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().right)")
    assert max(labels) <= width, "a chart label runs past the edge of the screen"
    assert stats.locator(".period-nav").is_visible()
    stats.emulate_media(media="print")
    assert not stats.locator(".period-nav").is_visible()
    assert charts.first.is_visible() and stats.locator("table.matrix").is_visible()
    context.close()


@pytest.mark.parametrize("path", [f"/produk/{PRODUCT}/", "/produk/", "/upt/lapas-serang/",
                                  "/en/"])
def test_every_photo_loads_at_360px_in_a_small_size(page: Page, site_url: str, path: str) -> None:
    open_page(page, site_url + path)
    pictures = page.locator("picture img")
    assert pictures.count() >= 2, path
    for index in range(pictures.count()):  # lazy images load once they are near the screen
        pictures.nth(index).scroll_into_view_if_needed()
    wait_until(page,
        "[...document.querySelectorAll('picture img')].every(i => i.complete)", timeout=15)
    shown = page.evaluate(
        "[...document.querySelectorAll('picture img')].map(i => ({src: i.currentSrc,"
        " natural: i.naturalWidth, width: i.getBoundingClientRect().width}))")
    assert page.problems.found == []  # type: ignore[attr-defined]
    for image in shown:
        assert image["natural"] > 0, image
        assert image["src"].endswith(".webp"), image  # Chromium takes the WebP source
        # a phone gets a rendition near its size, never the largest
        assert image["natural"] <= max(2 * image["width"], 640), image
    first = page.locator("picture img").first
    assert first.get_attribute("loading") is None and first.get_attribute("width"), path
