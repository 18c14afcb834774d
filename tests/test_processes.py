"""Worker processes: a worker that stops without answering is a clear error, not a traceback."""

from __future__ import annotations

import dataclasses
import functools
import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from generator import build, pipeline, processes, validate
from generator.build import BuildOptions
from generator.errors import ContentErrors
from generator.processes import WorkerStopped, results_in_order, run_jobs
from generator.serve import rebuild


def _stops(*_: object) -> None:
    if multiprocessing.parent_process() is not None:  # in a worker, never in the test itself
        os._exit(9)  # as the kernel's out-of-memory killer would leave it


def test_a_worker_that_stops_raises_worker_stopped() -> None:
    with pytest.raises(WorkerStopped):
        run_jobs(_stops, [(n,) for n in range(4)], 2)


def _after(flag: str, number: int) -> str:
    """Job `number`: the second waits (up to 30 s) for the caller to raise `flag`."""
    if number == 1:
        for _ in range(300):
            if Path(flag).exists():
                return "1, after the caller took job 0's result"
            time.sleep(0.1)
        return "1, without the caller"
    return str(number)


def test_results_come_as_they_are_asked_for_while_the_workers_go_on(tmp_path: Path) -> None:
    """The caller works beside the workers: it has job 0's result while job 1 still runs
    (job 1 waits for the caller's flag, raised once job 0's result has come)."""
    flag = tmp_path / "flag"
    results = results_in_order(_after, [(str(flag), n) for n in range(4)], 2)
    first = next(results)
    flag.touch()
    assert [first, *results] == ["0", "1, after the caller took job 0's result", "2", "3"]


def _counted(folder: str, caller: int, number: int) -> str:
    """Item `number` of 64, each noted in `folder` once done; the last, which the calling
    process does first, waits (up to 30 s) for the workers to have done the 63 others."""
    if number == 63 and os.getpid() == caller:
        for _ in range(300):
            if len(os.listdir(folder)) == 63:
                return "63, after the workers did the others"
            time.sleep(0.1)
        return "63, without the workers"
    Path(folder, str(number)).touch()
    return str(number)


def test_a_long_item_in_the_calling_process_does_not_hold_the_workers_up(
        tmp_path: Path) -> None:
    """`forked_map`'s own process takes items from the last (a site's data files, the
    longest pages to render), its worker from the first: however long the first takes, the
    worker goes on with every other item, each done once."""
    done = functools.partial(_counted, str(tmp_path), os.getpid())
    results = processes.in_order(processes.forked_map(list(range(64)), done, 2), 64)
    assert results == [*map(str, range(63)), "63, after the workers did the others"]
    assert sorted(map(int, os.listdir(tmp_path))) == list(range(63))


def _fails_here(folder: str, caller: int, number: int) -> int:
    """Fails in the calling process; each item a worker does takes a fifth of a second."""
    if os.getpid() == caller:
        raise RuntimeError("a page could not be rendered")
    time.sleep(0.2)
    Path(folder, str(number)).touch()
    return number


def test_an_error_here_stops_the_workers_after_the_slice_they_are_doing(
        tmp_path: Path) -> None:
    """When this process fails, the worker does not go on with the slices left."""
    fails = functools.partial(_fails_here, str(tmp_path), os.getpid())
    with pytest.raises(RuntimeError, match="could not be rendered"):
        list(processes.forked_map(list(range(64)), fails, 2))
    assert len(os.listdir(tmp_path)) <= 1


def _stops_there(number: int) -> int:
    """Stops a worker; takes a while here, so that the worker has started by the end."""
    _stops()
    time.sleep(0.05)
    return number


def test_a_forked_worker_that_stops_raises_worker_stopped() -> None:
    raised: list[type[BaseException]] = []

    def pages() -> None:  # in a thread, so that the test fails rather than hang
        try:
            list(processes.forked_map(list(range(64)), _stops_there, 2))
        except BaseException as exc:  # what the test looks at
            raised.append(type(exc))

    thread = threading.Thread(target=pages, daemon=True)
    thread.start()
    thread.join(60)
    assert raised == [WorkerStopped]


def test_the_build_says_so_in_both_languages_and_keeps_the_site(
        content, run, monkeypatch: pytest.MonkeyPatch) -> None:
    root = content()
    code, _, err = run("build", "--content", str(root), "--out", "site")
    assert code == 0, err
    before = sorted(p.relative_to("site").as_posix() for p in Path("site").rglob("*"))
    (root / "products/lapas-serang/sepatu-kulit.md").write_text(
        (root / "products/lapas-serang/sepatu-kulit.md").read_text() + "\nBaru.\n")
    monkeypatch.setattr(validate, "MARKDOWN_POOL_FROM", 1)  # the real pool, its workers stopping
    monkeypatch.setattr(validate, "MARKDOWN_CHUNK", 1)
    monkeypatch.setattr(processes, "MIN_POOL_JOBS", 1)
    monkeypatch.setattr(validate, "results_in_order", lambda _, jobs, workers: results_in_order(
        _stops, jobs, workers))
    code, out, err = run("build", "--content", str(root), "--out", "site", "--jobs", "2",
                         "--cache", "fresh-cache")  # every body new: one job for each
    assert code == 1 and out == ""
    assert err == (
        "etalase: galat: sebuah proses pembantu berhenti tiba-tiba, biasanya karena memori"
        " komputer habis; situs lama tidak diubah. Tutup program lain lalu bangun lagi, atau"
        " bangun dengan --jobs 1 (error: a worker process stopped suddenly, usually because"
        " the computer ran out of memory; the previous site is unchanged. Close other programs"
        " and build again, or build with --jobs 1)\n")
    assert sorted(p.relative_to("site").as_posix() for p in Path("site").rglob("*")) == before


