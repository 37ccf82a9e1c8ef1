"""Source lines for code frames: splitting, safe rendering and display widths.

Columns in a :class:`~vibespec.diagnostics.Diagnostic` count characters (code points),
1-based, end exclusive. A terminal shows cells: a tab advances to the next tab stop, an
East Asian wide or fullwidth character takes two cells, a combining mark none. This module
renders a source line and maps character columns to cell columns so that the caret line
lines up under the rendered source line.
"""

from __future__ import annotations

import re
import unicodedata

TAB_WIDTH = 4

# YAML, TOML and JSON all agree that these are line breaks.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Characters that take no cell (zero-width spaces and joiners, BOM, word joiner).
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line breaks (``\\n``, ``\\r\\n`` or ``\\r``).

    A text ending in a line break has a final empty line, so a diagnostic at the very end
    of the file ("unexpected end of input") still gets a frame."""
    return _LINE_BREAK.split(text)


_SPLIT_CACHE: list = [None, None]  # (text, lines) of the last source split


def line_at(text: str | None, line: int) -> str | None:
    """Line ``line`` (1-based) of ``text``, or ``None`` when there is no such line."""
    if text is None or line < 1:
        return None
    if _SPLIT_CACHE[0] is text:
        lines = _SPLIT_CACHE[1]
    else:
        lines = split_lines(text)
        _SPLIT_CACHE[0], _SPLIT_CACHE[1] = text, lines
    if line > len(lines):
        return None
    return lines[line - 1]


def _visible(ch: str) -> str:
    """A replacement for characters that would break or restyle a terminal line."""
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)  # control pictures: ␀ … ␟ (ESC becomes ␛)
    if o == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= o < 0xA0 or ch in "\u2028\u2029":
        return "\ufffd"
    return ch


def char_width(ch: str) -> int:
    """Terminal cells taken by one (already visible) character other than a tab."""
    if ch in _ZERO_WIDTH or unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


class RenderedLine:
    """A source line made safe for a terminal, with the cell column of every character."""

    __slots__ = ("text", "starts", "width")

    def __init__(self, line: str) -> None:
        out: list[str] = []
        starts: list[int] = []
        cell = 0
        for ch in line:
            starts.append(cell)
            if ch == "\t":
                n = TAB_WIDTH - cell % TAB_WIDTH
                out.append(" " * n)
                cell += n
                continue
            v = _visible(ch)
            out.append(v)
            cell += char_width(v)
        self.text = "".join(out)
        self.starts = starts
        self.width = cell

    def cell_of(self, index: int) -> int:
        """Cell column (0-based) where character ``index`` (0-based) starts; past the end
        of the line, one cell per missing character."""
        if index < len(self.starts):
            return self.starts[index]
        return self.width + (index - len(self.starts))


def caret_span(line: str, column: int, end_line: int | None, line_no: int, end_column: int | None) -> tuple[int, int]:
    """``(offset, width)`` in cells of the underline for a span starting at ``column`` on
    ``line`` (the text of line ``line_no``). A span running over several lines is
    underlined to the end of its first line. The width is at least one cell."""
    r = RenderedLine(line)
    start_index = max(column, 1) - 1
    start = r.cell_of(start_index)
    n = len(line)
    if end_line is not None and end_line > line_no:
        end = r.width
    else:
        end_index = (end_column if end_column is not None else max(column, 1) + 1) - 1
        end = r.width if end_index > n else r.cell_of(end_index)
    return start, max(1, end - start)
