"""Pipeline: the stages of a build, load → validate → pages → render (+ search index), as
`{path: bytes}` for `build` to publish; `check` runs the first two only."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from generator import images, load, opendata, pagecache, pocket, readiness, validate, write
from generator.admin import admin_outputs, decap_bundle
from generator.build import BuildOptions, BuildResult, collector_paused, source_date
from generator.changes import Changes, compare, read_previous
from generator.downloads import products_data
from generator.errors import ContentErrors, Diagnostic, Location, error, is_failure
from generator.memo import Memo
from generator.model import Catalog
from generator.pages import check_paths, site_pages
from generator.processes import cores, give_back_memory, give_large_blocks_back
from generator.render import compiled_templates, compiling_ahead, render_site
from generator.search import search_index
from generator.search_bundle import part_count
from generator.timings import Stopwatch
from generator.translations import load_translations
from generator.urls import SiteUrls

FALLBACK_DATE = dt.date(2024, 1, 1)


def check(options: BuildOptions) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate, photos included, writing nothing; raises `ContentErrors` when the
    content cannot be built."""
    with collector_paused():  # see there
        catalog, diagnostics = _catalog(options)  # `check` writes nothing, not even a cache
        found = images.check_photos(catalog.photos, options.content_dir, options.photo_cache,
                                    options.workers)
    return catalog, _verdict([*diagnostics, *found], options.strict)


def render(options: BuildOptions, store: pagecache.Store | None = None,
           search_later: bool = False,
           ahead: Callable[[Mapping[str, bytes | Path]], None] | None = None) -> BuildResult:
    """The whole site as `{path: bytes}` plus its photos, rendered into the photo cache; the
    list of changes compares with the previous published build. Pages, Markdown and the
    search bundle rendered before come from `store` (by default the cache folder's). With
    `search_later`, when `store` holds a search bundle, that one stands in the outputs and
    `result.search` makes the new one (the dev server publishes the pages first). `ahead` is
    handed files as soon as they are final (`write.Staging.add`): the photos and pages once
    rendered, the search index once made; the data files, made last, are not."""
    ahead = ahead or (lambda files: None)
    if store is None and options.cached_pages:
        store = pagecache.Store(folder=options.cache_dir)
    give_large_blocks_back()
    watch = Stopwatch()
    with watch.stage("memo"):
        memo = store.start() if store is not None else None
    catalog, diagnostics = _catalog(options, memo, watch)
    del memo  # parsed files: `store` keeps them, or writes them and lets them go (`checked`)
    if store is not None:
        with watch.stage("keep"):
            store.checked()
    give_back_memory()  # before the renderers fork, and after each heavy stage
    compiled = (compiled_templates(store.folder, options.templates_dir, catalog.site.languages)
                if store is not None and store.folder is not None else None)
    with compiling_ahead(catalog, options.templates_dir, compiled) as all_compiled:
        with watch.stage("photos"):
            photos = images.publish_photos(catalog.photos, options.content_dir,
                                           options.photo_cache, options.workers)
        date = build_date(catalog)
        with watch.stage("readiness"):
            book = readiness.assess(catalog, date, readiness.photo_sizes(photos.pictures))
        with watch.stage("changes"):
            changes = _changes(catalog, options.previous_dir or options.output_dir)
        parts = part_count(len(catalog.products), options.search_part_size)
        with watch.stage("pages"):
            pages = site_pages(catalog, date, opendata.changes_pages(catalog, changes), parts)
        diagnostics = _verdict([*diagnostics, *photos.diagnostics, *check_paths(pages)],
                               options.strict)
        with watch.stage("templates"):
            all_compiled()
    with watch.stage("render"):
        outputs = render_site(catalog, pages, options.templates_dir, photos.pictures,
                              readiness=book, store=store, workers=_workers(options),
                              compiled=compiled)
    ahead(photos.files)
    ahead(outputs)
    give_back_memory()
    earlier = store.search if search_later and store is not None else None
    data = _DataFiles(lambda: _listing_files(catalog, book, changes, date, options,
                                             store.sheets if store is not None else None))
    search = functools.partial(pagecache.search_cached, store, lambda indexer: search_index(
        pages, outputs, SiteUrls.of(catalog.site), parts, indexer, _workers(options),
        data.begin))
    with data, watch.stage("search"):
        index = search() if earlier is None else earlier
    outputs.update(index)
    ahead(index)

    def with_new_search() -> write.Outputs:
        fresh = outputs.without(earlier or {})
        fresh.update(search())
        return fresh

    with watch.stage("data"):
        outputs.update(_beside(outputs, data.result()))
        if catalog.site.admin is not None:
            outputs.update(_admin(catalog, outputs, options.cache_dir))
    if store is not None:
        with watch.stage("keep"):
            store.finish()
    return BuildResult(outputs, diagnostics, photos, catalog=catalog, book=book, date=date,
                       search=None if earlier is None else with_new_search,
                       stages=tuple(watch.stages))


