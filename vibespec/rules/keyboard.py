"""Rules: keyboards (VB320-VB339).

Any content may carry ``keyboard: {buttonGrid, backgroundColor, keyboardDisplay,
actionBarState}``. Grid-wide checks shared with carousels live in :mod:`.carousel`,
per-button checks in :mod:`.buttons`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from .base import Finding, Rule, RuleContext
from ..words import describe
from .carousel import GROUP_COLUMNS_DEFAULT, as_int, button_span, grid_buttons, group_columns, layout

KEYBOARD_BUTTON_ROWS_MAX = 2
KEYBOARD_ROWS_MAX = 24
ACTION_BAR_STATES = ("REGULAR", "MINIMIZED", "HIDDEN")


def keyboards(ctx: RuleContext) -> Iterator[tuple[tuple, dict]]:
    """``(path, keyboard)`` for every ``content.keyboard`` mapping."""
    for cpath, c, _ in ctx.contents():
        kb = c.get("keyboard")
        if isinstance(kb, dict):
            yield cpath + ("keyboard",), kb


class KeyboardButtonRowsRule(Rule):
    """A keyboard button is more than 2 rows high.

    Why: keyboard buttons are 1-6 columns wide and 1-2 rows high; Viber rejects taller
    keyboard buttons (carousel buttons may be taller).

    Source: S14 (keyboard button ``Rows`` 1-2).

    Decision: rows below 1 are reported by VB304 (the schema minimum, shared with
    carousels); this rule reports only the keyboard's own maximum, so that one mistake
    gives one diagnostic.

    Fails:

        keyboard:
          buttons:
            - {columns: 6, rows: 3, text: Tall, action: {reply: t}}

    Passes:

        keyboard:
          buttons:
            - {columns: 6, rows: 2, text: Tall, action: {reply: t}}
    """

    code, name, severity = "VB320", "keyboard-button-rows-out-of-range", Severity.ERROR

    def check(self, ctx):
        for bpath, b, kind, _ in ctx.buttons():
            if kind != "keyboard":
                continue
            n = as_int(b.get("rows"))
            if n is not None and n > KEYBOARD_BUTTON_ROWS_MAX:
                yield Finding(bpath + ("rows",),
                              f"a keyboard button may be 1 or 2 rows high, this one is {n}",
                              "use a carousel for taller buttons")


class KeyboardTooManyRowsRule(Rule):
    """The keyboard's buttons lay out to more than 24 rows.

    Why: Viber keyboards hold up to 24 rows (of 6 columns, in portrait); buttons beyond
    that may not be shown.

    Source: S14 (keyboard layout: up to 24 rows). Platform-dependent, hence a warning.

    Decision: buttons are laid out in order, each at the first place (row-major) where it
    fits in rows of ``buttonsGroupColumns`` cells (default 6), with Viber's default button
    size 6 x 1. The finding points at the first button that lands below row 24.

    Fails: 25 full-width buttons on one keyboard (the 25th is marked).

    Passes: 24 full-width buttons, or 48 half-width ones.
    """

    code, name, severity = "VB321", "keyboard-too-many-rows", Severity.WARNING

    def check(self, ctx):
        for gpath, g, kind in ctx.button_grids():
            if kind != "keyboard":
                continue
            cols = group_columns(g) or GROUP_COLUMNS_DEFAULT
            buttons = grid_buttons(gpath, g)
            spans = []
            for _, b in buttons:
                w, h = button_span(b)
                spans.append((w or 1, h or 1))
            if not spans:
                continue
            lay = layout(spans, cols, None)
            if lay.height <= KEYBOARD_ROWS_MAX:
                continue
            for p in lay.placed:
                if p.row + p.height > KEYBOARD_ROWS_MAX:
                    yield Finding(buttons[p.index][0],
                                  f"the keyboard lays out to {lay.height} rows; from this button on it is past "
                                  f"Viber's {KEYBOARD_ROWS_MAX}",
                                  "use fewer or narrower buttons")
                    break


class KeyboardOccupancyRule(Rule):
    """``keyboardDisplay.percentageOfKeyboardOccupancy`` is not an integer from 40 to 70.

    Why: it is the share of the chat screen the keyboard takes; Infobip's schema accepts
    only 40-70 (Viber's ``CustomDefaultHeight``).

    Source: S6 (``percentageOfKeyboardOccupancy`` minimum 40, maximum 70); S14.

    Fails:

        keyboard:
          display: {occupancy: 90}
          buttons: [...]

    Passes:

        keyboard:
          display: {occupancy: 50}
          buttons: [...]
    """

    code, name, severity = "VB322", "keyboard-occupancy-out-of-range", Severity.ERROR

    def check(self, ctx):
        for kpath, kb in keyboards(ctx):
            d = kb.get("keyboardDisplay")
            if not isinstance(d, dict) or d.get("percentageOfKeyboardOccupancy") is None:
                continue
            v = d["percentageOfKeyboardOccupancy"]
            n = as_int(v)
            if n is None or not 40 <= n <= 70:
                yield Finding(kpath + ("keyboardDisplay", "percentageOfKeyboardOccupancy"),
                              f"percentageOfKeyboardOccupancy is {describe(v)}; it must be an integer from 40 to 70")


class KeyboardActionBarStateRule(Rule):
    """``actionBarState`` is not REGULAR, MINIMIZED or HIDDEN.

    Why: it is an enum in Infobip's schema (Viber's ``InputFieldState``); other values,
    other spellings included, are rejected.

    Source: S6 InputFieldState (``REGULAR``, ``MINIMIZED``, ``HIDDEN``); S14.

    Fails (raw body):

        "keyboard": {"actionBarState": "SMALL", "buttonGrid": {...}}

    Passes:

        keyboard:
          action_bar: minimized
          buttons: [...]
    """

    code, name, severity = "VB323", "keyboard-action-bar-state-invalid", Severity.ERROR

    def check(self, ctx):
        for kpath, kb in keyboards(ctx):
            v = kb.get("actionBarState")
            if v is None or v in ACTION_BAR_STATES:
                continue
            hint = None
            if isinstance(v, str) and v.upper() in ACTION_BAR_STATES:
                hint = f"write it as {v.upper()}"
            yield Finding(kpath + ("actionBarState",),
                          f"actionBarState is {describe(v)}; it must be one of {', '.join(ACTION_BAR_STATES)}", hint)


RULES = (
    KeyboardButtonRowsRule,
    KeyboardTooManyRowsRule,
    KeyboardOccupancyRule,
    KeyboardActionBarStateRule,
)
