"""The search stage: which pages Pagefind indexes, and a bundle that is the same every time.

These run Pagefind's real indexer on small pages; the browser tests use what it makes.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pagefind.service import get_executable

from generator import pagecache
from generator.build import BuildOptions
from generator.pages import PageSpec
from generator.pipeline import render
from generator.search import facet_file_name, is_indexed, many_words, page_ids, side_by_side
from generator.search_bundle import (
    PAGEFIND_MEMORY,
    SIGNATURE,
    WRITING,
    bundle_files,
    canonical_bundle,
    cbor_decode,
    cbor_encode,
    for_pagefind,
    fragment_address,
    index_documents,
    join_parts,
    merged_folders,
    part_count,
    read_fragment,
    read_packed,
    select_files,
    start_service,
    word_pages,
    words,
)
from generator.urls import Route
from tests.conftest import MINIMAL, WriteTree

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>x</title></head><body>
<nav>Beranda Produk Unit</nav>
<main><article data-pagefind-body><h1>{name}</h1><p>{text}</p>
<span data-pagefind-filter="unit:{unit}"></span><span data-pagefind-filter="category:{cat}"></span>
<span data-pagefind-filter="price:{price}"></span>
<section data-pagefind-ignore>Minta penawaran</section></article></main></body></html>"""


def documents(count: int = 12) -> list[tuple[str, bytes]]:
    units, cats = ("lapas-a", "lapas-b", "rutan-c"), ("alas-kaki", "pakaian", "makanan")
    return [(f"/{lang}/p{n}/", PAGE.format(lang=lang, name=f"Barang {n}", text="Dijual murah",
                                           unit=units[n % 3], cat=cats[n % 2],
                                           price=("0-50000", "50000-100000")[n % 2]).encode())
            for lang in ("id", "en") for n in range(count)]


def test_pages_indexed_are_products_and_first_pages_of_units_and_categories(
        content: WriteTree) -> None:
    result = render(BuildOptions(content_dir=content()))
    assert "pagefind/pagefind.js" in result.outputs
    ids = page_ids({k.removeprefix("pagefind/"): v for k, v in result.outputs.items()})
    assert sorted(ids) == sorted([
        "/produk/sepatu-kulit/", "/en/products/sepatu-kulit/", "/upt/lapas-serang/",
        "/en/facilities/lapas-serang/", "/kategori/alas-kaki/", "/en/categories/alas-kaki/",
        "/kategori/pakaian/", "/en/categories/pakaian/"])


def test_the_search_page_index_skips_boilerplate(content: WriteTree) -> None:
    """What a buyer does not search for: the site's frame, the quote buttons, the maker's card,
    and what is said to editors (the e-catalogue readiness, whose "Sertifikat TKDN: belum
    diisi" made a search for "TKDN" find every product without one, and the edit link)."""
    site = MINIMAL["site.yaml"] + "repository:\n  url: https://gitlab.example.go.id/etalase\n"
    result = render(BuildOptions(content_dir=content({"site.yaml": site})))
    assert "Ubah halaman ini" in result.outputs["produk/sepatu-kulit/index.html"].decode()
    bundle = {k.removeprefix("pagefind/"): v for k, v in result.outputs.items()
              if k.startswith("pagefind/fragment/")}
    texts = {read_fragment(v)["url"]: read_fragment(v)["content"] for v in bundle.values()}
    product = texts["/produk/sepatu-kulit/"]
    assert "Sepatu Kulit" in product and "buatan warga binaan" in product
    for boilerplate in ("Beranda", "Minta penawaran", "Data terbuka", "Unit pembuat",
                        "Siap e-Katalog", "belum diisi", "Ubah halaman ini"):
        assert boilerplate not in product


def test_a_fragments_address_is_read_from_its_head_as_from_the_whole() -> None:
    """The facet files name each page by its fragment: the address Pagefind writes first in a
    fragment is read from the fragment's head, and the same when it is too long for the head
    or not first (the whole fragment is then read)."""
    long_url = "/produk/" + "é" * 2000 + "/"
    pages = [*documents(3), (long_url, PAGE.format(lang="id", name="Panjang", text="x", unit="u",
                                                    cat="c", price="0-50000").encode())]
    fragments = [data for name, data in bundle_files(pages).items()
                 if name.startswith("fragment/")]
    addresses = [fragment_address(data) for data in fragments]
    assert sorted(addresses) == sorted(url for url, _ in pages)
    assert addresses == [read_fragment(data)["url"] for data in fragments]
    later = gzip.compress(SIGNATURE + b'{"content":"x","url":"/produk/a/"}')
    assert fragment_address(later) == "/produk/a/"


