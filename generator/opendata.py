"""Open data: the e-catalogue sheets, the list of changes and a JSON Schema for each download.

Gathers what `build` adds beside the rendered site: the supplier-form sheets
(`supplier_sheet`), `/data/changes.json` and its page (`changes`), and the schemas, each
(draft 2020-12) published beside its file:

    /data/products.json      /data/products.schema.json
    /data/products.csv       /data/products-csv.schema.json    (one row, read by its header)
    /data/facilities.json    /data/facilities.schema.json
    /data/stats.json         /data/stats.schema.json
    /data/changes.json       /data/changes.schema.json
    /data/ekatalog*.csv|xlsx /data/ekatalog.schema.json        (one row, read by its header)

A product's `id` is its stable identifier: the name of its file, unique across the catalogue,
the same in every download and in the list of changes. A CSV row read as a mapping from header
to text (Python's `csv.DictReader`) validates against its schema; an empty cell is "".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from generator.changes import Changes, changes_json
from generator.contexts import ChangesContext
from generator.downloads import CSV_COLUMNS, to_json
from generator.exports import STATS_SCHEMA_VERSION as STATS_VERSION
from generator.memo import Memo
from generator.model import Catalog
from generator.pages import PageSpec
from generator.readiness import Form, ReadinessBook
from generator.supplier_sheet import SheetFacts, supplier_sheets
from generator.translations import Translations
from generator.urls import Route, SiteUrls

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
TEXT = {"type": "string"}
INTEGER = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
INTEGER_CELL = {"type": "string", "pattern": r"^(\d+)?$"}
NUMBER_CELL = {"type": "string", "pattern": r"^(\d+(\.\d+)?)?$"}
DATE_CELL = {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2})?$"}
PRODUCT_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
              "description": "Stable identifier of the product: its file name, unique"}


def _maybe(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], closed: bool = True) -> dict[str, Any]:
    return {"type": "object", "required": sorted(properties), "properties": properties,
            "additionalProperties": not closed}


def _list_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


LISTING = _object({
    "status": {"enum": ["draft", "submitted", "live", "inactive"]}, "url": _maybe(URL),
    "product_id": _maybe(TEXT), "listed_on": _maybe(DATE), "kbki": _maybe(TEXT),
    "sni": _maybe(TEXT),
    "tkdn": _maybe(_object({"percent": {"type": "number", "minimum": 0, "maximum": 100},
                            "certificate": _maybe(TEXT), "valid_until": _maybe(DATE)})),
})
PRODUCT = _object({
    "id": PRODUCT_ID, "slug": PRODUCT_ID, "name": TEXT, "name_en": _maybe(TEXT),
    "facility": TEXT, "facility_name": TEXT, "category": TEXT, "unit": TEXT,
    "price": _maybe(INTEGER), "price_valid_until": _maybe(DATE), "sku": _maybe(TEXT),
    "brand": _maybe(TEXT), "materials": _list_of(TEXT), "specs": {
        "type": "object", "additionalProperties": TEXT},
    "variants": _list_of(TEXT), "stock": _maybe(INTEGER),
    "capacity_per_month": _maybe(INTEGER), "lead_time_days": _maybe(INTEGER),
    "min_order": {"type": "integer", "minimum": 1},
    "availability": {"enum": ["available", "made-to-order", "out-of-stock", "discontinued"]},
    "ekatalog": _maybe(LISTING), "tags": _list_of(TEXT), "featured": {"type": "boolean"},
    "added": _maybe(DATE), "draft": {"type": "boolean"}, "description": TEXT,
    "description_en": _maybe(TEXT), "images": _list_of(URL),
    "urls": {"type": "object", "additionalProperties": URL},
})
CONTACT = {"type": "object", "additionalProperties": _maybe(TEXT)}
FACILITY = _object({
    "slug": TEXT, "name": TEXT, "name_en": _maybe(TEXT), "kind": TEXT, "class": _maybe(TEXT),
    "city": TEXT, "address": _maybe(TEXT),
    "location": _maybe(_object({"lat": {"type": "number"}, "lon": {"type": "number"}})),
    "contact": CONTACT, "workshops": _list_of(TEXT), "photo": _maybe(URL),
    "pnbp_targets": {"type": "object", "additionalProperties": INTEGER},
    "challenges": _list_of({"type": "object"}), "profile": TEXT, "profile_en": _maybe(TEXT),
    "products": INTEGER, "ekatalog_live": INTEGER,
    "urls": {"type": "object", "additionalProperties": URL},
})
CHANGE = _object({"id": PRODUCT_ID, "name": TEXT, "name_en": _maybe(TEXT), "url": _maybe(URL),
                  "fields": _list_of(TEXT)})
STATS = {"schema_version": {"const": STATS_VERSION}, "as_of": DATE, "currency": {"const": "IDR"},
         "matrix_total": INTEGER,
         **{k: {"type": "object"} for k in (
             "about", "challenges", "downloads", "ekatalog", "matrix", "period", "pnbp",
             "pnbp_totals", "products", "transactions", "years")}}
CSV_TYPES = {"price": INTEGER_CELL, "min_order": INTEGER_CELL, "stock": INTEGER_CELL,
             "capacity_per_month": INTEGER_CELL, "lead_time_days": INTEGER_CELL,
             "tkdn_percent": NUMBER_CELL, "added": DATE_CELL}
SHEET_TYPES = {"stock": INTEGER_CELL, "price": INTEGER_CELL, "capacity": INTEGER_CELL,
               "lead_time": INTEGER_CELL, "tkdn_percent": NUMBER_CELL,
               "tkdn_valid_until": DATE_CELL}


def _document(title: str, root: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA_URI, "title": title, **root}


def _versioned(key: str, item: dict[str, Any]) -> dict[str, Any]:
    return _object({"schema_version": {"const": 1}, key: _list_of(item)})


def _row(columns: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return _object(dict(columns))


def download_schemas(form: Form) -> dict[str, dict[str, Any]]:
    """Every schema by the name it is published under in `/data/`."""
    sheet = [(c.header, SHEET_TYPES.get(c.value, TEXT)) for c in form.columns]
    return {
        "products.schema.json": _document("Etalase: products.json",
                                          _versioned("products", PRODUCT)),
        "products-csv.schema.json": _document(
            "Etalase: one row of products.csv",
            _row([(c, CSV_TYPES.get(c, TEXT)) for c in CSV_COLUMNS])),
        "facilities.schema.json": _document("Etalase: facilities.json",
                                            _versioned("facilities", FACILITY)),
        "stats.schema.json": _document("Etalase: stats.json (its own `about` says more)",
                                       _object(STATS, closed=False)),
        "changes.schema.json": _document("Etalase: changes.json", _object({
            "schema_version": {"const": 1},
            "previous": _maybe(_object({"products": INTEGER})), "products": INTEGER,
            "added": _list_of(CHANGE), "changed": _list_of(CHANGE),
            "removed": _list_of(CHANGE)})),
        "ekatalog.schema.json": _document("Etalase: one row of ekatalog*.csv and .xlsx",
                                          _row(sheet)),
    }


def schema_files(form: Form, urls: SiteUrls) -> dict[str, bytes]:
    """The schemas as output files, each with its own address as `$id`."""
    lang = urls.default_language
    outputs = {}
    for name, schema in download_schemas(form).items():
        route = Route("data", name)
        outputs[urls.output(route, lang)] = to_json({"$id": urls.absolute(route, lang),
                                                     **schema})
    return outputs


DATA_FILES = (  # the downloads the changes page lists, each with its schema
    ("products.json", "products.schema.json"), ("products.csv", "products-csv.schema.json"),
    ("facilities.json", "facilities.schema.json"), ("stats.json", "stats.schema.json"),
    ("changes.json", "changes.schema.json"), ("ekatalog.csv", "ekatalog.schema.json"),
    ("ekatalog.xlsx", "ekatalog.schema.json"),
)


def changes_pages(catalog: Catalog, changes: Changes) -> list[PageSpec]:
    """The changes page in every language (`site_pages` gives them their output files)."""
    files = DATA_FILES if catalog.products else DATA_FILES[:5]
    return [PageSpec("", "changes.html", lang, Route("changes"), ChangesContext(changes, files))
            for lang in catalog.site.languages]


def data_files(catalog: Catalog, book: ReadinessBook, changes: Changes, strings: Translations,
               build_date: dt.date, memo: Memo | None = None,
               workers: int = 1) -> dict[str, bytes]:
    """The listing-form sheets (each workbook made once per content, with `memo`; in
    `workers` processes), `changes.json` and the schemas, by output path."""
    urls = SiteUrls.of(catalog.site)
    outputs = supplier_sheets(SheetFacts(catalog, urls, book, strings), build_date, memo,
                              workers)
    outputs[urls.output(Route("data", "changes.json"), urls.default_language)] = to_json(
        changes_json(changes))
    outputs.update(schema_files(book.form, urls))
    return outputs
