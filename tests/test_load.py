"""Loading: encodings, line ends, ignored files, symlinks and what is refused before parsing."""

from __future__ import annotations

from pathlib import Path

from generator import load
from generator.load import load_sources, split_front_matter


def messages(content: Path) -> list[str]:
    return [d.format() for d in load_sources(content).diagnostics]


def test_minimal_content_loads_every_kind(content) -> None:
    sources = load_sources(content())
    assert [d.kind for d in sources.documents] == ["categories", "facility", "product", "site"]
    assert sources.tables[0].rows[0].values["product"] == "sepatu-kulit"
    assert sources.tables[0].rows[0].line == 2
    assert sources.diagnostics == ()


def test_bom_and_crlf_are_accepted(content) -> None:
    text = "\ufeff---\r\nname: Sepatu Kulit\r\nunit: pasang\r\n---\r\nBaris satu.\r\n"
    root = content({"products/lapas-serang/sepatu-kulit.md": text})
    product = load_sources(root).of_kind("product")[0]
    assert product.data == {"name": "Sepatu Kulit", "unit": "pasang"}
    assert product.body == "Baris satu.\n"
    assert product.at(("unit",)).line == 3


def test_hidden_backup_and_readme_files_are_ignored(content) -> None:
    root = content({
        "products/lapas-serang/.sepatu.md.swp": "x", "products/lapas-serang/sepatu.md~": "x",
        "products/lapas-serang/.#sepatu.md": "x", "products/README.md": "# Panduan",
        ".git/config": "x",
    })
    sources = load_sources(root)
    assert len(sources.of_kind("product")) == 1
    assert sources.diagnostics == ()


def test_symlinks_are_refused_and_not_followed(content, tmp_path: Path) -> None:
    root = content()
    (tmp_path / "rahasia.md").write_text("---\nname: x\n---\n")
    (root / "products" / "lapas-serang" / "tautan.md").symlink_to(tmp_path / "rahasia.md")
    (root / "facilities" / "loop").symlink_to(root / "facilities")
    assert messages(root) == [
        "content/facilities/loop:1:1: galat: tautan simbolik (symlink) tidak diizinkan; salin"
        " berkasnya ke sini (error: symbolic links are not allowed; copy the file here instead)",
        "content/products/lapas-serang/tautan.md:1:1: galat: tautan simbolik (symlink) tidak"
        " diizinkan; salin berkasnya ke sini (error: symbolic links are not allowed; copy the"
        " file here instead)",
    ]


def test_non_utf8_is_reported_with_line_and_column(content) -> None:
    root = content({"facilities/lapas-serang.md": b"---\nname: Lapas\ncity: Caf\xe9\n---\n"})
    assert messages(root) == [
        "content/facilities/lapas-serang.md:3:10: galat: bukan teks UTF-8; simpan ulang berkas"
        " dengan pengodean UTF-8 (error: not UTF-8 text; save the file again with UTF-8"
        " encoding)",
    ]


def test_nul_bytes_are_reported_with_line_and_column(content) -> None:
    root = content({"facilities/lapas-serang.md": b"---\nname: La\x00pas\n---\n"})
    assert messages(root)[0].startswith("content/facilities/lapas-serang.md:2:9: galat: berkas"
                                        " berisi karakter NUL")


def test_oversized_files_are_refused_before_parsing(content, monkeypatch) -> None:
    monkeypatch.setattr(load, "MAX_TEXT_BYTES", 1000)
    root = content({"facilities/lapas-serang.md": "---\nname: x\n---\n" + "a" * 2000})
    assert messages(root) == [
        "content/facilities/lapas-serang.md:1:1: galat: berkas terlalu besar (lebih dari 1 KB);"
        " perkecil atau pecah berkasnya (error: file too large (over 1 KB); make it smaller or"
        " split it)"]


def test_a_file_of_the_largest_size_allowed_is_read_whole(content, monkeypatch) -> None:
    monkeypatch.setattr(load, "MAX_TEXT_BYTES", 1000)
    text = "---\nname: Lapas Serang\n---\n"
    text += "a" * (1000 - len(text) - 1) + "\n"
    root = content({"facilities/lapas-serang.md": text})
    (document,) = [d for d in load.load_sources(root).documents
                   if d.rel == "facilities/lapas-serang.md"]
    assert len(text.encode()) == 1000 and document.body == text.split("---\n", 2)[2]


def test_unused_files_are_warnings(content) -> None:
    root = content({"catatan.txt": "x", "products/lapas-serang/foto.jpg": b"\xff\xd8"})
    assert messages(root) == [
        "content/catatan.txt:1:1: peringatan: berkas ini tidak dipakai oleh katalog dan"
        " diabaikan (warning: this file is not used by the catalogue and is ignored)"]


def test_front_matter_split_gives_the_body_line() -> None:
    assert split_front_matter("---\na: 1\n---\nbody\n", "x.md") == ("a: 1", "body\n", 4)


def test_paths_are_shown_from_the_working_folder_when_inside_it(
        tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "content" / "products").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "content" / "link").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(tmp_path / "content")
    assert load.shown_path(tmp_path / "content" / "products" / "a.md") == "products/a.md"
    assert load.shown_path(Path("products/a.md")) == "products/a.md"
    assert load.shown_path(tmp_path / "content") == "."
    assert load.shown_path(Path("link/b.md")) == "link/b.md"  # a symlink is shown as itself
    outside = tmp_path / "content-old" / "a.md"  # a folder whose name only begins the same
    assert load.shown_path(outside) == outside.as_posix()


def test_many_files_parsed_in_worker_processes_load_as_in_one(content, monkeypatch) -> None:
    """A large catalogue's new files are parsed in forked processes: the same documents,
    tables, broken files and problems, in the same order, with a memo and without."""
    from generator.memo import Memo

    products = {f"products/lapas-serang/barang-{n}.md":
                f"---\nname: Barang {n}\nunit: buah\nprice: {n}000\n---\nTeks {n}.\n"
                for n in range(40)}
    root = content({**products,
                    "products/lapas-serang/rusak.md": "---\nname: [Barang\n---\n",
                    "products/lapas-serang/Bukan Slug.md": "---\nname: x\n---\n",
                    "products/catatan.txt": "x", "facilities/lapas-serang/salah.md": "x",
                    "products/lapas-serang/latin1.md": b"---\nname: Caf\xe9\n---\n"})
    alone = load_sources(root)
    monkeypatch.setattr(load, "PARSE_POOL_FROM", 1)
    assert load_sources(root, workers=2) == alone
    memo = Memo()
    assert load_sources(root, memo, workers=2) == load_sources(root, Memo(), workers=1)
    assert len(alone.of_kind("product")) == 41 and len(alone.diagnostics) == 5
    assert [d.format().split(": ", 2)[:2] for d in alone.diagnostics] == [
        ["content/facilities/lapas-serang/salah.md:1:1", "peringatan"],
        ["content/products/catatan.txt:1:1", "peringatan"],
        ["content/products/lapas-serang/Bukan Slug.md:1:1", "galat"],
        ["content/products/lapas-serang/latin1.md:2:10", "galat"],
        ["content/products/lapas-serang/rusak.md:2:14", "galat"]]
    assert alone.broken == {  # unused files are not broken
        "products/lapas-serang/latin1.md", "products/lapas-serang/Bukan Slug.md",
        "products/lapas-serang/rusak.md"}
    memo.turn()
    again = load_sources(root, memo, workers=2)  # every text known: none parsed again
    assert again.documents == load_sources(root, Memo()).documents
