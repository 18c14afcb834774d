"""Periods: the fiscal years of a catalogue and the months of a period, as figures key them.

A period is all time (`None`) or one fiscal year, which in Indonesia runs January to December.
Months are `YYYY-MM` strings, so they sort as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from generator.model import Catalog


def fiscal_years(catalog: Catalog) -> tuple[int, ...]:
    """Every year with a sale or a PNBP target, oldest first: one statistics page each."""
    years = {t.date.year for t in catalog.transactions}
    years |= {year for f in catalog.facilities for year in f.pnbp_targets}
    return tuple(sorted(years))


def in_period(year: int | None, day: dt.date) -> bool:
    """Whether `day` falls in the period: all time, or fiscal year `year`."""
    return year is None or day.year == year


def month_key(day: dt.date) -> str:
    """`YYYY-MM`, the key of a month in every figure."""
    return f"{day.year:04d}-{day.month:02d}"


def period_months(days: Iterable[dt.date], year: int | None) -> list[str]:
    """Every month of fiscal year `year`, or from the first day to the last for all time."""
    if year is not None:
        return [f"{year:04d}-{month:02d}" for month in range(1, 13)]
    months = sorted(month_key(day) for day in days)
    return _months_between(months[0], months[-1]) if months else []


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
