"""Strict YAML: text → plain data plus the position of every field.

A safe loader that refuses what editors never mean and attackers love: anchors and aliases
(alias bombs), tags (`!!python/object`), duplicate keys, several documents in one file. Impossible
dates (`2024-02-30`) load as `InvalidDate` so that validation can report them with the others.

Most texts load through libyaml, nine times faster; a text that could hold what is refused, or
that libyaml cannot load, goes through the checking loader in Python, whose messages editors
see. `tests/test_fuzz.py` holds the two to the same data, positions and problems.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml: in every PyYAML wheel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str, ...]
Where = tuple[int, int, str | None, str | None]  # a `Position`'s fields, in order


@dataclass(frozen=True, slots=True)
class Position:
    """Where a value starts (0-based line and column in the YAML text) and how it was written."""

    line: int
    column: int
    raw: str | None  # the scalar as typed, without quotes; None for mappings and lists
    style: str | None  # None when plain; a quote, or "|" / ">" for block text

    @property
    def quoted(self) -> bool:
        return self.style in ("'", '"')

    @property
    def text_line(self) -> int:
        """The 0-based line where the text itself starts (block text starts below its `|`)."""
        return self.line + (1 if self.style in ("|", ">") else 0)


@dataclass(frozen=True)
class InvalidDate:
    """A date-shaped scalar that names no real day, such as 2024-02-30."""

    text: str

    def __str__(self) -> str:
        return self.text


class Positions(Mapping[KeyPath, Position]):
    """The positions of a text's fields by key path, held as one flat tuple (path, line,
    column, raw, style, path, ...) rather than as `Position` objects, which are made when looked
    up. A file has about 35, and the memo of parsed files (`memo.Memo`) pickles them after each
    build and unpickles them before the next: at 50,000 products, 1.8 million objects, which
    took 2.9 of the 3.3 s that unpickling the parsed files took, against 0.3 s as tuples. A
    lookup scans the tuple in C (`tuple.index`; only paths are tuples in it)."""

    __slots__ = ("_flat",)

    def __init__(self, flat: tuple[Any, ...] = ()) -> None:
        self._flat = flat

    @classmethod
    def of(cls, table: Mapping[KeyPath, Where]) -> Positions:
        """The positions of `table`, in its order."""
        return cls(tuple(item for path, where in table.items() for item in (path, *where)))

    def __reduce__(self) -> tuple[type[Positions], tuple[tuple[Any, ...]]]:
        return Positions, (self._flat,)

    def __getitem__(self, path: KeyPath) -> Position:
        try:
            at = self._flat.index(path) if isinstance(path, tuple) else -1
        except ValueError:
            at = -1
        if at < 0:
            raise KeyError(path)
        return Position(*self._flat[at + 1:at + 5])

    def fields(self) -> Iterator[Where]:
        """Each position's fields, in order, without making a `Position` of them."""
        flat = self._flat
        return (flat[at + 1:at + 5] for at in range(0, len(flat), 5))

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and path in self._flat

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._flat[::5])

    def __len__(self) -> int:
        return len(self._flat) // 5

    def __repr__(self) -> str:
        return f"Positions({dict(self.items())!r})"


@dataclass(frozen=True)
class Parsed:
    """The data of one YAML text with the positions of its values and keys."""

    data: Any
    values: Positions
    keys: Positions


