"""Stage times: where a build's time goes (`etalase build --timings`, `make bench`).

A build times each of its stages as it goes (`Stopwatch`, a few system calls a stage) and
returns them with its result; the command line prints them when asked. A stage's processor
time is this process's (all its threads) and that of the processes it waited for: the workers
that render pages or check Markdown, and Pagefind. Divided by the wall time, it says how many
cores the stage kept busy: about 2 on this 2-core machine for the parallel stages, 1 for those
that run on one core, less for one that waits for the disk. A process is counted in the stage
that waited for it: the one that writes the memo beside the pages (`pagecache.Store.checked`)
in the last "keeping the cache", the one that compiles the templates while the pages are
listed in "compiling templates", whose cores can so pass the machine's.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from generator.formats import comma_decimal

# Each stage's name, in Indonesian and English, in the order a build goes through them.
NAMES: dict[str, tuple[str, str]] = {
    "stamp": ("memeriksa perubahan", "checking for changes"),
    "memo": ("membaca tembolok", "reading the cache"),
    "load": ("membaca konten", "reading the content"),
    "check": ("memeriksa konten", "checking the content"),
    "keep": ("menyimpan tembolok", "keeping the cache"),
    "photos": ("foto", "photos"),
    "readiness": ("kesiapan e-Katalog", "e-catalogue readiness"),
    "changes": ("daftar perubahan", "list of changes"),
    "pages": ("daftar halaman", "list of pages"),
    "templates": ("mengompilasi templat", "compiling templates"),  # waiting for the process
    # that compiles them while the pages are listed (`render.compiling_ahead`)
    "render": ("membuat halaman", "rendering pages"),  # each page's key, then those not cached
    "search": ("indeks pencarian", "search index"),
    "data": ("berkas data", "data files"),  # listing-form sheets, pocket PDFs, changes.json,
    # the schemas (`products.json` and the other downloads render with the pages)
    "publish": ("menerbitkan", "publishing"),
}
HEADER = "Waktu per tahap, dalam detik (time per stage, in seconds):"  # the table's first line
OTHER = ("lain-lain", "other")  # between the stages: imports, workers starting and stopping
TOTAL = ("jumlah", "total")


@dataclass(frozen=True)
class Stage:
    """One stage of one build: a key of `NAMES`, its wall time and processor time, seconds."""

    name: str
    seconds: float
    cpu: float


class Stopwatch:
    """The stages of one build, timed in the order they run."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.stages.append(Stage(name, time.perf_counter() - wall, cpu_seconds() - cpu))


def cpu_seconds() -> float:
    """This process's processor time so far, with that of the processes it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)  # processes this one has reaped
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


def report(stages: Iterable[Stage], seconds: float, cpu: float) -> str:
    """A table with a row for each stage of `stages` (one run twice adds up its times), a row
    for what the build's `seconds` and `cpu` spent outside them, and one for those totals.
    Numbers are written the Indonesian way, as in the console's other messages."""
    merged: dict[str, list[float]] = {}
    for stage in stages:
        times = merged.setdefault(stage.name, [0.0, 0.0])
        times[0] += stage.seconds
        times[1] += stage.cpu
    rows = [(NAMES[name], wall, used) for name, (wall, used) in merged.items()]
    rows.append((OTHER, max(0.0, seconds - sum(r[1] for r in rows)),
                 max(0.0, cpu - sum(r[2] for r in rows))))
    rows.append((TOTAL, seconds, cpu))
    width = max(len(f"{id_} ({en})") for (id_, en), _, _ in rows)
    lines = [HEADER,
             f"  {'tahap (stage)':<{width}}  {'waktu':>7}  {'CPU':>7}  inti (cores)"]
    for (id_, en), wall, used in rows:  # no cores for a stage of no time (it waited for a
        # process that had ended, whose processor time it counts)
        cores = comma_decimal(used / wall, 1) if wall >= 0.005 else "-"
        lines.append(f"  {f'{id_} ({en})':<{width}}  {comma_decimal(wall):>7}"
                     f"  {comma_decimal(used):>7}  {cores:>5}")
    return "\n".join(lines)
