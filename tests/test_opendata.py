"""Open data: every data download of the demo validates against the JSON Schema published
beside it, and a product's `id` is the same everywhere."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest

from generator import downloads

SCHEMAS = {"products.json": "products.schema.json", "facilities.json": "facilities.schema.json",
           "stats.json": "stats.schema.json", "changes.json": "changes.schema.json"}
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def validator(site: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((site / "data" / name).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://etalase.example.go.id/data/{name}"
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def errors(check: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(data)]


@pytest.mark.parametrize(("download", "schema"), sorted(SCHEMAS.items()))
def test_json_downloads_follow_their_schema(demo_site: Path, download: str,
                                            schema: str) -> None:
    data = json.loads((demo_site / "data" / download).read_text("utf-8"))
    assert errors(validator(demo_site, schema), data) == []


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


def test_csv_and_xlsx_rows_follow_their_schema(demo_site: Path) -> None:
    products = validator(demo_site, "products-csv.schema.json")
    rows = csv_rows(demo_site / "data/products.csv")
    assert len(rows) == 50 and all(errors(products, row) == [] for row in rows)
    sheet = validator(demo_site, "ekatalog.schema.json")
    units = json.loads((demo_site / "data/facilities.json").read_text("utf-8"))["facilities"]
    sheets = [demo_site / "data" / f"ekatalog-{u['slug']}.csv" for u in units if u["products"]]
    assert len(sheets) == 15
    for path in [demo_site / "data/ekatalog.csv", *sheets]:
        for row in csv_rows(path):
            assert errors(sheet, row) == [], path.name
    book = openpyxl.load_workbook(demo_site / "data/ekatalog.xlsx", read_only=True)
    header, *table = book.active.iter_rows(values_only=True)
    for values in table:
        row = {h: "" if v is None else (v.date().isoformat() if hasattr(v, "date") else str(v))
               for h, v in zip(header, values, strict=True)}
        assert errors(sheet, row) == []
    book.close()


def test_the_schemas_catch_a_wrong_file(demo_site: Path) -> None:
    data = json.loads((demo_site / "data/products.json").read_text("utf-8"))
    data["products"][0]["price"] = "275.000"
    del data["products"][1]["id"]
    found = errors(validator(demo_site, "products.schema.json"), data)
    assert found == ["['products', 0, 'price']: '275.000' is not valid under any of the given"
                     " schemas", "['products', 1]: 'id' is a required property"]


def test_a_product_has_one_id_in_every_download(demo_site: Path) -> None:
    products = json.loads((demo_site / "data/products.json").read_text("utf-8"))["products"]
    ids = [p["id"] for p in products]
    assert ids == [p["slug"] for p in products] and len(set(ids)) == len(ids)
    assert [r["id"] for r in csv_rows(demo_site / "data/products.csv")] == ids
    sheet_ids = {r["ID Produk Etalase"] for r in csv_rows(demo_site / "data/ekatalog.csv")}
    assert sheet_ids == set(ids)


def test_the_changes_page_lists_every_download_with_its_schema(demo_site: Path) -> None:
    page = (demo_site / "perubahan/index.html").read_text("utf-8")
    for name in ("products.json", "products.csv", "facilities.json", "stats.json",
                 "changes.json", "ekatalog.csv", "ekatalog.xlsx"):
        assert f'<a href="/data/{name}">{name}</a>' in page
    assert 'href="/data/products-csv.schema.json"' in page


def test_json_files_are_written_in_batches_with_the_bytes_json_dumps_gives() -> None:
    """`to_json` encodes a batch of pieces at a time, to hold less than `json.dumps` would;
    a file of many batches has the very same bytes, non-ASCII text and numbers included."""
    rows = [{"nama": f"Sepatu kulit № {n}", "harga": n * 1_500, "berat": n / 4, "ok": n % 2 == 0,
             "tag": ["batik", "é"], "kosong": {}, "tidak": None} for n in range(12_000)]
    for data in (rows, {}, [], "teks", {"b": 1, "a": [rows[0]]}):
        expected = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        assert downloads.to_json(data) == expected.encode()
    pieces = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2).iterencode(rows)
    assert sum(1 for _ in pieces) > 100_000  # more than one batch
