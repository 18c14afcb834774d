"""Regenerate the expected outputs of the golden tests (`make golden`).

Rewrites tests/broken/<case>/errors.txt and tests/sites/<case>/expected/. Review the diff
like code before committing it.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli import main  # noqa: E402
from tests.test_broken import BROKEN, CASES, TODAY_EPOCH, extra_args, prepare_case  # noqa: E402
from tests.test_golden import SITES, build_case  # noqa: E402


def update_broken() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            prepare_case(BROKEN / case, Path(tmp))
            err = io.StringIO()
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    main(["check", "--content", "content", *extra_args(BROKEN / case)])
            finally:
                os.chdir(cwd)
        (BROKEN / case / "errors.txt").write_text(err.getvalue(), encoding="utf-8")
        print(f"tests/broken/{case}/errors.txt")
    del os.environ["SOURCE_DATE_EPOCH"]


def update_hostile() -> None:
    from tests.test_hostile import CASES as HOSTILE_CASES
    from tests.test_hostile import HOSTILE, case_meta, lay_out

    for case in HOSTILE_CASES:
        if case_meta(case)["outcome"] != "refused":
            continue
        with tempfile.TemporaryDirectory() as tmp:
            lay_out(case, Path(tmp))
            strict = ["--strict"] if case_meta(case).get("strict") else []
            err = io.StringIO()
            cwd = os.getcwd()
            os.chdir(tmp)
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    main(["build", *strict])
            finally:
                os.chdir(cwd)
        (HOSTILE / case / "errors.txt").write_text(err.getvalue(), encoding="utf-8")
        print(f"tests/hostile/{case}/errors.txt")


def update_sites() -> None:
    for case in sorted(p for p in SITES.iterdir() if p.is_dir()):
        expected = case / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        build_case(case, expected)
        for pdf in expected.rglob("*.pdf"):  # not compared: see tests/test_golden.py
            pdf.unlink()
        print(f"tests/sites/{case.name}/expected/")


if __name__ == "__main__":
    update_broken()
    update_hostile()
    update_sites()
