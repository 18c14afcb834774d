"""Changes: the previous published build's product data and this build's → `Changes`.

Published as `/data/changes.json` and the changes page: products added, changed (with the
fields that changed) and removed, matched by their stable `id`. The previous build is read
from the folder it was published to (`data/products.json` there), never from a clock.

- First build (no previous data, or data that cannot be read): nothing is listed and
  `previous` is null. Everything being "added" would say nothing a reader of products.json
  does not already know.
- A rebuild whose product data equals the previous build's keeps the previous build's list, so
  building the same content twice gives the same site byte for byte.
- Links depend on the site address, so `urls` is left out of the comparison and photo links are
  compared by their path under `media/`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import Language

SCHEMA_VERSION = 1
IGNORED = frozenset({"urls"})


@dataclass(frozen=True)
class Entry:
    """One product in the list of changes."""

    id: str
    name: str
    name_en: str | None
    url: str | None  # its page in the default language; None once removed
    fields: tuple[str, ...] = ()  # what changed, for a changed product

    def name_in(self, lang: Language) -> str:
        """The name shown in `lang`, Indonesian when untranslated."""
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Changes:
    """Products added, changed and removed since the previous build (None: first build)."""

    previous: int | None
    current: int
    added: tuple[Entry, ...] = ()
    changed: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Previous:
    """What the previous build published: its products and its own list of changes."""

    products: list[dict[str, Any]]
    changes: Changes | None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_previous(folder: Path) -> Previous | None:
    """The previous build in `folder` (a published site), or None when there is none."""
    data = _read_json(folder / "data" / "products.json")
    if not isinstance(data, dict) or not isinstance(data.get("products"), list):
        return None
    products = [p for p in data["products"] if isinstance(p, dict) and _id(p)]
    return Previous(products, changes_from_json(_read_json(folder / "data" / "changes.json")))


def _id(product: Mapping[str, Any]) -> str:
    """The stable identifier; builds before `id` was published carry only `slug`."""
    return str(product.get("id") or product.get("slug") or "")


def _comparable(product: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in product.items() if k not in IGNORED}
    if isinstance(data.get("images"), list):
        data["images"] = [str(i).rsplit("/media/", 1)[-1] for i in data["images"]]
    return data


def _entry(product: Mapping[str, Any], lang: Language, fields: Sequence[str] = (),
           url: bool = True) -> Entry:
    urls = product.get("urls")
    link = urls.get(lang) if url and isinstance(urls, dict) else None
    return Entry(_id(product), str(product.get("name", "")), product.get("name_en"),
                 link, tuple(fields))


def compare(previous: Previous | None, current: Sequence[Mapping[str, Any]],
            lang: Language = "id") -> Changes:
    """What changed from the previous build's products to `current` (products.json items);
    links are to the pages in `lang`, the site's default language."""
    if previous is None:
        return Changes(None, len(current))
    if previous.changes is not None and previous.products == list(current):
        return previous.changes
    before = {_id(p): _comparable(p) for p in previous.products}
    after = {_id(p): p for p in current}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        now = _comparable(after[key])
        fields = sorted(k for k in before[key].keys() | now.keys()
                        if before[key].get(k) != now.get(k))
        changed += [_entry(after[key], lang, fields)] if fields else []
    raw_before = {_id(p): p for p in previous.products}
    return Changes(
        previous=len(before), current=len(after),
        added=tuple(_entry(after[k], lang) for k in sorted(after.keys() - before.keys())),
        changed=tuple(changed),
        removed=tuple(_entry(raw_before[k], lang, url=False)
                      for k in sorted(before.keys() - after.keys())),
    )


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "name": entry.name, "name_en": entry.name_en, "url": entry.url,
            "fields": list(entry.fields)}


def changes_json(changes: Changes) -> dict[str, Any]:
    """The plain data of `/data/changes.json`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "previous": None if changes.previous is None else {"products": changes.previous},
        "products": changes.current,
        "added": [_entry_json(e) for e in changes.added],
        "changed": [_entry_json(e) for e in changes.changed],
        "removed": [_entry_json(e) for e in changes.removed],
    }


def _entries(items: Any) -> tuple[Entry, ...]:
    return tuple(Entry(str(i["id"]), str(i["name"]), i.get("name_en"), i.get("url"),
                       tuple(i.get("fields", ()))) for i in items)


def changes_from_json(data: Any) -> Changes | None:
    """`changes_json`'s data back into `Changes`; None when it is not such data."""
    try:
        if data["schema_version"] != SCHEMA_VERSION:
            return None
        previous = data["previous"]["products"] if data["previous"] is not None else None
        return Changes(previous, int(data["products"]), _entries(data["added"]),
                       _entries(data["changed"]), _entries(data["removed"]))
    except (KeyError, TypeError, ValueError):
        return None
