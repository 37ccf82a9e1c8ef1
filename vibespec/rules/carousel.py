"""Rules: button grids and carousels (VB300-VB319).

A carousel (Infobip ``CAROUSEL``, Viber ``rich_media``) and a keyboard both carry a
``buttonGrid``: ``buttons`` plus the optional group size ``buttonsGroupColumns`` and
``buttonsGroupRows``. Buttons are laid out in order; in a carousel they fill blocks
("cards") of ``columns x rows`` cells, in a keyboard they flow into rows of ``columns``
cells. :func:`layout` is the one model of that layout, shared with the keyboard rules.

Defaults used throughout (Viber, S13/S14): group columns 6; carousel group rows 7;
button columns 6 and button rows 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from ..words import describe

GROUP_COLUMNS_DEFAULT = 6
CAROUSEL_ROWS_DEFAULT = 7
CAROUSEL_ROWS_MAX = 7
BUTTON_COLUMNS_DEFAULT = 6
BUTTON_ROWS_DEFAULT = 1
MAX_CARDS = 6


# --------------------------------------------------------------------------- helpers


def as_int(value: Any) -> int | None:
    """``value`` as an int when it is an integer (or an integral float, which Infobip's
    JSON reader accepts for int32 fields); ``None`` for anything else, bools included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def present(obj: Any, key: str) -> bool:
    """``obj`` is a mapping holding ``key`` with a non-null value (null means "unset")."""
    return isinstance(obj, dict) and obj.get(key) is not None




def group_columns(grid: dict) -> int | None:
    """The grid's ``buttonsGroupColumns`` (default 6), or ``None`` when it is invalid."""
    v = grid.get("buttonsGroupColumns")
    if v is None:
        return GROUP_COLUMNS_DEFAULT
    n = as_int(v)
    return n if n is not None and 1 <= n <= 6 else None


def group_rows(grid: dict, kind: str) -> int | None:
    """The grid's ``buttonsGroupRows``. Carousel: default 7, valid 1-7. Keyboard: the
    explicit value when it is a positive integer, else ``None`` (a keyboard has no fixed
    block height; its buttons are limited to 2 rows by the keyboard rules)."""
    v = grid.get("buttonsGroupRows")
    if kind == "carousel":
        if v is None:
            return CAROUSEL_ROWS_DEFAULT
        n = as_int(v)
        return n if n is not None and 1 <= n <= CAROUSEL_ROWS_MAX else None
    n = as_int(v)
    return n if n is not None and n >= 1 else None


def button_span(button: dict) -> tuple[int | None, int | None]:
    """``(columns, rows)`` of a button with Viber's defaults (6 and 1); an element is
    ``None`` when the value is present but not a positive integer."""
    c = button.get("columns")
    r = button.get("rows")
    cols = BUTTON_COLUMNS_DEFAULT if c is None else as_int(c)
    rows = BUTTON_ROWS_DEFAULT if r is None else as_int(r)
    if cols is not None and cols < 1:
        cols = None
    if rows is not None and rows < 1:
        rows = None
    return cols, rows


def grid_buttons(gpath: tuple, grid: dict) -> list[tuple[tuple, dict]]:
    """``(path, button)`` for every button mapping of a grid."""
    bs = grid.get("buttons")
    if not isinstance(bs, list):
        return []
    return [(gpath + ("buttons", k), b) for k, b in enumerate(bs) if isinstance(b, dict)]


@dataclass
class Placed:
    """Where :func:`layout` put one button."""

    index: int            # position among the buttons given to layout()
    card: int             # 0-based card (always 0 for an unbounded keyboard layout)
    row: int              # 0-based row inside the card
    column: int           # 0-based column
    width: int
    height: int
    straddles: bool = False   # did not fit in what was left of the previous card
    free_before: int = 0      # free cells left in the previous card when it straddled


@dataclass
class Layout:
    placed: list[Placed] = field(default_factory=list)
    #: free cells per card (carousel) at the end; one entry per card
    card_free: list[int] = field(default_factory=list)
    #: number of rows used (keyboard: total; carousel: rows of the last card)
    height: int = 0


