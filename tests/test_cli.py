"""The command line: exit codes, what is printed, and what is (not) written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PRODUCT


def test_build_writes_the_site_and_exits_0(content, run, tmp_path: Path) -> None:
    content()
    code, out, err = run("build", "--content", "content", "--out", "site")
    assert code == 0, err
    assert out.startswith("Situs selesai dibangun: ")
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "produk" / "sepatu-kulit" / "index.html").is_file()


def test_content_errors_exit_1_and_leave_the_site_byte_for_byte(content, run,
                                                                 tmp_path: Path) -> None:
    content()
    assert run("build", "--content", "content")[0] == 0
    before = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace("275000", "15.000")})
    code, _, err = run("build", "--content", "content")
    assert code == 1
    assert err.splitlines() == [
        "content/products/lapas-serang/sepatu-kulit.md:6:8: galat: price: harus bilangan bulat"
        " rupiah, tertulis \"15.000\"; jangan pakai titik ribuan, tulis 15000 (error: must be"
        " whole rupiah, written \"15.000\"; leave out thousands separators, write 15000)",
        "1 galat, 0 peringatan (1 error(s), 0 warning(s))",
        "Situs tidak diubah (the site was not changed).",
    ]
    after = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert after == before


def test_a_broken_search_indexer_is_said_in_both_languages(content, run, tmp_path: Path,
                                                           monkeypatch) -> None:
    """A broken install (a Pagefind that stops at once) is not the editor's mistake: said as
    such, with what to do, and the site stays as it was."""
    content()
    assert run("build", "--content", "content")[0] == 0
    before = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    content({"products/lapas-serang/sepatu-kulit.md": PRODUCT.replace("275000", "280000")})
    code, _, err = run("build", "--content", "content", "--cache", "cache-baru")
    assert code == 1
    assert err.splitlines()[-1] == (
        "etalase: galat: indeks pencarian tidak bisa dibuat (Pagefind gagal); situs lama tidak"
        " diubah. Pasang ulang dengan make install lalu bangun lagi; bila masih gagal, laporkan"
        " pesan ini (error: the search index could not be made (pagefind stopped after 0"
        " answers); the previous site is unchanged. Reinstall with make install and build"
        " again; if it still fails, report this message)")
    after = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert after == before


def test_a_cache_that_is_not_a_folder_is_said_not_shown_as_a_traceback(content, run,
                                                                       tmp_path: Path) -> None:
    """Named on the command line, it is a usage mistake; further down its path, the system's
    reason is said in both languages, with the file it could not write."""
    content()
    (tmp_path / "tembolok").write_text("bukan folder")
    assert run("build", "--content", "content", "--cache", "tembolok") == (
        2, "", "etalase: galat: --cache harus folder, bukan berkas: tembolok (--cache must be a"
        " folder, not a file)\n")
    code, _, err = run("build", "--content", "content", "--cache", "tembolok/baru")
    assert code == 1
    assert re.fullmatch(
        r"etalase: galat: tidak bisa membaca atau menulis (tembolok/baru/\S+): bagian jalurnya"
        r" bukan folder; situs lama tidak diubah \(error: could not read or write \1: part of"
        r" its path is not a folder; the previous site is unchanged\)\n", err), err


def test_a_refused_write_that_names_no_file_is_said_without_one(content, run,
                                                                monkeypatch) -> None:
    """A write to a file already open fails without a file name (ENOSPC from `write`)."""
    import errno

    def full(*args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    content()
    monkeypatch.setattr("generator.cli._dispatch", full)
    assert run("build", "--content", "content") == (1, "", (
        "etalase: galat: tidak bisa membaca atau menulis: disk penuh; kosongkan ruang lalu"
        " bangun lagi; situs lama tidak diubah (error: could not read or write a file: the disk"
        " is full; free some space and build again; the previous site is unchanged)\n"))


def test_strict_turns_warnings_into_failure(content, run) -> None:
    wrong = PRODUCT.replace("unit:", "warna: merah\nunit:")
    content({"products/lapas-serang/sepatu-kulit.md": wrong})
    assert run("check", "--content", "content")[0] == 0
    code, _, err = run("check", "--content", "content", "--strict")
    assert code == 1
    assert "peringatan: warna: field tidak dikenal dan diabaikan" in err


def test_check_writes_nothing(content, run, tmp_path: Path) -> None:
    content()
    code, out, _ = run("check", "--content", "content")
    assert code == 0
    assert out == "Konten baik: 1 produk, 1 unit, 1 transaksi (content OK)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_usage_errors_exit_2(content, run) -> None:
    content()
    assert run("build", "--content", "tidak-ada")[0] == 2
    assert run("build", "--base-url", "katalog.go.id")[0] == 2
    assert run("build", "--out", ".")[0] == 2  # the folder holding content/
    assert run("terbang")[0] == 2
    _, _, err = run("build", "--content", "tidak-ada")
    assert err == ("etalase: galat: folder konten tidak ditemukan: tidak-ada"
                   " (content folder not found)\n")


def test_base_url_option_overrides_site_yaml(content, run, tmp_path: Path) -> None:
    content()
    assert run("build", "--base-url", "https://contoh.go.id/katalog")[0] == 0
    sitemap = (tmp_path / "site" / "sitemap-id.xml").read_text()
    assert "https://contoh.go.id/katalog/produk/sepatu-kulit/" in sitemap


def test_python_dash_m_generator_works(content, tmp_path: Path) -> None:
    content()
    done = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Konten baik")


FUTURE_SALE = ("date,product,quantity,unit_price,buyer,buyer_type,channel\n"
               "2025-06-30,sepatu-kulit,1,275000,Dinas Uji,government,direct\n"
               "2025-07-01,sepatu-kulit,1,275000,Dinas Uji,government,direct\n")
FUTURE_ERROR = [
    "content/transactions/2025.csv:3:1: galat: date: tanggal 2025-07-01 belum terjadi (hari ini"
    " 2025-06-30); periksa tahunnya (error: the date 2025-07-01 is in the future (today is"
    " 2025-06-30); check the year)",
    "1 galat, 0 peringatan (1 error(s), 0 warning(s))",
]


def test_a_sale_dated_after_today_is_an_error(content, run, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content({"transactions/2025.csv": FUTURE_SALE})
    code, out, err = run("check", "--content", "content", "--today", "2025-06-30")
    assert (code, out, err.splitlines()) == (1, "", FUTURE_ERROR)
    assert run("check", "--content", "content", "--today", "2025-07-01")[0] == 0
    code, _, err = run("build", "--content", "content", "--today", "2025-06-30")
    assert code == 1 and err.splitlines()[:2] == FUTURE_ERROR


def test_source_date_epoch_is_today_unless_the_option_says_otherwise(content, run,
                                                                      monkeypatch) -> None:
    content({"transactions/2025.csv": FUTURE_SALE})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751241600")  # 2025-06-30 00:00 UTC
    code, _, err = run("check", "--content", "content")
    assert (code, err.splitlines()) == (1, FUTURE_ERROR)
    assert run("check", "--content", "content", "--today", "2025-12-31")[0] == 0


def test_today_must_be_written_as_a_date(content, run) -> None:
    content()
    code, _, err = run("check", "--content", "content", "--today", "30-06-2025")
    assert code == 2
    assert err.splitlines()[-1] == (
        "etalase: galat: argumen --today: tanggal harus TTTT-BB-HH, tertulis \"30-06-2025\""
        " (error: argument --today: date must be YYYY-MM-DD); lihat etalase check --help"
        " (see etalase check --help)")


def test_a_mistyped_command_line_is_said_in_both_languages(run) -> None:
    """argparse says what is wrong in English only; the usage line's syntax stays as it is."""
    code, out, err = run("bangun")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "pemakaian (usage): etalase [-h] [--version] PERINTAH ...",
        "etalase: galat: argumen PERINTAH: \"bangun\" tidak dikenal; pilih salah satu: 'build',"
        " 'check', 'serve', 'new', 'import', 'export', 'schema' (error: argument PERINTAH:"
        " \"bangun\" is not known; choose one of 'build', 'check', 'serve', 'new', 'import',"
        " 'export', 'schema'); lihat etalase --help (see etalase --help)"]
    said = {args: run(*args)[2].splitlines()[-1] for args in (
        ("bild",), ("new", "product"), ("build", "--jobs", "dua"), ("serve", "--port", "abc"),
        ("build", "--no-pdf=ya"), ("build", "--sampai")
    )}
    assert said == {
        ("bild",): "etalase: galat: argumen PERINTAH: \"bild\" tidak dikenal; pilih salah satu:"
        " 'build', 'check', 'serve', 'new', 'import', 'export', 'schema'; mungkin maksudnya"
        " \"build\"? (error: argument PERINTAH: \"bild\" is not known; choose one of 'build',"
        " 'check', 'serve', 'new', 'import', 'export', 'schema'; did you mean \"build\"?);"
        " lihat etalase --help (see etalase --help)",
        ("new", "product"): "etalase: galat: argumen ini wajib ditulis: --name (error: these"
        " arguments are required: --name); lihat etalase new --help (see etalase new --help)",
        ("build", "--jobs", "dua"): "etalase: galat: argumen --jobs: harus bilangan bulat 1 atau"
        " lebih: dua (error: argument --jobs: must be a whole number from 1); lihat etalase"
        " build --help (see etalase build --help)",
        ("serve", "--port", "abc"): "etalase: galat: argumen --port: harus angka, tertulis"
        " \"abc\" (error: argument --port: must be a number, not \"abc\"); lihat etalase serve"
        " --help (see etalase serve --help)",
        ("build", "--no-pdf=ya"): "etalase: galat: argumen --no-pdf: tidak menerima nilai"
        " \"ya\" (error: argument --no-pdf: takes no value, not \"ya\"); lihat etalase build"
        " --help (see etalase build --help)",
        ("build", "--sampai"): "etalase: galat: argumen tidak dikenal: --sampai (error: unknown"
        " arguments: --sampai); lihat etalase --help (see etalase --help)",
    }