def test_the_facet_file_maps_every_product_to_its_page(content: WriteTree) -> None:
    outputs = render(BuildOptions(content_dir=content())).outputs
    data = json.loads(gzip.decompress(outputs["pagefind/" + facet_file_name("en")]))
    (page,) = data["pages"]
    fragment = read_fragment(outputs[f"pagefind/fragment/{page}.pf_fragment"])
    assert fragment["url"] == "/en/products/sepatu-kulit/"
    assert fragment["meta"]["title"] == "Sepatu Kulit"
    assert fragment["meta"]["title_lang"] == "id"
    assert data["filters"]["unit"] == {"values": ["lapas-serang"], "rows": [0]}
    assert data["price"] == [275000]


def test_two_indexes_of_the_same_pages_are_byte_identical() -> None:
    first, second = bundle_files(documents()), bundle_files(documents())
    assert first == second
    entry = json.loads(first["pagefind-entry.json"])
    assert list(entry["languages"]) == ["en", "id"]
    metas = {f"pagefind.{lang['hash']}.pf_meta" for lang in entry["languages"].values()}
    assert metas <= set(first)


def test_the_bundle_keeps_only_what_the_search_page_loads() -> None:
    names = set(bundle_files(documents(2)))
    assert {"pagefind.js", "pagefind-worker.js", "wasm.id.pagefind", "wasm.en.pagefind"} <= names
    assert not [n for n in names if "ui" in n or "highlight" in n or "unknown" in n]


def test_filters_and_metadata_are_in_name_order() -> None:
    bundle = bundle_files(documents())
    entry = json.loads(bundle["pagefind-entry.json"])
    meta = read_packed(bundle[f"pagefind.{entry['languages']['id']['hash']}.pf_meta"])
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) == ["category", "price", "unit"]
    for _, chunk in meta[3]:
        values = [value for value, _ in read_packed(bundle[f"filter/{chunk}.pf_filter"])[1]]
        assert values == sorted(values)


def test_an_index_in_parts_serves_each_part_from_its_folder() -> None:
    pages = documents()
    first = [d for d in pages if int(d[0].rsplit("p", 1)[1].strip("/")) < 6]
    second = [d for d in pages if d not in first]
    joined = join_parts({0: bundle_files(first), 2: bundle_files(second)})
    assert joined == join_parts({0: bundle_files(first), 2: bundle_files(second)})
    assert {n for n in joined if "pagefind.js" in n or "wasm." in n} == {
        "pagefind.js", "wasm.id.pagefind", "wasm.en.pagefind"}  # the runtime comes once
    entry = json.loads(joined["part-2/pagefind-entry.json"])
    for language in entry["languages"].values():
        meta = read_packed(joined[f"part-2/pagefind.{language['hash']}.pf_meta"])
        ids = [page for page, *_ in meta[1]]
        assert len(ids) == 6 and all(page.startswith("p2-") for page in ids)
        urls = {read_fragment(joined[f"fragment/{page}.pf_fragment"])["url"] for page in ids}
        lang = f'lang="{language["wasm"]}"'.encode()
        assert urls == {url for url, html in second if lang in html}
    assert sorted(page_ids(joined)) == sorted(url for url, _ in pages)


