"""Readiness: a `Catalog` → how ready each product is for an e-catalogue listing ("Siap e-Katalog").

The checks, their order and the photo size come from `ekatalog_form.yaml`, the one list of what
the supplier form asks; each check key has one function here. A check the product's category
does not ask for (`when: tkdn_required`) is left out of its score, so a product scores
"7/10" or "9/12". The only input besides the catalogue is the size of each photo, read by
`photo_sizes` (image headers only), and the build date, against which certificates and
prices expire: no clock.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.imaging import Picture
from generator.model import Catalog, Category, Facility, Product, held_once
from generator.pages import product_image

FORM_FILE = Path(__file__).with_name("ekatalog_form.yaml")
Size = tuple[int, int]


@dataclass(frozen=True)
class CheckSpec:
    """One line of the form: what to check, where an editor fixes it, and when it applies."""

    key: str
    field: str
    when: str | None = None  # a flag of the category (`tkdn_required`), or every product


@dataclass(frozen=True)
class Column:
    """One column of the listing export: its header as the form words it, and its getter."""

    header: str
    value: str


@dataclass(frozen=True)
class Form:
    """The supplier form of `ekatalog_form.yaml`."""

    name: str
    min_photo_side: int
    checks: tuple[CheckSpec, ...]
    columns: tuple[Column, ...]
    product_type: str
    pdn: str


def load_form(path: Path = FORM_FILE) -> Form:
    """Read the form file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Form(
        name=data["form"], min_photo_side=int(data["min_photo_side"]),
        checks=tuple(CheckSpec(**item) for item in data["checks"]),
        columns=tuple(Column(**item) for item in data["columns"]),
        product_type=data["product_type"], pdn=data["pdn"],
    )


