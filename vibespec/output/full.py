"""``full``: the default human format, in the rustc/ruff shape::

    error[VB201]: text is 4012 characters; Infobip accepts at most 4000
      --> promo.viber.yaml:12:11
       |
    12 |     text: "Lorem ipsum ...
       |           ^^^^^^^^^^^^^^^^
       |
       = help: shorten the text or split it into two messages
       = pointer: /messages/0/content/text

The arrow and the gutter are indented by the width of the line number. The code frame is
shown when the text of the file was given (``sources``) and has the line; the carets run
from ``column`` to ``end_column`` (to the end of the first line for a span over several
lines). Tabs are expanded to tab stops of 4 in both lines and wide characters count two
cells, so the carets stay under the span. Diagnostics are separated by a blank line, and a
summary line closes the report.
"""

from __future__ import annotations

from typing import Mapping, Sequence, TextIO

from ..diagnostics import Diagnostic, Severity
from ._source import RenderedLine, caret_span, escape_controls, line_at

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
GUTTER = "\x1b[1;34m"  # bold blue, as rustc and ruff
SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",  # red
    Severity.WARNING: "\x1b[33m",  # yellow
    Severity.INFO: "\x1b[34m",  # blue
}


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not text:
            return text
        return "".join(styles) + text + RESET


def _lines(text: str) -> list[str]:
    """The lines of a message or note, each safe for a terminal (see ``escape_controls``)."""
    lines = escape_controls(text.replace("\r\n", "\n")).split("\n")
    return lines[:-1] if len(lines) > 1 and not lines[-1] else lines


MAX_SHOWN = 240  # characters of a source line shown around the span
MAX_CARETS = 40  # a wider span over a flow mapping or list is marked at its opening bracket


def render(d: Diagnostic, source: str | None, paint: _Paint) -> list[str]:
    """The lines (without line breaks) for one diagnostic."""
    sev = Severity.parse(d.severity)
    sev_color = SEVERITY_COLOR[sev]
    line_text = line_at(source, d.line) if d.positioned else None
    width = len(str(max(d.line, 1)))
    pad = " " * width

    label = f"{sev.value}[{escape_controls(d.code)}]"
    # continuation lines of a multi-line message line up under its first line; control
    # characters from the spec (ESC sequences, CR, bidi overrides) are shown escaped
    message = ("\n" + " " * (len(label) + 2)).join(_lines(d.message))
    out = [paint(label, BOLD, sev_color) + paint(f": {message}", BOLD)]
    where = escape_controls(d.where(), newlines=False)
    out.append(pad + paint("-->", GUTTER) + " " + where)

    notes: list[tuple[str, str]] = []
    if d.help:
        notes.append(("help", d.help))
    if d.pointer and d.positioned:
        notes.append(("pointer", d.pointer))

    if line_text is not None:
        bar = paint("|", GUTTER)
        column, end_column, end_line = d.column, d.end_column, d.end_line
        if len(line_text) > MAX_SHOWN:  # a 10 MB line: show a window around the span
            start = max(0, column - 1 - MAX_SHOWN // 3)
            stop = start + MAX_SHOWN
            prefix = "\u2026" if start else ""
            line_text = prefix + line_text[start:stop] + ("\u2026" if stop < len(line_text) else "")
            column = column - start + len(prefix)
            if end_column is not None and (end_line is None or end_line == d.line):
                end_column = min(end_column - start + len(prefix), len(line_text) + 1)
        rendered = RenderedLine(line_text).text
        offset, carets = caret_span(line_text, column, end_line, d.line, end_column)
        if carets > MAX_CARETS and line_text[max(column, 1) - 1:max(column, 1)] in ("{", "["):
            carets = 1  # a whole flow mapping or list: mark where it opens, not all of it
        out.append(f"{pad} {bar}")
        out.append(paint(str(d.line).rjust(width), GUTTER) + f" {bar}" + (f" {rendered}" if rendered else ""))
        out.append(f"{pad} {bar} " + " " * offset + paint("^" * carets, BOLD, sev_color))
        if notes:
            out.append(f"{pad} {bar}")
    for label, text in notes:
        # continuation lines of a multi-line note line up under its text
        head = f"{pad} " + paint("=", GUTTER) + " " + paint(f"{label}:", BOLD) + " "
        indent = " " * (width + 4 + len(label) + 1)
        lines = _lines(text)
        out.append(head + lines[0])
        out.extend(indent + ln for ln in lines[1:])
    return out


def write(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    sources: Mapping[str, str],
    color: bool = False,
    summary: str | None = None,
) -> None:
    paint = _Paint(color)
    for d in diagnostics:
        source = sources.get(d.file) if d.file is not None else None
        stream.write("\n".join(render(d, source, paint)) + "\n\n")
    if summary is not None:
        stream.write(paint(summary, BOLD) + "\n")
