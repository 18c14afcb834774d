"""Processes: the same function over many jobs, in worker processes when that pays.

`run_jobs` starts fresh interpreters ("spawn") and sends each job's arguments (`results_in_order`
gives each result as it is asked for, while the next are made): for what is slow
in pure Python or a library and independent per item, photos (`images`), pocket catalogues
(`pocket`), workbooks (`supplier_sheet`) and Markdown (`validate`). `forked_map` forks this
process, so its workers share what it holds without pickling it: for the pages of a site, their
keys and renders (`pagecache`), and the words of the search index's parts (`search`).
`give_back_memory` returns what this process freed to the system between the build's stages, and
`give_large_blocks_back` has each large block given back as soon as it is freed.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

LARGE_BLOCK = 128 * 1024  # glibc's own threshold, before it moves
_M_MMAP_THRESHOLD = -3  # in glibc's <malloc.h>
MIN_POOL_JOBS = 3  # fewer jobs are done here rather than wait for worker processes
T = TypeVar("T")
R = TypeVar("R")
_JOB: tuple[Sequence[Any], Callable[[Any], Any]] | None = None


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
    return list(results_in_order(function, jobs, workers))


def results_in_order(function: Callable[..., T], jobs: Sequence[tuple[Any, ...]],
                     workers: int | None) -> Generator[T, None, None]:
    """`run_jobs`, each result given when it is asked for: the caller works beside the worker
    processes, which go on with the next jobs meanwhile (without workers, each job is done
    when its result is asked for). Closed early, it waits for the jobs sent."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count < 2 or len(jobs) < MIN_POOL_JOBS:
        yield from (function(*job) for job in jobs)
        return
    # "spawn": a fresh interpreter per worker, safe whatever threads the caller runs.
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield from pool.map(function, *zip(*jobs, strict=True))
    except BrokenProcessPool:
        raise WorkerStopped from None


def _do_slice(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    items, function = _JOB
    return [function(item) for item in items[bounds[0]:bounds[1]]]


def forked_map(items: Sequence[T], function: Callable[[T], R], workers: int,
               least: int = 2, smallest: int = 1) -> Iterator[tuple[int, R]]:
    """`function` over `items`: each one's index and result as soon as it is made. With
    several workers and at least `least` items, they are cut in slices (of `smallest` items or
    more): `workers - 1` forked processes do them from the first, sharing the catalogue and
    Jinja environments with this one instead of pickling them, and this one does them from the
    last, between taking in what they send back (one process fewer, so one copy fewer of what
    they touch). Only results are pickled."""
    if workers <= 1 or len(items) < max(2, least) or "fork" not in \
            multiprocessing.get_all_start_methods():
        yield from enumerate(map(function, items))
        return
    global _JOB
    _JOB = (items, function)
    step = max(smallest, len(items) // (workers * 32))
    todo = deque((start, min(start + step, len(items))) for start in range(0, len(items), step))
    gc.freeze()  # what the workers inherit stays out of their collections: shared, not copied
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            sent: deque[tuple[int, AsyncResult[list[Any]]]] = deque()
            while todo or sent:
                while todo and len(sent) < 2 * (workers - 1):
                    bounds = todo.popleft()
                    sent.append((bounds[0], pool.apply_async(_do_slice, (bounds,))))
                if todo:
                    start, end = todo.pop()
                    yield from enumerate(map(function, items[start:end]), start)
                while sent and (sent[0][1].ready() or not todo):
                    start, result = sent.popleft()
                    yield from enumerate(result.get(), start)
    finally:
        _JOB = None
        gc.unfreeze()


def in_order(results: Iterator[tuple[int, R]], count: int) -> list[R]:
    """`forked_map`'s results, which come as they are made, in the order of its items."""
    ordered: list[R | None] = [None] * count
    for index, result in results:
        ordered[index] = result
    return ordered  # type: ignore[return-value]  # every index comes once


def give_back_memory() -> None:
    """Return to the system the memory this process has freed: the C library keeps freed
    memory for reuse, so a stage's large, short-lived data (the memo as it is written, each
    answer of Pagefind) would otherwise stay counted while the next stage runs beside worker
    processes or Pagefind. Nothing happens where the C library is not glibc's."""
    trim = _libc("malloc_trim")
    if trim is not None:
        trim(0)


def give_large_blocks_back() -> None:
    """Have the C library map each block of `LARGE_BLOCK` or more apart, and unmap it when it
    is freed; this process and those it forks. By default glibc raises that threshold to the
    size of each large block freed (up to 32 MB), and then serves smaller ones from its heaps,
    which keep what is freed until `give_back_memory` runs. A cold build of 10,000 products
    went from 209 to 267 MB during the search stage (Pagefind's answers, decoded in several
    threads) and to 308 MB by its end; it now goes from 206 to 215 and 251 MB. Nothing happens
    where the C library is not glibc's."""
    mallopt = _libc("mallopt")
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)


@functools.cache
def _libc(name: str) -> Callable[..., int] | None:
    """A function of this program's C library, if it has one of that name."""
    try:
        return getattr(ctypes.CDLL(None), name, None)
    except OSError:
        return None
