"""Properties of the figures over generated sales (hypothesis): every breakdown adds up.

Whatever the sales, the breakdowns by unit, month, channel and category each add up to the total,
the who-buys-from-whom matrix adds up to the sales between units, the fiscal years add up to all
time, and a PNBP percentage stays within 0..100 while the deposit does not exceed the target.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.exports import spreadsheet_cell
from generator.model import Catalog, Listing, Product, Transaction
from generator.periods import fiscal_years
from generator.recap import monthly_recap
from generator.stats import Stats, Tally, compute_stats, percent
from tests.catalogs import catalog, category, facility, live, product, sale

UNITS = ("lapas-a", "rutan-b", "lpka-c")
PRODUCTS = (
    product("sepatu", "lapas-a", "alas-kaki", ekatalog=live()),
    product("sandal", "lapas-a", "alas-kaki"),
    product("keripik", "rutan-b", "makanan", ekatalog=Listing(status="submitted")),
    product("kue", "lpka-c", "makanan"),
)
CATEGORIES = (category("alas-kaki", "Alas Kaki"), category("makanan", "Makanan"))
SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def sales(draw: st.DrawFn) -> Transaction:
    """One sale of any product, on any day of 2023-2026, to a unit or to someone else."""
    item: Product = draw(st.sampled_from(PRODUCTS))
    kind = draw(st.sampled_from(("upt", "government", "business", "public")))
    buyer = draw(st.sampled_from(UNITS)) if kind == "upt" else draw(
        st.sampled_from(("Dinas Sosial", "Budi", "CV Maju")))
    day = draw(st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)))
    return sale(day.isoformat(), item, draw(st.integers(1, 500)),
                draw(st.integers(0, 2_000_000)), buyer, kind,
                draw(st.sampled_from(("ekatalog", "direct", "exhibition", "marketplace",
                                      "other"))),
                draw(st.integers(0, 1_000_000)))


def shop(transactions: list[Transaction], targets: dict[str, dict[int, int]] | None = None,
         ) -> Catalog:
    units = tuple(facility(slug, pnbp_targets=(targets or {}).get(slug, {})) for slug in UNITS)
    return catalog(PRODUCTS, facilities=units, categories=CATEGORIES,
                   transactions=tuple(sorted(transactions, key=lambda t: t.date)))


def added(groups: tuple[tuple[str, Tally], ...]) -> Tally:
    return Tally(sum(t.count for _, t in groups), sum(t.quantity for _, t in groups),
                 sum(t.value for _, t in groups))


@SETTINGS
@given(st.lists(sales(), max_size=60), st.sampled_from((None, 2023, 2024, 2025, 2026)))
def test_every_breakdown_adds_up_to_the_total(rows: list[Transaction], year: int | None) -> None:
    stats = compute_stats(shop(rows), year)
    recap = stats.recap
    for groups in (recap.by_facility, recap.by_month, recap.by_channel, recap.by_category):
        assert added(groups) == recap.total
    mine = [t for t in rows if year is None or t.date.year == year]
    assert recap.total == Tally(len(mine), sum(t.quantity for t in mine),
                                sum(t.total for t in mine))


@SETTINGS
@given(st.lists(sales(), max_size=60), st.sampled_from((None, 2024, 2025)))
def test_the_matrix_adds_up_to_the_sales_between_units(rows: list[Transaction],
                                                       year: int | None) -> None:
    stats: Stats = compute_stats(shop(rows), year)
    between = sum(t.total for t in rows
                  if t.buyer_type == "upt" and (year is None or t.date.year == year))
    assert sum(cell.value for cell in stats.matrix) == stats.matrix_total == between
    assert sum(stats.matrix_row_total(s) for s in stats.matrix_sellers) == between
    assert sum(stats.matrix_column_total(b) for b in stats.matrix_buyers) == between
    assert all(0 <= stats.matrix_level(c.value) <= 5 for c in stats.matrix)


@SETTINGS
@given(st.lists(sales(), max_size=60))
def test_fiscal_years_add_up_to_all_time(rows: list[Transaction]) -> None:
    shop_ = shop(rows)
    whole = compute_stats(shop_)
    years = [compute_stats(shop_, y) for y in fiscal_years(shop_)]
    assert added(tuple((str(s.year), s.recap.total) for s in years)) == whole.recap.total
    assert sum(s.matrix_total for s in years) == whole.matrix_total
    for figures in years:
        recap = monthly_recap(shop_, figures)
        assert recap.total.value == figures.recap.total.value
        assert sum(recap.month_totals) == sum(u.total for u in recap.by_facility)
        assert recap.total.pnbp == sum(r.realised for r in figures.pnbp)


@SETTINGS
@given(st.lists(sales(), max_size=40), st.integers(0, 50_000_000))
def test_pnbp_percent_stays_within_0_and_100_up_to_the_target(rows: list[Transaction],
                                                               extra: int) -> None:
    deposits: dict[tuple[str, int], int] = {}
    for t in rows:
        deposits[(t.seller, t.date.year)] = deposits.get((t.seller, t.date.year), 0) + t.pnbp
    # every target at least what was deposited: realisation never exceeds it
    targets: dict[str, dict[int, int]] = {}
    for (slug, year), amount in deposits.items():
        targets.setdefault(slug, {})[year] = amount + extra or 1
    stats = compute_stats(shop(rows, targets))
    for row in stats.pnbp:
        assert row.percent is not None and 0 <= row.percent <= 100
    for total in stats.pnbp_totals:
        assert total.percent is not None and 0 <= total.percent <= 100


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_percent_of_a_part_is_within_0_and_100(part: int, whole: int) -> None:
    value = percent(min(part, whole), whole)
    assert value is not None and 0 <= value <= 100


@given(st.text())
def test_no_text_reaches_a_spreadsheet_as_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.removeprefix("'") == text or cell == text
