"""Recap: a `Catalog` → the monthly recap of one fiscal year and one unit's own figures, pure.

The recap (`Rekapitulasi`) is the table the regional office sends upwards: every month of the
year with its sales, the part bought through the e-catalogue and the PNBP deposited, then each
unit's sales month by month. A unit's figures are what its own page shows: sales per year, PNBP
against target, who bought from it and what it bought from other units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import BuyerType, Catalog, Facility, Transaction
from generator.periods import month_key, period_months
from generator.stats import PnbpRow, PnbpTotal, Stats, Tally


@dataclass(frozen=True)
class MonthRow:
    """One month of the recap (or the year's total, `month` empty)."""

    month: str
    count: int
    quantity: int
    value: int
    ekatalog_value: int  # the part sold through the e-catalogue
    pnbp: int


@dataclass(frozen=True)
class UnitMonths:
    """One selling unit's sales value in each month of the year, January first."""

    slug: str
    values: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class MonthlyRecap:
    """The `Rekapitulasi` of fiscal year `year`."""

    year: int
    months: tuple[MonthRow, ...]
    total: MonthRow
    by_facility: tuple[UnitMonths, ...]  # units with a sale in the year, by slug
    month_totals: tuple[int, ...]  # value sold in each month, for the foot of `by_facility`
    pnbp: tuple[PnbpRow, ...]
    pnbp_total: PnbpTotal | None


@dataclass(frozen=True)
class Buyer:
    """Someone who bought from a unit: a unit slug when `buyer_type` is `upt`, else a name."""

    name: str
    buyer_type: BuyerType
    count: int
    value: int


@dataclass(frozen=True)
class UnitFigures:
    """A unit's own figures, for its page."""

    slug: str
    by_year: tuple[tuple[int, Tally], ...]
    pnbp: tuple[PnbpRow, ...]
    buyers: tuple[Buyer, ...]  # largest value first
    bought_from: tuple[tuple[str, Tally], ...]  # selling units, by slug


def _month_row(month: str, sales: Iterable[Transaction]) -> MonthRow:
    rows = list(sales)
    return MonthRow(
        month=month, count=len(rows), quantity=sum(t.quantity for t in rows),
        value=sum(t.total for t in rows),
        ekatalog_value=sum(t.total for t in rows if t.channel == "ekatalog"),
        pnbp=sum(t.pnbp for t in rows),
    )


def monthly_recap(catalog: Catalog, stats: Stats) -> MonthlyRecap:
    """The recap of the fiscal year of `stats` (figures computed for that one year)."""
    assert stats.year is not None, "a recap covers one fiscal year"
    sales = [t for t in catalog.transactions if t.date.year == stats.year]
    months = period_months((t.date for t in sales), stats.year)
    by_month: dict[str, list[Transaction]] = {m: [] for m in months}
    by_unit: dict[tuple[str, str], int] = {}  # each unit's sales of each month
    for sale in sales:  # one pass, not one per unit and month: 1,000 units at 50,000 products
        month = month_key(sale.date)
        by_month[month].append(sale)
        by_unit[sale.seller, month] = by_unit.get((sale.seller, month), 0) + sale.total
    sellers = sorted({t.seller for t in sales})
    units = tuple(_unit_months(slug, months, by_unit) for slug in sellers)
    return MonthlyRecap(
        year=stats.year,
        months=tuple(_month_row(m, by_month[m]) for m in months),
        total=_month_row("", sales),
        by_facility=units,
        month_totals=tuple(sum(t.total for t in by_month[m]) for m in months),
        pnbp=stats.pnbp,
        pnbp_total=next(iter(stats.pnbp_totals), None),
    )


def _unit_months(slug: str, months: list[str], by_unit: dict[tuple[str, str], int]) -> UnitMonths:
    values = tuple(by_unit.get((slug, m), 0) for m in months)
    return UnitMonths(slug, values, sum(values))


def _tally(sales: Iterable[Transaction]) -> Tally:
    rows = list(sales)
    return Tally(len(rows), sum(t.quantity for t in rows), sum(t.total for t in rows))


def unit_figures(catalog: Catalog, stats: Stats, facility: Facility) -> UnitFigures:
    """What the page of `facility` shows of its own trade, from the all-time `stats`."""
    sold = catalog.sales_of(facility)
    years = sorted({t.date.year for t in sold})
    bought = catalog.purchases_of(facility)
    sellers = sorted({t.seller for t in bought})
    return UnitFigures(
        slug=facility.slug,
        by_year=tuple((y, _tally(t for t in sold if t.date.year == y)) for y in years),
        pnbp=tuple(r for r in stats.pnbp if r.slug == facility.slug),
        buyers=_buyers(sold),
        bought_from=tuple((s, _tally(t for t in bought if t.seller == s)) for s in sellers),
    )


def _buyers(sold: Iterable[Transaction]) -> tuple[Buyer, ...]:
    groups: dict[tuple[str, BuyerType], list[Transaction]] = {}
    for t in sold:
        groups.setdefault((t.buyer, t.buyer_type), []).append(t)
    buyers = [Buyer(name, kind, len(rows), sum(t.total for t in rows))
              for (name, kind), rows in groups.items()]
    return tuple(sorted(buyers, key=lambda b: (-b.value, b.name, b.buyer_type)))
