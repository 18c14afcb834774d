"""URLs: a `Route` (what a page is) and a language → its path, link and output file.

The one place that knows the URL scheme. The default language (the first of `site.languages`)
lives at the site root, every other language under `/<lang>/`:

    home              /                        /en/
    product           /produk/<slug>/          /en/products/<slug>/
    products listing  /produk/                 /en/products/
      sorted          /produk/harga/           /en/products/price/      (also terbaru / newest)
      page 2          /produk/halaman/2/       /en/products/page/2/
    unit              /upt/<slug>/             /en/facilities/<slug>/
    category          /kategori/<slug>/        /en/categories/<slug>/
    e-catalogue       /e-katalog/              /en/e-catalogue/
    statistics        /statistik/              /en/statistics/
      fiscal year     /statistik/2025/         /en/statistics/2025/
      monthly recap   /statistik/2025/rekapitulasi/  /en/statistics/2025/recap/
    product changes   /perubahan/              /en/changes/
    search            /cari/                   /en/search/
    free page         /<slug>/                 /en/<slug>/
    search state      /cari/?q=sepatu&upt=lapas-serang&urut=harga
                      /en/search/?q=shoes&unit=lapas-serang&sort=price
    feed              /feed.xml                /en/feed.xml
    sitemap of a lang /sitemap-id.xml          /sitemap-en.xml
    shared files      /404.html /sitemap.xml (the index) /robots.txt /data/<name>
                      /static/<name> /media/<path> /pagefind/<name> (the search index)
    photo renditions  /media/<folder>/<name>-<width>.webp|.jpg, <name>.jpg (the largest JPEG),
                      <name>-og.jpg (the Open Graph card)   (see `photo_path`)

Paths here are relative to the site root (`produk/x/`); `SiteUrls.href` makes them root-relative
under the base path (`/katalog/produk/x/`), `SiteUrls.absolute` makes them absolute for canonical
links, the sitemap and feeds. Links to other sites are built here too: the pre-filled WhatsApp
and e-mail links of a quote request and the OpenStreetMap link of a unit.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote, urlsplit

from generator.model import Language, Repository, SiteConfig

RouteKind = Literal[
    "home", "product", "products", "facility", "facilities", "category", "categories",
    "ekatalog", "statistics", "recap", "search", "page", "feed", "changes",
    "not-found", "sitemap", "language-sitemap", "robots", "data", "static", "media",
    "search-index",
]
Sort = Literal["name", "price", "newest"]
SORTS: tuple[Sort, ...] = ("name", "price", "newest")

# Files every language shares: one copy at the root, whatever the language.
SHARED_KINDS = frozenset({"not-found", "sitemap", "language-sitemap", "robots", "data", "static",
                          "media", "search-index"})

_WORDS: Mapping[Language, Mapping[str, str]] = {
    "id": {"product": "produk", "facility": "upt", "category": "kategori",
           "ekatalog": "e-katalog", "statistics": "statistik", "search": "cari",
           "page": "halaman", "price": "harga", "newest": "terbaru", "recap": "rekapitulasi",
           "name": "nama", "changes": "perubahan"},
    "en": {"product": "products", "facility": "facilities", "category": "categories",
           "ekatalog": "e-catalogue", "statistics": "statistics", "search": "search",
           "page": "page", "price": "price", "newest": "newest", "recap": "recap",
           "name": "name", "changes": "changes"},
}
_FIXED = {"not-found": "404.html", "sitemap": "sitemap.xml", "robots": "robots.txt"}
_FOLDERS = {"data": "data/", "static": "static/", "media": "media/", "search-index": "pagefind/"}
_LISTING_WORD = {"products": "product", "facilities": "facility", "categories": "category"}


@dataclass(frozen=True)
class Route:
    """What a page is, independent of language: its kind, slug, sort order and page number."""

    kind: RouteKind
    slug: str = ""
    sort: Sort = "name"
    page: int = 1

    def at_page(self, number: int) -> Route:
        """The same listing at page `number`."""
        return replace(self, page=number)

    def sorted_by(self, sort: Sort) -> Route:
        """The same listing in another order, from its first page."""
        return replace(self, sort=sort, page=1)


def media_path(record_dir: str, image: str) -> str:
    """A content image → its path inside the content folder, POSIX style.

    `image` is relative to the record's folder (`products/lapas-serang`), or to the content
    root when it starts with `/`.
    """
    if image.startswith("/"):
        return posixpath.normpath(image.lstrip("/"))
    return posixpath.normpath(posixpath.join(record_dir, image))


def photo_path(image: str, width: int | None = None,
               kind: Literal["jpg", "webp", "og"] = "jpg") -> str:
    """Where a rendition of the content photo `image` is published, inside `media/`.

    `products/x/sepatu.png` → `products/x/sepatu.jpg` (the largest JPEG, the photo's stable
    address), `products/x/sepatu-640.webp` (one width), `products/x/sepatu-og.jpg` (the Open
    Graph card).
    """
    stem = posixpath.splitext(image)[0]
    if kind == "og":
        return f"{stem}-og.jpg"
    return f"{stem}.jpg" if width is None else f"{stem}-{width}.{kind}"


def media_output(path: str) -> str:
    """The site file of a path inside `media/`."""
    return _shared_path(Route("media", path))


def output_file(path: str) -> str:
    """A site-relative path → the file that serves it: folders get `index.html`."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def edit_url(repository: Repository, path: str) -> str:
    """The web editor of a content file on GitLab (`/-/edit/`) or GitHub-like hosts (`/edit/`)."""
    base = repository.url.rstrip("/")
    verb = "-/edit" if "gitlab" in urlsplit(base).netloc else "edit"
    folder = repository.content_dir.strip("/")
    return f"{base}/{verb}/{quote(repository.branch)}/{quote(f'{folder}/{path}')}"


