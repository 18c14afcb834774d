"""`etalase serve`: a real server on loopback; rebuilds on change, keeps the last good site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PRODUCT


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


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(server, tmp_path: Path) -> None:
    base, process = server
    page = f"{base}/produk/sepatu-kulit/"
    assert wait_for(lambda: "Sepatu Kulit" in fetch(page)), "the server did not come up"
    assert "livereload" in fetch(page)
    product = tmp_path / "content" / "products" / "lapas-serang" / "sepatu-kulit.md"
    product.write_text(PRODUCT.replace("Sepatu Kulit", "Sepatu Kulit Baru"), encoding="utf-8")
    assert wait_for(lambda: "Sepatu Kulit Baru" in fetch(page)), "the edit was not rebuilt"
    product.write_text(PRODUCT.replace("275000", "15.000"), encoding="utf-8")
    time.sleep(3)
    assert "Sepatu Kulit Baru" in fetch(page)
    process.terminate()
    _, err = process.communicate(timeout=10)
    assert "galat: price: harus bilangan bulat rupiah" in err
    assert "Situs lama tetap ditampilkan (the last good site is still served)." in err
