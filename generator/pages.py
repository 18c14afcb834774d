"""Pages: a `Catalog` → every page of the site (`PageSpec`), the site map in one place.

Each `PageSpec` names its output file, template, language, route (for links, canonical URL and
the language switch), a small typed context and the content file behind it. Listings paginate,
so no page grows with the whole catalogue. `check_paths` reports two pages claiming one file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from generator.contexts import (
    Card,
    CategoriesContext,
    CategoryContext,
    CategoryRow,
    Context,
    DownloadContext,
    EkatalogContext,
    FacilitiesContext,
    FacilityContext,
    FacilityRow,
    FeedContext,
    FreePageContext,
    HomeContext,
    ListingContext,
    NotFoundContext,
    Pager,
    ProductContext,
    RecapContext,
    RobotsContext,
    SearchContext,
    SitemapContext,
    SitemapIndexContext,
    StatsContext,
)
from generator.errors import Diagnostic, Location, error
from generator.exports import TABLES, YEAR_TABLES, table_path
from generator.facets import facet_groups
from generator.model import Catalog, Facility, Language, ListingStatus, Product
from generator.periods import fiscal_years
from generator.recap import monthly_recap, unit_figures
from generator.search_bundle import merged_folders
from generator.stats import Stats, Tally, compute_stats
from generator.urls import SORTS, Route, SiteUrls, Sort, media_path

Cards = Mapping[str, Card]  # each product's card, by slug, made once per build

PAGE_SIZE = 24
EKATALOG_PAGE_SIZE = 50
FEATURED = 8
RELATED = 4
FEED_SIZE = 20
# What a buyer can use comes first on the e-catalogue page.
EKATALOG_ORDER: tuple[ListingStatus, ...] = ("live", "submitted", "draft", "inactive")
DOWNLOADS = ("products.json", "products.csv", "facilities.json", "stats.json")


@dataclass(frozen=True)
class PageSpec:
    """One output file: where it goes, how it is rendered, and the content behind it."""

    output: str
    template: str
    lang: Language
    route: Route
    context: Context
    source: Location | None = None


def site_pages(catalog: Catalog, build_date: dt.date, extra: Sequence[PageSpec] = (),
               search_parts: int = 1) -> tuple[PageSpec, ...]:
    """Every page and file of the site, in every language of `site.languages`; `extra`
    pages made by later stages (the changes page) join them, and the site map. The search
    page merges the parts of an index made in `search_parts` parts."""
    urls = SiteUrls.of(catalog.site)
    stats = compute_stats(catalog)
    yearly = {year: compute_stats(catalog, year) for year in fiscal_years(catalog)}
    shared = _Shared(stats, yearly, {p.slug: Card.of(p) for p in catalog.products},
                     _facility_rows(catalog), _category_rows(catalog))
    pages: list[PageSpec] = []
    for lang in catalog.site.languages:
        pages += _language_pages(catalog, shared, build_date, lang, search_parts)
    pages += extra
    pages += _shared_pages(catalog, shared, pages, build_date)
    return tuple(PageSpec(urls.output(p.route, p.lang), p.template, p.lang, p.route,
                          p.context, p.source) for p in pages)


@dataclass(frozen=True)
class _Shared:
    """What every language's pages are made from, worked out once per build: the statistics
    of all time and of each fiscal year, each product's card, the rows of units and
    categories."""

    stats: Stats
    yearly: Mapping[int, Stats]
    cards: Cards
    facility_rows: tuple[FacilityRow, ...]
    category_rows: tuple[CategoryRow, ...]


@dataclass(frozen=True)
class _InOrder:
    """The products in name order in one language (`name_key`): all, and those of each
    category and each unit, found by going through them once rather than sorted again."""

    by_name: tuple[Product, ...]
    by_category: Mapping[str, tuple[Product, ...]]
    by_facility: Mapping[str, tuple[Product, ...]]

    @classmethod
    def of(cls, catalog: Catalog, lang: Language) -> _InOrder:
        by_name = sort_products(catalog.products, "name", lang)
        by_category: dict[str, list[Product]] = {}
        by_facility: dict[str, list[Product]] = {}
        for product in by_name:
            by_category.setdefault(product.category, []).append(product)
            by_facility.setdefault(product.facility, []).append(product)
        return cls(by_name, {k: tuple(v) for k, v in by_category.items()},
                   {k: tuple(v) for k, v in by_facility.items()})


def _shared_pages(catalog: Catalog, shared: _Shared, language_pages: Sequence[PageSpec],
                  build_date: dt.date) -> list[PageSpec]:
    """The sitemaps, the 404 page, robots.txt and the data files: one copy for all languages."""
    languages = catalog.site.languages
    default = languages[0]
    pages = [_page("sitemap.xml", lang, Route("language-sitemap", lang),
                   SitemapContext(_sitemap_routes(language_pages, lang)))
             for lang in languages]
    pages += [
        _page("404.html", default, Route("not-found"), NotFoundContext()),
        _page("sitemap-index.xml", default, Route("sitemap"),
              SitemapIndexContext(tuple(p.route for p in pages))),
        _page("robots.txt", default, Route("robots"), RobotsContext()),
    ]
    pages += [_page(name, default, Route("data", name), DownloadContext(name, shared.stats))
              for name in DOWNLOADS if name != "stats.json"]
    return pages + _stats_downloads(catalog, shared, build_date)


def _stats_downloads(catalog: Catalog, shared: _Shared, build_date: dt.date) -> list[PageSpec]:
    """`stats.json` and the CSV of every statistics table, all time and per fiscal year."""
    default = catalog.site.languages[0]
    periods: list[tuple[int | None, Stats]] = [(None, shared.stats), *shared.yearly.items()]
    pages = [_page("stats.json", default, Route("data", "stats.json"),
                   DownloadContext("stats.json", shared.stats, build_date))]
    for year, figures in periods:
        names = [table_path(t, year) for t in (TABLES if year is None else YEAR_TABLES)]
        pages += [_page(n, default, Route("data", n), DownloadContext(n, figures))
                  for n in names]
    return pages


def _stats_pages(catalog: Catalog, shared: _Shared, build_date: dt.date,
                 lang: Language) -> list[PageSpec]:
    """Statistics of all time, of each fiscal year, and each year's printable recap."""
    years = tuple(shared.yearly)
    pages = [_page("stats.html", lang, Route("statistics"),
                   StatsContext(shared.stats, build_date, years))]
    for year, figures in shared.yearly.items():
        pages += [
            _page("stats.html", lang, Route("statistics", str(year)),
                  StatsContext(figures, build_date, years)),
            _page("recap.html", lang, Route("recap", str(year)),
                  RecapContext(monthly_recap(catalog, figures), figures, build_date, years)),
        ]
    return pages


