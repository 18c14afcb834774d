"""Golden sites: tests/sites/<case>/content builds to exactly tests/sites/<case>/expected.

`make golden` regenerates expected/; a change there is reviewed in the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildOptions, build

SITES = Path(__file__).parent / "sites"
CASES = sorted(p.name for p in SITES.iterdir() if p.is_dir())
EPOCH = "1735689600"  # 2025-01-01: the date written into feeds


def build_case(case: Path, out: Path) -> None:
    """Build a golden case the way the test does."""
    import os

    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(BuildOptions(content_dir=case / "content", output_dir=out))
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def tree(root: Path) -> dict[str, bytes]:
    """Every file but the PDFs: their bytes follow the fonts and WeasyPrint of the machine, and
    tests/test_pocket.py checks what they show."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".pdf"}


@pytest.mark.parametrize("case", CASES)
def test_golden_site_matches_expected(case: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_case(SITES / case, out)
    built, expected = tree(out), tree(SITES / case / "expected")
    assert sorted(built) == sorted(expected), "files differ; run `make golden` and review"
    for name, data in expected.items():
        assert built[name] == data, f"{name} differs; run `make golden` and review the diff"
