"""The build cache: a build that reuses earlier renders is byte-identical to a clean build.

Random sequences of edits, additions and deletions (products moved between units and
categories, prices dropped, e-catalogue listings, sales, unit and site renames) are applied to
a content folder; after each, the site rendered through the cache folder, and through the
in-memory store `etalase serve` keeps, must equal a clean render of the same content.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.bccache import bc_magic

from generator import pagecache, pipeline, search
from generator.build import BuildOptions, build
from generator.load import Document
from generator.memo import Memo, bytes_digest
from generator.pagecache import Store
from generator.pages import site_pages
from generator.pipeline import check, render
from generator.readiness import assess
from generator.render import looked_up, render_site
from generator.search_bundle import SearchIndexError, part_count, part_folder, part_of
from generator.write import Outputs, build_lock
from tests.conftest import CATEGORIES, SITE, compiled_templates, write_tree

FACILITIES = ("lapas-serang", "rutan-pandeglang")
CATEGORY_SLUGS = ("alas-kaki", "pakaian")
ROOT = Path(__file__).resolve().parents[1]
PART_SIZE = 2  # products per part of the search index: the edits below move them between parts


def facility(name: str) -> str:
    return f"---\nname: {name}\nkind: lapas\ncity: Serang\n---\nProfil {name}.\n"


def product(number: int, price: int, facility_slug: str, category: str, body: str,
            listing: str = "") -> str:
    priced = f"price: {price}\n" if price else ""
    listed = {"": "", "live": "ekatalog:\n  status: live\n  url: https://e-katalog.lkpp.go.id/"
              f"p/{number}\n", "draft": "ekatalog:\n  status: draft\n"}[listing]
    return (f"---\nname: Produk {number}\nfacility: {facility_slug}\ncategory: {category}\n"
            f"unit: pcs\n{priced}{listed}---\n{body}\n")


def sale(number: int, quantity: int, channel: str) -> str:
    return (f"2025-0{quantity}-1{quantity},produk-{number},{quantity},15000,Dinas Uji,"
            f"government,{channel}\n")


def start() -> dict[str, str]:
    files = {"site.yaml": SITE, "categories.yaml": CATEGORIES,
             **{f"facilities/{slug}.md": facility(f"Unit {slug}") for slug in FACILITIES}}
    for number in range(3):
        files[f"products/{FACILITIES[0]}/produk-{number}.md"] = product(
            number, 10_000 * (number + 1), FACILITIES[0], CATEGORY_SLUGS[0], "Awal.")
    return files


WORDS = st.sampled_from(["Kuat", "awet", "*rapi*", "- satu\n- dua", "[tautan](https://a.id/)"])
EDIT = st.one_of(
    st.tuples(st.just("product"), st.integers(0, 5), st.integers(0, 9).map(lambda n: n * 1000),
              st.sampled_from(FACILITIES), st.sampled_from(CATEGORY_SLUGS), WORDS,
              st.sampled_from(["", "live", "draft"])),
    st.tuples(st.just("sale"), st.integers(0, 5), st.integers(1, 9),
              st.sampled_from(["ekatalog", "direct"])),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("facility"), st.sampled_from(FACILITIES), WORDS),
    st.tuples(st.just("site"), WORDS),
)


def apply(files: dict[str, str], edit: tuple[object, ...]) -> None:
    """Add, change or delete a product; rename a unit; retitle the site."""
    kind = edit[0]
    if kind == "product":
        _, number, price, unit, category, body, listing = edit
        for slug in FACILITIES:
            files.pop(f"products/{slug}/produk-{number}.md", None)
        files[f"products/{unit}/produk-{number}.md"] = product(
            int(str(number)), int(str(price)), str(unit), str(category), str(body), str(listing))
    elif kind == "sale":
        _, number, quantity, channel = edit
        if any(f"products/{slug}/produk-{number}.md" in files for slug in FACILITIES):
            header = "date,product,quantity,unit_price,buyer,buyer_type,channel\n"
            files["transactions/2025.csv"] = files.get("transactions/2025.csv", header) + sale(
                int(str(number)), int(str(quantity)), str(channel))
    elif kind == "delete":
        for slug in FACILITIES:
            files.pop(f"products/{slug}/produk-{edit[1]}.md", None)
        sales = files.pop("transactions/2025.csv", "").splitlines(keepends=True)
        kept = [line for line in sales if f",produk-{edit[1]}," not in line]
        if len(kept) > 1:
            files["transactions/2025.csv"] = "".join(kept)
    elif kind == "facility":
        files[f"facilities/{edit[1]}.md"] = facility(f"Unit {edit[2]}".replace("\n", " "))
    else:
        files["site.yaml"] = SITE.replace("Etalase Uji", f"Etalase {edit[1]}".replace("\n", " "))


def rendered(content: Path, cache: Path, cached: bool,
             store: Store | None = None) -> dict[str, bytes]:
    options = BuildOptions(content_dir=content, cache_dir=cache, cached_pages=cached,
                           output_dir=content.parent / "site", search_part_size=PART_SIZE)
    return dict(render(options, store).outputs)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=5))
def test_cached_builds_match_clean_builds(edits: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cache = root / "cache"
        memory = Store(memory={})  # what `etalase serve` keeps between rebuilds
        files = start()
        rendered(write_tree(root / "content", files), cache, True)
        rendered(root / "content", root / "serve-cache", True, memory)
        for edit in edits:
            before = dict(files)
            apply(files, edit)
            shutil.rmtree(root / "content")  # the same folder, as an editor's edits leave it
            content = write_tree(root / "content", files)
            clean = rendered(content, root / "clean", False)  # shares only photos and PDFs
            assert rendered(content, cache, True) == clean, edit
            assert rendered(content, root / "serve-cache", True, memory) == clean, edit
            memory.forget_unused()
            site = published(root / "site") if (root / "site").is_dir() else {}
            build(BuildOptions(content_dir=content, output_dir=root / "site", cache_dir=cache,
                               search_part_size=PART_SIZE))
            # only the changes are written; an edit that changed nothing leaves the site as it
            # was, its list of changes included
            assert published(root / "site") == (site if files == before and site else clean)


def published(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_site_changed_by_hand_is_written_whole_again(tmp_path: Path) -> None:
    files = start()
    content = write_tree(tmp_path / "content", files)
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache")
    build(options)
    first = published(tmp_path / "site")
    page = next(name for name in first if "produk-0" in name and name.endswith(".html"))
    (tmp_path / "site" / page).unlink()  # someone tidied the published folder
    (tmp_path / "site" / "stray.txt").write_text("?")
    apply(files, ("delete", 2))
    write_tree(content, files)
    (content / "products" / FACILITIES[0] / "produk-2.md").unlink()
    build(options)
    site = published(tmp_path / "site")
    assert site == rendered(content, tmp_path / "clean", False)
    assert page in site and "stray.txt" not in site
    assert not any(name.endswith(".etalase-new") for name in site)
    assert site.keys() != first.keys()


@pytest.mark.parametrize("then", ["build", "delete the site, then build"])
def test_a_published_page_changed_in_place_by_another_tool_is_rendered_again(
        tmp_path: Path, then: str) -> None:
    """A published page is a link to its file in the cache: a tool that writes into it in
    place (rather than through a new file) changes the cache's file too. The next build
    renders that page again, even once the site folder is gone; the site is a clean build's."""
    content = write_tree(tmp_path / "content", start())
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", search_part_size=PART_SIZE)
    build(options)
    page = next(name for name in published(tmp_path / "site")
                if "produk-0" in name and name.endswith(".html"))
    assert (tmp_path / "site" / page).stat().st_nlink == 2  # the page and its cache file
    with open(tmp_path / "site" / page, "ab") as written_in_place:
        written_in_place.write(b"<!-- ditambahkan -->")
    if then != "build":
        shutil.rmtree(tmp_path / "site")
    build(options)
    site = published(tmp_path / "site")
    assert b"ditambahkan" not in site[page]
    assert site == rendered(content, tmp_path / "clean", False)