def _page(template: str, lang: Language, route: Route, context: Context,
          source: Location | None = None) -> PageSpec:
    """A page whose output file `site_pages` fills in from its route."""
    return PageSpec("", template, lang, route, context, source)


def _language_pages(catalog: Catalog, shared: _Shared, build_date: dt.date,
                    lang: Language, search_parts: int) -> list[PageSpec]:
    ordered = _InOrder.of(catalog, lang)
    pages = [
        _page("home.html", lang, Route("home"), _home(catalog, shared, ordered)),
        _page("facilities.html", lang, Route("facilities"),
              FacilitiesContext(shared.facility_rows)),
        _page("categories.html", lang, Route("categories"),
              CategoriesContext(shared.category_rows)),
        _page("search.html", lang, Route("search"),
              SearchContext(shared.category_rows, shared.facility_rows,
                            facet_groups(catalog),
                            merged_folders((p.slug for p in catalog.products), search_parts))),
        _page("feed.xml", lang, Route("feed"),
              FeedContext(_newest(p for p in ordered.by_name if p.added)[:FEED_SIZE],
                          build_date)),
    ]
    pages += _stats_pages(catalog, shared, build_date, lang)
    pages += _product_pages(catalog, build_date, lang, shared, ordered)
    pages += _listing_pages(lang, shared.cards, ordered)
    pages += _facility_pages(catalog, shared, lang, ordered)
    pages += _category_pages(catalog, lang, shared.cards, ordered)
    pages += _ekatalog_pages(shared.stats, lang, ordered)
    pages += [_page("page.html", lang, Route("page", p.slug), FreePageContext(p), p.source)
              for p in catalog.pages]
    return pages


def name_key(product: Product, lang: Language) -> tuple[str, str]:
    """Sort key: the name shown in `lang`, case-insensitive, then the slug."""
    name = product.en.name if lang != "id" and product.en.name else product.name
    return (name.casefold(), product.slug)