def test_the_dev_server_says_so_and_keeps_serving_the_last_site(
        content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    options = BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                           cache_dir=tmp_path / ".cache", pocket=False, workers=2)
    assert rebuild(options) is not None
    before = sorted(p.relative_to(options.output_dir).as_posix()
                    for p in options.output_dir.rglob("*"))
    capsys.readouterr()
    monkeypatch.setattr(validate, "MARKDOWN_POOL_FROM", 1)
    monkeypatch.setattr(validate, "MARKDOWN_CHUNK", 1)
    monkeypatch.setattr(processes, "MIN_POOL_JOBS", 1)
    monkeypatch.setattr(validate, "results_in_order", lambda _, jobs, workers: results_in_order(
        _stops, jobs, workers))
    fresh = dataclasses.replace(options, cache_dir=tmp_path / "fresh-cache")  # every body new
    assert rebuild(fresh) is None
    assert capsys.readouterr().err == (
        "galat: sebuah proses pembantu berhenti tiba-tiba, biasanya karena memori komputer"
        " habis; situs lama tidak diubah. Tutup program lain lalu bangun lagi, atau bangun"
        " dengan --jobs 1 (error: a worker process stopped suddenly, usually because the"
        " computer ran out of memory; the previous site is unchanged. Close other programs and"
        " build again, or build with --jobs 1)\n"
        "Situs lama tetap ditampilkan (the last good site is still served).\n")
    assert sorted(p.relative_to(options.output_dir).as_posix()
                  for p in options.output_dir.rglob("*")) == before


def _resident_mb() -> int:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) // 1024


def _resident_after_freeing() -> tuple[int, int, int]:
    """Resident MB with 120 MB of texts held, after freeing them, and after giving back."""
    texts = [bytes(2_000) + bytes([n % 256]) for n in range(60_000)]  # 120 MB, each malloc'd
    kept = [bytes(2_000) for _ in range(10)]  # above them, so freeing them leaves a hole
    held = _resident_mb()
    del texts
    freed = _resident_mb()
    processes.give_back_memory()
    assert len(kept) == 10
    return held, freed, _resident_mb()


def test_memory_freed_by_a_stage_goes_back_to_the_system() -> None:
    """Freed memory the C library kept for reuse would stay counted beside Pagefind. Measured
    in a fresh process: after a long test run, this one's heap has holes that the texts would
    partly fill, and fewer whole pages would be left to give back."""
    if processes._libc("malloc_trim") is None:
        pytest.skip("the C library is not glibc's")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        held, freed, given_back = pool.submit(_resident_after_freeing).result()
    assert freed > held - 20  # kept by the C library
    assert given_back < held - 80


def _resident_kept_after_large_blocks(content_dir: Path) -> int:
    """Resident MB kept after a build, once 40 MB of blocks of 200 KB are freed."""
    pipeline.render(BuildOptions(content_dir=content_dir, cache_dir=content_dir.parent / "c"))
    bytearray(20_000_000)  # by default, glibc now keeps freed blocks under 20 MB in its heaps
    before = _resident_mb()
    blocks, kept = [], []
    for _ in range(200):
        blocks.append(bytes(200_000))
        kept.append(bytes(1_000))  # above each, so freeing it leaves a hole
    del blocks
    assert len(kept) == 200
    return _resident_mb() - before


def test_a_build_has_large_blocks_given_back_as_soon_as_they_are_freed(content) -> None:
    """Pagefind's answers, decoded in several threads, held a build of 10,000 products 50 MB
    higher until the C library was told to map large blocks apart. Measured in a fresh
    process, after a build: the default would keep about 26 MB."""
    if processes._libc("mallopt") is None:
        pytest.skip("the C library is not glibc's")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        kept = pool.submit(_resident_kept_after_large_blocks, content().resolve()).result()
    assert kept < 4, kept


def test_builds_and_checks_hold_the_cycle_collector_off_and_let_it_run_again(
        content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = validate.build_catalog

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "build_catalog", watched)
    options = BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                           cache_dir=tmp_path / ".cache", pocket=False)
    assert gc.isenabled()
    build.build(options)
    pipeline.check(options)
    broken = dataclasses.replace(options, content_dir=content(
        {"products/lapas-serang/sepatu-kulit.md": "---\nname: [\n---\n"}))
    with pytest.raises(ContentErrors):
        build.build(broken)
    assert seen == [False, False, False] and gc.isenabled()
    content()  # the valid content again
    gc.disable()  # a caller that had it off keeps it off
    try:
        build.build(options, if_changed=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _pid(_: int) -> int:
    return os.getpid()


def test_worker_processes_are_as_many_as_the_cores_this_process_may_use(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A container may narrow a build to one core of a larger machine: then no worker
    process is started for the workbooks and PDFs, which would only take turns with it."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert list(results_in_order(_pid, [(n,) for n in range(6)], None)) == [os.getpid()] * 6


def test_jobs_of_no_arguments_each_give_their_result() -> None:
    pids = list(results_in_order(os.getpid, [()] * 4, 2))
    assert len(pids) == 4 and os.getpid() not in pids
