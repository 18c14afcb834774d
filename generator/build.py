"""Build: the whole pipeline, load → validate → pages → render (+ search index) → write."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import images, load, opendata, pagecache, pocket, readiness, stamp, validate, write
from generator.admin import admin_outputs, decap_bundle
from generator.changes import Changes, compare, read_previous
from generator.downloads import products_data, to_json
from generator.errors import ContentErrors, Diagnostic, Location, error, is_failure
from generator.images import Photos
from generator.memo import Memo
from generator.model import Catalog
from generator.pages import check_paths, site_pages
from generator.render import render_site
from generator.search import search_index
from generator.translations import load_translations
from generator.urls import SiteUrls

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FALLBACK_DATE = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class BuildOptions:
    """What to build from, where to, and how strictly."""

    content_dir: Path = Path("content")
    output_dir: Path = Path("site")
    templates_dir: Path = DEFAULT_TEMPLATES
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path = Path(".cache")  # kept between builds: photos in images/, Decap in decap/,
    # pocket-catalogue PDFs in pocket/
    today: dt.date | None = None  # sales dated later are errors; None checks no date
    workers: int | None = None  # processes rendering photos; None: one per core
    previous_dir: Path | None = None  # the previous published site; None: the output folder
    cached_pages: bool = True  # reuse pages and the search index rendered by earlier builds
    pocket: bool = True  # make the pocket-catalogue PDFs (`--no-pdf`: skip them)

    @property
    def photo_cache(self) -> Path:
        return self.cache_dir / "images"


@dataclass(frozen=True)
class BuildResult:
    """The rendered site, its photos and the warnings met on the way."""

    outputs: Mapping[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    photos: Photos = field(default_factory=Photos)  # `.files`: site path → file in the cache
    unchanged_files: int | None = None  # nothing had changed: the site already had these files
    catalog: Catalog | None = None  # what was rendered, for the dev server's quick previews
    book: readiness.ReadinessBook | None = None  # its e-catalogue readiness
    date: dt.date | None = None  # `build_date`
    search: Callable[[], dict[str, bytes]] | None = None  # the search bundle, when left for
    # later (`render(search_later=True)`); meanwhile the last one is in `outputs`


class Superseded(Exception):
    """The content changed while this build rendered; it published nothing (dev server)."""


def check(options: BuildOptions) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate, photos included, writing nothing; raises `ContentErrors` when the
    content cannot be built."""
    catalog, diagnostics = _catalog(options)  # `check` writes nothing, not even a cache
    found = images.check_photos(catalog.photos, options.content_dir, options.photo_cache,
                                options.workers)
    return catalog, _verdict([*diagnostics, *found], options.strict)


def render(options: BuildOptions, store: pagecache.Store | None = None,
           search_later: bool = False) -> BuildResult:
    """The whole site as `{path: bytes}` plus its photos, rendered into the photo cache; the
    list of changes compares with the previous published build. Pages, Markdown and the
    search bundle rendered before come from `store` (by default the cache folder's). With
    `search_later`, when `store` holds a search bundle, that one stands in the outputs and
    `result.search` makes the new one (the dev server publishes the pages first)."""
    if store is None and options.cached_pages:
        store = pagecache.Store(folder=options.cache_dir)
    memo = store.start() if store is not None else None
    catalog, diagnostics = _catalog(options, memo)
    photos = images.publish_photos(catalog.photos, options.content_dir, options.photo_cache,
                                   options.workers)
    date = build_date(catalog)
    book = readiness.assess(catalog, date, readiness.photo_sizes(photos.pictures))
    changes = _changes(catalog, options.previous_dir or options.output_dir)
    pages = site_pages(catalog, date, opendata.changes_pages(catalog, changes))
    diagnostics = _verdict([*diagnostics, *photos.diagnostics, *check_paths(pages)],
                           options.strict)
    outputs = render_site(catalog, pages, options.templates_dir, photos.pictures,
                          readiness=book, store=store, workers=_workers(options))
    rendered = dict(outputs)
    search = functools.partial(pagecache.index_cached, store, lambda: search_index(
        pages, rendered, SiteUrls.of(catalog.site)))
    earlier = store.index if search_later and store is not None else None
    outputs.update(search() if earlier is None else earlier[1])
    outputs.update(_beside(outputs, _listing_files(catalog, book, changes, date, options,
                                                   memo)))
    if catalog.site.admin is not None:
        outputs.update(_admin(catalog, outputs, options.cache_dir))
    if store is not None:
        store.finish()
    return BuildResult(outputs, diagnostics, photos, catalog=catalog, book=book, date=date,
                       search=None if earlier is None else search)