@dataclass(frozen=True)
class Item:
    """One check of one product: done, or the problem (`missing`, `expired`, `small`, ...)."""

    key: str
    field: str
    problem: str = ""

    @property
    def done(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Readiness:
    """A product's checks; `score` of `total` are done."""

    product: Product
    items: tuple[Item, ...]

    @property
    def score(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def missing(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.done)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def listable(self) -> bool:
        """Could be submitted today: complete, not live yet, still made."""
        product = self.product
        return self.complete and not product.is_live and product.availability != "discontinued"


@dataclass(frozen=True)
class UnitReadiness:
    """One unit's products by readiness: fewest gaps first."""

    facility: Facility
    rows: tuple[Readiness, ...]

    @property
    def slug(self) -> str:
        return self.facility.slug

    @property
    def products(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> int:
        return sum(row.complete for row in self.rows)

    @property
    def live(self) -> int:
        return sum(row.product.is_live for row in self.rows)

    @property
    def listable(self) -> int:
        return sum(row.listable for row in self.rows)


@dataclass(frozen=True)
class GapCount:
    """How many products miss one check, of those it applies to."""

    key: str
    missing: int
    applies: int


@dataclass(frozen=True)
class UnitCounts:
    """One unit's readiness in numbers."""

    facility: Facility
    products: int
    complete: int
    live: int
    listable: int

    @property
    def slug(self) -> str:
        return self.facility.slug


@dataclass(frozen=True)
class RegionReadiness:
    """What the e-catalogue pages show of readiness: counts per unit and for the region, and
    the checks most often missed. Only numbers: a product's description does not change it."""

    units: tuple[UnitCounts, ...]
    products: int
    complete: int
    live: int
    listable: int
    gaps: tuple[GapCount, ...]


@dataclass(frozen=True)
class ReadinessBook:
    """Readiness of every product, by unit and for the whole region."""

    form: Form
    by_product: Mapping[str, Readiness]
    units: tuple[UnitReadiness, ...]  # units with products, in slug order

    def of(self, product: Product) -> Readiness:
        """The readiness of one product."""
        return self.by_product[product.slug]

    def unit(self, facility: Facility) -> UnitReadiness:
        """One unit's products by readiness (empty for a unit without products)."""
        found = [u for u in self.units if u.facility.slug == facility.slug]
        return found[0] if found else UnitReadiness(facility, ())

    @property
    def rows(self) -> tuple[Readiness, ...]:
        """Every product, fewest gaps first."""
        return ranked(self.by_product.values())

    @property
    def products(self) -> int:
        return len(self.by_product)

    @property
    def complete(self) -> int:
        return sum(r.complete for r in self.by_product.values())

    @property
    def live(self) -> int:
        return sum(r.product.is_live for r in self.by_product.values())

    @property
    def listable(self) -> int:
        return sum(r.listable for r in self.by_product.values())

    @functools.cached_property
    def region(self) -> RegionReadiness:
        """The region's readiness in numbers (the e-catalogue pages), summed once."""
        units = tuple(UnitCounts(u.facility, u.products, u.complete, u.live, u.listable)
                      for u in self.units)
        return RegionReadiness(units, self.products, self.complete, self.live, self.listable,
                               self.gaps)

    @property
    def gaps(self) -> tuple[GapCount, ...]:
        """Each check with how many products miss it, most missed first, then form order."""
        counts = []
        for spec in self.form.checks:
            items = [i for r in self.by_product.values() for i in r.items if i.key == spec.key]
            counts.append(GapCount(spec.key, sum(not i.done for i in items), len(items)))
        return tuple(sorted(counts, key=lambda g: -g.missing))


def ranked(rows: Iterable[Readiness]) -> tuple[Readiness, ...]:
    """Fewest gaps first; then by name and slug."""
    return tuple(sorted(rows, key=lambda r: (len(r.missing), r.product.name.casefold(),
                                             r.product.slug)))


@dataclass(frozen=True)
class Facts:
    """What a check may look at besides the product itself."""

    category: Category
    sizes: Mapping[str, Size] | None  # photo sizes by content path; None: not measured
    today: dt.date
    min_side: int


def _category(product: Product, facts: Facts) -> str:
    return "" if facts.category.ekatalog_category else "missing"


def _present(value: object) -> str:
    return "" if value not in (None, "", (), {}) else "missing"


def _photo(product: Product, facts: Facts) -> str:
    if not product.images:
        return "missing"
    if facts.sizes is None:
        return ""
    sides = [min(facts.sizes.get(product_image(product, i), (0, 0))) for i in product.images]
    return "" if max(sides) >= facts.min_side else "small"


def _tkdn(product: Product, facts: Facts) -> str:
    tkdn = product.ekatalog.tkdn if product.ekatalog else None
    if tkdn is None:
        return "missing"
    if not tkdn.certificate or tkdn.valid_until is None:
        return "incomplete"
    return "expired" if tkdn.valid_until < facts.today else ""


def _price(product: Product, facts: Facts) -> str:
    if product.price is None:
        return "missing"
    valid = product.price_valid_until
    return "expired" if valid is not None and valid < facts.today else ""


CHECKS: Mapping[str, Callable[[Product, Facts], str]] = {
    "category": _category,
    "name": lambda p, f: _present(p.name),
    "photo": _photo,
    "kbki": lambda p, f: _present(p.ekatalog.kbki if p.ekatalog else None),
    "origin": lambda p, f: "",  # made in a correctional workshop in Indonesia: local, PDN
    "tkdn": _tkdn,
    "sni": lambda p, f: _present(p.ekatalog.sni if p.ekatalog else None),
    "brand": lambda p, f: _present(p.brand),
    "specs": lambda p, f: _present(dict(p.specs)),
    "unit": lambda p, f: _present(p.unit),
    "price": _price,
    "supply": lambda p, f: "" if p.stock is not None or p.capacity_per_month is not None
    else "missing",
}


def assess_product(product: Product, form: Form, facts: Facts) -> Readiness:
    """The checks of the form that apply to one product."""
    applying = [c for c in form.checks if c.when is None or getattr(facts.category, c.when)]
    # a million checks at 50,000 products, and few distinct outcomes
    return Readiness(product, held_once(tuple(held_once(Item(c.key, c.field, CHECKS[c.key](
        product, facts))) for c in applying)))


def assess(catalog: Catalog, today: dt.date, sizes: Mapping[str, Size] | None = None,
           form: Form | None = None) -> ReadinessBook:
    """Readiness of every product; photos are only counted when `sizes` is None."""
    form = form or load_form()
    by_product = {
        p.slug: assess_product(p, form, Facts(catalog.category(p.category), sizes, today,
                                              form.min_photo_side))
        for p in catalog.products
    }
    units = tuple(_unit(catalog, f, by_product) for f in catalog.facilities
                  if catalog.products_of(f))
    return ReadinessBook(form, by_product, units)


def reassess(book: ReadinessBook, catalog: Catalog, product: Product, today: dt.date,
             sizes: Mapping[str, Size] | None = None) -> ReadinessBook:
    """`book` with one product assessed again, in `catalog`, which holds its new record."""
    facts = Facts(catalog.category(product.category), sizes, today, book.form.min_photo_side)
    by_product = {**book.by_product, product.slug: assess_product(product, book.form, facts)}
    units = tuple(_unit(catalog, u.facility, by_product) if u.slug == product.facility else u
                  for u in book.units)
    return ReadinessBook(book.form, by_product, units)


def _unit(catalog: Catalog, facility: Facility,
          by_product: Mapping[str, Readiness]) -> UnitReadiness:
    return UnitReadiness(facility, ranked(by_product[p.slug]
                                          for p in catalog.products_of(facility)))


def photo_sizes(pictures: Mapping[str, Picture]) -> dict[str, Size]:
    """Width and height of every published photo, by content path (from the photo step)."""
    return {path: (picture.width, picture.height) for path, picture in pictures.items()}
