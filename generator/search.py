"""Search: the rendered site → its search index, more `{path: bytes}` for `write`.

Runs after render and before write, so a failed index leaves the previous site untouched. Each
product page and the first page of each unit and category (the pages marked
`data-pagefind-body`) goes, as rendered, to Pagefind (`search_bundle`); its files are served from
`pagefind/`. One bundle serves every language: Pagefind keeps an index per `<html lang>`,
Indonesian with its own stemmer ("jual" finds "dijual"), and the search page loads the index of
its own language. Beside it, one facet file per language (`facets.<lang>.json.gz`, see `facets`)
lets the search page filter, count and sort without Pagefind's word index. A large catalogue's
index is made in parts, by product (`search_bundle.join_parts`), so that an edit indexes one part
again and the parts are made side by side, one per core.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from generator.contexts import ProductContext
from generator.facets import facet_file
from generator.memo import bytes_digest, read_bytes
from generator.model import Language, Product
from generator.pages import PageSpec, name_key
from generator.processes import forked_map, in_order
from generator.search_bundle import (
    Documents,
    bundle_files,
    documents_digest,
    fragment_address,
    join_bundles,
    join_parts,
    part_of,
    word_pages,
    words,
)
from generator.urls import Route, SiteUrls
from generator.write import Outputs

T = TypeVar("T")
INDEXED_KINDS = frozenset({"product", "facility", "category"})
# Pagefind holds 23 to 25 KB for each product page while it reads a part's pages, and 73 to
# 86 KB at its peak, while it writes the index's files (the most for the fewest pages: 2,500
# of them, against 7,300), which services side by side do one at a time
# (`search_bundle.PAGEFIND_MEMORY` and `WRITING`). Parts are indexed side by side while they
# fit in the memory below: at 50,000 products, where the build's own process reaches 1.07 GB,
# two services of the largest parts so stay under 2 GB with it.
SEARCH_MEMORY = 850_000_000
PAGEFIND_PAGE_BYTES = 86_000  # at its peak
PAGEFIND_READING_BYTES = 25_000  # while it reads the pages


class PartIndexer(Protocol):
    """Makes each language of each part of the search index: its words, and its bundle. A
    key names its documents (`search_bundle.documents_digest`); `pagecache.search_cached` keeps
    what was made by it, and what was read of the pages and fragments it was given (a page's
    digest, a fragment's address), so that they are not read again."""

    def page_digest(self, page: bytes | Path) -> str: ...

    def fragment_address(self, fragment: bytes) -> str: ...

    def words(self, parts: Mapping[str, Documents],
              workers: int) -> dict[str, dict[str, frozenset[str]]]: ...

    def index(self, key: str, documents: Documents) -> Mapping[str, bytes]: ...


class Uncached:
    """Every part made anew (a build without a cache)."""

    def page_digest(self, page: bytes | Path) -> str:
        return bytes_digest(page if isinstance(page, bytes) else read_bytes(page))

    def fragment_address(self, fragment: bytes) -> str:
        return fragment_address(fragment)

    def words(self, parts: Mapping[str, Documents],
              workers: int) -> dict[str, dict[str, frozenset[str]]]:
        return dict(zip(parts, many_words(list(parts.values()), workers), strict=True))

    def index(self, key: str, documents: Documents) -> dict[str, bytes]:
        return bundle_files(documents)


def search_index(pages: Sequence[PageSpec], outputs: Mapping[str, bytes], urls: SiteUrls,
                 parts: int = 1, indexer: PartIndexer | None = None, workers: int = 1,
                 one_left: Callable[[], object] = lambda: None) -> dict[str, bytes]:
    """The search bundle and facet files of a rendered site, keyed by their path in the site.
    The index is made in `parts` (`search_bundle.part_of`), each with a page of every word of
    the catalogue; each language of each part by `indexer`, `workers` at a time. `one_left`
    is called once one of them is left to make, or none: the cores then have room for other
    work."""
    indexer = indexer or Uncached()
    groups: dict[tuple[int, str], list[tuple[str, str]]] = {}  # by (part, language)
    for page in pages:
        if is_indexed(page):
            number = part_of(page.route.slug, parts) if page.route.kind == "product" else 0
            groups.setdefault((number, page.lang), []).append(  # its `<html lang>`
                (urls.href(page.route, page.lang), page.output))
    site = outputs if isinstance(outputs, Outputs) else Outputs(outputs.items())
    jobs: dict[tuple[int, str], tuple[str, Documents]] = {
        group: (documents_digest((url, indexer.page_digest(page)) for url, page in some.sources()),
                some)
        for group, some in ((group, _Pages(site, named)) for group, named in groups.items())}
    if len({number for number, _ in groups}) > 1:
        found = indexer.words(dict(jobs.values()), workers)
        every: dict[str, set[str]] = {}
        for (_, lang), (key, _) in jobs.items():
            every.setdefault(lang, set()).update(found[key].get(lang, ()))
        extra = {lang: word_pages({lang: some}) for lang, some in every.items()}
        digests = {lang: documents_digest((url, bytes_digest(html)) for url, html in page)
                   for lang, page in extra.items()}
        for (number, lang), named in groups.items():
            jobs[number, lang] = (f"{jobs[number, lang][0]}-{digests[lang]}",
                                  _Pages(site, named, extra[lang]))
    jobs = jobs or {(0, ""): (documents_digest([]), [])}
    left = _Countdown(len(jobs), one_left)
    with ThreadPoolExecutor(side_by_side([len(some) for _, some in jobs.values()],
                                         workers)) as pool:
        made = dict(zip(jobs, pool.map(lambda job: left.done(indexer.index(*job)),
                                       jobs.values()), strict=True))
    numbers = sorted({number for number, _ in made})
    bundle = join_parts({n: join_bundles([files for (number, _), files in sorted(made.items())
                                          if number == n]) for n in numbers})
    ids = page_ids(bundle, indexer.fragment_address)

    def facets(lang: Language) -> bytes:  # one language in each worker process
        rows = [(product, ids[urls.href(Route("product", product.slug), lang)])
                for product in products_by_name(pages, lang)]
        return gzip.compress(to_json(facet_file(rows)), mtime=0)

    languages = list(urls.languages)
    for lang, data in zip(languages, in_order(forked_map(languages, facets, workers),
                                              len(languages)), strict=True):
        bundle[facet_file_name(lang)] = data
    folder = urls.path(Route("search-index"), urls.default_language)
    return {folder + name: data for name, data in sorted(bundle.items())}


class _Countdown:
    """Counts jobs as they are done, in threads; calls `at_one` when one is left (at once, when
    there is one)."""

    def __init__(self, count: int, at_one: Callable[[], object]) -> None:
        self.left, self.at_one = count, at_one
        self.lock = threading.Lock()
        if count <= 1:
            at_one()

    def done(self, made: T) -> T:
        with self.lock:
            self.left -= 1
            if self.left == 1:
                self.at_one()
        return made


def many_words(parts: Sequence[Documents], workers: int) -> list[dict[str, frozenset[str]]]:
    """`search_bundle.words` of each part, in `workers` forked processes: they read the pages
    from the cache folder (or share them in memory) rather than be sent them."""
    return in_order(forked_map(parts, words, workers), len(parts))


def side_by_side(sizes: Sequence[int], workers: int) -> int:
    """How many Pagefind services index at once, for jobs of `sizes` pages: one per worker,
    while the largest job writing its files and the others reading their pages fit in
    `SEARCH_MEMORY` together."""
    largest = max(sizes, default=1)
    spare = SEARCH_MEMORY - PAGEFIND_PAGE_BYTES * largest
    fit = 1 + max(0, spare) // max(1, PAGEFIND_READING_BYTES * largest)
    return max(1, min(workers, len(sizes), fit))


class _Pages(Collection[tuple[str, bytes]]):
    """Pages to index, (address, HTML), read from the outputs each time they are gone
    through: a large site's pages stand in the outputs as files of the cache folder
    (`write.Outputs`), and are so not all held at once. `extra` pages are held."""

    def __init__(self, outputs: Outputs, named: Sequence[tuple[str, str]],
                 extra: Sequence[tuple[str, bytes]] = ()) -> None:
        self.outputs, self.named, self.extra = outputs, named, extra  # named: (URL, output)

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        for url, output in self.named:
            yield url, self.outputs[output]
        yield from self.extra

    def sources(self) -> Iterator[tuple[str, bytes | Path]]:
        """Each page's address and its bytes, or the cache file holding them, unread."""
        for url, output in self.named:
            yield url, self.outputs.source(output)
        yield from self.extra

    def __len__(self) -> int:
        return len(self.named) + len(self.extra)

    def __contains__(self, item: object) -> bool:
        return any(item == page for page in self)


def is_indexed(page: PageSpec) -> bool:
    """Products, and the first page of each unit and category, are searched."""
    return page.route.kind in INDEXED_KINDS and page.route.page == 1


def facet_file_name(lang: Language) -> str:
    """The facet file of a language, in the bundle's folder."""
    return f"facets.{lang}.json.gz"


def page_ids(bundle: Mapping[str, bytes],
             url_of: Callable[[bytes], str] | None = None) -> dict[str, str]:
    """Pagefind's page id (`id_40a011d`, its fragment's name) of every indexed URL, which each
    fragment holds (`url_of` a fragment's bytes: `PartIndexer.fragment_address`)."""
    prefix, suffix = "fragment/", ".pf_fragment"
    url_of = url_of or fragment_address
    return {url_of(data): name[len(prefix):-len(suffix)]
            for name, data in bundle.items() if name.startswith(prefix)}


def products_by_name(pages: Sequence[PageSpec], lang: Language) -> list[Product]:
    """The products that have a page in `lang`, by the name shown in it."""
    products = [p.context.product for p in pages
                if isinstance(p.context, ProductContext) and p.lang == lang]
    return sorted(products, key=lambda p: name_key(p, lang))


def to_json(data: object) -> bytes:
    """Compact JSON with sorted keys: the same bytes for the same data."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")