def sort_products(products: Iterable[Product], sort: Sort,
                  lang: Language) -> tuple[Product, ...]:
    """Products by name, by price (lowest first, "on request" last) or newest first."""
    return sorted_from_names(sorted(products, key=lambda p: name_key(p, lang)), sort)


def sorted_from_names(by_name: Sequence[Product], sort: Sort) -> tuple[Product, ...]:
    """Products already in name order (`name_key`), sorted by `sort` (`sort_products`)."""
    if sort == "price":
        return tuple(sorted(by_name, key=lambda p: (p.price is None, p.price or 0)))
    if sort == "newest":
        return _newest(by_name)
    return tuple(by_name)


def _newest(products: Iterable[Product]) -> tuple[Product, ...]:
    """Newest `added` first, undated last; ties keep the order given."""
    return tuple(sorted(products, key=lambda p: -p.added.toordinal() if p.added else 1))


def paginate(items: Sequence[Card | Product], route: Route, size: int) -> tuple[Pager, ...]:
    """Pages of at most `size` items; an empty listing still has its first page."""
    count = max(1, -(-len(items) // size))
    return tuple(Pager(route.at_page(n), tuple(items[(n - 1) * size:n * size]), count,
                       len(items), size) for n in range(1, count + 1))


def _cards(products: Iterable[Product], cards: Cards) -> tuple[Card, ...]:
    return tuple(cards[p.slug] for p in products)


def _home(catalog: Catalog, shared: _Shared, ordered: _InOrder) -> HomeContext:
    featured = tuple(p for p in ordered.by_name if p.featured)
    return HomeContext(
        featured=_cards((featured or _newest(catalog.products))[:FEATURED], shared.cards),
        categories=shared.category_rows,
        facilities=shared.facility_rows,
        stats=shared.stats,
    )


def _facility_rows(catalog: Catalog) -> tuple[FacilityRow, ...]:
    ordered = sorted(catalog.facilities, key=lambda f: (f.name.casefold(), f.slug))
    return tuple(facility_row(catalog, f) for f in ordered)


def facility_row(catalog: Catalog, facility: Facility) -> FacilityRow:
    """A unit with how many products it lists and how many are live on the e-catalogue."""
    products = catalog.products_of(facility)
    return FacilityRow(facility, len(products), sum(p.is_live for p in products))


def _category_rows(catalog: Catalog) -> tuple[CategoryRow, ...]:
    ordered = sorted(catalog.categories, key=lambda c: (c.name.casefold(), c.slug))
    return tuple(CategoryRow(c, len(catalog.products_in(c))) for c in ordered)


def _product_pages(catalog: Catalog, build_date: dt.date, lang: Language, shared: _Shared,
                   ordered: _InOrder) -> list[PageSpec]:
    makers = {row.facility.slug: row for row in shared.facility_rows}
    kin = ordered.by_category
    place = {p.slug: n for products in kin.values() for n, p in enumerate(products)}
    return [_product_page(product, makers[product.facility], catalog, build_date, lang,
                          _cards(related_products(product, kin[product.category],
                                                  at=place[product.slug]), shared.cards))
            for product in catalog.products]


def _product_page(product: Product, maker: FacilityRow, catalog: Catalog, build_date: dt.date,
                  lang: Language, related: tuple[Card, ...]) -> PageSpec:
    stale = product.price_valid_until is not None and product.price_valid_until < build_date
    context = ProductContext(product, maker, catalog.category(product.category), stale,
                             related)
    return _page("product.html", lang, Route("product", product.slug), context, product.source)


def product_pages(catalog: Catalog, product: Product, build_date: dt.date) -> list[PageSpec]:
    """One product's pages, in every language, as `site_pages` makes them (the dev server's
    quick preview of an edited product)."""
    urls = SiteUrls.of(catalog.site)
    maker = facility_row(catalog, catalog.facility(product.facility))
    pages = []
    for lang in catalog.site.languages:
        kin = sort_products(catalog.products_in(catalog.category(product.category)), "name",
                            lang)
        related = tuple(Card.of(p) for p in related_products(product, kin))
        page = _product_page(product, maker, catalog, build_date, lang, related)
        pages.append(replace(page, output=urls.output(page.route, lang)))
    return pages


def related_products(product: Product, kin: Sequence[Product], count: int = RELATED,
                     at: int | None = None) -> tuple[Product, ...]:
    """Up to `count` products of `kin` (its category, in name order) other than `product`,
    which stands at `at` in `kin` when the caller knows where.

    The ones after it by name, wrapping round to the start: every product is shown on some
    other page, and the choice never changes between builds.
    """
    if at is None:
        at = next((n for n, p in enumerate(kin) if p.slug == product.slug), len(kin))
    after = kin[at + 1:at + 1 + count]
    return tuple((*after, *kin[:max(0, min(at, count - len(after)))]))


def _listing_pages(lang: Language, cards: Cards, ordered: _InOrder) -> list[PageSpec]:
    pages = []
    for sort in SORTS:
        listed = _cards(sorted_from_names(ordered.by_name, sort), cards)
        for pager in paginate(listed, Route("products", sort=sort), PAGE_SIZE):
            pages.append(_page("listing.html", lang, pager.route, ListingContext(pager)))
    return pages


def _facility_pages(catalog: Catalog, shared: _Shared, lang: Language,
                    ordered: _InOrder) -> list[PageSpec]:
    sales = dict(shared.stats.recap.by_facility)
    pages = []
    for facility in catalog.facilities:
        products = ordered.by_facility.get(facility.slug, ())
        live = sum(p.is_live for p in products)
        tally = sales.get(facility.slug, Tally())
        figures = unit_figures(catalog, shared.stats, facility)
        for pager in paginate(_cards(products, shared.cards), Route("facility", facility.slug),
                              PAGE_SIZE):
            context = FacilityContext(facility, pager, len(products), live, tally, figures)
            pages.append(_page("facility.html", lang, pager.route, context, facility.source))
    return pages


def _category_pages(catalog: Catalog, lang: Language, cards: Cards,
                    ordered: _InOrder) -> list[PageSpec]:
    pages = []
    for category in catalog.categories:
        products = _cards(ordered.by_category.get(category.slug, ()), cards)
        for pager in paginate(products, Route("category", category.slug), PAGE_SIZE):
            pages.append(_page("category.html", lang, pager.route,
                               CategoryContext(category, pager), category.source))
    return pages


def _ekatalog_pages(stats: Stats, lang: Language, ordered: _InOrder) -> list[PageSpec]:
    listed = [p for p in ordered.by_name if p.ekatalog]
    ranked = sorted(listed, key=lambda p: EKATALOG_ORDER.index(p.ekatalog.status)
                    if p.ekatalog else 0)
    return [_page("ekatalog.html", lang, pager.route, EkatalogContext(pager, stats.listing))
            for pager in paginate(ranked, Route("ekatalog"), EKATALOG_PAGE_SIZE)]


def _sitemap_routes(pages: Iterable[PageSpec], lang: Language) -> tuple[Route, ...]:
    """Routes of the HTML pages of `lang`; other sort orders are left to the crawler."""
    return tuple(p.route for p in pages
                 if p.lang == lang and p.template.endswith(".html") and p.route.sort == "name")


def product_image(product: Product, image: str) -> str:
    """Content-relative path of a product image, written relative to the product's folder."""
    folder = PurePosixPath(product.source.file).parent.name
    return media_path(f"products/{folder}", image)


def facility_photo(facility: Facility) -> str | None:
    """Content-relative path of a unit's photo, written relative to `facilities/`."""
    return media_path("facilities", facility.photo) if facility.photo else None


def check_paths(pages: Sequence[PageSpec]) -> list[Diagnostic]:
    """An error for each page whose output file another page already claims."""
    claims: dict[str, list[PageSpec]] = {}
    for page in pages:
        claims.setdefault(page.output, []).append(page)
    problems = []
    for output, claimants in sorted(claims.items()):
        owner, *others = sorted(claimants, key=_claim_order)
        problems += [_collision(output, owner, other) for other in others]
    return problems


def _claim_order(page: PageSpec) -> tuple[bool, Location]:
    """Built-in pages own their address; among content files, the first path wins."""
    return (page.source is not None, page.source or Location(""))


def _collision(output: str, owner: PageSpec, other: PageSpec) -> Diagnostic:
    owner_id = str(owner.source.file) if owner.source else "halaman bawaan"
    owner_en = str(owner.source.file) if owner.source else "a built-in page"
    return error(
        other.source or Location(output), "",
        f'alamat halaman "{output}" sudah dipakai oleh {owner_id}; ganti nama berkas',
        f'page address "{output}" is already used by {owner_en}; rename the file',
    )
