"""Changes between two builds of fixture content: added, changed, removed, read from the
previous published site and never from a clock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.build import BuildOptions, build
from generator.changes import Previous, compare
from generator.downloads import products_data
from generator.pipeline import check
from generator.urls import SiteUrls
from tests.test_build import digest_tree

SANDAL = """\
---
name: Sandal Jepit
facility: lapas-serang
category: alas-kaki
unit: pasang
---
"""
BELT = """\
---
name: Ikat Pinggang
facility: lapas-serang
category: alas-kaki
unit: pcs
en:
  name: Leather Belt
---
"""
DEARER = """\
---
name: Sepatu Kulit
facility: lapas-serang
category: alas-kaki
unit: pasang
price: 290000
sku: "SRG-001"
images: [sepatu-kulit.jpg]
---
Sepatu kulit buatan warga binaan.
"""


def changes_of(site: Path) -> dict[str, object]:
    return json.loads((site / "data/changes.json").read_text("utf-8"))


@pytest.fixture
def first(content, run) -> Path:
    root = content({"products/lapas-serang/sandal-jepit.md": SANDAL})
    code, _, err = run("build", "--content", str(root), "--out", "site")
    assert code == 0, err
    return root.parent / "site"


def change_content(root: Path) -> None:
    (root / "products/lapas-serang/sandal-jepit.md").unlink()
    (root / "products/lapas-serang/ikat-pinggang.md").write_text(BELT, encoding="utf-8")
    (root / "products/lapas-serang/sepatu-kulit.md").write_text(DEARER, encoding="utf-8")


def test_a_first_build_lists_nothing(first: Path) -> None:
    assert changes_of(first) == {"schema_version": 1, "previous": None, "products": 2,
                                 "added": [], "changed": [], "removed": []}
    page = (first / "perubahan/index.html").read_text("utf-8")
    assert "Ini terbitan pertama yang tercatat" in page


def test_the_second_build_lists_what_was_added_changed_and_removed(first: Path, run) -> None:
    change_content(first.parent / "content")
    code, _, err = run("build", "--content", "content", "--out", "site")
    assert code == 0, err
    assert changes_of(first) == {
        "schema_version": 1, "previous": {"products": 2}, "products": 2,
        "added": [{"id": "ikat-pinggang", "name": "Ikat Pinggang", "name_en": "Leather Belt",
                   "url": "https://uji.example.go.id/produk/ikat-pinggang/", "fields": []}],
        "changed": [{"id": "sepatu-kulit", "name": "Sepatu Kulit", "name_en": None,
                     "url": "https://uji.example.go.id/produk/sepatu-kulit/",
                     "fields": ["price"]}],
        "removed": [{"id": "sandal-jepit", "name": "Sandal Jepit", "name_en": None,
                     "url": None, "fields": []}],
    }
    page = (first / "perubahan/index.html").read_text("utf-8")
    assert ("Dibanding terbitan sebelumnya (2 produk): 1 ditambahkan, 1 diubah, 1 dihapus."
            in page)
    assert '<a href="/produk/ikat-pinggang/">Ikat Pinggang</a>' in page
    assert "Yang berubah: <code>price</code>" in page
    english = (first / "en/changes/index.html").read_text("utf-8")
    assert '<a href="/en/products/ikat-pinggang/">Leather Belt</a>' in english


def test_building_the_same_content_again_changes_no_byte(first: Path, run) -> None:
    change_content(first.parent / "content")
    run("build", "--content", "content", "--out", "site")
    before = digest_tree(first)
    code, _, err = run("build", "--content", "content", "--out", "site")
    assert code == 0, err
    assert digest_tree(first) == before
    assert len(changes_of(first)["changed"]) == 1  # the last real change still stands


def test_previous_names_another_folder_and_the_address_is_not_a_change(first: Path,
                                                                         run) -> None:
    change_content(first.parent / "content")
    code, _, err = run("build", "--content", "content", "--out", "elsewhere", "--previous",
                       "site", "--base-url", "https://lain.example.go.id/katalog/")
    assert code == 0, err
    found = changes_of(first.parent / "elsewhere")
    assert [e["id"] for e in found["changed"]] == ["sepatu-kulit"]  # type: ignore[union-attr]
    assert found["changed"][0]["fields"] == ["price"]  # type: ignore[index]
    assert changes_of(first)["previous"] is None  # the previous site itself is not touched


def test_an_unreadable_previous_build_counts_as_none(first: Path, run) -> None:
    (first / "data/products.json").write_text("{not json", encoding="utf-8")
    code, _, _ = run("build", "--content", "content", "--out", "site")
    assert code == 0
    assert changes_of(first)["previous"] is None


def test_builds_from_before_ids_are_matched_by_slug() -> None:
    old = [{"slug": "sepatu", "name": "Sepatu", "price": 1, "images": ["https://a/media/x.jpg"],
            "urls": {"id": "https://a/produk/sepatu/"}}]
    now = [{"id": "sepatu", "slug": "sepatu", "name": "Sepatu", "price": 1,
            "images": ["https://b/katalog/media/x.jpg"],
            "urls": {"id": "https://b/katalog/produk/sepatu/"}}]
    found = compare(Previous(old, None), now)
    assert [(e.id, e.fields) for e in found.changed] == [("sepatu", ("id",))]
    assert (found.added, found.removed) == ((), ())


def test_a_copied_site_keeps_its_list(first: Path, tmp_path: Path, run) -> None:
    shutil.copytree(first, tmp_path / "copy")
    change_content(first.parent / "content")
    code, _, _ = run("build", "--content", "content", "--out", str(tmp_path / "copy"))
    assert code == 0
    assert [e["id"] for e in changes_of(tmp_path / "copy")["added"]] == [  # type: ignore[union-attr]
        "ikat-pinggang"]


def test_products_are_compared_as_products_json_reads_them_back() -> None:
    """This build's products are compared with the previous build's as they stand in memory,
    with no trip through JSON: right only while their data is already what `products.json`
    reads back (lists, not tuples; text, not dates), for every field the demo fills in."""
    catalog, _ = check(BuildOptions(content_dir=Path(__file__).parent.parent / "content"))
    data = products_data(catalog, SiteUrls.of(catalog.site))
    assert data == json.loads(json.dumps(data))
    assert {key for product in data for key, value in product.items() if value} >= {
        "ekatalog", "images", "specs", "price", "added"}  # the demo fills these in


def test_a_first_build_counts_its_products_without_making_their_data_twice(
        content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing published before, the list of changes needs only the count of products:
    their data (0.4 s at 10,000 products) is made once, for `products.json`. Once a site is
    published, it is made to compare with it."""
    made: list[int] = []

    def counted(catalog, urls):  # type: ignore[no-untyped-def]
        made.append(len(catalog.products))
        return products_data(catalog, urls)

    monkeypatch.setattr(pipeline, "products_data", counted)
    options = BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", pocket=False)
    build(options)
    assert made == [] and changes_of(options.output_dir)["products"] > 0
    build(options, if_changed=False)
    assert made == [changes_of(options.output_dir)["products"]]
