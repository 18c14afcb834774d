"""The dev server's rebuilds without the server: preview, full rebuild, and a save meanwhile.

`Rebuilds` is driven as the server drives it (saves on its thread, full rebuilds in the
background), with a list standing in for the browsers it reloads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import BuildOptions, Superseded, build
from generator.serve import Rebuilds
from tests.conftest import PRODUCT
from tests.test_pagecache import published

PAGE = "produk/sepatu-kulit/index.html"


@pytest.fixture
def options(content, tmp_path: Path) -> BuildOptions:
    return BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                        cache_dir=tmp_path / ".cache", pocket=False)


def product_file(options: BuildOptions) -> Path:
    return options.content_dir / "products" / "lapas-serang" / "sepatu-kulit.md"


def test_a_save_is_previewed_then_rebuilt(options: BuildOptions) -> None:
    reloads: list[str] = []
    rebuilds = Rebuilds(options, reloads.append)
    rebuilds.first()
    path = product_file(options)
    path.write_text(PRODUCT.replace("Sepatu Kulit", "Sepatu Kulit Baru"), "utf-8")
    rebuilds.saved({path})
    assert reloads == ["*", PAGE]  # the first build's, then the preview's
    assert "Sepatu Kulit Baru" in (options.output_dir / PAGE).read_text("utf-8")
    assert "Sepatu Kulit Baru" not in (options.output_dir / "upt/lapas-serang/index.html"
                                       ).read_text("utf-8")  # the full rebuild's to do
    rebuilds._full()
    assert reloads[-1] == "*"
    assert "Sepatu Kulit Baru" in (options.output_dir / "upt/lapas-serang/index.html"
                                   ).read_text("utf-8")


def test_a_server_started_on_an_up_to_date_site_can_still_preview(
        options: BuildOptions) -> None:
    build(options)
    before = published(options.output_dir)
    rebuilds = Rebuilds(options, [].append)
    rebuilds.first()  # nothing to do: the site is up to date
    assert rebuilds.preview is None and rebuilds.due.is_set()
    rebuilds._full(if_changed=False)  # what the background thread does next: render, write
    # nothing
    assert rebuilds.preview is not None
    assert published(options.output_dir) == before
    path = product_file(options)
    path.write_text(PRODUCT.replace("275000", "300000"), "utf-8")
    rebuilds.saved({path})
    assert "300.000" in (options.output_dir / PAGE).read_text("utf-8")


def test_a_rebuild_overtaken_by_a_save_publishes_nothing(options: BuildOptions) -> None:
    build(options)
    before = published(options.output_dir)
    product_file(options).write_text(PRODUCT.replace("Sepatu Kulit", "Sandal"), "utf-8")

    @contextlib.contextmanager
    def overtaken() -> Iterator[bool]:
        yield False

    with pytest.raises(Superseded):
        build(options, gate=overtaken)
    assert published(options.output_dir) == before
    build(options)  # the next rebuild: not fooled by a stamp of the one that gave up
    assert "Sandal" in (options.output_dir / PAGE).read_text("utf-8")
