"""Search bundle: `(url, html)` documents → the files of Pagefind's search bundle, byte-stable.

Drives Pagefind's indexing service (`pagefind --service`, the binary of the `pagefind[bin]`
package) directly rather than through the `pagefind` Python wrapper: the wrapper reads one
answer per tenth of a second, so 40,000 pages would take over an hour; sent as they are read,
without waiting for each answer, they take seconds. Keeps the files the site serves (not
Pagefind's ready-made interfaces), and puts in a fixed order what Pagefind 1.5 writes in an
order that changes from run to run: the languages of `pagefind-entry.json`, and the filter and
sort lists inside each language's metadata file, which is named after its own hash. Two builds
are then byte-identical.

A large catalogue's index is made in parts (`join_parts`): Pagefind has no way to add one page to
an index, so a part is what an edit makes again, and what one `pagefind --service` holds in
memory. The search page merges the parts (Pagefind's `mergeIndex`): the first part at the
bundle's root with the runtime, each other in its own folder `part-<n>/`, their pages' fragments
all in the root's `fragment/` folder under ids that name their part (`p3-en_40a011d`).

A part must know every word of the catalogue: Pagefind answers a word that no page of an index
holds with its loosest match (the longest word the term begins with: "sepatu" finds the "S" of a
T-shirt's sizes), where one index that holds the word anywhere gives only its true matches. So
each part also indexes one page per language of every word of the catalogue (`word_pages`; a
part's own words cannot be left out, as `words` also counts text Pagefind skips). That page is
in no facet file, and its `place` filter is `words`, so the search page never shows it.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import html as html_module
import json
import os
import re
import subprocess
import threading
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from pagefind.service import get_executable

from generator.errors import BuildStopped
from generator.processes import give_back_memory

# What the site serves of Pagefind's output; its ready-made interfaces are left out.
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
SHARED_RUNTIME = frozenset(RUNTIME_FILES) - {"pagefind-entry.json"}  # the same in every part
INDEX_FOLDERS = ("index/", "filter/", "fragment/")
SIGNATURE = b"pagefind_dcd"  # starts every compressed file of the index
FRAGMENT_HEAD = 1024  # bytes of a fragment unpacked to find its address (`fragment_address`)
_URL_FIRST = SIGNATURE + b'{"url":'
_JSON = json.JSONDecoder()
# At most this many parts: a search in the browser loads a few small files of each.
MAX_PARTS = 8
MAIN = re.compile(rb"<main\b.*</main>", re.S)
LANG = re.compile(rb"<html[^>]*?\slang=\"([^\"]+)\"")
WORDS_URL = "/_kata/{lang}/"  # the address of a part's page of every word of the catalogue
_BODY = re.compile(rb"data-pagefind-body[^>]*>(.*)</main>", re.S)
_OPENING_TAG = re.compile(rb"<([a-z][a-z0-9]*)\b[^>]*>")
_WORD_BYTE = re.compile(rb"\w")
# What Pagefind reads even in an ignored element: filters, metadata and sorts, and the first
# `<h1>` and `<img>`, when it looks for a page's title and image.
_READ_WHEN_IGNORED = (b"data-pagefind-filter", b"data-pagefind-meta", b"data-pagefind-sort",
                      b"<h1", b"<img")
_TAGS = re.compile(rb"<(script|style)\b.*?</\1>|<[^>]*>", re.S)
_WORD = re.compile(r"[^\W\d_]+")
# How Pagefind's allocator (jemalloc, built in; it reads `_RJEM_MALLOC_CONF`) handles memory:
# by default it keeps what Pagefind frees for ten seconds, in an arena per thread. Given back
# after half a second, from one arena, a part's peak is a fifth lower at 6,246 pages (511 MB
# against 574 to 647) and a seventh at 2,548 (231 to 237 against 252 to 288), for about 2%
# more of its time.
PAGEFIND_MEMORY = "narenas:1,dirty_decay_ms:500,muzzy_decay_ms:0"
# A service holds about a third of its peak while it reads the pages; its peak comes when it
# writes the index's files. Services side by side take turns to write them, one at a time:
WRITING = threading.Lock()


Documents = Collection[tuple[str, bytes]]  # (URL, UTF-8 HTML) of each page to index


class SearchIndexError(BuildStopped):
    """Pagefind's indexing service failed: a bug or a broken install, never a content mistake.
    What went wrong is said in English only, for a report."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.message_id = ("indeks pencarian tidak bisa dibuat (Pagefind gagal); situs lama"
                           " tidak diubah. Pasang ulang dengan make install lalu bangun lagi;"
                           " bila masih gagal, laporkan pesan ini")
        self.message_en = (f"the search index could not be made ({detail}); the previous site"
                           " is unchanged. Reinstall with make install and build again; if it"
                           " still fails, report this message")