@dataclass(frozen=True)
class SiteUrls:
    """The URL scheme of one site: its base URL and languages (the first is the default)."""

    base_url: str
    languages: tuple[Language, ...]

    @classmethod
    def of(cls, site: SiteConfig) -> SiteUrls:
        """The scheme for a site's settings; the base URL always ends with `/`."""
        base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
        return cls(base, site.languages)

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    def path(self, route: Route, lang: Language) -> str:
        """Site-relative path of `route` in `lang`: `produk/x/`, `en/products/`, `404.html`."""
        if route.kind in SHARED_KINDS:
            return _shared_path(route)
        prefix = "" if lang == self.default_language else f"{lang}/"
        return prefix + _language_path(route, _WORDS[lang])

    def output(self, route: Route, lang: Language) -> str:
        """The output file of `route` in `lang`: `produk/x/index.html`."""
        return output_file(self.path(route, lang))

    def href(self, route: Route, lang: Language) -> str:
        """Root-relative link: `/katalog/produk/x/` for a site under `/katalog/`."""
        return urlsplit(self.base_url).path + quote(self.path(route, lang))

    def absolute(self, route: Route, lang: Language) -> str:
        """Absolute URL, for canonical links, the sitemap and feeds."""
        return self.base_url + quote(self.path(route, lang))

    def twins(self, route: Route, lang: Language) -> tuple[tuple[Language, str], ...]:
        """The same page in every other language, as (language, link) pairs."""
        if route.kind in SHARED_KINDS:
            return ()
        return tuple((other, self.href(route, other)) for other in self.languages
                     if other != lang)


def _shared_path(route: Route) -> str:
    if route.kind in _FIXED:
        return _FIXED[route.kind]
    if route.kind == "language-sitemap":
        return f"sitemap-{route.slug}.xml"
    return _FOLDERS[route.kind] + route.slug


