"""Scale: Etalase and Hugo side by side on a synthetic catalogue of N products.

`python bench/scale_bench.py [--sizes 1000,10000]` writes the catalogue of `synthetic.
write_scale_catalogue` for each size, then times, each in a child process whose peak memory
(its whole process tree's, sampled) is recorded: a cold build (no cache, no site), a rebuild
with no change, a rebuild after editing one product (`edit s`: a sentence of new words), and
Etalase's rebuild after a second edit (`known s`: words the catalogue has, so that one part of
the search index is made again, not all); the same first three runs of Debian's `hugo` with
the templates of `bench/hugo/` (installed with apt-get when missing). Prints a table with the
ratio of Etalase's time to Hugo's, the processor time of each tool's cold build in user space
and in the kernel, and at 10,000 and 50,000 products whether each of issue 9's targets is met.
At 10,000 products, whose cold build is held to twice Hugo's, `--cold-pairs` pairs of cold
builds are timed (the first runs, then more, each tool in turn), and the target to the median
of their ratios: one tool's time moves by a fifth from run to run on the bench's machine.
Etalase builds with `--no-pdf`, as Hugo makes no PDFs; the `+pdf` row, for catalogues up to
`--pdf-up-to` products, is the full build with the pocket catalogues.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

from generator.timings import HEADER  # the first line of `etalase build --timings`

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench-scale"
TRASH = WORK / "trash"
ETALASE = ROOT / ".venv" / "bin" / "etalase"
HUGO_SITE = ROOT / "bench" / "hugo"
SAMPLING_SHARE = 0.05  # of one core, at most, for sampling the memory of a timed run


@dataclass(frozen=True)
class Run:
    """One timed child process: seconds, peak memory in MB, files written, what it printed,
    and the processor time it and the processes it waited for took, in user space and in the
    kernel (system)."""

    seconds: float
    peak_mb: float
    files: int
    output: str = ""
    user_s: float = 0.0
    system_s: float = 0.0


def tree_rss_mb(root: int) -> float:
    """Memory of a process and all its descendants (render workers, Pagefind), in MB: the sum
    of their proportional set sizes, so pages forked workers share are counted once."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            children.setdefault(int(parent), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack.extend(children.get(pid, []))
    return total / 1024


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # the process has just ended
    return 0


