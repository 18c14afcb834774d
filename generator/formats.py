"""Formats: numbers, money, percentages and dates written the way each language reads them.

Takes a `Locale` (separators, currency prefix, month names — read from the language's
translation file by `translations`) and a value; gives the text shown on a page:

    id   Rp 1.250.000   1.250   45,5%   5 Maret 2024   Maret 2024   Rp 1,3 jt
    en   IDR 1,250,000  1,250   45.5%   5 March 2024   March 2024   IDR 1.3m

No system locale is consulted, so the output is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NO_VALUE = "–"


@dataclass(frozen=True)
class Locale:
    """How one language writes numbers and dates."""

    thousands: str
    decimal: str
    currency: str  # written before the amount, with its space: "Rp "
    months: tuple[str, ...]  # January first

    def with_separators(self, text: str) -> str:
        """Python's `1,234.5` → this locale's separators."""
        table: dict[str, str | int | None] = {",": self.thousands, ".": self.decimal}
        return text.translate(str.maketrans(table))


def format_number(value: int | None, locale: Locale) -> str:
    """A whole number with thousands separators: `1.250`."""
    return NO_VALUE if value is None else locale.with_separators(f"{value:,}")


def format_money(value: int | None, locale: Locale) -> str:
    """Whole rupiah: `Rp 1.250.000`."""
    return NO_VALUE if value is None else locale.currency + format_number(value, locale)


def format_compact_money(value: int | None, locale: Locale, units: tuple[str, ...]) -> str:
    """Rupiah rounded for a chart label: `Rp 12,5 jt`. `units` are the patterns of thousands,
    millions, billions and trillions (`"{number} jt"`); below a thousand the amount is exact."""
    if value is None:
        return NO_VALUE
    scaled, pattern = float(value), ""
    for unit in units:
        if abs(scaled) < 1000:
            break
        scaled, pattern = scaled / 1000, unit
    if not pattern:
        return format_money(value, locale)
    return locale.currency + pattern.format(number=format_decimal(scaled, locale))


def format_decimal(value: float | None, locale: Locale, digits: int = 1) -> str:
    """A number with at most `digits` decimals, trailing zeros dropped: `45,5`, `100`."""
    if value is None:
        return NO_VALUE
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return locale.with_separators(text)


def format_percent(value: float | None, locale: Locale) -> str:
    """A percentage with one decimal at most: `45,5%`."""
    return NO_VALUE if value is None else format_decimal(value, locale) + "%"


def format_date(value: dt.date | None, locale: Locale) -> str:
    """A day: `5 Maret 2024`."""
    if value is None:
        return NO_VALUE
    return f"{value.day} {locale.months[value.month - 1]} {value.year}"


def format_month(value: str, locale: Locale) -> str:
    """A `YYYY-MM` month key: `Maret 2024`."""
    year, month = value.split("-")
    return f"{locale.months[int(month) - 1]} {int(year)}"


def comma_decimal(value: float, places: int = 2) -> str:
    """A number as the console writes it in Indonesian, with `places` decimals: `6,47`."""
    return f"{value:.{places}f}".replace(".", ",")


def duration(seconds: float) -> tuple[str, str]:
    """A time taken, as the console writes it: Indonesian `6,47 detik`, and `6.47 s` for the
    English in brackets."""
    return f"{comma_decimal(seconds)} detik", f"{seconds:.2f} s"


def iso_datetime(value: dt.date) -> str:
    """Midnight UTC of a day, as Atom feeds want it: `2024-03-05T00:00:00Z`."""
    return f"{value.isoformat()}T00:00:00Z"
