"""``-q/--quiet`` prints only the diagnostics: no summary line (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
WIRE = ROOT / "tests" / "wire" / "fixtures"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def invoke(*args):
        r = CliRunner().invoke(cli, list(args))
        assert "Traceback" not in r.output
        return r

    return invoke


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_lint_quiet_has_no_summary(run, fmt):
    r = run("lint", "--no-cache", "--format", fmt, str(ROOT / "examples" / "text.viber.yaml"))
    assert "All checks passed" in r.output
    r = run("lint", "--no-cache", "-q", "--format", fmt, str(ROOT / "examples" / "text.viber.yaml"))
    assert r.exit_code == 0 and r.output == ""


def test_lint_quiet_keeps_diagnostics(run):
    r = run("lint", "--no-cache", "-q", "--format", "concise", str(ROOT / "tests" / "fixtures" / "failing.viber.yaml"))
    assert r.exit_code == 1
    assert "VB" in r.output and "Found" not in r.output


def test_check_quiet(run):
    r = run("check", "-q", str(ROOT / "examples" / "text.json"))
    assert r.exit_code == 0 and r.output == ""


@pytest.mark.parametrize("cmd,name", [("inbound", "inbound_all_events.json"), ("reports", "reports_delivered.xml")])
def test_wire_quiet(run, cmd, name):
    r = run(cmd, str(WIRE / name))
    assert "All checks passed" in r.output or "Found" in r.output
    r = run(cmd, "--quiet", str(WIRE / name))
    assert r.exit_code == 0 and r.output == ""
