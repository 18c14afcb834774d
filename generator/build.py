"""Build: the whole pipeline, load → validate → pages → render (+ search index) → write."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import load, validate, write
from generator.errors import ContentErrors, Diagnostic, is_failure
from generator.model import Catalog
from generator.pages import check_paths, media_files, site_pages
from generator.render import render_site
from generator.search import search_index
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


@dataclass(frozen=True)
class BuildResult:
    """The rendered site and the warnings met on the way."""

    outputs: Mapping[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()


def check(options: BuildOptions) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Load and validate; raises `ContentErrors` when the content cannot be built."""
    sources = load.load_sources(options.content_dir)
    catalog, diagnostics = validate.build_catalog(sources, options.drafts, options.base_url)
    if catalog is None or is_failure(diagnostics, options.strict):
        raise ContentErrors(diagnostics)
    return catalog, diagnostics


def render(options: BuildOptions) -> BuildResult:
    """The whole site as `{path: bytes}`, without touching the disk outside the sources."""
    catalog, diagnostics = check(options)
    pages = site_pages(catalog, build_date(catalog))
    problems = check_paths(pages)
    if problems:
        raise ContentErrors([*diagnostics, *problems])
    outputs = render_site(catalog, pages, options.templates_dir)
    outputs.update(search_index(pages, outputs, SiteUrls.of(catalog.site)))
    for rel in media_files(catalog):
        outputs[f"media/{rel}"] = (options.content_dir / rel).read_bytes()
    return BuildResult(outputs, diagnostics)


def build(options: BuildOptions) -> BuildResult:
    """Render, then publish into the output folder; the old site stays if anything fails."""
    write.check_output(options.output_dir, {"konten/content": options.content_dir,
                                            "templat/templates": options.templates_dir})
    result = render(options)
    write.publish(result.outputs, options.output_dir)
    return result


def build_date(catalog: Catalog) -> dt.date:
    """The date printed in feeds: SOURCE_DATE_EPOCH when set, else the newest content date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    dates = [p.added for p in catalog.products if p.added]
    dates += [t.date for t in catalog.transactions]
    return max(dates, default=FALLBACK_DATE)
