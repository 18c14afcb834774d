"""Render: a `Catalog` and its `PageSpec`s → every output file as `{path: bytes}`.

One Jinja2 environment per language (FileSystemLoader on the templates folder, autoescape for
HTML and XML, StrictUndefined) carries that language's UI strings `t(...)`, formatting filters
(`money`, `money_short`, `number`, `percent`, `decimal`, `date`, `month`, and `scale` for
charts) and helpers (`url`, `local`, `body`,
...). Pages render in the order given, data files come from `downloads`, and the files under
`templates/static/` are copied to `static/`. Nothing here reads a clock, so two renders of the
same catalogue are byte-identical.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pickle
import re
import shutil
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from collections.abc import Set as AbstractSet
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import markupsafe
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    nodes,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, Macro
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from generator import downloads, facets, pagecache, processes
from generator.contexts import (
    DownloadContext,
    EkatalogContext,
    FacilityContext,
    ProductContext,
    field_names,
)
from generator.formats import (
    format_compact_money,
    format_date,
    format_decimal,
    format_money,
    format_month,
    format_number,
    format_percent,
    iso_datetime,
)
from generator.images import Shown, shown
from generator.imaging import Picture
from generator.memo import code_digest, digest
from generator.model import Catalog, FileRecord, Language, Product, Repository
from generator.pages import PageSpec, facility_photo, product_image
from generator.quotes import Maker, QuoteLinks, quote_links
from generator.readiness import ReadinessBook, assess
from generator.translations import Translations, load_translations
from generator.urls import (
    SHARED_KINDS,
    SORTS,
    Route,
    RouteKind,
    SiteUrls,
    Sort,
    edit_url,
    map_link,
    photo_path,
    search_params,
    sort_word,
    whatsapp_link,
)
from generator.write import Outputs

CONTENT_LANGUAGE: Language = "id"  # the language content is written in; `en:` adds English
T = TypeVar("T")
TINTS = 10  # placeholder colours in style.css: .tint-0 to .tint-9
REMEMBERED = 20_000  # renders of each macro kept per language: 20,000 product cards are
# about 16 MB of HTML; a unit's card and the footer are far fewer
COMPILED_FOLDER = "templates"  # in the cache folder: compiled templates, a folder per language
_SECTIONS = {"product": "products", "facility": "facilities", "category": "categories"}
# What MarkupSafe's `escape` does to a `str`, in C (or the same through `escape`, should a
# later MarkupSafe no longer have it):
_escape_text: Callable[[str], str] = getattr(
    markupsafe, "_escape_inner", lambda text: str(escape(text)))


def render_site(catalog: Catalog, pages: Sequence[PageSpec], templates_dir: Path,
                pictures: Mapping[str, Picture] | None = None, *,
                readiness: ReadinessBook | None = None, store: pagecache.Store | None = None,
                workers: int = 1,
                compiled: Mapping[Language, BytecodeCache] | None = None) -> Outputs:
    """Every page, data file and static asset of the site, keyed by site-relative path;
    `pictures` are the published photos of `images`, by content path; pages rendered before
    come from `store` (see `pagecache`); the others render in `workers` processes; templates
    compiled before come from `compiled` (`compiled_templates`), by language.

    `readiness` is the e-catalogue readiness the pages show; without it, it is assessed with
    photos counted, not measured, and no certificate or price expired.
    """
    urls = SiteUrls.of(catalog.site)
    languages = tuple(dict.fromkeys((*catalog.site.languages, *(p.lang for p in pages))))
    strings = {lang: load_translations(templates_dir / "i18n", lang) for lang in languages}
    book = readiness or assess(catalog, dt.date.min)
    envs = {lang: make_environment(templates_dir, catalog, urls, strings, lang, pictures or {},
                                   (compiled or {}).get(lang))
            for lang in languages}
    for env in envs.values():
        env.globals["readiness"] = book
    fingerprint = pagecache.site_fingerprint(catalog, templates_dir, pictures or {})
    keys = pagecache.page_keys(pages, fingerprint, partial(looked_up, book=book), workers)
    outputs = pagecache.render_cached(
        pages, keys, store, lambda page: render_page(page, envs[page.lang], catalog, urls),
        workers)
    outputs.update(static_files(templates_dir / "static"))
    return outputs.sorted()


def looked_up(page: PageSpec, book: ReadinessBook) -> object:
    """What a page's template reads from the readiness book, beyond its own context; the
    e-catalogue pages read only `readiness.region`."""
    context = page.context
    if isinstance(context, ProductContext):
        return book.of(context.product)
    if isinstance(context, FacilityContext):
        return book.unit(context.facility)
    if isinstance(context, EkatalogContext):
        return book.region
    return None


def render_page(page: PageSpec, env: Environment, catalog: Catalog, urls: SiteUrls) -> bytes:
    """One page through its template, or one data file through `downloads`."""
    if isinstance(page.context, DownloadContext):
        return downloads.render_download(page.context, catalog, urls)
    variables = {name: getattr(page.context, name) for name in field_names(type(page.context))}
    shared = page.route.kind in SHARED_KINDS
    variables |= {
        "spec": page,
        "canonical": None if shared else urls.absolute(page.route, page.lang),
        "alternates": () if shared else tuple(
            (lang, urls.absolute(page.route, lang)) for lang in urls.languages),
        "twins": urls.twins(page.route, page.lang),
        "section": _SECTIONS.get(page.route.kind, page.route.kind),
    }
    return env.get_template(page.template).render(variables).encode("utf-8")


def static_files(static_dir: Path) -> dict[str, bytes]:
    """Every file under `templates/static/`, served from `static/`."""
    if not static_dir.is_dir():
        return {}
    return {f"static/{path.relative_to(static_dir).as_posix()}": path.read_bytes()
            for path in sorted(static_dir.rglob("*")) if path.is_file()}


def make_environment(templates_dir: Path, catalog: Catalog, urls: SiteUrls,
                     strings: Mapping[Language, Translations], lang: Language,
                     pictures: Mapping[str, Picture] | None = None,
                     compiled: BytecodeCache | None = None) -> Environment:
    """The Jinja2 environment of one language: filters, UI strings and link helpers; its
    templates compiled before come from `compiled` (`compiled_templates`)."""
    env = _Environment(
        loader=FileSystemLoader(templates_dir), bytecode_cache=compiled,
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build (or one dev-server preview)
    )
    locale = strings[lang].locale
    env.filters.update(
        money=partial(format_money, locale=locale), number=partial(format_number, locale=locale),
        percent=partial(format_percent, locale=locale), month=partial(format_month, locale=locale),
        decimal=partial(format_decimal, locale=locale), date=partial(format_date, locale=locale),
        iso_datetime=iso_datetime, tel=tel_digits, whatsapp=whatsapp_link, scale=scale,
        money_short=partial(format_compact_money, locale=locale,
                            units=tuple(strings[lang](f"format.compact.{n}") for n in range(1, 5))),
    )
    env.filters["by_name"] = partial(by_name, catalog=catalog, lang=lang)
    env.globals.update(_helpers(catalog, urls, strings, lang))
    env.globals.update(_photo_helpers(catalog, urls, lang, pictures or {}))
    env.direct = _direct_calls(env.globals)
    return env


def compiled_templates(cache_dir: Path, templates_dir: Path,
                       languages: Iterable[Language]) -> dict[Language, BytecodeCache]:
    """Each language's compiled templates, kept between builds in the cache folder's
    `templates/`: Jinja2 checks each one against its template's source; what compiling reads
    besides (the generator's code, Jinja2's version, and the language's UI strings, written
    into the templates as they compile by `_KnownStrings`) names its folder. Folders of other
    names are removed: the cache holds one site's worth."""
    root, code = cache_dir / COMPILED_FOLDER, code_digest().encode()
    folders = {}
    for lang in languages:
        strings = load_translations(templates_dir / "i18n", lang).strings
        name = digest(code, version("jinja2").encode(), json.dumps(
            sorted(strings.items()), ensure_ascii=False).encode("utf-8"))[:20]
        folders[lang] = root / f"{lang}-{name}"
    with contextlib.suppress(OSError):  # a cache that cannot be written costs time, no more
        for old in sorted(root.iterdir()) if root.is_dir() else ():
            if old not in folders.values():
                shutil.rmtree(old, ignore_errors=True)
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
    return {lang: _CompiledTemplates(str(folder)) for lang, folder in folders.items()}


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates in a folder, which a build goes on without when it
    cannot write a file there, or read one: the template is compiled again, no more."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):  # a file cut short
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@contextlib.contextmanager
def compiling_ahead(catalog: Catalog, templates_dir: Path,
                    compiled: Mapping[Language, BytecodeCache] | None,
                    ) -> Iterator[Callable[[], None]]:
    """Every template of `templates_dir` compiled into `compiled` (when given), each
    language's, in a forked process (`processes.in_background`) while the block runs (the
    pages are listed on one core): this process and the ones it forks to render then load
    them, instead of each compiling them (0.8 s a process for both languages). The function
    given waits for that process; the block's end does, when it was not called. A template
    that does not compile is left to fail where a page renders it."""
    pid = _compile_ahead(catalog, templates_dir, compiled) if compiled else None
    pids = [] if pid is None else [pid]
    try:
        yield lambda: processes.finished(pids)
    finally:
        processes.finished(pids)


