"""Load: a content folder → `Sources` (parsed documents, CSV tables, file list, diagnostics).

Reads every file once, strictly: UTF-8 with or without BOM, LF or CRLF, no NUL bytes, no
symlinks, bounded size. Nothing here knows what a field means; `validate` does.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from generator.errors import Diagnostic, Location, error, warning
from generator.memo import Memo, digest, read_bytes
from generator.model import SLUG_RE, slugify
from generator.processes import forked_map, in_order
from generator.strict_yaml import KeyPath, Position, YamlProblem, parse_yaml

Kind = Literal["site", "categories", "facility", "product", "page"]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
MAX_TEXT_BYTES = 1_000_000
MAX_CSV_BYTES = 20_000_000
PARSE_POOL_FROM = 2_000  # files, from which a cold build reads and parses them in forked processes
_IGNORED_NAMES = frozenset({"README.md", "readme.md", "Thumbs.db"})


@dataclass(frozen=True)
class Document:
    """A YAML file or the front matter of a Markdown file, with its body and field positions."""

    kind: Kind
    file: str  # the path as shown to editors
    rel: str  # the path inside the content folder, POSIX style
    data: Any
    body: str = ""
    body_line: int = 1
    values: Mapping[KeyPath, Position] = field(default_factory=dict)
    keys: Mapping[KeyPath, Position] = field(default_factory=dict)
    line_offset: int = 0  # front matter starts on the file's second line
    digest: str = ""  # of the kind, path and text: the key of what is derived from this file

    @property
    def slug(self) -> str:
        return Path(self.rel).stem

    def at(self, path: tuple[object, ...], key: bool = False) -> Location:
        """The location of the value at `path`, or of the nearest written parent key."""
        parts = tuple(str(p) for p in path)
        found = (self.keys if key else self.values).get(parts)
        end = len(parts) - 1
        while found is None and end > 0:  # the nearest written parent key
            found, end = self.keys.get(parts[:end]), end - 1
        return self._location(found) if found is not None else Location(self.file, 1, 1)

    def text_line(self, path: tuple[object, ...]) -> int:
        """The file line where the text at `path` starts."""
        position = self.values.get(tuple(str(p) for p in path))
        return position.text_line + 1 + self.line_offset if position else 1

    def raw(self, path: tuple[object, ...]) -> str | None:
        """The scalar at `path` exactly as the editor typed it."""
        position = self.values.get(tuple(str(p) for p in path))
        return position.raw if position else None

    def _location(self, position: Position) -> Location:
        return Location(self.file, position.line + 1 + self.line_offset, position.column + 1)


@dataclass(frozen=True)
class Row:
    """One CSV record with the line it starts on."""

    line: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    """A transactions CSV file."""

    file: str
    rel: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Sources:
    """Everything read from a content folder."""

    documents: tuple[Document, ...]
    tables: tuple[Table, ...]
    files: frozenset[str]  # every regular file, content-relative POSIX paths
    broken: frozenset[str]  # content-relative paths of files that could not be read
    diagnostics: tuple[Diagnostic, ...]

    def of_kind(self, kind: Kind) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if d.kind == kind)


def shown_path(path: Path) -> str:
    """A path as editors see it: relative to the working folder when inside it."""
    absolute, here = os.path.abspath(path), os.getcwd()  # not resolve(): a symlink is shown
    if absolute == here:                                  # as itself
        return "."
    inside = os.path.join(here, "")
    if absolute.startswith(inside):  # strings, not `Path.relative_to`: three times per file
        return Path(absolute[len(inside):]).as_posix()
    return path.as_posix()


def is_ignored(name: str) -> bool:
    """Hidden files, editor backups and README files are not content."""
    return (
        name.startswith(".") or name.endswith("~") or name.endswith(".swp")
        or name in _IGNORED_NAMES
    )


def walk_files(root: Path) -> Iterator[tuple[Path, Diagnostic | None]]:
    """Every regular file under `root`, sorted; symlinks come back with their error."""
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        path = Path(entry.path)
        if is_ignored(entry.name):
            continue
        if entry.is_symlink():
            yield path, error(
                Location(shown_path(path)), "",
                "tautan simbolik (symlink) tidak diizinkan; salin berkasnya ke sini",
                "symbolic links are not allowed; copy the file here instead",
            )
        elif entry.is_dir():
            yield from walk_files(path)
        elif entry.is_file():
            yield path, None


def read_text(path: Path, limit: int, file: str) -> tuple[str | None, Diagnostic | None]:
    """A file's text with BOM removed and line ends made LF, or the reason it cannot be read;
    `file` is its `shown_path`, which its caller has worked out."""
    shown = Location(file)
    data = read_bytes(path, limit)
    if data is None:
        size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} KB"
        return None, error(
            shown, "", f"berkas terlalu besar (lebih dari {size}); perkecil atau pecah berkasnya",
            f"file too large (over {size}); make it smaller or split it",
        )
    if b"\0" in data:
        line, column = _line_column(data, data.index(b"\0"))
        return None, error(
            Location(shown.file, line, column), "",
            "berkas berisi karakter NUL; simpan ulang sebagai teks UTF-8",
            "file contains a NUL character; save it again as UTF-8 text",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(data, exc.start)
        return None, error(
            Location(shown.file, line, column), "",
            "bukan teks UTF-8; simpan ulang berkas dengan pengodean UTF-8",
            "not UTF-8 text; save the file again with UTF-8 encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


def split_front_matter(text: str, file: str) -> tuple[str, str, int] | Diagnostic:
    """(front matter, body, body line) of a Markdown file, or why it has none."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return error(
            Location(file, 1, 1), "",
            "berkas harus diawali baris \"---\" lalu data (front matter) lalu \"---\"",
            "the file must start with a \"---\" line, then the front matter, then \"---\"",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return error(
        Location(file, 1, 1), "",
        "front matter tidak ditutup: tambahkan baris \"---\" setelah data",
        "front matter is not closed: add a \"---\" line after it",
    )


