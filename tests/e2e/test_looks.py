"""How the demo looks (#15, item 2): every demo page in both renderings, templates and
frontend, at 1280 px and at 375 px, screenshotted into test-artifacts/e2e/looks/, with
the reader frame in place and no horizontal scrolling on a phone.

`make e2e PYTEST_ARGS="-k looks"` regenerates the screenshots; the README's two come
from here (docs/screenshots/reader-*.png)."""

import json
import urllib.request

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PAGES = {
    "index": "/",
    "article": "/kratom-and-addiction-recovery/",
    "guidelines": "/kratom-safety-guidelines/",
    "faq": "/kratom-faq/",
}
WIDTHS = {"desktop": 1280, "mobile": 375}
# What the frame and the reading layout put on every page, by rendering.
FRAME = {
    "templates": {
        "masthead": ".kp-masthead",
        "footer": ".kp-footer",
        "policy": "#editorial-policy",
    },
    "frontend": {
        "masthead": ".site-header",
        "footer": ".site-footer",
        "policy": "#editorial-policy",
    },
}
BADGE = {"templates": ".kp-evidence[data-level]", "frontend": ".evidence[data-level]"}


def _open(page, servers, rendering: str, path: str) -> None:
    if rendering == "templates":
        page.goto(servers["api"] + path)
    else:
        page.goto(servers["frontend"] + path)
        page.locator("#app > article").wait_for()
    page.evaluate("document.fonts.ready")


def _menu_titles(servers) -> list[str]:
    url = f"{servers['api']}/api/v3/pages/?child_of=root&show_in_menus=true&limit=20"
    with urllib.request.urlopen(url, timeout=10) as response:
        return [item["title"] for item in json.load(response)["items"]]


@pytest.mark.parametrize("rendering", ["templates", "frontend"])
def test_every_demo_page_is_screenshotted_and_fits_a_phone(servers, new_page, rendering):
    page = new_page()
    overflowing = {}
    for name, path in PAGES.items():
        for size, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            _open(page, servers, rendering, path)
            for part, selector in FRAME[rendering].items():
                assert page.locator(selector).count() == 1, f"{name}: no {part}"
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                overflowing[f"{name} {size}"] = scroll_width
            path_written = screenshot(page, f"looks/{rendering}-{name}-{size}", width)
            assert path_written.stat().st_size > 10_000
    assert overflowing == {}, f"wider than the viewport: {overflowing}"
    assert page.console_errors == []


@pytest.mark.parametrize("rendering", ["templates", "frontend"])
def test_article_reads_like_a_publisher_page(servers, new_page, rendering):
    page = new_page()
    _open(page, servers, rendering, PAGES["article"])
    menu = _menu_titles(servers)
    nav = ".kp-nav a" if rendering == "templates" else "#site-nav a"
    if menu:  # the frontend fills its menu after the page
        page.locator(nav).first.wait_for(state="attached")
    assert page.locator(nav).all_inner_texts() == menu
    # One hero: the body's image block that repeats it is not shown again.
    assert page.locator("main img").count() == 1
    # Badges coloured by level: every level shown has a colour of its own.
    colours = page.locator(BADGE[rendering]).evaluate_all(
        "els => els.map(e => [e.dataset.level, getComputedStyle(e).backgroundColor])"
    )
    by_level = dict(colours)
    assert len(by_level) >= 3 and len(set(by_level.values())) == len(by_level)
    # Table of contents: every link lands on an element that exists.
    toc = ".kp-toc a" if rendering == "templates" else ".toc a"
    anchors = page.locator(toc).evaluate_all("els => els.map(e => e.hash.slice(1))")
    assert len(anchors) >= 3
    assert all(page.locator(f"[id='{a}']").count() == 1 for a in anchors), anchors
    # Citation markers sit in the line of text: their paragraph holds words too.
    cite = ".kp-cite" if rendering == "templates" else ".cite"
    first = page.locator(cite).first
    assert first.evaluate("e => e.closest('p').textContent.length") > 40
    # Replies nest, with dates.
    children = ".kp-replies__children" if rendering == "templates" else ".replies__children"
    assert page.locator(f"{children} time").count() >= 1
    byline = page.locator(".kp-byline" if rendering == "templates" else ".byline").inner_text()
    assert "Medically reviewed by" in byline and "Published" in byline
