"""A window written backwards in the author's own zone (issue: "from 20:00 to 08:00" passed the
default pre-commit hook with three overlapping warnings and infos): one error on ``to``."""

from __future__ import annotations

from datetime import datetime, timezone

from click.testing import CliRunner

from vibespec.api import lint, validate_payload
from vibespec.cli.app import cli
from vibespec.api import plan

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

NIGHT = """\
vibespec: 1
send_at: 2026-12-01T10:00:00+01:00
timezone: Europe/Berlin
defaults:
  sender: DemoBot
  window:
    days: daily
    from: "20:00"
    to: "08:00"
messages:
  - id: a
    to: u1
    text: Hi
"""


def test_backwards_window_is_one_error_on_to_line():
    diags = lint(NIGHT, filename="night.viber.yaml", now=NOW)
    assert [(d.code, d.severity.value, d.line) for d in diags] == [("VB456", "error", 9)]
    d = diags[0]
    assert "'to' 08:00 is earlier than 'from' 20:00 (Europe/Berlin)" in d.message
    assert 'write from: "08:00", to: "20:00"' in d.help


def test_backwards_window_fails_the_default_lint_run(tmp_path):
    f = tmp_path / "night.viber.yaml"
    f.write_text(NIGHT)
    r = CliRunner().invoke(cli, ["lint", "--no-cache", str(f)])
    assert r.exit_code == 1, r.output
    assert "VB456" in r.output and "VB429" not in r.output and "VB453" not in r.output and "VB454" not in r.output


def test_without_send_at_and_in_utc_still_one_finding_per_window():
    text = NIGHT.replace("send_at: 2026-12-01T10:00:00+01:00\n", "").replace("timezone: Europe/Berlin\n", "")
    codes = [d.code for d in lint(text, filename="t.viber.yaml", now=NOW) if d.code in ("VB429", "VB453", "VB454", "VB456")]
    assert codes == ["VB456"]


def test_converted_window_crossing_midnight_utc_is_not_backwards():
    text = NIGHT.replace("Europe/Berlin", "Asia/Kolkata").replace('"20:00"', '"04:00"').replace('"08:00"', '"10:00"')
    text = text.replace("+01:00", "+05:30")
    codes = {d.code for d in lint(text, filename="t.viber.yaml", now=NOW)}
    assert "VB456" not in codes and {"VB429", "VB453"} <= codes


def test_raw_body_keeps_the_warning():
    body = {"messages": [{"sender": "B", "destinations": [{"to": "u"}], "content": {"type": "TEXT", "text": "x"},
                          "options": {"deliveryTimeWindow": {"days": ["MONDAY"], "from": {"hour": 20, "minute": 0},
                                                             "to": {"hour": 8, "minute": 0}}}}]}
    codes = [d.code for d in validate_payload(body, now=NOW)]
    assert "VB429" in codes and "VB456" not in codes


def test_plan_shows_the_error_instead_of_the_overlapping_notes():
    p = plan(NIGHT, now=NOW)
    assert [w.code for w in p.warnings] == ["VB456"]
    assert p.warnings[0].severity == "error"
    assert p.warnings[0].path == ("messages", 0, "options", "deliveryTimeWindow", "to")
