"""Processes: the same function over many jobs, in worker processes when that pays.

Used for what is slow in pure Python or a library and independent per item: photos (`images`),
pocket catalogues (`pocket`), workbooks (`supplier_sheet`) and Markdown (`validate`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

MIN_POOL_JOBS = 3  # fewer jobs are done here rather than wait for worker processes
T = TypeVar("T")


class WorkerStopped(Exception):
    """A worker process stopped before it answered: killed, most often because the machine ran
    out of memory. Nothing was published."""

    message_id = ("sebuah proses pembantu berhenti tiba-tiba, biasanya karena memori komputer"
                  " habis; situs lama tidak diubah. Tutup program lain lalu bangun lagi, atau"
                  " bangun dengan --jobs 1")
    message_en = ("a worker process stopped suddenly, usually because the computer ran out of"
                  " memory; the previous site is unchanged. Close other programs and build"
                  " again, or build with --jobs 1")


def run_jobs(function: Callable[..., T], jobs: Sequence[tuple[Any, ...]],
             workers: int | None) -> list[T]:
    """`function(*job)` for every job, in order; in worker processes when there are several."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count < 2 or len(jobs) < MIN_POOL_JOBS:
        return [function(*job) for job in jobs]
    # "spawn": a fresh interpreter per worker, safe whatever threads the caller runs.
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(function, *zip(*jobs, strict=True)))
    except BrokenProcessPool:
        raise WorkerStopped from None