def bundle_files(documents: Documents) -> dict[str, bytes]:
    """The files the site serves for `(url, UTF-8 html)` documents, by path in the bundle.

    Pagefind keeps one index per language; each is made by its own `pagefind --service`, one
    after the other, and their files joined: the same files one service makes, with half the
    memory (Pagefind holds every page it indexes: about 0.9 GB per 10,000 pages). Each page is
    cut down (`for_pagefind`) and sent as it is read, so that this process never holds a
    part's pages: those of the first language met go to its service at once, and those of any
    other wait, cut down, for their own. A build sends each language of each part of its
    index on its own (`search.search_index`), one per core.
    """
    later: dict[str, list[tuple[str, bytes]]] = {}

    def first_language() -> Iterator[tuple[str, bytes]]:
        first = None
        for url, html in documents:
            lang = language_of(html)
            first = first or lang
            if lang == first:
                yield url, for_pagefind(html, lang)
            else:
                later.setdefault(lang, []).append((url, for_pagefind(html, lang)))

    made = [index_documents(first_language())]
    made += [index_documents(later.pop(lang)) for lang in sorted(later)]  # each freed once sent
    return canonical_bundle(select_files(join_bundles(made)))


def for_pagefind(html: bytes, lang: str) -> bytes:
    """What Pagefind needs of a page: its language and its `data-pagefind-body` elements, which
    hold their filters and metadata, less the `data-pagefind-ignore` elements inside them that
    hold none (Pagefind skips their text, but reads filters and metadata in them, and looks for
    a title and an image there too). The head (styles, JSON-LD), the header, the footer, the
    rest of `<main>` (the breadcrumb, related products) and a product's quote links, readiness
    and maker are left out before sending: the same index, made with a fifth less of
    Pagefind's time than from `<main>`. A page without such an element sends its `<main>`;
    one without a `<main>` or a language goes whole."""
    main = MAIN.search(html)
    if main is None or not lang:
        return html
    spans = _outermost(main.group(0), b"data-pagefind-body") or ()  # or one does not close
    kept = (b"<main>%s</main>" % b"\n".join(_without_ignored(main.group(0)[start:end])
                                           for start, end in spans)
            if spans else main.group(0))
    return b'<!DOCTYPE html><html lang="%s"><head></head><body>%s</body></html>' % (
        lang.encode(), kept)


def _without_ignored(html: bytes) -> bytes:
    """`html` without its outermost `data-pagefind-ignore` elements that hold nothing Pagefind
    reads (`_READ_WHEN_IGNORED`); as it is when one of them does not close."""
    pieces, at = [], 0
    for start, end in _outermost(html, b"data-pagefind-ignore") or ():
        if all(html.find(text, start, end) == -1 for text in _READ_WHEN_IGNORED):
            pieces.append(html[at:start])
            at = end
    return b"".join(pieces) + html[at:]