def test_pages_keyed_and_rendered_in_forked_processes_are_the_same(
        tmp_path: Path, monkeypatch) -> None:
    """A large site's pages are keyed and rendered in forked processes as well as this one
    (`pagecache.map_pages`): the same keys, so the same cache, and the same site."""
    monkeypatch.setattr(pagecache, "PARALLEL_FROM", 5)  # this small site's pages are enough
    content = write_tree(tmp_path / "content", start())
    sites = {}
    for workers in (1, 2):
        build(BuildOptions(content_dir=content, output_dir=tmp_path / f"site-{workers}",
                           cache_dir=tmp_path / f"cache-{workers}", workers=workers,
                           pocket=False))
        sites[workers] = published(tmp_path / f"site-{workers}")
    assert len(sites[1]) > 40 and sites[2] == sites[1]
    assert ({p.name for p in (tmp_path / "cache-2" / "pages").rglob("*")}
            == {p.name for p in (tmp_path / "cache-1" / "pages").rglob("*")})


def test_an_unchanged_rebuild_renders_nothing_again(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", start())
    first = rendered(content, tmp_path / "cache", True)
    pages = sorted((tmp_path / "cache" / "pages").rglob("*"))
    assert rendered(content, tmp_path / "cache", True) == first
    assert sorted((tmp_path / "cache" / "pages").rglob("*")) == pages


def test_data_files_stand_in_the_outputs_as_files_of_the_cache(tmp_path: Path) -> None:
    """`products.json` grows with the catalogue (140 MB at 50,000 products): a build holds it
    as a file of the cache folder, not in memory, with the same bytes as a build without one."""
    content = write_tree(tmp_path / "content", start())
    options = BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", cached_pages=True,
                           output_dir=tmp_path / "site", search_part_size=PART_SIZE)
    outputs = render(options).outputs
    held, files = outputs.split()  # type: ignore[attr-defined]
    assert "data/products.json" in files and "data/products.json" not in held
    assert files["data/products.json"].parent.parent == tmp_path / "cache" / "pages"
    assert outputs["data/products.json"] == rendered(content, tmp_path / "none", False)[
        "data/products.json"]


