"""Exports: the statistics → open data, `/data/stats.json` and one CSV file per table.

`stats_json` is the whole of the figures, all time and per fiscal year, with a `schema_version`
and an `about` section naming every key and its unit. Money is whole rupiah and counts are
integers; a target nobody set is `null`, never 0. Each statistics table has a CSV twin:
`/data/<table>.csv` for all time and `/data/<year>/<table>.csv` for a fiscal year (names in
`TABLES` and `YEAR_TABLES`). CSV is UTF-8 with a header row and `\\r\\n` line ends; cells hold whole
numbers only, so every spreadsheet locale reads them as numbers, and text that a spreadsheet would
run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from generator.model import Catalog
from generator.periods import fiscal_years
from generator.recap import monthly_recap
from generator.stats import (
    CHALLENGE_STATUSES,
    ListingFigures,
    Recap,
    ShareRow,
    Stats,
    Tally,
    compute_stats,
)

STATS_SCHEMA_VERSION = 2
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Row = Sequence[object]
TableMaker = Callable[[Catalog, Stats], tuple[Row, Iterable[Row]]]

ABOUT = {
    "description": "Figures of the catalogue: products on the e-catalogue, units buying through"
                   " it, transactions, obstacles, PNBP against target, sales between units.",
    "units": "money in whole rupiah (IDR), counts as integers; percent has one decimal;"
             " null where there is nothing to divide by or no target was set",
    "periods": "top level: all time; years.<YYYY>: one fiscal year (January to December);"
               " products is the listing as of the build, whatever the period",
    "keys": {
        "as_of": "date of the newest figures (YYYY-MM-DD)",
        "period.first_month, period.last_month": "first and last month with sales (YYYY-MM)",
        "products.total": "products in the catalogue",
        "products.ekatalog_live": "products live on the e-catalogue (status live)",
        "products.ekatalog_percent": "share of products live on the e-catalogue, percent",
        "products.by_facility.<unit>, products.by_category.<category>":
            "total and ekatalog_live for one unit or category",
        "products.ekatalog_pipeline.<status>": "products per listing status; none: not listed",
        "ekatalog.buyer_units": "units (UPT) that bought through the e-catalogue",
        "ekatalog.buyer_unit_slugs": "those units, sorted",
        "ekatalog.by_buyer_unit.<unit>": "count and value of its e-catalogue purchases",
        "transactions.count, .quantity, .value": "sales, items sold, rupiah",
        "transactions.by_month.<YYYY-MM>": "count, quantity, value of one month",
        "transactions.by_facility.<unit>": "count, quantity, value sold by one unit",
        "transactions.by_category.<category>": "count, quantity, value of one category",
        "transactions.by_channel.<channel>": "count, quantity, value of one sales channel",
        "pnbp.<YYYY>.<unit>": "target (null when not set), realised (rupiah deposited),"
                              " percent of target",
        "pnbp_totals.<YYYY>": "every unit's target added up against all PNBP deposited",
        "matrix.<seller>.<buyer>": "value sold by one unit to another",
        "matrix_total": "value of all sales between units",
        "challenges.by_status.<status>": "obstacles recorded, by status",
        "challenges.by_facility.<unit>.<status>": "obstacles of one unit, by status",
        "years.<YYYY>": "the same figures for one fiscal year (without products)",
        "downloads": "the CSV tables, all time and per fiscal year",
    },
}


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: formula-like text gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Row, rows: Iterable[Row]) -> bytes:
    """RFC 4180 CSV in UTF-8: a header, then the rows, every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _unit_name(catalog: Catalog, slug: str) -> str:
    return catalog.facility(slug).name


def _tally_rows(groups: Iterable[tuple[str, Tally]],
                name: Callable[[str], str] | None = None) -> list[Row]:
    return [(key, *([name(key)] if name else []), t.count, t.quantity, t.value)
            for key, t in groups]


