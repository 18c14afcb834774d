"""The build stamp: what a build reads, and the output folder it wrote, worked out together."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import stamp, write
from generator.build import DEFAULT_TEMPLATES, BuildOptions, build


def test_the_inputs_are_read_while_the_output_folder_is_walked(content, tmp_path: Path) -> None:
    """`stamp.digests` reads the content and templates in the processes that walk the output
    folder (an unchanged build at 10,000 products: 0.92 s rather than 1.02): its digest of the
    folder is `write.site_digest`'s, and its digest of the inputs changes with any of their
    files, and with nothing else."""
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    options = BuildOptions(content_dir=content(), output_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", templates_dir=templates, pocket=False)
    build(options)
    inputs, site = stamp.digests(options, output=True)
    assert site == write.site_digest(options.output_dir)
    assert stamp.digests(options, output=False) == (inputs, None)

    product = next((options.content_dir / "products").rglob("*.md"))
    product.write_text(product.read_text("utf-8") + "\nKalimat baru.\n", "utf-8")
    edited, same_site = stamp.digests(options, output=True)
    assert edited != inputs and same_site == site

    (templates / "base.html").write_text((templates / "base.html").read_text() + "\n")
    assert stamp.digests(options, output=False)[0] not in (inputs, edited)

    page = options.output_dir / "index.html"
    page.write_bytes(page.read_bytes() + b"\n")  # by hand
    assert stamp.digests(options, output=True)[1] not in (site, None)
