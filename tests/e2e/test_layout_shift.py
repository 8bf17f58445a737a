"""Images never move the page (#32): Cumulative Layout Shift is 0 on every demo page, as
Lighthouse measures it in Chromium (``layout-shift`` performance entries without recent
input), at a phone's and a desktop's width.

Every media file is held back for a while, so the page is laid out and painted before
any image arrives: an image without its box reserved (``width``/``height`` on the
``<img>``) would then push the text below it down, and the shift would be counted. The
whole page is scrolled through so the lazy images load too.
"""

import time

import pytest

from tests.e2e.test_looks import PAGES, WIDTHS

pytestmark = pytest.mark.e2e

IMAGE_DELAY_SECONDS = 0.6
OBSERVE = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""
NEXT_FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _slow_media(route) -> None:
    time.sleep(IMAGE_DELAY_SECONDS)
    route.continue_()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_images_cause_no_layout_shift(servers, new_page, size):
    page = new_page()
    page.set_viewport_size({"width": WIDTHS[size], "height": 800})
    page.route("**/media/**", _slow_media)
    shifts, images = {}, {}
    for name, path in PAGES.items():
        page.goto(servers["api"] + path, wait_until="domcontentloaded")
        page.evaluate(OBSERVE)
        for image in page.locator("img").all():  # as a reader scrolls: lazy images load
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("load")
        page.wait_for_function(
            "[...document.images].every(i => i.complete)",
            timeout=(IMAGE_DELAY_SECONDS * 20 + 10) * 1000,
        )
        page.evaluate(NEXT_FRAMES)  # entries of the last layout are reported after it
        images[name] = page.evaluate("[...document.images].filter(i => i.naturalWidth).length")
        shifts[name] = page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)")
    assert images["article"] >= 1, images  # the hero, at least, was loaded (late)
    assert shifts == dict.fromkeys(PAGES, 0), shifts
    assert page.console_errors == []
