"""``vibespec trace`` on a window field says that the value is UTC, converted from the
spec's local time, with the zone, its offset and the date used (issue 14)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from vibespec.cli.app import cli

SPEC = """\
vibespec: 1
{send_at}timezone: America/New_York
messages:
  - to: bot-user-1
    sender: DemoBot
    text: hi
    window: {{days: [mon, fri], from: "{frm}", to: "23:30"}}
"""


def _trace(tmp_path, send_at: str, pointer: str, *extra: str, frm: str = "17:00"):
    p = tmp_path / "w.viber.yaml"
    p.write_text(SPEC.format(send_at=send_at, frm=frm))
    r = CliRunner().invoke(cli, ["trace", str(p), pointer, "--now", "2026-07-01T12:00:00Z", *extra])
    assert r.exit_code == 0, r.output
    return r.output


def test_window_field_names_zone_offset_and_send_at_date(tmp_path):
    out = _trace(tmp_path, "send_at: 2026-12-01T08:00:00\n", "/messages/0/options/deliveryTimeWindow/from")
    assert '"hour": 22' in out and "(UTC)" in out
    assert "17:00-23:30 is local time in America/New_York (UTC-05:00 on 2026-12-01)" in out
    assert "sent as 22:00-04:30 UTC" in out and "the send_at date" in out


def test_window_without_send_at_uses_compile_date(tmp_path):
    out = _trace(tmp_path, "", "/messages/0/options/deliveryTimeWindow", frm="21:00")
    assert "America/New_York (UTC-04:00 on 2026-07-01)" in out  # summer time on the compile date
    assert "the compile date, as there is no send_at" in out
    assert "days mon,fri -> tue,sat" in out


def test_window_conversion_in_json(tmp_path):
    out = json.loads(_trace(tmp_path, "send_at: 2026-12-01T08:00:00\n", "/messages/0/options/deliveryTimeWindow/to",
                            "--format", "json"))
    c = out["window_conversion"]
    assert c["zone"] == "America/New_York" and c["offset"] == "UTC-05:00" and c["date"] == "2026-12-01"
    assert c["date_source"] == "send_at" and c["local_to"] == "23:30" and c["utc_to"] == "04:30"


def test_no_conversion_note_for_utc_windows_or_other_fields(tmp_path):
    p = tmp_path / "u.viber.yaml"
    p.write_text('vibespec: 1\nmessages:\n  - {to: b, sender: S, text: hi, window: {from: "08:00", to: "20:00"}}\n')
    r = CliRunner().invoke(cli, ["trace", str(p), "/messages/0/options/deliveryTimeWindow/from"])
    assert r.exit_code == 0 and "converted" not in r.output
    out = _trace(tmp_path, "send_at: 2026-12-01T08:00:00\n", "/messages/0/content/text")
    assert "converted" not in out
