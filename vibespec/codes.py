"""Codes emitted outside rule classes, declared once as data: (code, name, severity); and the
codes of the rule classes whose findings a lower layer makes (the planner's, :data:`OF_RULES`).

The emitter (the loader, the spec compiler, the engine, the shape check, the importer, the
wire parsers) names the constant and takes the severity from it. Each code's documentation is
in :mod:`vibespec.codedocs`, keyed by the same constant (kept apart so that a lint, which loads
this module at start-up, does not load the texts); the registry (:mod:`vibespec.rules`) lists
both for ``vibespec rules``, ``explain``, docs/rules.md and select/ignore. Payload rules
(classes with a ``check``) declare their code on the class, or unpack the constant of one in
:data:`OF_RULES`, which the class documents in its docstring."""

from __future__ import annotations

from typing import NamedTuple

from .diagnostics import Diagnostic, Severity


class Code(NamedTuple):
    code: str
    name: str
    severity: Severity

    def diagnostic(self, message: str, file: str | None = None, line: int = 1, column: int = 1,
                   end_line: int | None = None, end_column: int | None = None, help: str | None = None,
                   pointer: str | None = None) -> Diagnostic:
        """A :class:`Diagnostic` of this code at its severity (emitters never choose one)."""
        return Diagnostic(self.code, self.severity, message, file, line, column, end_line, end_column, help, pointer)


# the engine (VB000, VB009), the loaders, the report (VB010)
VB000 = Code("VB000", "internal-error", Severity.ERROR)
VB001 = Code("VB001", "syntax-error", Severity.ERROR)
VB002 = Code("VB002", "not-utf8", Severity.ERROR)
VB003 = Code("VB003", "empty-file", Severity.ERROR)
VB004 = Code("VB004", "root-not-mapping", Severity.ERROR)
VB005 = Code("VB005", "duplicate-key", Severity.ERROR)
VB006 = Code("VB006", "disallowed-tag", Severity.ERROR)
VB007 = Code("VB007", "input-limit", Severity.ERROR)
VB008 = Code("VB008", "multiple-documents", Severity.ERROR)
VB009 = Code("VB009", "unreadable-file", Severity.ERROR)
VB010 = Code("VB010", "findings-capped", Severity.INFO)
# the spec compiler
VB100 = Code("VB100", "spec-version", Severity.ERROR)
VB101 = Code("VB101", "unknown-key", Severity.ERROR)
VB102 = Code("VB102", "wrong-type", Severity.ERROR)
VB103 = Code("VB103", "missing-key", Severity.ERROR)
VB104 = Code("VB104", "content-key", Severity.ERROR)
VB105 = Code("VB105", "missing-sender", Severity.ERROR)
VB106 = Code("VB106", "invalid-duration", Severity.ERROR)
VB107 = Code("VB107", "invalid-size", Severity.ERROR)
VB108 = Code("VB108", "invalid-time", Severity.ERROR)
VB109 = Code("VB109", "invalid-days", Severity.ERROR)
VB110 = Code("VB110", "invalid-timezone", Severity.ERROR)
VB111 = Code("VB111", "invalid-speed-limit", Severity.ERROR)
VB112 = Code("VB112", "invalid-datetime", Severity.ERROR)
VB113 = Code("VB113", "invalid-choice", Severity.ERROR)
VB114 = Code("VB114", "missing-recipients", Severity.ERROR)
VB115 = Code("VB115", "invalid-value", Severity.ERROR)

# the shape check of a raw body (vibespec/rules/shape.py)
VB150 = Code("VB150", "payload-unknown-field", Severity.ERROR)
VB151 = Code("VB151", "payload-wrong-type", Severity.ERROR)
VB152 = Code("VB152", "payload-missing-field", Severity.ERROR)
VB153 = Code("VB153", "payload-content-type", Severity.ERROR)

# the delivery simulation (vibespec/planner/findings.py), shown by `vibespec plan`; the rule
# classes of vibespec/rules/plan_rules.py report the same findings in a lint and document them
VB450 = Code("VB450", "expires-before-window", Severity.WARNING)
VB451 = Code("VB451", "campaign-exceeds-validity", Severity.WARNING)
VB452 = Code("VB452", "window-dst-shift", Severity.WARNING)
VB453 = Code("VB453", "window-crosses-midnight-utc", Severity.INFO)
VB454 = Code("VB454", "send-at-outside-window", Severity.WARNING)
VB455 = Code("VB455", "window-local-date-dependent", Severity.INFO)
VB456 = Code("VB456", "window-ends-before-start", Severity.ERROR)

# the compiler: templates and audiences
VB701 = Code("VB701", "template-missing-value", Severity.ERROR)
VB702 = Code("VB702", "audience-unused-column", Severity.INFO)
VB703 = Code("VB703", "audience-duplicate-recipient", Severity.WARNING)
VB704 = Code("VB704", "unknown-template", Severity.ERROR)
VB705 = Code("VB705", "audience-invalid", Severity.ERROR)
VB706 = Code("VB706", "invalid-placeholder", Severity.ERROR)
VB707 = Code("VB707", "audience-row-invalid", Severity.ERROR)
VB708 = Code("VB708", "no-audience", Severity.ERROR)

# the webhook and delivery-report parsers (vibespec/wire/)
VB801 = Code("VB801", "wire-missing-field", Severity.ERROR)
VB802 = Code("VB802", "wire-invalid-value", Severity.ERROR)
VB803 = Code("VB803", "inbound-unknown-event-type", Severity.ERROR)
VB804 = Code("VB804", "inbound-unknown-message-type", Severity.WARNING)
VB805 = Code("VB805", "inbound-unlisted-message-type", Severity.INFO)
VB806 = Code("VB806", "wire-invalid-datetime", Severity.ERROR)
VB807 = Code("VB807", "wire-datetime-format", Severity.WARNING)
VB808 = Code("VB808", "report-group-mismatch", Severity.WARNING)
VB809 = Code("VB809", "report-unknown-group", Severity.WARNING)
VB810 = Code("VB810", "wire-count-mismatch", Severity.WARNING)
VB811 = Code("VB811", "wire-empty-batch", Severity.INFO)
VB812 = Code("VB812", "wire-unknown-field", Severity.INFO)
VB813 = Code("VB813", "xml-syntax-error", Severity.ERROR)
VB814 = Code("VB814", "xml-doctype-forbidden", Severity.ERROR)

# the engine (suppressions)
VB901 = Code("VB901", "unused-suppression", Severity.WARNING)
VB902 = Code("VB902", "invalid-suppression", Severity.WARNING)

#: every code above, by code
BY_CODE: dict[str, Code] = {c.code: c for c in list(globals().values()) if isinstance(c, Code)}
#: the codes a rule class unpacks and documents (the others: vibespec/codedocs.py)
OF_RULES: frozenset[Code] = frozenset({VB450, VB451, VB452, VB453, VB454, VB455, VB456})
