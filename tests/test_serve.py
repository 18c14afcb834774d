"""`etalase serve`: a real server on loopback; rebuilds on change, keeps the last good site."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import PRODUCT, fetch, wait_for


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


def raw_request(base: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    status, body = response.status, response.read() if response.status != 101 else b""
    connection.close()
    return status, body


def test_serve_refuses_foreign_hosts_origins_and_traversal(server) -> None:
    base, _ = server
    assert wait_for(lambda: "<html" in fetch(base + "/"))
    own = base.split("://")[1]
    assert raw_request(base, "/", {"Host": own})[0] == 200
    assert raw_request(base, "/", {"Host": "jahat.example:80"})[0] == 403
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/..%2f..%2f..%2fetc%2fpasswd"):
        status, body = raw_request(base, path, {"Host": own})
        assert status in (400, 403, 404) and b"root:" not in body, path
    upgrade = {"Host": own, "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    assert raw_request(base, "/livereload", {**upgrade, "Origin": f"http://{own}"})[0] == 101
    assert raw_request(base, "/livereload",
                       {**upgrade, "Origin": "http://jahat.example"})[0] == 403


def test_a_production_build_has_no_dev_script(content, run, tmp_path) -> None:
    content()
    assert run("build")[0] == 0
    for page in (tmp_path / "site").rglob("*.html"):
        assert "livereload" not in page.read_text(encoding="utf-8"), page