def test_pagefind_is_sent_only_the_elements_it_indexes() -> None:
    page = (b'<!DOCTYPE html><html lang="id"><head><title>T</title></head><body><header>Situs'
            b'</header><main id="main"><nav>Beranda</nav>'
            b'<article class="product" data-pagefind-body>'
            b'<div hidden data-pagefind-ignore><span data-pagefind-filter="unit:a"></span></div>'
            b'<h1>Sepatu</h1><article class="card">Kartu</article><p>Kulit</p>'
            b'<section data-pagefind-ignore><h2 id="q">Minta</h2><section>Dalam</section></section>'
            b'<p data-pagefind-ignore="all">Ubah</p></article>'
            b'<section class="related"><article class="card">Lain</article></section>'
            b'<div class="prose" data-pagefind-body><div><p>Profil</p></div>'
            b'<p data-pagefind-ignore><span data-pagefind-meta="image:"></span></p></div></main>'
            b'<footer>Kaki</footer></body></html>')
    assert for_pagefind(page, "id") == (
        b'<!DOCTYPE html><html lang="id"><head></head><body><main>'
        b'<article class="product" data-pagefind-body><div hidden data-pagefind-ignore>'
        b'<span data-pagefind-filter="unit:a"></span></div><h1>Sepatu</h1>'
        b'<article class="card">Kartu</article><p>Kulit</p></article>\n'
        b'<div class="prose" data-pagefind-body><div><p>Profil</p></div>'
        b'<p data-pagefind-ignore><span data-pagefind-meta="image:"></span></p></div>'
        b'</main></body></html>')
    unclosed = page.replace(b"</section></section>", b"</section>")
    assert b"<h2 id=\"q\">Minta</h2>" in for_pagefind(unclosed, "id")  # sent as it is


def test_what_is_left_out_for_pagefind_changes_nothing_it_makes() -> None:
    """Pagefind skips the text of `data-pagefind-ignore` elements, but reads the filters and
    metadata inside them, and takes a page's image from the first `<img>` even there: the index
    made from pages cut down is the one made from them whole."""
    extra = ('<section class="quote" data-pagefind-ignore><h2 id="quote">Minta penawaran</h2>'
             '<a href="https://wa.me/62?text=Halo%20sepatu">WhatsApp</a></section>'
             '<p data-pagefind-ignore>Foto<img src="/media/x.jpg" alt="Sepatu kulit"></p>'
             '<div data-pagefind-ignore><span data-pagefind-meta="maker:Lapas A"></span>'
             '<span data-pagefind-filter="place:products"></span></div>'
             '<p data-pagefind-ignore="all"><span data-pagefind-filter="unit:x"></span>Ubah</p>')
    whole = [(url, html.replace(b"</article>", extra.encode() + b"</article>"))
             for url, html in documents() if b'lang="id"' in html]
    cut = [(url, for_pagefind(html, "id")) for url, html in whole]
    assert all(b"Minta penawaran" in html and b"Minta penawaran" not in sent
               and b"maker:Lapas A" in sent and b"x.jpg" in sent
               for (_, html), (_, sent) in zip(whole, cut, strict=True))
    assert bundle_files(whole) == canonical_bundle(select_files(index_documents(whole)))


def test_a_page_without_an_element_to_index_is_sent_its_main() -> None:
    page = b'<html lang="en"><head></head><body><main><p>Semua</p></main></body></html>'
    assert for_pagefind(page, "en") == (
        b'<!DOCTYPE html><html lang="en"><head></head><body><main><p>Semua</p></main>'
        b'</body></html>')
    unclosed = b'<html lang="en"><body><main><div data-pagefind-body><p>Semua</p></main></html>'
    assert for_pagefind(unclosed, "en") == (
        b'<!DOCTYPE html><html lang="en"><head></head><body><main><div data-pagefind-body>'
        b'<p>Semua</p></main></body></html>')


def test_words_are_runs_of_letters_lowercased() -> None:
    text = ("Kursi_jati 2kg SEPATU, sepatu-kulit; Ⅻ½ naïve Ärmel x²y "
            "rp150.000 &amp; caf&eacute; tab\tbaris\nbaru")
    page = ('<html lang="id"><main><article data-pagefind-body><p>'
            f"{text}</p></article></main></html>").encode()
    assert words([("/a/", page)]) == {"id": frozenset({  # numbers like ² and ½ are letters here
        "kursi", "jati", "kg", "sepatu", "kulit", "ⅻ½", "naïve", "ärmel", "x²y", "rp", "café",
        "tab", "baris", "baru"})}


def test_the_words_of_many_parts_are_read_in_forked_processes_alike() -> None:
    pages = documents()
    parts = [pages[:1], pages[1:], pages[::2], pages[1::2]]
    alone = many_words(parts, workers=1)
    assert alone == [words(part) for part in parts] and alone[1]["id"]
    assert many_words(parts, workers=2) == alone


