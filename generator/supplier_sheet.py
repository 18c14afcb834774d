"""Supplier sheet: readiness → the listing-form export, `/data/ekatalog-<unit>.csv` and `.xlsx`.

One row per product, the columns of `ekatalog_form.yaml` in its order: the supplier form's
fields as the form names them, then our unit, capacity, lead time, listing status, links and
readiness. `/data/ekatalog.csv` and `.xlsx` hold every unit. Rows go fewest gaps first.

Cells an editor wrote are guarded against formula injection: in CSV, text starting with `=`,
`+`, `-`, `@`, a tab or a carriage return gets a leading `'`; in XLSX every text cell is a
string cell, shown as typed and never evaluated. The CSV is UTF-8 with a byte-order mark so
spreadsheets read the accents right; the XLSX carries the build date and fixed zip times, so
two builds are byte-identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.memo import Memo, digest
from generator.model import Catalog, Product
from generator.pages import product_image
from generator.processes import run_jobs
from generator.readiness import Readiness, ReadinessBook
from generator.translations import Translations
from generator.urls import Route, SiteUrls, photo_path
from generator.workbook import RISKY_STARTS, Cell, to_xlsx

LIST_SEPARATOR = "; "
# From this many rows to put in workbooks, they are made in several processes (about 0.13 ms a row
# in XlsxWriter; a worker process takes about a fifth of a second to start, `workbook`)
POOL_FROM_ROWS = 5_000


@dataclass(frozen=True)
class SheetFacts:
    """What a column may look at besides the product: look-ups, links, readiness, words."""

    catalog: Catalog
    urls: SiteUrls
    book: ReadinessBook
    strings: Translations


def _levels(product: Product, facts: SheetFacts) -> tuple[str, ...]:
    return facts.catalog.category(product.category).ekatalog_category or ("", "", "")


def _tkdn(product: Product, part: str) -> Cell:
    tkdn = product.ekatalog.tkdn if product.ekatalog else None
    return getattr(tkdn, part) if tkdn else None


def _listing(product: Product, part: str) -> Cell:
    return getattr(product.ekatalog, part) if product.ekatalog else None


def _photos(product: Product, facts: SheetFacts) -> str:
    urls = (facts.urls.absolute(Route("media", photo_path(product_image(product, image))),
                                facts.urls.default_language) for image in product.images)
    return LIST_SEPARATOR.join(urls)


def _missing(ready: Readiness, strings: Translations) -> str:
    return LIST_SEPARATOR.join(strings(f"readiness.item.{item.key}") for item in ready.missing)


Getter = Callable[[Product, SheetFacts], Cell]
GETTERS: Mapping[str, Getter] = {
    "category_1": lambda p, f: _levels(p, f)[0],
    "category_2": lambda p, f: _levels(p, f)[1],
    "category_3": lambda p, f: _levels(p, f)[2],
    "name": lambda p, f: p.name,
    "sku": lambda p, f: p.sku,
    "photos": _photos,
    "kbki": lambda p, f: _listing(p, "kbki"),
    "product_type": lambda p, f: f.book.form.product_type,
    "pdn": lambda p, f: f.book.form.pdn,
    "tkdn_certificate": lambda p, f: _tkdn(p, "certificate"),
    "tkdn_percent": lambda p, f: _tkdn(p, "percent"),
    "tkdn_valid_until": lambda p, f: _tkdn(p, "valid_until"),
    "sni": lambda p, f: _listing(p, "sni"),
    "brand": lambda p, f: p.brand,
    "specs": lambda p, f: LIST_SEPARATOR.join(f"{k}: {v}" for k, v in p.specs.items()),
    "variants": lambda p, f: LIST_SEPARATOR.join(p.variants),
    "stock": lambda p, f: p.stock,
    "unit": lambda p, f: p.unit,
    "price": lambda p, f: p.price,
    "id": lambda p, f: p.slug,
    "facility": lambda p, f: f.catalog.facility(p.facility).name,
    "capacity": lambda p, f: p.capacity_per_month,
    "lead_time": lambda p, f: p.lead_time_days,
    "listing_status": lambda p, f: _listing(p, "status"),
    "listing_url": lambda p, f: _listing(p, "url"),
    "url": lambda p, f: f.urls.absolute(Route("product", p.slug), f.urls.default_language),
    "score": lambda p, f: f"{f.book.of(p).score}/{f.book.of(p).total}",
    "missing": lambda p, f: _missing(f.book.of(p), f.strings),
}


def sheet_rows(rows: Sequence[Readiness], facts: SheetFacts) -> list[list[Cell]]:
    """The header, then one row per product in the order given."""
    columns = facts.book.form.columns
    table: list[list[Cell]] = [[c.header for c in columns]]
    table += [[GETTERS[c.value](r.product, facts) for c in columns] for r in rows]
    return table


def guarded(value: Cell) -> str:
    """A cell as CSV text; text that a spreadsheet would run as a formula starts with `'`."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(RISKY_STARTS):
        return "'" + text
    return text


def to_csv(table: Sequence[Sequence[Cell]]) -> bytes:
    """CSV text with a byte-order mark, `\\r\\n` line ends (RFC 4180)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[guarded(v) for v in row] for row in table])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def supplier_sheets(facts: SheetFacts, build_date: dt.date, memo: Memo | None = None,
                    workers: int = 1) -> dict[str, bytes]:
    """`data/ekatalog-<unit>.csv|xlsx` for every unit with products, and `data/ekatalog.*`;
    a workbook whose table `memo` has seen is not made again, the others in
    `workers` processes when they are many rows."""
    groups: dict[str, tuple[Readiness, ...]] = {u.facility.slug: u.rows for u in facts.book.units}
    every = tuple(row for slug in sorted(groups) for row in groups[slug])
    tables = {name: sheet_rows(rows, facts) for name, rows in (
        ("ekatalog", every), *((f"ekatalog-{slug}", rows) for slug, rows in groups.items()))
        if rows}
    keys = {name: digest(b"xlsx", repr((table, build_date)).encode())
            for name, table in tables.items()}
    def make_all(todo: list[list[list[Cell]]]) -> list[bytes]:
        many = sum(map(len, todo)) >= POOL_FROM_ROWS
        return run_jobs(to_xlsx, [(table, build_date) for table in todo], workers if many else 1)

    memo = memo if memo is not None else Memo()  # a one-unit region's table is its unit's:
    workbooks = memo.get_all({keys[name]: table for name, table in tables.items()},  # made once
                             make_all)
    outputs: dict[str, bytes] = {}
    for name, table in tables.items():
        for suffix, data in (("csv", to_csv(table)), ("xlsx", workbooks[keys[name]])):
            route = Route("data", f"{name}.{suffix}")
            outputs[facts.urls.output(route, facts.urls.default_language)] = data
    return outputs
