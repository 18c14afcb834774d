"""Statistics: a `Catalog` → `Stats`, the six figures of CONTENT-MODEL.md, pure.

1. products on the e-catalogue (status `live`): total, share, per unit, per category, pipeline;
2. units that bought through the e-catalogue (channel `ekatalog`, buyer type `upt`);
3. the transaction recap by month, selling unit, category and channel;
4. obstacles and solutions by status and by unit;
5. PNBP target against realisation per unit and fiscal year;
6. who buys from whom: sales value from each selling unit to each buying unit.

A period is all time or one fiscal year (January to December): the transactions, PNBP and
obstacles of that year; the e-catalogue listing is always today's. Money is whole rupiah and
counts are integers; percentages are floats rounded to one decimal, or `None` when there is
nothing to divide by. Every collection is sorted. `exports` turns the figures into
`/data/stats.json` and the CSV tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import get_args

from generator.model import (
    Catalog,
    Challenge,
    ChallengeStatus,
    Channel,
    ListingStatus,
    Product,
    Transaction,
)
from generator.periods import in_period, month_key, period_months

SCHEMA_VERSION = 1
CHANNELS: tuple[Channel, ...] = get_args(Channel)
LISTING_STATUSES: tuple[ListingStatus, ...] = get_args(ListingStatus)
CHALLENGE_STATUSES: tuple[ChallengeStatus, ...] = get_args(ChallengeStatus)
HEAT_LEVELS = 5  # shades of the who-buys-from-whom table, besides "none"


@dataclass(frozen=True)
class Tally:
    """How many sales, how many items, how much money."""

    count: int = 0
    quantity: int = 0
    value: int = 0


@dataclass(frozen=True)
class ShareRow:
    """Products of one unit or category, and how many are live on the e-catalogue."""

    slug: str
    products: int
    live: int
    percent: float | None


@dataclass(frozen=True)
class ListingFigures:
    """Figure 1: the e-catalogue listing of the products."""

    products: int
    live: int
    percent: float | None
    by_facility: tuple[ShareRow, ...]
    by_category: tuple[ShareRow, ...]
    pipeline: tuple[tuple[str, int], ...]  # each status, then "none" for products not listed


@dataclass(frozen=True)
class BuyerUnit:
    """Figure 2: one unit that bought through the e-catalogue."""

    slug: str
    count: int
    value: int


@dataclass(frozen=True)
class Recap:
    """Figure 3: transactions in total and broken down (keys sorted; months `YYYY-MM`)."""

    total: Tally
    by_month: tuple[tuple[str, Tally], ...]
    by_facility: tuple[tuple[str, Tally], ...]
    by_category: tuple[tuple[str, Tally], ...]
    by_channel: tuple[tuple[Channel, Tally], ...]


@dataclass(frozen=True)
class ChallengeRow:
    """Figure 4: a unit's obstacles counted by status (open, in-progress, resolved)."""

    slug: str
    by_status: tuple[tuple[ChallengeStatus, int], ...]
    total: int


@dataclass(frozen=True)
class PnbpRow:
    """Figure 5: one unit in one fiscal year."""

    year: int
    slug: str
    target: int | None
    realised: int
    percent: float | None


@dataclass(frozen=True)
class MatrixCell:
    """Figure 6: sales from one unit to another."""

    seller: str
    buyer: str
    count: int
    value: int


@dataclass(frozen=True)
class PnbpTotal:
    """Figure 5 for the whole region in one fiscal year: every unit's target and deposit."""

    year: int
    target: int
    realised: int
    percent: float | None


