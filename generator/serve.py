"""Serve: build, serve the site with live reload, rebuild on every change.

A failed rebuild prints its messages and leaves the last good site in place, so the browser
keeps showing it until the mistake is fixed. The server binds 127.0.0.1 unless told otherwise
and answers only requests addressed to it: a foreign `Host` header or WebSocket `Origin`
(DNS rebinding from a web page) is refused; paths cannot leave the site folder.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from typing import Any, ClassVar

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado.web import HTTPError

from generator.build import BuildOptions, build
from generator.errors import ContentErrors, summary
from generator.pagecache import Store

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

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
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


def rebuild(options: BuildOptions, store: Store | None = None) -> bool:
    """Build once, printing the outcome; True when the site was replaced. `store` keeps the
    rendered pages, parsed files and search bundle in memory from one rebuild to the next, so
    an edit renders again only the pages it changes."""
    started = time.perf_counter()
    try:
        result = build(options, store)
    except ContentErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(summary(exc.diagnostics), file=sys.stderr)
        print("Situs lama tetap ditampilkan (the last good site is still served).",
              file=sys.stderr, flush=True)
        return False
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if store is not None:
        store.forget_unused()
    print(f"Dibangun ulang dalam {time.perf_counter() - started:.2f} s (rebuilt)", flush=True)
    return True


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Serve `options.output_dir` on host:port until interrupted."""
    shown = f"[{host}]" if ":" in host else host
    local = dataclasses.replace(options, base_url=f"http://{shown}:{port}/")
    store = Store(folder=local.cache_dir, memory={})
    rebuild(local, store)
    allowed = allowed_hosts(host, port)
    _guard_websocket(allowed)
    _external_live_script(port)
    server = DevServer(allowed)
    for folder in (local.content_dir, local.templates_dir):
        server.watch(str(folder), lambda: rebuild(local, store))
    print(f"Pratinjau di http://{shown}:{port}/ (preview; Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(local.output_dir), open_url_delay=None)
    return 0
