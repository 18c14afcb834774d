"""Page contexts: the small typed records a template receives, one kind per template.

Built by `pages`, read by `render`: model objects and a few computed figures, never a settings
dict. Each record's fields become the template's variables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, is_dataclass

from generator.changes import Changes
from generator.errors import Location
from generator.facets import FacetGroup
from generator.model import Category, Facility, Listing, Page, Product, ProductEn
from generator.recap import MonthlyRecap, UnitFigures
from generator.stats import ListingFigures, Stats, Tally
from generator.urls import Route

WINDOW = 2  # page numbers shown either side of the current one


def field_names(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass (a context, or a record it holds), in declared order, worked
    out once per type; none for another type. A context's fields are its template's
    variables, and what its page's key spells (`pagecache`)."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()
    return _FIELD_NAMES[kind]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Card:
    """What a product card shows (listings, unit and category pages, "related" blocks, the
    home page): a product page's context holds only these fields of its neighbours, so an edit
    to a description or a spec renders again only the pages that show it in full."""

    slug: str
    name: str
    en: ProductEn  # its English name, when given
    facility: str
    category: str
    price: int | None
    unit: str
    images: tuple[str, ...]  # the first is the card's photo
    source: Location  # where the images are found
    ekatalog: Listing | None

    @classmethod
    def of(cls, product: Product) -> Card:
        return cls(product.slug, product.name, ProductEn.model_construct(name=product.en.name),
                   product.facility, product.category, product.price, product.unit,
                   product.images[:1], product.source, product.ekatalog)

    @property
    def is_live(self) -> bool:
        """Registered on the e-catalogue: a listing with status `live`."""
        return self.ekatalog is not None and self.ekatalog.status == "live"


@dataclass(frozen=True)
class Pager:
    """One page of a listing: its items and the way to the others."""

    route: Route
    items: tuple[Card | Product, ...]  # cards, or whole products (the e-catalogue's table)
    count: int  # pages in the listing
    total: int  # items in the listing
    size: int  # items per page

    @property
    def number(self) -> int:
        return self.route.page

    @property
    def previous(self) -> Route | None:
        return self.route.at_page(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> Route | None:
        return self.route.at_page(self.number + 1) if self.number < self.count else None

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_item(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def window(self) -> tuple[int | None, ...]:
        """Page numbers to link: the first, the last and those near this one; None is a gap."""
        near = {1, self.count, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        shown = sorted(n for n in near if 1 <= n <= self.count)
        numbers: list[int | None] = []
        for n in shown:
            if numbers and numbers[-1] is not None and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return tuple(numbers)

    def at(self, number: int) -> Route:
        """The route of page `number` of this listing."""
        return self.route.at_page(number)


@dataclass(frozen=True)
class FacilityRow:
    """A unit with how many products it lists and how many are live on the e-catalogue."""

    facility: Facility
    products: int
    live: int


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    products: int


@dataclass(frozen=True)
class HomeContext:
    featured: tuple[Card, ...]
    categories: tuple[CategoryRow, ...]
    facilities: tuple[FacilityRow, ...]
    stats: Stats


@dataclass(frozen=True)
class ProductContext:
    product: Product
    maker: FacilityRow  # the unit that makes it, with its product counts
    category: Category
    price_stale: bool  # the price is past its `price_valid_until`
    related: tuple[Card, ...]  # a few other products of the same category


@dataclass(frozen=True)
class FacilityContext:
    facility: Facility
    pager: Pager
    products: int
    live: int
    sales: Tally  # every recorded sale of its products
    figures: UnitFigures  # its sales per year, PNBP progress, buyers and purchases


@dataclass(frozen=True)
class CategoryContext:
    category: Category
    pager: Pager


@dataclass(frozen=True)
class ListingContext:
    pager: Pager


@dataclass(frozen=True)
class FacilitiesContext:
    rows: tuple[FacilityRow, ...]


@dataclass(frozen=True)
class CategoriesContext:
    rows: tuple[CategoryRow, ...]


@dataclass(frozen=True)
class EkatalogContext:
    pager: Pager  # listed products: live first, then submitted, draft, inactive
    listing: ListingFigures


@dataclass(frozen=True)
class ChangesContext:
    """Products added, changed and removed since the previous build, and the data files."""

    changes: Changes
    downloads: tuple[tuple[str, str], ...]  # (data file, its JSON Schema)


@dataclass(frozen=True)
class StatsContext:
    """A statistics page: all time (`stats.year` None) or one fiscal year."""

    stats: Stats
    as_of: dt.date
    years: tuple[int, ...] = ()  # the fiscal years that have a page of their own


@dataclass(frozen=True)
class RecapContext:
    """The printable monthly recap (`Rekapitulasi`) of one fiscal year."""

    recap: MonthlyRecap
    stats: Stats  # the figures of that year
    as_of: dt.date
    years: tuple[int, ...]


@dataclass(frozen=True)
class SearchContext:
    """The search page: its filters, and the ways to browse that work without JavaScript."""

    categories: tuple[CategoryRow, ...]
    facilities: tuple[FacilityRow, ...]
    facets: tuple[FacetGroup, ...] = ()
    parts: tuple[str, ...] = ()  # folders of the search index's other parts, to merge


@dataclass(frozen=True)
class FreePageContext:
    page: Page


@dataclass(frozen=True)
class NotFoundContext:
    pass


@dataclass(frozen=True)
class FeedContext:
    products: tuple[Product, ...]
    updated: dt.date


@dataclass(frozen=True)
class SitemapIndexContext:
    """`/sitemap.xml`: one sitemap per language."""

    sitemaps: tuple[Route, ...]


@dataclass(frozen=True)
class SitemapContext:
    """`/sitemap-<lang>.xml`: the pages of one language, each with its twins."""

    routes: tuple[Route, ...]


@dataclass(frozen=True)
class RobotsContext:
    pass


@dataclass(frozen=True)
class DownloadContext:
    """A data file made by Python, not by a template; statistics of the period of `stats`."""

    name: str
    stats: Stats
    as_of: dt.date | None = None  # the date of the figures, written into stats.json


Context = (
    HomeContext | ProductContext | FacilityContext | CategoryContext | ListingContext
    | FacilitiesContext | CategoriesContext | EkatalogContext | StatsContext | RecapContext
    | SearchContext
    | FreePageContext | NotFoundContext | FeedContext | SitemapIndexContext | SitemapContext
    | RobotsContext | DownloadContext | ChangesContext
)
