"""Small catalogues built straight from the model classes, for the page, stats and render tests.

Nothing here reads content files, so these tests do not depend on loading or validation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.errors import Location
from generator.model import (
    Catalog,
    Category,
    Facility,
    Listing,
    Page,
    Product,
    SiteConfig,
    Transaction,
)


def site(**changes: Any) -> SiteConfig:
    """Site settings of a test catalogue; `changes` override single fields."""
    fields: dict[str, Any] = {
        "title": "Etalase Uji", "organization": "Kanwil Uji",
        "base_url": "https://contoh.go.id/", "languages": ("id", "en"),
    }
    return SiteConfig(**(fields | changes))


def category(slug: str, name: str, **fields: Any) -> Category:
    return Category(slug=slug, name=name, source=Location("content/categories.yaml", 1, 3),
                    **fields)


def facility(slug: str, name: str = "", **fields: Any) -> Facility:
    defaults: dict[str, Any] = {"kind": "lapas", "city": "Serang"}
    return Facility(slug=slug, name=name or f"Unit {slug}",
                    source=Location(f"content/facilities/{slug}.md", 1, 1),
                    **(defaults | fields))


def product(slug: str, facility: str = "lapas-a", category: str = "alas-kaki",
            **fields: Any) -> Product:
    defaults: dict[str, Any] = {"name": slug.replace("-", " ").title(), "unit": "pcs"}
    return Product(slug=slug, facility=facility, category=category,
                   source=Location(f"content/products/{facility}/{slug}.md", 1, 1),
                   **(defaults | fields))


def live(url: str = "https://katalog.example/p/1", **fields: Any) -> Listing:
    return Listing(status="live", url=url, **fields)


def page(slug: str, title: str, **fields: Any) -> Page:
    return Page(slug=slug, title=title, source=Location(f"content/pages/{slug}.md", 1, 1),
                **fields)


def sale(day: str, item: Product, quantity: int, unit_price: int, buyer: str,
         buyer_type: str = "public", channel: str = "direct", pnbp: int = 0,
         line: int = 2) -> Transaction:
    """One transaction row; seller and category come from the product, as validation does."""
    return Transaction(
        source=Location("content/transactions/2024.csv", line, 1),
        date=dt.date.fromisoformat(day), product=item.slug, quantity=quantity,
        unit_price=unit_price, buyer=buyer, buyer_type=buyer_type, channel=channel,
        pnbp=pnbp, seller=item.facility, category=item.category,
    )


def catalog(products: tuple[Product, ...] = (), facilities: tuple[Facility, ...] = (),
            categories: tuple[Category, ...] = (), transactions: tuple[Transaction, ...] = (),
            pages: tuple[Page, ...] = (), **site_changes: Any) -> Catalog:
    """A catalogue; units and categories named by the products are made up when not given."""
    facilities = facilities or tuple(facility(s) for s in sorted({p.facility for p in products}))
    categories = categories or tuple(
        category(s, s.replace("-", " ").title()) for s in sorted({p.category for p in products}))
    return Catalog(site=site(**site_changes), categories=categories, facilities=facilities,
                   products=products, transactions=transactions, pages=pages)
