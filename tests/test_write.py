"""Writing: the site is swapped in whole, and dangerous output folders are refused."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.write import UnsafeOutput, check_output, patch, publish, site_digest


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_publish_replaces_the_whole_site_and_leaves_no_staging(tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish({"index.html": b"lama", "lama/index.html": b"x"}, site)
    publish({"index.html": b"baru", "produk/a/index.html": b"a"}, site)
    assert files(site) == {"index.html": b"baru", "produk/a/index.html": b"a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_write_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish({"index.html": b"lama"}, site)
    with pytest.raises(ValueError):
        publish({"index.html": b"baru", "../luar.html": b"x"}, site)
    assert files(site) == {"index.html": b"lama"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(("out", "words"), [
    ("/", "folder keluaran tidak boleh \"/\""),
    ("repo", "adalah akar repositori"),
    ("repo/content", "bertumpuk dengan folder konten"),
    ("repo/content/site", "bertumpuk dengan folder konten"),
    ("repo/dokumen", "berisi berkas lain, bukan situs"),
])
def test_dangerous_output_folders_are_refused(tmp_path: Path, out: str, words: str) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "content").mkdir()
    (repo / "dokumen").mkdir()
    (repo / "dokumen" / "laporan.docx").write_bytes(b"penting")
    target = Path(out) if out == "/" else tmp_path / out
    with pytest.raises(UnsafeOutput) as caught:
        check_output(target, {"konten/content": repo / "content"})
    assert words in caught.value.message_id


def test_an_earlier_site_or_an_empty_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "kosong").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("lama")
    for name in ("kosong", "site", "baru"):
        check_output(tmp_path / name, {"konten/content": tmp_path / "content"})


def test_a_second_build_at_once_is_refused(tmp_path: Path) -> None:
    from generator.write import build_lock

    held = build_lock(tmp_path / "site")
    held.__enter__()
    with pytest.raises(UnsafeOutput) as caught, build_lock(tmp_path / "site"):
        pass
    held.__exit__(None, None, None)
    assert caught.value.message_id == (
        f"pembangunan lain sedang menulis ke {tmp_path / 'site'}; tunggu sampai selesai")
    with build_lock(tmp_path / "site"):  # released: the next build may go
        pass


def test_a_full_disk_leaves_the_old_site_and_says_so(content, tmp_path: Path) -> None:
    """A real write failure: the build runs with a file-size limit smaller than its pages."""
    import resource
    import sys

    content()
    def run_build(limit: int | None) -> subprocess.CompletedProcess[str]:
        def limited() -> None:
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=tmp_path,
                              capture_output=True, text=True, preexec_fn=limited, check=False)

    assert run_build(None).returncode == 0
    before = files(tmp_path / "site")
    product = tmp_path / "content/products/lapas-serang/sepatu-kulit.md"
    product.write_text(product.read_text("utf-8") + "\nDiperbarui.\n", "utf-8")
    failed = run_build(2000)
    assert failed.returncode == 1
    assert failed.stderr == (
        "etalase: galat: gagal menulis situs ke site: berkas melebihi batas ukuran berkas sistem;"
        " situs lama tidak diubah (error: could not write the site to site: a file is over the"
        " system's file size limit; the previous site is unchanged)\n")
    assert files(tmp_path / "site") == before
    # .cache: photo renditions and pocket-catalogue PDFs (BuildOptions.cache_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".site.lock", "content",
                                                          "site"]


@contextlib.contextmanager
def _tmpfs(target: Path, options: str) -> Iterator[None]:
    """A real file system of its own at `target` (a tmpfs; needs root, as CI runs), unmounted
    after; the test is skipped where it cannot be mounted."""
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({options}) here: {mounted.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=False)


def test_a_read_only_output_folder_is_a_clear_error(content, run, tmp_path: Path) -> None:
    """A real read-only file system (a tmpfs mounted read-only)."""
    content()
    with _tmpfs(tmp_path / "baca-saja", "size=1m,ro"):
        code, _, err = run("build", "--out", "baca-saja/site")
    assert code == 1
    assert err == ("etalase: galat: gagal menulis situs ke baca-saja/site: disk itu hanya bisa"
                   " dibaca; pilih folder lain dengan --out; situs lama tidak diubah (error: could"
                   " not write the site to baca-saja/site: that disk is read-only; choose another"
                   " folder with --out; the previous site is unchanged)\n")


def test_the_folders_a_killed_build_left_beside_the_site_go_with_the_next_build(
        content, run, tmp_path: Path) -> None:
    """A build killed midway (power cut, a CI job stopped) leaves its staging folder, or the
    old site it was swapping out, beside the site: the next build removes them, and nothing
    of another folder's."""
    content()
    assert run("build", "--no-pdf")[0] == 0
    for leftover in (".site.staging-4242", ".site.old-4243", ".situs.staging-4244"):
        shutil.copytree(tmp_path / "site", tmp_path / leftover)
    code, out, _ = run("build", "--no-pdf")
    assert code == 0 and out.startswith("Situs sudah terbaru: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".cache", ".site.lock", ".situs.staging-4244", "content", "site"]


def test_a_full_disk_is_said_in_both_languages(content, run, tmp_path: Path) -> None:
    """A real full disk (a 64 KB tmpfs): the system's reason, "No space left on device", is
    said in Indonesian too, with what to do."""
    content()
    with _tmpfs(tmp_path / "kecil", "size=64k"):
        code, _, err = run("build", "--out", "kecil/site")
        left = sorted(p.name for p in (tmp_path / "kecil").iterdir())
    assert code == 1
    assert err == ("etalase: galat: gagal menulis situs ke kecil/site: disk penuh; kosongkan"
                   " ruang lalu bangun lagi; situs lama tidak diubah (error: could not write the"
                   " site to kecil/site: the disk is full; free some space and build again; the"
                   " previous site is unchanged)\n")
    assert left == [".site.lock"]  # the staging folder went


def test_a_patched_site_still_matches_its_manifest(tmp_path: Path) -> None:
    """The dev server's quick preview replaces a page in place; the next publish still writes
    only what changed (an untouched file keeps its inode), and ends with the full site."""
    out, manifest = tmp_path / "site", tmp_path / "cache" / "published.pickle"
    first = {"index.html": b"beranda", "produk/a/index.html": b"a", "produk/b/index.html": b"b"}
    publish(first, out, manifest=manifest)
    untouched = (out / "index.html").stat().st_ino
    patch({"produk/a/index.html": b"a, disunting"}, out, manifest)
    assert (out / "produk/a/index.html").read_bytes() == b"a, disunting"
    assert files(out) == {**first, "produk/a/index.html": b"a, disunting"}
    assert not list(out.rglob(".*"))  # no temporary file left beside it
    later = {**first, "produk/a/index.html": b"a, disunting", "produk/b/index.html": b"b2"}
    assert publish(later, out, manifest=manifest) == site_digest(out)
    assert files(out) == later
    assert (out / "index.html").stat().st_ino == untouched  # written incrementally


def test_a_patch_into_a_new_folder_leaves_the_next_publish_writing_all(tmp_path: Path) -> None:
    out, manifest = tmp_path / "site", tmp_path / "cache" / "published.pickle"
    first = {"index.html": b"beranda"}
    publish(first, out, manifest=manifest)
    untouched = (out / "index.html").stat().st_ino
    patch({"produk/c/index.html": b"c"}, out, manifest)
    later = {**first, "produk/c/index.html": b"c"}
    publish(later, out, manifest=manifest)
    assert files(out) == later
    assert (out / "index.html").stat().st_ino != untouched  # written whole, through staging


def test_an_incremental_publish_removes_what_is_gone_and_the_folders_left_empty(
        tmp_path: Path) -> None:
    out, manifest = tmp_path / "site", tmp_path / "cache" / "published.pickle"
    first = {"index.html": b"beranda", "produk/a/index.html": b"a", "produk/a/data.json": b"{}",
             "produk/b/index.html": b"b", "en/products/a/index.html": b"a"}
    publish(first, out, manifest=manifest)
    untouched = (out / "index.html").stat().st_ino
    later = {"index.html": b"beranda", "produk/b/index.html": b"b2", "en/baru/x/y.html": b"y"}
    assert publish(later, out, manifest=manifest) == site_digest(out)
    assert files(out) == later
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()) == [
        "en", "en/baru", "en/baru/x", "produk", "produk/b"]
    assert (out / "index.html").stat().st_ino == untouched  # written incrementally


