"""A finding about a whole flow mapping points at its field, not 130 carets over the mapping
(issue 14)."""

from __future__ import annotations

import io
import json

import vibespec
from vibespec.diagnostics import Diagnostic, Severity
from vibespec.output import write_report

BODY = {"messages": [{"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}],
                      "content": {"type": "TEXT", "text": "hi"},
                      "options": {"deliveryTimeWindow": {"from": {"hour": 9, "minute": 0},
                                                         "to": {"hour": 17, "minute": 0}}}}]}


def _caret_line(out: str) -> str:
    return next(ln for ln in out.splitlines() if "^" in ln)


def test_raw_body_object_finding_points_at_its_key():
    text = json.dumps(BODY)  # one line
    (d,) = [d for d in vibespec.validate_payload(text) if d.code == "VB424"]
    assert text[d.column - 1:d.end_column - 1] == '"deliveryTimeWindow"'
    out = io.StringIO()
    write_report([d], out, "full", sources={d.file: text})
    assert _caret_line(out.getvalue()).count("^") == len('"deliveryTimeWindow"')


def test_long_flow_mapping_span_gets_one_caret():
    line = '  - {text: "Yes please, this is a rather long button label", columns: 3, rows: 1, extra: 1}'
    d = Diagnostic("VB103", Severity.ERROR, "missing required key 'action'", "a.viber.yaml", 1, 5, 1, len(line) + 1)
    out = io.StringIO()
    write_report([d], out, "full", sources={"a.viber.yaml": line})
    caret = _caret_line(out.getvalue())
    assert caret.count("^") == 1
    assert caret.index("^") - caret.index("|") - 2 == line.index("{")


def test_short_or_scalar_spans_keep_their_width():
    line = 'text: "' + "x" * 60 + '"'
    d = Diagnostic("VB201", Severity.ERROR, "too long", "a.viber.yaml", 1, 7, 1, len(line) + 1)
    out = io.StringIO()
    write_report([d], out, "full", sources={"a.viber.yaml": line})
    assert _caret_line(out.getvalue()).count("^") == 62
    line = "window: {days: [], from: 9}"
    d = Diagnostic("VB424", Severity.ERROR, "no days", "a.viber.yaml", 1, 9, 1, len(line) + 1)
    out = io.StringIO()
    write_report([d], out, "full", sources={"a.viber.yaml": line})
    assert _caret_line(out.getvalue()).count("^") == len(line) - 8
