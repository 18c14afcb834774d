"""Checks on the built demo site: links resolve, HTML is valid, JSON-LD parses."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class PageScan(HTMLParser):
    """Collects a page's references, ids and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.ids: set[str] = set()
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src"):
            if found.get(name) and tag != "form":
                self.references.append(str(found[name]))
        if found.get("srcset"):
            self.references += [part.split()[0] for part in str(found["srcset"]).split(",")]
        self._in_json_ld = tag == "script" and found.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_json_ld = False


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_of(site: Path, page: Path, reference: str) -> tuple[Path, str] | None:
    """The file a link points at inside the site and its fragment; None for other hosts."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None
    base = site if parts.path.startswith("/") else page.parent
    path = base / unquote(parts.path).lstrip("/") if parts.path else page
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_internal_link_and_image_resolves(demo_site: Path) -> None:
    broken = []
    for page in html_pages(demo_site):
        for reference in scan(page).references:
            target = target_of(demo_site, page, reference)
            if target is None:
                continue
            path, fragment = target
            if not path.is_file():
                broken.append(f"{page.relative_to(demo_site)}: {reference}")
            elif fragment and path.suffix == ".html" and fragment not in scan(path).ids:
                broken.append(f"{page.relative_to(demo_site)}: {reference} (no such id)")
    assert broken == []


def test_the_link_check_sees_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="/hilang/">x</a><a href="#tidak">y</a>')
    page = tmp_path / "index.html"
    missing = [target_of(tmp_path, page, r) for r in scan(page).references]
    assert [(p.is_file(), f) for p, f in missing if p] == [(False, ""), (True, "tidak")]


def test_every_json_ld_block_parses(demo_site: Path) -> None:
    blocks = 0
    for page in html_pages(demo_site):
        for block in scan(page).json_ld:
            data = json.loads(block)
            assert data["@context"] == "https://schema.org", page
            assert data["@type"], page
            blocks += 1
    assert blocks >= 50


def run_vnu(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    java = shutil.which("java")
    assert java, "java is missing: run `make system-deps`"
    assert VNU.is_file(), "vnu.jar is missing: run `npm ci`"
    return subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "text",
                           *map(str, paths)], capture_output=True, text=True, check=False)


def test_every_page_is_valid_html(demo_site: Path) -> None:
    done = run_vnu(html_pages(demo_site))
    assert done.returncode == 0, done.stderr + done.stdout


@pytest.mark.parametrize("broken", ['<p><div>x</div></p>', '<a href="x"><a href="y">z</a></a>'])
def test_the_html_check_sees_invalid_html(tmp_path: Path, broken: str) -> None:
    page = tmp_path / "x.html"
    page.write_text(f"<!DOCTYPE html><html lang=id><title>x</title>{broken}</html>")
    assert run_vnu([page]).returncode != 0