def timed(command: list[str], out: Path) -> Run:
    """Run `command`, timing it and sampling the memory of its whole process tree
    (`ru_maxrss` would give only the largest single process), every tenth of a second or
    less often: each sample reads the kernel's map of every page of the tree (`tree_rss_mb`),
    14 to 30 ms of processor time for a build of 50,000 products, so the sampler waits long
    enough to take at most `SAMPLING_SHARE` of one core from the run it measures. What earlier
    runs wrote or deleted is first put on disk (`sync`): otherwise the file system would still
    be writing it back, or discarding a deleted site's blocks, while this run is timed."""
    os.sync()
    start = time.perf_counter()
    peak = 0.0
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as printed:
        # files, not pipes: a pipe would fill with warnings and block
        child = subprocess.Popen(command, stdout=printed, stderr=errors,
                                 env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
        # `wait4` gives the processor time of the child and of every process it waited for
        while not (ended := os.wait4(child.pid, os.WNOHANG))[0]:
            sampling = time.perf_counter()
            peak = max(peak, tree_rss_mb(child.pid))
            time.sleep(max(0.1, (time.perf_counter() - sampling) / SAMPLING_SHARE))
        seconds = time.perf_counter() - start
        _, status, usage = ended
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{command[0]} failed: {errors.read().decode()[-2000:]}")
        printed.seek(0)
        output = printed.read().decode()
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return Run(seconds, peak, files, output, usage.ru_utime, usage.ru_stime)


def set_aside(path: Path) -> None:
    """Move the last run's output into the trash, emptied when the bench ends: deleting it
    here would make the file system discard its blocks while the next build is timed, and
    slow that build's writes (25,000 cache files took 3.7 s to write just after deleting a
    site, 1.5 s otherwise)."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.name}-{time.time_ns()}")


def ensure_hugo() -> str:
    """The `hugo` command; installed from Debian with apt-get when missing."""
    found = shutil.which("hugo")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "hugo"], check=True)
    return shutil.which("hugo") or "hugo"


NEW_WORDS = "Diperbarui untuk uji suntingan."  # words the synthetic catalogue does not have
KNOWN_WORDS = "Kantor sekolah rapi."  # words every part of its search index has


def edit_one(content: Path, sentence: str = NEW_WORDS) -> None:
    """Add a sentence to one product's description, as an editor would. New words go to the
    page of every word in each part of the search index, so every part is indexed again;
    with words the catalogue has, only the part that holds the product is."""
    product = sorted((content / "products").rglob("*.md"))[0]
    product.write_text(product.read_text("utf-8") + f"\n{sentence}\n", "utf-8")


def bench_etalase(content: Path, pdf: bool) -> tuple[Run, Run, Run, Run]:
    """Cold, unchanged and one-edit builds, then an edit with no new word; without the pocket
    PDFs unless `pdf` (Hugo makes none, and WeasyPrint alone takes longer than everything else
    together)."""
    site = WORK / "site"
    command, cold = etalase_cold(content, pdf)
    same = timed(command, site)
    edit_one(content)
    edited = timed(command, site)
    edit_one(content, KNOWN_WORDS)
    known = timed(command, site)
    return cold, same, edited, known


def etalase_cold(content: Path, pdf: bool = False) -> tuple[list[str], Run]:
    """Etalase's build command, and its cold build: no site, no cache."""
    site, cache = WORK / "site", WORK / "cache"
    set_aside(site)
    set_aside(cache)
    command = [str(ETALASE), "build", "--content", str(content), "--out", str(site),
               "--cache", str(cache), "--timings", *([] if pdf else ["--no-pdf"])]
    return command, timed(command, site)


def cold_pair(content: Path, hugo: str) -> tuple[Run, Run]:
    """A cold build of Etalase's, then one of Hugo's, as their first runs."""
    return etalase_cold(content)[1], hugo_cold(hugo, content)[1]


def bench_hugo(hugo: str, content: Path) -> tuple[Run, Run, Run]:
    out = WORK / "hugo-site"
    command, cold = hugo_cold(hugo, content)
    same = timed(command, out)
    edit_one(content)
    edited = timed(command, out)
    return cold, same, edited


def hugo_cold(hugo: str, content: Path) -> tuple[list[str], Run]:
    """Hugo's build command, and its cold build: no site."""
    out = WORK / "hugo-site"
    config = WORK / "hugo.toml"
    config.write_text((HUGO_SITE / "hugo.toml").read_text().replace("CONTENT", str(content)))
    set_aside(out)
    command = [hugo, "--source", str(HUGO_SITE), "--config", str(config), "--destination",
               str(out), "--quiet", "--cacheDir", str(WORK / "hugo-cache")]
    return command, timed(command, out)


def row(size: int, tool: str, runs: tuple[Run, ...], hugo: tuple[Run, ...]) -> str:
    """A table row: Hugo's has no edit with known words (its edits are all alike)."""
    cold, same, edited, *known = runs
    ratio = "  ".join(f"{r.seconds / h.seconds:5.1f}x"
                      for r, h in zip(runs[:3], hugo[:3], strict=True))
    peak = max(r.peak_mb for r in runs)
    known_s = f"{known[0].seconds:8.2f}" if known else f"{'-':>8}"
    return (f"{size:>7,} {tool:<8} {cold.files:>8,} {cold.seconds:8.2f} {same.seconds:8.2f}"
            f" {edited.seconds:8.2f} {known_s} {peak:8.0f} {cold.files / cold.seconds:9.0f}"
            f"   {ratio}")


RATIO_TARGETS = frozenset({10_000})  # sizes whose cold build `verdict` holds to a ratio to Hugo's


def verdict(size: int, runs: tuple[Run, ...], hugo: tuple[Run, ...],
            pairs: Sequence[tuple[Run, Run]] = ()) -> str | None:
    """Issue 9's targets for a size, each met or missed; None for a size that has none. An
    edit must be fast with new words and with known ones. The cold build against Hugo's is
    the median ratio of the first cold builds and of the `pairs` timed after them."""
    cold, same, edited, *known = runs
    ratio = cold_ratio([(cold, hugo[0]), *pairs])
    edit = f"edit {edited.seconds:.2f} s" + "".join(
        f" ({run.seconds:.2f} s with known words)" for run in known)
    slowest = max(run.seconds for run in (edited, *known))
    peak = max(r.peak_mb for r in runs)
    checks = {
        10_000: [(f"cold {ratio:.2f}x Hugo" + (f" (median of {len(pairs) + 1})" if pairs else ""),
                  "at most 2x", ratio <= 2),
                 (f"no change {same.seconds:.2f} s", "at most 1 s", same.seconds <= 1),
                 (edit, "at most 0.5 s", slowest <= 0.5),
                 (f"peak {peak:,.0f} MB", "at most 500 MB", peak <= 500)],
        50_000: [(f"cold {cold.seconds:.0f} s", "under 180 s", cold.seconds < 180),
                 (f"cold peak {cold.peak_mb:,.0f} MB", "under 2,000 MB", cold.peak_mb < 2000)],
    }.get(size)
    if checks is None:
        return None
    return f"{size:>7,} targets: " + f"\n{'':17}".join(
        f"{shown} ({limit}): {'met' if met else 'MISSED'}" for shown, limit, met in checks)


def cold_ratio(pairs: Sequence[tuple[Run, Run]]) -> float:
    """The median of Etalase's cold build time over Hugo's, pair by pair."""
    return statistics.median(ours.seconds / hugo.seconds for ours, hugo in pairs)


def cold_pairs(size: int, pairs: Sequence[tuple[Run, Run]]) -> str:
    """Each pair of cold builds, Etalase's then Hugo's, and the ratio of their times."""
    def seconds(runs: Iterable[Run]) -> str:
        return ", ".join(f"{run.seconds:.2f}" for run in runs)

    return (f"{size:>7,} cold builds, each tool in turn: etalase {seconds(o for o, _ in pairs)} s;"
            f" hugo {seconds(h for _, h in pairs)} s;\n{'':17}ratios "
            + ", ".join(f"{o.seconds / h.seconds:.2f}x" for o, h in pairs)
            + f", median {cold_ratio(pairs):.2f}x")


def processor_time(size: int, ours: Run, hugo: Run) -> str:
    """The processor time of each tool's cold build, in user space and in the kernel: the
    kernel's share is mostly making files (an inode each) and mapping fresh memory."""
    def spent(run: Run) -> str:
        total = run.user_s + run.system_s
        return (f"{run.user_s:.2f} s user + {run.system_s:.2f} s system"
                f" ({run.system_s / total if total else 0:.0%} in the kernel)")

    return f"{size:>7,} cold build processor time: etalase {spent(ours)}; hugo {spent(hugo)}"


def where_the_time_goes(size: int, runs: tuple[Run, ...]) -> str:
    """The stage times that `etalase build --timings` printed for the cold build and for the
    edit with known words, for a size with targets."""
    cold, _, _, known = runs
    return "\n".join(
        f"{size:>7,} {title} (etalase build --timings):\n" + "\n".join(
            f"{'':8}{line}" for line in run.output[run.output.index(HEADER):].splitlines()[1:])
        for title, run in (("cold build by stage", cold),
                           ("edit with known words by stage", known)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "1000,10000"))
    parser.add_argument("--pdf-up-to", type=int, default=1000, help="also time the build with"
                        " its pocket PDFs for catalogues up to this many products")
    parser.add_argument("--cold-pairs", type=int, default=int(os.environ.get("COLD_PAIRS", 3)),
                        help="cold builds of each tool, in turn, at a size whose target is a"
                        " ratio to Hugo's (10,000): the target is met by their median ratio")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    hugo = ensure_hugo()
    print(f"{'N':>7} {'tool':<8} {'files':>8} {'cold s':>8} {'same s':>8} {'edit s':>8}"
          f" {'known s':>8} {'peak MB':>8} {'files/s':>9}   ratio to Hugo (cold, same, edit)")
    shutil.rmtree(TRASH, ignore_errors=True)  # left by a bench that was stopped
    try:
        for size in sizes:
            bench_size(size, hugo, args.pdf_up_to, args.cold_pairs)
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)


