"""`make bench-search`: search at scale, on a synthetic catalogue of 20,000 products.

Writes the catalogue to a temporary folder (`bench/synthetic.py`), builds it stage by stage and
reports the time of each stage, the search index's time, files and bytes, and the peak memory of
the build and of Pagefind's indexer. Then serves the site on loopback, compressing text as a
static host does, and in headless Chromium (Debian's) measures, for a first query, a second
query and a browse by one filter: the bytes the server sent (headers included) and the time from
submitting to the first result card on screen. Targets: first query <= 300 KB and <= 300 ms,
filter-only browse <= 300 KB. Prints tables; asserts nothing.

    python bench/search_bench.py [PRODUCTS]      # default 20000
"""

from __future__ import annotations

import functools
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.site_budget import CompressingHandler, free_port  # noqa: E402
from bench.synthetic import write_catalogue  # noqa: E402
from generator import images, write  # noqa: E402
from generator.build import BuildOptions  # noqa: E402
from generator.pages import site_pages  # noqa: E402
from generator.pipeline import build_date, check  # noqa: E402
from generator.render import render_site  # noqa: E402
from generator.search import search_index  # noqa: E402
from generator.search_bundle import part_count  # noqa: E402
from generator.urls import SiteUrls  # noqa: E402
from tests.browser.harness import launch, wait_until  # noqa: E402

T = TypeVar("T")
KB = 1024
QUERIES = ("sepatu", "kursi jati")
FIRST_RESULT = """async ([action, arg]) => {
  const list = document.getElementById('search-list');
  const shown = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (list.querySelector('li')) { observer.disconnect(); resolve(performance.now()); }
  }).observe(list, { childList: true }));
  const start = performance.now();
  if (action === 'query') {
    document.getElementById('search-q').value = arg;
    document.getElementById('search-form').requestSubmit();
  } else {
    const box = document.querySelector(arg);
    box.closest('details').open = true;
    box.click();
  }
  return (await shown) - start;
}"""


class Traffic:
    """Bytes the server sent, per request path, since the last `reset`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: dict[str, int] = {}

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent[path] = self.sent.get(path, 0) + size

    def reset(self) -> dict[str, int]:
        with self.lock:
            sent, self.sent = self.sent, {}
        return sent


class CountingHandler(CompressingHandler):
    traffic: Traffic

    def setup(self) -> None:
        super().setup()
        raw, traffic, handler = self.wfile, self.traffic, self

        class Counted:
            def write(self, data: bytes) -> int:
                traffic.add(handler.path.split("?")[0], len(data))
                return raw.write(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(raw, name)

        self.wfile = Counted()  # type: ignore[assignment]


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def reset_peak() -> None:
    """Start measuring the process's peak memory afresh (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def current_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(label: str, rows: list[tuple[str, str]], work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    rows.append((label, f"{time.perf_counter() - start:.1f} s"))
    return result


def build_site(content: Path, out: Path, base: str) -> list[tuple[str, str]]:
    """Build stage by stage; the time of each and what the search index costs."""
    rows: list[tuple[str, str]] = []
    options = BuildOptions(content_dir=content, output_dir=out, base_url=base)
    catalog, _ = timed("load + validate", rows, lambda: check(options))
    size = int(os.environ.get("SEARCH_PART_SIZE", options.search_part_size or 0))  # 0: one
    parts = part_count(len(catalog.products), size)
    pages = timed("site map", rows, lambda: site_pages(catalog, build_date(catalog), (), parts))
    photos = timed("photos", rows, lambda: images.publish_photos(
        catalog.photos, content, options.photo_cache))
    outputs = timed("render", rows, lambda: render_site(catalog, pages, options.templates_dir,
                                                        photos.pictures))
    reset_peak()
    before = current_peak_mb()
    index = timed("search index", rows,
                  lambda: search_index(pages, outputs, SiteUrls.of(catalog.site), parts,
                                       workers=os.cpu_count() or 1))
    rows.append(("  python peak during index", f"{current_peak_mb():.0f} MB"
                 f" (+{current_peak_mb() - before:.0f} MB)"))
    rows.append(("  pagefind indexer peak", f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"))
    rows.append(("  index files", f"{len(index):,}"))
    rows.append(("  index bytes", f"{sum(map(len, index.values())) / KB / KB:.1f} MB"))
    outputs.update(index)
    timed("write", rows, lambda: write.publish(outputs, out))
    rows.append(("site files", f"{len(outputs):,}"))
    rows.append(("python peak, whole build", f"{peak_mb(resource.RUSAGE_SELF):.0f} MB"))
    return rows


def measure(page: Page, traffic: Traffic, action: str, arg: str) -> tuple[float, int, int]:
    """Milliseconds to the first result card; KB sent by then, and once the page is idle."""
    traffic.reset()
    millis = page.evaluate(FIRST_RESULT, [action, arg])
    first = sum(traffic.reset().values())
    wait_until(page, "!document.getElementById('search-results').hasAttribute('aria-busy')")
    time.sleep(0.5)
    return millis, first, first + sum(traffic.reset().values())


def browse(base: str, traffic: Traffic) -> list[tuple[str, float, int, int]]:
    rows: list[tuple[str, float, int, int]] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for scenario in ("query", "filter"):
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            traffic.reset()
            page.goto(base + "/cari/", wait_until="networkidle")
            loaded = sum(traffic.reset().values())
            rows.append(("search page itself (html, css, js)", 0.0, loaded, loaded))
            if scenario == "query":
                rows.append(("first query: " + QUERIES[0],
                             *measure(page, traffic, "query", QUERIES[0])))
                rows.append(("second query: " + QUERIES[1],
                             *measure(page, traffic, "query", QUERIES[1])))
            else:
                rows.append(("filter only: one unit",
                             *measure(page, traffic, "filter", "input[data-filter=unit]")))
            context.close()
        browser.close()
    return rows


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory(prefix="etalase-bench-") as tmp:
        start = time.perf_counter()
        content = write_catalogue(Path(tmp) / "content", count)
        print(f"synthetic catalogue: {count:,} products in {time.perf_counter() - start:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        for label, value in build_site(content, Path(tmp) / "site", base + "/"):
            print(f"{label:<34} {value:>18}")
        traffic = Traffic()
        handler = type("Handler", (CountingHandler,), {"traffic": traffic})
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(
            handler, directory=str(Path(tmp) / "site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"\n{'in Chromium, 360 px, cold cache':<38} {'first card':>10} {'KB by then':>10}"
              f" {'KB when idle':>12}")
        for label, millis, first, idle in browse(base, traffic):
            shown = f"{millis:.0f} ms" if millis else ""
            print(f"{label:<38} {shown:>10} {first / KB:>10.1f} {idle / KB:>12.1f}")
        server.shutdown()
    print("bytes as sent by the server (gzip for text, headers included); targets: first query"
          " <= 300 KB and <= 300 ms, filter-only browse <= 300 KB")


if __name__ == "__main__":
    main()
