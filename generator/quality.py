"""Quality: warnings about content that is valid but not ready to sell.

Stale prices, expired TKDN certificates, a live e-catalogue listing for a product no longer
made, a product without a photo, a unit with workshops but no products. Warnings, so a build
still goes; `--strict` (as CI runs) makes them errors. Dates are judged against `today`, which
comes from the command line, never from the clock here; without it, date checks are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generator.errors import Diagnostic, warning
from generator.load import Document
from generator.model import Facility, Product


def product_warnings(product: Product, doc: Document, today: dt.date | None) -> list[Diagnostic]:
    """What keeps one product from being ready to sell."""
    found = []
    valid_until = product.price_valid_until
    if today and valid_until and valid_until < today and product.price is not None:
        found.append(warning(
            doc.at(("price_valid_until",)), "price_valid_until",
            f"harga berlaku sampai {valid_until} sudah lewat; perbarui harga dan tanggalnya",
            f"the price was valid until {valid_until}; update the price and the date"))
    listing = product.ekatalog
    tkdn = listing.tkdn if listing else None
    if today and tkdn and tkdn.valid_until and tkdn.valid_until < today:
        found.append(warning(
            doc.at(("ekatalog", "tkdn", "valid_until")), "ekatalog.tkdn.valid_until",
            f"sertifikat TKDN berakhir {tkdn.valid_until}; perbarui sertifikatnya",
            f"the TKDN certificate expired on {tkdn.valid_until}; renew it"))
    if product.is_live and product.availability == "discontinued":
        found.append(warning(
            doc.at(("availability",)), "availability",
            "produk tidak dibuat lagi tetapi masih tayang di e-Katalog; ubah status listingnya"
            " menjadi inactive", "the product is discontinued but still live on the"
            " e-catalogue; set its listing status to inactive"))
    if not product.images:
        found.append(warning(
            doc.at(("name",)), "images",
            "produk belum punya foto; tambahkan foto di images (e-Katalog mewajibkan foto)",
            "the product has no photo yet; add one under images (the e-catalogue needs one)"))
    return found


def unit_warnings(units: Sequence[tuple[Facility, Document]],
                  products: Sequence[Product]) -> list[Diagnostic]:
    """Units that list workshops but sell nothing yet."""
    makers = {p.facility for p in products}
    return [warning(doc.at(("workshops",)), "workshops",
                    "unit punya bengkel kerja tetapi belum punya produk; tambahkan produknya",
                    "the unit has workshops but no products yet; add its products")
            for facility, doc in units if facility.workshops and facility.slug not in makers]
