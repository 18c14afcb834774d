"""Facets: a product's filters, the price ranges, the search page's groups and the facet file."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.facets import (
    FILTERS,
    PRICE_RANGES,
    facet_file,
    facet_groups,
    price_range,
    product_filters,
)
from tests.catalogs import catalog, category, facility, live, product


@pytest.mark.parametrize(("price", "key"), [
    (None, "on-request"), (0, "0-50000"), (49_999, "0-50000"), (50_000, "50000-100000"),
    (999_999, "500000-1000000"), (1_000_000, "1000000-plus"), (75_000_000, "1000000-plus"),
])
def test_a_price_falls_in_one_range(price: int | None, key: str) -> None:
    assert price_range(price) == key


def test_price_ranges_follow_each_other_without_gaps() -> None:
    assert [(r.low, r.high) for r in PRICE_RANGES] == [
        (0, 50_000), (50_000, 100_000), (100_000, 250_000), (250_000, 500_000),
        (500_000, 1_000_000), (1_000_000, None)]


def test_a_product_carries_one_value_of_each_filter() -> None:
    shoes = product("sepatu", facility="lapas-serang", category="alas-kaki", price=275_000,
                    ekatalog=live(), availability="made-to-order")
    assert product_filters(shoes) == (
        ("unit", "lapas-serang"), ("category", "alas-kaki"), ("ekatalog", "live"),
        ("availability", "made-to-order"), ("price", "250000-500000"))
    assert dict(product_filters(product("x")))["ekatalog"] == "none"
    assert [key for key, _ in product_filters(shoes)] == list(FILTERS)


def test_search_page_groups_count_products_and_leave_out_empty_values() -> None:
    products = (product("a", "lapas-b", price=10_000), product("b", "lapas-a", price=10_000),
                product("c", "lapas-a", ekatalog=live()))
    units = (facility("lapas-a", "Lapas Zeta"), facility("lapas-b", "Lapas Alfa"),
             facility("lapas-c", "Lapas Kosong"))
    groups = {g.key: g for g in facet_groups(catalog(products, facilities=units,
                                                     categories=(category("alas-kaki", "A"),)))}
    assert [g for g in groups] == list(FILTERS)
    assert [(v.value, v.count) for v in groups["unit"].values] == [("lapas-b", 1), ("lapas-a", 2)]
    assert groups["unit"].values[0].record == units[1]
    assert [(v.value, v.count) for v in groups["ekatalog"].values] == [("live", 1), ("none", 2)]
    assert [(v.value, v.count) for v in groups["price"].values] == [
        ("0-50000", 2), ("on-request", 1)]
    assert groups["price"].values[0].range == PRICE_RANGES[0]
    assert groups["price"].values[1].range is None


def test_the_facet_file_has_one_row_per_product_in_the_order_given() -> None:
    rows = [(product("b", "lapas-b", price=5_000, added=dt.date(2024, 3, 5)), "id_bbb"),
            (product("a", "lapas-a"), "id_aaa")]
    data = facet_file(rows)
    assert data["pages"] == ["id_bbb", "id_aaa"]
    assert data["price"] == [5_000, None]
    assert data["added"] == [dt.date(2024, 3, 5).toordinal(), 0]
    unit = data["filters"]["unit"]  # type: ignore[index]
    assert unit == {"values": ["lapas-a", "lapas-b"], "rows": [1, 0]}
    assert sorted(data["filters"]) == sorted(FILTERS)  # type: ignore[arg-type]
