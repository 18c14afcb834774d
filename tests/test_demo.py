"""The demo content is complete, valid with --strict, and as rich as the issue asks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.load import load_sources
from generator.model import Catalog
from generator.validate import build_catalog

DEMO = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    catalog, found = build_catalog(load_sources(DEMO))
    assert [d.format() for d in found] == []
    assert catalog is not None
    return catalog


def test_demo_is_marked_as_sample_data(demo: Catalog) -> None:
    assert demo.site.sample_data is True


def test_demo_has_19_units_of_every_kind(demo: Catalog) -> None:
    assert len(demo.facilities) == 19
    assert {f.kind for f in demo.facilities} >= {
        "lapas", "rutan", "lpka", "lapas-perempuan", "lapas-terbuka", "lapas-narkotika",
        "bapas", "rupbasan"}


def test_demo_covers_the_ten_goods_of_the_article(demo: Catalog) -> None:
    assert len(demo.products) >= 40
    names = " ".join(p.name.lower() for p in demo.products)
    for word in ("sepatu", "jahe merah", "keripik bayam", "ecoprint", "baju", "kaos",
                 "sajadah", "mug", "gitar"):
        assert word in names, word
    assert any(p.category == "perkakas-dapur" for p in demo.products)
    assert sum(p.en.name is not None for p in demo.products) > len(demo.products) / 2


def test_demo_transactions_span_a_year_with_units_buying_from_units(demo: Catalog) -> None:
    assert len(demo.transactions) >= 200
    months = {t.date.strftime("%Y-%m") for t in demo.transactions}
    assert len(months) >= 12
    buyers = Counter(t.buyer for t in demo.transactions
                     if t.channel == "ekatalog" and t.buyer_type == "upt")
    assert len(buyers) >= 5


def test_demo_has_pnbp_targets_and_obstacles(demo: Catalog) -> None:
    assert sum(bool(f.pnbp_targets) for f in demo.facilities) >= 10
    assert sum(bool(f.challenges) for f in demo.facilities) >= 5
    assert {c.status for f in demo.facilities for c in f.challenges} == {
        "open", "in-progress", "resolved"}


def test_a_wrong_field_in_any_demo_file_gives_exactly_one_message(tmp_path: Path) -> None:
    import re
    import shutil

    content = shutil.copytree(DEMO, tmp_path / "content")
    expected = {}
    for path in sorted(content.glob("**/*.md")):
        folder = path.relative_to(content).parts[0]
        field, wrong = {"products": ("category", "kategori-salah"),
                        "facilities": ("kind", "penjara"), "pages": ("title", "[a, b]")}[folder]
        text = path.read_text(encoding="utf-8")
        text, count = re.subn(rf"^{field}: .*$", f"{field}: {wrong}", text, count=1, flags=re.M)
        assert count == 1, path
        path.write_text(text, encoding="utf-8")
        line = text[: text.index(f"{field}: {wrong}")].count("\n") + 1
        expected[path.relative_to(tmp_path).as_posix()] = (line, field)
    _, found = build_catalog(load_sources(content))
    located = {}
    for diagnostic in found:
        file = Path(diagnostic.location.file).relative_to(tmp_path).as_posix()
        assert file not in located, diagnostic.format()
        located[file] = (diagnostic.location.line, diagnostic.field)
        assert diagnostic.severity == "error"
    assert located == expected
