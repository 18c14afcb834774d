"""Hostile-but-accepted content, built and opened in real Chromium: nothing runs, nothing leaks.

Every page of every accepted case of tests/hostile/ loads with a dialog listener, a watcher for
requests leaving the site (the canary), and a listener for Content-Security-Policy violations:
each must stay at zero.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.build import BuildOptions, build
from tests.browser.harness import serve
from tests.test_hostile import CASES, case_meta, lay_out

pytestmark = pytest.mark.browser
ACCEPTED = [case for case in CASES if case_meta(case)["outcome"] == "accepted"]
WATCH_CSP = ("window.__violations = [];"
             "document.addEventListener('securitypolicyviolation',"
             " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.mark.parametrize("case", ACCEPTED)
def test_hostile_pages_run_nothing_and_call_no_one(case: str, tmp_path: Path,
                                                    browser: Browser) -> None:
    content = lay_out(case, tmp_path)
    site = tmp_path / "site"
    build(BuildOptions(content_dir=content, output_dir=site, cache_dir=tmp_path / "cache"))
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    dialogs: list[str] = []
    leaks: list[str] = []
    violations: list[str] = []
    with serve(site) as base:
        context = browser.new_context()
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else
                leaks.append(r.url))
        for name in pages:
            page.goto(f"{base}/{name}", wait_until="load")
            violations += page.evaluate("window.__violations")
        context.close()
    assert len(pages) >= 20
    assert (dialogs, leaks, violations) == ([], [], [])


def test_every_page_carries_a_content_security_policy(demo_site: Path) -> None:
    for page in demo_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page.parts[-2:-1] == ("admin",):
            continue
        assert "Content-Security-Policy" in text and "script-src 'self'" in text, page
        assert "'unsafe-inline'" not in text, page