def _language_path(route: Route, words: Mapping[str, str]) -> str:
    kind = route.kind
    if kind == "home":
        return ""
    if kind == "feed":
        return "feed.xml"
    if kind == "page":
        return f"{route.slug}/"
    if kind == "recap":  # the monthly recap of fiscal year `slug`
        return f"{words['statistics']}/{route.slug}/{words['recap']}/"
    if kind == "statistics" and route.slug:  # the figures of fiscal year `slug`
        return f"{words['statistics']}/{route.slug}/"
    if kind in ("product", "facility", "category"):
        base = f"{words[kind]}/{route.slug}/"
    else:
        base = f"{words[_LISTING_WORD.get(kind, kind)]}/"
    if route.sort != "name":
        base += f"{words[route.sort]}/"
    return base if route.page == 1 else f"{base}{words['page']}/{route.page}/"


# The query parameters of the search page: what a search looks like in its address.
_URI_COMPONENT_SAFE = "!'()*"  # left as they are by encodeURIComponent
_SEARCH_PARAMS: Mapping[Language, Mapping[str, str]] = {
    "id": {"query": "q", "sort": "urut", "unit": "upt", "category": "kategori",
           "ekatalog": "ekatalog", "availability": "ketersediaan", "price": "harga"},
    "en": {"query": "q", "sort": "sort", "unit": "unit", "category": "category",
           "ekatalog": "ekatalog", "availability": "availability", "price": "price"},
}


def search_params(lang: Language) -> Mapping[str, str]:
    """Query parameter names of the search page in `lang`: `{"unit": "upt", ...}`."""
    return _SEARCH_PARAMS[lang]


def sort_word(sort: Sort, lang: Language) -> str:
    """A sort order as written in addresses: `harga`, `terbaru`, `nama`."""
    return _WORDS[lang][sort]


def search_link(urls: SiteUrls, lang: Language, query: str = "",
                filters: Mapping[str, tuple[str, ...]] | None = None,
                sort: Sort | None = None) -> str:
    """Root-relative link to a search: `/cari/?q=sepatu&upt=lapas-serang&urut=harga`.

    Parameters come in the order of the search form (text, filters, sort), each value encoded
    as JavaScript's `encodeURIComponent` does, so the page's script writes the same address.
    """
    names = search_params(lang)
    chosen = filters or {}
    pairs = [(names["query"], query)] if query else []
    pairs += [(names[key], value) for key in names for value in chosen.get(key, ())]
    pairs += [(names["sort"], sort_word(sort, lang))] if sort else []
    text = "&".join(f"{name}={quote(value, safe=_URI_COMPONENT_SAFE)}" for name, value in pairs)
    return urls.href(Route("search"), lang) + (f"?{text}" if text else "")


def query_value(text: str) -> str:
    """Text percent-encoded for a URL query (RFC 3986): a space is `%20`, never `+`."""
    return quote(text, safe="")


def whatsapp_link(number: str, text: str = "") -> str:
    """A WhatsApp chat with `number` (international digits), with `text` typed in already."""
    chat = f"https://wa.me/{number}"
    return f"{chat}?text={query_value(text)}" if text else chat


def mailto_link(address: str, subject: str, body: str) -> str:
    """A new e-mail to `address` with its subject and body filled in (RFC 6068: CRLF lines)."""
    text = "\r\n".join(body.splitlines())
    return (f"mailto:{quote(address, safe='@')}?subject={query_value(subject)}"
            f"&body={query_value(text)}")


def map_link(lat: float, lon: float, zoom: int = 16) -> str:
    """A point on openstreetmap.org, with a marker: no map is embedded in the page."""
    y, x = _coordinate(lat), _coordinate(lon)
    return f"https://www.openstreetmap.org/?mlat={y}&mlon={x}#map={zoom}/{y}/{x}"


def _coordinate(value: float) -> str:
    """Degrees to six decimals (about 10 cm), trailing zeros dropped: `-6.134`."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