def layout(spans: list[tuple[int, int]], columns: int, rows: int | None) -> Layout:
    """Lay buttons out the way Viber fills a grid: in order, each at the first cell
    (row-major) where its ``width x height`` rectangle fits without overlapping.

    With ``rows`` set (a carousel) the cells form cards of ``columns x rows``; a button
    that fits nowhere in the current card starts a new card (it "straddles"). With
    ``rows=None`` (a keyboard) the grid grows downwards without limit. Spans are clamped
    to the grid (``1..columns``, ``1..rows``) so that invalid buttons, which other rules
    report, still get a place."""
    out = Layout()
    columns = max(1, columns)
    occupied: set[tuple[int, int]] = set()
    card = 0
    first_free = 0  # row-major index of the first possibly free cell
    max_row = [0]   # rows used so far in the current card

    def fits(r: int, c: int, w: int, h: int) -> bool:
        if c + w > columns or (rows is not None and r + h > rows):
            return False
        return all((rr, cc) not in occupied for rr in range(r, r + h) for cc in range(c, c + w))

    def find(w: int, h: int) -> tuple[int, int] | None:
        # unbounded: a place always exists below everything placed so far
        limit_rows = rows if rows is not None else max_row[0] + h + 1
        for idx in range(first_free, limit_rows * columns):
            r, c = divmod(idx, columns)
            if (r, c) not in occupied and fits(r, c, w, h):
                return r, c
        return None

    for i, (w, h) in enumerate(spans):
        w = min(max(1, w), columns)
        h = min(max(1, h), rows if rows is not None else 100)
        pos = find(w, h)
        straddles, free_before = False, 0
        if pos is None:  # only possible with a bounded card
            assert rows is not None
            free_before = columns * rows - len(occupied)
            out.card_free.append(free_before)
            card += 1
            occupied = set()
            first_free = 0
            max_row[0] = 0
            straddles = free_before > 0  # a full card simply ends; a partial one is left behind
            pos = (0, 0)
        r, c = pos
        for rr in range(r, r + h):
            for cc in range(c, c + w):
                occupied.add((rr, cc))
        while (divmod(first_free, columns)) in occupied:
            first_free += 1
        max_row[0] = max(max_row[0], r + h)
        out.placed.append(Placed(i, card, r, c, w, h, straddles, free_before))
    out.height = max_row[0]
    if rows is not None and spans:
        out.card_free.append(columns * rows - len(occupied))
    return out


def carousel_grids(ctx: RuleContext) -> Iterator[tuple[tuple, dict]]:
    for gpath, g, kind in ctx.button_grids():
        if kind == "carousel":
            yield gpath, g


def _carousel_layout(grid: dict, gpath: tuple) -> tuple[list[tuple[tuple, dict]], Layout, int, int] | None:
    """The layout of a carousel grid, or ``None`` when the group size or a button span is
    invalid (those are errors of their own; a layout would only add noise)."""
    cols = group_columns(grid)
    rows = group_rows(grid, "carousel")
    if cols is None or rows is None:
        return None
    buttons = grid_buttons(gpath, grid)
    spans: list[tuple[int, int]] = []
    for _, b in buttons:
        w, h = button_span(b)
        if w is None or h is None or w > cols or h > rows or w > 6:
            return None
        spans.append((w, h))
    if not spans:
        return None
    return buttons, layout(spans, cols, rows), cols, rows


# --------------------------------------------------------------------------- rules


class GridColumnsRule(Rule):
    """``buttonsGroupColumns`` of a carousel or keyboard is not an integer from 1 to 6.

    Why: the group width is the number of cells each carousel card (or keyboard row) is
    divided into; Infobip's schema rejects other values and Viber supports 1-6.

    Source: S6 ViberBotButtonGrid (``buttonsGroupColumns`` minimum 1, maximum 6); S13
    (rich media ``ButtonsGroupColumns`` 1-6, default 6); S14.

    Fails:

        carousel:
          columns: 8
          buttons: [...]

    Passes:

        carousel:
          columns: 6
          buttons: [...]
    """

    code, name, severity = "VB300", "grid-columns-out-of-range", Severity.ERROR

    def check(self, ctx):
        for gpath, g, kind in ctx.button_grids():
            v = g.get("buttonsGroupColumns")
            if v is None:
                continue
            n = as_int(v)
            if n is None or not 1 <= n <= 6:
                yield Finding(gpath + ("buttonsGroupColumns",),
                              f"{kind} buttonsGroupColumns is {describe(v)}; it must be an integer from 1 to 6",
                              "leave it out for the default of 6 columns")


