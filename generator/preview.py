"""Preview: the dev server's quick render of an edited product, ahead of the full rebuild.

When an editor saves a product file, `etalase serve` renders that product's own pages (one per
language) from the catalogue of the last build with the new record in place of the old,
writes them into the site (`write.patch`) and reloads the browser: milliseconds, whatever the
size of the catalogue. The full rebuild follows in the background and brings up to date every
other page that shows the product (listings, its unit and category, statistics, search).
`tests/test_preview.py` holds the quick pages byte-identical to the full build's.

An edit the quick render cannot show exactly gets no preview, and waits for the full rebuild,
which also prints its messages: any file but a product's; a new, deleted or draft product; a
changed unit, category, SKU, photo list or draft state; a date that moves the build date; a
file with an error (or, with `--strict`, a warning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from generator import load, quality, readiness
from generator.build import BuildOptions, BuildResult
from generator.errors import Diagnostic, is_failure
from generator.imaging import Picture
from generator.markup import to_html
from generator.model import Catalog, Language, Product
from generator.pages import product_pages
from generator.pipeline import build_date
from generator.render import compiled_templates, make_environment, render_page
from generator.translations import load_translations
from generator.urls import SiteUrls
from generator.validate import check_record

# What places a product among the others; an edit to one of them needs the full rebuild.
PLACING = ("facility", "category", "sku", "images", "draft")


@dataclass
class Preview:
    """The last build's catalogue, readiness and Jinja environments, and the edits since."""

    options: BuildOptions
    catalog: Catalog
    book: readiness.ReadinessBook
    date: dt.date
    pictures: Mapping[str, Picture]
    envs: Mapping[Language, Environment]

    @classmethod
    def of(cls, options: BuildOptions, result: BuildResult) -> Preview | None:
        """Ready to preview edits to what `result` rendered; None for a build that rendered
        nothing (the site was already up to date)."""
        if result.catalog is None or result.book is None or result.date is None:
            return None
        catalog, pictures = result.catalog, result.photos.pictures
        urls = SiteUrls.of(catalog.site)
        strings = {lang: load_translations(options.templates_dir / "i18n", lang)
                   for lang in catalog.site.languages}
        compiled = (compiled_templates(options.cache_dir, options.templates_dir,
                                       catalog.site.languages) if options.cached_pages else {})
        envs = {lang: make_environment(options.templates_dir, catalog, urls, strings, lang,
                                       pictures, compiled.get(lang))
                for lang in catalog.site.languages}
        preview = cls(options, catalog, result.book, result.date, pictures, envs)
        if catalog.products:  # templates loaded (as the build compiled them) and caches filled
            # now, not at the first edit
            to_html("")
            preview._render(catalog, catalog.products[0], result.book)
        return preview

    def product(self, path: Path) -> dict[str, bytes] | None:
        """The pages of the product in the saved file `path`, rendered anew (site path →
        bytes), or None when this edit needs the full rebuild."""
        record = self._record(path)
        if record is None:
            return None
        catalog = self.catalog.with_product(record)
        if record.added != self.catalog.product(record.slug).added and (
                build_date(catalog) != self.date):
            return None
        book = readiness.reassess(self.book, catalog, record, self.date,
                                  readiness.photo_sizes(self.pictures))
        outputs = self._render(catalog, record, book)
        self.catalog, self.book = catalog, book
        return outputs

    def _render(self, catalog: Catalog, product: Product,
                book: readiness.ReadinessBook) -> dict[str, bytes]:
        urls = SiteUrls.of(catalog.site)
        outputs = {}
        for page in product_pages(catalog, product, self.date):
            env = self.envs[page.lang]
            env.globals["readiness"] = book
            outputs[page.output] = render_page(page, env, catalog, urls)
        return outputs

    def _record(self, path: Path) -> Product | None:
        """The product saved in `path`, when it is valid and keeps its place in the catalogue."""
        content = self.options.content_dir
        try:
            rel = path.resolve().relative_to(content.resolve()).as_posix()
        except ValueError:
            return None
        if load.classify(rel) != "product":
            return None
        doc = load.parse_document("product", content / rel, rel)
        if isinstance(doc, Diagnostic):
            return None
        record, found = check_record(doc, Product, "description", to_html)
        if record is None:
            return None
        found += quality.product_warnings(record, doc, self.options.today)
        if is_failure(found, self.options.strict):
            return None
        try:
            old = self.catalog.product(record.slug)
        except KeyError:  # a new product, or a draft
            return None
        return None if any(getattr(old, f) != getattr(record, f) for f in PLACING) else record
