"""`make bench` says, under its table, which of issue 9's targets each size meets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _scale_bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # it imports `synthetic` from beside it
    try:
        spec = importlib.util.spec_from_file_location("scale_bench", BENCH / "scale_bench.py")
        assert spec is not None and spec.loader is not None
        module = sys.modules["scale_bench"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_each_target_is_met_or_missed_against_its_limit() -> None:
    bench = _scale_bench()
    run = bench.Run
    hugo = (run(14.49, 1512, 24582), run(16.31, 1512, 24582), run(16.56, 1512, 24582))
    ours = (run(28.98, 480, 46226), run(0.72, 300, 46226), run(25.78, 989, 46226),
            run(12.61, 900, 46226))
    assert bench.verdict(10_000, ours, hugo) == (
        " 10,000 targets: cold 2.00x Hugo (at most 2x): met\n"
        "                 no change 0.72 s (at most 1 s): met\n"
        "                 edit 25.78 s (12.61 s with known words) (at most 0.5 s): MISSED\n"
        "                 peak 989 MB (at most 500 MB): MISSED")
    quick = (*ours[:2], run(0.4, 480, 46226), run(0.6, 480, 46226))
    assert "edit 0.40 s (0.60 s with known words) (at most 0.5 s): MISSED" in bench.verdict(
        10_000, quick, hugo)
    assert "(at most 0.5 s): met" in bench.verdict(10_000, (*quick[:3], run(0.3, 1, 1)), hugo)
    big = (run(325.5, 1804, 229823), run(5.0, 400, 229823), run(300.0, 2100, 229823),
           run(60.0, 1500, 229823))
    assert bench.verdict(50_000, big, hugo) == (
        " 50,000 targets: cold 326 s (under 180 s): MISSED\n"
        "                 cold peak 1,804 MB (under 2,000 MB): met")
    assert bench.verdict(1_000, ours, hugo) is None


def test_rows_show_the_edit_with_known_words_for_etalase_only() -> None:
    bench = _scale_bench()
    run = bench.Run
    hugo = (run(16.0, 1505, 24582), run(15.85, 1505, 24582), run(16.51, 1505, 24582))
    ours = (run(44.86, 963, 46226), run(0.82, 300, 46226), run(23.0, 900, 46226),
            run(12.2, 900, 46226))
    assert bench.row(10_000, "etalase", ours, hugo) == (
        " 10,000 etalase    46,226    44.86     0.82    23.00    12.20      963      1030"
        "     2.8x    0.1x    1.4x")
    assert bench.row(10_000, "hugo", hugo, hugo) == (
        " 10,000 hugo       24,582    16.00    15.85    16.51        -     1505      1536"
        "     1.0x    1.0x    1.0x")


def test_the_stage_times_of_the_cold_build_and_the_known_words_edit_follow_the_targets() -> None:
    from generator.timings import Stage, report

    bench = _scale_bench()
    run = bench.Run
    built = "Situs selesai dibangun: 46226 berkas di site/ dalam 44,00 detik\n"
    cold = run(44.0, 963, 46226, built + report([Stage("render", 12.5, 24.0)], 44.0, 70.0))
    known = run(12.0, 900, 46226, built + report([Stage("search", 4.75, 7.5)], 12.0, 16.0))
    same = run(0.8, 60, 46226, "Situs sudah terbaru")
    assert bench.where_the_time_goes(10_000, (cold, same, same, known)) == "\n".join([
        " 10,000 cold build by stage (etalase build --timings):",
        "          tahap (stage)                        waktu      CPU  inti (cores)",
        "          membuat halaman (rendering pages)    12,50    24,00    1,9",
        "          lain-lain (other)                    31,50    46,00    1,5",
        "          jumlah (total)                       44,00    70,00    1,6",
        " 10,000 edit with known words by stage (etalase build --timings):",
        "          tahap (stage)                      waktu      CPU  inti (cores)",
        "          indeks pencarian (search index)     4,75     7,50    1,6",
        "          lain-lain (other)                   7,25     8,50    1,2",
        "          jumlah (total)                     12,00    16,00    1,3",
    ])


def test_a_timed_run_counts_the_processor_time_of_the_processes_it_waited_for(
        tmp_path: Path) -> None:
    """The child spends its processor time in a grandchild it waits for, which `ru_maxrss`
    or a `Popen.poll` loop would not count; the bench counts it in user or system time."""
    bench = _scale_bench()
    spin = ("import time; t = time.process_time()\n"
            "while time.process_time() - t < 0.6: pass\n"
            "print(time.process_time() - t)")
    grandchild = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    (tmp_path / "written").write_text("a file the run left")
    ran = bench.timed([sys.executable, "-c", grandchild], tmp_path)
    spent_by_grandchild = float(ran.output)
    assert spent_by_grandchild >= 0.6
    assert ran.user_s + ran.system_s >= spent_by_grandchild
    assert ran.files == 1 and ran.seconds >= 0.6


def test_the_processor_time_line_gives_each_tool_its_kernel_share() -> None:
    bench = _scale_bench()
    ours = bench.Run(34.38, 460, 46163, "", 50.39, 11.12)
    hugo = bench.Run(14.42, 1536, 24582, "", 20.0, 5.0)
    assert bench.processor_time(10_000, ours, hugo) == (
        " 10,000 cold build processor time: etalase 50.39 s user + 11.12 s system (18% in the"
        " kernel); hugo 20.00 s user + 5.00 s system (20% in the kernel)")


def test_the_cold_target_is_met_by_the_median_ratio_of_builds_made_in_turn() -> None:
    """One tool's cold build moves by a fifth from run to run on the bench's machine: at
    10,000 products the bench times more cold builds, each tool in turn, and holds the target
    to the median of their ratios."""
    bench = _scale_bench()
    run = bench.Run
    hugo = (run(25.0, 1500, 24582), run(26.0, 1500, 24582), run(27.0, 1500, 24582))
    ours = (run(56.0, 460, 46163), run(0.8, 300, 46163), run(28.0, 460, 46163),
            run(15.0, 460, 46163))
    pairs = [(run(50.0, 455, 46163), run(26.0, 1550, 24582)),
             (run(58.5, 462, 46163), run(29.0, 1560, 24582))]
    assert bench.verdict(10_000, ours, hugo, pairs).splitlines()[0] == (
        " 10,000 targets: cold 2.02x Hugo (median of 3) (at most 2x): MISSED")
    faster = [pairs[0], (run(54.0, 460, 46163), run(27.5, 1550, 24582))]  # 1.92x, 1.96x
    assert "cold 1.96x Hugo (median of 3) (at most 2x): met" in bench.verdict(
        10_000, ours, hugo, faster)
    assert bench.cold_pairs(10_000, [(ours[0], hugo[0]), *pairs]) == (
        " 10,000 cold builds, each tool in turn: etalase 56.00, 50.00, 58.50 s;"
        " hugo 25.00, 26.00, 29.00 s;\n"
        "                 ratios 2.24x, 1.92x, 2.02x, median 2.02x")
