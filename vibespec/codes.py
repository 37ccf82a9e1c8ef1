"""Codes emitted outside rule classes, declared once as data: the emitter names the constant
(code and severity come from here) and the rule class that documents the code unpacks the same
constant. A start on issue 15's "codes as data": today VB701, VB703 and VB707 (audience rows,
emitted by the compiler, which must not import the rules)."""

from __future__ import annotations

from typing import NamedTuple

from .diagnostics import Severity


class Code(NamedTuple):
    code: str
    name: str
    severity: Severity


VB701 = Code("VB701", "template-missing-value", Severity.ERROR)
VB703 = Code("VB703", "audience-duplicate-recipient", Severity.WARNING)
VB707 = Code("VB707", "audience-row-invalid", Severity.ERROR)