def _compile_ahead(catalog: Catalog, templates_dir: Path,
                   compiled: Mapping[Language, BytecodeCache]) -> int | None:
    def compile_all() -> None:
        urls = SiteUrls.of(catalog.site)
        strings = {lang: load_translations(templates_dir / "i18n", lang) for lang in compiled}
        for lang, cache in compiled.items():
            env = make_environment(templates_dir, catalog, urls, strings, lang, compiled=cache)
            for name in env.list_templates(filter_func=_is_template):
                with contextlib.suppress(TemplateError):
                    env.get_template(name)

    return processes.in_background(compile_all)


def _is_template(name: str) -> bool:
    """A template the site's pages render or import: not a static asset, UI strings, or the
    pocket catalogues' (`pocket`, whose own environment compiles them)."""
    return not name.startswith(("static/", "i18n/", "pocket/"))


def _escaped(value: object) -> str:
    """What `{{ value }}` writes in an HTML or XML template: Jinja2's `escape(value)`, without
    making a `Markup` of each value first (the page joins them into one string): with
    `_Context.call`, a fifth less of a page's rendering time."""
    if type(value) is str:
        return _escape_text(value)
    if type(value) is Markup:
        return value
    return escape(value)


def _direct_calls(helpers: Mapping[str, object]) -> dict[int, object]:
    """The callables of `helpers` that Jinja2 passes nothing to (neither they nor their
    `__call__` marked by `pass_context`, `pass_eval_context` or `pass_environment`), by `id`."""
    return {id(value): value for value in helpers.values()
            if callable(value) and not hasattr(value, "jinja_pass_arg")
            and not hasattr(value.__call__, "jinja_pass_arg")}