def _outermost(html: bytes, attribute: bytes) -> list[tuple[int, int]] | None:
    """Where each outermost element of `html` whose opening tag has `attribute` starts and
    ends; None when one of them does not close. (The attribute is looked for as text, then
    its tag around it: a pattern matching tags that have it took most of this time.)"""
    found: list[tuple[int, int]] = []
    at = 0
    while (mark := html.find(attribute, at)) != -1:
        at = mark + len(attribute)
        start = html.rfind(b"<", 0, mark)
        opening = _OPENING_TAG.match(html, start) if start != -1 else None
        if (opening is None or opening.end() <= mark or not html[mark - 1:mark].isspace()
                or _WORD_BYTE.match(html, at)):
            continue  # the text is not that attribute of an opening tag
        depth = 1
        tags = re.compile(rb"<(/?)%s\b[^>]*>" % re.escape(opening.group(1)))
        for tag in tags.finditer(html, opening.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                break
        else:
            return None
        found.append((start, tag.end()))
        at = tag.end()
    return found


def language_of(html: bytes) -> str:
    """The `<html lang>` of a page, which names the index Pagefind puts it in."""
    found = LANG.search(html[:2000])
    return found.group(1).decode() if found else ""


def part_count(products: int, per_part: int | None) -> int:
    """How many parts an index of `products` products is made in, about `per_part` products
    each (None: one): an edit indexes one part again (Pagefind takes about 1.2 ms a page)."""
    if not per_part:
        return 1
    return max(1, min(MAX_PARTS, -(-products // per_part)))


def part_of(name: str, parts: int) -> int:
    """The part a product's pages go to, by a digest of its slug: adding a product, or
    editing one, changes one part. Part 0 also holds the pages of units and categories."""
    if parts == 1:
        return 0
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big") % parts


def part_folder(number: int) -> str:
    """Where part `number` of the index is served from, in the bundle's folder."""
    return "" if number == 0 else f"part-{number}/"


def merged_folders(products: Iterable[str], parts: int) -> tuple[str, ...]:
    """The folders of the parts the search page merges into part 0, for products of these
    slugs: every other part that holds a page."""
    return tuple(part_folder(n) for n in sorted({part_of(slug, parts) for slug in products})
                 if n != 0)


def documents_digest(pages: Iterable[tuple[str, str]]) -> str:
    """A digest of the addresses of documents and of their bytes (`memo.bytes_digest` of
    each): what a part's index is made from."""
    hasher = hashlib.blake2b(digest_size=20)
    for url, page in pages:
        hasher.update(b"%d\0%s\0%s\0" % (len(url), url.encode(), page.encode()))
    return hasher.hexdigest()


def words(documents: Documents) -> dict[str, frozenset[str]]:
    """The words of the indexed part of each page, lowercased, by language: a superset of what
    Pagefind indexes (it also skips `data-pagefind-ignore`), letters only. The pages' tokens
    are gathered first and cut into words once each: a token comes again on many pages."""
    tokens: dict[str, set[str]] = {}
    for _, html in documents:
        body = _BODY.search(html)
        text = html_module.unescape(_TAGS.sub(b" ", body.group(1) if body else html).decode())
        tokens.setdefault(language_of(html), set()).update(text.lower().split())
    return {lang: _letters_only(some) for lang, some in tokens.items()}


def _letters_only(tokens: Iterable[str]) -> frozenset[str]:
    """The runs of letters in `tokens`: most tokens are a word, some hold punctuation."""
    every: set[str] = set()
    for token in tokens:
        if token.isalpha():
            every.add(token)
        else:
            every.update(_WORD.findall(token))
    return frozenset(every)


def word_pages(every: Mapping[str, Iterable[str]]) -> list[tuple[str, bytes]]:
    """One page per language holding `every[lang]`, the words of every part."""
    return [(WORDS_URL.format(lang=lang), (
        f'<!DOCTYPE html><html lang="{lang}"><head></head><body><main data-pagefind-body>'
        f'<span data-pagefind-filter="place:words"></span><p>{" ".join(sorted(some))}</p>'
        '</main></body></html>').encode())
        for lang, some in sorted(every.items()) if some]


def join_parts(parts: Mapping[int, Mapping[str, bytes]]) -> dict[str, bytes]:
    """The bundle of an index made in parts (each a `bundle_files` result), by number: part
    0 with the runtime at the root, each other part's entry, metadata and word index in
    `part_folder(n)`, and every fragment in the root's `fragment/`. The pages of part n > 0
    are renamed `p<n>-<id>` in its metadata (the id a search returns) and fragment names."""
    joined = dict(parts[0])
    for number, files in sorted(parts.items()):
        if number == 0:
            continue
        folder, prefix = part_folder(number), f"p{number}-"
        bundle = {name: data for name, data in files.items()  # the runtime comes once
                  if name not in SHARED_RUNTIME and not name.startswith(("fragment/", "wasm."))}
        entry = json.loads(bundle.pop("pagefind-entry.json"))
        for code, language in sorted(entry["languages"].items()):
            meta = read_packed(bundle.pop(f"pagefind.{language['hash']}.pf_meta"))
            meta[1] = [[prefix + page, *rest] for page, *rest in meta[1]]
            _put_meta(bundle, code, language, meta)
        bundle["pagefind-entry.json"] = _entry_json(entry)
        joined.update({folder + name: data for name, data in bundle.items()})
        joined.update({"fragment/" + prefix + name.removeprefix("fragment/"): data
                       for name, data in files.items() if name.startswith("fragment/")})
    return joined


def join_bundles(parts: Sequence[Mapping[str, bytes]]) -> dict[str, bytes]:
    """The files of indexes of different languages as one bundle: the runtime once, the
    languages of every `pagefind-entry.json` in one."""
    joined: dict[str, bytes] = {}
    entry: dict[str, Any] | None = None
    for files in parts:
        part = json.loads(files["pagefind-entry.json"])
        if entry is None:
            entry = part
        elif {k: v for k, v in part.items() if k != "languages"} != {
                k: v for k, v in entry.items() if k != "languages"}:
            raise SearchIndexError("pagefind indexes of different versions or settings")
        else:
            entry["languages"].update(part["languages"])
        joined.update(files)
    assert entry is not None
    entry["languages"] = dict(sorted(entry["languages"].items()))
    joined["pagefind-entry.json"] = _entry_json(entry)
    return joined


def read_fragment(data: bytes) -> dict[str, Any]:
    """A page's fragment (its URL, text, filters and metadata) as Pagefind wrote it."""
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError("pagefind fragment without its signature")
    fragment: dict[str, Any] = json.loads(raw[len(SIGNATURE):])
    return fragment


def fragment_address(data: bytes) -> str:
    """The address in a fragment, `read_fragment(data)["url"]`, unpacked from its head alone:
    Pagefind writes it first (`{"url":"/produk/.../",...`), and a fragment holds the page's
    whole text (20,000 of them: 0.16 s against 0.41). Read whole when it is not there."""
    head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data, FRAGMENT_HEAD)
    if head.startswith(_URL_FIRST):
        with contextlib.suppress(ValueError):  # cut short in the address, or not JSON
            url, _ = _JSON.raw_decode(head[len(_URL_FIRST):].decode("utf-8", "replace"))
            if isinstance(url, str):
                return url
    return str(read_fragment(data)["url"])


def index_documents(documents: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Every file Pagefind makes for `(url, UTF-8 html)` documents, by path in the bundle."""
    files = _files(*exchange(_requests(documents)))
    give_back_memory()  # Pagefind's answer, decoded, while the next part is indexed
    return files


def _files(first: dict[str, Any], last: dict[str, Any]) -> dict[str, bytes]:
    """The files in Pagefind's last answer, decoded. A function of its own so that the
    answer, once decoded, is freed before `give_back_memory` runs."""
    if first.get("index_id") != 0:
        raise SearchIndexError(f"unexpected answer from pagefind: {first}")
    return {f["path"]: base64.b64decode(f["content"]) for f in last["files"]}


def _requests(documents: Iterable[tuple[str, bytes]]) -> Iterator[dict[str, Any]]:
    """A new index, each page, then the index's files; made one at a time, as sent."""
    yield {"type": "NewIndex", "config": None}
    for url, html in documents:
        yield {"type": "AddFile", "index_id": 0, "url": url, "file_path": None,
               "file_contents": html.decode("utf-8")}
    yield {"type": "GetFiles", "index_id": 0}


def exchange(requests: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send requests to `pagefind --service` as they are made, while reading its answers; the
    answers to the first and the last request (every other is checked, then dropped: a part's
    pages are answered by as many small records). A request that cannot be made (a page file
    that cannot be read) stops the service, and its error is raised."""
    process = start_service()
    writer = _Writer(process, requests)
    writer.start()
    assert process.stdin is not None and process.stdout is not None
    try:
        return _receive(process.stdout, writer)
    except SearchIndexError:
        if writer.error is not None:
            raise writer.error from None
        raise
    finally:
        with contextlib.suppress(OSError):  # what was not sent when the service stopped
            process.stdin.close()
        process.kill()
        process.wait()
        writer.join()
        if writer.writing:
            WRITING.release()


def start_service() -> subprocess.Popen[bytes]:
    """`pagefind --service`, reading requests from its stdin and answering on its stdout,
    with `PAGEFIND_MEMORY`."""
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("the pagefind binary is missing")
    return subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            env={**os.environ, "_RJEM_MALLOC_CONF": PAGEFIND_MEMORY})


class _Writer(threading.Thread):
    """Writes each request to the service as it is made: base64 of JSON, then a comma. `last`
    is the number of the last request, set before it is written (so before its answer can
    come); `error` is what stopped the requests being made, when that happened. The last
    request (the index's files) waits its turn to hold `WRITING`, then `writing` is True."""

    def __init__(self, process: subprocess.Popen[bytes],
                 requests: Iterable[Mapping[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.process, self.requests = process, requests
        self.last: int | None = None
        self.error: BaseException | None = None
        self.writing = False

    def run(self) -> None:
        stream = self.process.stdin
        assert stream is not None
        try:
            numbered = enumerate(self.requests, start=1)
            ahead = next(numbered, None)
            while ahead is not None:
                number, payload = ahead
                ahead = next(numbered, None)
                if ahead is None:
                    self.last = number
                    self.writing = WRITING.acquire()
                text = json.dumps({"message_id": number, "payload": payload})
                if not _done(stream.write, base64.b64encode(text.encode("utf-8")) + b","):
                    return
            _done(stream.flush)
        except BaseException as error:  # raised again by `exchange`
            self.error = error
            self.process.kill()  # `_receive` then meets the end of the answers


def _done(action: Callable[..., object], *args: object) -> bool:
    """Write to the service (`action(*args)`); False when it has stopped (`_receive` then
    reports it)."""
    try:
        action(*args)
    except (OSError, ValueError):
        return False
    return True


def _receive(stream: IO[bytes], writer: _Writer) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers to the first and the last request `writer` sends, once every request is
    answered; Pagefind's errors raised."""
    kept: dict[int, dict[str, Any]] = {}
    count = 0
    for message in _messages(stream):
        answer = json.loads(base64.b64decode(message))
        del message  # a part's files: held decoded, not twice
        payload = answer["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(f"pagefind: {payload.get('message')}")
        count += 1
        if answer["message_id"] in (1, writer.last):
            kept[answer["message_id"]] = payload
        if count == writer.last:
            return kept[1], kept[count]
    raise SearchIndexError(f"pagefind stopped after {count} answers")


def _messages(stream: IO[bytes]) -> Iterator[bytes]:
    """Comma-separated messages, joined from chunks without copying the whole stream."""
    pending: list[bytes] = []
    while chunk := stream.read1(1 << 20):  # type: ignore[attr-defined]
        *complete, rest = chunk.split(b",")
        for part in complete:
            message = [b"".join([*pending, part])]
            pending = []
            yield message.pop()  # held by the reader alone
        pending.append(rest)


def select_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files the search page needs: the runtime, the index and each language's engine."""
    entry = json.loads(files["pagefind-entry.json"])
    engines = {f"wasm.{lang['wasm']}.pagefind" for lang in entry["languages"].values()}
    metas = {f"pagefind.{lang['hash']}.pf_meta" for lang in entry["languages"].values()}
    wanted = {*RUNTIME_FILES, *engines, *metas}
    return {name: data for name, data in files.items()
            if name in wanted or name.startswith(INDEX_FOLDERS)}


def canonical_bundle(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The bundle with its languages, filters and sort keys in a fixed order."""
    bundle = dict(files)
    entry = json.loads(bundle["pagefind-entry.json"])
    for code, language in sorted(entry["languages"].items()):
        meta = read_packed(bundle.pop(f"pagefind.{language['hash']}.pf_meta"))
        if not isinstance(meta, list) or len(meta) < 5:
            raise SearchIndexError("pagefind metadata of an unknown layout")
        # The metadata lists, after pages and word-index chunks, the filters (name, chunk)
        # and the sorts (name, page order).
        meta[3] = sorted(canonical_filter(bundle, code, name, chunk) for name, chunk in meta[3])
        meta[4] = sorted(meta[4], key=lambda item: item[0])
        _put_meta(bundle, code, language, meta)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    bundle["pagefind-entry.json"] = _entry_json(entry)
    return bundle


def _put_meta(bundle: dict[str, bytes], code: str, language: dict[str, Any],
              meta: Any) -> None:
    """Store a language's metadata in `bundle` under the name of its hash, as Pagefind names
    it, and that name in the language's entry."""
    data = pack(meta)
    language["hash"] = f"{code}_{hashlib.sha256(data).hexdigest()[:10]}"
    bundle[f"pagefind.{language['hash']}.pf_meta"] = data


def _entry_json(entry: Mapping[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def canonical_filter(bundle: dict[str, bytes], code: str, name: str,
                     chunk: str) -> list[str]:
    """Rewrite one filter's chunk with its values in order; its (name, new chunk) entry."""
    data = read_packed(bundle.pop(f"filter/{chunk}.pf_filter"))
    data[1] = sorted(data[1], key=lambda item: item[0])  # (value, pages) pairs
    packed = pack(data)
    chunk = f"{code}_{hashlib.sha256(packed).hexdigest()[:7]}"
    bundle[f"filter/{chunk}.pf_filter"] = packed
    return [name, chunk]


def read_packed(data: bytes) -> Any:
    """The CBOR value of one of Pagefind's compressed index files."""
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError("pagefind index file without its signature")
    value, end = cbor_decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise SearchIndexError("pagefind index file with trailing data")
    return value


def pack(value: Any) -> bytes:
    """A value as Pagefind stores it: gzip of its signature and the value's CBOR."""
    return gzip.compress(SIGNATURE + cbor_encode(value), mtime=0)


def cbor_decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (unsigned integers, byte and text strings, arrays) and where it ends."""
    major, length, at = _cbor_head(data, at)
    if major == 0:
        return length, at
    if major in (2, 3):
        chunk = data[at:at + length]
        return (chunk if major == 2 else chunk.decode("utf-8")), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    raise SearchIndexError(f"pagefind metadata holds CBOR of major type {major}")


def _cbor_head(data: bytes, at: int) -> tuple[int, int, int]:
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise SearchIndexError("pagefind metadata holds CBOR of indefinite length")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def cbor_encode(value: Any) -> bytes:
    """The shortest CBOR of what `cbor_decode` reads, as Pagefind writes it."""
    if isinstance(value, int):
        return _cbor_head_bytes(0, value)
    if isinstance(value, bytes | str):
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        return _cbor_head_bytes(2 if isinstance(value, bytes) else 3, len(raw)) + raw
    return _cbor_head_bytes(4, len(value)) + b"".join(cbor_encode(item) for item in value)


def _cbor_head_bytes(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    size = next(s for s in (1, 2, 4, 8) if length < 1 << (8 * s))
    return bytes([major << 5 | (24 + size.bit_length() - 1)]) + length.to_bytes(size, "big")
