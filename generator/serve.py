"""Serve: build, serve the site with live reload, rebuild on every change.

A saved product is previewed at once (see `preview`), then the whole site is rebuilt in the
background: pages first, then the search index (see `Rebuilds`). A failed rebuild prints its
messages and leaves the last good site in place, so the browser keeps showing it until the
mistake is fixed. The server binds 127.0.0.1 unless told otherwise and answers only requests
addressed to it: a foreign `Host` header or WebSocket `Origin` (DNS rebinding from a web page)
is refused; paths cannot leave the site folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from tornado.web import HTTPError
from watchfiles import watch

from generator.build import BuildOptions, BuildResult, Superseded, build, manifest
from generator.errors import BuildStopped, ContentErrors, failure, summary
from generator.formats import duration
from generator.load import is_ignored, shown_path
from generator.pagecache import Store
from generator.preview import Preview
from generator.write import WriteFailed, patch

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` values this server answers to."""
    names = {"127.0.0.1", "localhost", "[::1]"} if host in LOOPBACK else {host}
    return frozenset(f"{name}:{port}" for name in names)


class GuardedFiles(StaticFileHandler):  # type: ignore[misc]
    """Static files, only for requests addressed to this server."""

    allowed: ClassVar[frozenset[str]] = frozenset()

    def prepare(self) -> None:
        if self.request.host not in self.allowed:
            raise HTTPError(403)


class DevServer(Server):  # type: ignore[misc]
    """livereload's server with the guarded file handler."""

    def __init__(self, allowed: frozenset[str], watcher: Watcher | None = None) -> None:
        super().__init__(watcher=watcher)
        self.files = type("Files", (GuardedFiles,), {"allowed": allowed})

    def get_web_handlers(self, script: Any) -> list[Any]:
        return [(r"/(.*)", self.files, {"path": self.root, "default_filename": "index.html"})]


def _guard_websocket(allowed: frozenset[str]) -> None:
    """livereload accepts any WebSocket origin; ours accepts only pages it served itself."""
    def check_origin(handler: Any, origin: str) -> bool:
        host = origin.split("://", 1)[-1].rstrip("/")
        return bool(host in allowed and handler.request.host in allowed)

    LiveReloadHandler.check_origin = check_origin


def _external_live_script(port: int) -> None:
    """livereload injects an inline script, which our pages' Content-Security-Policy forbids;
    inject a same-origin script file instead, which the policy allows."""
    tag = f'<script src="/livereload.js?port={port}"></script>'.encode()

    def transform(self: Any, status: int, headers: Any, chunk: bytes,
                  finishing: bool) -> tuple[int, Any, bytes]:
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", tag + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tag))
        return status, headers, chunk

    LiveScriptInjector.transform_first_chunk = transform


def _last_site_kept() -> None:
    """A rebuild failed: the last good site is still what the browser gets."""
    print("Situs lama tetap ditampilkan (the last good site is still served).",
          file=sys.stderr, flush=True)


def rebuild(options: BuildOptions, store: Store | None = None,
            gate: Callable[[], AbstractContextManager[bool]] | None = None,
            if_changed: bool = True,
            pages_first: Callable[[BuildResult], None] | None = None) -> BuildResult | None:
    """Build once, printing the outcome; the result when the site was replaced. `store` keeps
    the rendered pages, parsed files and search bundle in memory from one rebuild to the next,
    so an edit renders again only the pages it changes; `gate` and `pages_first` are as in
    `build`, and `if_changed` lets an unchanged site be left as it is. A build superseded by a
    newer edit returns None, quietly."""
    started = time.perf_counter()
    try:
        result = build(options, store, gate, if_changed, pages_first)
    except Superseded:
        return None
    except ContentErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(summary(exc.diagnostics), file=sys.stderr)
        _last_site_kept()
        return None
    except BuildStopped as exc:
        print(failure(exc), file=sys.stderr)
        _last_site_kept()
        return None
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if store is not None:
        store.forget_unused()
    took, took_en = duration(time.perf_counter() - started)
    print(f"Dibangun ulang dalam {took} (rebuilt in {took_en})", flush=True)
    return result


