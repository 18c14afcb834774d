"""Statistics: a `Catalog` → `Stats`, the six figures of CONTENT-MODEL.md, pure.

1. products on the e-catalogue (status `live`): total, share, per unit, per category, pipeline;
2. units that bought through the e-catalogue (channel `ekatalog`, buyer type `upt`);
3. the transaction recap by month, selling unit, category and channel;
4. obstacles and solutions by status and by unit;
5. PNBP target against realisation per unit and fiscal year;
6. who buys from whom: sales value from each selling unit to each buying unit.

Money is whole rupiah and counts are integers; percentages are floats rounded to one decimal,
or `None` when there is nothing to divide by. Every collection is sorted. `stats_json` gives the
plain mapping published as `/data/stats.json`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, get_args

from generator.model import Catalog, ChallengeStatus, Channel, ListingStatus, Product, Transaction

SCHEMA_VERSION = 1
CHANNELS: tuple[Channel, ...] = get_args(Channel)
LISTING_STATUSES: tuple[ListingStatus, ...] = get_args(ListingStatus)
CHALLENGE_STATUSES: tuple[ChallengeStatus, ...] = get_args(ChallengeStatus)


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
class Stats:
    """The six figures."""

    listing: ListingFigures
    buyer_units: tuple[BuyerUnit, ...]
    recap: Recap
    challenges_by_status: tuple[tuple[ChallengeStatus, int], ...]
    challenges_by_unit: tuple[ChallengeRow, ...]
    pnbp: tuple[PnbpRow, ...]
    matrix: tuple[MatrixCell, ...]

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


def compute_stats(catalog: Catalog) -> Stats:
    """The six figures of a catalogue."""
    challenges = _challenges_by_unit(catalog)
    return Stats(
        listing=_listing(catalog),
        buyer_units=_buyer_units(catalog.transactions),
        recap=_recap(catalog),
        challenges_by_status=tuple(
            (status, sum(dict(row.by_status)[status] for row in challenges))
            for status in CHALLENGE_STATUSES
        ),
        challenges_by_unit=challenges,
        pnbp=_pnbp(catalog),
        matrix=_matrix(catalog.transactions),
    )


def _share_rows(slugs: Iterable[str], products: tuple[Product, ...],
                key: Callable[[Product], str]) -> tuple[ShareRow, ...]:
    rows = []
    for slug in sorted(slugs):
        mine = [p for p in products if key(p) == slug]
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


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _recap(catalog: Catalog) -> Recap:
    sales = catalog.transactions
    months = sorted(t.date.strftime("%Y-%m") for t in sales)
    by_channel = dict(_group(sales, lambda t: t.channel, CHANNELS))
    return Recap(
        total=_tally(sales),
        by_month=_group(sales, lambda t: t.date.strftime("%Y-%m"),
                        _months_between(months[0], months[-1]) if months else ()),
        by_facility=_group(sales, lambda t: t.seller, (f.slug for f in catalog.facilities)),
        by_category=_group(sales, lambda t: t.category, (c.slug for c in catalog.categories)),
        by_channel=tuple((c, by_channel[c]) for c in CHANNELS),
    )


def _buyer_units(transactions: Iterable[Transaction]) -> tuple[BuyerUnit, ...]:
    bought = [t for t in transactions if t.channel == "ekatalog" and t.buyer_type == "upt"]
    return tuple(BuyerUnit(slug, tally.count, tally.value)
                 for slug, tally in _group(bought, lambda t: t.buyer))


def _challenges_by_unit(catalog: Catalog) -> tuple[ChallengeRow, ...]:
    rows = []
    for facility in sorted(catalog.facilities, key=lambda f: f.slug):
        statuses = [c.status for c in facility.challenges]
        if statuses:
            counts = tuple((s, statuses.count(s)) for s in CHALLENGE_STATUSES)
            rows.append(ChallengeRow(facility.slug, counts, len(statuses)))
    return tuple(rows)


def _pnbp(catalog: Catalog) -> tuple[PnbpRow, ...]:
    realised: dict[tuple[int, str], int] = {}
    for t in catalog.transactions:
        realised[(t.date.year, t.seller)] = realised.get((t.date.year, t.seller), 0) + t.pnbp
    targets = {(year, f.slug): amount for f in catalog.facilities
               for year, amount in f.pnbp_targets.items()}
    return tuple(
        PnbpRow(year, slug, targets.get((year, slug)), realised.get((year, slug), 0),
                percent(realised.get((year, slug), 0), targets.get((year, slug))))
        for year, slug in sorted(realised.keys() | targets.keys())
    )


def _matrix(transactions: Iterable[Transaction]) -> tuple[MatrixCell, ...]:
    cells: dict[tuple[str, str], list[Transaction]] = {}
    for t in transactions:
        if t.buyer_type == "upt":
            cells.setdefault((t.seller, t.buyer), []).append(t)
    return tuple(MatrixCell(seller, buyer, len(rows), sum(t.total for t in rows))
                 for (seller, buyer), rows in sorted(cells.items()))


def _tally_json(tally: Tally) -> dict[str, int]:
    return {"count": tally.count, "quantity": tally.quantity, "value": tally.value}


def _groups_json(groups: Iterable[tuple[str, Tally]]) -> dict[str, dict[str, int]]:
    return {key: _tally_json(tally) for key, tally in groups}


def _nested(rows: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for outer, inner, value in rows:
        out.setdefault(outer, {})[inner] = value
    return out


def _share_json(rows: Iterable[ShareRow]) -> dict[str, dict[str, Any]]:
    return {r.slug: {"total": r.products, "ekatalog_live": r.live, "percent": r.percent}
            for r in rows}


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


def stats_json(stats: Stats) -> dict[str, Any]:
    """The figures as plain JSON data for `/data/stats.json` (schema_version 1)."""
    units = stats.buyer_units
    return {
        "schema_version": SCHEMA_VERSION,
        "products": _products_json(stats.listing),
        "ekatalog": {
            "buyer_units": len(units), "buyer_unit_slugs": [u.slug for u in units],
            "by_buyer_unit": {u.slug: {"count": u.count, "value": u.value} for u in units},
        },
        "transactions": _transactions_json(stats.recap),
        "pnbp": _nested((str(r.year), r.slug, {"target": r.target, "realised": r.realised,
                                               "percent": r.percent}) for r in stats.pnbp),
        "matrix": _nested((c.seller, c.buyer, c.value) for c in stats.matrix),
        "challenges": {
            "by_status": dict(stats.challenges_by_status),
            "by_facility": {row.slug: dict(row.by_status) for row in stats.challenges_by_unit},
        },
    }