class GridRowsRule(Rule):
    """``buttonsGroupRows`` is outside 1-7 for a carousel, or below 1 for a keyboard.

    Why: a carousel card is ``columns x rows`` cells; Viber renders at most 7 rows per card
    and rejects rich media with more.

    Source: S6 ViberBotButtonGrid (``buttonsGroupRows`` minimum 1, **no maximum**); S13
    (rich media ``ButtonsGroupRows`` 1-7, default 7).

    Decision: the schema has no maximum but Viber, which renders the carousel, documents 7;
    vibespec enforces 1-7 for carousels as an error because Viber rejects the message
    after Infobip accepted it. For keyboards only the schema minimum (1) is checked: Viber
    documents no block height for keyboards (their buttons are limited to 2 rows, see
    VB320, and the keyboard scrolls up to 24 rows, see VB321).

    Fails:

        carousel:
          rows: 8
          buttons: [...]

    Passes:

        carousel:
          rows: 7
          buttons: [...]
    """

    code, name, severity = "VB301", "grid-rows-out-of-range", Severity.ERROR

    def check(self, ctx):
        for gpath, g, kind in ctx.button_grids():
            v = g.get("buttonsGroupRows")
            if v is None:
                continue
            n = as_int(v)
            if kind == "carousel":
                if n is None or not 1 <= n <= CAROUSEL_ROWS_MAX:
                    yield Finding(gpath + ("buttonsGroupRows",),
                                  f"carousel buttonsGroupRows is {describe(v)}; Viber allows 1 to 7 rows per card",
                                  "leave it out for the default of 7 rows")
            elif n is None or n < 1:
                yield Finding(gpath + ("buttonsGroupRows",),
                              f"keyboard buttonsGroupRows is {describe(v)}; it must be an integer of at least 1")


class GridButtonsMissingRule(Rule):
    """A carousel or keyboard has no buttons (``buttons`` missing, not a list, or empty).

    Why: ``buttonGrid.buttons`` is required with at least one item; Infobip rejects the
    request otherwise.

    Source: S6 ViberBotButtonGrid (``buttons`` required, minItems 1); S14 (``Buttons``
    required).

    Fails:

        keyboard:
          buttons: []

    Passes:

        keyboard:
          buttons:
            - {text: Yes, action: {reply: "yes"}}
    """

    code, name, severity = "VB302", "grid-buttons-missing", Severity.ERROR

    def check(self, ctx):
        for gpath, g, kind in ctx.button_grids():
            bs = g.get("buttons")
            if bs is None:
                yield Finding(gpath, f"the {kind} has no buttons; at least one is required")
            elif not isinstance(bs, list):
                yield Finding(gpath + ("buttons",), f"{kind} buttons must be a list of buttons, not {type(bs).__name__}")
            elif not bs:
                yield Finding(gpath + ("buttons",), f"the {kind} has no buttons; at least one is required")


class CarouselTooManyCardsRule(Rule):
    """A carousel's buttons need more than 6 cards (more than 6 x columns x rows cells).

    Why: Viber shows at most 6 blocks ("cards") in one rich-media message, so at most
    ``6 x ButtonsGroupColumns x ButtonsGroupRows`` buttons; bigger carousels are rejected.
    vibespec counts cells (each button covers ``columns x rows`` of them), which is the
    same limit for 1x1 buttons and the only way larger buttons can fit.

    Source: S13 (rich media: at most 6 x columns x rows buttons).

    Fails: seven full-card buttons with the default 6 x 7 group:

        carousel:
          buttons:
            - {columns: 6, rows: 7, text: Card 1, action: {reply: c1}}
            # ... cards 2 to 6
            - {columns: 6, rows: 7, text: Card 7, action: {reply: c7}}

    Passes: the same carousel with six cards.
    """

    code, name, severity = "VB303", "carousel-too-many-cards", Severity.ERROR

    def check(self, ctx):
        for gpath, g in carousel_grids(ctx):
            cols = group_columns(g) or GROUP_COLUMNS_DEFAULT
            rows = group_rows(g, "carousel") or CAROUSEL_ROWS_DEFAULT
            capacity = MAX_CARDS * cols * rows
            cells = 0
            buttons = grid_buttons(gpath, g)
            for bpath, b in buttons:
                w, h = button_span(b)
                w = min(max(1, w or 1), cols)
                h = min(max(1, h or 1), rows)
                cells += w * h
                if cells > capacity:
                    yield Finding(bpath,
                                  f"the carousel needs more than {MAX_CARDS} cards from this button on: its buttons "
                                  f"cover more than {capacity} cells ({MAX_CARDS} cards of {cols} x {rows})",
                                  "split the carousel into two messages")
                    break


