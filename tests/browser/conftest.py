"""Real-browser fixtures: the demo site on a loopback HTTP server, and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.harness import launch, serve


@pytest.fixture(scope="session")
def site_url(demo_site: Path) -> Iterator[str]:
    """The demo site served over HTTP on 127.0.0.1."""
    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@dataclass
class Problems:
    """Console errors, page errors and failed requests seen while a page loads."""

    found: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", lambda m: m.type == "error" and self.found.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.found.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.found.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.found.append(
            f"HTTP {r.status}: {r.url}"))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page at a phone-sized viewport; its problems are in `page.problems`."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    opened = context.new_page()
    problems = Problems()
    problems.watch(opened)
    opened.problems = problems  # type: ignore[attr-defined]
    yield opened
    context.close()
