"""Facets: a product → its search filters; a catalogue → the filter groups of the search page;
the products of one language → the facet file the search page filters, counts and sorts with.

Defined once here and nowhere else: the five filters (unit, category, e-catalogue status,
availability, price range), the price ranges, and the sort keys (price, newest, name). Product
pages carry their filters as `data-pagefind-filter` attributes; the search page offers the same
groups as checkboxes.

The facet file (`facet_file`) is what keeps browsing light: one row per product, in name order,
with its Pagefind page id, the index of each filter value, its price and the day it was added.
A phone that lists a unit's products fetches that file and the few result fragments it shows,
never the word index; a text search asks Pagefind for the matching pages and filters, counts
and sorts them with the same file.

Every value is a slug or a fixed key (`lapas-serang`, `live`, `50000-100000`), the same in every
language, so a search address can be shared between the Indonesian and the English page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import get_args

from generator.model import Availability, Catalog, Category, Facility, Product

FILTERS = ("unit", "category", "ekatalog", "availability", "price")
# Unit and category pages carry this filter, products do not: results list them apart.
PLACE = "place"
FACET_FILE_VERSION = 1
EKATALOG_VALUES = ("live", "submitted", "draft", "inactive", "none")
AVAILABILITY_VALUES: tuple[str, ...] = get_args(Availability)
# Lower bounds of the price ranges, in rupiah; each range runs up to the next bound.
PRICE_BOUNDS = (0, 50_000, 100_000, 250_000, 500_000, 1_000_000)
ON_REQUEST = "on-request"


@dataclass(frozen=True)
class PriceRange:
    """Prices from `low` (included) up to `high` (excluded); `high` None is open-ended."""

    key: str
    low: int
    high: int | None


def _price_ranges(bounds: Sequence[int]) -> tuple[PriceRange, ...]:
    highs = (*bounds[1:], None)
    return tuple(PriceRange(f"{low}-{high}" if high else f"{low}-plus", low, high)
                 for low, high in zip(bounds, highs, strict=True))


PRICE_RANGES = _price_ranges(PRICE_BOUNDS)


def price_range(price: int | None) -> str:
    """The key of the range a price falls in; `on-request` when there is no price."""
    if price is None:
        return ON_REQUEST
    return next(r.key for r in reversed(PRICE_RANGES) if price >= r.low)


def product_filters(product: Product) -> tuple[tuple[str, str], ...]:
    """(filter, value) pairs of a product, in the order of `FILTERS`."""
    status = product.ekatalog.status if product.ekatalog else "none"
    return (("unit", product.facility), ("category", product.category),
            ("ekatalog", status), ("availability", product.availability),
            ("price", price_range(product.price)))


def facet_file(rows: Sequence[tuple[Product, str]]) -> dict[str, object]:
    """The facet file of one language, from its products in name order and their page ids.

    Columns, one entry per product: `pages` (Pagefind page ids), for each filter its `values`
    and each product's index into them, `price` (null when on request) and `added` (days since
    1 January of year 1, 0 when unknown).
    """
    pairs = [dict(product_filters(p)) for p, _ in rows]
    filters = {}
    for key in FILTERS:
        values = sorted({pair[key] for pair in pairs})
        where = {value: n for n, value in enumerate(values)}
        filters[key] = {"values": values, "rows": [where[pair[key]] for pair in pairs]}
    return {
        "version": FACET_FILE_VERSION,
        "pages": [page for _, page in rows],
        "filters": filters,
        "price": [p.price for p, _ in rows],
        "added": [p.added.toordinal() if p.added else 0 for p, _ in rows],
    }


@dataclass(frozen=True)
class FacetValue:
    """One checkbox: a filter value, how many products have it, and what to call it."""

    value: str
    count: int
    record: Facility | Category | None = None  # units and categories are named by their record
    range: PriceRange | None = None  # price ranges are named by their bounds


@dataclass(frozen=True)
class FacetGroup:
    """One filter of the search page and its values, in the order shown."""

    key: str
    values: tuple[FacetValue, ...]


def facet_groups(catalog: Catalog) -> tuple[FacetGroup, ...]:
    """The filters of the search page, each value with its number of products.

    Units and categories are listed by name, like their tiles; statuses, availability and price
    ranges in their fixed order. A value no product has is left out.
    """
    counts = Counter(pair for p in catalog.products for pair in product_filters(p))

    def group(key: str, values: Sequence[str],
              describe: Callable[[str], FacetValue]) -> FacetGroup:
        shown = (describe(v) for v in values if counts[(key, v)])
        return FacetGroup(key, tuple(shown))

    facilities = sorted(catalog.facilities, key=lambda f: (f.name.casefold(), f.slug))
    categories = sorted(catalog.categories, key=lambda c: (c.name.casefold(), c.slug))
    ranges = {r.key: r for r in PRICE_RANGES}
    return (
        group("unit", [f.slug for f in facilities], lambda v: FacetValue(
            v, counts[("unit", v)], record=catalog.facility(v))),
        group("category", [c.slug for c in categories], lambda v: FacetValue(
            v, counts[("category", v)], record=catalog.category(v))),
        group("ekatalog", EKATALOG_VALUES, lambda v: FacetValue(v, counts[("ekatalog", v)])),
        group("availability", AVAILABILITY_VALUES,
              lambda v: FacetValue(v, counts[("availability", v)])),
        group("price", [*ranges, ON_REQUEST], lambda v: FacetValue(
            v, counts[("price", v)], range=ranges.get(v))),
    )
