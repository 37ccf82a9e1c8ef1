"""Where each button of a carousel or keyboard sits on the preview's screen, in CSS pixels.

The cell placement is the linter's own model of how Viber fills a button grid
(:func:`vibespec.rules.carousel.layout`): buttons in order, each at the first free cell
(row-major) where its ``columns x rows`` rectangle fits; a carousel's cells form cards
("blocks") of ``buttonsGroupColumns x buttonsGroupRows``. This module only turns cells into
pixels, so the preview and the rules can never disagree about where a button goes.

Scale (CSS pixels, chosen to look like Viber on a 360 px wide phone):

- carousel: a column is :data:`CAROUSEL_COLUMN` px wide; a row is :data:`CAROUSEL_ROW`
  px high times ``heightScale / 100`` (20-100, default 100), rounded to whole pixels;
- keyboard: 6 columns share :data:`KEYBOARD_WIDTH` px; a row is :data:`KEYBOARD_ROW` px.

A button's box is exactly its cells; the visible face is inset by :data:`GAP` px inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..rules.carousel import (
    BUTTON_COLUMNS_DEFAULT,
    BUTTON_ROWS_DEFAULT,
    CAROUSEL_ROWS_DEFAULT,
    GROUP_COLUMNS_DEFAULT,
    as_int,
    layout,
)

CAROUSEL_COLUMN = 42
CAROUSEL_ROW = 42
KEYBOARD_COLUMNS = 6
KEYBOARD_WIDTH = 336
KEYBOARD_COLUMN = KEYBOARD_WIDTH // KEYBOARD_COLUMNS
KEYBOARD_ROW = 48
GAP = 2

#: font sizes of Viber's text sizes, in px
TEXT_SIZES = {"SMALL": 12, "REGULAR": 14, "LARGE": 17}
#: average advance of a character, as a share of the font size (DejaVu/Roboto-like sans)
CHAR_WIDTH = 0.56
LINE_HEIGHT = 1.25


@dataclass(frozen=True)
class Box:
    """One button: its index in ``buttons``, its card, and its box inside the card (px)."""

    index: int
    card: int
    left: int
    top: int
    width: int
    height: int
    columns: int
    rows: int


@dataclass(frozen=True)
class Grid:
    kind: str                 # "carousel" | "keyboard"
    columns: int              # cells across a card / the keyboard
    rows: int                 # rows of a card (carousel) or rows used (keyboard)
    cards: int                # 1 for a keyboard
    card_width: int           # px
    card_height: int          # px
    column_px: int
    row_px: int
    boxes: tuple[Box, ...]


def _span(value: Any, default: int) -> int:
    n = default if value is None else as_int(value)
    return n if n is not None and n >= 1 else default


def carousel_grid(content: dict) -> Grid:
    grid = content.get("buttonGrid") if isinstance(content.get("buttonGrid"), dict) else {}
    cols = _span(grid.get("buttonsGroupColumns"), GROUP_COLUMNS_DEFAULT)
    cols = min(cols, 6)
    rows = _span(grid.get("buttonsGroupRows"), CAROUSEL_ROWS_DEFAULT)
    rows = min(rows, 7)
    scale = as_int(content.get("heightScale"))
    scale = 100 if scale is None else min(max(scale, 20), 100)
    row_px = max(8, round(CAROUSEL_ROW * scale / 100))
    return _grid("carousel", grid, cols, rows, CAROUSEL_COLUMN, row_px)


def keyboard_grid(keyboard: dict) -> Grid:
    grid = keyboard.get("buttonGrid") if isinstance(keyboard.get("buttonGrid"), dict) else {}
    return _grid("keyboard", grid, KEYBOARD_COLUMNS, None, KEYBOARD_COLUMN, KEYBOARD_ROW)


def _grid(kind: str, grid: dict, cols: int, rows: int | None, column_px: int, row_px: int) -> Grid:
    buttons = grid.get("buttons") if isinstance(grid.get("buttons"), list) else []
    spans = []
    for b in buttons:
        b = b if isinstance(b, dict) else {}
        spans.append((_span(b.get("columns"), BUTTON_COLUMNS_DEFAULT), _span(b.get("rows"), BUTTON_ROWS_DEFAULT)))
    lay = layout(spans, cols, rows)
    boxes = tuple(Box(p.index, p.card, p.column * column_px, p.row * row_px, p.width * column_px,
                      p.height * row_px, p.width, p.height) for p in lay.placed)
    cards = (max((p.card for p in lay.placed), default=0) + 1) if rows is not None else 1
    used_rows = rows if rows is not None else lay.height
    return Grid(kind, cols, used_rows, cards, cols * column_px, used_rows * row_px, column_px, row_px, boxes)


def text_fits(text: str, width: int, height: int, size: str | None, paddings: Any = None) -> bool:
    """Whether ``text`` fits a button face of ``width x height`` px at Viber's text ``size``:
    words wrapped greedily at an average character width. An estimate (the phone's font
    decides), erring on the side of saying "clipped"."""
    px = TEXT_SIZES.get(str(size or "REGULAR").upper(), TEXT_SIZES["REGULAR"])
    pad = [12, 12, 12, 12]
    if isinstance(paddings, list) and len(paddings) == 4 and all(as_int(p) is not None for p in paddings):
        pad = [as_int(p) for p in paddings]  # top, left, bottom, right
    inner_w = width - 2 * GAP - pad[1] - pad[3]
    inner_h = height - 2 * GAP - pad[0] - pad[2]
    per_line = int(inner_w // (px * CHAR_WIDTH))
    max_lines = int(inner_h // (px * LINE_HEIGHT))
    if per_line < 1 or max_lines < 1:
        return not text.strip()
    lines = 0
    for para in text.split("\n"):
        lines += 1
        cur = 0
        for word in para.split():
            n = len(word)
            if cur and cur + 1 + n <= per_line:
                cur += 1 + n
                continue
            if cur:
                lines += 1
            lines += (n - 1) // per_line  # a word longer than a line breaks
            cur = n - ((n - 1) // per_line) * per_line
    return lines <= max_lines