@dataclass(frozen=True)
class Stats:
    """The six figures of one period: all time (`year` None) or one fiscal year."""

    year: int | None
    listing: ListingFigures
    buyer_units: tuple[BuyerUnit, ...]
    recap: Recap
    challenges_by_status: tuple[tuple[ChallengeStatus, int], ...]
    challenges_by_unit: tuple[ChallengeRow, ...]
    pnbp: tuple[PnbpRow, ...]
    pnbp_totals: tuple[PnbpTotal, ...]
    matrix: tuple[MatrixCell, ...]

    @property
    def first_month(self) -> str | None:
        """The first month of the period, `YYYY-MM`; None when nothing was sold."""
        return self.recap.by_month[0][0] if self.recap.by_month else None

    @property
    def last_month(self) -> str | None:
        return self.recap.by_month[-1][0] if self.recap.by_month else None

    @property
    def challenges_total(self) -> int:
        return sum(count for _, count in self.challenges_by_status)

    @property
    def pnbp_latest(self) -> PnbpTotal | None:
        """The newest fiscal year with a target: the headline of figure 5."""
        return next((t for t in reversed(self.pnbp_totals) if t.target), None)

    @property
    def matrix_total(self) -> int:
        """Value of every sale from one unit to another (inter-unit sales)."""
        return sum(c.value for c in self.matrix)

    @property
    def matrix_share(self) -> float | None:
        """Inter-unit sales as a percentage of the value of all sales."""
        return percent(self.matrix_total, self.recap.total.value)

    def matrix_row_total(self, seller: str) -> int:
        return sum(c.value for c in self.matrix if c.seller == seller)

    def matrix_column_total(self, buyer: str) -> int:
        return sum(c.value for c in self.matrix if c.buyer == buyer)

    def matrix_level(self, value: int) -> int:
        """Shade of a cell: 0 for no sales, else 1..HEAT_LEVELS by share of the largest cell."""
        largest = max((c.value for c in self.matrix), default=0)
        if not value or not largest:
            return 0
        return max(1, -(-value * HEAT_LEVELS // largest))

    @property
    def matrix_sellers(self) -> tuple[str, ...]:
        return tuple(sorted({cell.seller for cell in self.matrix}))

    @property
    def matrix_buyers(self) -> tuple[str, ...]:
        return tuple(sorted({cell.buyer for cell in self.matrix}))

    def matrix_value(self, seller: str, buyer: str) -> int:
        """Value sold by `seller` to `buyer`; 0 when none."""
        return sum(c.value for c in self.matrix if c.seller == seller and c.buyer == buyer)


def percent(part: int, whole: int | None) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when `whole` is 0 or unknown."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def compute_stats(catalog: Catalog, year: int | None = None) -> Stats:
    """The six figures of a catalogue, for all time or for fiscal year `year`."""
    sales = tuple(t for t in catalog.transactions if in_period(year, t.date))
    challenges = _challenges_by_unit(catalog, year)
    pnbp = _pnbp(catalog, sales, year)
    return Stats(
        year=year,
        listing=_listing(catalog),
        buyer_units=_buyer_units(sales),
        recap=_recap(catalog, sales, year),
        challenges_by_status=tuple(
            (status, sum(dict(row.by_status)[status] for row in challenges))
            for status in CHALLENGE_STATUSES
        ),
        challenges_by_unit=challenges,
        pnbp=pnbp,
        pnbp_totals=_pnbp_totals(pnbp),
        matrix=_matrix(sales),
    )


def _share_rows(slugs: Iterable[str], products: tuple[Product, ...],
                key: Callable[[Product], str]) -> tuple[ShareRow, ...]:
    groups: dict[str, list[Product]] = {}
    for product in products:
        groups.setdefault(key(product), []).append(product)
    rows = []
    for slug in sorted(slugs):
        mine = groups.get(slug, [])
        live = sum(p.is_live for p in mine)
        rows.append(ShareRow(slug, len(mine), live, percent(live, len(mine))))
    return tuple(rows)


def _listing(catalog: Catalog) -> ListingFigures:
    products = catalog.products
    live = sum(p.is_live for p in products)
    statuses = [p.ekatalog.status if p.ekatalog else "none" for p in products]
    return ListingFigures(
        products=len(products),
        live=live,
        percent=percent(live, len(products)),
        by_facility=_share_rows((f.slug for f in catalog.facilities), products,
                                lambda p: p.facility),
        by_category=_share_rows((c.slug for c in catalog.categories), products,
                                lambda p: p.category),
        pipeline=tuple((s, statuses.count(s)) for s in (*LISTING_STATUSES, "none")),
    )


def _tally(transactions: Iterable[Transaction]) -> Tally:
    rows = list(transactions)
    return Tally(len(rows), sum(t.quantity for t in rows), sum(t.total for t in rows))


def _group(transactions: Iterable[Transaction], key: Callable[[Transaction], str],
           keys: Iterable[str] = ()) -> tuple[tuple[str, Tally], ...]:
    """Tallies per key; every key in `keys` appears even without sales."""
    groups: dict[str, list[Transaction]] = {k: [] for k in keys}
    for t in transactions:
        groups.setdefault(key(t), []).append(t)
    return tuple((k, _tally(groups[k])) for k in sorted(groups))


def _recap(catalog: Catalog, sales: tuple[Transaction, ...], year: int | None) -> Recap:
    by_channel = dict(_group(sales, lambda t: t.channel, CHANNELS))
    months = period_months((t.date for t in sales), year)
    return Recap(
        total=_tally(sales),
        by_month=_group(sales, lambda t: month_key(t.date), months),
        by_facility=_group(sales, lambda t: t.seller, (f.slug for f in catalog.facilities)),
        by_category=_group(sales, lambda t: t.category, (c.slug for c in catalog.categories)),
        by_channel=tuple((c, by_channel[c]) for c in CHANNELS),
    )


def _buyer_units(transactions: Iterable[Transaction]) -> tuple[BuyerUnit, ...]:
    bought = [t for t in transactions if t.channel == "ekatalog" and t.buyer_type == "upt"]
    return tuple(BuyerUnit(slug, tally.count, tally.value)
                 for slug, tally in _group(bought, lambda t: t.buyer))


def challenges_in(challenges: Iterable[Challenge], year: int | None) -> tuple[Challenge, ...]:
    """The obstacles recorded in the period, with their status as written today."""
    return tuple(c for c in challenges if in_period(year, c.date))


def _challenges_by_unit(catalog: Catalog, year: int | None) -> tuple[ChallengeRow, ...]:
    rows = []
    for facility in sorted(catalog.facilities, key=lambda f: f.slug):
        statuses = [c.status for c in challenges_in(facility.challenges, year)]
        if statuses:
            counts = tuple((s, statuses.count(s)) for s in CHALLENGE_STATUSES)
            rows.append(ChallengeRow(facility.slug, counts, len(statuses)))
    return tuple(rows)


def _pnbp(catalog: Catalog, sales: Iterable[Transaction],
          period: int | None) -> tuple[PnbpRow, ...]:
    realised: dict[tuple[int, str], int] = {}
    for t in sales:
        realised[(t.date.year, t.seller)] = realised.get((t.date.year, t.seller), 0) + t.pnbp
    targets = {(year, f.slug): amount for f in catalog.facilities
               for year, amount in f.pnbp_targets.items() if period in (None, year)}
    return tuple(
        PnbpRow(year, slug, targets.get((year, slug)), realised.get((year, slug), 0),
                percent(realised.get((year, slug), 0), targets.get((year, slug))))
        for year, slug in sorted(realised.keys() | targets.keys())
    )


def _pnbp_totals(rows: Iterable[PnbpRow]) -> tuple[PnbpTotal, ...]:
    """Per year: the sum of the units' targets against everything deposited."""
    years: dict[int, list[PnbpRow]] = {}
    for row in rows:
        years.setdefault(row.year, []).append(row)
    totals = []
    for year, mine in sorted(years.items()):
        target = sum(r.target or 0 for r in mine)
        realised = sum(r.realised for r in mine)
        totals.append(PnbpTotal(year, target, realised, percent(realised, target)))
    return tuple(totals)


def _matrix(transactions: Iterable[Transaction]) -> tuple[MatrixCell, ...]:
    cells: dict[tuple[str, str], list[Transaction]] = {}
    for t in transactions:
        if t.buyer_type == "upt":
            cells.setdefault((t.seller, t.buyer), []).append(t)
    return tuple(MatrixCell(seller, buyer, len(rows), sum(t.total for t in rows))
                 for (seller, buyer), rows in sorted(cells.items()))
