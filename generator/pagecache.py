"""Build cache: rendered pages, Markdown and the search bundle kept between builds.

A page's key is the digest of everything its bytes can depend on: the generator's own code,
every template and UI string, the site settings, the records templates may look up (units,
categories, free pages), the published photos, the page itself (output, route, template and
typed context, which holds every record it shows) and what it reads from the readiness book.
Data files read the whole catalogue, so they are always rendered (and kept under a digest of
their bytes, out of memory like pages). Each language of each part of the search index is keyed
by the bytes of the pages it indexes (a page file's digest is remembered by its key: an edit
does not read again the pages it left alone), and read back from the folder only when the parts
are joined. A key that matches gives the bytes of the earlier render, so a cached build is
byte-identical to a clean one; `tests/test_pagecache.py` holds it to that with random sequences
of edits, additions and deletions.

Pages live in `<cache>/pages/<2 hex>/<key>`, each page written there as it is rendered; a
build's outputs name those files (`write.Outputs`), which are hard-linked into the site, so a
large site's pages are never all in memory. `etalase serve` keeps them in memory instead
(`Store.memory`), so a rebuild after an edit reads nothing from disk for unchanged pages.
"""

from __future__ import annotations

import functools
import hashlib
import io
import operator
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from generator import processes
from generator.contexts import Card, CategoryRow, DownloadContext, FacilityRow, field_names
from generator.imaging import Picture
from generator.memo import (
    Memo,
    bytes_digest,
    code_digest,
    digest,
    keep,
    read_bytes,
    tree,
    unpickle,
)
from generator.model import Catalog
from generator.pages import PageSpec
from generator.readiness import Readiness, RegionReadiness, UnitReadiness
from generator.recap import UnitFigures
from generator.search import PartIndexer, Uncached, is_indexed, many_words
from generator.search_bundle import Documents, bundle_files, fragment_address
from generator.stats import ListingFigures, Stats
from generator.write import Outputs

T = TypeVar("T")
R = TypeVar("R")


class Serializer:
    """Bytes that spell out a value in full, the same in every process: equal bytes mean
    equal values (used for keys, never read back). A pydantic record is spelled by the digest
    of its field values in declared order (its own pickle carries the set of fields given,
    whose order changes with `PYTHONHASHSEED`), worked out once per record: the records a
    thousand pages share are spelled once. Its picklers are used again from one value to the
    next (one per depth: spelling a record in full happens inside spelling a page)."""

    def __init__(self) -> None:
        self._records: dict[int, tuple[object, bytes]] = {}
        self._idle: list[_KeyPickler] = []

    def serial(self, value: object) -> bytes:
        pickler = self._idle.pop() if self._idle else _KeyPickler(self)
        spelled = pickler.spell(value)  # should it raise, that pickler is not used again
        self._idle.append(pickler)
        return spelled

    def once(self, value: object) -> bytes:
        """The digest of a record's field values, or of a value many pages hold (statistics,
        a unit's readiness), worked out once per value."""
        known = self._records.get(id(value))
        if known is None or known[0] is not value:
            state = value.__dict__ if isinstance(value, BaseModel) else tuple(
                getattr(value, name) for name in field_names(type(value)))
            known = (value, hashlib.blake2b(self.serial(state), digest_size=20).digest())
            self._records[id(value)] = known
        return known[1]


