"""Translations: `templates/i18n/<lang>.yaml` → `Translations`, the UI strings of one language.

Each file is a nested mapping of strings; keys are looked up dotted (`product.price_on_request`)
and may carry `{named}` placeholders. Lists (the month names) are numbered from 1. The `format`
section gives the language's `Locale`. A key missing from a file is a bug in the templates, so
it raises at once rather than printing an empty string.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.formats import Locale
from generator.model import Language


class MissingString(KeyError):
    """A template asked for a UI string its language file does not have."""


@dataclass(frozen=True)
class Translations:
    """The UI strings of one language, flattened to dotted keys."""

    lang: Language
    strings: Mapping[str, str]

    def __call__(self, key: str, **params: object) -> str:
        """The string for `key`, with `{name}` placeholders filled from `params`."""
        if key not in self.strings:
            raise MissingString(f"no UI string {key!r} in i18n/{self.lang}.yaml")
        text = self.strings[key]
        return text.format(**params) if params else text

    @functools.cached_property
    def locale(self) -> Locale:
        """How numbers, money and months are written, from the `format` section."""
        return Locale(
            thousands=self("format.thousands"),
            decimal=self("format.decimal"),
            currency=self("format.currency"),
            months=tuple(self(f"format.months.{n}") for n in range(1, 13)),
        )


def flatten(data: object, prefix: str = "") -> dict[str, str]:
    """Nested mappings and lists → `{"a.b": "text", "a.list.1": "text"}`."""
    if isinstance(data, Mapping):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(str(n), v) for n, v in enumerate(data, start=1)]
    else:
        return {prefix: str(data)}
    flat: dict[str, str] = {}
    for key, value in items:
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else key))
    return flat


def load_translations(i18n_dir: Path, lang: Language) -> Translations:
    """Read `<i18n_dir>/<lang>.yaml`. A text read before is not parsed again: a build reads
    each language's strings in several places (rendering, the compiled templates' cache, the
    data files, the dev server's preview), and parsing both files takes 77 ms."""
    return _parsed(lang, (i18n_dir / f"{lang}.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8)
def _parsed(lang: Language, text: str) -> Translations:
    return Translations(lang, flatten(yaml.safe_load(text)))
