"""Pocket catalogue ("Katalog saku"): a `Catalog` → print-ready PDFs, one per unit, one for all.

Each PDF is an A5 booklet in the site's default language: a cover, contents by category (with
page numbers), then one section per category with one card per product: its first photo or a
placeholder, price, unit, capacity and lead time, and QR codes to its product page and, when it
is live, its e-catalogue listing. The HTML comes from `templates/pocket/catalogue.html` through
the site's own Jinja environment; WeasyPrint turns it into PDF.

WeasyPrint takes a second or more per catalogue, so each PDF is kept in the build cache
(`<cache>/pocket/<sha256>.pdf`) under the digest of everything it is made from: the HTML
(styles inlined, QR codes by their URL), the bytes of its photos and the versions of WeasyPrint
and segno. A build whose
catalogues did not change renders none; the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment

from generator.memo import keep
from generator.model import Catalog, Category, Facility, Product
from generator.pages import product_image, sort_products
from generator.processes import run_jobs
from generator.render import make_environment
from generator.translations import load_translations
from generator.urls import Route, SiteUrls

PDF_OPTIONS = {"optimize_images": True, "jpeg_quality": 80, "dpi": 200}


@dataclass(frozen=True)
class Card:
    """One product in the booklet: its photo file (or None) and where its QR codes lead."""

    product: Product
    photo: Path | None  # the first content photo
    page_url: str
    listing_url: str | None  # the e-catalogue listing, when live

    @property
    def photo_uri(self) -> str | None:
        return self.photo.as_uri() if self.photo else None


@dataclass(frozen=True)
class Section:
    category: Category
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Pocket:
    """One catalogue: a unit's (or every unit's when `facility` is None) products by category."""

    facility: Facility | None
    sections: tuple[Section, ...]
    home_url: str  # the unit page, or the site's home

    @property
    def count(self) -> int:
        return sum(len(s.cards) for s in self.sections)


@functools.cache  # a product's code is on its unit's catalogue and on the region's
def qr_uri(url: str) -> str:
    """A QR code of `url` as an SVG `data:` URI, black on white, medium error correction."""
    return str(segno.make(url, error="m").svg_data_uri(border=0, dark="#000"))


def _card(product: Product, urls: SiteUrls, content_dir: Path) -> Card:
    lang = urls.default_language
    photo = None
    if product.images:
        photo = (content_dir / product_image(product, product.images[0])).resolve()
    page_url = urls.absolute(Route("product", product.slug), lang)
    listing = product.ekatalog.url if product.is_live and product.ekatalog else None
    return Card(product, photo, page_url, listing)


def make_pocket(catalog: Catalog, facility: Facility | None, urls: SiteUrls,
                content_dir: Path) -> Pocket:
    """The catalogue of one unit, or of the whole region."""
    lang = urls.default_language
    products = catalog.products_of(facility) if facility else catalog.products
    categories = sorted(catalog.categories, key=lambda c: (c.name.casefold(), c.slug))
    sections = []
    for category in categories:
        mine = sort_products((p for p in products if p.category == category.slug), "name", lang)
        if mine:
            sections.append(Section(category, tuple(_card(p, urls, content_dir) for p in mine)))
    home = Route("facility", facility.slug) if facility else Route("home")
    return Pocket(facility, tuple(sections), urls.absolute(home, lang))


def pocket_html(pocket: Pocket, env: Environment, as_of: dt.date,
                qr: Callable[[str], str] = qr_uri) -> str:
    """The booklet as one HTML document, styles and QR codes (`qr(url)`) inlined."""
    return env.get_template("pocket/catalogue.html").render(pocket=pocket, as_of=as_of, qr=qr)


def pocket_key(pocket: Pocket, env: Environment, as_of: dt.date) -> str:
    """The digest of all a booklet is made from; its QR codes count by their URL and segno's
    version, as drawing them takes longer than everything else of a cached booklet."""
    html = pocket_html(pocket, env, as_of, qr=lambda url: f"qr:{url}")
    versions = [importlib.metadata.version(name) for name in ("weasyprint", "segno")]
    digest = hashlib.sha256(f"{versions}\n{PDF_OPTIONS}\n{html}".encode())
    for section in pocket.sections:
        for card in section.cards:
            if card.photo:
                digest.update(card.photo.read_bytes())
    return digest.hexdigest()


def _weasyprint() -> Any:  # the module, untyped
    """WeasyPrint, imported only when a PDF is made (it takes a third of a second).

    Importing it sets Pillow's `LOAD_TRUNCATED_IMAGES` for the whole process, which would let
    the photo step publish photos that were cut short; the setting is put back.
    """
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def render_pdf(html: str, base: Path) -> bytes:
    """WeasyPrint's PDF of `html`; photos are `file://` URIs inside the content folder.

    Only `file:` and `data:` URLs are fetched, so nothing in a catalogue reaches the network,
    and a photo that cannot be read stops the build rather than leaving a hole.
    """
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher)
    return bytes(document.write_pdf(**PDF_OPTIONS))


def pocket_name(facility: Facility | None) -> str:
    """`katalog-saku.pdf` for the region, `katalog-saku-<unit>.pdf` for a unit."""
    return f"katalog-saku-{facility.slug}.pdf" if facility else "katalog-saku.pdf"


def pocket_catalogues(catalog: Catalog, templates_dir: Path, as_of: dt.date,
                      content_dir: Path, cache_dir: Path,
                      workers: int | None = None) -> dict[str, bytes]:
    """Every PDF, keyed by output path: the region's and each unit's that has products. Those
    not in the cache render in `workers` processes (one per core by default)."""
    urls = SiteUrls.of(catalog.site)
    lang = urls.default_language
    strings = {lang: load_translations(templates_dir / "i18n", lang)}
    env = make_environment(templates_dir, catalog, urls, strings, lang)
    owners: Sequence[Facility | None] = [
        None, *(f for f in catalog.facilities if catalog.products_of(f))]
    outputs: dict[str, bytes] = {}
    todo: dict[str, tuple[Path, str]] = {}  # output → (cache file, HTML) of PDFs to render
    for facility in owners if catalog.products else ():
        pocket = make_pocket(catalog, facility, urls, content_dir)
        name = urls.output(Route("data", pocket_name(facility)), urls.default_language)
        target = cache_dir / "pocket" / f"{pocket_key(pocket, env, as_of)}.pdf"
        if target.is_file():
            outputs[name] = target.read_bytes()
        else:
            todo[name] = (target, pocket_html(pocket, env, as_of))
    rendered = run_jobs(render_pdf, [(html, content_dir) for _, html in todo.values()], workers)
    for (name, (target, _)), pdf in zip(todo.items(), rendered, strict=True):
        keep(target, pdf)
        outputs[name] = pdf
    return dict(sorted(outputs.items()))