def _listing_files(catalog: Catalog, book: readiness.ReadinessBook, changes: Changes,
                   date: dt.date, options: BuildOptions,
                   memo: Memo | None = None) -> dict[str, bytes]:
    """The listing-form sheets, changes.json, the data schemas and the pocket catalogues."""
    strings = load_translations(options.templates_dir / "i18n", catalog.site.languages[0])
    try:  # the spreadsheets pass through temporary files, the PDFs through the cache
        files = opendata.data_files(catalog, book, changes, strings, date, memo)
        if options.pocket:
            files.update(pocket.pocket_catalogues(catalog, options.templates_dir, date,
                                                  options.content_dir, options.cache_dir,
                                                  options.workers))
    except OSError as exc:
        raise write.WriteFailed(options.output_dir, exc.strerror or str(exc)) from None
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
    """This build's products against those published in `previous_dir`."""
    current = json.loads(to_json(products_data(catalog, SiteUrls.of(catalog.site))))
    return compare(read_previous(previous_dir), current, catalog.site.languages[0])


def _admin(catalog: Catalog, outputs: Mapping[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """The /admin/ form editor; a page of our own at admin/ would be hidden by it."""
    taken = sorted(name for name in outputs if name.startswith("admin/"))
    if taken:
        raise ContentErrors([error(
            Location("content/pages/admin.md"), "", "alamat admin/ dipakai penyunting formulir;"
            " ganti nama halaman ini", "admin/ is the form editor's address; rename this page")])
    return admin_outputs(catalog, decap_bundle(cache_dir))


def build(options: BuildOptions, store: pagecache.Store | None = None,
          gate: Callable[[], AbstractContextManager[bool]] | None = None, if_changed: bool = True,
          pages_first: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """Render, then publish into the output folder; the old site stays if anything fails.
    When nothing was changed since the last build (see `stamp`), nothing is done unless
    `if_changed` is False; `store` is where earlier renders are kept (by default the cache
    folder).

    The dev server publishes through `gate()`: held while publishing, it says whether this build
    is still wanted, and `Superseded` is raised when it is not. Given `pages_first`, the pages
    are published with the last search index (when the store holds one), `pages_first` is
    called with that result, and the new index follows: Pagefind takes longer than everything
    else after an edit."""
    write.check_output(options.output_dir, {"konten/content": options.content_dir,
                                            "templat/templates": options.templates_dir,
                                            "tembolok/cache": options.cache_dir})
    with write.build_lock(options.output_dir):
        inputs = stamp.inputs_digest(options) if options.cached_pages else ""
        kept = stamp.unchanged(options, inputs) if inputs and if_changed else None
        if kept is not None:
            return BuildResult(diagnostics=kept.diagnostics, unchanged_files=kept.files)
        result = render(options, store, search_later=pages_first is not None)
        site = _publish(options, result, gate)
        if pages_first is not None and result.search is not None:
            pages_first(result)
            earlier = set(store.index[1]) if store is not None and store.index else set()
            result = replace(result, search=None, outputs={
                **{k: v for k, v in result.outputs.items() if k not in earlier},
                **result.search()})
            site = _publish(options, result, gate)
        if inputs:
            stamp.record(options, inputs, site, len(result.outputs) + len(result.photos.files),
                         result.diagnostics)
    return result


def _publish(options: BuildOptions, result: BuildResult,
             gate: Callable[[], AbstractContextManager[bool]] | None) -> str:
    with gate() if gate else nullcontext(True) as wanted:
        if not wanted:
            raise Superseded
        return write.publish(result.outputs, options.output_dir, result.photos.files,
                             manifest(options))


def manifest(options: BuildOptions) -> Path | None:
    """Where the manifest of the last publish is kept (see `write`), when caching."""
    return options.cache_dir / "published.pickle" if options.cached_pages else None


def source_date() -> dt.date | None:
    """The day of `SOURCE_DATE_EPOCH` (UTC), when the environment sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None


def _catalog(options: BuildOptions,
             memo: Memo | None = None) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate the content; raises `ContentErrors` when there is an error. Files
    whose text `memo` has seen are not parsed or checked again."""
    sources = load.load_sources(options.content_dir, memo)
    catalog, diagnostics = validate.build_catalog(sources, options.drafts, options.base_url,
                                                  options.today, memo)
    if catalog is None:
        raise ContentErrors(diagnostics)
    return catalog, diagnostics


def _workers(options: BuildOptions) -> int:
    """Processes that render pages: `--jobs`, else one per core this process may use."""
    return options.workers or len(os.sched_getaffinity(0))


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