class _DataFiles:
    """The data files, made in a thread of their own from when the search index has one part
    left to make (`begin`, from any thread; Pagefind then leaves a core idle), or else once
    the block it guards ends; `result` waits for them. When the block fails they are not
    begun, or waited for if they were."""

    def __init__(self, work: Callable[[], dict[str, bytes]]) -> None:
        self.work = work
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(1)
        self.made: Future[dict[str, bytes]] | None = None

    def begin(self) -> None:
        with self.lock:
            if self.made is None:
                self.made = self.pool.submit(self.work)

    def result(self) -> dict[str, bytes]:
        assert self.made is not None  # begun at the latest when the block ended
        try:
            return self.made.result()
        finally:
            self.pool.shutdown()

    def __enter__(self) -> _DataFiles:
        return self

    def __exit__(self, failed: type[BaseException] | None, *_: object) -> None:
        if failed is None:
            self.begin()
        else:  # the search index's threads are done: nothing begins them any more
            self.pool.shutdown()


def _listing_files(catalog: Catalog, book: readiness.ReadinessBook, changes: Changes,
                   date: dt.date, options: BuildOptions,
                   memo: Memo | None = None) -> dict[str, bytes]:
    """The listing-form sheets, changes.json, the data schemas and the pocket catalogues."""
    strings = load_translations(options.templates_dir / "i18n", catalog.site.languages[0])
    try:  # the spreadsheets pass through temporary files, the PDFs through the cache
        files = opendata.data_files(catalog, book, changes, strings, date, memo,
                                         _workers(options))
        if options.pocket:
            files.update(pocket.pocket_catalogues(catalog, options.templates_dir, date,
                                                  options.content_dir, options.cache_dir,
                                                  options.workers))
    except OSError as exc:
        raise write.WriteFailed(options.output_dir, exc) from None
    return files


def _beside(outputs: Mapping[str, bytes], files: dict[str, bytes]) -> dict[str, bytes]:
    """Files made beside the pages; one that would replace a page's file is a content error
    (a unit whose slug names a statistics table: `data/ekatalog-pipeline.csv`)."""
    taken = sorted(outputs.keys() & files.keys())
    if taken:
        raise ContentErrors([error(
            Location("content/facilities"), "", f"berkas {taken[0]} dibuat dua kali; ganti slug"
            " unit yang memakai nama itu", f"the file {taken[0]} would be made twice; rename"
            " the unit whose slug takes that name")])
    return files


def _changes(catalog: Catalog, previous_dir: Path) -> Changes:
    """This build's products against those published in `previous_dir`; their data is
    already as `products.json` reads back (`tests/test_changes.py` holds it to that), so it
    makes no trip through JSON (0.4 s at 10,000 products). With nothing published there,
    only their count is needed."""
    previous = read_previous(previous_dir)
    if previous is None:
        return Changes(None, len(catalog.products))
    current = products_data(catalog, SiteUrls.of(catalog.site))
    return compare(previous, current, catalog.site.languages[0])


def _admin(catalog: Catalog, outputs: Mapping[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """The /admin/ form editor; a page of our own at admin/ would be hidden by it."""
    taken = sorted(name for name in outputs if name.startswith("admin/"))
    if taken:
        raise ContentErrors([error(
            Location("content/pages/admin.md"), "", "alamat admin/ dipakai penyunting formulir;"
            " ganti nama halaman ini", "admin/ is the form editor's address; rename this page")])
    return admin_outputs(catalog, decap_bundle(cache_dir))


def _catalog(options: BuildOptions, memo: Memo | None = None,
             watch: Stopwatch | None = None) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate the content; raises `ContentErrors` when there is an error. Files
    whose text `memo` has seen are not parsed or checked again."""
    watch = watch or Stopwatch()
    with watch.stage("load"):
        sources = load.load_sources(options.content_dir, memo, _workers(options))
    with watch.stage("check"):
        catalog, diagnostics = validate.build_catalog(sources, options.drafts,
                                                      options.base_url, options.today, memo,
                                                      _workers(options))
    if catalog is None:
        raise ContentErrors(diagnostics)
    return catalog, diagnostics


def _workers(options: BuildOptions) -> int:
    """Processes that render pages: `--jobs`, else one per core this process may use."""
    return options.workers or cores()


def _verdict(diagnostics: list[Diagnostic], strict: bool) -> tuple[Diagnostic, ...]:
    """The diagnostics, when they let the build go on; else `ContentErrors` is raised."""
    if is_failure(diagnostics, strict):
        raise ContentErrors(diagnostics)
    return tuple(diagnostics)


def build_date(catalog: Catalog) -> dt.date:
    """The date printed in feeds: SOURCE_DATE_EPOCH when set, else the newest content date."""
    epoch = source_date()
    if epoch is not None:
        return epoch
    dates = [p.added for p in catalog.products if p.added]
    dates += [t.date for t in catalog.transactions]
    return max(dates, default=FALLBACK_DATE)
