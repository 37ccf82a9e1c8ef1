"""Works around libyaml refusing a ``:`` glued to a flow indicator (``{text:}``).

YAML 1.2 reads a ``:`` that follows a plain key and precedes ``,``, ``[``, ``]``, ``{`` or
``}`` inside a flow collection as the value indicator of that key::

    messages:
      - {to: u1, text:}     # YAML 1.2: {'to': 'u1', 'text': None}
      - [key:]              # YAML 1.2: [{'key': None}]

libyaml (0.1.7 and 0.2.5 alike) refuses it ("while scanning a plain scalar ... found
unexpected ':'"), and ruamel.yaml's pure parser, the other event source, misreads it as a key
``'text:'``. So on that error, and only when the character after the ``:`` is one of those
five, :class:`Spaced` inserts one space after the ``:`` in a copy of the text (``{text: }``,
which both parsers read as YAML 1.2 does), the loader parses the copy again, and every
column on that line after the space is mapped back to the original text. A text needs as
many re-parses as it has such colons; the loader stops after a bounded number and then
reports the error.

Before libyaml 0.2.5 came through PyYAML, the loader quoted every plain scalar holding a
``:`` inside a flow collection (``{url: https://x}``) in the same way; libyaml 0.2.5 reads
those itself (``_yamlevents``).

When this module can go: when neither event source refuses nor misreads ``{text:}``, i.e.
``tests/source/test_load.py::test_colon_before_a_flow_indicator`` passes with this module's
``Spaced.apply`` returning False.
"""

from __future__ import annotations

from ..diagnostics import Span, VibespecError

__all__ = ["Spaced", "is_flow_colon"]

_FLOW_INDICATORS = ",[]{}"


def is_flow_colon(ex: Exception) -> bool:
    """libyaml's error for a ':' it will not read inside a plain scalar in a flow."""
    return "unexpected ':'" in str(getattr(ex, "problem", "") or "") and "plain scalar" in str(
        getattr(ex, "context", "") or ""
    )


class Spaced:
    """A copy of a YAML text with a space after each ``:`` libyaml refused, and the map from
    its columns back to the original's."""

    __slots__ = ("text", "spaces")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spaces: dict[int, list[int]] = {}  # 0-based line -> 0-based columns of added spaces

    def apply(self, ex: Exception) -> bool:
        """Insert a space after the ':' the error ``ex`` points at; False when the error is not
        a ':' glued to a flow indicator in a plain scalar on one line."""
        if not is_flow_colon(ex):
            return False
        pm, cm = getattr(ex, "problem_mark", None), getattr(ex, "context_mark", None)
        if pm is None or cm is None or pm.line != cm.line or pm.column <= cm.column:
            return False
        lines = self.text.split("\n")
        if pm.line >= len(lines):
            return False
        line, c = lines[pm.line], pm.column
        if line[c:c + 1] != ":" or line[c + 1:c + 2] not in tuple(_FLOW_INDICATORS):
            return False
        lines[pm.line] = line[:c + 1] + " " + line[c + 1:]
        added = self.spaces.setdefault(pm.line, [])
        added[:] = sorted([a + 1 if a > c else a for a in added] + [c + 1])
        self.text = "\n".join(lines)
        return True

    def col(self, line0: int, col0: int) -> int:
        """The original's 0-based column of column ``col0`` on line ``line0`` of the copy."""
        added = self.spaces.get(line0)
        if not added:
            return col0
        return col0 - sum(1 for a in added if a < col0)

    def span(self, span: Span) -> Span:
        f = self.col
        return Span(span.line, f(span.line - 1, span.column - 1) + 1, span.end_line,
                    f(span.end_line - 1, span.end_column - 1) + 1)

    def remap(self, err: VibespecError) -> VibespecError:
        """``err`` (found in the copy) with its columns in the original."""
        out = []
        for d in err.diagnostics:
            values = {f: getattr(d, f) for f in d.__dataclass_fields__}
            values["column"] = self.col(d.line - 1, d.column - 1) + 1
            if d.end_line is not None and d.end_column is not None:
                values["end_column"] = self.col(d.end_line - 1, d.end_column - 1) + 1
            out.append(type(d)(**values))
        return VibespecError(tuple(out))
