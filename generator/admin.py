"""Admin: the optional form editor at /admin/ (Decap CMS), configured from our schema.

Collections and fields come from the same JSON Schema as `etalase schema`: required fields,
selects for enums, units and categories, image widgets, Indonesian labels. The Decap bundle
is fetched from the npm registry at build time into the build cache (never from a CDN when a
page loads) and published beside its configuration.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.model import Admin, Catalog, Repository
from generator.schema import HELP, schema_for

DECAP_PACKAGE = "decap-cms@3.16.3"
SKIPPED = frozenset({"specs", "pnbp_targets"})  # free-form maps: edited in the file itself
WIDGETS = {"integer": "number", "number": "number", "boolean": "boolean", "string": "string"}
INDEX_HTML = """<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Penyunting konten · {title}</title>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


LABELS = {"category": "Kategori", "facility": "Unit", "unit": "Satuan jual",
          "price": "Harga (rupiah)", "sku": "Nomor produk (SKU)", "draft": "Draf"}


def _label(name: str) -> str:
    """The short Indonesian label: the help text up to its first ":" or ";"."""
    if name in LABELS:
        return LABELS[name]
    text = HELP[name][0] if name in HELP else name
    return text.split(":")[0].split(";")[0].split(" (")[0].strip()


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an optional field, with `$ref` followed."""
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            prop = {**prop, **option}
    ref = prop.get("$ref")
    return {**prop, **defs[ref.rsplit("/", 1)[1]]} if ref else prop


def decap_field(name: str, prop: dict[str, Any], required: bool,
                defs: dict[str, Any]) -> dict[str, Any]:
    """One schema property → one Decap field."""
    prop = _resolve(prop, defs)
    field: dict[str, Any] = {"name": name, "label": _label(name), "required": required}
    if name in HELP and HELP[name][0] != field["label"]:
        field["hint"] = HELP[name][0]
    if "enum" in prop:
        field.update(widget="select", options=list(prop["enum"]))
    elif prop.get("type") == "object":
        # Decap asks for an inner required field even when the whole object is left empty,
        # so inside an optional object nothing is required (validation still checks).
        inner = decap_fields(prop, defs, optional=not required)
        field.update(widget="object", collapsed=True, fields=inner)
    elif prop.get("type") == "array":
        item = _resolve(prop.get("items", {}), defs)
        if item.get("type") == "object":
            field.update(widget="list", fields=decap_fields(item, defs))
        elif name == "images":
            field.update(widget="list", field={"name": "image", "label": "Foto",
                                               "widget": "image"})
        else:
            field["widget"] = "list"
    elif prop.get("format") == "date":
        field.update(widget="datetime", date_format="YYYY-MM-DD", time_format=False,
                     format="YYYY-MM-DD", picker_utc=True)
    else:
        field["widget"] = WIDGETS.get(prop.get("type", "string"), "string")
        if prop.get("type") == "integer":
            field["value_type"] = "int"
    if name == "photo":
        field["widget"] = "image"
    return field


def decap_fields(schema: dict[str, Any], defs: dict[str, Any],
                 optional: bool = False) -> list[dict[str, Any]]:
    """The Decap fields of a schema object; `optional` when the object itself may be empty."""
    required = set() if optional else set(schema.get("required", []))
    return [decap_field(name, prop, name in required, defs)
            for name, prop in schema.get("properties", {}).items() if name not in SKIPPED]


def _fields(kind: str, body_label: str) -> list[dict[str, Any]]:
    schema = schema_for(kind)
    fields = decap_fields(schema, schema.get("$defs", {}))
    return [*fields, {"name": "body", "label": body_label, "widget": "markdown",
                      "required": False}]


def _product_collection(catalog: Catalog, content_dir: str, slug: str,
                        name: str) -> dict[str, Any]:
    fields = _fields("product", "Deskripsi produk")
    for field in fields:
        if field["name"] == "facility":
            field.update(widget="hidden", default=slug)
        if field["name"] == "category":
            field.update(widget="select", options=[
                {"label": c.name, "value": c.slug} for c in catalog.categories])
    return {"name": f"produk-{slug}", "label": f"Produk {name}", "label_singular": "Produk",
            "folder": f"{content_dir}/products/{slug}", "create": True, "extension": "md",
            "format": "frontmatter", "slug": "{{slug}}", "identifier_field": "name",
            "media_folder": "",
            "public_folder": "", "fields": fields}


def decap_config(catalog: Catalog, backend: dict[str, Any], content_dir: str) -> dict[str, Any]:
    """The Decap CMS configuration: one product collection per unit, units, pages."""
    collections = [_product_collection(catalog, content_dir, f.slug, f.name)
                   for f in catalog.facilities]
    collections.append({"name": "unit", "label": "Unit (UPT)", "label_singular": "Unit",
                        "folder": f"{content_dir}/facilities", "create": True,
                        "extension": "md", "format": "frontmatter", "slug": "{{slug}}",
                        "identifier_field": "name", "fields": _fields("facility", "Profil unit")})
    collections.append({"name": "halaman", "label": "Halaman", "label_singular": "Halaman",
                        "folder": f"{content_dir}/pages", "create": True, "extension": "md",
                        "format": "frontmatter", "slug": "{{slug}}", "identifier_field": "title",
                        "fields": _fields("page", "Isi halaman")})
    return {"backend": backend, "locale": "en", "media_folder": f"{content_dir}/media",
            "public_folder": "/media", "collections": collections}


def backend_config(admin: Admin | None, repository: Repository | None) -> dict[str, Any]:
    """Decap's backend: the test backend, or the GitHub/GitLab repository of site.yaml."""
    if admin is None or admin.backend == "test-repo" or repository is None:
        return {"name": "test-repo"}
    parts = urlsplit(repository.url)
    config: dict[str, Any] = {"repo": parts.path.strip("/"), "branch": repository.branch}
    if "gitlab" in parts.netloc:
        config["name"] = "gitlab"
        if parts.netloc != "gitlab.com":
            config["api_root"] = f"{parts.scheme}://{parts.netloc}/api/v4"
            config["base_url"] = f"{parts.scheme}://{parts.netloc}"
    else:
        config["name"] = "github"
    return config


def admin_outputs(catalog: Catalog, bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The files of /admin/: page, configuration and the Decap bundle."""
    repository = catalog.site.repository
    content_dir = repository.content_dir if repository else "content"
    config = decap_config(catalog, backend_config(catalog.site.admin, repository), content_dir)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    return {
        "admin/index.html": INDEX_HTML.format(title=catalog.site.title).encode(),
        "admin/config.yml": text.encode(),
        **{f"admin/{name}": data for name, data in sorted(bundle.items())},
    }


def decap_bundle(cache_dir: Path) -> dict[str, bytes]:
    """Decap's browser files, fetched once from the npm registry into the build cache."""
    folder = cache_dir / "decap" / DECAP_PACKAGE.replace("@", "-")
    if not (folder / "decap-cms.js").is_file():
        _fetch(folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _fetch(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", DECAP_PACKAGE, "--silent", "--pack-destination", tmp],
                       check=True, capture_output=True)
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = Path(member.name).name
                wanted = name.endswith("decap-cms.js") or name == "cms.css"
                if member.isfile() and member.name.startswith("package/dist/") and wanted:
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    (folder / name).write_bytes(extracted.read())
