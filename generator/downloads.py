"""Downloads: a `Catalog` → the data files and structured data made by Python, not templates.

`/data/products.json`, `/data/products.csv`, `/data/facilities.json`, `/data/stats.json` and the
statistics tables (both made by `exports`), and the schema.org JSON-LD of product, unit and home
pages (built as data, serialised once by `script_json`). JSON has sorted keys, two-space indent
and a final newline; CSV is UTF-8 without BOM, with a header row and `\\r\\n` line ends
(RFC 4180), one row per product in slug order, formula-like text quoted (`exports`). Links are
absolute so the files are useful once downloaded.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generator import exports
from generator.contexts import DownloadContext
from generator.model import Catalog, Contact, Facility, Language, Product
from generator.pages import facility_photo, product_image
from generator.stats import SCHEMA_VERSION
from generator.urls import Route, SiteUrls, photo_path

CSV_COLUMNS = (
    "id", "slug", "name", "name_en", "facility", "facility_name", "category", "unit", "price",
    "availability", "min_order", "stock", "capacity_per_month", "lead_time_days", "sku",
    "brand", "ekatalog_status", "ekatalog_url", "tkdn_percent", "added", "url",
)
# Every unit of this catalogue is in one province; schema.org wants it spelled out.
ADDRESS_REGION = "Banten"
ADDRESS_COUNTRY = "ID"
_SCHEMA_AVAILABILITY = {
    "available": "https://schema.org/InStock", "made-to-order": "https://schema.org/MadeToOrder",
    "out-of-stock": "https://schema.org/OutOfStock",
    "discontinued": "https://schema.org/Discontinued",
}


def to_json(data: object) -> bytes:
    """Stable JSON: sorted keys, UTF-8 text kept readable, final newline. Encoded a batch of
    pieces at a time: `json.dumps` would hold every piece of the text, then the text, then its
    bytes, about four times the file (`products.json` is 140 MB at 50,000 products)."""
    out = io.BytesIO()
    pieces = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2).iterencode(data)
    while batch := "".join(itertools.islice(pieces, 100_000)):
        out.write(batch.encode())
    out.write(b"\n")
    return out.getvalue()


def render_download(context: DownloadContext, catalog: Catalog, urls: SiteUrls) -> bytes:
    """The bytes of one data file, by name."""
    makers: dict[str, Callable[[], bytes]] = {
        "products.json": lambda: to_json({"schema_version": SCHEMA_VERSION,
                                          "products": products_data(catalog, urls)}),
        "products.csv": lambda: products_csv(catalog, urls),
        "facilities.json": lambda: to_json({"schema_version": SCHEMA_VERSION,
                                            "facilities": facilities_data(catalog, urls)}),
        "stats.json": lambda: to_json(exports.stats_json(catalog, context.stats,
                                                         context.as_of)),
    }
    if context.name in makers:
        return makers[context.name]()
    table = context.name.rsplit("/", 1)[-1].removesuffix(".csv")
    return exports.table_csv(catalog, context.stats, table)


def _page_urls(urls: SiteUrls, route: Route) -> dict[str, str]:
    return {lang: urls.absolute(route, lang) for lang in urls.languages}


def _media_url(urls: SiteUrls, path: str) -> str:
    """Absolute URL of the content photo at `path`, published as its largest JPEG."""
    return urls.absolute(Route("media", photo_path(path)), urls.default_language)


def _product_data(product: Product, catalog: Catalog, urls: SiteUrls) -> dict[str, Any]:
    listing = product.ekatalog
    return {
        **product.model_dump(mode="json", exclude={"source", "path", "body", "body_html",
                                                   "en_body_html", "images", "ekatalog", "en"}),
        "id": product.slug,  # the stable identifier: see opendata.py
        "name_en": product.en.name,
        "facility_name": catalog.facility(product.facility).name,
        "description": product.body,
        "description_en": product.en.description,
        "ekatalog": listing.model_dump(mode="json") if listing else None,
        "images": [_media_url(urls, product_image(product, i)) for i in product.images],
        "urls": _page_urls(urls, Route("product", product.slug)),
    }


def products_data(catalog: Catalog, urls: SiteUrls) -> list[dict[str, Any]]:
    """Every product as plain data, in slug order."""
    ordered = sorted(catalog.products, key=lambda p: p.slug)
    return [_product_data(p, catalog, urls) for p in ordered]


def _csv_row(product: Product, catalog: Catalog, urls: SiteUrls) -> tuple[object, ...]:
    listing = product.ekatalog
    tkdn = listing.tkdn.percent if listing and listing.tkdn else None
    return (
        product.slug, product.slug, product.name, product.en.name, product.facility,
        catalog.facility(product.facility).name, product.category, product.unit,
        product.price, product.availability, product.min_order, product.stock,
        product.capacity_per_month, product.lead_time_days, product.sku, product.brand,
        listing.status if listing else None, listing.url if listing else None, tkdn,
        product.added.isoformat() if product.added else None,
        urls.absolute(Route("product", product.slug), urls.default_language),
    )


def products_csv(catalog: Catalog, urls: SiteUrls) -> bytes:
    """Every product, one row each, for a spreadsheet; empty cells where a field is unset."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for product in sorted(catalog.products, key=lambda p: p.slug):
        writer.writerow([exports.spreadsheet_cell(v) for v in _csv_row(product, catalog, urls)])
    return buffer.getvalue().encode("utf-8")


