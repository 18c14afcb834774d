"""Broken content folders and the exact messages editors see for them.

Each case in tests/broken/<case>/ overlays the minimal valid content of conftest.py with its
own `content/` files (and deletes the paths in `delete.txt`); `errors.txt` is the verbatim
standard error of `etalase check`. `make golden` rewrites errors.txt; review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, write_tree

BROKEN = Path(__file__).parent / "broken"
TODAY_EPOCH = "1767139200"  # 2025-12-31: "today" for dating sales, never the clock
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def prepare_case(case: Path, workdir: Path) -> Path:
    """Lay out the case's content under `workdir`; returns the content folder."""
    content = write_tree(workdir / "content", MINIMAL)
    if (case / "content").is_dir():
        shutil.copytree(case / "content", content, dirs_exist_ok=True)
    delete = case / "delete.txt"
    for name in delete.read_text().split() if delete.exists() else []:
        (workdir / name).unlink()
    return content


def extra_args(case: Path) -> list[str]:
    """Options a case needs, from its optional args.txt (e.g. --strict)."""
    args = case / "args.txt"
    return args.read_text().split() if args.exists() else []


@pytest.mark.parametrize("case", CASES)
def test_broken_content_gives_exact_messages(case: str, tmp_path: Path, run,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_case(BROKEN / case, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    code, out, err = run("check", "--content", "content", *extra_args(BROKEN / case))
    assert code == 1
    assert out == ""
    assert err == (BROKEN / case / "errors.txt").read_text(encoding="utf-8")


def test_every_case_has_expected_messages() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        assert (BROKEN / case / "errors.txt").is_file(), case