class _CodeGenerator(CodeGenerator):
    """Jinja2's, but writing `{{ value }}` through `environment.escaped` (`_escaped`) where
    the template is escaped, rather than through `escape`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escaped(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Context(Context):
    """Jinja2's context, calling a template's macros and its environment's own helpers
    (`direct`) at once: for any other callable, Jinja2 looks up three attributes to learn
    whether to pass it the context, about 150 times a product page."""

    environment: _Environment

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        if type(obj) is not Macro and self.environment.direct.get(id(obj)) is not obj:
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)  # what Jinja2 gives callables that take the context
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Jinja2 does
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


class _Environment(Environment):
    """Jinja2's environment, with each template's globals a `_Globals`, and each UI string
    without placeholders (`t("nav.home")`) written into the template as it compiles; values
    written by `_escaped`, and macros and `direct` helpers called by `_Context.call`."""

    code_generator_class = _CodeGenerator
    context_class = _Context
    escaped = staticmethod(_escaped)
    direct: dict[int, object]  # set by `make_environment`

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals(d or {}, self.globals)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        translate = self.globals.get("t")
        if callable(translate) and "t" not in _bound_names(tree):  # a template's own `t`
            _KnownStrings(translate).visit(tree)  # is not the UI strings; in place: only calls
        return tree                               # are replaced


def _bound_names(tree: nodes.Template) -> set[str]:
    """The names a template binds: set, looped over, parameters, imported."""
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx != "load"}
    bound |= {n.target for n in tree.find_all(nodes.Import)}
    for node in tree.find_all(nodes.FromImport):
        bound |= {name if isinstance(name, str) else name[1] for name in node.names}
    return bound


class _KnownStrings(NodeTransformer):
    """Turns `t("key")`, a UI string without placeholders, into its text, marked safe as `t`
    returns it: the same bytes, with about fifty calls fewer per page, and the text joined to
    the template's own. A key `t` cannot give is left to fail where it renders, as before; a
    template that binds a `t` of its own (a parameter, a loop variable) is left as it is."""

    def __init__(self, translate: Callable[[str], object]) -> None:
        self.translate = translate

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # Jinja2's name for a call
        self.generic_visit(node)  # the calls inside it, in place
        if (isinstance(node.node, nodes.Name) and node.node.name == "t" and len(node.args) == 1
                and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)
                and not (node.kwargs or node.dyn_args or node.dyn_kwargs)):
            try:
                text = self.translate(node.args[0].value)
            except (LookupError, ValueError):  # `MissingString`, or a placeholder unfilled:
                return node  # it fails where the page renders
            return nodes.MarkSafe(nodes.Const(str(text)), lineno=node.lineno)
        return node


class _Globals(ChainMap[str, Any]):
    """A template's globals over its environment's, as Jinja2 makes them, but whose keys are
    a set: on each `{% from … import %}` Jinja2 takes the page's globals minus the imported
    template's, and through a `ChainMap`'s keys that difference tests each name in Python (a
    tenth of rendering a product page, which imports seven times)."""

    def keys(self) -> AbstractSet[str]:  # type: ignore[override]
        return self.maps[0].keys() | self.maps[1].keys()


def _helpers(catalog: Catalog, urls: SiteUrls, strings: Mapping[Language, Translations],
             lang: Language) -> dict[str, object]:
    return {
        "site": catalog.site, "catalog": catalog, "lang": lang, "languages": urls.languages,
        "t": translator(strings[lang]), "remembered": remembered(),
        "t_in": lambda other, key, **params: translate(strings[other], key, **params),
        "url": partial(link, urls, lang),
        "absolute_url": partial(absolute_link, urls, lang),
        "sorts": SORTS,
        "local": partial(local, lang=lang), "plain": partial(plain, lang=lang),
        "untranslated": partial(untranslated, lang=lang),
        "body": partial(body, lang=lang),
        "map_url": lambda place: map_link(place.lat, place.lon),
        "quote": partial(quote, catalog, urls, strings[lang]),
        "edit_url": partial(_edit_link, catalog.site.repository),
        **_json_ld_helpers(catalog, urls, lang),
        **_search_helpers(lang),
    }


def _search_helpers(lang: Language) -> dict[str, object]:
    """What the search page and the search records of product pages are written from."""
    return {
        "search_filters": facets.product_filters,
        "search_params": search_params(lang), "sort_word": partial(sort_word, lang=lang),
        "fallback_lang": partial(fallback_lang, lang=lang),
        "content_language": CONTENT_LANGUAGE,
    }


def _json_ld_helpers(catalog: Catalog, urls: SiteUrls, lang: Language) -> dict[str, object]:
    """The schema.org data of product, unit and home pages, ready for a `<script>`."""
    return {
        "product_json_ld": lambda p: downloads.product_json_ld(
            p, plain(p, "name", lang), catalog.facility(p.facility), urls, lang),
        "facility_json_ld": lambda f: downloads.facility_json_ld(
            f, plain(f, "name", lang), catalog, urls, lang),
        "organization_json_ld": lambda: downloads.organization_json_ld(catalog, urls),
    }


def quote(catalog: Catalog, urls: SiteUrls, strings: Translations,
          product: Product) -> QuoteLinks:
    """The "Minta penawaran" links of a product page, in the language of `strings`."""
    lang = strings.lang
    facility = catalog.facility(product.facility)
    maker = Maker(plain(facility, "name", lang), facility.contact, catalog.site.organization,
                  catalog.site.contact)
    return quote_links(strings, product, plain(product, "name", lang), maker,
                       urls.absolute(Route("product", product.slug), lang))


def _edit_link(repository: Repository | None, record: FileRecord) -> str:
    """The web-editor link of a record's file, or "" when site.yaml names no repository."""
    return edit_url(repository, record.path) if repository and record.path else ""