class ButtonSizeRule(Rule):
    """A button's ``columns`` is not an integer from 1 to 6, or its ``rows`` is not an
    integer of at least 1.

    Why: a button covers ``columns x rows`` cells of its grid; Infobip's schema rejects
    other values. (Upper limits for rows depend on the grid: see VB305 and VB320.)

    Source: S6 ViberBotButton (``columns`` 1-6, ``rows`` minimum 1); S13, S14.

    Fails:

        keyboard:
          buttons:
            - {columns: 0, text: Yes, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {columns: 3, text: Yes, action: {reply: "yes"}}
    """

    code, name, severity = "VB304", "button-size-out-of-range", Severity.ERROR

    def check(self, ctx):
        for bpath, b, kind, _ in ctx.buttons():
            c = b.get("columns")
            if c is not None:
                n = as_int(c)
                if n is None or not 1 <= n <= 6:
                    yield Finding(bpath + ("columns",),
                                  f"button columns is {describe(c)}; it must be an integer from 1 to 6")
            r = b.get("rows")
            if r is not None:
                n = as_int(r)
                if n is None or n < 1:
                    yield Finding(bpath + ("rows",),
                                  f"button rows is {describe(r)}; it must be an integer of at least 1")


class ButtonSpanExceedsGroupRule(Rule):
    """A button is wider or taller than its grid's group (``buttonsGroupColumns`` /
    ``buttonsGroupRows``).

    Why: each button spans 1..``ButtonsGroupColumns`` columns and 1..``ButtonsGroupRows``
    rows; a bigger button cannot be placed and Viber rejects the message.

    Source: S13, S14 (button ``Columns``/``Rows`` limited by the group size).

    Decision: unset values take Viber's defaults: group columns 6, carousel group rows 7,
    button columns 6 and button rows 1. So a button with no ``columns`` in a carousel of
    3 columns is reported (its default width 6 exceeds 3). For keyboards the rows are
    compared only with an explicit ``buttonsGroupRows``: when it is unset the limit is the
    keyboard's own 2-row maximum, reported by VB320.

    Fails:

        carousel:
          columns: 3
          buttons:
            - {columns: 4, rows: 1, text: Wide, action: {reply: w}}

    Passes:

        carousel:
          columns: 3
          buttons:
            - {columns: 3, rows: 1, text: Fits, action: {reply: f}}
    """

    code, name, severity = "VB305", "button-span-exceeds-group", Severity.ERROR

    def check(self, ctx):
        for gpath, g, kind in ctx.button_grids():
            gcols = group_columns(g)
            grows = group_rows(g, kind)
            for bpath, b in grid_buttons(gpath, g):
                w, h = button_span(b)
                if gcols is not None and w is not None and w <= 6 and w > gcols:
                    if b.get("columns") is None:
                        yield Finding(bpath, f"the button's width defaults to 6 columns but the {kind} has only {gcols}",
                                      Help(f'set "columns" to at most {gcols}', f"set columns: to at most {gcols}"))
                    else:
                        yield Finding(bpath + ("columns",),
                                      f"the button spans {w} columns but the {kind} has only {gcols}")
                if grows is not None and h is not None and h > grows:
                    if kind == "keyboard" and h > 2:
                        continue  # VB320 already says so
                    yield Finding(bpath + ("rows",),
                                  f"the button spans {h} rows but the {kind} has only {grows} per "
                                  f"{'card' if kind == 'carousel' else 'group'}")


