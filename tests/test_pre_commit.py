"""The pre-commit hook stops a commit of broken content and lets good content through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL, PRODUCT, ROOT, write_tree


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.go.id",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.go.id",
           "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env,
                          check=False)


def test_pre_commit_hook_checks_staged_content(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo / "content", MINIMAL)
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "etalase").symlink_to(Path(sys.executable).parent / "etalase")
    git(repo, "init", "-q")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    subprocess.run([str(pre_commit), "install"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")})
    git(repo, "add", "content", ".pre-commit-config.yaml")
    assert git(repo, "commit", "-qm", "konten awal").returncode == 0
    product = repo / "content" / "products" / "lapas-serang" / "sepatu-kulit.md"
    product.write_text(PRODUCT.replace("275000", "15.000"), encoding="utf-8")
    git(repo, "add", "content")
    refused = git(repo, "commit", "-qm", "harga salah")
    assert refused.returncode != 0
    assert "galat: price: harus bilangan bulat rupiah" in refused.stdout + refused.stderr
