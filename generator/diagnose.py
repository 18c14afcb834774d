"""Diagnose: pydantic validation errors and unknown fields → messages for editors.

Pydantic finds every error in a record at once; this module says each in plain Indonesian and
English at the line the editor wrote, with the fix: quote text YAML read as a number, drop the
thousands dot in `15.000`, pick one of the allowed values.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Diagnostic, did_you_mean, error, warning
from generator.load import Document
from generator.model import Record
from generator.strict_yaml import describe_type

THOUSANDS_RE = re.compile(r"^\d{1,3}([.,]\d{3})+$")

_SIMPLE: dict[str, tuple[str, str]] = {
    "bool_type": ("harus true atau false", "must be true or false"),
    "float_type": ("harus berupa angka", "must be a number"),
    "float_parsing": ("harus berupa angka", "must be a number"),
    "string_too_short": ("tidak boleh kosong", "must not be empty"),
    "too_short": ("tidak boleh kosong", "must not be empty"),
    "string_pattern_mismatch": (
        "hanya boleh huruf kecil, angka dan tanda hubung, misalnya \"lapas-serang\"",
        "may only hold lowercase letters, digits and hyphens, e.g. \"lapas-serang\""),
    "dict_type": ("harus berupa pemetaan: baris-baris \"nama: nilai\" yang menjorok",
                  "must be a mapping: indented \"name: value\" lines"),
    "model_type": ("harus berupa pemetaan: baris-baris \"nama: nilai\" yang menjorok",
                   "must be a mapping: indented \"name: value\" lines"),
    "tuple_type": ("harus berupa daftar: baris-baris yang diawali \"- \"",
                   "must be a list: lines starting with \"- \""),
    "list_type": ("harus berupa daftar: baris-baris yang diawali \"- \"",
                  "must be a list: lines starting with \"- \""),
    "date_type": ("harus tanggal dengan format TTTT-BB-HH, misalnya 2024-03-05",
                  "must be a date written YYYY-MM-DD, e.g. 2024-03-05"),
    "date_parsing": ("harus tanggal dengan format TTTT-BB-HH, misalnya 2024-03-05",
                     "must be a date written YYYY-MM-DD, e.g. 2024-03-05"),
    "date_from_datetime_parsing": ("harus tanggal dengan format TTTT-BB-HH, misalnya 2024-03-05",
                                   "must be a date written YYYY-MM-DD, e.g. 2024-03-05"),
    "url_chars": ("alamat (URL) tidak boleh berisi spasi atau karakter kontrol",
                  "a URL must not contain spaces or control characters"),
    "url_host": ("alamat (URL) tidak lengkap: nama situsnya tidak ada",
                 "the URL is incomplete: it has no host"),
    "email": ("bukan alamat e-mail yang benar, contoh: humas@example.go.id",
              "not a valid e-mail address, e.g. humas@example.go.id"),
    "phone": ("bukan nomor telepon: pakai angka, spasi, +, - atau tanda kurung",
              "not a phone number: use digits, spaces, +, - or brackets"),
    "live_without_url": ("url wajib diisi bila status \"live\" (tayang)",
                         "url is required when status is \"live\""),
    "languages_repeat": ("bahasa yang sama ditulis dua kali", "a language is listed twice"),
}


def explain(exc: ValidationError, doc: Document, prefix: tuple[Any, ...] = ()) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located at the value the editor wrote."""
    found = []
    for detail in exc.errors():
        loc = tuple(part for part in detail["loc"] if part != "[key]")
        path = (*prefix, *loc)
        field = ".".join(str(part) for part in loc)
        location = doc.at(path, key=detail["type"] == "missing")
        message_id, message_en = describe(detail, doc.raw(path))
        found.append(error(location, field, message_id, message_en))
    return found


def describe(detail: ErrorDetails, raw: str | None) -> tuple[str, str]:
    """A pydantic error in plain words, Indonesian and English; `raw` is the text as typed."""
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    if kind == "missing":
        name = detail["loc"][-1]
        return (f"wajib diisi; tambahkan baris \"{name}: ...\"",
                f"is required; add a line \"{name}: ...\"")
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "string_type":
        return _quote_hint(value, raw)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _integer_hint(value, raw)
    if kind == "literal_error":
        return _choice_hint(str(value), str(ctx.get("expected", "")))
    return _bounds_hint(kind, ctx, detail["msg"], raw)


def _quote_hint(value: object, raw: str | None) -> tuple[str, str]:
    what_id, what_en = describe_type(value)
    if isinstance(value, list | dict):
        return (f"harus teks satu baris, bukan {what_id}; tulis nilainya langsung setelah \":\"",
                f"must be one line of text, not {what_en}; write the value right after \":\"")
    shown = raw if raw is not None else str(value)
    return (
        f"YAML membaca nilai ini sebagai {what_id}, padahal harus teks; tulis dengan tanda kutip:"
        f" \"{shown}\"",
        f"YAML read this value as {what_en} but it must be text; put it in quotes: \"{shown}\"",
    )