def test_parsed_files_are_let_go_before_pages_render(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of parsed files (each file's data, text and field positions: 36 MB at 10,000
    products) is written to the cache once the content is checked, and not held while pages
    render and the search index is made, in the build's process or in those it forks. The dev
    server keeps it in memory for the next build."""
    content = write_tree(tmp_path / "content", start())
    alive: list[int] = []

    def counting(*args: object, **kwargs: object) -> Outputs:
        gc.collect()
        alive.append(sum(isinstance(o, Document) for o in gc.get_objects()))
        return render_site(*args, **kwargs)

    monkeypatch.setattr("generator.pipeline.render_site", counting)
    render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", cached_pages=True))
    render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache"),
           Store(memory={}))
    assert alive == [0, len(start())]  # in memory: each file `start` writes, parsed


def test_the_memo_is_written_by_a_forked_process_while_pages_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo of the checked content (2.5 s to write at 50,000 products) is written by a
    forked process while the build goes on; the build waits for it before it ends, so the
    next build finds it whole and does not parse the files again."""
    content = write_tree(tmp_path / "content", start())
    writers = tmp_path / "writers"
    write = Memo.write

    def noted(memo: Memo, path: Path) -> None:
        write(memo, path)
        with writers.open("a") as out:
            out.write(f"{path.name} {os.getpid()}\n")

    monkeypatch.setattr(Memo, "write", noted)
    render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", cached_pages=True))
    written = dict(line.split() for line in writers.read_text().splitlines())
    assert written["records.pickle"] != str(os.getpid())
    assert written["search-words.pickle"] == str(os.getpid())
    assert Memo.read(tmp_path / "cache" / "records.pickle").known
    parsed: list[str] = []
    monkeypatch.setattr("generator.load._parse_text", lambda *args: parsed.append("parsed"))
    render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", cached_pages=True))
    assert parsed == []


def test_a_failed_build_leaves_the_output_free_while_its_memo_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked process that writes the memo does not hold the build's lock: a build that
    fails once the content is checked lets the next one start at once."""
    content = write_tree(tmp_path / "content", start())
    write = Memo.write

    def slow(memo: Memo, path: Path) -> None:
        time.sleep(3)
        write(memo, path)

    def broken(*args: object, **kwargs: object) -> Outputs:
        raise RuntimeError("a template broke")

    monkeypatch.setattr(Memo, "write", slow)
    monkeypatch.setattr("generator.pipeline.render_site", broken)
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", cached_pages=True)
    with pytest.raises(RuntimeError, match="a template broke"):
        build(options)
    with build_lock(tmp_path / "site"):  # raises UnsafeOutput while another holds it
        pass


def test_the_cache_keeps_one_site_worth_of_pages(tmp_path: Path) -> None:
    files = start()
    content = write_tree(tmp_path / "content", files)
    rendered(content, tmp_path / "cache", True)
    def cached() -> int:
        return sum(1 for p in (tmp_path / "cache" / "pages").rglob("*") if p.is_file())

    count = cached()
    for price in (11_000, 12_000, 13_000):  # three edits, each re-rendering a few pages
        files[f"products/{FACILITIES[0]}/produk-0.md"] = product(
            0, price, FACILITIES[0], CATEGORY_SLUGS[0], "Awal.")
        write_tree(content, files)
        rendered(content, tmp_path / "cache", True)
    assert cached() == count


def test_an_edit_finds_the_pages_rendered_before_in_one_listing_of_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's file in the cache is found in one listing of its folder, not by asking the
    system about each (46,000 calls at 10,000 products), and the same listing says which
    files the build did not use, to delete; a file gone from the cache is rendered again."""
    files = start()
    content = write_tree(tmp_path / "content", files)
    options = BuildOptions(content_dir=content, cache_dir=tmp_path / "cache", cached_pages=True,
                           output_dir=tmp_path / "site", search_part_size=PART_SIZE)
    pages = tmp_path / "cache" / "pages"
    gone = render(options).outputs.split()[1]["404.html"]  # type: ignore[attr-defined]
    gone.unlink()  # a page the edit below does not change
    files[f"products/{FACILITIES[0]}/produk-0.md"] = product(
        0, 11_000, FACILITIES[0], CATEGORY_SLUGS[0], "Awal.")
    write_tree(content, files)
    asked: list[str] = []
    stat = os.stat

    def counted(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if Path(str(path)).parent.parent == pages:  # a page's file, not its folder
            asked.append(str(path))
        return stat(path, *args, **kwargs)  # type: ignore[arg-type]

    listed: list[str] = []
    shards = sorted(p.name for p in pages.iterdir())
    scandir, listdir = os.scandir, os.listdir

    def listing(list_folder):  # type: ignore[no-untyped-def]
        def counted_listing(path: object = ".") -> object:
            if Path(str(path)).parent == pages:  # one of the folders of page files
                listed.append(Path(str(path)).name)
            return list_folder(path)
        return counted_listing

    monkeypatch.setattr(os, "stat", counted)
    monkeypatch.setattr(os, "scandir", listing(scandir))
    monkeypatch.setattr(os, "listdir", listing(listdir))
    edited = rendered(content, tmp_path / "cache", True)
    monkeypatch.undo()
    assert asked == []
    assert sorted(listed) == shards  # each folder of the cache once
    assert gone.is_file()  # rendered again
    assert edited == rendered(content, tmp_path / "clean", False)


def test_an_edit_indexes_again_only_the_part_of_the_search_index_that_holds_it(
        tmp_path: Path) -> None:
    files = start()
    for number in range(3, 8):
        files[f"products/{FACILITIES[1]}/produk-{number}.md"] = product(
            number, 5_000, FACILITIES[1], CATEGORY_SLUGS[1], "Awal.")
    content = write_tree(tmp_path / "content", files)
    first = rendered(content, tmp_path / "cache", True)

    def parts() -> set[str]:
        return {p.name for p in (tmp_path / "cache" / "search").iterdir()}

    before = parts()
    folders = {name.split("/")[1] for name in first if name.startswith("pagefind/part-")}
    assert len(before) == 2 * (len(folders) + 1) >= 6  # each language of each part
    edited = next(n for n in range(3, 8) if part_of(f"produk-{n}", part_count(8, PART_SIZE)))

    def edit(body: str) -> dict[str, bytes]:
        files[f"products/{FACILITIES[1]}/produk-{edited}.md"] = product(
            edited, 5_000, FACILITIES[1], CATEGORY_SLUGS[1], body)
        return rendered(write_tree(content, files), tmp_path / "cache", True)

    second = edit("Awal. Awal.")  # no word the catalogue did not have
    assert len(parts() - before) == len(before - parts()) == 2  # one part, in both languages
    changed = {name for name in second if name.startswith("pagefind/")
               and first.get(name) != second[name]}
    folder = part_folder(part_of(f"produk-{edited}", part_count(8, PART_SIZE)))
    assert {name for name in changed if name.startswith("pagefind/part-")} <= {
        name for name in second if name.startswith(f"pagefind/{folder}")}
    now = parts()
    edit("Awal. Diubah.")  # a new word goes to every part's page of words
    assert not parts() & now


def file_reads(monkeypatch: pytest.MonkeyPatch) -> dict[Path, int]:
    """How many times this process reads each file from now on, by `Path.read_bytes` or by
    `memo.read_bytes` (which opens it with `os.open`)."""
    reads: dict[Path, int] = {}
    read_bytes, open_file = Path.read_bytes, os.open

    def read(path: Path) -> bytes:
        reads[path] = reads.get(path, 0) + 1
        return read_bytes(path)

    def opened(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if not flags & (os.O_WRONLY | os.O_RDWR):
            reads[Path(path)] = reads.get(Path(path), 0) + 1
        return open_file(path, flags, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read)
    monkeypatch.setattr(os, "open", opened)
    return reads


def test_an_edit_reads_again_only_the_pages_of_the_part_it_indexes_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts of the search index are keyed by their pages' bytes, but an edit does not
    read every page again to key them: a page file's digest is remembered by its name (its
    key), so only the pages of the part indexed again, and those rendered anew, are read."""
    files = start()
    for number in range(3, 8):
        files[f"products/{FACILITIES[1]}/produk-{number}.md"] = product(
            number, 5_000, FACILITIES[1], CATEGORY_SLUGS[1], "Awal.")
    content = write_tree(tmp_path / "content", files)
    rendered(content, tmp_path / "cache", True)
    parts = part_count(8, PART_SIZE)
    edited = next(n for n in range(3, 8) if part_of(f"produk-{n}", parts))
    files[f"products/{FACILITIES[1]}/produk-{edited}.md"] = product(
        edited, 5_000, FACILITIES[1], CATEGORY_SLUGS[1], "Awal. Awal.")
    write_tree(content, files)
    kept = set((tmp_path / "cache" / "pages").rglob("*"))
    read = file_reads(monkeypatch)
    outputs = render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache",
                                  output_dir=tmp_path / "site",
                                  search_part_size=PART_SIZE)).outputs
    assert isinstance(outputs, Outputs)
    pages = {name: outputs.source(name) for name in outputs}
    same_part = {pages[name] for name in pages
                 if name.startswith(("produk/", "en/products/")) and part_of(
                     name.split("/")[-2], parts) == part_of(f"produk-{edited}", parts)}
    read_pages = {path for path in read if (tmp_path / "cache" / "pages") in path.parents}
    assert pages[f"produk/produk-{edited}/index.html"] in read_pages
    assert read_pages - same_part <= read_pages - kept  # others only when rendered anew
    assert set(pages.values()) & kept - same_part  # pages of other parts that were not read


def test_a_cold_build_keys_the_search_index_by_digests_its_renderers_worked_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of the search index is keyed by the digests of its pages' bytes, which the
    process that rendered a page works out as it writes the page's file: the search index
    reads each page file it indexes twice (for the words of every part, and for Pagefind),
    not a third time for its digest; the digests it remembers are those of the files."""
    content = write_tree(tmp_path / "content", start())
    reads = file_reads(monkeypatch)
    result = render(BuildOptions(content_dir=content, cache_dir=tmp_path / "cache",
                                 output_dir=tmp_path / "site", workers=1,
                                 search_part_size=PART_SIZE))
    outputs = result.outputs
    assert isinstance(outputs, Outputs) and result.catalog is not None
    pages = site_pages(result.catalog, result.date, (),
                       part_count(len(result.catalog.products), PART_SIZE))
    indexed = {outputs.source(page.output) for page in pages if search.is_indexed(page)}
    assert len(indexed) > 10 and all(isinstance(path, Path) for path in indexed)
    assert {reads.get(path, 0) for path in indexed} == {2}
    remembered = Memo.read(tmp_path / "cache" / pagecache.READ_FILE)
    assert {path.name: remembered.get(path.name, lambda: "not remembered")
            for path in indexed} == {path.name: bytes_digest(path.read_bytes())
                                     for path in indexed}


def test_an_edit_reads_the_address_of_no_fragment_it_did_not_make(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facet files name each product's page by Pagefind's id, its fragment's name; the
    address in each fragment is read (unzipped) once, then remembered by the fragment's
    digest, so an edit reads only the fragments of the part it indexes again."""
    files = start()
    content = write_tree(tmp_path / "content", files)
    first = rendered(content, tmp_path / "cache", True)
    files[f"products/{FACILITIES[0]}/produk-1.md"] = product(
        1, 20_000, FACILITIES[0], CATEGORY_SLUGS[0], "Awal. Awal.")
    read: list[bytes] = []
    fragment_address = pagecache.fragment_address

    def counted(data: bytes) -> str:
        read.append(data)
        return fragment_address(data)

    monkeypatch.setattr(pagecache, "fragment_address", counted)
    second = rendered(write_tree(content, files), tmp_path / "cache", True)
    fragments = {name for name in second if name.startswith("pagefind/fragment/")}
    new = {second[name] for name in fragments if first.get(name) != second[name]}
    assert new and set(read) == new
    assert len(fragments) > len(new)


def test_the_dev_server_publishes_pages_before_the_search_index(tmp_path: Path) -> None:
    """`etalase serve` shows an edit's pages while Pagefind still indexes: meanwhile the last
    search index is served; then the site is the clean build's."""
    files = start()
    content = write_tree(tmp_path / "content", files)
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", pocket=False)
    store = Store(folder=options.cache_dir, memory={})
    build(options, store)
    search = {name: data for name, data in published(tmp_path / "site").items()
              if name.startswith("pagefind/")}
    shutil.copytree(tmp_path / "site", tmp_path / "before")  # for the clean build's changes
    apply(files, ("delete", 2))
    apply(files, ("product", 1, 5000, FACILITIES[0], CATEGORY_SLUGS[0], "Kuat", "live"))
    (content / "products" / FACILITIES[0] / "produk-2.md").unlink()
    write_tree(content, files)
    meanwhile: list[dict[str, bytes]] = []
    build(options, store, pages_first=lambda _: meanwhile.append(published(tmp_path / "site")))
    clean = dict(render(BuildOptions(content_dir=content, cache_dir=tmp_path / "clean",
                                     previous_dir=tmp_path / "before", cached_pages=False,
                                     pocket=False)).outputs)
    pages = {name: data for name, data in clean.items() if not name.startswith("pagefind/")}
    assert meanwhile, "the pages were not published first"
    assert {n: d for n, d in meanwhile[0].items() if not n.startswith("pagefind/")} == pages
    assert {n: d for n, d in meanwhile[0].items() if n.startswith("pagefind/")} == search
    assert published(tmp_path / "site") == clean
    assert search != {n: d for n, d in clean.items() if n.startswith("pagefind/")}


def test_the_data_files_begin_beside_the_last_part_of_the_search_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind makes the last part of the search index alone, and leaves a core idle: the
    build begins its data files then, not once the index is done; the same files."""
    content = write_tree(tmp_path / "content", start())
    options = BuildOptions(content_dir=content, cached_pages=False, search_part_size=PART_SIZE,
                           workers=1, pocket=False)  # one Pagefind service: parts in turn
    alone = dict(render(options).outputs)
    made: list[str] = []
    index, begin = search.bundle_files, pipeline._DataFiles.begin
    monkeypatch.setattr(search, "bundle_files", lambda pages: made.append("part") or index(pages))
    monkeypatch.setattr(pipeline._DataFiles, "begin",
                        lambda data: made.append("data") or begin(data))
    assert dict(render(options).outputs) == alone
    parts = made.count("part")
    assert parts >= 3 and made.index("data") == parts - 1  # all but the last part begun


def test_a_search_index_that_fails_stops_the_build_before_its_data_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind failing on the first part of the index: the build stops with its error, and
    the data files are not made."""
    content = write_tree(tmp_path / "content", start())

    def broken(pages: object) -> dict[str, bytes]:
        raise SearchIndexError("pagefind stopped after 0 answers")

    listed: list[object] = []
    monkeypatch.setattr(search, "bundle_files", broken)
    monkeypatch.setattr(pipeline, "_listing_files", lambda *given: listed.append(given) or {})
    with pytest.raises(SearchIndexError, match="pagefind stopped after 0 answers"):
        render(BuildOptions(content_dir=content, cached_pages=False, search_part_size=PART_SIZE,
                            workers=1, pocket=False))
    assert listed == []


def test_keying_pages_keeps_nothing(tmp_path: Path) -> None:
    """Working out the pages' keys leaves their records as they were: Python gives an object
    a dict of its attributes (about 300 bytes) the first time `__dict__` is asked for, which
    spelling a page's context with `pickle`'s own rules did for every object in it (60 MB at
    50,000 products, in the main process and each worker)."""
    content = write_tree(tmp_path / "content", start())
    options = BuildOptions(content_dir=content, cache_dir=tmp_path / "cache")
    today = dt.date(2025, 6, 1)
    sites = [(site_pages(catalog, today), assess(catalog, today))
             for catalog, _ in (check(options), check(options))]  # the same, twice
    pagecache.page_keys(sites[0][0], "f", partial(looked_up, book=sites[0][1]))  # what each
    # kind of record needs once
    pages, book = sites[1]
    assert book.region is not None  # worked out when first asked for
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        keys = pagecache.page_keys(pages, "f", partial(looked_up, book=book))
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(keys) > 40
    assert kept < 120 * len(keys), kept  # the keys themselves: 89 bytes each, and a list


KEYS_IN_ORDER = """
import json, sys
from functools import partial
from pathlib import Path
from generator import pagecache
from generator.build import BuildOptions
from generator.pages import site_pages
from generator.pipeline import check
from generator.readiness import assess
from generator.render import looked_up
import datetime as dt
catalog, _ = check(BuildOptions(content_dir=Path(sys.argv[1])))
today = dt.date(2025, 6, 1)
pages = list(site_pages(catalog, today))
if sys.argv[2] == "reversed":
    pages.reverse()
pagecache.PARALLEL_FROM = 5  # this small site's pages are enough to fork
keys = pagecache.page_keys(pages, "f", partial(looked_up, book=assess(catalog, today)),
                           int(sys.argv[3]))
print(json.dumps(dict(zip((page.output for page in pages), keys))))
"""


def test_a_page_has_the_same_key_whatever_was_keyed_before_it(tmp_path: Path) -> None:
    """A key spells each class by a number its picklers find in their memo, from the first
    time the process meets the class (`pagecache._NUMBERED`): keyed in another order, in
    forked processes, in a fresh process with another hash seed, every page has the same key,
    so an unchanged page is never rendered again for it."""
    content = write_tree(tmp_path / "content", start())
    runs = []
    for order, workers, seed in (("forward", 1, "1"), ("reversed", 1, "2"), ("reversed", 2, "3")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", KEYS_IN_ORDER, str(content), order,
                               str(workers)], capture_output=True, text=True, env=env,
                              check=True)
        runs.append(json.loads(done.stdout))
    assert len({key for key in runs[0].values() if key}) > 30  # data files have none
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_a_page_key_spells_no_class_by_its_module(tmp_path: Path) -> None:
    """`pickle` spells a class by its module and name, and checks them by importing the module:
    half the time of a product page's key. A key spells each class by a number instead."""
    content = write_tree(tmp_path / "content", start())
    catalog, _ = check(BuildOptions(content_dir=content))
    page = next(page for page in site_pages(catalog, dt.date(2025, 6, 1))
                if page.route.kind == "product")
    spelled = pagecache.Serializer().serial(page)
    assert b"generator" not in spelled and b"ProductContext" not in spelled
    assert pagecache.Serializer().serial(page) == spelled


def test_templates_are_compiled_beside_the_build_and_kept_for_the_next(
        tmp_path: Path, monkeypatch) -> None:
    """A build compiles every template into the cache folder in a forked process while it
    lists the pages; it renders from them, as does the next build, compiling none itself.
    Folders of templates compiled under other UI strings or code are removed."""
    files = start()
    content = write_tree(tmp_path / "content", files)
    stale = tmp_path / "cache" / "templates" / "id-0000000000"
    stale.mkdir(parents=True)
    clean = rendered(content, tmp_path / "clean", False)
    compiled = compiled_templates(monkeypatch)  # the pocket catalogues' own ones aside
    assert rendered(content, tmp_path / "cache", True) == clean
    assert [name for name in compiled if not name.startswith("pocket/")] == []
    folders = sorted((tmp_path / "cache" / "templates").iterdir())
    assert [folder.name[:3] for folder in folders] == ["en-", "id-"]
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file()
                 and not {"static", "i18n", "pocket"} & set(p.relative_to(ROOT).parts)]
    assert all(len(list(folder.iterdir())) == len(templates) for folder in folders)
    files[f"products/{FACILITIES[0]}/produk-0.md"] = product(
        0, 12_000, FACILITIES[0], CATEGORY_SLUGS[1], "Kuat.")
    write_tree(content, files)
    clean = rendered(content, tmp_path / "clean", False)
    compiled.clear()
    assert rendered(content, tmp_path / "cache", True) == clean
    assert [name for name in compiled if not name.startswith("pocket/")] == []
    assert not stale.exists()


def test_an_edited_template_or_ui_string_shows_in_a_cached_build(tmp_path: Path) -> None:
    """Templates compiled by an earlier build are used only while their source, and the UI
    strings written into them as they compile, are the same."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    content = write_tree(tmp_path / "content", start())

    def home_page(cache: str) -> str:
        options = BuildOptions(content_dir=content, cache_dir=tmp_path / cache,
                               templates_dir=templates, output_dir=tmp_path / "site",
                               pocket=False)
        return render(options).outputs["index.html"].decode()

    assert ">Langsung ke isi<" in home_page("cache") and "Data terbuka" in home_page("cache")
    strings = templates / "i18n" / "id.yaml"
    strings.write_text(strings.read_text("utf-8").replace("  skip: Langsung ke isi\n",
                                                          "  skip: Lompat ke isi\n"), "utf-8")
    footer = templates / "partials" / "footer.html"
    footer.write_text(footer.read_text("utf-8").replace('{{ t("footer.data") }}',
                                                        'Data terbuka untuk semua'), "utf-8")
    page = home_page("cache")
    assert ">Lompat ke isi<" in page and "Langsung ke isi" not in page
    assert "Data terbuka untuk semua" in page
    assert page == home_page("clean")


@pytest.mark.parametrize("damage", ["cut short", "a file in the folder's place"])
def test_compiled_templates_that_cannot_be_read_or_kept_cost_only_time(
        tmp_path: Path, damage: str) -> None:
    files = start()
    content = write_tree(tmp_path / "content", files)
    folder = tmp_path / "cache" / "templates"
    if damage == "cut short":
        rendered(content, tmp_path / "cache", True)
        for path in folder.rglob("*.cache"):
            path.write_bytes(path.read_bytes()[:len(bc_magic) + 9])  # half its checksum
        files["site.yaml"] = SITE.replace("Etalase Uji", "Etalase Baru")  # every page again
        write_tree(content, files)
    else:
        folder.parent.mkdir()
        folder.write_text("not a folder")
    assert rendered(content, tmp_path / "cache", True) == rendered(content, tmp_path / "clean",
                                                                   False)