def parse_document(kind: Kind, path: Path, rel: str,
                   memo: Memo | None = None) -> Document | Diagnostic:
    """Read a YAML file (`markdown=False`) or a Markdown file with front matter; parsed once
    per text when `memo` remembers earlier builds."""
    return parse_documents([(kind, path, rel)], memo)[0]


class _Text(NamedTuple):
    """A document's file, read, to be parsed: `_parse_text`'s arguments; `key`, its text's key
    in the memo."""

    kind: Kind
    path: Path
    file: str
    rel: str
    text: str
    key: str


def parse_documents(files: Sequence[tuple[Kind, Path, str]], memo: Memo | None = None,
                    workers: int = 1) -> list[Document | Diagnostic]:
    """`parse_document` of each `(kind, path, rel)`, in order; from `PARSE_POOL_FROM` files
    and with nothing known to `memo` (a cold build), read and parsed in `workers` forked
    processes (parsing the YAML is most of reading a catalogue: 1.2 of 1.6 s at 10,000
    products). A text `memo` knows is not parsed again."""
    known = memo.known if memo is not None else None

    def read(file: tuple[Kind, Path, str]) -> tuple[str, Document | Diagnostic | None]:
        item = _read_document(*file, keyed=known is not None)
        if isinstance(item, Diagnostic):
            return "", item
        return item.key, None if known and item.key in known else _parse_text(*item)

    pool = workers if len(files) >= PARSE_POOL_FROM and not known else 1  # a cold build
    parsed: list[Document | Diagnostic] = []
    for key, item in in_order(forked_map(files, read, pool, smallest=64), len(files)):
        found = memo.get(key, lambda: item) if memo is not None and key else item  # noqa: B023
        assert found is not None  # None only for a text `memo` knows, which `get` gives
        parsed.append(found)
    return parsed


def _read_document(kind: Kind, path: Path, rel: str, keyed: bool) -> _Text | Diagnostic:
    file = shown_path(path)
    text, problem = read_text(path, MAX_TEXT_BYTES, file)
    if text is None:
        assert problem is not None
        return problem
    key = digest(b"parse", kind.encode(), file.encode(), rel.encode(), text.encode()) if keyed \
        else ""
    return _Text(kind, path, file, rel, text, key)


def _parse_text(kind: Kind, path: Path, file: str, rel: str, text: str,
                key: str = "") -> Document | Diagnostic:
    body, body_line, offset, yaml_text = "", 1, 0, text
    if path.suffix == ".md":
        split = split_front_matter(text, file)
        if isinstance(split, Diagnostic):
            return split
        yaml_text, body, body_line = split
        offset = 1
    try:
        parsed = parse_yaml(yaml_text)
    except YamlProblem as exc:
        return error(
            Location(file, exc.line + 1 + offset, exc.column + 1), "",
            exc.message_id, exc.message_en,
        )
    return Document(kind, file, rel, parsed.data, body, body_line,
                    parsed.values, parsed.keys, offset, key)