def _integer_hint(value: object, raw: str | None) -> tuple[str, str]:
    shown = raw if raw is not None else str(value)
    if THOUSANDS_RE.match(shown):
        plain = re.sub(r"[.,]", "", shown)
        return (
            f"harus bilangan bulat rupiah, tertulis \"{shown}\"; jangan pakai titik ribuan,"
            f" tulis {plain}",
            f"must be whole rupiah, written \"{shown}\"; leave out thousands separators,"
            f" write {plain}",
        )
    return (f"harus bilangan bulat, tertulis \"{shown}\"",
            f"must be a whole number, written \"{shown}\"")


def _choice_hint(value: str, expected: str) -> tuple[str, str]:
    choices = re.findall(r"'([^']*)'", expected)
    listed = ", ".join(choices)
    hint_id, hint_en = did_you_mean(value, choices)
    return (f"harus salah satu dari: {listed}; tertulis \"{value}\"{hint_id}",
            f"must be one of: {listed}; written \"{value}\"{hint_en}")


def _number(value: object) -> str:
    """1.0 → "1", 0.5 → "0.5": bounds as an editor would write them."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _bounds_hint(kind: str, ctx: Mapping[str, Any], msg: str,
                 raw: str | None) -> tuple[str, str]:
    shown = f", tertulis \"{raw}\"" if raw is not None else ""
    shown_en = f", written \"{raw}\"" if raw is not None else ""
    if kind == "greater_than_equal":
        return (f"tidak boleh kurang dari {_number(ctx['ge'])}{shown}",
                f"must be at least {_number(ctx['ge'])}{shown_en}")
    if kind == "less_than_equal":
        return (f"tidak boleh lebih dari {_number(ctx['le'])}{shown}",
                f"must be at most {_number(ctx['le'])}{shown_en}")
    if kind == "string_too_long":
        limit = ctx["max_length"]
        return (f"terlalu panjang: paling banyak {limit} karakter",
                f"too long: at most {limit} characters")
    if kind == "url_scheme":
        allowed = ctx["allowed"]
        return (f"alamat (URL) harus memakai salah satu skema: {allowed}{shown}",
                f"the URL must use one of the schemes: {allowed}{shown_en}")
    if kind == "invisible":
        return (f"berisi karakter tak terlihat {ctx['code']} (misalnya pembalik arah teks);"
                " hapus karakter itu", f"contains the hidden character {ctx['code']} (such as"
                " a text-direction override); remove it")
    if kind == "ekatalog_levels":
        return (f"tulis tepat tiga tingkat kategori e-Katalog, tertulis {ctx['count']}:"
                " [tingkat 1, tingkat 2, tingkat 3]",
                f"write exactly three e-catalogue category levels, written {ctx['count']}:"
                " [level 1, level 2, level 3]")
    if kind == "impossible_date":
        return (f"tanggal {ctx['text']} tidak ada di kalender",
                f"the date {ctx['text']} does not exist")
    return f"nilai tidak valid{shown}: {msg}", f"invalid value{shown_en}: {msg}"


def accepted_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Field names an editor may write (aliases included) → their annotations."""
    internal = model.internal_fields if issubclass(model, Record) else frozenset()
    names: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in internal:
            names[info.alias or name] = info.annotation
    return names


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType, tuple):
        for arg in get_args(annotation):
            found = _nested_model(arg)
            if found:
                return found
    return None


def drop_unknown(data: Mapping[Any, Any], model: type[BaseModel], doc: Document,
                 path: tuple[Any, ...] = (),
                 prefix: tuple[Any, ...] = ()) -> tuple[dict[Any, Any], list[Diagnostic]]:
    """The data without fields the model does not know, and a warning for each one.

    `path` is the field path shown to the editor; `prefix` leads to the record in the file
    (the item number in categories.yaml).
    """
    known = accepted_fields(model)
    kept: dict[Any, Any] = {}
    found: list[Diagnostic] = []
    for key, value in data.items():
        if value is None:  # `price:` left empty means the field is not given
            continue
        if key not in known:
            hint_id, hint_en = did_you_mean(str(key), known)
            found.append(warning(
                doc.at((*prefix, *path, key), key=True), ".".join(str(p) for p in (*path, key)),
                f"field tidak dikenal dan diabaikan{hint_id}",
                f"unknown field, ignored{hint_en}"))
            continue
        kept[key], nested = _drop_nested(value, known[key], doc, (*path, key), prefix)
        found.extend(nested)
    return kept, found


def _drop_nested(value: Any, annotation: Any, doc: Document, path: tuple[Any, ...],
                 prefix: tuple[Any, ...]) -> tuple[Any, list[Diagnostic]]:
    model = _nested_model(annotation)
    if model is None:
        return value, []
    if isinstance(value, Mapping):
        return drop_unknown(value, model, doc, path, prefix)
    if isinstance(value, list):
        items, found = [], []
        for index, item in enumerate(value):
            cleaned, nested = _drop_nested(item, model, doc, (*path, index), prefix)
            items.append(cleaned)
            found.extend(nested)
        return items, found
    return value, []
