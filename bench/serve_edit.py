"""How long `etalase serve` takes from a saved edit to a rebuilt site, on a synthetic catalogue.

`python bench/serve_edit.py [N ...]` writes the catalogue of `synthetic.write_scale_catalogue`
with N products (default 1,000), builds it as the dev server does (pages, parsed files and the
search bundle kept in memory, no PDFs), then edits one product's description three times and
times each rebuild, in the process, as the server's file watcher would run it. The browser's
reload follows the rebuild; its own time (a page load on localhost) is not counted here.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import synthetic

from generator.build import BuildOptions, build
from generator.pagecache import Store

WORK = Path(__file__).resolve().parent.parent / ".bench-scale"


def main() -> None:
    for size in [int(a) for a in sys.argv[1:]] or [1000]:
        content = synthetic.write_scale_catalogue(WORK / f"serve-{size}", size)
        options = BuildOptions(content_dir=content, output_dir=WORK / f"serve-site-{size}",
                               cache_dir=WORK / f"serve-cache-{size}", pocket=False,
                               base_url="http://127.0.0.1:8000/")
        store = Store(folder=options.cache_dir, memory={})
        started = time.perf_counter()
        build(options, store)
        first = time.perf_counter() - started
        product = sorted((content / "products").rglob("*.md"))[0]
        times = []
        for n in range(3):
            product.write_text(product.read_text("utf-8") + f"\nSuntingan {n}.\n", "utf-8")
            started = time.perf_counter()
            build(dataclasses.replace(options), store)
            store.forget_unused()
            times.append(time.perf_counter() - started)
        print(f"{size:>7,} products: first build {first:.2f} s; edit → rebuilt site "
              + ", ".join(f"{t:.2f}" for t in times) + " s", flush=True)


if __name__ == "__main__":
    main()
