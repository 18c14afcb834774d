"""Quotes: a product, its unit and one language's UI strings → the "Minta penawaran" links.

A buyer who follows one gets a WhatsApp chat or a new e-mail, addressed to the unit (or to the
regional office when the unit has no such contact), that already names the product and its SKU
and leaves the quantity to fill in:

    Halo Lapas Kelas IIA Serang, saya ingin meminta penawaran harga untuk produk berikut.

    Produk: Sepatu Kulit
    Nomor produk (SKU): LSG-001
    Jumlah: ... pasang
    Tautan: https://contoh.go.id/produk/sepatu-kulit/

The words come from `templates/i18n/<lang>.yaml` (`quote.*`); the links from `urls`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.formats import format_number
from generator.model import Contact, Product
from generator.translations import Translations
from generator.urls import mailto_link, whatsapp_link


@dataclass(frozen=True)
class QuoteLinks:
    """The pre-filled links of a product page; None where nobody can be reached that way."""

    whatsapp: str | None
    email: str | None


@dataclass(frozen=True)
class Maker:
    """Who makes the product and who answers for it: the unit, else the regional office."""

    name: str  # the unit's name as the page shows it
    contact: Contact
    office: str
    office_contact: Contact


def quote_links(strings: Translations, product: Product, name: str, maker: Maker,
                url: str) -> QuoteLinks:
    """WhatsApp and e-mail links asking `maker` for a quote for `product` (shown as `name`)."""
    number = maker.contact.whatsapp or maker.office_contact.whatsapp
    address = maker.contact.email or maker.office_contact.email
    whatsapp = email = None
    if number:
        to_unit = bool(maker.contact.whatsapp)
        whatsapp = whatsapp_link(number, quote_message(strings, product, name, maker, url,
                                                       to_unit))
    if address:
        body = quote_message(strings, product, name, maker, url, bool(maker.contact.email))
        email = mailto_link(address, strings("quote.subject", name=name), body)
    return QuoteLinks(whatsapp, email)


def quote_message(strings: Translations, product: Product, name: str, maker: Maker, url: str,
                  to_unit: bool = True) -> str:
    """The request, one line each; the maker is named when the office receives it."""
    lines = [strings("quote.greeting", recipient=maker.name if to_unit else maker.office), "",
             strings("quote.product", name=name)]
    if not to_unit:
        lines.append(strings("quote.maker", maker=maker.name))
    if product.sku:
        lines.append(strings("quote.sku", sku=product.sku))
    lines += [quantity_line(strings, product), strings("quote.link", url=url)]
    return "\n".join(lines)


def quantity_line(strings: Translations, product: Product) -> str:
    """`Jumlah: ... pasang`, with the minimum order when there is one."""
    if product.min_order > 1:
        minimum = format_number(product.min_order, strings.locale)
        return strings("quote.quantity_min", unit=product.unit, minimum=minimum)
    return strings("quote.quantity", unit=product.unit)
