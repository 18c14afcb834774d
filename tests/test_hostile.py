"""The hostile corpus: every case ends in a clear message or a safe site, never in harm.

Each folder of tests/hostile/ overlays the minimal valid content with its own `content/` and
says in `case.json` what must happen:

- `refused`: `etalase build` exits 1 with the exact messages of `errors.txt` (no traceback),
  the previous site is byte-for-byte unchanged, and nothing is written outside the output
  and cache folders;
- `accepted`: the build succeeds; no page (HTML, XML) contains any of the `absent` strings while
  the `contains` strings are shown literally; every JSON file parses (hostile text stays data);
  no CSV cell starts a spreadsheet formula.

`case.json` may also ask for generated files: `many_products` (N valid products beside the
bad ones), `symlinks` ({path: target}), `big_file` (a 50 MB file at that path).
`make golden` rewrites errors.txt; review the diff.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL, write_tree

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
TODAY_EPOCH = "1767139200"  # 2025-12-31


def case_meta(case: str) -> dict[str, Any]:
    return dict(json.loads((HOSTILE / case / "case.json").read_text(encoding="utf-8")))


def lay_out(case: str, work: Path) -> Path:
    """The case's content under `work`; returns the content folder."""
    meta = case_meta(case)
    content = write_tree(work / "content", MINIMAL)
    for index in range(meta.get("many_products", 0)):
        write_tree(content, {f"products/lapas-serang/produk-{index:03d}.md":
                             f"---\nname: Produk {index}\nfacility: lapas-serang\n"
                             f"category: alas-kaki\nunit: pcs\nsku: \"P-{index:03d}\"\n---\n"})
    if (HOSTILE / case / "content").is_dir():
        shutil.copytree(HOSTILE / case / "content", content, dirs_exist_ok=True)
    for link, target in meta.get("symlinks", {}).items():
        (work / link).symlink_to(target)
    if "big_file" in meta:
        with (work / meta["big_file"]).open("wb") as big:
            big.write(b"---\nname: x\n---\n" + b"a" * 50_000_000)
    return content


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def all_paths(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def build_case(case: str, work: Path, run) -> tuple[int, str, str, dict[str, str]]:
    """A good site first, then the case's content built over it."""
    write_tree(work / "content", MINIMAL)
    assert run("build")[0] == 0
    before = tree_digest(work / "site")
    lay_out(case, work)
    strict = ["--strict"] if case_meta(case).get("strict") else []
    code, out, err = run("build", *strict)
    return code, out, err, before


def check_accepted_site(site: Path, meta: dict[str, Any]) -> None:
    """Pages show hostile text as text; data files stay valid data; no CSV cell is a formula."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    pages = "\n".join(p.read_text(encoding="utf-8") for p in files
                      if p.suffix in (".html", ".xml"))
    for text in meta.get("absent", []):
        assert text not in pages, text
    for text in meta.get("contains", []):
        assert text in pages, text
    for data in (p for p in files if p.suffix == ".json"):
        json.loads(data.read_text(encoding="utf-8"))
    for table in (p for p in files if p.suffix == ".csv"):
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8"))):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row), (table, row)


@pytest.mark.parametrize("case", CASES)
def test_hostile_case(case: str, tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    meta = case_meta(case)
    code, _, err, before = build_case(case, tmp_path, run)
    assert "Traceback" not in err
    if meta["outcome"] == "refused":
        assert code == 1, err
        assert err == (HOSTILE / case / "errors.txt").read_text(encoding="utf-8")
        assert tree_digest(tmp_path / "site") == before
    else:
        assert code == 0, err
        check_accepted_site(tmp_path / "site", meta)
    outside = {p for p in all_paths(tmp_path) if not p.startswith(("site", "content", ".cache"))}
    assert outside <= {".site.lock"}


def test_alias_bomb_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A billion-laughs file costs nothing: aliases are refused before they expand."""
    import time

    from generator.load import load_sources

    content = lay_out("yaml-alias-bomb", tmp_path)
    started = time.perf_counter()
    found = load_sources(content).diagnostics
    assert time.perf_counter() - started < 1.0
    assert "anchor dan alias YAML" in found[0].message_id


def test_corpus_covers_every_area() -> None:
    prefixes = {case.split("-")[0] for case in CASES}
    assert prefixes >= {"yaml", "schema", "content", "fs"}
    assert len(CASES) >= 45
    assert os.path.isdir(HOSTILE)