def _row_slug(row: object) -> str:
    if isinstance(row, str):
        return row
    slug = getattr(row, "slug", None)
    return slug if isinstance(slug, str) else str(row[0])  # type: ignore[index]


def by_name(rows: Iterable[T], kind: str, catalog: Catalog, lang: Language) -> list[T]:
    """Statistics rows keyed by unit or category slug, ordered by the name shown in `lang`."""
    look_up = catalog.facility if kind == "facility" else catalog.category

    def key(row: T) -> tuple[str, str]:
        slug = _row_slug(row)
        return (plain(look_up(slug), "name", lang).casefold(), slug)

    return sorted(rows, key=key)


def translate(strings: Translations, key: str, **params: object) -> Markup:
    """A UI string with its `{placeholders}` filled; values are escaped unless already markup.
    (What `Markup.format` does, through `str.format`: Markup's own formatter, in Python, took
    a tenth of the time pages render in.)"""
    return _filled(str(escape(strings(key))), params)


def _filled(pattern: str, params: Mapping[str, object]) -> Markup:
    """An escaped UI string with its placeholders filled by `params`, each escaped."""
    return Markup(pattern.format_map({name: _escaped(value) for name, value in params.items()}))


def translator(strings: Translations) -> Callable[..., Markup]:
    """`translate` for one language; each string is looked up and escaped once, and one
    without placeholders to fill made once (a page shows about ninety, twenty of them with
    placeholders)."""
    patterns: dict[str, str] = {}
    made: dict[str, Markup] = {}

    def t(key: str, **params: object) -> Markup:
        if not params and (found := made.get(key)) is not None:
            return found
        pattern = patterns.get(key)
        if pattern is None:
            pattern = patterns[key] = str(escape(strings(key)))
        if params:
            return _filled(pattern, params)
        found = made[key] = _filled(pattern, params)
        return found

    return t