def test_every_part_holds_every_word_of_the_catalogue_on_a_page_no_search_shows() -> None:
    pages = documents()
    found = words(pages)
    assert {"barang", "dijual", "murah"} <= found["id"]
    assert not {"beranda", "produk", "data", "body"} & found["id"]  # the menu, the markup
    assert "minta" in found["id"]  # a superset: `data-pagefind-ignore` text counts too
    assert not any(word.isdigit() for word in found["id"])
    (url, html), _ = word_pages(found)
    assert url == "/_kata/en/" and b'data-pagefind-filter="place:words"' in html
    bundle = bundle_files([*pages[:2], *word_pages(found)])
    texts = {read_fragment(v)["url"]: read_fragment(v) for k, v in bundle.items()
             if k.startswith("fragment/")}
    assert texts["/_kata/id/"]["filters"] == {"place": ["words"]}
    assert set(texts["/_kata/id/"]["content"].rstrip(".").split()) == found["id"]


def test_parts_grow_with_the_catalogue_up_to_a_limit() -> None:
    assert [part_count(n, 2_500) for n in (0, 1, 2_500, 2_501, 10_000, 50_000, 10**6)] == [
        1, 1, 1, 2, 4, 8, 8]
    assert merged_folders([f"produk-{n}" for n in range(200)], 4) == (
        "part-1/", "part-2/", "part-3/")
    assert merged_folders(["produk-1"], 1) == ()


def test_the_cbor_reader_writes_back_what_pagefind_wrote() -> None:
    files = index_documents(documents())
    packed = [v for k, v in files.items() if k.endswith((".pf_meta", ".pf_filter"))]
    assert len(packed) >= 4
    for data in packed:
        raw = gzip.decompress(data)
        value, end = cbor_decode(raw, len(SIGNATURE))
        assert end == len(raw)
        assert SIGNATURE + cbor_encode(value) == raw


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65_535, 65_536, 2**32, "", "é" * 30,
                                   b"\x00\x01", [], [1, ["a", [b"b"]]], list(range(300))])
def test_cbor_round_trips(value: object) -> None:
    assert cbor_decode(cbor_encode(value)) == (value, len(cbor_encode(value)))


def test_only_first_pages_of_listings_are_indexed() -> None:
    def spec(route: Route) -> PageSpec:
        return PageSpec("x", "t.html", "id", route, None)  # type: ignore[arg-type]

    assert is_indexed(spec(Route("product", "a")))
    assert is_indexed(spec(Route("facility", "a")))
    assert not is_indexed(spec(Route("facility", "a", page=2)))
    assert not is_indexed(spec(Route("products")))
    assert not is_indexed(spec(Route("search")))


def test_parts_are_indexed_side_by_side_only_while_pagefind_fits_in_memory() -> None:
    """A service holds 86 KB a page at its peak, while it writes its files (one at a time
    does), and 25 KB a page while it reads them. Services of 2,750 pages (a part of a
    10,000-product catalogue) fit one per core, and two of 7,250 and 6,250 (at 50,000); parts
    of 12,500 (at 100,000) go one after the other."""
    assert side_by_side([2_500, 2_750, 2_500, 2_500], workers=2) == 2
    assert side_by_side([2_450] * 4, workers=4) == 4
    assert side_by_side([4_000] * 8, workers=8) == 6
    assert side_by_side([7_250, 6_250], workers=2) == 2
    assert side_by_side([7_250, 6_250], workers=4) == 2
    assert side_by_side([12_500] * 8, workers=2) == 1
    assert side_by_side([40], workers=4) == 1
    assert side_by_side([], workers=2) == 1


def test_services_side_by_side_write_their_files_one_at_a_time() -> None:
    """While one service writes its index's files (its peak), another that has read its pages
    waits for its turn, then gives the same files."""
    expected = bundle_files(documents(3))
    made: list[dict[str, bytes]] = []
    with WRITING:  # another service writing its files
        waiting = threading.Thread(target=lambda: made.append(bundle_files(documents(3))),
                                   daemon=True)
        waiting.start()
        waiting.join(5)
        assert waiting.is_alive() and not made
    waiting.join(60)
    assert made == [expected]


