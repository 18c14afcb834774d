"""Exchange: the `etalase import` and `etalase export` commands around `spreadsheet`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import load, spreadsheet
from generator.build import BuildOptions
from generator.errors import ContentErrors, Location, error
from generator.pipeline import check


def run_import(args: argparse.Namespace) -> int:
    """Check every row, then write every product file, or write nothing at all."""
    if not args.file.is_file() or args.file.suffix.lower() not in (".csv", ".xlsx"):
        raise ContentErrors([error(Location(args.file.as_posix()), "",
                                   "berkas harus .csv atau .xlsx yang ada",
                                   "the file must be an existing .csv or .xlsx")])
    sources = load.load_sources(args.content)
    categories = {str(item.get("slug")) for doc in sources.of_kind("categories")
                  for item in (doc.data if isinstance(doc.data, list) else [])
                  if isinstance(item, dict)}
    planned, problems = spreadsheet.plan_import(
        list(spreadsheet.read_rows(args.file)), args.facility,
        {d.slug for d in sources.of_kind("facility")}, categories,
        {d.rel for d in sources.of_kind("product")})
    if problems:
        raise ContentErrors(problems)
    for item in planned:
        target = args.content / item.path
        if not args.dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.text, encoding="utf-8")
        print(f"{'akan ditulis' if args.dry_run else 'ditulis'}: {target.as_posix()}")
    verb = ("akan ditulis", "would be written") if args.dry_run else ("ditulis", "written")
    print(f"{len(planned)} produk {verb[0]} ({len(planned)} products {verb[1]})")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Every product, drafts included, as CSV (standard output or a file) or XLSX."""
    catalog, _ = check(BuildOptions(content_dir=args.content, drafts=True))
    products = catalog.products
    if args.format == "xlsx":
        output = args.output or Path("produk.xlsx")
        spreadsheet.export_xlsx(products, output)
        print(f"{len(products)} produk diekspor ke {output} ({len(products)} products exported)")
    elif args.output:
        args.output.write_text(spreadsheet.export_csv(products), encoding="utf-8")
        print(f"{len(products)} produk diekspor ke {args.output} ({len(products)} products"
              " exported)")
    else:
        sys.stdout.write(spreadsheet.export_csv(products))
    return 0