def test_the_schema_command_offers_every_kind_of_content_file() -> None:
    from generator.cli import SCHEMA_KINDS
    from generator.schema import KINDS

    assert tuple(sorted(KINDS)) == SCHEMA_KINDS


def test_an_unchanged_build_does_not_import_the_pipeline(content, tmp_path: Path) -> None:
    """A build with nothing to do answers before pydantic, Jinja and the rest are imported."""
    content()
    command = [sys.executable, "-c", "import sys; from generator.cli import main; code = main("
               "['build', '--no-pdf']); print(sorted(m for m in sys.modules if m in ("
               "'pydantic', 'jinja2', 'xlsxwriter', 'generator.pipeline'))); sys.exit(code)"]
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "['generator.pipeline', 'jinja2', 'pydantic', 'xlsxwriter']" in first.stdout
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert "Situs sudah terbaru" in again.stdout
    assert again.stdout.rstrip().endswith("[]")


def test_the_cache_named_another_way_leaves_no_stray_file_in_the_site(content, run,
                                                                      tmp_path) -> None:
    """The pages linked from the cache are the same files whether the cache folder is named
    from the root or from here: the second build leaves no temporary file beside them (a file
    moved onto another link of itself stays where it was), and the third has nothing to do."""
    content()
    assert run("build", "--content", "content", "--cache", str(tmp_path / "tembolok"),
               "--no-pdf")[0] == 0
    code, out, _ = run("build", "--content", "content", "--cache", "tembolok", "--no-pdf")
    assert code == 0 and out.startswith("Situs selesai dibangun: ")
    assert [p.name for p in (tmp_path / "site").rglob(".*")] == []
    code, out, _ = run("build", "--content", "content", "--cache", "tembolok", "--no-pdf")
    assert out.startswith("Situs sudah terbaru: tidak ada yang berubah sejak pembangunan"
                          " terakhir; ")