class CarouselIncompleteCardRule(Rule):
    """A carousel card is not exactly filled by its buttons, or a button would straddle
    two cards.

    Why: buttons fill each card (a block of ``columns x rows`` cells) in order; a button
    that does not fit in what is left of a card starts the next card, leaving a hole in the
    previous one, and a last card with empty cells renders shorter than the others. The
    carousel then looks broken even though Viber accepts it.

    Source: S13 (carousel example: every card is exactly filled), S14 (layout rules).
    Inferred, hence a warning.

    Decision: vibespec models the layout as "each button goes to the first cell, in
    row-major order, where it fits in the current card"; Viber does not publish its
    algorithm. Unset sizes take Viber's defaults (group 6 x 7, button 6 x 1). Grids with an
    invalid group size or button span are skipped (those are errors of their own).

    Fails:

        carousel:
          columns: 6
          rows: 2
          buttons:
            - {columns: 6, rows: 1, text: Title, action: {reply: t}}

    Passes:

        carousel:
          columns: 6
          rows: 2
          buttons:
            - {columns: 6, rows: 1, text: Title, action: {reply: t}}
            - {columns: 6, rows: 1, text: Buy, action: {reply: b}}
    """

    code, name, severity = "VB306", "carousel-incomplete-card", Severity.WARNING

    def check(self, ctx):
        for gpath, g in carousel_grids(ctx):
            res = _carousel_layout(g, gpath)
            if res is None:
                continue
            buttons, lay, cols, rows = res
            for p in lay.placed:
                if p.straddles:
                    yield Finding(buttons[p.index][0],
                                  f"this {p.width} x {p.height} button does not fit in the {p.free_before} free "
                                  f"cells left in card {p.card} ({cols} x {rows}); it starts card {p.card + 1} "
                                  f"and card {p.card} stays incomplete",
                                  "make the spans of each card add up to exactly one block")
            last_free = lay.card_free[-1] if lay.card_free else 0
            if last_free:
                bpath = buttons[lay.placed[-1].index][0]
                yield Finding(bpath,
                              f"the last card ({lay.placed[-1].card + 1}) has {last_free} of {cols * rows} "
                              f"cells empty",
                              f"add buttons or make the spans fill the {cols} x {rows} card")


class CarouselHeightScaleRule(Rule):
    """A carousel's ``heightScale`` is not an integer from 20 to 100.

    Why: ``heightScale`` is the card height as a percentage of the maximum; Infobip's
    schema accepts only 20-100.

    Source: S6 ViberBotOutboundCarouselContent (``heightScale`` minimum 20, maximum 100).

    Fails:

        carousel:
          height_scale: 10
          buttons: [...]

    Passes:

        carousel:
          height_scale: 100
          buttons: [...]
    """

    code, name, severity = "VB307", "carousel-height-scale-out-of-range", Severity.ERROR

    def check(self, ctx):
        for cpath, c, t in ctx.contents():
            if t != "CAROUSEL" or c.get("heightScale") is None:
                continue
            v = c["heightScale"]
            n = as_int(v)
            if n is None or not 20 <= n <= 100:
                yield Finding(cpath + ("heightScale",),
                              f"heightScale is {describe(v)}; it must be an integer from 20 to 100")


class CarouselUnsupportedActionRule(Rule):
    """A carousel button uses LOCATION_PICKER or SHARE_PHONE.

    Why: Viber does not support the location-picker and share-phone actions in rich media
    (carousels); they work only on keyboards.

    Source: S13 (rich media: "location-picker and share-phone are not supported").

    Fails:

        carousel:
          buttons:
            - {text: Where?, action: {location_picker: loc}}

    Passes:

        keyboard:
          buttons:
            - {text: Where?, action: {location_picker: loc}}
    """

    code, name, severity = "VB308", "carousel-unsupported-action", Severity.ERROR

    def check(self, ctx):
        for bpath, b, kind, _ in ctx.buttons():
            if kind != "carousel":
                continue
            a = b.get("action")
            if not isinstance(a, dict):
                continue
            t = a.get("actionType")
            if isinstance(t, str) and t.upper() in ("LOCATION_PICKER", "SHARE_PHONE"):
                yield Finding(bpath + ("action", "actionType"),
                              f"{t.upper()} is not supported in a carousel",
                              "use it on a keyboard button instead")


RULES = (
    GridColumnsRule,
    GridRowsRule,
    GridButtonsMissingRule,
    CarouselTooManyCardsRule,
    ButtonSizeRule,
    ButtonSpanExceedsGroupRule,
    CarouselIncompleteCardRule,
    CarouselHeightScaleRule,
    CarouselUnsupportedActionRule,
)