def bench_size(size: int, hugo: str, pdf_up_to: int, pairs: int = 1) -> None:
    """The rows of one catalogue size. Where the cold build's target is a ratio to Hugo's,
    `pairs - 1` more pairs of cold builds follow, each tool in turn: on this machine one
    tool's time moves by a fifth from run to run, so one pair cannot settle the target."""
    content = synthetic.write_scale_catalogue(WORK / f"content-{size}", size)
    etalase = bench_etalase(content, pdf=False)
    content = synthetic.write_scale_catalogue(WORK / f"content-{size}", size)
    hugo_runs = bench_hugo(hugo, content)
    print(row(size, "etalase", etalase, hugo_runs), flush=True)
    print(row(size, "hugo", hugo_runs, hugo_runs), flush=True)
    print(processor_time(size, etalase[0], hugo_runs[0]), flush=True)
    more = [] if size not in RATIO_TARGETS else [
        cold_pair(synthetic.write_scale_catalogue(WORK / f"content-{size}", size), hugo)
        for _ in range(pairs - 1)]
    if more:
        print(cold_pairs(size, [(etalase[0], hugo_runs[0]), *more]), flush=True)
    targets = verdict(size, etalase, hugo_runs, more)
    if targets:
        print(targets, flush=True)
        print(where_the_time_goes(size, etalase), flush=True)
    if size <= pdf_up_to:
        content = synthetic.write_scale_catalogue(WORK / f"content-{size}", size)
        print(row(size, "+pdf", bench_etalase(content, pdf=True), hugo_runs), flush=True)


if __name__ == "__main__":
    main()
