"""The dev server's quick preview of an edited product equals what the full build makes.

Random edits to products (names that reorder the "related" blocks, prices, listings, stock,
English text, Markdown, dates, lines shifted by a longer front matter) are saved one after
another; after each, the preview's pages of the edited product must be byte-identical to the
same pages of a clean build of the content, and an edit it cannot show exactly gets none.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import BuildOptions
from generator.pipeline import render
from generator.preview import Preview
from tests.conftest import CATEGORIES, SITE, compiled_templates, write_tree

UNITS = ("lapas-serang", "rutan-pandeglang")


def product(number: int, *, name: str = "", price: int = 0, category: str = "alas-kaki",
            unit: str = UNITS[0], body: str = "Awal.", extra: str = "") -> str:
    priced = f"price: {price}\n" if price else ""
    return (f"---\nname: {name or f'Produk {number}'}\nfacility: {unit}\ncategory: {category}\n"
            f"unit: pcs\n{priced}{extra}---\n{body}\n")


def start() -> dict[str, str]:
    files = {"site.yaml": SITE, "categories.yaml": CATEGORIES}
    for slug in UNITS:
        files[f"facilities/{slug}.md"] = f"---\nname: Unit {slug}\nkind: lapas\ncity: Serang\n---\n"
    for number in range(6):
        files[f"products/{UNITS[number % 2]}/produk-{number}.md"] = product(
            number, price=10_000 * (number + 1), unit=UNITS[number % 2],
            category=("alas-kaki", "pakaian")[number % 3 == 0], extra="added: 2025-01-0"
            f"{number + 1}\n")
    return files


NAMES = st.sampled_from(["", "Anyaman", "Zaitun", "Batik Tulis", "Sepatu & Sandal"])
EXTRAS = st.sampled_from([
    "", "stock: 3\n", "min_order: 12\nlead_time_days: 7\n", "availability: made-to-order\n",
    "ekatalog:\n  status: live\n  url: https://e-katalog.lkpp.go.id/p/1\n",
    "ekatalog:\n  status: submitted\n", "price_valid_until: 2024-02-01\n",
    "en:\n  name: Woven basket\n  description: Made by hand.\n",
    "materials: [kulit, karet]\nspecs:\n  ukuran: \"40\"\n", "featured: true\n",
    "added: 2025-01-02\n", "added: 2026-06-01\n", "tags: [hadiah]\n",
])
BODIES = st.sampled_from(["Awal.", "Kuat dan *awet*.", "- satu\n- dua", "[Tautan](https://a.id/)"])
EDIT = st.tuples(st.integers(0, 5), NAMES, st.integers(0, 9), EXTRAS, BODIES)


def options(content: Path) -> BuildOptions:
    return BuildOptions(content_dir=content, output_dir=content.parent / "site",
                        cache_dir=content.parent / "cache", cached_pages=False, pocket=False)


def saved(content: Path, files: dict[str, str], rel: str, text: str) -> Path:
    files[rel] = text
    return write_tree(content, {rel: text}) / rel


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_previews_equal_the_full_build(edits: list[tuple[int, str, int, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = start()
        content = write_tree(Path(folder) / "content", files)
        preview = Preview.of(options(content), render(options(content)))
        assert preview is not None
        for number, name, price, extra, body in edits:
            rel = next(f for f in files if f.endswith(f"/produk-{number}.md"))
            before = files[rel]
            unit = rel.split("/")[1]
            category = "pakaian" if "category: pakaian" in before else "alas-kaki"
            path = saved(content, files, rel, product(
                number, name=name, price=price * 5_000, unit=unit, category=category, body=body,
                extra=extra))
            date = preview.date
            pages = preview.product(path)
            full = render(options(content))
            if pages is None:  # only an edit that moves the build date gets no preview
                assert full.date != date
                preview = Preview.of(options(content), full)
                assert preview is not None
                continue
            assert sorted(pages) == [f"en/products/produk-{number}/index.html",
                                     f"produk/produk-{number}/index.html"]
            for output, data in pages.items():
                assert data == full.outputs[output], (output, name, extra)


def test_a_preview_shows_the_edit_and_leaves_placing_changes_to_the_full_build(
        tmp_path: Path) -> None:
    files = start()
    content = write_tree(tmp_path / "content", files)
    preview = Preview.of(options(content), render(options(content)))
    assert preview is not None
    rel = "products/lapas-serang/produk-0.md"  # in category pakaian
    pages = preview.product(saved(content, files, rel, product(0, name="Keranjang Rotan",
                                                               category="pakaian")))
    assert pages is not None
    assert "Keranjang Rotan" in pages["produk/produk-0/index.html"].decode()
    moved = product(0, unit="rutan-pandeglang", category="pakaian")
    assert preview.product(saved(content, files, rel, moved)) is None  # another unit
    recategorised = product(0)
    assert preview.product(saved(content, files, rel, recategorised)) is None
    broken = product(0, price=-5, category="pakaian")
    assert preview.product(saved(content, files, rel, broken)) is None  # an error
    new = "products/lapas-serang/produk-9.md"
    assert preview.product(saved(content, files, new, product(9))) is None  # a new product
    unit = "facilities/lapas-serang.md"
    assert preview.product(saved(content, files, unit, "---\nname: Baru\n---\n")) is None
    assert preview.product(tmp_path / "elsewhere.md") is None


def test_the_preview_loads_the_templates_the_build_compiled(tmp_path: Path, monkeypatch) -> None:
    """The dev server's preview, made after each full build, compiles no template again."""
    content = write_tree(tmp_path / "content", start())
    served = BuildOptions(content_dir=content, output_dir=tmp_path / "site",
                          cache_dir=tmp_path / "cache", pocket=False)
    result = render(served)
    compiled = compiled_templates(monkeypatch)
    preview = Preview.of(served, result)
    assert preview is not None and compiled == []
    path = content / "products" / UNITS[0] / "produk-0.md"
    path.write_text(product(0, price=10_000, category="pakaian", body="Awet sekali.",
                            extra="added: 2025-01-01\n"), "utf-8")
    pages = preview.product(path)
    assert pages is not None and b"Awet sekali." in pages["produk/produk-0/index.html"]
    assert compiled == []
