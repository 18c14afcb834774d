"""JSON Schema for editors' tools: generated from the models, kept in schemas/, true to the demo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.schema import KINDS, render_schema
from tests.conftest import ROOT

SCHEMAS = ROOT / "schemas"
GLOBS = {"product": "products/*/*.md", "facility": "facilities/*.md", "page": "pages/*.md",
         "site": "site.yaml", "categories": "categories.yaml"}


def as_json(value: Any) -> Any:
    """YAML data as an editor's YAML tool sees it (dates are text)."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1] if path.suffix == ".md" else text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_schemas_are_up_to_date(kind: str) -> None:
    committed = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(kind), "run `etalase schema --out schemas`"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_demo_file_satisfies_its_schema(kind: str) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(render_schema(kind)))
    files = sorted((ROOT / "content").glob(GLOBS[kind]))
    assert files
    for path in files:
        assert [e.message for e in validator.iter_errors(as_json(front_matter(path)))] == [], path


def test_schema_catches_what_editors_get_wrong() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(render_schema("product")))
    wrong = {"name": "Sepatu", "facility": "lapas-serang", "category": "alas-kaki",
             "unit": "pasang", "price": "15.000", "availability": "tersedia", "warna": "hitam"}
    messages = sorted((e.message for e in validator.iter_errors(wrong)), key=str.lower)
    assert messages == [
        "'15.000' is not valid under any of the given schemas",
        "'tersedia' is not one of ['available', 'made-to-order', 'out-of-stock', 'discontinued']",
        "Additional properties are not allowed ('warna' was unexpected)",
    ]


def test_schema_command_prints_bilingual_descriptions(run) -> None:
    code, out, _ = run("schema", "product")
    assert code == 0
    schema = json.loads(out)
    assert schema["properties"]["price"]["description"].startswith("Harga rupiah tanpa titik")
    assert "slug" not in schema["properties"] and "body" not in schema["properties"]
    assert schema["required"] == ["name", "facility", "category", "unit"]
