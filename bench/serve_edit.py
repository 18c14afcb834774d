"""How long a saved product edit takes to reach the browser under `etalase serve`.

`python bench/serve_edit.py [N ...]` writes the synthetic catalogue of
`synthetic.write_scale_catalogue` with N products (default 1,000), starts `etalase serve` on
it, opens one product's page in Debian's Chromium and saves that product's file with a new
name three times, waiting between saves for the server to go idle. For each save it reports:

- preview: from the save to the reloaded page's `load` event with the new name in its `<h1>`
  (watcher, quick preview, live-reload message, the browser's reload);
- pages: from the save to the second reload, when the full rebuild has published every page
  that shows the product (listings, unit, category, statistics);
- search: the full rebuild's own time, as the server prints it, once the search index that
  follows the pages is published too.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import synthetic
from playwright.sync_api import sync_playwright

from tests.browser.harness import launch, open_live

WORK = Path(__file__).resolve().parent.parent / ".bench-scale"
EDITS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Output:
    """The server's standard output, collected line by line in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")),
                         daemon=True).start()

    def wait(self, pattern: str, after: int = 0, timeout: float = 3600) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            time.sleep(0.01)
        raise TimeoutError(pattern)


def measure(size: int) -> None:
    content = synthetic.write_scale_catalogue(WORK / f"serve-{size}", size)
    for folder in (WORK / f"serve-site-{size}", WORK / f"serve-cache-{size}"):
        shutil.rmtree(folder, ignore_errors=True)  # the first build is a cold one
    product = sorted((content / "products").rglob("*.md"))[0]
    original = product.read_text("utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port), "--content",
         str(content), "--out", str(WORK / f"serve-site-{size}"), "--cache",
         str(WORK / f"serve-cache-{size}")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    output = Output(process)
    started = time.perf_counter()
    try:
        output.wait("Pratinjau di http")
        first = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            open_live(page, f"http://127.0.0.1:{port}/produk/{product.stem}/")
            rows = []
            for n in range(1, EDITS + 1):
                name = f"Suntingan Uji {n}"
                seen = len(output.lines)
                with page.expect_event("load", timeout=600_000):
                    saved = time.perf_counter()
                    product.write_text(re.sub(r"^name: .*$", f"name: {name}", original,
                                              count=1, flags=re.M), "utf-8")
                preview = time.perf_counter() - saved
                assert page.locator("h1").inner_text() == name, page.locator("h1").inner_text()
                with page.expect_event("load", timeout=600_000):
                    pass
                full = time.perf_counter() - saved
                said = output.wait(r"Pratinjau .* dalam", after=seen)
                done = output.wait(r"^Dibangun ulang dalam", after=seen)
                rows.append((preview, full, seconds(said), seconds(done)))
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        product.write_text(original, "utf-8")
    print(f"{size:>7,} products: first build {first:.1f} s")
    for n, (preview, pages, render, search) in enumerate(rows, start=1):
        print(f"  save {n}: preview in the browser {preview * 1000:.0f} ms (rendered and written"
              f" in {render * 1000:.0f} ms); every page in the browser {pages:.1f} s; search"
              f" index {search:.1f} s after the rebuild began", flush=True)


def seconds(line: str) -> float:
    return float(re.findall(r" in ([\d.]+) s", line)[0])


def main() -> None:
    for size in [int(a) for a in sys.argv[1:]] or [1000]:
        measure(size)


if __name__ == "__main__":
    main()
