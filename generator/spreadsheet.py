"""Spreadsheet: product lists in CSV or XLSX ↔ product files.

Units already keep their products in spreadsheets. `import_products` turns one into product
files, checking every row first and writing nothing when any row is bad; `export_rows` is the
reverse, and its output imports back unchanged. One row is one product; lists are separated
by ";", specifications are written "Label: value; Label: value".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from pydantic import ValidationError

from generator.diagnose import THOUSANDS_RE, describe
from generator.errors import Diagnostic, Location, error
from generator.model import Product, slugify

LIST_SEPARATOR = ";"
COLUMNS = (
    "slug", "facility", "name", "category", "unit", "price", "price_valid_until", "sku",
    "brand", "materials", "specs", "variants", "stock", "capacity_per_month", "lead_time_days",
    "min_order", "availability", "ekatalog_status", "ekatalog_url", "ekatalog_product_id",
    "ekatalog_listed_on", "ekatalog_kbki", "ekatalog_sni", "tkdn_percent", "tkdn_certificate",
    "tkdn_valid_until", "tags", "featured", "added", "draft", "images", "name_en",
    "description_en", "description",
)
LISTS = frozenset({"materials", "variants", "tags", "images"})
INTEGERS = frozenset({"price", "stock", "capacity_per_month", "lead_time_days", "min_order"})
BOOLEANS = frozenset({"featured", "draft"})
NESTED = {  # column → path in the product's front matter
    "ekatalog_status": ("ekatalog", "status"), "ekatalog_url": ("ekatalog", "url"),
    "ekatalog_product_id": ("ekatalog", "product_id"),
    "ekatalog_listed_on": ("ekatalog", "listed_on"), "ekatalog_kbki": ("ekatalog", "kbki"),
    "ekatalog_sni": ("ekatalog", "sni"), "tkdn_percent": ("ekatalog", "tkdn", "percent"),
    "tkdn_certificate": ("ekatalog", "tkdn", "certificate"),
    "tkdn_valid_until": ("ekatalog", "tkdn", "valid_until"),
    "name_en": ("en", "name"), "description_en": ("en", "description"),
}
_TRUE, _FALSE = {"true", "ya", "yes", "1"}, {"false", "tidak", "no", "0", ""}


@dataclass(frozen=True)
class SheetRow:
    """One row of a sheet: where it is, and its cells by column name."""

    location: Location
    cells: Mapping[str, str]
    columns: Mapping[str, int]


@dataclass(frozen=True)
class Planned:
    """A product file to write: its content-relative path and text."""

    path: str
    text: str


class CellError(Exception):
    def __init__(self, column: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.column, self.message_id, self.message_en = column, message_id, message_en


def read_rows(path: Path) -> Iterator[SheetRow]:
    """Every non-empty row of a CSV file or of every sheet of an XLSX workbook."""
    if path.suffix.lower() == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            yield from _rows(f"{path.as_posix()}[{sheet.title}]",
                             [[_text(c) for c in row] for row in sheet.iter_rows(values_only=True)])
        workbook.close()
    else:
        text = path.read_text(encoding="utf-8-sig")
        yield from _rows(path.as_posix(), list(csv.reader(io.StringIO(text))))


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _rows(file: str, table: list[list[str]]) -> Iterator[SheetRow]:
    if not table:
        return
    header = [name.strip() for name in table[0]]
    columns = {name: index + 1 for index, name in enumerate(header) if name}
    for number, cells in enumerate(table[1:], start=2):
        values = {name: cells[i - 1] if name == "description" else cells[i - 1].strip()
                  for name, i in columns.items() if i - 1 < len(cells)}
        if any(v.strip() for v in values.values()):
            yield SheetRow(Location(file, number, 1), values, columns)


def row_data(row: SheetRow, facility: str | None) -> dict[str, Any]:
    """A row → front matter data (still unvalidated); raises CellError for unreadable cells."""
    data: dict[str, Any] = {}
    for column, text in row.cells.items():
        if not text or column in ("slug", "description"):
            continue
        value = _cell(column, text)
        target = data
        *parents, last = NESTED.get(column, (column,))
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    if facility and "facility" not in data:
        data["facility"] = facility
    return data


def _cell(column: str, text: str) -> Any:
    if column in INTEGERS:
        if THOUSANDS_RE.match(text):
            plain = re.sub(r"[.,]", "", text)
            raise CellError(column, f"tulis angka tanpa titik ribuan: {plain}, bukan \"{text}\"",
                            f"write the number without separators: {plain}, not \"{text}\"")
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if column == "tkdn_percent":
        return float(text.replace(",", ".")) if re.fullmatch(r"\d+([.,]\d+)?", text) else text
    if column in BOOLEANS:
        if text.lower() not in _TRUE | _FALSE:
            raise CellError(column, "isi ya atau tidak", "write yes or no")
        return text.lower() in _TRUE
    if column in LISTS:
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    if column == "specs":
        return dict(_spec(part) for part in text.split(LIST_SEPARATOR) if part.strip())
    return text


def _spec(part: str) -> tuple[str, str]:
    label, _, value = part.partition(":")
    if not value.strip():
        raise CellError("specs", "tulis spesifikasi sebagai \"Label: nilai; Label: nilai\"",
                        "write specifications as \"Label: value; Label: value\"")
    return label.strip(), value.strip()


def plan_import(rows: Sequence[SheetRow], facility: str | None, facilities: set[str],
                categories: set[str], existing: set[str]) -> tuple[list[Planned], list[Diagnostic]]:
    """The files a sheet would write, or every problem of every row (then nothing is written)."""
    planned: list[Planned] = []
    found: list[Diagnostic] = []
    seen: dict[str, Location] = {}
    for row in rows:
        try:
            data = row_data(row, facility)
        except CellError as exc:
            found.append(_at(row, exc.column, exc.message_id, exc.message_en))
            continue
        found += _references(row, data, facilities, categories)
        slug = row.cells.get("slug") or slugify(str(data.get("name", "")))
        path = f"products/{data.get('facility')}/{slug}.md"
        if slug in seen or path in existing:
            where = seen.get(slug) or path
            found.append(_at(row, "slug", f"produk \"{slug}\" sudah ada ({where})",
                              f"product \"{slug}\" already exists ({where})"))
        seen[slug] = row.location
        try:
            product = Product.model_validate({**data, "slug": slug, "source": row.location,
                                              "body": row.cells.get("description", "")})
        except ValidationError as exc:
            found += [_pydantic(row, detail) for detail in exc.errors()]
            continue
        planned.append(Planned(path, product_file(product)))
    return ([] if found else planned), found


def _references(row: SheetRow, data: Mapping[str, Any], facilities: set[str],
                categories: set[str]) -> list[Diagnostic]:
    found = []
    unit, category = data.get("facility"), data.get("category")
    if isinstance(unit, str) and unit not in facilities:
        found.append(_at(row, "facility", f"unit \"{unit}\" tidak ada",
                         f"there is no unit \"{unit}\""))
    if isinstance(category, str) and category not in categories:
        found.append(_at(row, "category", f"kategori \"{category}\" tidak ada",
                         f"there is no category \"{category}\""))
    return found


def _column_of(loc: tuple[Any, ...]) -> str:
    path = tuple(str(part) for part in loc if not isinstance(part, int))
    for column, nested in NESTED.items():
        if nested == path:
            return column
    return path[0] if path else ""


def _pydantic(row: SheetRow, detail: Any) -> Diagnostic:
    column = _column_of(tuple(detail["loc"]))
    message_id, message_en = describe(detail, row.cells.get(column))
    return _at(row, column, message_id, message_en)


def _at(row: SheetRow, column: str, message_id: str, message_en: str) -> Diagnostic:
    where = Location(row.location.file, row.location.line, row.columns.get(column, 1))
    return error(where, column, message_id, message_en)


def product_file(product: Product) -> str:
    """The text of a product file: front matter in the model's field order, then the body."""
    data = product.model_dump(mode="python", by_alias=True, exclude_defaults=True,
                              exclude=set(product.internal_fields))
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    body = product.body if product.body.endswith("\n") or not product.body else product.body + "\n"
    return f"---\n{front}---\n{body}"


def export_row(product: Product) -> dict[str, str]:
    """A product as one spreadsheet row: the reverse of `row_data`."""
    data = product.model_dump(mode="json", by_alias=True, exclude=set(product.internal_fields))
    row = {column: _flat(_dig(data, NESTED.get(column, (column,)))) for column in COLUMNS}
    row.update(slug=product.slug, description=product.body)
    return row


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(map(str, value))
    if isinstance(value, dict):
        return f"{LIST_SEPARATOR} ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def export_csv(products: Sequence[Product]) -> str:
    """Products as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_row(p) for p in products)
    return out.getvalue()


def export_xlsx(products: Sequence[Product], path: Path) -> None:
    """Products as an XLSX workbook with one sheet, "Produk"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Produk"
    sheet.append(list(COLUMNS))
    for number, product in enumerate(products, start=2):
        row = export_row(product)
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            text = row[column]
            if column in INTEGERS and text.isdigit():
                cell.value = int(text)
            else:
                cell.value = text
                cell.data_type = "s"  # text stays text: "=..." never becomes a formula
    workbook.save(path)
