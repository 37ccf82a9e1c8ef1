"""The delivery plan: simulation semantics, DST edges, half-hour zones, midnight crossings,
speed limits per minute/hour/day, windows on some days, the CLI, the chart and speed."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import vibespec
from vibespec.api import lint
from vibespec.api import plan
from vibespec.planner import Plan, plan_body
from vibespec.planner.simulate import UtcWindow

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def spec(body: str) -> str:
    return "vibespec: 1\n" + body


def users(n: int) -> str:
    return "[" + ", ".join(f"u{i}" for i in range(n)) + "]"


def codes(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for d in lint(text, filename="t.viber.yaml", now=NOW):
        if d.code.startswith("VB45"):
            out.setdefault(d.code, []).append(d.line)
    return out


# --------------------------------------------------------------------------- API


def test_library_entry_points_stay_functions_after_every_module_is_imported():
    import vibespec.api  # noqa: F401
    import vibespec.compiler.lower  # noqa: F401
    import vibespec.planner  # noqa: F401

    assert callable(vibespec.compile) and callable(vibespec.lint) and callable(vibespec.validate_payload)

    p = vibespec.plan(spec("send_at: 2026-12-01T09:00:00Z\nmessages:\n  - {to: a, sender: B, text: hi}\n"), now=NOW)
    assert isinstance(p, Plan)
    assert p.first_send == datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_no_send_at_starts_now():
    p = plan(spec("messages:\n  - {to: [a, b], sender: B, text: hi}\n"), now=NOW)
    assert p.start == NOW and p.start_source == "now"
    assert p.sent == 2 and p.first_send == p.last_send == NOW
    assert p.duration == timedelta(0)


def test_structural_errors_raise():
    with pytest.raises(vibespec.VibespecError):
        plan(spec("messages:\n  - {to: a, text: hi}\n"), now=NOW)  # no sender


def test_to_dict_is_json():
    p = plan(spec("send_at: 2026-12-01T09:00:00Z\nspeed_limit: 1/minute\n"
                  f"messages:\n  - {{id: m, to: {users(3)}, sender: B, text: hi}}\n"), now=NOW)
    d = json.loads(json.dumps(p.to_dict()))
    assert d["first_send"] == "2026-12-01T09:00:00Z" and d["last_send"] == "2026-12-01T09:02:00Z"
    assert d["messages"][0]["id"] == "m" and d["messages"][0]["sent"] == 3
    assert d["per_day"] == [{"date": "2026-12-01", "sent": 3}]
    assert d["duration_seconds"] == 120


# --------------------------------------------------------------------------- speed limits


@pytest.mark.parametrize("limit,step", [("2/minute", timedelta(minutes=1)), ("2/hour", timedelta(hours=1)),
                                        ("2/day", timedelta(days=1))])
def test_speed_limit_units(limit, step):
    p = plan(spec(f"send_at: 2026-12-01T09:00:00Z\nspeed_limit: {limit}\n"
                  f"messages:\n  - {{to: {users(4)}, sender: B, text: hi}}\n"), now=NOW)
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert p.sent == 4 and p.expired == 0
    assert p.first_send == start
    assert p.last_send == start + step  # 2 + 2
    if step == timedelta(hours=1):
        assert [n for _h, n in p.per_hour if n] == [2, 2]


def test_speed_limit_is_request_wide_and_in_body_order():
    p = plan(spec("send_at: 2026-12-01T09:00:00Z\nspeed_limit: 3/hour\ndefaults: {sender: B}\nmessages:\n"
                  "  - {id: one, to: [a, b], text: x}\n  - {id: two, to: [c, d, e], text: y}\n"), now=NOW)
    one, two = p.messages
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert (one.first_send, one.last_send) == (start, start)
    assert two.first_send == start and two.last_send == start + timedelta(hours=1)
    assert p.per_hour[0] == (start, 3) and p.per_hour[1] == (start + timedelta(hours=1), 2)


def test_closed_window_does_not_hold_up_other_messages():
    p = plan(spec("send_at: 2026-12-01T09:00:00Z\nspeed_limit: 10/hour\ndefaults: {sender: B}\nmessages:\n"
                  "  - {id: later, to: [a, b], text: x, window: {days: daily, from: '12:00', to: '13:00'}}\n"
                  "  - {id: now, to: [c], text: y}\n"), now=NOW)
    later, now_ = p.messages
    assert now_.first_send == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert later.first_send == datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_validity_expiry_counts():
    p = plan(spec("send_at: 2026-12-01T09:00:00Z\nspeed_limit: 10/hour\ndefaults: {sender: B, validity: 1h}\n"
                  f"messages:\n  - {{to: {users(50)}, text: x}}\n"), now=NOW)
    assert (p.sent, p.expired) == (10, 40)


def test_validity_is_capped_at_48h():
    p = plan(spec("send_at: 2026-12-01T09:00:00Z\nspeed_limit: 1/day\ndefaults: {sender: B, validity: 72h}\n"
                  f"messages:\n  - {{to: {users(5)}, text: x}}\n"), now=NOW)
    assert p.messages[0].validity == timedelta(hours=48) and p.messages[0].validity_source == "capped"
    assert p.sent == 2  # day 0 and day 1; day 2 starts exactly when validity ends


# --------------------------------------------------------------------------- windows


def test_window_on_some_days_only():
    # Wednesday 2026-12-02; the window is Tue/Thu only -> Thursday 10:00 UTC
    p = plan(spec("send_at: 2026-12-02T12:00:00Z\ndefaults: {sender: B}\n"
                  "messages:\n  - {to: a, text: x, window: {days: [tue, thu], from: '10:00', to: '18:00'}}\n"), now=NOW)
    assert p.first_send == datetime(2026, 12, 3, 10, tzinfo=UTC)
    assert codes(spec("send_at: 2026-12-02T12:00:00Z\ndefaults: {sender: B}\n"
                      "messages:\n  - {to: a, text: x, window: {days: [tue, thu], from: '10:00', to: '18:00'}}\n")) \
        == {"VB454": [2]}


def test_window_days_only_is_whole_day():
    p = plan(spec("send_at: 2026-12-05T10:00:00Z\ndefaults: {sender: B}\n"
                  "messages:\n  - {to: a, text: x, window: {days: weekdays}}\n"), now=NOW)
    assert p.first_send == datetime(2026, 12, 7, 0, tzinfo=UTC)


def _open_at(w: UtcWindow, t: datetime) -> bool:
    return w.earliest_open(t, t + timedelta(microseconds=1)) == t


def test_utc_window_crossing_midnight_opens_on_listed_day_and_closes_next_day():
    w = UtcWindow(frozenset({0}), 22 * 60, 2 * 60)  # Monday 22:00 -> Tuesday 02:00
    mon = datetime(2026, 11, 30, tzinfo=UTC)
    assert _open_at(w, mon + timedelta(hours=23))
    assert _open_at(w, mon + timedelta(hours=25))  # Tuesday 01:00
    assert not _open_at(w, mon + timedelta(hours=1))  # Monday 01:00 belongs to Sunday's window
    assert w.earliest_open(mon) == mon + timedelta(hours=22)


def test_half_hour_zone_window_crosses_midnight_utc():
    text = spec("send_at: 2026-12-01T04:30:00+05:30\ntimezone: Asia/Kolkata\ndefaults: {sender: B}\n"
                "messages:\n  - {to: a, text: x, window: {days: weekdays, from: '04:00', to: '10:00'}}\n")
    from vibespec.api import compile as compile_spec

    body = compile_spec(text, now=NOW)
    w = body["messages"][0]["options"]["deliveryTimeWindow"]
    assert w["from"] == {"hour": 22, "minute": 30} and w["to"] == {"hour": 4, "minute": 30}
    assert w["days"] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "SUNDAY"]
    p = plan(text, now=NOW)
    # Tuesday 04:30 local = Monday 23:00 UTC, inside Monday's 22:30-04:30 UTC window
    assert p.first_send == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert codes(text) == {"VB453": [6]}
    msg = [d for d in lint(text, now=NOW) if d.code == "VB453"][0].message
    assert "from 22:30, to 04:30" in msg and "SUNDAY" in msg


def test_kolkata_has_no_dst_note():
    text = spec("timezone: Asia/Kolkata\ndefaults: {sender: B}\n"
                "messages:\n  - {to: a, text: x, window: {days: weekdays, from: '09:00', to: '17:00'}}\n")
    assert "VB455" not in codes(text)


# --------------------------------------------------------------------------- DST


def _dst_spec(send_at: str, zone: str, limit: str = "1/day") -> str:
    return spec(f"send_at: {send_at}\nspeed_limit: {limit}\ntimezone: {zone}\ndefaults: {{sender: B}}\n"
                "messages:\n  - {to: [a, b], text: x, window: {days: daily, from: '09:00', to: '17:00'}}\n")


def test_dst_europe_and_america_switch_on_different_dates():
    # 2027-03-13 -> 14: New York switches (second Sunday of March), Berlin does not (last Sunday)
    ny = _dst_spec("2027-03-13T10:00:00-05:00", "America/New_York")
    be = _dst_spec("2027-03-13T10:00:00+01:00", "Europe/Berlin")
    assert codes(ny) == {"VB452": [7]}
    assert "VB452" not in codes(be)
    msg = [d for d in lint(ny, now=NOW) if d.code == "VB452"][0].message
    assert "2027-03-14" in msg and "10:00-18:00 local time" in msg and "UTC-04:00" in msg
    # two weeks later Berlin switches
    be2 = _dst_spec("2027-03-27T10:00:00+01:00", "Europe/Berlin")
    msg = [d for d in lint(be2, now=NOW) if d.code == "VB452"][0].message
    assert "2027-03-28" in msg and "10:00-18:00 local time" in msg


def test_dst_autumn_shift_is_an_hour_earlier():
    # Europe leaves summer time on 2027-10-31; Infobip's UTC window (07:00-15:00) is then 08:00-16:00 CET
    # (send_at is beyond 180 days from NOW, which only matters to VB403)
    text = _dst_spec("2027-10-30T10:00:00+02:00", "Europe/Berlin")
    msg = [d for d in lint(text, now=NOW) if d.code == "VB452"][0].message
    assert "2027-10-31" in msg and "08:00-16:00 local time" in msg


def test_dst_half_hour_zone_adelaide():
    text = _dst_spec("2027-04-03T10:00:00+10:30", "Australia/Adelaide")
    found = codes(text)
    assert found["VB452"] == [7] and found["VB453"] == [7]
    msg = [d for d in lint(text, now=NOW) if d.code == "VB452"][0].message
    assert "2027-04-04" in msg and "UTC+09:30" in msg and "08:00-16:00 local time" in msg


def test_no_dst_warning_when_campaign_ends_before_the_change():
    assert "VB452" not in codes(_dst_spec("2027-03-26T10:00:00+01:00", "Europe/Berlin"))


def test_compile_date_note_names_the_date_and_next_change():
    text = spec("timezone: America/New_York\ndefaults: {sender: B}\n"
                "messages:\n  - {to: a, text: x, window: {days: weekdays, from: '09:00', to: '17:00'}}\n")
    assert codes(text) == {"VB455": [5]}
    msg = [d for d in lint(text, now=NOW) if d.code == "VB455"][0].message
    assert "2026-11-25" in msg and "2027-03-14" in msg and "13:00-21:00 UTC" in msg


# --------------------------------------------------------------------------- lint lines


def test_expires_before_window_points_at_validity_or_window():
    with_validity = spec("send_at: 2026-11-27T18:00:00Z\ndefaults:\n  sender: B\n  validity: 2h\n"
                         "  window: {days: weekdays, from: '09:00', to: '17:00'}\nmessages:\n  - {to: a, text: x}\n")
    assert codes(with_validity) == {"VB450": [5], "VB454": [2]}
    default_validity = spec("send_at: 2026-11-30T08:00:00Z\nmessages:\n  - to: a\n    sender: B\n    text: x\n"
                            "    window: {days: [wed], from: '10:00', to: '12:00'}\n")
    assert codes(default_validity) == {"VB450": [7], "VB454": [2]}


def test_campaign_exceeds_validity_points_at_speed_limit_and_says_how_many():
    text = spec(f"send_at: 2026-12-01T09:00:00Z\nspeed_limit: 10/hour\ndefaults: {{sender: B, validity: 1h}}\n"
                f"messages:\n  - {{to: {users(50)}, text: x}}\n")
    assert codes(text) == {"VB451": [3]}
    d = [d for d in lint(text, now=NOW) if d.code == "VB451"][0]
    assert "40 of 50" in d.message and "50/hour" in d.help


def test_raw_body_has_no_plan_rules():
    from vibespec.api import validate_payload

    body = {"messages": [{"sender": "B", "destinations": [{"to": "a"}], "content": {"type": "TEXT", "text": "x"},
                          "options": {"validityPeriod": {"amount": 1, "timeUnit": "MINUTES"},
                                      "deliveryTimeWindow": {"days": ["SATURDAY"]}}}],
            "options": {"schedule": {"sendAt": "2026-12-01T09:00:00.000+0000"}}}
    assert not [d for d in validate_payload(body, now=NOW) if d.code.startswith("VB45")]
    # ...but the plan of a raw body works
    p = plan_body(body, None, now=NOW)
    assert p.expired == 1 and [w.code for w in p.warnings] == ["VB450", "VB454"]


# --------------------------------------------------------------------------- speed of the simulation


def test_100k_destinations_plan_fast():
    body = {"messages": [{"sender": "B", "destinations": [{"to": f"u{i}"} for i in range(100_000)],
                          "content": {"type": "TEXT", "text": "x"},
                          "options": {"deliveryTimeWindow": {"days": ["MONDAY", "TUESDAY", "WEDNESDAY"],
                                                             "from": {"hour": 8, "minute": 0},
                                                             "to": {"hour": 16, "minute": 0}}}}],
            "options": {"schedule": {"sendAt": "2026-12-01T08:00:00.000+0000",
                                     "sendingSpeedLimit": {"amount": 50, "timeUnit": "MINUTE"}}}}
    t = time.perf_counter()
    p = plan_body(body, None, now=NOW)
    assert time.perf_counter() - t < 0.5
    # 8h x 60 x 50 = 24,000 per day; Tue and Wed inside the 48 h validity
    assert p.sent == 48_000 and p.expired == 52_000
    assert p.per_day == {date(2026, 12, 1): 24_000, date(2026, 12, 2): 24_000}


def test_many_messages_plan_in_body_order():
    body = {"messages": [{"sender": "B", "destinations": [{"to": f"u{i}"}], "content": {"type": "TEXT", "text": "x"},
                          "options": {"validityPeriod": {"amount": 1 + i % 2, "timeUnit": "HOURS"}}}
                         for i in range(20_000)],
            "options": {"schedule": {"sendAt": "2026-12-01T08:00:00.000+0000",
                                     "sendingSpeedLimit": {"amount": 100, "timeUnit": "MINUTE"}}}}
    t = time.perf_counter()
    p = plan_body(body, None, now=NOW)
    assert time.perf_counter() - t < 2.0
    start = datetime(2026, 12, 1, 8, tzinfo=UTC)
    # body order across the two validity queues: message k leaves in minute k // 100
    for k in (0, 99, 100, 5_999):
        assert p.messages[k].first_send == start + timedelta(minutes=k // 100)
    # after 60 minutes the 1 h messages (even positions) expire; the 2 h ones go on in order
    assert p.messages[6_000].expired == 1 and p.messages[6_001].sent == 1
    for k in (6_001, 6_199, 6_201, 17_999):
        assert p.messages[k].first_send == start + timedelta(minutes=60 + (k - 6_001) // 2 // 100), k
    assert p.messages[18_001].expired == 1  # past the 2 h validity
    assert p.sent == 6_000 + 6_000 and p.expired == 8_000


# --------------------------------------------------------------------------- CLI and chart


def test_cli_text_json_chart(tmp_path):
    from vibespec.cli.app import cli

    f = tmp_path / "c.viber.yaml"
    f.write_text(spec(f"send_at: 2026-12-01T09:00:00+01:00\nspeed_limit: 40/hour\ntimezone: Europe/Berlin\n"
                      "defaults: {sender: B, window: {days: weekdays, from: '09:00', to: '17:00'}}\n"
                      f"messages:\n  - {{id: big, to: {users(700)}, text: x}}\n"))
    r = CliRunner().invoke(cli, ["plan", str(f), "--now", "2026-11-25T12:00:00Z"])
    assert r.exit_code == 0, r.output
    assert "first send  2026-12-01 Tue 08:00 UTC" in r.output and "expired 60" in r.output
    assert "VB451" in r.output
    chart = tmp_path / "out.svg"
    r = CliRunner().invoke(cli, ["plan", str(f), "--format", "json", "--chart", str(chart), "--now",
                                 "2026-11-25T12:00:00Z"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert d["sent"] == 640 and d["expired"] == 60
    svg = chart.read_text()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and svg.count("<rect") > 10
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)  # well-formed
    assert not list(tmp_path.glob(".vibespec-plan-*"))


def test_cli_exit_codes(tmp_path):
    from vibespec.cli.app import cli

    bad = tmp_path / "bad.viber.yaml"
    bad.write_text("vibespec: 1\nmessages:\n  - {to: a, text: x}\n")
    r = CliRunner().invoke(cli, ["plan", str(bad)])
    assert r.exit_code == 1 and "VB105" in r.output
    r = CliRunner().invoke(cli, ["plan", str(tmp_path / "missing.viber.yaml")])
    assert r.exit_code == 2