def _facility_data(facility: Facility, catalog: Catalog, urls: SiteUrls) -> dict[str, Any]:
    products = catalog.products_of(facility)
    photo = facility_photo(facility)
    return {
        **facility.model_dump(mode="json", by_alias=True, exclude={
            "source", "path", "body", "body_html", "en_body_html", "photo", "en", "pnbp_targets"}),
        "name_en": facility.en.name,
        "profile": facility.body,
        "profile_en": facility.en.profile,
        "pnbp_targets": {str(year): amount for year, amount in facility.pnbp_targets.items()},
        "photo": _media_url(urls, photo) if photo else None,
        "products": len(products),
        "ekatalog_live": sum(p.is_live for p in products),
        "urls": _page_urls(urls, Route("facility", facility.slug)),
    }


def facilities_data(catalog: Catalog, urls: SiteUrls) -> list[dict[str, Any]]:
    """Every unit as plain data, in slug order."""
    ordered = sorted(catalog.facilities, key=lambda f: f.slug)
    return [_facility_data(f, catalog, urls) for f in ordered]


def script_json(data: object) -> Markup:
    """JSON safe inside a `<script>` element: no `<`, `>` or `&` can close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def product_json_ld(product: Product, name: str, facility: Facility, urls: SiteUrls,
                    lang: Language) -> Markup:
    """schema.org `Product` of a product page; `name` is the name shown in `lang`."""
    url = urls.absolute(Route("product", product.slug), lang)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Product", "name": name, "url": url,
        "manufacturer": {"@type": "GovernmentOrganization", "name": facility.name},
    }
    images = [_media_url(urls, product_image(product, i)) for i in product.images]
    data |= {"image": images} if images else {}
    data |= {"sku": product.sku} if product.sku else {}
    data |= {"brand": {"@type": "Brand", "name": product.brand}} if product.brand else {}
    if product.price is not None:  # "price on request": no offer rather than a made-up one
        data["offers"] = _offer(product, url)
    return script_json(data)


def _offer(product: Product, url: str) -> dict[str, Any]:
    offer = {"@type": "Offer", "price": str(product.price), "priceCurrency": "IDR",
             "availability": _SCHEMA_AVAILABILITY[product.availability], "url": url}
    if product.price_valid_until:
        offer["priceValidUntil"] = product.price_valid_until.isoformat()
    return offer


def postal_address(street: str | None, city: str | None = None) -> dict[str, str]:
    """schema.org `PostalAddress` in Banten, Indonesia."""
    address = {"@type": "PostalAddress", "addressRegion": ADDRESS_REGION,
               "addressCountry": ADDRESS_COUNTRY}
    address |= {"streetAddress": street} if street else {}
    address |= {"addressLocality": city} if city else {}
    return address


def _contact_points(contact: Contact) -> dict[str, str]:
    data = {"email": contact.email} if contact.email else {}
    return data | ({"telephone": contact.phone} if contact.phone else {})


def organization_json_ld(catalog: Catalog, urls: SiteUrls) -> Markup:
    """schema.org `GovernmentOrganization` of the regional office, for the home page."""
    contact = catalog.site.contact
    data: dict[str, Any] = {"@context": "https://schema.org",
                            "@type": "GovernmentOrganization",
                            "name": catalog.site.organization, "url": urls.base_url}
    data |= _contact_points(contact)
    data |= {"address": postal_address(contact.address)} if contact.address else {}
    return script_json(data)


def facility_json_ld(facility: Facility, name: str, catalog: Catalog, urls: SiteUrls,
                     lang: Language) -> Markup:
    """schema.org `GovernmentOrganization` of a unit page: address, place, contact, parent."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "GovernmentOrganization", "name": name,
        "url": urls.absolute(Route("facility", facility.slug), lang),
        "address": postal_address(facility.address, facility.city),
        "parentOrganization": {"@type": "GovernmentOrganization",
                               "name": catalog.site.organization, "url": urls.base_url},
    }
    if facility.location:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": facility.location.lat,
                       "longitude": facility.location.lon}
    photo = facility_photo(facility)
    data |= {"image": _media_url(urls, photo)} if photo else {}
    data |= _contact_points(facility.contact)
    return script_json(data)
