"""`make bench-site`: page weights and Lighthouse 12 scores of the demo site.

Builds the demo with its base URL set to a loopback server that compresses text as any static
host does, then for the home, product, unit and statistics pages reports the bytes of HTML, CSS
and JavaScript transferred before images (budget: product page <= 60 KB) and Lighthouse's
performance, accessibility, best-practices and SEO scores (target >= 95), run in Debian's
chromium. Prints a table; asserts nothing.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from generator.build import BuildOptions, build  # noqa: E402
from tests.browser.harness import chromium_path, launch  # noqa: E402

PAGES = {"home": "/", "product": "/produk/sepatu-pantofel-kulit-pria/",
         "unit": "/upt/lapas-serang/", "statistics": "/statistik/"}
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/atom+xml")


class CompressingHandler(SimpleHTTPRequestHandler):
    """Serves files, gzipping text when the client accepts it, like a static host."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if (not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not kind.startswith(TEXT_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def page_weights(base: str) -> dict[str, dict[str, int]]:
    """Bytes transferred per page by resource type, images left out."""
    weights: dict[str, dict[str, int]] = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, path in PAGES.items():
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            sizes: dict[str, int] = {}
            page.on("requestfinished", lambda r, s=sizes: s.__setitem__(
                r.resource_type, s.get(r.resource_type, 0) + r.sizes()["responseBodySize"]
                + r.sizes()["responseHeadersSize"]))
            page.goto(base + path, wait_until="load")
            weights[name] = sizes
            context.close()
        browser.close()
    return weights


def lighthouse(url: str) -> dict[str, int]:
    """Lighthouse category scores (0-100) for one URL, mobile emulation, default throttling."""
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " \
            "--disable-component-update --disable-sync --no-first-run"
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--quiet", f"--chrome-flags={flags}",
         f"--only-categories={','.join(CATEGORIES)}"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "CHROME_PATH": chromium_path()})
    report = json.loads(done.stdout)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                       cwd=ROOT / "bench", check=True)


def main() -> None:
    ensure_lighthouse()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(BuildOptions(content_dir=ROOT / "content", output_dir=site, base_url=base + "/",
                           cache_dir=ROOT / ".cache" / "images"))
        handler = functools.partial(CompressingHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        weights = page_weights(base)
        print(f"{'page':<11} {'html':>7} {'css':>7} {'js':>7} {'total':>7}  "
              + "  ".join(f"{c[:5]:>5}" for c in CATEGORIES))
        for name, path in PAGES.items():
            w = weights[name]
            total = sum(v for k, v in w.items() if k in ("document", "stylesheet", "script"))
            scores = lighthouse(base + path)
            print(f"{name:<11} {w.get('document', 0):>7} {w.get('stylesheet', 0):>7} "
                  f"{w.get('script', 0):>7} {total:>7}  "
                  + "  ".join(f"{scores[c]:>5}" for c in CATEGORIES))
        server.shutdown()
    print("bytes transferred (gzip, headers included), before images; Lighthouse mobile scores")


if __name__ == "__main__":
    main()
