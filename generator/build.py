"""Build: the whole pipeline, load → validate → pages → render → write, in one place."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import load, opendata, pocket, readiness, validate, write
from generator.admin import admin_outputs, decap_bundle
from generator.changes import Changes, compare, read_previous
from generator.downloads import products_data, to_json
from generator.errors import ContentErrors, Diagnostic, Location, error, is_failure
from generator.model import Catalog
from generator.pages import check_paths, media_files, site_pages
from generator.render import render_site
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
    cache_dir: Path = Path(".cache")  # survives builds: the Decap bundle, pocket PDFs
    today: dt.date | None = None  # sales dated later are errors; None checks no date
    previous_dir: Path | None = None  # the previous published site; None: the output folder


@dataclass(frozen=True)
class BuildResult:
    """The rendered site and the warnings met on the way."""

    outputs: Mapping[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()


def check(options: BuildOptions) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate; raises `ContentErrors` when the content cannot be built."""
    sources = load.load_sources(options.content_dir)
    catalog, diagnostics = validate.build_catalog(sources, options.drafts, options.base_url,
                                                  options.today)
    if catalog is None or is_failure(diagnostics, options.strict):
        raise ContentErrors(diagnostics)
    return catalog, diagnostics


def render(options: BuildOptions) -> BuildResult:
    """The whole site as `{path: bytes}`, from the sources and the previous published build."""
    catalog, diagnostics = check(options)
    date = build_date(catalog)
    book = readiness.assess(catalog, date, readiness.photo_sizes(catalog, options.content_dir))
    changes = _changes(catalog, options.previous_dir or options.output_dir)
    pages = site_pages(catalog, date, opendata.changes_pages(catalog, changes))
    problems = check_paths(pages)
    if problems:
        raise ContentErrors([*diagnostics, *problems])
    outputs = render_site(catalog, pages, options.templates_dir, readiness=book)
    for rel in media_files(catalog):
        outputs[f"media/{rel}"] = (options.content_dir / rel).read_bytes()
    strings = load_translations(options.templates_dir / "i18n", catalog.site.languages[0])
    try:  # the spreadsheets pass through temporary files, the PDFs through the cache
        files = opendata.data_files(catalog, book, changes, strings, date)
        files.update(pocket.pocket_catalogues(catalog, options.templates_dir, date,
                                              options.content_dir, options.cache_dir))
    except OSError as exc:
        raise write.WriteFailed(options.output_dir, exc.strerror or str(exc)) from None
    outputs.update(_beside(outputs, files))
    if catalog.site.admin is not None:
        outputs.update(_admin(catalog, outputs, options.cache_dir))
    return BuildResult(outputs, diagnostics)


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


def build(options: BuildOptions) -> BuildResult:
    """Render, then publish into the output folder; the old site stays if anything fails."""
    write.check_output(options.output_dir, {"konten/content": options.content_dir,
                                            "templat/templates": options.templates_dir})
    with write.build_lock(options.output_dir):
        result = render(options)
        write.publish(result.outputs, options.output_dir)
    return result


def source_date() -> dt.date | None:
    """The day of `SOURCE_DATE_EPOCH` (UTC), when the environment sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None


def build_date(catalog: Catalog) -> dt.date:
    """The date printed in feeds: SOURCE_DATE_EPOCH when set, else the newest content date."""
    epoch = source_date()
    if epoch is not None:
        return epoch
    dates = [p.added for p in catalog.products if p.added]
    dates += [t.date for t in catalog.transactions]
    return max(dates, default=FALLBACK_DATE)
