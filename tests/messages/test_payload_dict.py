"""``validate_payload(dict)`` gives JSON pointers only: the dict was never text, so line
numbers of an internal re-serialisation mean nothing to the user (issue 14)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import vibespec
from vibespec.diagnostics import Diagnostic
from vibespec.output import write_report

CASE = Path(__file__).resolve().parents[1] / "rules" / "cases" / "VB222" / "fail_zero.json"


def _diags():
    body = json.loads(CASE.read_text(encoding="utf-8"))
    return vibespec.validate_payload(body)


def test_dict_findings_have_pointer_and_no_line():
    diags = _diags()
    assert diags
    for d in diags:
        assert d.line == 0 and d.column == 0 and d.end_line is None and d.end_column is None
        assert d.pointer and d.pointer.startswith("/")
        assert d.where() == f"<body>#{d.pointer}"
        assert d.format_short().startswith(f"<body>#{d.pointer}: ")


def test_text_body_keeps_lines():
    diags = vibespec.validate_payload(CASE.read_text(encoding="utf-8"))
    assert diags and all(d.line >= 1 for d in diags)


def test_dict_findings_round_trip_and_report():
    diags = _diags()
    for d in diags:
        obj = d.to_dict()
        assert obj["line"] is None and obj["end_column"] is None
        assert Diagnostic.from_dict(obj) == d
    for fmt in ("full", "concise", "github", "json", "sarif"):
        out = io.StringIO()
        write_report(diags, out, fmt)
        text = out.getvalue()
        assert ":0:0" not in text and "line=0" not in text and '"startLine": 0' not in text


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_human_formats_name_the_pointer(fmt):
    diags = _diags()
    out = io.StringIO()
    write_report(diags, out, fmt)
    assert f"<body>#{diags[0].pointer}" in out.getvalue()
