"""Workbook: a table → an XLSX file of one sheet, as the listing-form workbooks are made.

A module of its own, importing nothing of the generator: the workbooks are made in worker
processes, each a fresh interpreter (`processes.run_jobs`), which import only this to start.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.format import Format

Cell = str | int | float | dt.date | None
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")  # text a spreadsheet would take for a formula
SHEET_TITLE = "e-Katalog"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def to_xlsx(table: Sequence[Sequence[Cell]], build_date: dt.date) -> bytes:
    """One sheet: bold frozen header, filters, numbers as numbers, text never a formula.
    Written row by row through temporary files (XlsxWriter's `constant_memory`), which hold a
    sheet of 50,000 products rather than memory; twice as fast as openpyxl's write-only mode
    (a sheet of 10,000 rows: 1.3 s against 2.9)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet(SHEET_TITLE)
    formats = _Formats(workbook)
    header = table[0] if table else ("",)
    for index, value in enumerate(header):
        sheet.set_column(index, index, max(12, len(str(value)) + 2))
    for row, values in enumerate(table):
        for column, value in enumerate(values):
            if value is None or value == "":
                continue  # an empty cell
            if isinstance(value, str):  # a string cell, shown as typed, never evaluated
                sheet.write_string(row, column, value, formats.text(value, bold=row == 0))
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, column, value, formats.date)
            else:
                sheet.write_number(row, column, value, formats.bold if row == 0 else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(0, len(table) - 1), len(header) - 1)
    stamp = dt.datetime.combine(build_date, dt.time())
    workbook.set_properties({"created": stamp})  # also its date of change
    workbook.close()
    return _finished(buffer.getvalue())


class _Formats:
    """The cell formats of a workbook: the header's bold, dates, and text that a
    spreadsheet would take for a formula marked to show as typed (`quotePrefix`)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})

    def text(self, value: str, bold: bool) -> Format | None:
        if value.startswith(RISKY_STARTS):
            return self.bold_quoted if bold else self.quoted
        return self.bold if bold else None


def _finished(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and no file mode, so the bytes depend
    neither on the clock nor on how the temporary files were made."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
