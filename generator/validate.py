"""Validate: `Sources` → `Catalog`, collecting every error and warning on the way.

Each file is checked on its own (types, required fields, unknown fields), then across files:
references to units, categories and products, duplicate slugs and SKUs, image paths. Nothing is
filled in later: every record leaves here complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from generator import markup, quality
from generator.diagnose import drop_unknown, explain
from generator.errors import Diagnostic, Location, did_you_mean, error, is_failure, warning
from generator.load import IMAGE_SUFFIXES, Document, Kind, Sources
from generator.memo import Memo, digest, markdown_salt
from generator.model import (
    Catalog,
    Category,
    Facility,
    Page,
    PhotoRef,
    Product,
    Record,
    SiteConfig,
)
from generator.processes import results_in_order
from generator.transactions import read_transactions

R = TypeVar("R", bound=Record)
Markdown = Callable[[str], str]
_TEXT_MODELS: tuple[tuple[Kind, type[Record]], ...] = (  # the kinds of files with a body
    ("facility", Facility), ("page", Page), ("product", Product))
MARKDOWN_POOL_FROM = 2_000  # new Markdown bodies, from which they are converted in processes
MARKDOWN_CHUNK = 500  # bodies sent to a worker process at once


def build_catalog(sources: Sources, drafts: bool = False, base_url: str | None = None,
                  today: dt.date | None = None, memo: Memo | None = None, workers: int = 1,
                  ) -> tuple[Catalog | None, tuple[Diagnostic, ...]]:
    """Every record checked and linked; the catalog is None when any error was found.

    `today`, when known, is the newest date a sale may carry; `memo` remembers the records
    checked by earlier builds, by their file's text. Many new Markdown bodies are converted
    in `workers` processes while the records are checked.
    """
    found: list[Diagnostic] = list(sources.diagnostics)
    with _markdown(sources, memo, workers) as markdown:
        site = _site(sources, base_url, found)
        categories = _categories(sources, found)
        units = _records(sources.of_kind("facility"), Facility, "profile", found, markdown,
                         memo)
        facilities = [f for f, _ in units]
        photos = [ref for facility, doc in units for ref in _photo_refs(
            {"photo": facility.photo} if facility.photo else {}, doc, sources, found)]
        pages = [p for p, _ in _records(sources.of_kind("page"), Page, "body", found,
                                        markdown, memo)]
        checked = _records(sources.of_kind("product"), Product, "description", found,
                           markdown, memo)
    products = [p for p, _ in checked]
    known = _known_slugs(sources)
    found += _check_products(checked, known)
    photos += _product_photos(checked, sources, drafts, found)
    for product, doc in checked:
        found += quality.product_warnings(product, doc, today)
    found += quality.unit_warnings(units, products)
    all_products = {p.slug: p for p in products}
    transactions = read_transactions(sources.tables, all_products, known,
                                     site.pnbp_rate if site else 1.0, found, today)
    if site is None or is_failure(found, strict=False):
        return None, tuple(found)
    catalog = Catalog(
        site=site,
        categories=tuple(sorted(categories, key=lambda c: c.slug)),
        facilities=tuple(sorted(facilities, key=lambda f: f.slug)),
        products=tuple(sorted((p for p in products if drafts or not p.draft),
                              key=lambda p: p.slug)),
        transactions=tuple(sorted(transactions, key=lambda t: (t.date, t.source))),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        photos=tuple(sorted(photos)),
    )
    return catalog, tuple(found)


def _mapping(doc: Document, found: list[Diagnostic]) -> Mapping[Any, Any] | None:
    if isinstance(doc.data, Mapping):
        return doc.data
    found.append(error(
        Location(doc.file, 1 + doc.line_offset, 1), "",
        "isi data harus berupa pemetaan: baris-baris \"nama: nilai\"",
        "the data must be a mapping: lines of \"name: value\""))
    return None


def _validated(model: type[R], data: Mapping[Any, Any], doc: Document, extra: dict[str, Any],
               found: list[Diagnostic], prefix: tuple[Any, ...] = ()) -> R | None:
    cleaned, unknown = drop_unknown(data, model, doc, prefix=prefix)
    found.extend(unknown)
    try:
        return model.model_validate({**cleaned, **extra})
    except ValidationError as exc:
        found.extend(explain(exc, doc, prefix))
        return None


def _site(sources: Sources, base_url: str | None,
          found: list[Diagnostic]) -> SiteConfig | None:
    for doc in sources.of_kind("site"):
        data = _mapping(doc, found)
        site = _validated(SiteConfig, data, doc, {}, found) if data is not None else None
        if site is not None:
            url = base_url or site.base_url
            return site.model_copy(update={"base_url": url.rstrip("/") + "/"})
    return None


def _categories(sources: Sources, found: list[Diagnostic]) -> list[Category]:
    categories: list[Category] = []
    for doc in sources.of_kind("categories"):
        if not isinstance(doc.data, list):
            found.append(error(Location(doc.file, 1, 1), "",
                               "categories.yaml harus berupa daftar kategori"
                               " (baris \"- slug: ...\")",
                               "categories.yaml must be a list of categories (\"- slug: ...\")"))
            continue
        for index, item in enumerate(doc.data):
            if not isinstance(item, Mapping):
                found.append(error(doc.at((index,)), str(index),
                                   "setiap kategori harus berupa pemetaan slug, name, ...",
                                   "each category must be a mapping of slug, name, ..."))
                continue
            source = doc.at((index,))
            category = _validated(Category, item, doc, {"source": source}, found, (index,))
            categories.extend([category] if category else [])
    found += _duplicates([(c, c.source) for c in categories], "slug", "slug")
    return categories


@contextlib.contextmanager
def _markdown(sources: Sources, memo: Memo | None, workers: int) -> Iterator[Markdown]:
    """Markdown → HTML once per text (with `memo`, once across builds). The bodies of the
    files checked anew, when they are many, are converted in `workers` processes while this
    one checks the records and waits only for the text it needs: the Markdown library takes
    about half a millisecond a text, most of checking a catalogue."""
    memo = memo if memo is not None else Memo()  # without one, a text is converted once a build
    salt = markdown_salt().encode()

    def key(text: str) -> str:
        return digest(b"markdown", salt, text.encode())

    bodies = dict.fromkeys(doc.body for kind, model in _TEXT_MODELS
                           for doc in sources.of_kind(kind)
                           if _record_key(doc, model) not in memo.known)
    new = [text for text in bodies if key(text) not in memo.known]
    chunks = ([new[n:n + MARKDOWN_CHUNK] for n in range(0, len(new), MARKDOWN_CHUNK)]
              if len(new) >= MARKDOWN_POOL_FROM else [])
    coming = set().union(*chunks)
    ready: dict[str, str] = {}
    converting = results_in_order(markup.many_to_html, [(c,) for c in chunks], workers)
    converted = zip(chunks, converting, strict=True)

    def convert(text: str) -> str:  # each text once: `memo` keeps what it gives
        while text in coming and text not in ready and (done := next(converted, None)):
            ready.update(zip(*done, strict=True))
        coming.discard(text)
        return ready.pop(text, None) or markup.to_html(text)

    try:
        yield lambda text: memo.get(key(text), lambda: convert(text))
    finally:
        converting.close()  # waits for the texts still being converted


def _record_key(doc: Document, model: type[Record]) -> str:
    """A checked record's key in the memo: its model and its file's text."""
    return digest(b"record", model.__name__.encode(), doc.digest.encode())


def _records(docs: Iterable[Document], model: type[R], text_field: str,
             found: list[Diagnostic], markdown: Markdown,
             memo: Memo | None = None) -> list[tuple[R, Document]]:
    """Each document checked as a `model`; once per file text when `memo` is given."""
    records: list[tuple[R, Document]] = []
    for doc in docs:
        if memo is None or not doc.digest:
            record, problems = check_record(doc, model, text_field, markdown)
        else:
            record, problems = memo.get(_record_key(doc, model), functools.partial(
                check_record, doc, model, text_field, markdown))
        found += problems
        records.extend([(record, doc)] if record else [])
    return records


def check_record(doc: Document, model: type[R], text_field: str,
            markdown: Markdown) -> tuple[R | None, list[Diagnostic]]:
    """One document checked as a `model`, with what was found wrong."""
    found: list[Diagnostic] = []
    data = _mapping(doc, found)
    if data is None:
        return None, found
    english = data.get("en")
    english_text = english.get(text_field) if isinstance(english, Mapping) else None
    if model is Page and isinstance(english, Mapping):
        english_text = english.get("body")
    extra = {
        "slug": doc.slug, "source": Location(doc.file, 1, 1), "path": doc.rel,
        "body": doc.body,
        "body_html": markdown(doc.body),
        "en_body_html": markdown(english_text) if isinstance(english_text, str) else None,
    }
    found += markup.removed_markup(doc.body, doc.file, doc.body_line, "body")
    if isinstance(english_text, str):
        line = doc.text_line(("en", "body" if model is Page else text_field))
        found += markup.removed_markup(english_text, doc.file, line, f"en.{text_field}")
    return _validated(model, data, doc, extra, found), found


def _known_slugs(sources: Sources) -> dict[str, set[str]]:
    """Slugs that were written, valid or not, so one mistake causes no second error elsewhere.

    A unit whose file has an error still exists for its products; a product whose file has an
    error still exists for the transactions that sell it.
    """
    def stems(folder: str) -> set[str]:
        paths = {d.rel for d in sources.documents} | set(sources.broken)
        return {posixpath.splitext(posixpath.basename(p))[0] for p in paths
                if p.startswith(folder) and p.endswith(".md")}

    loaded = bool(sources.of_kind("categories"))
    categories = set() if loaded else {"*"}  # a missing or unreadable file is reported itself
    for doc in sources.of_kind("categories"):
        items = doc.data if isinstance(doc.data, list) else []
        categories |= {str(i.get("slug")) for i in items if isinstance(i, Mapping)}
    return {"facility": stems("facilities/"), "category": categories,
            "product": stems("products/")}


def _check_products(checked: list[tuple[Product, Document]],
                    known: dict[str, set[str]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for product, doc in checked:
        for field in ("facility", "category"):
            found += _reference(product, doc, field, known[field])
        folder = doc.rel.split("/")[1]
        if folder != product.facility and product.facility in known["facility"]:
            found.append(warning(
                doc.at(("facility",)), "facility",
                f"produk ada di folder \"{folder}\" tetapi facility \"{product.facility}\";"
                f" pindahkan berkas ke products/{product.facility}/",
                f"the product sits in folder \"{folder}\" but its facility is"
                f" \"{product.facility}\"; move the file to products/{product.facility}/"))
    products = [(p, doc.at(("slug",))) for p, doc in checked]
    skus = [(p, doc.at(("sku",))) for p, doc in checked]
    return found + _duplicates(products, "slug", "slug") + _duplicates(skus, "sku", "SKU")


def _reference(product: Product, doc: Document, field: str, known: set[str]) -> list[Diagnostic]:
    value = getattr(product, field)
    if value in known or "*" in known:
        return []
    hint_id, hint_en = did_you_mean(value, known)
    noun_id, noun_en = ("unit", "unit") if field == "facility" else ("kategori", "category")
    return [error(doc.at((field,)), field,
                  f"{noun_id} \"{value}\" tidak ada{hint_id}",
                  f"there is no {noun_en} \"{value}\"{hint_en}")]


def _product_photos(checked: list[tuple[Product, Document]], sources: Sources, drafts: bool,
                    found: list[Diagnostic]) -> list[PhotoRef]:
    """The photos of the products the site shows; the image paths of drafts are checked too."""
    photos = []
    for product, doc in checked:
        images = {f"images.{i}": image for i, image in enumerate(product.images)}
        refs = _photo_refs(images, doc, sources, found)
        photos += refs if drafts or not product.draft else []
    return photos


def _photo_refs(images: Mapping[str, str], doc: Document, sources: Sources,
                found: list[Diagnostic]) -> list[PhotoRef]:
    """Each image path (relative to the file, or to the content root with a leading /) must
    stay inside the content folder and name an existing photo; those that do are returned."""
    refs = []
    folder = posixpath.dirname(doc.rel)
    for field, image in images.items():
        target = posixpath.normpath(
            image.lstrip("/") if image.startswith("/") else posixpath.join(folder, image))
        where = doc.at(tuple(field.split(".")))
        if target.startswith("../") or target == ".." or "\\" in image:
            found.append(error(where, field, f"gambar \"{image}\" berada di luar folder konten",
                               f"image \"{image}\" is outside the content folder"))
        elif posixpath.splitext(target)[1].lower() not in IMAGE_SUFFIXES:
            found.append(error(where, field, "gambar harus berkas .jpg, .jpeg, .png atau .webp",
                               "an image must be a .jpg, .jpeg, .png or .webp file"))
        elif target not in sources.files:
            found.append(error(where, field, f"berkas gambar \"{image}\" tidak ditemukan",
                               f"image file \"{image}\" not found"))
        else:
            refs.append(PhotoRef(target, where, field, image))
    return refs


def _duplicates(records: Iterable[tuple[Any, Location]], field: str,
                label: str) -> list[Diagnostic]:
    """An error at each repeat of a value, naming the file where it was first used."""
    first: dict[str, Location] = {}
    found = []
    for record, where in sorted(records, key=lambda pair: pair[1]):
        value = getattr(record, field)
        if value is None:
            continue
        if value in first:
            found.append(error(
                where, field,
                f"{label} \"{value}\" sudah dipakai di {first[value]}; setiap {label} harus unik",
                f"{label} \"{value}\" is already used in {first[value]}; each {label} must be"
                " unique"))
        else:
            first[value] = where
    return found
