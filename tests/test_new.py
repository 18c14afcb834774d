"""`etalase new`: starter files with every field, a slug from the name, never overwriting."""

from __future__ import annotations

from pathlib import Path


def test_new_product_is_written_and_validates_once_filled(content, run, tmp_path: Path) -> None:
    content()
    code, out, _ = run("new", "product", "--facility", "lapas-serang",
                       "--name", "Sajadah Motif Banten", "--category", "pakaian")
    assert code == 0
    path = tmp_path / "content" / "products" / "lapas-serang" / "sajadah-motif-banten.md"
    assert out.startswith("Berkas baru: content/products/lapas-serang/sajadah-motif-banten.md")
    text = path.read_text()
    for field in ("name", "facility", "category", "unit", "price", "sku", "images", "specs",
                  "stock", "capacity_per_month", "lead_time_days", "min_order", "availability",
                  "ekatalog", "tags", "featured", "added", "draft", "en"):
        assert f"\n{field}:" in text, field
    assert 'name: "Sajadah Motif Banten"' in text
    assert "# Harga dalam rupiah" in text
    code, out, err = run("check", "--content", "content", "--strict")
    assert code == 1  # a new product has no photo yet: fine to build, not ready to sell
    assert err.splitlines()[0] == (
        "content/products/lapas-serang/sajadah-motif-banten.md:3:7: peringatan: images: produk"
        " belum punya foto; tambahkan foto di images (e-Katalog mewajibkan foto) (warning: the"
        " product has no photo yet; add one under images (the e-catalogue needs one))")
    assert run("check", "--content", "content")[0] == 0


def test_new_product_without_category_says_which_to_fill(content, run) -> None:
    content()
    run("new", "product", "--facility", "lapas-serang", "--name", "Mug Keramik")
    code, _, err = run("check", "--content", "content")
    assert code == 1
    assert err.splitlines()[0] == (
        "content/products/lapas-serang/mug-keramik.md:7:1: galat: category: wajib diisi;"
        " tambahkan baris \"category: ...\" (error: is required; add a line \"category: ...\")")


def test_new_refuses_to_overwrite(content, run, tmp_path: Path) -> None:
    content()
    path = tmp_path / "content" / "products" / "lapas-serang" / "sepatu-kulit.md"
    before = path.read_bytes()
    code, _, err = run("new", "product", "--facility", "lapas-serang", "--name", "Sepatu Kulit")
    assert code == 1
    assert err.startswith("content/products/lapas-serang/sepatu-kulit.md:1:1: galat: berkas"
                          " sudah ada dan tidak ditimpa; pilih nama lain")
    assert path.read_bytes() == before


def test_new_product_for_an_unknown_unit_suggests_one(content, run) -> None:
    content()
    code, _, err = run("new", "product", "--facility", "lapas-serag", "--name", "Mug")
    assert code == 1
    assert 'unit "lapas-serag" tidak ada; pakai --facility dengan slug unit; mungkin maksudnya' \
        ' "lapas-serang"?' in err


def test_new_facility_guesses_its_kind_and_validates_once_named(content, run,
                                                                tmp_path: Path) -> None:
    content()
    code, _, _ = run("new", "facility", "--name", "Rutan Kelas IIB Pandeglang")
    assert code == 0
    path = tmp_path / "content" / "facilities" / "rutan-kelas-iib-pandeglang.md"
    text = path.read_text()
    assert "kind: rutan" in text and "\nclass:" in text and "\nchallenges:" in text
    code, _, err = run("check", "--content", "content", "--strict")
    assert (code, err) == (0, "")
