"""Processes: the same function over many jobs, in worker processes when that pays.

`run_jobs` starts fresh interpreters ("spawn") and sends each job's arguments (`results_in_order`
gives each result as it is asked for, while the next are made): for what is slow
in pure Python or a library and independent per item, photos (`images`), pocket catalogues
(`pocket`), workbooks (`supplier_sheet`) and Markdown (`validate`). `forked_map` forks this
process, so its workers share what it holds without pickling it: for the pages of a site, their
keys and renders (`pagecache`), and the words of the search index's parts (`search`);
`in_background` forks one process for work nothing waits on until the end (the memo's writing).
`give_back_memory` returns what this process freed to the system between the build's stages, and
`give_large_blocks_back` has each large block given back as soon as it is freed.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import mmap
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from generator.errors import BuildStopped

LARGE_BLOCK = 128 * 1024  # glibc's own threshold, before it moves
_M_MMAP_THRESHOLD = -3  # in glibc's <malloc.h>
MIN_POOL_JOBS = 3  # fewer jobs are done here rather than wait for worker processes
T = TypeVar("T")
R = TypeVar("R")
_JOB: tuple[Sequence[Any], Callable[[Any], Any], list[tuple[int, int]], _Ends] | None = None


def cores() -> int:
    """The cores this process may use (its CPU affinity, which a container may narrow)."""
    return len(os.sched_getaffinity(0))


class WorkerStopped(BuildStopped):
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
    count = min(workers or cores(), len(jobs))
    if count < 2 or len(jobs) < MIN_POOL_JOBS:
        yield from (function(*job) for job in jobs)
        return
    # "spawn": a fresh interpreter per worker, safe whatever threads the caller runs.
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield from pool.map(functools.partial(_call, function), jobs)
    except BrokenProcessPool:
        raise WorkerStopped from None


def _call(function: Callable[..., T], job: tuple[Any, ...]) -> T:
    """In a worker: one job (a job of no arguments too, which `map` over the arguments'
    columns would have left out)."""
    return function(*job)


def _take_slice() -> tuple[int, list[Any]] | None:
    """In a worker: the first slice no process has taken yet, done; None when none is left."""
    assert _JOB is not None
    items, function, bounds, ends = _JOB
    number = ends.take(first=True)
    if number is None:
        return None
    start, end = bounds[number]
    return start, [function(item) for item in items[start:end]]


class _Ends:
    """The number of the first slice no process has taken yet and the number after the last
    one's, shared by this process and those it forks: in anonymous shared memory (not a
    file, which a full disk or a limit on file sizes would refuse), under a lock."""

    def __init__(self, count: int) -> None:
        self.lock = multiprocessing.get_context("fork").Lock()
        self.numbers = (ctypes.c_int64 * 2).from_buffer(mmap.mmap(-1, 16))
        self.numbers[1] = count

    def take(self, first: bool) -> int | None:
        """The first (or the last) slice not taken yet, now taken; None when none is left."""
        with self.lock:
            low, high = self.numbers
            if low >= high:
                return None
            if first:
                self.numbers[0] = low + 1
                return low
            self.numbers[1] = high - 1
            return high - 1

    def leave_none(self) -> None:
        """Every slice not begun yet is taken, so that no process begins another."""
        with self.lock:
            self.numbers[0] = self.numbers[1]


def forked_map(items: Sequence[T], function: Callable[[T], R], workers: int,
               least: int = 2, smallest: int = 1) -> Iterator[tuple[int, R]]:
    """`function` over `items`: each one's index and result as soon as it is made. With
    several workers and at least `least` items, they are cut in slices (of `smallest` items or
    more): `workers - 1` forked processes take them from the first, sharing the catalogue and
    Jinja environments with this one instead of pickling them, and this one takes them from
    the last (one process fewer, so one copy fewer of what they touch), each a slice at a
    time, until they meet: however long one process takes over a slice (the last pages of a
    site are its data files, the longest to render), the others go on. Only results are
    pickled; a worker that stops raises `WorkerStopped`."""
    if workers <= 1 or len(items) < max(2, least) or "fork" not in \
            multiprocessing.get_all_start_methods():
        yield from enumerate(map(function, items))
        return
    global _JOB
    step = max(smallest, len(items) // (workers * 32))
    bounds = [(start, min(start + step, len(items))) for start in range(0, len(items), step)]
    ends = _Ends(len(bounds))
    _JOB = (items, function, bounds, ends)
    mine = ends.take(first=False)  # before the workers start: the last slice is this one's
    gc.freeze()  # what the workers inherit stays out of their collections: shared, not copied
    pool = ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork"))
    try:
        sent = deque(pool.submit(_take_slice) for _ in bounds)
        while mine is not None:
            start, end = bounds[mine]
            for index in range(start, end):
                yield index, function(items[index])
                while sent and sent[0].done():  # what the workers made, as it comes
                    yield from _results(sent.popleft().result())
            mine = ends.take(first=False)
        for future in sent:
            yield from _results(future.result())
    except BrokenProcessPool:
        raise WorkerStopped from None
    finally:  # on an error, the slices not yet begun are not done
        ends.leave_none()
        pool.shutdown(cancel_futures=True)
        _JOB = None
        gc.unfreeze()


def _results(made: tuple[int, list[R]] | None) -> Iterator[tuple[int, R]]:
    """A worker's slice as (index, result) pairs; nothing when it found no slice left."""
    if made is not None:
        yield from enumerate(made[1], made[0])


def in_order(results: Iterator[tuple[int, R]], count: int) -> list[R]:
    """`forked_map`'s results, which come as they are made, in the order of its items."""
    ordered: list[R | None] = [None] * count
    for index, result in results:
        ordered[index] = result
    return ordered  # type: ignore[return-value]  # every index comes once


def in_background(work: Callable[[], object]) -> int | None:
    """`work()` in a forked process while this one goes on; that process's id, for `finished`.
    It first closes every file it shares with this one (else it would hold the build's lock,
    and a failed build would leave its output folder "being written by another build" until
    `work` ends), and leaves as soon as `work` returns or raises: what it does is only worth
    time to a later build (a memo). Where processes cannot fork, `work` is done here (None)."""
    if not hasattr(os, "fork"):
        work()
        return None
    pid = os.fork()
    if pid == 0:  # the forked process
        try:
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            work()
        finally:
            os._exit(0)
    return pid


def finished(pids: list[int]) -> None:
    """Wait for each process of `pids` (`in_background`'s), taking it off the list."""
    while pids:
        os.waitpid(pids.pop(), 0)


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