class Rebuilds:
    """What the server does when files are saved. An edited product is previewed at once: its
    own pages are rendered from the last build's catalogue, written into the site and the
    browser reloaded (see `preview`). The full rebuild follows in a background thread, which
    brings every other page up to date and reloads the browser again; a rebuild overtaken by a
    newer save publishes nothing, and the next one starts."""

    SETTLE = 0.3  # seconds the full rebuild waits, so the browser fetches the preview first

    def __init__(self, options: BuildOptions, reload: Callable[[str], None]) -> None:
        self.options = options
        self.reload = reload  # tells the browsers to reload; called on the server's thread
        self.store = Store(folder=options.cache_dir, memory={})
        self.preview: Preview | None = None
        self.writing = threading.Lock()  # held while anything is written into the site
        self.saves = 0  # how many saves were heard; a rebuild publishes only the latest
        self.due = threading.Event()

    def first(self) -> None:
        """The build before serving. When the site was already up to date, the background
        thread renders it once more (writing nothing) for the catalogue previews start from."""
        self._full()
        if self.preview is None:
            self.due.set()

    def saved(self, paths: set[Path]) -> None:
        """Files were saved (on the server's thread): preview, then ask for the full build."""
        with self.writing:
            self.saves += 1
            shown = self._preview(paths)
        if shown:
            self.reload(shown)
        self.due.set()

    def _preview(self, paths: set[Path]) -> str | None:
        """Render and write the pages of one edited product; the site path of the first."""
        preview = self.preview
        files = [path for path in paths if path.is_file() and not is_ignored(path.name)]
        if preview is None or len(files) != 1:  # nothing, or more than one product to show
            return None
        started = time.perf_counter()
        pages = preview.product(files[0])
        if not pages:
            return None
        try:
            patch(pages, self.options.output_dir, manifest(self.options))
        except WriteFailed as exc:
            print(failure(exc), file=sys.stderr)
            return None
        took, took_en = duration(time.perf_counter() - started)
        print(f"Pratinjau {shown_path(files[0])} dalam {took}; membangun ulang seluruh situs"
              f" (quick preview in {took_en}; the full rebuild follows)", flush=True)
        return next(iter(pages))  # the page in the first language

    def run(self) -> None:
        """The full rebuilds, one after another, for as long as the server runs."""
        while True:
            self.due.wait()
            time.sleep(self.SETTLE)
            self.due.clear()
            self._full(if_changed=self.preview is not None)

    def _full(self, if_changed: bool = True) -> None:
        """One full rebuild: the pages first, then the search index; each save since it began
        leaves it unpublished. The browser reloads once the pages are up. Without
        `if_changed`, an up-to-date site is rendered too (writing nothing), for the preview."""
        saves, started, shown = self.saves, time.perf_counter(), False
        gc.unfreeze()  # what the last rebuild left may be collected again

        @contextlib.contextmanager
        def gate() -> Iterator[bool]:
            with self.writing:
                yield saves == self.saves

        def pages_first(result: BuildResult) -> None:
            nonlocal shown
            took, took_en = duration(time.perf_counter() - started)
            print(f"Halaman dibangun ulang dalam {took}; indeks pencarian menyusul"
                  f" (pages rebuilt in {took_en}; the search index follows)", flush=True)
            self.reload("*")
            self.preview, shown = Preview.of(self.options, result), True

        result = rebuild(self.options, self.store, gate, if_changed, pages_first)
        if result is not None and result.unchanged_files is None and not shown:
            self.preview = Preview.of(self.options, result)
        if result is not None and not shown:
            self.reload("*")
        # The catalogue and pages kept for previews are set aside from the garbage collector
        # until the next rebuild: a preview would otherwise set off a full collection over all
        # of them (at 10,000 products, the first save rendered in 170 ms without this, 50 with).
        gc.freeze()


class SavedFiles(Watcher):  # type: ignore[misc]
    """livereload's watcher, told of saved files by the kernel (inotify, through watchfiles)
    instead of walking the folders every 800 ms."""

    def __init__(self, folders: tuple[Path, ...], saved: Callable[[set[Path]], None]) -> None:
        super().__init__()
        self.folders, self.on_saved = folders, saved

    def start(self, callback: object) -> bool:
        loop = IOLoop.current()
        threading.Thread(target=self._listen, args=(loop,), daemon=True).start()
        return True  # no polling

    def _listen(self, loop: IOLoop) -> None:
        for changes in watch(*self.folders, step=20, raise_interrupt=False):
            loop.add_callback(self.on_saved, {Path(path) for _, path in changes})


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Serve `options.output_dir` on host:port until interrupted."""
    shown = f"[{host}]" if ":" in host else host
    local = dataclasses.replace(options, base_url=f"http://{shown}:{port}/")
    loop = IOLoop.current()  # the server's; the rebuild thread reloads browsers through it
    rebuilds = Rebuilds(local, lambda path: loop.add_callback(LiveReloadHandler.reload_waiters,
                                                              path))
    rebuilds.first()
    threading.Thread(target=rebuilds.run, daemon=True).start()
    allowed = allowed_hosts(host, port)
    _guard_websocket(allowed)
    _external_live_script(port)
    server = DevServer(allowed, SavedFiles((local.content_dir, local.templates_dir),
                                           rebuilds.saved))
    print(f"Pratinjau di http://{shown}:{port}/ (preview; Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(local.output_dir), open_url_delay=None)
    return 0
