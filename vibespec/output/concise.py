"""``concise``: one line per diagnostic, ``file:line:col: CODE [severity] message``,
then the summary line. A diagnostic without a file shows ``<input>``. Line breaks inside a
message are shown as ``\\n`` so that every diagnostic stays on one line (grep-friendly); other
control characters (ESC, CR, bidi overrides) are shown escaped too (``\\x1b``, ``\\u202e``)."""

from __future__ import annotations

from typing import Sequence, TextIO

from ..diagnostics import Diagnostic, Severity
from ._source import escape_controls
from .full import BOLD, SEVERITY_COLOR, _Paint


def _one_line(text: str) -> str:
    return escape_controls(text.replace("\r\n", "\n"), newlines=False)


def render(d: Diagnostic, paint: _Paint) -> str:
    sev = Severity.parse(d.severity)
    where = _one_line(d.where()) + ":"
    tag = f"{_one_line(d.code)} [{sev.value}]"
    return f"{paint(where, BOLD)} {paint(tag, SEVERITY_COLOR[sev])} {_one_line(d.message)}"


def write(diagnostics: Sequence[Diagnostic], stream: TextIO, *, color: bool = False, summary: str | None = None) -> None:
    paint = _Paint(color)
    for d in diagnostics:
        stream.write(render(d, paint) + "\n")
    if summary is not None:
        stream.write(paint(summary, BOLD) + "\n")