def test_a_file_linked_again_under_another_name_of_its_path_is_left_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest names a linked file by its path as given; given again by another name
    (relative, not absolute), the link already there is kept: moving a new link onto it would
    do nothing and leave the new one beside it."""
    out, manifest = tmp_path / "site", tmp_path / "cache" / "published.pickle"
    cached = tmp_path / "cache" / "pages" / "a.html"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"halaman a")
    publish({"index.html": b"beranda"}, out, {"produk/a/index.html": cached}, manifest)
    linked = (out / "produk/a/index.html").stat().st_ino
    monkeypatch.chdir(tmp_path)
    again = publish({"index.html": b"beranda"}, out,
                    {"produk/a/index.html": Path("cache/pages/a.html")}, manifest)
    assert again == site_digest(out)
    assert files(out) == {"index.html": b"beranda", "produk/a/index.html": b"halaman a"}
    assert not list(out.rglob(".*"))  # no temporary file left beside it
    assert (out / "produk/a/index.html").stat().st_ino == linked == cached.stat().st_ino


def test_files_handed_ahead_are_in_the_staging_folder_before_the_publish(
        tmp_path: Path) -> None:
    """A cold build hands its pages to a `Staging` once rendered: they are written while the
    search index is made, and the publish writes the rest."""
    from generator.write import Staging

    site, page = tmp_path / "site", tmp_path / "cache" / "page"
    publish({"index.html": b"lama"}, site)
    page.parent.mkdir()
    page.write_bytes(b"<p>sepatu</p>")
    with Staging.begin(site, None) as staging:
        staging.add({"produk/sepatu/index.html": page, "static/style.css": b"css"})
        assert staging.written() == {"produk/sepatu/index.html": page,
                                     "static/style.css": b"css"}
        assert files(staging.folder) == {"produk/sepatu/index.html": b"<p>sepatu</p>",
                                         "static/style.css": b"css"}
        assert files(site) == {"index.html": b"lama"}
        publish({"index.html": b"baru", "static/style.css": staging.placed["static/style.css"]},
                site, {"produk/sepatu/index.html": page}, staging=staging)
    assert files(site) == {"index.html": b"baru", "produk/sepatu/index.html": b"<p>sepatu</p>",
                           "static/style.css": b"css"}
    assert (site / "produk/sepatu/index.html").stat().st_ino == page.stat().st_ino  # linked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]


def test_a_file_handed_ahead_then_changed_or_dropped_is_published_as_it_ends(
        tmp_path: Path) -> None:
    from generator.write import Staging

    site, page = tmp_path / "site", tmp_path / "cache" / "page"
    page.parent.mkdir()
    page.write_bytes(b"<p>lama</p>")
    with Staging.begin(site, None) as staging:
        staging.add({"produk/a/index.html": page, "produk/b/index.html": b"b"})
        publish({"produk/a/index.html": b"<p>baru</p>"}, site, staging=staging)
    assert files(site) == {"produk/a/index.html": b"<p>baru</p>"}
    assert not (site / "produk/b").exists()  # nor the folder it left empty
    assert page.read_bytes() == b"<p>lama</p>"  # the cache's file, linked ahead, is untouched


def test_nothing_is_written_ahead_when_only_the_changes_will_be(tmp_path: Path) -> None:
    from generator.write import Staging

    site, manifest = tmp_path / "site", tmp_path / "published.pickle"
    publish({"index.html": b"lama", "a.html": b"a"}, site, manifest=manifest)
    with Staging.begin(site, manifest) as staging:
        assert staging.kept is not None
        staging.add({"index.html": b"baru"})
        assert not staging.folder.exists()
        publish({"index.html": b"baru", "a.html": b"a"}, site, manifest=manifest,
                staging=staging)
    assert files(site) == {"index.html": b"baru", "a.html": b"a"}


def test_a_path_outside_the_site_handed_ahead_fails_the_publish_and_leaves_the_old_site(
        tmp_path: Path) -> None:
    from generator.write import Staging

    site = tmp_path / "site"
    publish({"index.html": b"lama"}, site)
    with Staging.begin(site, None) as staging:
        staging.add({"../luar.html": b"x"})
        with pytest.raises(ValueError):
            publish({"index.html": b"baru", "../luar.html": b"x"}, site, staging=staging)
    assert files(site) == {"index.html": b"lama"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_cold_build_has_its_pages_staged_while_the_search_index_is_made(
        content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real build, with the real Pagefind: `search_index` is only watched."""
    from generator import pipeline
    from generator.build import BuildOptions, build

    options = BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                           cache_dir=tmp_path / ".cache", pocket=False)
    seen: list[list[str]] = []
    real = pipeline.search_index

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        time_out = 100
        staged = tmp_path / f".site.staging-{os.getpid()}"
        while time_out and not (staged / "produk/sepatu-kulit/index.html").exists():
            time.sleep(0.05)  # the thread writes as the index is made
            time_out -= 1
        seen.append(sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*.html")
                           if "/produk/" in f"/{p.relative_to(staged).as_posix()}"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "search_index", watched)
    build(options)
    assert seen == [["produk/harga/index.html", "produk/index.html",
                     "produk/sepatu-kulit/index.html", "produk/terbaru/index.html"]]
    assert (options.output_dir / "produk/sepatu-kulit/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".site.lock", "content",
                                                          "site"]  # no staging folder left