def test_the_help_is_in_indonesian_first(run, monkeypatch) -> None:
    """argparse writes its own headings and `--help` in English only."""
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run("--help")
    assert code == 0
    assert out == """\
pemakaian (usage): etalase [-h] [--version] PERINTAH ...

Etalase: katalog statis karya warga binaan (static catalogue of goods made in correctional
workshops)

opsi (options):
  -h, --help  tampilkan bantuan ini lalu keluar (show this help and exit)
  --version   tampilkan versi lalu keluar (show the version and exit)

perintah (commands):
  PERINTAH
    build     bangun situs (build the site)
    check     periksa konten saja (validate only)
    serve     server pratinjau dengan muat ulang otomatis (preview server that reloads the
              browser)
    new       buat berkas produk atau unit baru (create a product or unit file)
    import    impor produk dari CSV/XLSX (import products)
    export    ekspor produk ke CSV/XLSX (export products)
    schema    cetak JSON Schema berkas konten (print JSON Schema)
"""
    code, out, _ = run("new", "--help")
    assert code == 0
    assert out == """\
pemakaian (usage): etalase new [-h] --name NAME [--facility SLUG] [--category SLUG]
                               [--content FOLDER]
                               {product,facility}

buat berkas produk atau unit baru (create a product or unit file)

argumen (arguments):
  {product,facility}  product (produk) atau facility (unit)

opsi (options):
  -h, --help          tampilkan bantuan ini lalu keluar (show this help and exit)
  --name NAME         nama produk atau unit (its name)
  --facility SLUG     slug unit pembuat, untuk produk (the maker unit's slug, for a product)
  --category SLUG     slug kategori, untuk produk (the category's slug, for a product)
  --content FOLDER    folder konten (content folder; default content/)
"""
    for command in ("build", "check", "serve", "import", "export", "schema"):
        code, out, _ = run(command, "--help")
        options = out.partition("opsi (options):\n")[2]
        assert code == 0 and out.startswith(f"pemakaian (usage): etalase {command} ")
        assert "usage:" not in out.replace("(usage):", "") and "show this help message" not in out
        assert all(line.startswith("    ") or "  " in line.strip()  # each option says what
                   for line in options.splitlines() if line.strip()), (command, options)


def test_an_unchanged_build_run_from_another_folder_names_its_files_from_there(
        content, run, tmp_path, monkeypatch) -> None:
    """A build with nothing changed says the last build's warnings again; run from another
    folder, their files are named from there, as a build that did the work names them."""
    content({"products/lapas-serang/sepatu-kulit.md":
             PRODUCT.replace("images: [sepatu-kulit.jpg]\n", ""),
             "products/lapas-serang/sepatu-kulit.jpg": None})
    args = ("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"),
            "--cache", str(tmp_path / ".cache"), "--no-pdf")
    code, out, err = run(*args)
    assert code == 0 and err.startswith("content/products/lapas-serang/sepatu-kulit.md:")
    assert run(*args)[1].startswith("Situs sudah terbaru: ")  # from the same folder
    (tmp_path / "lain").mkdir()
    monkeypatch.chdir(tmp_path / "lain")
    code, out, err = run(*args)
    assert code == 0 and out.startswith("Situs selesai dibangun: ")
    assert err.startswith(f"{tmp_path}/content/products/lapas-serang/sepatu-kulit.md:")
    assert "peringatan: images: produk belum punya foto" in err