def test_pages_are_sent_to_pagefind_as_they_are_read_not_all_held() -> None:
    """A part's pages go to Pagefind one by one as they are read, and of its answers only the
    index's files are kept: 600 pages of 40 KB (24 MB) are indexed while this process holds
    less than a quarter of that at its peak (Python's own count of what it allocates)."""
    text = " ".join(f"kata{n % 20}" for n in range(6_500))  # about 40 KB, much alike
    pages = [(f"/id/p{n}/", PAGE.format(lang="id", name=f"Barang {n}", text=text, unit="lapas-a",
                                        cat="pakaian", price="0-50000").encode())
             for n in range(600)]
    size = sum(len(for_pagefind(html, "id")) for _, html in pages)
    assert size > 24_000_000

    def read() -> Iterator[tuple[str, bytes]]:  # each page made as it is asked for, as read
        for url, html in pages:
            yield url, bytes(html)

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        bundle = bundle_files(_Read(read, len(pages)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len([name for name in bundle if name.startswith("fragment/")]) == 600
    assert peak < size / 4


class _Read:
    """Documents read anew each time they are gone through, as a build's pages are."""

    def __init__(self, read: Callable[[], Iterator[tuple[str, bytes]]], count: int) -> None:
        self.read, self.count = read, count

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return iter(self.read())

    def __len__(self) -> int:
        return self.count

    def __contains__(self, item: object) -> bool:
        return any(item == page for page in self)


def test_a_page_that_cannot_be_read_stops_the_index_with_its_error() -> None:
    """A page file gone from the cache while a part is indexed: the build stops with that
    error, rather than wait for Pagefind's answers for ever."""
    def read() -> Iterator[tuple[str, bytes]]:
        yield from documents(2)[:2]
        raise FileNotFoundError(".cache/pages/hilang.html")

    raised: list[BaseException] = []

    def index() -> None:
        try:
            bundle_files(_Read(read, 3))
        except BaseException as error:  # asserted below
            raised.append(error)

    worker = threading.Thread(target=index, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the index waited for ever"
    assert [type(error) for error in raised] == [FileNotFoundError]
    assert str(raised[0]) == ".cache/pages/hilang.html"


def test_the_indexing_service_is_started_with_its_memory_settings() -> None:
    """The process that indexes a part is told to give freed memory back within half a second,
    from one arena: up to a fifth off its peak (see `PAGEFIND_MEMORY`)."""
    process = start_service()
    try:
        environment = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    assert b"_RJEM_MALLOC_CONF=narenas:1,dirty_decay_ms:500,muzzy_decay_ms:0" in environment


def test_pagefind_reads_and_applies_the_memory_settings() -> None:
    """The settings are read by the allocator the Pagefind binary is built with (jemalloc,
    which names them `_RJEM_MALLOC_CONF`), not silently ignored: its statistics at exit show
    them in force."""
    binary = get_executable()
    assert binary is not None
    settings = f"{PAGEFIND_MEMORY},stats_print:true"
    done = subprocess.run([str(binary), "--service"], input=b"", capture_output=True, check=True,
                          env={**os.environ, "_RJEM_MALLOC_CONF": settings})
    options = [line.strip() for line in done.stderr.decode().splitlines()
               if line.strip().startswith(("opt.narenas:", "opt.dirty_decay_ms:",
                                           "opt.muzzy_decay_ms:"))]
    assert options == ["opt.narenas: 1", "opt.dirty_decay_ms: 500 (arenas.dirty_decay_ms: 500)",
                       "opt.muzzy_decay_ms: 0 (arenas.muzzy_decay_ms: 0)"]


def test_a_part_kept_in_the_cache_is_read_back_only_when_the_parts_are_joined(
        tmp_path: Path) -> None:
    """While Pagefind indexes the other parts, a build does not hold the ones it made (155 MB
    at 50,000 products); a part whose file was cut short is made again, never lost."""
    path = tmp_path / "search" / "part.pickle"
    part = pagecache._KeptPart(path, documents())
    assert path.is_file() and part.files is None
    assert dict(part) == bundle_files(documents())
    path.write_bytes(b"cut short")
    assert dict(pagecache._KeptPart(path, documents())) == dict(part)
