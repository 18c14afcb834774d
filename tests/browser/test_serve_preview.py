"""`etalase serve` in a real browser: a saved product shows in the open page by itself.

The page is left open on the product; the file is saved with a new name; live reload brings
the quick preview, then the full rebuild brings the unit page's listing up to date, and then
the search index.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.harness import open_live, wait_until
from tests.conftest import PRODUCT, fetch, wait_for

pytestmark = pytest.mark.browser


class Said:
    """What the server has printed so far."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def __contains__(self, text: str) -> bool:
        return text in "".join(self.lines)

    def matches(self, pattern: str) -> bool:
        """Some line is all of `pattern`."""
        return any(re.fullmatch(pattern, line.rstrip("\n")) for line in self.lines)

    def count(self, text: str) -> int:
        return "".join(self.lines).count(text)


def test_a_saved_product_reloads_the_open_page_then_the_rest_follows(
        browser: Browser, server, tmp_path: Path) -> None:
    base, process = server  # `etalase serve` on the minimal content, from test_serve
    assert wait_for(lambda: "Sepatu Kulit" in fetch(f"{base}/produk/sepatu-kulit/"), 60)
    lines: list[str] = []
    assert process.stdout is not None
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),
                     daemon=True).start()
    said = Said(lines)
    page = browser.new_page()
    open_live(page, f"{base}/produk/sepatu-kulit/")
    expect(page.locator("h1")).to_have_text("Sepatu Kulit")
    product = tmp_path / "content" / "products" / "lapas-serang" / "sepatu-kulit.md"
    product.write_text(PRODUCT.replace("Sepatu Kulit", "Sepatu Kulit Jahit Tangan"), "utf-8")
    expect(page.locator("h1")).to_have_text("Sepatu Kulit Jahit Tangan", timeout=15_000)
    assert wait_for(lambda: "Sepatu Kulit Jahit Tangan" in fetch(f"{base}/upt/lapas-serang/"))
    wait_until(page, "document.readyState === 'complete'")
    page.close()
    assert wait_for(lambda: said.count("Dibangun ulang dalam") == 2)  # and the search index
    took = r"dalam \d+,\d\d detik"  # the Indonesian decimal comma; English in brackets
    assert said.matches(rf"Pratinjau content/products/lapas-serang/sepatu-kulit\.md {took};"
                        r" membangun ulang seluruh situs \(quick preview in \d+\.\d\d s;"
                        r" the full rebuild follows\)")
    assert said.matches(rf"Halaman dibangun ulang {took}; indeks pencarian menyusul \(pages"
                        r" rebuilt in \d+\.\d\d s; the search index follows\)")
    assert said.matches(rf"Dibangun ulang {took} \(rebuilt in \d+\.\d\d s\)")
