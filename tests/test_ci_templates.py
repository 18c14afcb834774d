"""The CI templates shipped for GitHub and GitLab validate against their published schemas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TEMPLATES = [(".github/workflows/site.yml", "vendor.github-workflows"),
             (".gitlab-ci.yml", "vendor.gitlab-ci")]


def check(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("name", "schema"), TEMPLATES)
def test_ci_template_is_valid(name: str, schema: str) -> None:
    done = check(ROOT / name, schema)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("name", "schema"), TEMPLATES)
def test_a_typo_in_a_ci_template_is_caught(name: str, schema: str, tmp_path: Path) -> None:
    broken = tmp_path / Path(name).name
    text = (ROOT / name).read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "runs_on:").replace("  script:", "  scrpt:"))
    assert check(broken, schema).returncode != 0


def test_ci_templates_run_the_strict_check_and_tests() -> None:
    for name, _ in TEMPLATES:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "etalase check --strict" in text and "make test" in text, name
