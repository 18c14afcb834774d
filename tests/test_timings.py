"""`etalase build --timings`: each stage's wall and processor time, the processes it waited for
included; `make bench` prints the same table for the large catalogues."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from generator.timings import NAMES, Stage, Stopwatch, report

HEADER = "Waktu per tahap, dalam detik (time per stage, in seconds):"
ROW = re.compile(r"  (.+?) +(\d+,\d\d) +(\d+,\d\d) +(\d+,\d|-)$")


def rows(out: str) -> dict[str, tuple[float, float, float]]:
    """The table's rows by stage name (Indonesian), numbers read back."""
    table = out[out.index(HEADER):].splitlines()[2:]
    found = {}
    for line in table:
        match = ROW.match(line)
        assert match, line
        found[match.group(1)] = tuple(float(n.replace(",", ".").replace("-", "nan"))
                                      for n in match.groups()[1:])
    return found


def test_the_report_adds_up_a_stage_run_twice_and_shows_what_the_stages_leave_out() -> None:
    stages = [Stage("load", 1.5, 1.5), Stage("search", 4.0, 7.9), Stage("publish", 0.5, 0.3),
              Stage("search", 1.0, 2.1)]
    assert report(stages, 7.5, 12.0) == "\n".join([
        HEADER,
        "  tahap (stage)                           waktu      CPU  inti (cores)",
        "  membaca konten (reading the content)     1,50     1,50    1,0",
        "  indeks pencarian (search index)          5,00    10,00    2,0",
        "  menerbitkan (publishing)                 0,50     0,30    0,6",
        "  lain-lain (other)                        0,50     0,20    0,4",
        "  jumlah (total)                           7,50    12,00    1,6",
    ])


def test_a_stage_of_no_time_shows_no_cores() -> None:
    """Waiting for the process that compiled the templates, once it has ended, takes no time
    and counts its processor time."""
    assert report([Stage("templates", 0.0002, 0.71)], 0.0002, 0.71).splitlines()[2:] == [
        "  mengompilasi templat (compiling templates)     0,00     0,71      -",
        "  lain-lain (other)                              0,00     0,00      -",
        "  jumlah (total)                                 0,00     0,71      -",
    ]


def test_a_stage_counts_the_processor_time_of_the_processes_it_waited_for() -> None:
    watch = Stopwatch()
    with watch.stage("search"):  # as Pagefind: a process of its own, busy, then reaped
        subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 0.4\n"
                        "while time.process_time() < end: pass"], check=True)
    with watch.stage("publish"):  # waiting is no processor time
        time.sleep(0.3)
    search, publish = watch.stages
    assert (search.name, publish.name) == ("search", "publish")
    assert search.cpu >= 0.4
    assert publish.seconds >= 0.3 and publish.cpu < 0.1


def test_a_build_with_timings_prints_each_of_its_stages_in_order(
        content: Callable[..., object], run: Callable[..., tuple[int, str, str]]) -> None:
    content()
    code, out, _ = run("build", "--timings", "--no-pdf")
    assert code == 0
    assert out.index("Situs selesai dibangun") < out.index(HEADER)
    found = rows(out)
    assert list(found) == [f"{id_} ({en})" for id_, en in NAMES.values()] + [
        "lain-lain (other)", "jumlah (total)"]
    *stages, total = found.values()
    assert abs(sum(wall for wall, _, _ in stages) - total[0]) <= 0.01 * len(stages)
    took = re.search(r"dalam (\d+,\d\d) detik", out)
    assert took and float(took.group(1).replace(",", ".")) == total[0]


def test_an_unchanged_build_spends_its_time_checking_for_changes(
        content: Callable[..., object], run: Callable[..., tuple[int, str, str]]) -> None:
    content()
    assert run("build", "--no-pdf")[0] == 0
    code, out, _ = run("build", "--no-pdf", "--timings")
    assert code == 0 and "Situs sudah terbaru" in out
    assert list(rows(out)) == ["memeriksa perubahan (checking for changes)",
                               "lain-lain (other)", "jumlah (total)"]


def test_a_build_prints_no_timings_unless_asked(
        content: Callable[..., object], run: Callable[..., tuple[int, str, str]]) -> None:
    content()
    code, out, _ = run("build", "--no-pdf")
    assert code == 0 and "Situs selesai dibangun" in out and HEADER not in out


def test_build_help_names_the_timings_option(
        run: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per option
    code, out, _ = run("build", "--help")
    assert code == 0
    assert ("  --timings           tampilkan waktu tiap tahap pembangunan (print how long each"
            " stage of the build took)\n") in out
