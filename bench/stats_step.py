"""Measure the statistics step of a build of the demo content: figures, pages and data files.

Prints the median of a few runs, in milliseconds, of
  figures  compute_stats for all time and each fiscal year, each year's recap, each unit's figures;
  render   the statistics and recap pages of both languages, stats.json and every CSV table;
  build    the whole site in memory (load → validate → pages → render), for comparison.
Measured, never asserted: `.venv/bin/python bench/stats_step.py [runs]`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import BuildOptions  # noqa: E402
from generator.pages import site_pages  # noqa: E402
from generator.periods import fiscal_years  # noqa: E402
from generator.pipeline import build_date, check, render  # noqa: E402
from generator.recap import monthly_recap, unit_figures  # noqa: E402
from generator.render import render_site  # noqa: E402
from generator.stats import compute_stats  # noqa: E402

OPTIONS = BuildOptions(content_dir=ROOT / "content")
STATS_TEMPLATES = ("stats.html", "recap.html")


def median_ms(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(runs: int) -> None:
    catalog, _ = check(OPTIONS)

    def figures() -> None:
        whole = compute_stats(catalog)
        for year in fiscal_years(catalog):
            monthly_recap(catalog, compute_stats(catalog, year))
        for facility in catalog.facilities:
            unit_figures(catalog, whole, facility)

    pages = site_pages(catalog, build_date(catalog))
    chosen = tuple(p for p in pages if p.template in STATS_TEMPLATES
                   or (p.route.kind == "data" and p.output.endswith((".csv", "stats.json"))
                       and p.output != "data/products.csv"))
    templates = ROOT / "templates"
    print(f"demo: {len(catalog.transactions)} sales, {len(fiscal_years(catalog))} fiscal years,"
          f" {len(chosen)} statistics files of {len(pages)}; median of {runs} runs")
    print(f"figures  {median_ms(figures, runs):7.1f} ms")
    print(f"render   {median_ms(lambda: render_site(catalog, chosen, templates), runs):7.1f} ms")
    print(f"build    {median_ms(lambda: render(OPTIONS), runs):7.1f} ms (whole site)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
