"""The preview in a real browser: headless Chromium (from the OS packages) opens each page, and
the tests read the geometry it computed, not the HTML text.

- Carousel and keyboard buttons: each box is exactly its columns x rows cells, in the order
  the layout model gives, inside its card, and no two boxes overlap.
- Text that overflows its button in the browser carries the visible "clipped" mark.
- A screenshot of each example is compared with the one stored in ``screenshots/`` within a
  tolerance (``VIBESPEC_UPDATE_SCREENSHOTS=1`` rewrites them after a deliberate change).

Without Chromium these tests skip, except under CI (``CI`` set), where ``.ci/run`` installs
it and a missing browser is a failure.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vibespec.previewer import preview

from .browser import Browser, find_chromium

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.name.endswith((".viber.yaml", ".viber.toml")))
SHOTS = HERE / "screenshots"
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
WIDTH = 1000

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("Chromium is missing: .ci/run installs it (apt-get install chromium)")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")]

GEOMETRY = """JSON.stringify([...document.querySelectorAll('[data-kind]')].map(g => ({
  kind: g.dataset.kind, columns: +g.dataset.columns, rows: +g.dataset.rows,
  cw: +g.dataset.columnPx, rh: +g.dataset.rowPx,
  buttons: [...g.querySelectorAll('.btn')].map(b => {
    const r = b.getBoundingClientRect();
    const card = b.parentElement.getBoundingClientRect();
    const label = b.querySelector('.label');
    const span = label ? label.firstElementChild : null;
    return {index: +b.dataset.index, card: +b.dataset.card, columns: +b.dataset.columns, rows: +b.dataset.rows,
            x: r.x, y: r.y, w: r.width, h: r.height, cx: card.x, cy: card.y, cwid: card.width, chgt: card.height,
            overflow: !!(label && span && (span.scrollHeight > label.clientHeight + 1 ||
                                          span.scrollWidth > label.clientWidth + 1)),
            clipped: b.classList.contains('clipped') && !!b.querySelector('.clipmark') &&
                     getComputedStyle(b.querySelector('.clipmark')).display !== 'none'};
  })})))"""


@pytest.fixture(scope="module")
def browser():
    b = Browser(CHROMIUM, WIDTH, 900)
    yield b
    b.close()


def _open(browser, spec) -> None:
    import contextlib

    with contextlib.chdir(ROOT):  # the page names the spec as given: the same path in every checkout
        page = preview(spec.relative_to(ROOT), now=NOW)
    fd, path = tempfile.mkstemp(suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(page)
    try:
        browser.open(path)
    finally:
        os.unlink(path)


def _grids(browser, spec):
    import json

    _open(browser, spec)
    return json.loads(browser.evaluate(GEOMETRY))


def _check_grid(grid) -> None:
    from vibespec.rules.carousel import layout

    buttons = grid["buttons"]
    assert buttons, grid
    cw, rh = grid["cw"], grid["rh"]
    spans = [(b["columns"], b["rows"]) for b in buttons]
    placed = layout(spans, grid["columns"], grid["rows"] if grid["kind"] == "carousel" else None).placed
    assert [b["index"] for b in buttons] == list(range(len(buttons)))  # in the order written
    for b, p in zip(buttons, placed):
        # the box is exactly its cells
        assert abs(b["w"] - b["columns"] * cw) < 0.5 and abs(b["h"] - b["rows"] * rh) < 0.5, b
        # where the layout model puts it, inside its own card
        assert b["card"] == p.card
        assert abs((b["x"] - b["cx"]) - p.column * cw) < 0.5 and abs((b["y"] - b["cy"]) - p.row * rh) < 0.5, b
        assert b["x"] - b["cx"] > -0.5 and b["x"] + b["w"] <= b["cx"] + b["cwid"] + 0.5
        assert b["y"] + b["h"] <= b["cy"] + b["chgt"] + 0.5
    # no two boxes overlap (screen coordinates, across cards too)
    for i, a in enumerate(buttons):
        for b in buttons[i + 1:]:
            overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
    # every text that overflows its button in the browser is visibly marked
    for b in buttons:
        if b["overflow"]:
            assert b["clipped"], b


@pytest.mark.slow
@pytest.mark.parametrize("name", ["carousel", "keyboard", "campaign"])
def test_button_boxes_match_columns_and_rows(browser, name):
    grids = _grids(browser, ROOT / "examples" / f"{name}.viber.yaml")
    assert grids
    for grid in grids:
        _check_grid(grid)
        assert not any(b["overflow"] for b in grid["buttons"])  # the examples' labels fit


def test_mixed_grid_geometry_and_clipping(browser):
    grids = _grids(browser, HERE / "cases" / "mixed.viber.yaml")
    kinds = [g["kind"] for g in grids]
    assert kinds == ["carousel", "keyboard"]
    for grid in grids:
        _check_grid(grid)
    car, kb = grids
    assert car["rh"] == 25 and car["cw"] == 42 and max(b["card"] for b in car["buttons"]) == 1
    # the long label and the long word really overflow in the browser, and are marked
    assert car["buttons"][0]["overflow"] and car["buttons"][0]["clipped"]
    assert kb["buttons"][2]["overflow"] and kb["buttons"][2]["clipped"]
    assert not kb["buttons"][0]["overflow"] and not kb["buttons"][0]["clipped"]


# --------------------------------------------------------------------------- screenshots


COMPARE = """(async () => {
  const load = src => new Promise((ok, bad) => { const i = new Image(); i.onload = () => ok(i);
                                                i.onerror = bad; i.src = 'data:image/png;base64,' + src; });
  const [a, b] = await Promise.all([load(%r), load(%r)]);
  if (a.naturalWidth !== b.naturalWidth) return {width: [a.naturalWidth, b.naturalWidth]};
  const w = a.naturalWidth, h = Math.min(a.naturalHeight, b.naturalHeight);
  const px = img => { const c = document.createElement('canvas'); c.width = w; c.height = h;
                      const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, w, h).data; };
  const p = px(a), q = px(b);
  let total = 0, bad = 0;
  for (let k = 0; k < p.length; k += 4) {
    const d0 = Math.abs(p[k] - q[k]), d1 = Math.abs(p[k + 1] - q[k + 1]), d2 = Math.abs(p[k + 2] - q[k + 2]);
    total += d0 + d1 + d2;
    if (d0 > 48 || d1 > 48 || d2 > 48) bad++;
  }
  return {mean: total / (w * h * 3), share: bad / (w * h), heights: [a.naturalHeight, b.naturalHeight]};
})()"""


def _difference(browser, a: bytes, b: bytes) -> dict:
    """Compared by the browser's own PNG decoder on a blank page: the mean absolute difference
    per channel (0-255) and the share of pixels that differ by more than 48 in some channel,
    over the common top of two screenshots of the same width."""
    import base64

    browser.call("Page.navigate", {"url": "about:blank"})
    r = browser.call("Runtime.evaluate", {"expression": COMPARE % (base64.b64encode(a).decode(),
                                                                   base64.b64encode(b).decode()),
                                          "awaitPromise": True, "returnByValue": True})
    value = r["result"]["value"]
    assert "width" not in value, f"screenshots of different widths {value['width']}"
    return value


@pytest.mark.slow
@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_screenshot_matches_the_stored_one(browser, spec):
    _open(browser, spec)
    height = int(browser.evaluate("document.documentElement.scrollHeight"))
    shot = browser.screenshot(WIDTH, height)
    stored = SHOTS / (spec.name.split(".")[0] + ".png")
    if os.environ.get("VIBESPEC_UPDATE_SCREENSHOTS") or not stored.exists():
        if os.environ.get("CI") and not stored.exists():
            pytest.fail(f"no stored screenshot {stored.name}: run the tests with VIBESPEC_UPDATE_SCREENSHOTS=1")
        SHOTS.mkdir(exist_ok=True)
        stored.write_bytes(shot)
    d = _difference(browser, shot, stored.read_bytes())
    assert abs(d["heights"][0] - d["heights"][1]) <= 12, f"page height {d['heights'][0]} px, stored {d['heights'][1]}"
    assert d["mean"] < 2.0 and d["share"] < 0.01, \
        f"{spec.name}: mean difference {d['mean']:.2f}, {d['share']:.2%} of pixels differ"


@pytest.mark.slow
def test_screenshot_comparison_can_fail(browser):
    """The comparison sees a real change: the keyboard page against the carousel's stored shot."""
    _open(browser, ROOT / "examples" / "keyboard.viber.yaml")
    shot = browser.screenshot(WIDTH, 600)
    d = _difference(browser, shot, (SHOTS / "carousel.png").read_bytes())
    assert d["mean"] >= 2.0 or d["share"] >= 0.01
    same = _difference(browser, shot, shot)
    assert same["mean"] == 0 and same["share"] == 0