def remembered(most: int = REMEMBERED) -> Callable[..., Markup]:
    """`remembered(macro, record, *args)`: `macro(record, *args)`, made once per environment
    (one language of one build). A product's card is on about ten pages of each language: the
    listings, its category, its unit, other products; a unit's card is on each of its product
    pages, and the footer on every page. The first `most` of each macro are kept, so that a
    national catalogue's cards do not fill the memory, nor keep out the units' cards."""
    made: dict[tuple[object, ...], tuple[object, Markup]] = {}
    kept: dict[object, int] = {}  # by macro

    def remember(macro: Callable[..., Markup], record: object, *args: object) -> Markup:
        key = (macro, id(record), *args)
        found = made.get(key)
        if found is not None and found[0] is record:
            return found[1]
        html = macro(record, *args)
        count = kept.get(macro, 0)
        if count < most:
            made[key] = (record, html)
            kept[macro] = count + 1
        return html

    return remember


def scale(value: int, largest: int) -> float:
    """`value` as a percentage of `largest`, the length of a bar in a chart; 0 when empty."""
    return round(value * 100 / largest, 2) if largest > 0 else 0.0


def tel_digits(phone: str) -> str:
    """A phone number as a `tel:` link wants it: digits and a leading `+` only."""
    return re.sub(r"[^\d+]", "", phone)


def _route(target: Route | RouteKind, slug: str, sort: Sort, page: int) -> Route:
    return target if isinstance(target, Route) else Route(target, slug, sort, page)


