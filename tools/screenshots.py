"""`make screenshots`: build the demo and photograph key pages at phone and desktop widths.

Writes PNG files into the folder given (default screenshots/) so a person can look.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from generator.build import BuildOptions, build  # noqa: E402
from tests.browser.harness import launch, serve  # noqa: E402

PAGES = {
    "home": "/", "product": "/produk/sepatu-pantofel-kulit-pria/",
    "unit": "/upt/lapas-serang/", "statistics": "/statistik/",
    "statistics-year": "/statistik/2025/", "recap": "/statistik/2025/rekapitulasi/",
    "statistics-en": "/en/statistics/",
    "home-en": "/en/", "product-en": "/en/products/sepatu-pantofel-kulit-pria/",
}
WIDTHS = (360, 1280)


def show_lazy_images(page: Page) -> None:
    """Scroll through the page as a reader would, so lazy photos load before the picture."""
    images = page.locator("img[loading=lazy]")
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete)")
    page.evaluate("window.scrollTo(0, 0)")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(BuildOptions(content_dir=ROOT / "content", output_dir=site,
                           cache_dir=ROOT / ".cache" / "images"))
        with serve(site) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in PAGES.items():
                    page.goto(base + path, wait_until="load")
                    show_lazy_images(page)
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                page.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
