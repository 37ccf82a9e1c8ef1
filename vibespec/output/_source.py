"""Source lines for code frames: splitting, safe rendering and display widths.

Columns in a :class:`~vibespec.diagnostics.Diagnostic` count characters (code points),
1-based, end exclusive. A terminal shows cells: a tab advances to the next tab stop, an
East Asian wide or fullwidth character takes two cells, a combining mark none. This module
renders a source line and maps character columns to cell columns so that the caret line
lines up under the rendered source line.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata

from ..files import read_fd

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
    if 0x80 <= o < 0xA0 or ch in _BIDI_AND_SEPARATORS:
        return "\ufffd"  # C1 controls; bidi overrides that would reorder the shown line
    return ch


# bidirectional formatting characters (Trojan Source) and the Unicode line separators
_BIDI_AND_SEPARATORS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                 "\u2066\u2067\u2068\u2069\u2028\u2029")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_OR_NL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape_char(m: "re.Match[str]") -> str:
    o = ord(m.group(0))
    return {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}.get(o) or (f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")


def escape_controls(text: str, *, newlines: bool = True) -> str:
    """``text`` (a message, a file name, an id from a spec) safe for a terminal: control
    characters (ESC sequences, CR, the other C0 and C1 controls, DEL), bidirectional
    overrides and Unicode line separators are written as escapes (``\\x1b``, ``\\u202e``).
    With ``newlines`` a line break (LF) is kept (and a tab), else it becomes ``\\n``."""
    pattern = _UNSAFE if newlines else _UNSAFE_OR_NL
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape_char, text)


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


#: the largest file whose text is read again to show code frames (the spec size limit)
MAX_FRAME_SOURCE = 64 * 1024 * 1024


def read_frame_source(path: str, max_bytes: int = MAX_FRAME_SOURCE) -> str | None:
    """The text of ``path`` for code frames, or None: only a regular file (never a FIFO, a
    device or ``/proc``'s size-less files) of at most ``max_bytes``, opened without blocking.
    Callers pass only files vibespec itself parsed in the run (specs, bodies, audiences)."""

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0 or st.st_size > max_bytes:
            return None

        return read_fd(fd, st.st_size).decode("utf-8", "replace")
    except OSError:
        return None
    finally:
        os.close(fd)