def link(urls: SiteUrls, lang: Language, target: Route | RouteKind, slug: str = "",
         sort: Sort = "name", page: int = 1, in_lang: Language | None = None) -> str:
    """Root-relative link to a route, or to a kind and slug: `url("product", p.slug)`."""
    return urls.href(_route(target, slug, sort, page), in_lang or lang)


def absolute_link(urls: SiteUrls, lang: Language, target: Route | RouteKind, slug: str = "",
                  sort: Sort = "name", page: int = 1, in_lang: Language | None = None) -> str:
    """Absolute URL of a route, in this page's language or in `in_lang`."""
    return urls.absolute(_route(target, slug, sort, page), in_lang or lang)


def _text(record: object, field: str, lang: Language) -> tuple[str, bool]:
    """The text of `field` in `lang`, and whether it fell back to the content language."""
    original = getattr(record, field) or ""
    if lang == CONTENT_LANGUAGE:
        return original, False
    translated = getattr(getattr(record, "en", None), field, None) if lang == "en" else None
    return (translated, False) if translated else (original, bool(original))


def plain(record: object, field: str, lang: Language) -> str:
    """A record's text field in `lang` (Indonesian when untranslated), for attributes."""
    return _text(record, field, lang)[0]


def fallback_lang(record: object, field: str, lang: Language) -> str:
    """The content language when `field` is shown untranslated in `lang`, else "" (for JS)."""
    return CONTENT_LANGUAGE if _text(record, field, lang)[1] else ""


def local(record: object, field: str, lang: Language) -> Markup:
    """A record's text field in `lang`; untranslated text is wrapped in `<span lang="id">`."""
    text, fallback = _text(record, field, lang)
    return _marked(text) if fallback else escape(text)


def untranslated(text: str, lang: Language) -> Markup:
    """Content text that has no English field (specs, materials): marked `lang="id"`."""
    return escape(text) if lang == CONTENT_LANGUAGE else _marked(text)


def _marked(text: str) -> Markup:
    """Text in the content language, inside a page in another."""
    return Markup(f'<span lang="{CONTENT_LANGUAGE}">{escape(text)}</span>')


def body(record: object, lang: Language) -> Markup:
    """A record's sanitised Markdown body in `lang`, marked `lang="id"` when untranslated."""
    original: str = getattr(record, "body_html", "")
    translated: str | None = getattr(record, "en_body_html", None)
    if lang == CONTENT_LANGUAGE:
        return Markup(original)
    if lang == "en" and translated:
        return Markup(translated)
    if not original:
        return Markup("")
    return Markup(f'<div lang="{CONTENT_LANGUAGE}">{original}</div>')


def _photo_helpers(catalog: Catalog, urls: SiteUrls, lang: Language,
                   pictures: Mapping[str, Picture]) -> dict[str, object]:
    """`images(product)`, `cover(product)`, `photo(facility)`: pictures ready for `<picture>`;
    `cover_url`, `photo_url`: their Open Graph cards; `tint(category)`: the colour class of
    the placeholder shown where a product has no photo."""
    def show(path: str) -> Shown:
        return shown(path, pictures[path], lambda p: urls.href(Route("media", p), lang))

    tints = {c.slug: f"tint-{n % TINTS}" for n, c in enumerate(catalog.categories)}
    return {
        "tint": lambda category: tints[category.slug],
        "images": lambda product: tuple(show(product_image(product, i)) for i in product.images),
        "cover": lambda product: show(product_image(product, product.images[0]))
        if product.images else None,
        "photo": lambda facility: show(path) if (path := facility_photo(facility)) else None,
        "cover_url": lambda product: _og_url(urls, product_image(product, product.images[0]))
        if product.images else None,
        "photo_url": lambda facility: _og_url(urls, path)
        if (path := facility_photo(facility)) else None,
    }


def _og_url(urls: SiteUrls, path: str) -> str:
    """Absolute URL of a photo's Open Graph card, for link previews (`og:image`)."""
    return urls.absolute(Route("media", photo_path(path, kind="og")), urls.default_language)
