"""The typed, immutable records of a catalogue, built once by `validate`.

Field names follow ../shared/CONTENT-MODEL.md. Types are strict where YAML guesses wrong:
text must be text (`sku: 0712` is an error, not 458), money must be whole rupiah (`15.000` is an
error, not 15). Cross-references are slugs; `Catalog` resolves them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.errors import Location
from generator.strict_yaml import InvalidDate

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INTERNAL_FIELDS = frozenset({"slug", "source", "path", "body", "body_html", "en_body_html"})
_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-.]{6,20}$")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Sepatu Kulit Pria" → "sepatu-kulit-pria"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _url_checker(schemes: frozenset[str]) -> AfterValidator:
    def check(value: str) -> str:
        if _FORBIDDEN_URL_CHARS.search(value):
            raise PydanticCustomError("url_chars", "URL contains spaces or control characters")
        parts = urlsplit(value)
        if parts.scheme.lower() not in schemes:
            raise PydanticCustomError(
                "url_scheme", "URL scheme not allowed", {"allowed": ", ".join(sorted(schemes))}
            )
        if parts.scheme in ("http", "https") and not parts.netloc:
            raise PydanticCustomError("url_host", "URL has no host")
        return value

    return AfterValidator(check)


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                        "\x00-\x08\x0b-\x1f\x7f]")


def _visible(value: str) -> str:
    """No hidden characters: bidi overrides and zero-width marks make a name lie about itself."""
    found = _INVISIBLE.search(value)
    if found:
        raise PydanticCustomError("invisible", "hidden character",
                                  {"code": f"U+{ord(found.group()):04X}"})
    return value


def _check_email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise PydanticCustomError("email", "not an e-mail address")
    return value


def _check_phone(value: str) -> str:
    if not _PHONE_RE.match(value):
        raise PydanticCustomError("phone", "not a phone number")
    return value


def _whatsapp_digits(value: str) -> str:
    """WhatsApp links need the international number: "0812-..." → "62812..."."""
    digits = re.sub(r"\D", "", _check_phone(value))
    return "62" + digits[1:] if digits.startswith("0") else digits


def _date_input(value: object) -> object:
    if isinstance(value, InvalidDate):
        raise PydanticCustomError("impossible_date", "no such date", {"text": value.text})
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise PydanticCustomError("date_type", "not a date")
    return value


Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=300),
                 AfterValidator(_visible)]
LongText = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1,
                                                      max_length=5000)]
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_RE.pattern)]
Count = Annotated[int, Strict(), Field(ge=0)]
Money = Annotated[int, Strict(), Field(ge=0)]
Date = Annotated[dt.date, BeforeValidator(_date_input)]
Link = Annotated[str, Strict(), _url_checker(frozenset({"http", "https", "mailto", "tel"}))]
WebUrl = Annotated[str, Strict(), _url_checker(frozenset({"http", "https"}))]
Email = Annotated[str, Strict(), AfterValidator(_check_email)]
Phone = Annotated[str, Strict(), AfterValidator(_check_phone)]
WhatsApp = Annotated[str, Strict(), AfterValidator(_whatsapp_digits)]
Language = Literal["id", "en"]
Availability = Literal["available", "made-to-order", "out-of-stock", "discontinued"]
ListingStatus = Literal["draft", "submitted", "live", "inactive"]
FacilityKind = Literal["lapas", "rutan", "lpka", "lapas-perempuan", "lapas-terbuka",
                       "lapas-narkotika", "bapas", "rupbasan", "other"]
ChallengeStatus = Literal["open", "in-progress", "resolved"]
BuyerType = Literal["upt", "government", "business", "public"]
Channel = Literal["ekatalog", "direct", "exhibition", "marketplace", "other"]


T = TypeVar("T")


def held_once(value: T, key: Hashable | None = None) -> T:
    """`value`, or the equal one held before (found by `key`, by default the value itself):
    an immutable value that thousands of records have alike is held once (the fields a record
    was given, a readiness check's outcome; 60 to 90 MB each at 50,000 products)."""
    return _HELD.setdefault(value if key is None else key, value)  # type: ignore[return-value]


_HELD: dict[Hashable, object] = {}


class Record(BaseModel):
    """Base of every content record: immutable, no unknown fields past validation."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    # Fields set by the generator, never by an editor: writing one is an unknown field.
    internal_fields: ClassVar[frozenset[str]] = frozenset()

    def model_post_init(self, context: Any, /) -> None:
        """Pydantic keeps in each record the set of the fields it was given (1.8 KB for a
        product, 90 MB at 50,000): records given the same fields share one. No record
        changes it, being frozen (`model_copy` copies it first)."""
        given = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", held_once(given, frozenset(given)))


class FileRecord(Record):
    """A record made from one Markdown file: its slug, source and body come from the file."""

    internal_fields: ClassVar[frozenset[str]] = INTERNAL_FIELDS

    path: str = ""  # inside the content folder: `products/lapas-serang/sepatu.md`


class Contact(Record):
    email: Email | None = None
    phone: Phone | None = None
    whatsapp: WhatsApp | None = None
    address: Text | None = None
    website: WebUrl | None = None
    instagram: Text | None = None


class Repository(Record):
    """Where the content is kept, for "Ubah halaman ini" links to the web editor."""

    url: WebUrl
    branch: Text = "main"
    content_dir: Text = "content"


class Admin(Record):
    """The optional form editor at /admin/; `test-repo` keeps edits in the browser only."""

    backend: Literal["repository", "test-repo"] = "repository"


class SiteConfig(Record):
    title: Text
    description: Text | None = None
    organization: Text
    base_url: WebUrl
    languages: tuple[Language, ...] = Field(default=("id", "en"), min_length=1)
    contact: Contact = Contact()
    ekatalog_url: WebUrl | None = None
    pnbp_rate: Annotated[float, Field(ge=0, le=1)] = 1.0
    sample_data: Annotated[bool, Strict()] = False
    repository: Repository | None = None
    admin: Admin | None = None

    @model_validator(mode="after")
    def _unique_languages(self) -> SiteConfig:
        if len(set(self.languages)) != len(self.languages):
            raise PydanticCustomError("languages_repeat", "a language is listed twice")
        return self


class CategoryEn(Record):
    name: Text | None = None
    description: LongText | None = None


def _three_levels(levels: tuple[str, ...]) -> tuple[str, ...]:
    if len(levels) != 3:
        raise PydanticCustomError("ekatalog_levels", "the e-catalogue category has three levels",
                                  {"count": len(levels)})
    return levels


class Category(Record):
    internal_fields: ClassVar[frozenset[str]] = frozenset({"source"})

    slug: Slug
    name: Text
    description: LongText | None = None
    en: CategoryEn = CategoryEn()
    # The e-catalogue's own category, three levels from its tree, for the listing form; and
    # whether its listings need a TKDN certificate or an SNI (generator/ekatalog_form.yaml).
    ekatalog_category: Annotated[tuple[Text, ...], AfterValidator(_three_levels)] | None = None
    tkdn_required: Annotated[bool, Strict()] = False
    sni_required: Annotated[bool, Strict()] = False
    source: Location


class GeoPoint(Record):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class ChallengeEn(Record):
    challenge: LongText | None = None
    solution: LongText | None = None


class Challenge(Record):
    date: Date
    challenge: LongText
    solution: LongText | None = None
    status: ChallengeStatus
    en: ChallengeEn = ChallengeEn()


class FacilityEn(Record):
    name: Text | None = None
    profile: LongText | None = None


class Facility(FileRecord):
    slug: str
    name: Text
    kind: FacilityKind
    class_: Literal["I", "IIA", "IIB", "III"] | None = Field(default=None, alias="class")
    city: Text
    address: Text | None = None
    location: GeoPoint | None = None
    contact: Contact = Contact()
    workshops: tuple[Text, ...] = ()
    photo: Text | None = None
    pnbp_targets: Mapping[Annotated[int, Strict(), Field(ge=2000, le=2100)], Money] = {}
    challenges: tuple[Challenge, ...] = ()
    en: FacilityEn = FacilityEn()
    source: Location
    body: str = ""
    body_html: str = ""
    en_body_html: str | None = None


class Tkdn(Record):
    percent: Annotated[float, Field(ge=0, le=100)]
    certificate: Text | None = None
    valid_until: Date | None = None


class Listing(Record):
    status: ListingStatus
    url: WebUrl | None = None
    product_id: Text | None = None
    listed_on: Date | None = None
    kbki: Text | None = None
    tkdn: Tkdn | None = None
    sni: Text | None = None

    @model_validator(mode="after")
    def _live_needs_url(self) -> Listing:
        if self.status == "live" and not self.url:
            raise PydanticCustomError("live_without_url", "a live listing needs its url")
        return self


class ProductEn(Record):
    name: Text | None = None
    description: LongText | None = None


class Product(FileRecord):
    slug: str
    name: Text
    facility: Slug
    category: Slug
    unit: Text
    price: Money | None = None
    price_valid_until: Date | None = None
    sku: Text | None = None
    brand: Text | None = None
    images: tuple[Text, ...] = ()
    materials: tuple[Text, ...] = ()
    specs: Mapping[str, Text] = {}
    variants: tuple[Text, ...] = ()
    stock: Count | None = None
    capacity_per_month: Count | None = None
    lead_time_days: Count | None = None
    min_order: Annotated[int, Strict(), Field(ge=1)] = 1
    availability: Availability = "available"
    ekatalog: Listing | None = None
    tags: tuple[Text, ...] = ()
    featured: Annotated[bool, Strict()] = False
    added: Date | None = None
    draft: Annotated[bool, Strict()] = False
    en: ProductEn = ProductEn()
    source: Location
    body: str = ""
    body_html: str = ""
    en_body_html: str | None = None

    @property
    def is_live(self) -> bool:
        """Registered on the e-catalogue: a listing with status `live`."""
        return self.ekatalog is not None and self.ekatalog.status == "live"


class PageEn(Record):
    title: Text | None = None
    description: Text | None = None
    body: str | None = None


class Page(FileRecord):
    slug: str
    title: Text
    description: Text | None = None
    en: PageEn = PageEn()
    source: Location
    body: str = ""
    body_html: str = ""
    en_body_html: str | None = None


class Transaction(Record):
    source: Location
    date: dt.date
    product: str
    quantity: int
    unit_price: int
    buyer: str
    buyer_type: BuyerType
    channel: Channel
    pnbp: int
    note: str = ""
    seller: str  # the product's facility, resolved once in validation
    category: str  # the product's category, likewise

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, order=True)
class PhotoRef:
    """A photo named by a content file: where it is, and where it was written down."""

    path: str  # inside the content folder, POSIX style
    where: Location  # the line that names it
    field: str  # `images.0`, `photo`
    written: str  # as the editor typed it

    @property
    def is_cover(self) -> bool:
        """The photo that stands for its record in link previews (Open Graph)."""
        return self.field in ("images.0", "photo")


@dataclass(frozen=True)
class Catalog:
    """Every record of a valid content folder, with the look-ups templates need."""

    site: SiteConfig
    categories: tuple[Category, ...]
    facilities: tuple[Facility, ...]
    products: tuple[Product, ...]
    transactions: tuple[Transaction, ...]
    pages: tuple[Page, ...]
    photos: tuple[PhotoRef, ...] = ()  # every photo the site shows, with where it is named
    _by_slug: Mapping[tuple[str, str], object] = field(default_factory=dict, repr=False)
    _groups: Mapping[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], object] = {}
        for kind, records in (("category", self.categories), ("facility", self.facilities),
                              ("product", self.products)):
            index.update({(kind, r.slug): r for r in records})
        object.__setattr__(self, "_by_slug", index)
        groups: dict[tuple[str, str], list[Any]] = {}
        for product in self.products:  # in catalogue order, as a scan would find them
            groups.setdefault(("facility", product.facility), []).append(product)
            groups.setdefault(("category", product.category), []).append(product)
        for sale in self.transactions:
            groups.setdefault(("seller", sale.seller), []).append(sale)
            if sale.buyer_type == "upt":
                groups.setdefault(("buyer", sale.buyer), []).append(sale)
        object.__setattr__(self, "_groups", {k: tuple(v) for k, v in groups.items()})

    def facility(self, slug: str) -> Facility:
        return self._by_slug[("facility", slug)]  # type: ignore[return-value]

    def category(self, slug: str) -> Category:
        return self._by_slug[("category", slug)]  # type: ignore[return-value]

    def product(self, slug: str) -> Product:
        return self._by_slug[("product", slug)]  # type: ignore[return-value]

    def products_of(self, facility: Facility) -> tuple[Product, ...]:
        return self._groups.get(("facility", facility.slug), ())

    def products_in(self, category: Category) -> tuple[Product, ...]:
        return self._groups.get(("category", category.slug), ())

    def sales_of(self, facility: Facility) -> tuple[Transaction, ...]:
        return self._groups.get(("seller", facility.slug), ())

    def purchases_of(self, facility: Facility) -> tuple[Transaction, ...]:
        """What the unit bought from other units (as a buyer of type `upt`)."""
        return self._groups.get(("buyer", facility.slug), ())

    def with_product(self, product: Product) -> Catalog:
        """This catalogue with `product` in place of the product of its slug, which keeps its
        unit and category (the dev server's preview): the look-ups are patched, not rebuilt."""
        old = self.product(product.slug)
        if (old.facility, old.category) != (product.facility, product.category):
            raise ValueError(f"{product.slug} moved: build the catalogue anew")
        swap = {id(old): product}

        def swapped(records: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(swap.get(id(r), r) for r in records)

        changed = copy.copy(self)
        groups = dict(self._groups)
        for key in (("facility", product.facility), ("category", product.category)):
            groups[key] = swapped(groups[key])
        object.__setattr__(changed, "products", swapped(self.products))
        object.__setattr__(changed, "_by_slug", {**self._by_slug, ("product", product.slug):
                                                 product})
        object.__setattr__(changed, "_groups", groups)
        return changed
