"""An audience with no rows (a CSV with only its header, an empty inline list) is VB705: it
used to compile to {"messages": []} and lint clean."""

from __future__ import annotations

import os

import pytest

from vibespec.api import compile as compile_spec
from vibespec.api import lint
from vibespec.diagnostics import VibespecError

SPEC = ('vibespec: 1\ndefaults: {sender: B}\ntemplates:\n  t: {text: "Hi {{ name }}"}\n'
        "audience: people.csv\nmessages:\n  - {template: t, to: audience}\n")


def test_header_only_csv_is_an_error_not_an_empty_request(tmp_path):
    (tmp_path / "people.csv").write_text("to,name\n", encoding="utf-8")
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    diags = lint(spec)
    assert [(d.code, d.severity.value, os.path.basename(d.file), d.line) for d in diags] == [
        ("VB705", "error", "people.csv", 1)]
    assert "header but no rows" in diags[0].message and diags[0].help
    with pytest.raises(VibespecError):
        compile_spec(spec)


def test_blank_lines_are_no_rows_and_one_row_is_enough(tmp_path):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    (tmp_path / "people.csv").write_text("\nto,name\n\n\n", encoding="utf-8")
    assert [(d.code, d.line) for d in lint(spec)] == [("VB705", 2)]
    (tmp_path / "people.csv").write_text("to,name\nu1,Ana\n", encoding="utf-8")
    assert compile_spec(spec)["messages"][0]["destinations"] == [{"to": "u1"}]


def test_empty_inline_audience(tmp_path):
    text = SPEC.replace("audience: people.csv", "audience: []")
    diags = lint(text, filename="s.viber.yaml")
    assert [(d.code, d.line) for d in diags] == [("VB705", 5)]
