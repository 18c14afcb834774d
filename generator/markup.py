"""Markup: Markdown text → sanitised HTML, plus warnings for what sanitising removed.

Rendered like the GitHub/GitLab preview editors use (see CONTENT-MODEL.md, "Markdown bodies"),
then cleaned with nh3 against an allowlist. Scripts, event handlers and `javascript:` links never
reach a page; each one removed is reported at its line so the editor knows why it vanished.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence

import markdown
import nh3

from generator.errors import Diagnostic, Location, warning

EXTENSIONS = (
    "sane_lists", "tables", "mdx_truly_sane_lists", "mdx_breakless_lists",
    "pymdownx.magiclink", "pymdownx.tilde",
)
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"},
                      "th": {"align"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_HANDLER_RE = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_SCHEME_RE = re.compile(r"\b(javascript|vbscript|data)\s*:", re.IGNORECASE)


_converters = threading.local()


class _Needs:
    """A Markdown pattern's or block processor's regular expression, searched only in text
    that holds a string every one of its matches holds. Python-Markdown searches each inline
    pattern in each run of text; for a product's body, the e-mail, code and web-address
    patterns took 150 of the 480 µs of the whole conversion, finding nothing in most text.
    The output is the same (`test_fuzz.test_markdown_guards_change_nothing`)."""

    def __init__(self, compiled: re.Pattern[str], holds: Callable[[str, int], bool]) -> None:
        self.compiled = compiled
        self.holds = holds

    def finditer(self, data: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """What Python-Markdown calls (`InlineProcessor`'s `getCompiledRegExp().finditer`)."""
        return self.compiled.finditer(data, pos) if self.holds(data, pos) else iter(())

    def search(self, data: str, pos: int = 0) -> re.Match[str] | None:
        """What a block processor calls (`RE.search`)."""
        return self.compiled.search(data, pos) if self.holds(data, pos) else None

    def match(self, data: str, pos: int = 0) -> re.Match[str] | None:
        """What a block processor calls (`RE.match`)."""
        return self.compiled.match(data, pos) if self.holds(data, pos) else None

    def __getattr__(self, name: str) -> object:  # `pattern`, `flags`, `groupindex`...
        return getattr(self.compiled, name)


def _has(text: str) -> Callable[[str, int], bool]:
    return lambda data, pos: data.find(text, pos) >= 0


def _web_address(data: str, pos: int) -> bool:
    r"""What magiclink's web-address pattern needs: a scheme's `://`, or `www.` in any case
    (`(?i)w` matches only w and W). As an expression, `(?i)://|w{3}\.` took 3 µs a paragraph;
    this, 0.5."""
    return data.find("://", pos) >= 0 or "www." in data[pos:].lower()


# By inline pattern's name: what each of its matches holds, read off its expression (a
# backtick for code, also after escaped backslashes; an @ for an address; a scheme or www.).
GUARDS: dict[str, Callable[[str, int], bool]] = {
    "backtick": _has("`"),
    "magic-mail": _has("@"),
    "magic-link": _web_address,
    "reference": _has("["), "link": _has("["), "short_reference": _has("["),
}


# The same for the block processors that search each block: a heading's #, a quote's >, and
# the newline then = or - that underlines a heading (3 s of 17 at 50,000 products).
BLOCK_GUARDS: dict[str, Callable[[str, int], bool]] = {
    "hashheader": _has("#"), "quote": _has(">"),
    "setextheader": lambda data, pos: data.find("\n=", pos) >= 0 or data.find("\n-", pos) >= 0,
}


def converter(guarded: bool = True) -> markdown.Markdown:
    """A Markdown converter with this catalogue's extensions, its slow patterns `GUARDS`ed."""
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    for name, holds in GUARDS.items() if guarded else ():
        pattern = md.inlinePatterns[name]
        pattern.compiled_re = _Needs(pattern.compiled_re, holds)  # type: ignore[assignment]
    for name, holds in BLOCK_GUARDS.items() if guarded else ():
        processor = md.parser.blockprocessors[name]
        processor.RE = _Needs(processor.RE, holds)  # type: ignore[attr-defined]
    return md


def to_html(text: str) -> str:
    """Markdown → sanitised HTML; headings start at h2 because the page title is the h1.
    Each thread sets the extensions up once and resets its converter between texts."""
    md = getattr(_converters, "markdown", None)
    if md is None:
        md = _converters.markdown = converter()
    html = md.reset().convert(text)
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return nh3.clean(
        html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer",
    )


def many_to_html(texts: Sequence[str]) -> list[str]:
    """`to_html` of each text: a worker process's share of a catalogue's Markdown."""
    return [to_html(text) for text in texts]


def removed_markup(text: str, file: str, first_line: int, field: str) -> list[Diagnostic]:
    """A warning for each raw tag, event handler or script link that sanitising will drop."""
    found: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if "<" not in line and "=" not in line and ":" not in line:
            continue  # what each expression needs: the three took 58 µs for a product's body
        for match in _TAG_RE.finditer(line):
            tag = match.group(1).lower()
            if tag not in ALLOWED_TAGS and tag != "h1":
                found.append(_removed(file, number, match.start(), field, f"tag HTML <{tag}>",
                                      f"HTML tag <{tag}>"))
        for match in _HANDLER_RE.finditer(line):
            name = match.group(0).rstrip("= ").lower()
            found.append(_removed(file, number, match.start(), field, f"atribut {name}",
                                  f"attribute {name}"))
        for match in _SCHEME_RE.finditer(line):
            scheme = match.group(1).lower()
            found.append(_removed(file, number, match.start(), field, f"tautan {scheme}:",
                                  f"{scheme}: link"))
    return found


def _removed(file: str, line: int, index: int, field: str, what_id: str,
             what_en: str) -> Diagnostic:
    return warning(
        Location(file, line, index + 1), field,
        f"{what_id} dihapus demi keamanan dan tidak akan tampil",
        f"{what_en} removed for safety and will not be shown",
    )
