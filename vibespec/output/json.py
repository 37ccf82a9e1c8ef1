"""``json``: a JSON array, one object per diagnostic.

Keys: ``code, name, severity, message, file, line, column, end_line, end_column, help,
pointer``. ``name`` is the rule name (``null`` for a code no rule describes); the rest is
:meth:`Diagnostic.to_dict`, so every object round-trips through
:meth:`Diagnostic.from_dict`. ``end_line``/``end_column`` are always filled (a point span
ends one column after it starts), except for a finding with no text position (a body given as
a dict), whose ``line``, ``column``, ``end_line`` and ``end_column`` are ``null``. Written as
``json.dumps(..., indent=2, ensure_ascii=False)`` plus a line break; no summary line. C1
controls, bidi overrides and the Unicode line separators (valid JSON, but raw in a terminal, a
browser or an old JavaScript parser) are written as ``\\uXXXX`` escapes: the parsed values are
unchanged."""

from __future__ import annotations

import json
import re
from typing import Sequence, TextIO

from ..diagnostics import Diagnostic


def _rule_names(rules: Sequence[type] | None) -> dict[str, str]:
    if rules is None:
        from ..rules import ALL_RULES as rules  # lazy: a cached `lint` does not load the rules  # noqa: N811
    return {r.code: r.name for r in rules}


def to_objects(diagnostics: Sequence[Diagnostic], rules: Sequence[type] | None = None) -> list[dict]:
    names = _rule_names(rules)
    out = []
    for d in diagnostics:
        base = d.to_dict()
        obj = {"code": base.pop("code"), "name": names.get(d.code)}
        obj.update(base)
        out.append(obj)
    return out


_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def dumps(value) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` with the characters above escaped
    (they can only occur inside strings, so the result parses to the same value)."""
    return _RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, indent=2, ensure_ascii=False))


def write(diagnostics: Sequence[Diagnostic], stream: TextIO, *, rules: Sequence[type] | None = None) -> None:
    stream.write(dumps(to_objects(diagnostics, rules)) + "\n")
