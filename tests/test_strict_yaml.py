"""Strict YAML: what editors may write, and what is refused with which words."""

from __future__ import annotations

import datetime as dt
import pickle
import pickletools
import time

import pytest

from generator.strict_yaml import InvalidDate, Position, YamlProblem, parse_yaml


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text)
    return caught.value


def test_positions_of_values_and_keys_are_recorded() -> None:
    parsed = parse_yaml("name: Sepatu\nekatalog:\n  status: live\nimages:\n  - a.jpg\n")
    assert parsed.data["ekatalog"] == {"status": "live"}
    assert (parsed.values[("name",)].line, parsed.values[("name",)].column) == (0, 6)
    assert parsed.values[("ekatalog", "status")].line == 2
    assert parsed.keys[("images", "0")].line == 4
    assert parsed.values[("name",)].raw == "Sepatu"


def test_positions_are_kept_in_the_memo_as_plain_data_and_read_back_alike() -> None:
    parsed = parse_yaml("name: Sepatu\nekatalog:\n  status: live\nimages:\n  - a.jpg\n")
    data = pickle.dumps(parsed.values, pickle.HIGHEST_PROTOCOL)
    names = {arg for _, arg, _ in pickletools.genops(data) if isinstance(arg, str)}
    assert "Position" not in names  # one tuple of numbers and text, no object per field
    kept = pickle.loads(data)
    assert dict(kept.items()) == dict(parsed.values.items())
    assert kept[("ekatalog", "status")] == Position(2, 10, "live", None)
    assert list(kept) == [(), ("name",), ("ekatalog",), ("ekatalog", "status"), ("images",),
                          ("images", "0")]
    assert ("price",) not in kept and kept.get(("price",)) is None and len(kept) == 6
    with pytest.raises(KeyError):
        kept[("price",)]


def test_raw_text_is_kept_for_coerced_scalars() -> None:
    parsed = parse_yaml("price: 15.000\nsku: 0712\nname: 'no'\n")
    assert parsed.data == {"price": 15.0, "sku": 458, "name": "no"}
    assert parsed.values[("price",)].raw == "15.000"
    assert parsed.values[("sku",)].raw == "0712"
    assert parsed.values[("name",)].quoted


def test_duplicate_keys_are_refused_at_the_second() -> None:
    found = problem("name: a\nprice: 1\nname: b\n")
    assert (found.line, found.column) == (2, 0)
    assert found.message_id == 'field "name" ditulis dua kali; hapus salah satu'


def test_anchors_and_aliases_are_refused() -> None:
    assert "anchor" in problem("a: &x 1\nb: *x\n").message_id


def test_alias_bomb_is_refused_at_once() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                    for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    started = time.perf_counter()
    assert "anchor" in problem(bomb).message_en
    assert time.perf_counter() - started < 1.0


def test_tags_are_refused() -> None:
    found = problem("a: !!python/object/apply:os.system ['ls']\n")
    assert found.message_en.startswith(
        "YAML tags (tag:yaml.org,2002:python/object/apply:os.system)")
    assert "tag" in problem("a: !custom x\n").message_en


def test_tabs_get_a_hint() -> None:
    found = problem("a: 1\n\tb: 2\n")
    assert found.message_id == "karakter tab tidak boleh dipakai; gunakan spasi untuk indentasi"
    assert found.line == 1


def test_several_documents_are_refused() -> None:
    assert problem("a: 1\n---\nb: 2\n").message_en == (
        'only one YAML document is allowed; remove the extra "---" line')


def test_impossible_dates_load_as_invalid_dates() -> None:
    parsed = parse_yaml("added: 2024-02-30\nok: 2024-02-29\n")
    assert parsed.data == {"added": InvalidDate("2024-02-30"), "ok": dt.date(2024, 2, 29)}


def test_empty_text_is_none() -> None:
    assert parse_yaml("").data is None


def test_control_characters_are_refused_at_their_place() -> None:
    found = problem("name: Sepatu\nbrand: Caf\x1be\n")
    assert (found.line, found.column) == (1, 10)
    assert found.message_id == "karakter kendali U+001B tidak boleh ada; hapus karakter itu"
