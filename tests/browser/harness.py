"""A built site on a loopback HTTP server and Debian's Chromium: for tests, screenshots, benches."""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    """Debian's Chromium; Playwright's own browser downloads are never used."""
    executable = shutil.which("chromium")
    if not executable:
        raise RuntimeError("Debian's chromium is missing: run `make system-deps`")
    return executable


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def wait_until(page: Page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression until it is true. Unlike `page.wait_for_function`, this
    works under our Content-Security-Policy, which forbids the eval that one relies on."""
    deadline = time.monotonic() + timeout
    while not _evaluate(page, expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def _evaluate(page: Page, expression: str) -> object:
    """The expression's value; False while the page is between two documents (a reload)."""
    try:
        return page.evaluate(expression)
    except PlaywrightError as error:
        if "Execution context was destroyed" in error.message:
            return False
        raise


def open_live(page: Page, url: str, timeout: float = 30.0) -> None:
    """Open a page of `etalase serve` and wait until its live-reload script has connected (the
    server's hello), so that a save from now on reloads it."""
    heard: list[object] = []
    page.on("websocket", lambda socket: socket.on(
        "framereceived", lambda frame: heard.append(frame)))
    page.goto(url)
    deadline = time.monotonic() + timeout
    while not heard:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not connect to the live-reload server")
        page.wait_for_timeout(50)