def _by_month(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    return ("month", "count", "quantity", "value"), _tally_rows(stats.recap.by_month)


def _by_facility(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = _tally_rows(stats.recap.by_facility, lambda s: _unit_name(catalog, s))
    return ("facility", "facility_name", "count", "quantity", "value"), rows


def _by_category(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = _tally_rows(stats.recap.by_category, lambda s: catalog.category(s).name)
    return ("category", "category_name", "count", "quantity", "value"), rows


def _by_channel(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    return ("channel", "count", "quantity", "value"), _tally_rows(stats.recap.by_channel)


def _share_rows(rows: Iterable[ShareRow], name: Callable[[str], str]) -> list[Row]:
    return [(r.slug, name(r.slug), r.products, r.live) for r in rows]


def _ekatalog_by_facility(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = _share_rows(stats.listing.by_facility, lambda s: _unit_name(catalog, s))
    return ("facility", "facility_name", "products", "ekatalog_live"), rows


def _ekatalog_by_category(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = _share_rows(stats.listing.by_category, lambda s: catalog.category(s).name)
    return ("category", "category_name", "products", "ekatalog_live"), rows


def _ekatalog_pipeline(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    return ("ekatalog_status", "products"), list(stats.listing.pipeline)


def _buyer_units(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = [(u.slug, _unit_name(catalog, u.slug), u.count, u.value) for u in stats.buyer_units]
    return ("buyer", "buyer_name", "count", "value"), rows


def _challenges(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = [(r.slug, _unit_name(catalog, r.slug), *(n for _, n in r.by_status), r.total)
            for r in stats.challenges_by_unit]
    return ("facility", "facility_name", *CHALLENGE_STATUSES, "total"), rows


def _pnbp(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = [(r.year, r.slug, _unit_name(catalog, r.slug), r.target, r.realised)
            for r in stats.pnbp]
    return ("year", "facility", "facility_name", "target", "realised"), rows


def _inter_unit(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    rows = [(c.seller, _unit_name(catalog, c.seller), c.buyer, _unit_name(catalog, c.buyer),
             c.count, c.value) for c in stats.matrix]
    return ("seller", "seller_name", "buyer", "buyer_name", "count", "value"), rows


def _recap_months(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    recap = monthly_recap(catalog, stats)
    rows = [(m.month, m.count, m.quantity, m.value, m.ekatalog_value, m.pnbp)
            for m in recap.months]
    return ("month", "count", "quantity", "value", "ekatalog_value", "pnbp"), rows


def _recap_units(catalog: Catalog, stats: Stats) -> tuple[Row, Iterable[Row]]:
    recap = monthly_recap(catalog, stats)
    months = [m.month for m in recap.months]
    rows = [(u.slug, _unit_name(catalog, u.slug), *u.values, u.total)
            for u in recap.by_facility]
    return ("facility", "facility_name", *months, "total"), rows


TABLES: Mapping[str, TableMaker] = {
    "ekatalog-products-by-facility": _ekatalog_by_facility,
    "ekatalog-products-by-category": _ekatalog_by_category,
    "ekatalog-pipeline": _ekatalog_pipeline,
    "ekatalog-buyer-units": _buyer_units,
    "transactions-by-month": _by_month,
    "transactions-by-facility": _by_facility,
    "transactions-by-category": _by_category,
    "transactions-by-channel": _by_channel,
    "challenges-by-facility": _challenges,
    "pnbp": _pnbp,
    "inter-unit-sales": _inter_unit,
}
YEAR_TABLES: Mapping[str, TableMaker] = {
    **TABLES,
    "recap-by-month": _recap_months,
    "recap-by-facility": _recap_units,
}


def table_path(table: str, year: int | None = None) -> str:
    """Where a table's CSV lives under `data/`: `transactions-by-month.csv`, `2025/pnbp.csv`."""
    return f"{table}.csv" if year is None else f"{year}/{table}.csv"


def table_csv(catalog: Catalog, stats: Stats, table: str) -> bytes:
    """One statistics table of the period of `stats` as CSV."""
    header, rows = (TABLES if stats.year is None else YEAR_TABLES)[table](catalog, stats)
    return csv_bytes(header, rows)


def _tally_json(tally: Tally) -> dict[str, int]:
    return {"count": tally.count, "quantity": tally.quantity, "value": tally.value}


def _groups_json(groups: Iterable[tuple[str, Tally]]) -> dict[str, dict[str, int]]:
    return {key: _tally_json(tally) for key, tally in groups}


def _nested(rows: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for outer, inner, value in rows:
        out.setdefault(outer, {})[inner] = value
    return out


def _share_json(rows: Iterable[ShareRow]) -> dict[str, dict[str, int]]:
    return {r.slug: {"total": r.products, "ekatalog_live": r.live} for r in rows}


def _products_json(listing: ListingFigures) -> dict[str, Any]:
    return {
        "total": listing.products, "ekatalog_live": listing.live,
        "ekatalog_percent": listing.percent,
        "by_facility": _share_json(listing.by_facility),
        "by_category": _share_json(listing.by_category),
        "ekatalog_pipeline": dict(listing.pipeline),
    }


def _transactions_json(recap: Recap) -> dict[str, Any]:
    return {
        **_tally_json(recap.total),
        "by_month": _groups_json(recap.by_month),
        "by_facility": _groups_json(recap.by_facility),
        "by_category": _groups_json(recap.by_category),
        "by_channel": _groups_json(recap.by_channel),
    }


def period_json(stats: Stats) -> dict[str, Any]:
    """The figures of one period that change with it (all but the product listing)."""
    units = stats.buyer_units
    return {
        "period": {"first_month": stats.first_month, "last_month": stats.last_month},
        "ekatalog": {
            "buyer_units": len(units), "buyer_unit_slugs": [u.slug for u in units],
            "by_buyer_unit": {u.slug: {"count": u.count, "value": u.value} for u in units},
        },
        "transactions": _transactions_json(stats.recap),
        "pnbp": _nested((str(r.year), r.slug, {"target": r.target, "realised": r.realised,
                                               "percent": r.percent}) for r in stats.pnbp),
        "pnbp_totals": {str(t.year): {"target": t.target, "realised": t.realised,
                                      "percent": t.percent} for t in stats.pnbp_totals},
        "matrix": _nested((c.seller, c.buyer, c.value) for c in stats.matrix),
        "matrix_total": stats.matrix_total,
        "challenges": {
            "by_status": dict(stats.challenges_by_status),
            "by_facility": {row.slug: dict(row.by_status) for row in stats.challenges_by_unit},
        },
    }


def _downloads(base: str, years: Iterable[int]) -> dict[str, Any]:
    return {
        "all": {name: f"{base}data/{table_path(name)}" for name in TABLES},
        **{str(y): {name: f"{base}data/{table_path(name, y)}" for name in YEAR_TABLES}
           for y in years},
    }


def stats_json(catalog: Catalog, stats: Stats, as_of: dt.date | None = None) -> dict[str, Any]:
    """`/data/stats.json`: all-time figures, then each fiscal year's, documented in `about`."""
    years = fiscal_years(catalog)
    return {
        "schema_version": STATS_SCHEMA_VERSION,
        "about": ABOUT,
        "as_of": as_of.isoformat() if as_of else None,
        "currency": "IDR",
        "products": _products_json(stats.listing),
        **period_json(stats),
        "years": {str(y): period_json(compute_stats(catalog, y)) for y in years},
        "downloads": _downloads(catalog.site.base_url, years),
    }
