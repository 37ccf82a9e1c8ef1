"""``github``: GitHub Actions workflow commands, one per diagnostic::

    ::error file=promo.viber.yaml,line=12,col=11,endLine=12,endColumn=27,title=VB201::text is …

``warning`` for warnings, ``notice`` for infos. The help, when there is one, follows the
message on a second line of the annotation. ``col``/``endColumn`` are given only for a
span on one line (GitHub annotations accept columns only when start and end line agree);
a diagnostic without a file has no location properties. Escaping follows the runner:
``%``, CR and LF in the message; additionally ``:`` and ``,`` in property values. Other
control characters from a spec (ESC sequences, which the log viewer would render, C1
controls, bidi overrides) are written as ``\\x1b``/``\\u202e`` first.
"""

from __future__ import annotations

from typing import Sequence, TextIO

from ..diagnostics import Diagnostic, Severity
from ._source import escape_controls

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escape_controls(text)  # ESC and the other controls left: shown as \x1b


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(d: Diagnostic) -> str:
    props: list[tuple[str, str]] = []
    if d.file is not None and not d.positioned:
        props.append(("file", d.file))
    elif d.file is not None:
        line = max(d.line, 1)
        end_line = max(d.end_line if d.end_line is not None else line, line)
        props.append(("file", d.file))
        props.append(("line", str(line)))
        if end_line == line:
            col = max(d.column, 1)
            end_col = max(d.end_column if d.end_column is not None else col + 1, col)
            props.append(("col", str(col)))
            props.append(("endLine", str(end_line)))
            props.append(("endColumn", str(end_col)))
        else:
            props.append(("endLine", str(end_line)))
    props.append(("title", d.code))
    message = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMAND[Severity.parse(d.severity)]} {head}::{escape_data(message)}"


def write(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    for d in diagnostics:
        stream.write(render(d) + "\n")
