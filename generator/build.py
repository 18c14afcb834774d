"""Build: load → validate → pages → render (+ search index) → write, with nothing done when
nothing changed (see `stamp`).

The stages themselves are in `pipeline`, imported only once a build has something to do: their
imports (pydantic, Jinja, XlsxWriter, WeasyPrint, Pillow) take about 0.3 s, which an unchanged
build does not pay.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import stamp, write
from generator.errors import Diagnostic
from generator.imaging import Photos
from generator.timings import Stage, Stopwatch

if TYPE_CHECKING:
    from generator import pagecache
    from generator.model import Catalog
    from generator.readiness import ReadinessBook

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
    search_part_size: int | None = 2_500  # products per part of the search index; None: one

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
    book: ReadinessBook | None = None  # its e-catalogue readiness
    date: dt.date | None = None  # `build_date`
    search: Callable[[], Mapping[str, bytes]] | None = None  # `outputs` with a new search bundle,
    # when it was left for later (`render(search_later=True)`): meanwhile the last one is in
    stages: tuple[Stage, ...] = ()  # how long each stage took (`timings`)


class Superseded(Exception):
    """The content changed while this build rendered; it published nothing (dev server)."""


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
    watch = Stopwatch()
    with write.build_lock(options.output_dir), collector_paused():
        with watch.stage("stamp"):
            walked = _walks_output(options, if_changed or pages_first is None)
            inputs, site = stamp.digests(options, walked) if options.cached_pages else ("", None)
            last = stamp.last(options) if inputs else None
            kept = stamp.unchanged(last, inputs, site) if if_changed else None
        if kept is not None:
            return BuildResult(diagnostics=kept.diagnostics, unchanged_files=kept.files,
                               stages=tuple(watch.stages))
        from generator.pipeline import render  # only now: see this module's docstring

        with watch.stage("stamp"):  # and whether the site folder is as last published
            if walked or not options.output_dir.is_dir():  # else `site` is not known
                _forget_files_written_through_the_site(options, stamp.left_since(last, site))
            staging = write.Staging.begin(options.output_dir, manifest(options), site) \
                if pages_first is None else None
        with staging or nullcontext():  # if not, its staging starts as pages are made
            result = render(options, store, search_later=pages_first is not None,
                            ahead=staging.add if staging is not None else None)
            watch.stages += result.stages
            with watch.stage("publish"):
                site = _publish(options, result, gate, staging)
        if pages_first is not None and result.search is not None:
            pages_first(result)
            with watch.stage("search"):
                result = replace(result, search=None, outputs=result.search())
            with watch.stage("publish"):
                site = _publish(options, result, gate)
        if inputs:
            with watch.stage("stamp"):
                stamp.record(options, inputs, site,
                             len(result.outputs) + len(result.photos.files), result.diagnostics)
    return replace(result, stages=tuple(watch.stages))


def _walks_output(options: BuildOptions, checked: bool) -> bool:
    """Whether the output folder is walked as the build begins: when its digest will be
    `checked` against the last build's stamp or the last publish's manifest, if either is
    kept."""
    kept = (stamp.path(options), manifest(options))
    return checked and options.output_dir.is_dir() and any(
        path is not None and path.is_file() for path in kept)


def _forget_files_written_through_the_site(options: BuildOptions, since: int | None) -> None:
    """The site's pages and photos are hard links to their files in the cache (`write.Outputs`,
    `images.publish_photos`): a tool that wrote into one in place (an image optimiser, a
    script adding a line to each page), rather than through a new file, changed the cached
    file too, which would be published again and again. When the site no longer stands as the
    last build left it, which ended at `since` (ns; `stamp.left_since`), the files in the
    subfolders of the cache's page and photo folders changed at or after then are deleted, and
    made again. A file's time is kept to a few milliseconds (the clock tick), so a file written
    in the tick the build ended is made again rather than one written into just after it kept.
    At 10,000 products the 24,874 page files are asked their time in 0.07 s, only when the
    site was changed. A cache folder copied without its files' times (tar, zip and `cp -p`
    keep them) looks changed, and is made again the first time."""
    if since is None:
        return
    for folder in (options.cache_dir / "pages", options.photo_cache):
        for name, entry in write.walk(folder):
            if "/" in name and not entry.is_dir(follow_symlinks=False) \
                    and entry.stat(follow_symlinks=False).st_mtime_ns >= since:
                os.unlink(entry.path)  # the folder's own files are memos, never published


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a build runs, then let run again as it was.
    A build makes hundreds of thousands of long-lived objects (records, parsed files, the
    memo, the list of pages), and each full collection went through all of them again: at
    10,000 products an edit's build took 15.9 and 16.2 s with it, 12.9 and 13.1 s without, the
    memo alone 0.70 s to read instead of 0.18 s. What a build throws away is freed as it goes,
    by reference counting: rendering 3,000 pages left 44 objects in cycles, and the build's
    peak memory was the same. Processes forked meanwhile (render workers) inherit the pause."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _publish(options: BuildOptions, result: BuildResult,
             gate: Callable[[], AbstractContextManager[bool]] | None,
             staging: write.Staging | None = None) -> str:
    with gate() if gate else nullcontext(True) as wanted:
        if not wanted:
            raise Superseded
        return write.publish(result.outputs, options.output_dir, result.photos.files,
                             manifest(options), staging)


def manifest(options: BuildOptions) -> Path | None:
    """Where the manifest of the last publish is kept (see `write`), when caching."""
    return options.cache_dir / "published.pickle" if options.cached_pages else None


def source_date() -> dt.date | None:
    """The day of `SOURCE_DATE_EPOCH` (UTC), when the environment sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None
