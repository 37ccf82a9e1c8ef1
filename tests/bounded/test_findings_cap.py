"""The findings shown per file are capped ([limits] max_findings, default 1,000); every
output format says how many were not shown (VB010), and the summary and exit code count
them all."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from vibespec.cli.app import cli
from vibespec.diagnostics import Diagnostic, Severity
from vibespec.output import cap_findings, write_report
from vibespec.rules import ALL_RULES

from gen import check_body, reports_json

FORMATS = ["full", "concise", "json", "sarif", "github"]


def _vb009(fmt: str, out: str) -> list[str]:
    """The messages of the VB010 notes in an output of ``fmt``."""
    if fmt == "json":
        return [d["message"] for d in json.loads(out) if d["code"] == "VB010"]
    if fmt == "sarif":
        return [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "VB010"]
    return [line for line in out.splitlines() if "VB010" in line]


def _shown(fmt: str, out: str, code: str) -> int:
    if fmt == "json":
        return sum(d["code"] == code for d in json.loads(out))
    if fmt == "sarif":
        return sum(r["ruleId"] == code for r in json.loads(out)["runs"][0]["results"])
    return len(re.findall(rf"\b{code}\b", out))


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_caps_findings_in_every_format(tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "b.json").write_text(check_body(40, 30))
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_findings = 12\n")
    r = CliRunner().invoke(cli, ["check", "b.json", "--format", fmt, "--color", "never"])
    assert r.exit_code == 1, r.output
    notes = _vb009(fmt, r.output)
    assert len(notes) == 1 and "18 more findings not shown" in notes[0], r.output[-2000:]
    assert _shown(fmt, r.output, "VB150") == 12
    if fmt in ("full", "concise"):
        assert "Found 30 problems (30 errors" in r.output


def test_default_cap_is_1000_for_reports(tmp_path):
    (tmp_path / "dlr.json").write_text(reports_json(1005, 1005))
    r = CliRunner().invoke(cli, ["reports", str(tmp_path / "dlr.json"), "--format", "json"])
    out = json.loads(r.output)
    assert sum(d["code"] == "VB812" for d in out) == 1000
    assert [d["message"] for d in out if d["code"] == "VB010"] == ["5 more findings not shown (limit: 1000 per file)"]
    assert out[-1]["code"] == "VB010"


def test_no_note_under_the_cap():
    ds = [Diagnostic("VB201", Severity.ERROR, "x", "a.yaml", i) for i in range(1, 4)]
    assert cap_findings(ds, 3) == ds
    out = io.StringIO()
    write_report(ds, out, "concise", max_findings=3)
    assert "VB010" not in out.getvalue()


def test_cap_keeps_errors_before_notes_and_is_per_file():
    ds = [Diagnostic("VB202", Severity.INFO, "note", "a.yaml", i) for i in range(1, 6)]
    ds.append(Diagnostic("VB201", Severity.ERROR, "err", "a.yaml", 9))
    ds += [Diagnostic("VB202", Severity.INFO, "note", "b.yaml", i) for i in range(1, 3)]
    got = cap_findings(ds, 2)
    a = [(d.code, d.line) for d in got if d.file == "a.yaml"]
    assert a[:2] == [("VB202", 1), ("VB201", 9)]
    assert a[2][0] == "VB010" and a[2][1] == 2  # at the first finding not shown
    assert [d.message for d in got if d.code == "VB010"] == ["4 more findings not shown (limit: 2 per file)"]
    assert [d.line for d in got if d.file == "b.yaml"] == [1, 2]


def test_vb009_is_declared():
    (rule,) = [r for r in ALL_RULES if r.code == "VB010"]
    assert rule.severity is Severity.INFO and rule.name == "findings-capped"
