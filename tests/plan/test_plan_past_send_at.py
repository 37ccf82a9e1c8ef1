"""A send_at already in the past: lint says Infobip will send at once (VB404), so the plan
starts now, not at that past date, and says why."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from click.testing import CliRunner

from vibespec.api import lint
from vibespec.cli.app import cli
from vibespec.api import plan

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

PAST = """\
vibespec: 1
send_at: 2026-11-20T10:00:00+01:00
speed_limit: 1/hour
defaults:
  sender: DemoBot
  validity: 12h
  window: {days: daily, from: "06:00", to: "20:00"}
messages:
  - to: [u1, u2, u3]
    text: Hi
"""


def test_past_send_at_plans_from_now():
    p = plan(PAST, now=NOW)
    assert p.start == NOW and p.start_source == "now"
    assert p.send_at == datetime(2026, 11, 20, 9, tzinfo=UTC) and p.send_at_past
    assert p.first_send == NOW and p.sent == 3 and p.expired == 0
    assert any("is in the past" in n and "starts now" in n for n in p.notes)
    d = p.to_dict()
    assert d["start"] == "2026-11-25T12:00:00Z" and d["send_at"] == "2026-11-20T09:00:00Z"


def test_future_send_at_is_still_the_start():
    p = plan(PAST.replace("2026-11-20", "2026-11-30"), now=NOW)
    assert p.start == p.send_at == datetime(2026, 11, 30, 9, tzinfo=UTC) and p.start_source == "send_at"
    assert not p.send_at_past and not any("in the past" in n for n in p.notes)


def test_lint_gives_send_at_in_past_and_no_window_finding_about_the_past_date():
    # 2026-11-20 09:00 UTC is inside the window, now (12:00) too; at 21:00 UTC now is outside:
    # VB454 would talk about send_at while sending really starts now
    late = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    codes = [d.code for d in lint(PAST, filename="p.viber.yaml", now=late)]
    assert "VB404" in codes and "VB454" not in codes
    p = plan(PAST, now=late)
    assert p.first_send == datetime(2026, 11, 26, 6, tzinfo=UTC)  # the window opens next at 06:00 UTC


def test_cli_text_says_why_it_starts_now(tmp_path):
    f = tmp_path / "p.viber.yaml"
    f.write_text(PAST)
    r = CliRunner().invoke(cli, ["plan", str(f), "--now", "2026-11-25T12:00:00Z"])
    assert r.exit_code == 0, r.output
    assert "[now: send_at 2026-11-20 09:00 UTC is in the past, Infobip sends at once]" in r.output
    r = CliRunner().invoke(cli, ["plan", str(f), "--format", "json", "--now", "2026-11-25T12:00:00Z"])
    assert json.loads(r.output)["start_source"] == "now"
