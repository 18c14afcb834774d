"""The /admin/ form editor (Decap CMS with its in-browser test backend) in real Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page

from generator.build import BuildOptions, build
from tests.browser.harness import serve
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("admin")
    content = shutil.copytree(ROOT / "content", work / "content")
    with (content / "site.yaml").open("a", encoding="utf-8") as site:
        site.write("admin:\n  backend: test-repo\n")
    build(BuildOptions(content_dir=content, output_dir=work / "site",
                       cache_dir=ROOT / ".cache"))
    with serve(work / "site") as url:
        yield url


def test_admin_config_is_generated_from_the_schema(admin_site: str, browser: Browser) -> None:
    page = browser.new_page()
    config = yaml.safe_load(page.request.get(f"{admin_site}/admin/config.yml").text())
    page.close()
    products = next(c for c in config["collections"] if c["name"] == "produk-lapas-serang")
    fields = {f["name"]: f for f in products["fields"]}
    assert products["folder"] == "content/products/lapas-serang"
    assert fields["name"]["required"] is True and fields["name"]["label"] == "Nama"
    assert fields["facility"] == {**fields["facility"], "widget": "hidden",
                                  "default": "lapas-serang"}
    assert {"label": "Alas Kaki", "value": "alas-kaki"} in fields["category"]["options"]
    assert fields["availability"]["options"] == ["available", "made-to-order",
                                                 "out-of-stock", "discontinued"]
    assert fields["images"]["field"]["widget"] == "image"
    assert [c["name"] for c in config["collections"][-2:]] == ["unit", "halaman"]


def test_a_product_form_can_be_filled_and_published(admin_site: str, page: Page, content,
                                                    run) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{admin_site}/admin/")
    page.get_by_role("button", name="Login").click()
    page.goto(f"{admin_site}/admin/#/collections/produk-lapas-serang/new")
    page.get_by_label("Nama", exact=True).fill("Sepatu Uji Coba")
    page.get_by_label("Satuan jual", exact=True).fill("pasang")
    page.get_by_label("Harga (rupiah)").fill("275000")
    page.locator("[id^='category-field']").first.click()
    page.get_by_text("Alas Kaki", exact=True).click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Entry saved").wait_for()
    saved = page.evaluate("window.repoFiles.content.products['lapas-serang']"
                          "['sepatu-uji-coba.md'].content")
    assert saved == ("---\nname: Sepatu Uji Coba\nfacility: lapas-serang\ncategory: alas-kaki\n"
                     "unit: pasang\nprice: 275000\n---\n")
    root = content({"products/lapas-serang/sepatu-uji-coba.md": saved})
    code, _, err = run("check", "--content", str(root))
    assert code == 0, err