class YamlProblem(Exception):
    """A YAML text that cannot be loaded; `line` and `column` are 0-based."""

    def __init__(self, line: int, column: int, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.line, self.column = line, column
        self.message_id, self.message_en = message_id, message_en


class _StrictConstructor(yaml.constructor.SafeConstructor):
    """Safe construction that refuses keys written twice and keeps impossible dates."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise YamlProblem(
                    key_node.start_mark.line, key_node.start_mark.column,
                    "nama field harus teks biasa", "a field name must be plain text",
                )
            if key in seen:
                raise YamlProblem(
                    key_node.start_mark.line, key_node.start_mark.column,
                    f"field \"{key}\" ditulis dua kali; hapus salah satu",
                    f"field \"{key}\" is written twice; remove one",
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _StrictLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                    yaml.composer.Composer, _StrictConstructor, yaml.resolver.Resolver):
    """The checking loader, in Python: it sees every event, so it can refuse anchors,
    aliases and tags where they are written."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _StrictConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                mark.line, mark.column,
                "anchor dan alias YAML (& dan *) tidak diizinkan; tulis nilainya langsung",
                "YAML anchors and aliases (& and *) are not allowed; write the value out",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise YamlProblem(
                mark.line, mark.column,
                f"tag YAML ({tag}) tidak diizinkan; hapus tag itu",
                f"YAML tags ({tag}) are not allowed; remove the tag",
            )
        return super().compose_node(parent, index)


class _FastLoader(CParser, _StrictConstructor, yaml.resolver.Resolver):
    """The same loading through libyaml, about nine times faster, for texts without the
    characters that anchors, aliases and tags need; any problem is left to `_StrictLoader`."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _StrictConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


# `&`, `*` and `!` start anchors, aliases and tags, `?` complex keys. Beyond those, libyaml
# counts a BOM inside the text and the line breaks beyond \n and \r differently, and lets
# through some tabs and a `|#` block header that PyYAML refuses; the Python reader refuses
# control characters where they are. A text holding any of them takes the checking loader.
_CHECK_FIRST = re.compile(f"[&*!?\t\ufeff\x85\u2028\u2029]|[|>][-+0-9]*#"
                          f"|{yaml.reader.Reader.NON_PRINTABLE.pattern}")


def _construct_timestamp(loader: yaml.SafeLoader, node: ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return InvalidDate(node.value)


_StrictConstructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_PROBLEMS = (
    ("cannot start any token",
     "karakter tab tidak boleh dipakai; gunakan spasi untuk indentasi",
     "tab characters are not allowed; indent with spaces"),
    ("mapping values are not allowed",
     "tanda \":\" di tempat yang salah; jika nilainya berisi \":\" tulis dengan tanda kutip",
     "a \":\" in the wrong place; quote a value that contains \":\""),
    ("could not find expected ':'", "tanda \":\" setelah nama field tidak ditemukan",
     "the \":\" after a field name is missing"),
    ("expected a single document", "hanya boleh satu dokumen YAML; hapus baris \"---\" tambahan",
     "only one YAML document is allowed; remove the extra \"---\" line"),
    ("found unexpected end of stream", "tanda kutip tidak ditutup", "a quote is not closed"),
    ("while scanning a quoted scalar", "tanda kutip tidak ditutup", "a quote is not closed"),
)


def _explain(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, message_id, message_en in _PROBLEMS:
        if needle in text:
            return YamlProblem(line, column, message_id, message_en)
    problem = (exc.problem or "").strip()
    return YamlProblem(line, column, f"YAML tidak valid: {problem}", f"invalid YAML: {problem}")


def _walk(node: Node, path: KeyPath, values: dict[KeyPath, Where],
          keys: dict[KeyPath, Where]) -> None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            keys[child] = _position(key_node)
            values[child] = _position(value_node)
            _walk(value_node, child, values, keys)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            keys[child] = values[child] = _position(item)
            _walk(item, child, values, keys)


def _position(node: Node) -> Where:
    mark = node.start_mark
    if isinstance(node, ScalarNode):
        return mark.line, mark.column, node.value, node.style or None  # libyaml: ''
    return mark.line, mark.column, None, None


def _reader_problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    """A control character the YAML reader refuses, at its line and column."""
    if isinstance(exc, yaml.reader.ReaderError):
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        code = f"U+{ord(character):04X}"
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        return YamlProblem(line, column, f"karakter kendali {code} tidak boleh ada;"
                           " hapus karakter itu", f"control character {code} is not allowed;"
                           " remove it")
    return YamlProblem(0, 0, f"YAML tidak valid: {exc}", f"invalid YAML: {exc}")


def parse_yaml(text: str) -> Parsed:
    """Load one YAML document strictly; raises `YamlProblem` with a bilingual explanation."""
    if not _CHECK_FIRST.search(text):
        try:
            parsed = _load(_FastLoader(text))
            if not any(map(_empty, (*parsed.values.fields(), *parsed.keys.fields()))):
                return parsed
        except (yaml.YAMLError, YamlProblem):
            pass  # explained by the checking loader, whose messages the editors' guide shows
    return _parse_checked(text)


def _parse_checked(text: str) -> Parsed:
    """`parse_yaml` through the Python loader alone."""
    try:
        loader = _StrictLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters before parsing
        raise _reader_problem(exc, text) from None
    try:
        return _load(loader)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise _reader_problem(exc, text) from None


def _empty(where: Where) -> bool:
    """An empty plain value, which libyaml may place elsewhere than PyYAML."""
    return where[2] == "" and where[3] is None


def _load(loader: _StrictLoader | _FastLoader) -> Parsed:
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, Positions(), Positions())
        values: dict[KeyPath, Where] = {(): _position(node)}
        keys: dict[KeyPath, Where] = {}
        _walk(node, (), values, keys)
        return Parsed(loader.construct_document(node), Positions.of(values), Positions.of(keys))
    finally:
        loader.dispose()


def describe_type(value: object) -> tuple[str, str]:
    """What YAML made of a scalar, in Indonesian and English, for "use quotes" hints."""
    if isinstance(value, bool):
        return "nilai benar/salah (boolean)", "a true/false value"
    if isinstance(value, int | float):
        return "angka", "a number"
    if isinstance(value, dt.date | InvalidDate):
        return "tanggal", "a date"
    if isinstance(value, list):
        return "daftar", "a list"
    if isinstance(value, dict):
        return "pemetaan", "a mapping"
    return "teks", "text"