def test_the_site_digest_counts_every_entry_once_however_many_processes_walk(
        tmp_path: Path) -> None:
    """The folders are walked in shares, by forked processes (`write.site_shares`): a shallow
    folder's folders are listed one level further, a wide one's entries taken whole. Every
    entry still counts once: the digest is that of one walk through the whole tree."""
    out = tmp_path / "site"
    pages = {"index.html": b"beranda", "en/index.html": b"home",
             **{f"produk/p{n:03}/index.html": b"x" * n for n in range(80)},  # wide
             **{f"en/produk/p{n:03}/index.html": b"y" * n for n in range(70)},
             "pagefind/fragment/a.pf_fragment": b"a", "pagefind/index/deep/b.pf_index": b"b"}
    for name, data in pages.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)

    def one_walk() -> str:
        total = 0
        for path in out.rglob("*"):
            stat = path.lstat()
            line = f"{path.relative_to(out).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
            total += int.from_bytes(hashlib.blake2b(line.encode(), digest_size=20).digest())
        return f"{total % (1 << 160):040x}"

    assert site_digest(out, workers=1) == site_digest(out, workers=2) == one_walk()
    before = site_digest(out, workers=2)
    deep = out / "en/produk/p042/index.html"
    os.utime(deep, ns=(deep.stat().st_atime_ns, deep.stat().st_mtime_ns + 1_000_000))
    assert site_digest(out, workers=2) == one_walk() != before
