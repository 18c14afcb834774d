"""Shared fixtures: content trees written from dicts, and the CLI run in-process."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import jinja2
import pytest

SITE = """\
title: Etalase Uji
organization: Kantor Wilayah Uji
base_url: https://uji.example.go.id/
"""
CATEGORIES = """\
- slug: alas-kaki
  name: Alas Kaki
- slug: pakaian
  name: Pakaian
"""
FACILITY = """\
---
name: Lapas Kelas IIA Serang
kind: lapas
class: IIA
city: Serang
---
Profil unit.
"""
PRODUCT = """\
---
name: Sepatu Kulit
facility: lapas-serang
category: alas-kaki
unit: pasang
price: 275000
sku: "SRG-001"
images: [sepatu-kulit.jpg]
---
Sepatu kulit buatan warga binaan.
"""
TRANSACTIONS = """\
date,product,quantity,unit_price,buyer,buyer_type,channel
2025-01-10,sepatu-kulit,2,275000,Dinas Uji,government,direct
"""

def _photo() -> bytes:
    """A small real JPEG, drawn once: the minimal product's photo."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 360), (150, 90, 50)).save(out, "JPEG", quality=80)
    return out.getvalue()


MINIMAL: dict[str, str | bytes] = {
    "site.yaml": SITE,
    "categories.yaml": CATEGORIES,
    "facilities/lapas-serang.md": FACILITY,
    "products/lapas-serang/sepatu-kulit.md": PRODUCT,
    "products/lapas-serang/sepatu-kulit.jpg": _photo(),
    "transactions/2025.csv": TRANSACTIONS,
}

WriteTree = Callable[..., Path]


def compiled_templates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates this process compiles from now on (not those it loads
    compiled), as they are compiled."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` ({relative path: text or bytes}) under `root`; returns root."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteTree:
    """Write a content tree: the minimal valid one, changed by `overrides` (None deletes)."""
    monkeypatch.chdir(tmp_path)

    def make(overrides: Mapping[str, str | bytes | None] | None = None) -> Path:
        files: dict[str, str | bytes] = dict(MINIMAL)
        for name, data in (overrides or {}).items():
            if data is None:
                files.pop(name, None)
            else:
                files[name] = data
        return write_tree(tmp_path / "content", files)

    return make


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `etalase` with arguments; returns (exit code, stdout, stderr)."""

    from generator.cli import main

    def call(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return call


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def photo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One photo cache for every build of the demo in a test session: its photos are
    rendered once, never into the repository's own `.cache/`."""
    return tmp_path_factory.mktemp("photo-cache")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory, photo_cache: Path) -> Path:
    """The demo content built once per test session, as `make site` builds it."""
    from generator.build import BuildOptions, build

    out = tmp_path_factory.mktemp("demo") / "site"
    build(BuildOptions(content_dir=ROOT / "content", output_dir=out, cache_dir=photo_cache))
    return out


def _hypothesis_profiles() -> None:
    import os

    from hypothesis import settings

    settings.register_profile("default", max_examples=200)
    settings.register_profile("fuzz", max_examples=10_000)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


_hypothesis_profiles()


# `etalase serve` on the minimal content, for test_serve and the browser's preview test.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return str(response.read().decode("utf-8"))


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def server(content, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    content()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    process.wait(timeout=10)