def parse_table(path: Path, rel: str) -> Table | Diagnostic:
    """Read a transactions CSV: a header row, then records with their line numbers."""
    file = shown_path(path)
    text, problem = read_text(path, MAX_CSV_BYTES, file)
    if text is None:
        assert problem is not None
        return problem
    reader = csv.reader(text.split("\n"))
    try:
        header = tuple(name.strip() for name in next(reader, []))
        rows: list[Row] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(line, dict(zip(header, (c.strip() for c in cells), strict=False))))
                if len(cells) > len(header):
                    return error(
                        Location(file, line, 1), "",
                        f"baris ini punya {len(cells)} kolom, judul kolom hanya {len(header)}",
                        f"this row has {len(cells)} cells but the header has {len(header)}",
                    )
            line = reader.line_num + 1
    except csv.Error as exc:
        return error(Location(file, reader.line_num, 1), "", f"CSV tidak valid: {exc}",
                     f"invalid CSV: {exc}")
    return Table(file, rel, header, tuple(rows))


_DOCUMENT_KINDS: dict[tuple[str, int], Kind] = {
    ("facilities", 2): "facility", ("products", 3): "product", ("pages", 2): "page",
}


def classify(rel: str) -> Kind | Literal["table", "asset", "misplaced", "unknown"]:
    parts = rel.split("/")
    suffix = Path(rel).suffix.lower()
    if rel == "site.yaml":
        return "site"
    if rel == "categories.yaml":
        return "categories"
    if suffix in IMAGE_SUFFIXES:
        return "asset"
    if suffix == ".csv" and parts[0] == "transactions" and len(parts) == 2:
        return "table"
    if suffix == ".md" and (parts[0], len(parts)) in _DOCUMENT_KINDS:
        return _DOCUMENT_KINDS[(parts[0], len(parts))]
    if suffix == ".md" and parts[0] == "products":
        return "misplaced"
    return "unknown"


def _misplaced(file: str, rel: str) -> Diagnostic:
    name = Path(rel).name
    return error(
        Location(file), "",
        f"berkas produk harus di dalam folder unitnya: products/<unit>/{name}",
        f"a product file must sit in its unit's folder: products/<unit>/{name}",
    )


def _bad_slug(path: Path, rel: str) -> Diagnostic | None:
    stem = Path(rel).stem
    if SLUG_RE.match(stem):
        return None
    hint = slugify(stem) or "nama-produk"
    return error(
        Location(shown_path(path)), "",
        "nama berkas hanya boleh huruf kecil, angka dan tanda hubung;"
        f" ganti menjadi \"{hint}{Path(rel).suffix}\"",
        "a file name may only hold lowercase letters, digits and hyphens;"
        f" rename it to \"{hint}{Path(rel).suffix}\"",
    )


def _unused(file: str) -> Diagnostic:
    return warning(
        Location(file), "", "berkas ini tidak dipakai oleh katalog dan diabaikan",
        "this file is not used by the catalogue and is ignored",
    )


def load_sources(content_dir: Path, memo: Memo | None = None, workers: int = 1) -> Sources:
    """Read and parse every content file under `content_dir`, collecting every problem; a
    file whose text `memo` has seen is not parsed again, and many new ones are parsed in
    `workers` processes."""
    files: set[str] = set()
    found: list[tuple[str | None, Document | Table | Diagnostic | None]] = []  # (rel, item)
    unparsed: list[tuple[int, tuple[Kind, Path, str]]] = []  # where in `found`, and the file
    for path, problem in walk_files(content_dir):
        rel = path.relative_to(content_dir).as_posix()
        if problem is not None:
            found.append((rel, problem))
            continue
        files.add(rel)
        kind = classify(rel)
        item: Document | Table | Diagnostic | None
        if kind == "asset":
            continue
        if kind == "unknown":
            found.append((None, _unused(shown_path(path))))  # a file that is not broken
            continue
        if kind == "misplaced":
            item = _misplaced(shown_path(path), rel)
        elif kind == "table":
            item = parse_table(path, rel)
        else:
            item = _bad_slug(path, rel) if kind not in ("site", "categories") else None
            if item is None:
                unparsed.append((len(found), (kind, path, rel)))
        found.append((rel, item))
    parsed = parse_documents([file for _, file in unparsed], memo, workers)
    for (at, _), document in zip(unparsed, parsed, strict=True):
        found[at] = (found[at][0], document)
    documents: list[Document] = []
    tables: list[Table] = []
    broken: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for where, item in found:
        if isinstance(item, Diagnostic):
            diagnostics.append(item)
            broken.update([where] if where is not None else [])
        elif isinstance(item, Table):
            tables.append(item)
        elif item is not None:
            documents.append(item)
    diagnostics.extend(_missing_required(content_dir, files | broken))
    return Sources(tuple(documents), tuple(tables), frozenset(files), frozenset(broken),
                   tuple(diagnostics))


def _missing_required(content_dir: Path, present: set[str]) -> list[Diagnostic]:
    return [
        error(Location(shown_path(content_dir / name)), "",
              f"berkas {name} tidak ada; buat berkas ini di folder konten",
              f"{name} is missing; create it in the content folder")
        for name in ("site.yaml", "categories.yaml") if name not in present
    ]
