"""The six figures on a tiny catalogue whose every number was worked out by hand.

Three units (lapas-a, rutan-b, lpka-c), two categories, six products and seven sales:

    T1 2024-01-15 sepatu  2 × 250.000 = 500.000  → rutan-b (upt)   ekatalog    pnbp 100.000
    T2 2024-01-20 keripik 10 × 10.000 = 100.000  → Dinas Sosial    direct      pnbp  25.000
    T3 2024-03-05 sepatu  1 × 250.000 = 250.000  → lpka-c (upt)    ekatalog    pnbp  50.000
    T4 2024-03-31 keripik 30 × 10.000 = 300.000  → lapas-a (upt)   direct      pnbp  75.000
    T5 2025-02-01 kue     5 × 20.000  = 100.000  → lapas-a (upt)   ekatalog    pnbp  20.000
    T6 2025-02-10 sandal  4 × 50.000  = 200.000  → Budi (public)   exhibition  pnbp       0
    T7 2024-12-31 sepatu  1 × 250.000 = 250.000  → rutan-b (upt)   ekatalog    pnbp  50.000
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.exports import stats_json
from generator.model import Catalog, Challenge, Listing
from generator.stats import (
    BuyerUnit,
    ChallengeRow,
    MatrixCell,
    PnbpRow,
    ShareRow,
    Stats,
    Tally,
    compute_stats,
    percent,
)
from tests.catalogs import catalog, category, facility, live, product, sale

SEPATU = product("sepatu", "lapas-a", "alas-kaki", price=250_000, ekatalog=live())
SANDAL = product("sandal", "lapas-a", "alas-kaki", price=50_000,
                 ekatalog=Listing(status="submitted"))
KERIPIK = product("keripik", "rutan-b", "makanan", price=10_000, ekatalog=live())
ROTI = product("roti", "rutan-b", "makanan", ekatalog=Listing(status="draft"))
KUE = product("kue", "lpka-c", "makanan", price=20_000)
DOMPET = product("dompet", "lpka-c", "alas-kaki", price=75_000,
                 ekatalog=Listing(status="inactive"))


def _challenge(day: str, status: str) -> Challenge:
    return Challenge(date=dt.date.fromisoformat(day), challenge="Kendala", status=status)


def tiny_catalog() -> Catalog:
    units = (
        facility("lapas-a", pnbp_targets={2024: 1_000_000, 2025: 500_000},
                 challenges=(_challenge("2024-02-01", "open"),
                             _challenge("2024-05-01", "resolved"))),
        facility("rutan-b", kind="rutan", pnbp_targets={2024: 300_000},
                 challenges=(_challenge("2024-06-01", "in-progress"),)),
        facility("lpka-c", kind="lpka"),
    )
    sales = (
        sale("2024-01-15", SEPATU, 2, 250_000, "rutan-b", "upt", "ekatalog", 100_000),
        sale("2024-01-20", KERIPIK, 10, 10_000, "Dinas Sosial", "government", "direct", 25_000),
        sale("2024-03-05", SEPATU, 1, 250_000, "lpka-c", "upt", "ekatalog", 50_000),
        sale("2024-03-31", KERIPIK, 30, 10_000, "lapas-a", "upt", "direct", 75_000),
        sale("2025-02-01", KUE, 5, 20_000, "lapas-a", "upt", "ekatalog", 20_000),
        sale("2025-02-10", SANDAL, 4, 50_000, "Budi", "public", "exhibition", 0),
        sale("2024-12-31", SEPATU, 1, 250_000, "rutan-b", "upt", "ekatalog", 50_000),
    )
    return catalog(
        products=(SEPATU, SANDAL, KERIPIK, ROTI, KUE, DOMPET), facilities=units,
        categories=(category("alas-kaki", "Alas Kaki"), category("makanan", "Makanan")),
        transactions=sales,
    )


@pytest.fixture(scope="module")
def stats() -> Stats:
    return compute_stats(tiny_catalog())


def test_figure_1_products_on_the_ekatalog(stats: Stats) -> None:
    listing = stats.listing
    assert (listing.products, listing.live, listing.percent) == (6, 2, 33.3)
    assert listing.by_facility == (
        ShareRow("lapas-a", 2, 1, 50.0), ShareRow("lpka-c", 2, 0, 0.0),
        ShareRow("rutan-b", 2, 1, 50.0))
    assert listing.by_category == (
        ShareRow("alas-kaki", 3, 1, 33.3), ShareRow("makanan", 3, 1, 33.3))
    assert listing.pipeline == (
        ("draft", 1), ("submitted", 1), ("live", 2), ("inactive", 1), ("none", 1))


def test_figure_2_units_that_bought_through_the_ekatalog(stats: Stats) -> None:
    # T4 is inter-unit but direct, so lapas-a counts only for T5.
    assert stats.buyer_units == (
        BuyerUnit("lapas-a", 1, 100_000), BuyerUnit("lpka-c", 1, 250_000),
        BuyerUnit("rutan-b", 2, 750_000))


def test_figure_3_transaction_recap(stats: Stats) -> None:
    recap = stats.recap
    assert recap.total == Tally(7, 53, 1_700_000)
    by_month = dict(recap.by_month)
    months = list(by_month)
    assert (months[0], months[-1], len(months)) == ("2024-01", "2025-02", 14)  # gaps as zero
    assert by_month["2024-01"] == Tally(2, 12, 600_000)
    assert by_month["2024-02"] == Tally(0, 0, 0)
    assert by_month["2024-03"] == Tally(2, 31, 550_000)
    assert by_month["2024-12"] == Tally(1, 1, 250_000)
    assert by_month["2025-02"] == Tally(2, 9, 300_000)
    assert recap.by_facility == (
        ("lapas-a", Tally(4, 8, 1_200_000)), ("lpka-c", Tally(1, 5, 100_000)),
        ("rutan-b", Tally(2, 40, 400_000)))
    assert recap.by_category == (
        ("alas-kaki", Tally(4, 8, 1_200_000)), ("makanan", Tally(3, 45, 500_000)))
    assert recap.by_channel == (
        ("ekatalog", Tally(4, 9, 1_100_000)), ("direct", Tally(2, 40, 400_000)),
        ("exhibition", Tally(1, 4, 200_000)), ("marketplace", Tally()), ("other", Tally()))


def test_figure_4_challenges_by_status_and_unit(stats: Stats) -> None:
    assert stats.challenges_by_status == (("open", 1), ("in-progress", 1), ("resolved", 1))
    assert stats.challenges_by_unit == (
        ChallengeRow("lapas-a", (("open", 1), ("in-progress", 0), ("resolved", 1)), 2),
        ChallengeRow("rutan-b", (("open", 0), ("in-progress", 1), ("resolved", 0)), 1))


def test_figure_5_pnbp_target_against_realisation(stats: Stats) -> None:
    assert stats.pnbp == (
        PnbpRow(2024, "lapas-a", 1_000_000, 200_000, 20.0),
        PnbpRow(2024, "rutan-b", 300_000, 100_000, 33.3),
        PnbpRow(2025, "lapas-a", 500_000, 0, 0.0),
        PnbpRow(2025, "lpka-c", None, 20_000, None),
    )


def test_figure_6_who_buys_from_whom(stats: Stats) -> None:
    assert stats.matrix == (
        MatrixCell("lapas-a", "lpka-c", 1, 250_000),
        MatrixCell("lapas-a", "rutan-b", 2, 750_000),
        MatrixCell("lpka-c", "lapas-a", 1, 100_000),
        MatrixCell("rutan-b", "lapas-a", 1, 300_000),
    )
    assert stats.matrix_sellers == ("lapas-a", "lpka-c", "rutan-b")
    assert stats.matrix_buyers == ("lapas-a", "lpka-c", "rutan-b")
    assert stats.matrix_value("lapas-a", "rutan-b") == 750_000
    assert stats.matrix_value("rutan-b", "lpka-c") == 0


def test_stats_json_has_the_published_keys(stats: Stats) -> None:
    data = json.loads(json.dumps(stats_json(tiny_catalog(), stats)))  # plain JSON types only
    assert data["schema_version"] == 2
    assert data["products"]["total"] == 6
    assert data["products"]["ekatalog_live"] == 2
    assert data["products"]["by_facility"]["lapas-a"] == {"total": 2, "ekatalog_live": 1}
    assert data["ekatalog"]["buyer_units"] == 3
    assert data["ekatalog"]["buyer_unit_slugs"] == ["lapas-a", "lpka-c", "rutan-b"]
    transactions = data["transactions"]
    assert (transactions["count"], transactions["quantity"], transactions["value"]) == (
        7, 53, 1_700_000)
    assert transactions["by_month"]["2024-03"] == {"count": 2, "quantity": 31, "value": 550_000}
    assert transactions["by_channel"]["ekatalog"]["value"] == 1_100_000
    assert transactions["by_facility"]["rutan-b"]["quantity"] == 40
    assert data["pnbp"]["2024"]["lapas-a"] == {
        "target": 1_000_000, "realised": 200_000, "percent": 20.0}
    assert data["pnbp"]["2025"]["lpka-c"]["target"] is None
    assert data["matrix"] == {"lapas-a": {"lpka-c": 250_000, "rutan-b": 750_000},
                              "lpka-c": {"lapas-a": 100_000}, "rutan-b": {"lapas-a": 300_000}}
    assert data["challenges"]["by_status"] == {"open": 1, "in-progress": 1, "resolved": 1}


def test_an_empty_catalogue_has_no_figures_and_no_division_by_zero() -> None:
    empty = compute_stats(catalog())
    assert empty.listing.percent is None
    assert empty.recap.total == Tally()
    assert empty.recap.by_month == ()
    assert empty.buyer_units == () and empty.matrix == () and empty.pnbp == ()


def test_percent_rounds_to_one_decimal() -> None:
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(5, 0) is None
    assert percent(5, None) is None