class _KeyPickler(pickle.Pickler):
    """Pickles as `pickle` does, but a record as its digest (`Serializer.once`) and a dataclass
    as its field values (not through `__dict__`, which would give the object a dict to keep).
    `pickle` calls it for every value but a number, a string, bytes, a list, a tuple, a dict
    or a set, which it writes itself: about fifty times a product page, so what a type needs
    is worked out once per type (`_spelling`).

    Each class met is then spelled by a number worked out from its name (`_NUMBERED`), which
    `pickle` finds in its memo, rather than by its module and name, which `pickle` checks by
    importing the module each time (35 classes a product page: half the time of its key). The
    memo holds nothing else: `fast` mode adds nothing to it, so a value shared or copied
    gives the same bytes."""

    def __init__(self, serializer: Serializer) -> None:
        self.out = io.BytesIO()
        super().__init__(self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True
        self.serializer = serializer
        self.classes = 0  # how many of `_NUMBERED` its memo holds

    def spell(self, value: object) -> bytes:
        self._catch_up()
        self.dump(value)
        spelled = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        return spelled

    def _catch_up(self) -> None:
        if self.classes != len(_NUMBERED):
            self.memo = _NUMBERED
            self.classes = len(_NUMBERED)

    def reducer_override(self, obj: object) -> Any:
        kind = type(obj)
        spelling = _SPELLINGS.get(kind) or _spelling(kind)
        reduced: Any
        if isinstance(spelling, str):
            reduced = (kind, (), self.serializer.once(obj)) if spelling == "record" \
                else NotImplemented
        else:
            reduced = kind, (), spelling(obj)
        self._catch_up()  # `kind`, or a class met on the way, may be new
        return reduced


_Spelling = Literal["record", "pickle"] | Callable[[Any], object]
_SPELLINGS: dict[type, _Spelling] = {}
# The picklers' memo: each class met so far, as `{id: (number, class)}`, by a number from its
# module and name (not its place in the memo, which would change with the pages' order). Two
# classes given the same number: the second is spelled as `pickle` does. (A class held as a
# value, which no context does, is spelled by name until one of its instances is met: a key
# may then change for nothing, never stand for two values.)
_NUMBERED: dict[int, tuple[int, type]] = {}


def _spelling(kind: type) -> _Spelling:
    """How `_KeyPickler` spells values of `kind`, worked out once per type: a record by its
    digest, a dataclass by the function giving its field values in declared order, anything
    else as `pickle` does; `kind` is numbered."""
    if kind not in _SPELLINGS:
        names = field_names(kind)
        if issubclass(kind, BaseModel) or kind in SHARED:
            _SPELLINGS[kind] = "record"
        elif not names:
            _SPELLINGS[kind] = "pickle"
        elif len(names) == 1:
            one = operator.attrgetter(names[0])
            _SPELLINGS[kind] = lambda value: (one(value),)
        else:
            _SPELLINGS[kind] = operator.attrgetter(*names)
        name = f"{kind.__module__}.{kind.__qualname__}".encode()
        number = int.from_bytes(hashlib.blake2b(name, digest_size=4).digest(), "big") >> 1
        if all(number != taken for taken, _ in _NUMBERED.values()):
            _NUMBERED[id(kind)] = (number, kind)
    return _SPELLINGS[kind]


# Values that many pages hold, each spelled once per build like a record.
SHARED: frozenset[type] = frozenset({Card, FacilityRow, CategoryRow, Stats, ListingFigures,
                                     UnitFigures, Readiness, UnitReadiness, RegionReadiness})


def serial(value: object) -> bytes:
    """`Serializer().serial(value)`: a value's bytes for a key."""
    return Serializer().serial(value)


@dataclass
class Store:
    """Where cached renders are kept: a folder, memory, both or neither."""

    folder: Path | None = None
    memory: dict[str, bytes] | None = None
    made: int = 0  # files put in this build: rendered anew
    used: set[str] = field(default_factory=set)  # the keys of this build's pages and data files
    parts: dict[str, Mapping[str, bytes]] | None = None  # the search index's parts, by key
    words: Memo | None = None  # each part's words, by its key
    read: Memo | None = None  # what the search index read: a page file's digest by its key,
    # the address in a fragment by the fragment's digest
    digests: dict[str, str] = field(default_factory=dict)  # the bytes' digest of each page
    # file written in this build that the search index reads, by its key, until it is read
    search: dict[str, bytes] | None = None  # the last search bundle, joined
    memo: Memo | None = None  # parsed files, checked records and Markdown
    writing: list[int] = field(default_factory=list)  # processes writing a memo (`checked`)
    sheets: Memo | None = None  # the workbooks of the listing form
    listed: set[str] | None = None  # the keys of the page files in the folder (`_listed`)

    def start(self) -> Memo:
        """A new build begins: count again; the memos of per-file results (returned) and of
        workbooks (`sheets`), read from the folder the first time."""
        self.made = 0
        self.used = set()
        self.digests = {}
        self.listed = None
        self.memo = self.begin(self.memo, "records.pickle")
        self.sheets = self.begin(self.sheets, "sheets.pickle")
        return self.memo

    def begin(self, memo: Memo | None, name: str) -> Memo:
        """`memo` for a new build: read from the folder's file `name` the first time."""
        if memo is None:
            return Memo.read(self.folder / name) if self.folder else Memo()
        memo.turn()
        return memo

    def checked(self) -> None:
        """The content is loaded and checked: unless memory keeps it, the memo of that work
        is written now and let go, so its parse trees are not held while pages render. A
        forked process writes it (2.5 s at 50,000 products) while this one lists and renders
        the pages; `finish` waits for it. A build that fails does not: it says so at once,
        and the memo is written all the same, for the next build."""
        if self.memo is None or not self.writes_files():
            return
        memo, self.memo = self.memo, None
        assert self.folder is not None
        writer = processes.in_background(functools.partial(memo.write,
                                                           self.folder / "records.pickle"))
        if writer is not None:
            self.writing.append(writer)

    def finish(self) -> None:
        """Keep the memos for the next build; when pages were rendered anew, delete the cached
        renders this build did not use (and temporary files a killed build left), so the cache
        holds one site's worth: those of the listing of the folder that found the pages
        (`_listed`), not of a second one."""
        if self.folder is not None and self.made:
            pages = self.folder / "pages"
            for name in self._listed() - self.used:
                (pages / name[:2] / name).unlink(missing_ok=True)
        self.listed = None  # the next build lists the folder again
        self.checked()
        self.sheets = self.keep_memo(self.sheets, "sheets.pickle")
        processes.finished(self.writing)

    def keep_memo(self, memo: Memo | None, name: str) -> Memo | None:
        """`memo` written to the folder, and None (read again by the next build); or, under
        `etalase serve`, kept as it is."""
        if memo is None or not self.writes_files():
            return memo
        assert self.folder is not None
        memo.write(self.folder / name)
        return None

    def lookup(self, key: str) -> bytes | Path | None:
        """What was rendered before under `key`: its bytes when kept in memory, else its file
        in the folder (read only when wanted), or None."""
        self.used.add(key)
        found: bytes | Path | None = self.memory.get(key) if self.memory is not None else None
        if found is None and self.folder is not None and key in self._listed():
            found = path = self.folder / "pages" / key[:2] / key
            if self.memory is not None:
                found = self.memory[key] = read_bytes(path)
        return found

    def _listed(self) -> set[str]:
        """The keys of the page files in the folder, listed once a build, as it first looks one
        up: a listing of each of its 256 subfolders rather than a call to the system for each
        page (at 10,000 products, 0.05 s against 0.3 to 0.6 s for 24,874 pages). What this
        build puts there is added (`put`)."""
        if self.listed is None:
            assert self.folder is not None
            self.listed = set()
            try:
                shards = list(os.scandir(self.folder / "pages"))
            except OSError:  # none yet
                shards = []
            for shard in shards:
                if len(shard.name) == 2 and shard.is_dir():
                    with os.scandir(shard.path) as files:
                        self.listed.update(f.name for f in files if f.is_file())
        return self.listed

    def put(self, key: str, data: bytes | Path, data_digest: str | None = None) -> bytes | Path:
        """Keep `data` under `key`; what then stands for it: its file, unless memory keeps it
        (or the file could not be written). `data` may already be its file, by `write`, with
        the digest of its bytes when the search index reads it (`digests`)."""
        self.used.add(key)
        self.made += 1
        if isinstance(data, Path):
            if data_digest is not None:
                self.digests[key] = data_digest
            self._written(key)
            return data
        if self.memory is not None:
            self.memory[key] = data
        if self.folder is not None:
            kept = self.write(key, data)
            if isinstance(kept, Path):
                self._written(key)
            if self.memory is None:
                return kept
        return data

    def _written(self, key: str) -> None:
        if self.listed is not None:
            self.listed.add(key)

    def writes_files(self) -> bool:
        """Whether what is put is kept as a file only (not under `etalase serve`)."""
        return self.folder is not None and self.memory is None

    def write(self, key: str, data: bytes) -> bytes | Path:
        """`data` written to its file under `key`: that file, or `data` when it could not be
        written. It changes nothing in this object, so a forked worker may call it."""
        assert self.folder is not None
        path = self.folder / "pages" / key[:2] / key
        return path if keep(path, data) else data

    def forget_unused(self) -> None:
        """Drop from memory what the last build did not use (serve keeps one site's worth)."""
        if self.memory is not None:
            for key in self.memory.keys() - self.used:
                del self.memory[key]


def site_fingerprint(catalog: Catalog, templates_dir: Path,
                     pictures: Mapping[str, Picture]) -> str:
    """What every page shares: code, templates, settings, looked-up records, photos."""
    shared = (catalog.site, catalog.facilities, catalog.categories, catalog.pages)
    return digest(code_digest().encode(), tree(templates_dir, "*"), serial(shared),
                  serial(sorted(pictures.items())))


def page_key(page: PageSpec, fingerprint: str, looked_up: object,
             serializer: Serializer | None = None) -> str | None:
    """The key of a page's bytes, or None for a data file (always rendered)."""
    if isinstance(page.context, DownloadContext):
        return None
    spell = (serializer or Serializer()).serial
    return digest(fingerprint.encode(), spell(page), spell(looked_up))


def page_keys(pages: Sequence[PageSpec], fingerprint: str,
              looked_up: Callable[[PageSpec], object], workers: int = 1) -> list[str | None]:
    """Every page's key (`page_key`), in `workers` processes when there are many."""
    serializer = Serializer()
    return processes.in_order(map_pages(
        pages, lambda page: page_key(page, fingerprint, looked_up(page), serializer), workers),
        len(pages))


def render_cached(pages: Sequence[PageSpec], keys: Sequence[str | None], store: Store | None,
                  render: Callable[[PageSpec], bytes], workers: int = 1) -> Outputs:
    """Every page: from `store` when rendered before under the same key, the others by
    `render`, in `workers` processes when there are many. A page kept in the cache folder is
    written there by the process that rendered it, and stands in the outputs as that file, so
    pages are neither sent between processes nor piled up in memory; so does a data
    file (`products.json` is 140 MB at 50,000 products), kept under a digest of its bytes.
    That process also works out the digest of each page the search index reads, which
    would otherwise read the file back for it (4 s at 50,000 products, on one core)."""
    found = [store.lookup(key) if store is not None and key is not None else None
             for key in keys]
    missing = [n for n, item in enumerate(found) if item is None]
    write = store.write if store is not None and store.writes_files() else None

    def make(n: int) -> tuple[str, bytes | Path, str | None]:  # in the worker: only a path
        data = render(pages[n])
        key = keys[n] or digest(b"file", data)  # a data file, by its bytes
        if write is None:
            return key, data, None
        return key, write(key, data), bytes_digest(data) if is_indexed(pages[n]) else None

    for index, (key, item, data_digest) in map_pages(missing, make, workers):
        found[missing[index]] = store.put(key, item, data_digest) if store is not None \
            else item
    return Outputs((page.output, item) for page, item in zip(pages, found, strict=True)
                   if item is not None)


PARALLEL_FROM = 400  # fewer pages are done faster in one process than a pool starts


def map_pages(items: Sequence[T], function: Callable[[T], R],
              workers: int) -> Iterator[tuple[int, R]]:
    """`processes.forked_map` over pages: in forked processes from `PARALLEL_FROM` pages, in
    slices of 50 or more."""
    return processes.forked_map(items, function, workers, PARALLEL_FROM, 50)


def search_cached(store: Store | None,
                  make: Callable[[PartIndexer], dict[str, bytes]]) -> dict[str, bytes]:
    """The search bundle `make` joins from the parts it has `search.search_index` make (one
    per language of each part), each one's words and bundle kept and reused while the pages it
    indexes are the same (their key names their addresses and bytes; the generator's code and
    Pagefind's version are added to it). The cache keeps this build's parts; under `etalase
    serve` they also stay in memory."""
    if store is None:
        return make(Uncached())
    parts = _KeptParts(store)
    joined = make(parts)
    parts.keep_only_these()
    if store.memory is not None:
        store.search = joined
    return joined


WORDS_FILE = "search-words.pickle"  # in the cache folder: each part's words
READ_FILE = "search-read.pickle"  # what the index read of page files and fragments


class _KeptParts:
    """`search.PartIndexer` through the store: memory first, then the cache folder."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = store.folder / "search" if store.folder else None
        store.words = store.begin(store.words, WORDS_FILE)
        store.read = store.begin(store.read, READ_FILE)
        self.used: dict[str, Mapping[str, bytes]] = {}
        self.salt = digest(code_digest().encode(), version("pagefind").encode())

    def page_digest(self, page: bytes | Path) -> str:
        """A page's digest; a page file's is given by the process that rendered it, or read
        once, then remembered by its key (the file's name: it is never changed in place): an
        edit does not read every page again."""
        assert self.store.read is not None
        if isinstance(page, bytes):
            return bytes_digest(page)
        made = self.store.digests.pop(page.name, None)  # by the process that rendered it
        return self.store.read.get(page.name, lambda: made or bytes_digest(read_bytes(page)))

    def fragment_address(self, fragment: bytes) -> str:
        """A search fragment's address, read once, then remembered by the digest of its bytes
        (its name is too short a digest to stand for them)."""
        assert self.store.read is not None
        return self.store.read.get(bytes_digest(fragment), lambda: fragment_address(fragment))

    def words(self, parts: Mapping[str, Documents],
              workers: int) -> dict[str, dict[str, frozenset[str]]]:
        assert self.store.words is not None
        return self.store.words.get_all(parts, lambda some: many_words(some, workers))

    def index(self, key: str, documents: Documents) -> Mapping[str, bytes]:
        key = digest(self.salt.encode(), key.encode())
        bundle = (self.store.parts or {}).get(key)
        if bundle is None:  # the dev server holds every part
            bundle = _KeptPart(self.folder / f"{key}.pickle" if self.folder else None,
                               documents, hold=self.store.memory is not None)
        self.used[key] = bundle
        return bundle

    def keep_only_these(self) -> None:
        if self.folder is not None and self.folder.is_dir():
            for old in self.folder.iterdir():
                if old.stem not in self.used:
                    old.unlink(missing_ok=True)
        if self.store.memory is not None:
            self.store.parts = self.used
        else:
            self.store.words = self.store.keep_memo(self.store.words, WORDS_FILE)
            self.store.read = self.store.keep_memo(self.store.read, READ_FILE)


class _KeptPart(Mapping[str, bytes]):
    """A part of the search index kept in the cache folder, read only when the parts are
    joined: while Pagefind indexes the others, this process does not hold it (at 50,000
    products the bundle is 155 MB). Made at once when the folder does not have it, and held
    when it cannot be kept there or when asked to `hold` it (not read back just after being
    written); made again if its file cannot be read back."""

    def __init__(self, path: Path | None, documents: Documents, hold: bool = False) -> None:
        self.path, self.documents = path, documents
        self.files: dict[str, bytes] | None = None
        if path is None or not path.is_file():
            made = bundle_files(documents)
            kept = path is not None and keep(path, pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
            self.files = made if hold or not kept else None
        elif hold:
            self.read()

    def read(self) -> dict[str, bytes]:
        if self.files is None:
            found = unpickle(self.path)
            self.files = found if isinstance(found, dict) else bundle_files(self.documents)
        return self.files

    def __getitem__(self, name: str) -> bytes:
        return self.read()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.read())

    def __len__(self) -> int:
        return len(self.read())
