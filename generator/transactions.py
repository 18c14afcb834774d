"""Transactions: CSV tables → `Transaction` records, each error at its CSV line.

The seller of a sale is the product's unit; PNBP defaults to the total times `pnbp_rate`. A
sale dated after `today` (when the build knows today's date) is a typing mistake in the year.
Spreadsheet habits get a clear word: `15.000` means fifteen thousand, and we say so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, get_args

from generator.diagnose import THOUSANDS_RE
from generator.errors import Diagnostic, Location, did_you_mean, error, warning
from generator.load import Row, Table
from generator.model import BuyerType, Channel, Product, Transaction

REQUIRED = ("date", "product", "quantity", "unit_price", "buyer", "channel")
OPTIONAL = ("buyer_type", "pnbp", "note")


T = TypeVar("T")


class RowError(Exception):
    """A cell that cannot be read; carries the column and the bilingual message."""

    def __init__(self, column: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.column, self.message_id, self.message_en = column, message_id, message_en


class RowErrors(Exception):
    """Every unreadable cell of one row."""

    def __init__(self, problems: list[RowError]) -> None:
        super().__init__(f"{len(problems)} bad cell(s)")
        self.problems = problems


def read_transactions(tables: Iterable[Table], products: Mapping[str, Product],
                      known: Mapping[str, set[str]], pnbp_rate: float,
                      found: list[Diagnostic], today: dt.date | None = None) -> list[Transaction]:
    """Every valid row of every table; problems are appended to `found`.

    `known` holds the slugs written in any file, valid or not: a row selling a product whose
    own file has an error is skipped without a second message.
    """
    records: list[Transaction] = []
    for table in tables:
        problems = _check_header(table)
        found += problems
        if any(p.severity == "error" for p in problems):
            continue
        for row in table.rows:
            where = Location(table.file, row.line, 1)
            slug = row.values.get("product", "")
            if slug not in products and slug in known["product"]:
                continue
            try:
                record = _transaction(row, where, products, known["facility"], pnbp_rate,
                                      today)
            except RowErrors as exc:
                found += [error(where, p.column, p.message_id, p.message_en)
                          for p in exc.problems]
                continue
            records.append(record)
            if record.buyer_type == "upt" and record.buyer == record.seller:
                found.append(warning(where, "buyer", "unit membeli dari dirinya sendiri",
                                     "a unit buys from itself"))
    return records


def _check_header(table: Table) -> list[Diagnostic]:
    where = Location(table.file, 1, 1)
    missing = [name for name in REQUIRED if name not in table.header]
    found = []
    if missing:
        found.append(error(where, "", f"kolom wajib tidak ada: {', '.join(missing)}",
                           f"required columns missing: {', '.join(missing)}"))
    for name in table.header:
        if name not in REQUIRED + OPTIONAL:
            hint_id, hint_en = did_you_mean(name, REQUIRED + OPTIONAL)
            found.append(warning(where, name, f"kolom tidak dikenal dan diabaikan{hint_id}",
                                 f"unknown column, ignored{hint_en}"))
    return found


def _transaction(row: Row, where: Location, products: Mapping[str, Product],
                 facilities: set[str], pnbp_rate: float, today: dt.date | None) -> Transaction:
    """One sale; raises `RowErrors` listing every unreadable cell of the row."""
    cells = row.values
    problems: list[RowError] = []

    def read(parse: Callable[..., T], *args: Any) -> T | None:
        try:
            return parse(*args)
        except RowError as exc:
            problems.append(exc)
            return None

    product = read(_product, cells.get("product", ""), products)
    quantity = read(_integer, cells, "quantity", 1)
    unit_price = read(_integer, cells, "unit_price", 0)
    buyer_type = read(_choice, cells, "buyer_type", get_args(BuyerType), "public")
    buyer = read(_buyer, cells.get("buyer", ""), buyer_type, facilities)
    pnbp = read(_integer, cells, "pnbp", 0) if cells.get("pnbp") else None
    date = read(_date, cells.get("date", ""), today)
    channel = read(_choice, cells, "channel", get_args(Channel))
    if problems:
        raise RowErrors(problems)
    assert product and quantity and unit_price is not None and date and channel and buyer
    return Transaction(
        source=where, date=date, product=product.slug, quantity=quantity,
        unit_price=unit_price, buyer=buyer, buyer_type=buyer_type or "public", channel=channel,
        pnbp=_share(quantity * unit_price, pnbp_rate) if pnbp is None else pnbp,
        note=cells.get("note", ""), seller=product.facility, category=product.category,
    )


def _share(total: int, rate: float) -> int:
    """PNBP owed on a sale, rounded half up to whole rupiah."""
    return int((Decimal(total) * Decimal(str(rate))).quantize(Decimal(1), ROUND_HALF_UP))


def _date(text: str, today: dt.date | None) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise RowError("date", f"tanggal harus ditulis TTTT-BB-HH, tertulis \"{text}\"",
                       f"the date must be written YYYY-MM-DD, written \"{text}\"")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RowError("date", f"tanggal {text} tidak ada di kalender",
                       f"the date {text} does not exist") from None
    if today is not None and day > today:
        raise RowError("date", f"tanggal {text} belum terjadi (hari ini {today}); periksa tahunnya",
                       f"the date {text} is in the future (today is {today}); check the year")
    return day


def _integer(cells: Mapping[str, str], column: str, minimum: int) -> int:
    text = cells.get(column, "")
    if THOUSANDS_RE.match(text):
        plain = re.sub(r"[.,]", "", text)
        raise RowError(column, f"tulis angka tanpa titik ribuan: {plain}, bukan \"{text}\"",
                       f"write the number without thousands separators: {plain}, not \"{text}\"")
    if not re.fullmatch(r"-?\d+", text):
        raise RowError(column, f"harus bilangan bulat, tertulis \"{text}\"",
                       f"must be a whole number, written \"{text}\"")
    if int(text) < minimum:
        raise RowError(column, f"tidak boleh kurang dari {minimum}, tertulis \"{text}\"",
                       f"must be at least {minimum}, written \"{text}\"")
    return int(text)


def _choice(cells: Mapping[str, str], column: str, choices: tuple[str, ...],
            default: str | None = None) -> str:
    text = cells.get(column, "") or default or ""
    if text in choices:
        return text
    hint_id, hint_en = did_you_mean(text, choices)
    listed = ", ".join(choices)
    raise RowError(column, f"harus salah satu dari: {listed}; tertulis \"{text}\"{hint_id}",
                   f"must be one of: {listed}; written \"{text}\"{hint_en}")


def _product(slug: str, products: Mapping[str, Product]) -> Product:
    if slug in products:
        return products[slug]
    hint_id, hint_en = did_you_mean(slug, products)
    raise RowError("product", f"produk \"{slug}\" tidak ada{hint_id}",
                   f"there is no product \"{slug}\"{hint_en}")


def _buyer(text: str, buyer_type: str | None, facilities: set[str]) -> str:
    if not text:
        raise RowError("buyer", "wajib diisi", "is required")
    if buyer_type == "upt" and text not in facilities:
        hint_id, hint_en = did_you_mean(text, facilities)
        raise RowError("buyer", f"unit pembeli \"{text}\" tidak ada{hint_id}",
                       f"there is no buying unit \"{text}\"{hint_en}")
    return text
