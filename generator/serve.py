"""Serve: build, serve the site with live reload, rebuild on every change.

A failed rebuild prints its messages and leaves the last good site in place, so the browser
keeps showing it until the mistake is fixed.
"""

from __future__ import annotations

import dataclasses
import sys
import time

from livereload import Server

from generator.build import BuildOptions, build
from generator.errors import ContentErrors, summary


def rebuild(options: BuildOptions) -> bool:
    """Build once, printing the outcome; True when the site was replaced."""
    started = time.perf_counter()
    try:
        result = build(options)
    except ContentErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(summary(exc.diagnostics), file=sys.stderr)
        print("Situs lama tetap ditampilkan (the last good site is still served).",
              file=sys.stderr)
        return False
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    print(f"Dibangun ulang dalam {time.perf_counter() - started:.2f} s (rebuilt)", flush=True)
    return True


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Serve `options.output_dir` on host:port until interrupted."""
    local = dataclasses.replace(options, base_url=f"http://{host}:{port}/")
    rebuild(local)
    server = Server()
    for folder in (local.content_dir, local.templates_dir):
        server.watch(str(folder), lambda: rebuild(local))
    print(f"Pratinjau di http://{host}:{port}/ (preview; Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(local.output_dir), open_url_delay=None)
    return 0
