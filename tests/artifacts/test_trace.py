"""``vibespec trace SPEC POINTER`` and ``vibespec compile --annotate``: where a body field comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.cli.app import cli

SPEC = """\
vibespec: 1
bulk_id: spring-2027
defaults:
  sender: DemoBot
  validity: 30m
  window: {days: weekdays, from: "06:00", to: "15:30"}
  webhooks:
    delivery: https://www.example.com/dlr
    content_type: json
messages:
  - id: welcome
    to: [bot-user-1, bot-user-2]
    text: Welcome to Demo!
  - id: offer
    to: bot-user-3
    validity: 2h
    window: {days: weekends}
    image: {url: https://cdn.example.com/p.png, caption: Sale}
"""

TEMPLATE_SPEC = """\
vibespec: 1
defaults: {sender: AcmeBot, validity: 30m}
templates:
  reminder:
    text: "Your appointment is tomorrow."
    validity: 2h
messages:
  - template: reminder
    to: bot-user-1
  - template: reminder
    to: bot-user-2
    validity: 4h
"""

NOW = "2026-11-25T12:00:00Z"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == nth:
                return n, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    p = tmp_path / "promo.viber.yaml"
    p.write_text(SPEC, encoding="utf-8")
    return p


def trace(spec: Path, pointer: str, *extra: str):
    return run("trace", str(spec), pointer, "--now", NOW, *extra)


def test_value_from_defaults(spec: Path):
    r = trace(spec, "/messages/0/options/validityPeriod")
    assert r.exit_code == 0, r.output
    line, col = pos(SPEC, "30m")
    lines = r.stdout.splitlines()
    assert lines[0] == "/messages/0/options/validityPeriod"
    assert lines[1] == '  value: {"amount": 30, "timeUnit": "MINUTES"}'
    assert lines[2] == f"  {spec}:{line}:{col}  (defaults)  <- wins"
    assert lines[3].endswith(f"{line} |   validity: 30m")
    assert lines[4].endswith("|" + " " * col + "^^^")
    assert "(message)" not in r.stdout


def test_message_overrides_defaults_most_specific_first(spec: Path):
    r = trace(spec, "/messages/1/options/validityPeriod/amount")
    assert r.exit_code == 0, r.output
    m_line, m_col = pos(SPEC, "validity: 2h")
    d_line, d_col = pos(SPEC, "validity: 30m")
    out = r.stdout
    win = f"  {spec}:{m_line}:{m_col + len('validity: ')}  (message)  <- wins"
    lost = f"  {spec}:{d_line}:{d_col + len('validity: ')}  (defaults)  overridden"
    assert win in out and lost in out
    assert out.index(win) < out.index(lost)
    assert "message wins: it overrides defaults" in out


def test_mapping_merged_from_message_and_defaults(spec: Path):
    r = trace(spec, "/messages/1/options/deliveryTimeWindow")
    assert r.exit_code == 0, r.output
    assert '"days": ["SATURDAY", "SUNDAY"]' in r.stdout
    m_line, _ = pos(SPEC, "window: {days: weekends}")
    d_line, _ = pos(SPEC, "window: {days: weekdays")
    assert f"{spec}:{m_line}:5  (message)  <- wins" in r.stdout
    assert f"{spec}:{d_line}:3  (defaults)  merged" in r.stdout
    # a key only the defaults have comes from the defaults alone
    r = trace(spec, "/messages/1/options/deliveryTimeWindow/from/hour")
    line, col = pos(SPEC, '"06:00"')
    assert f"{spec}:{line}:{col}  (defaults)  <- wins" in r.stdout
    assert "(message)" not in r.stdout


def test_top_level_value(spec: Path):
    r = trace(spec, "/options/schedule/bulkId")
    assert r.exit_code == 0, r.output
    line, col = pos(SPEC, "spring-2027")
    assert f"{spec}:{line}:{col}  (spec)  <- wins" in r.stdout


def test_json_format(spec: Path):
    r = trace(spec, "/messages/1/options/validityPeriod", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["pointer"] == "/messages/1/options/validityPeriod"
    assert data["value"] == {"amount": 2, "timeUnit": "HOURS"}
    assert [(o["layer"], o["role"], o["spec_path"]) for o in data["origins"]] == [
        ("message", "wins", "/messages/1/validity"), ("defaults", "overridden", "/defaults/validity")]
    assert data["origins"][0]["line"] == pos(SPEC, "validity: 2h")[0]
    assert data["origins"][1]["source"] == "  validity: 30m"


def test_toml_spec(tmp_path: Path):
    p = tmp_path / "t.viber.toml"
    text = '''vibespec = 1

[defaults]
sender = "TomlBot"

[[messages]]
to = "bot-user-1"
text = "Hi"
'''
    p.write_text(text, encoding="utf-8")
    r = trace(p, "/messages/0/sender")
    assert r.exit_code == 0, r.output
    line, col = pos(text, '"TomlBot"')
    assert f"{p}:{line}:{col}  (defaults)  <- wins" in r.stdout


def test_pointer_not_in_body_lists_nearest(spec: Path):
    r = trace(spec, "/messages/0/options/validity")
    assert r.exit_code == 1
    assert "/messages/0/options/validity is not in the body" in r.stderr
    nearest = [ln.strip() for ln in r.stderr.splitlines() if ln.startswith("  /")]
    assert nearest[0] == "/messages/0/options/validityPeriod"
    r = trace(spec, "/messages/7/sender")
    assert r.exit_code == 1
    assert "/messages/0" in r.stderr and "/messages/1" in r.stderr


def test_pointer_forms(spec: Path):
    for p in ("messages/0/sender", "#/messages/0/sender"):
        r = trace(spec, p)
        assert r.exit_code == 0, r.output
        assert r.stdout.startswith("/messages/0/sender\n")


def test_bad_spec_prints_diagnostics(tmp_path: Path):
    p = tmp_path / "bad.viber.yaml"
    p.write_text(SPEC.replace("text: Welcome", "txet: Welcome"), encoding="utf-8")
    r = trace(p, "/messages/0/sender")
    assert r.exit_code == 1
    assert "VB101" in r.stderr


def test_unreadable_spec_exits_2(tmp_path: Path):
    r = trace(tmp_path / "nope.viber.yaml", "/messages/0/sender")
    assert r.exit_code == 2
    assert "nope.viber.yaml" in r.stderr


def test_trace_through_a_template(tmp_path: Path):
    p = tmp_path / "tpl.viber.yaml"
    p.write_text(TEMPLATE_SPEC, encoding="utf-8")
    probe = run("compile", str(p), "--now", NOW)
    if probe.exit_code != 0:
        pytest.skip("the compiler does not lower templates yet")
    r = trace(p, "/messages/0/options/validityPeriod")
    assert r.exit_code == 0, r.output
    t_line, _ = pos(TEMPLATE_SPEC, "validity: 2h")
    d_line, _ = pos(TEMPLATE_SPEC, "validity: 30m")
    assert f"{p}:{t_line}:" in r.stdout and "(template reminder)  <- wins" in r.stdout
    assert f"{p}:{d_line}:" in r.stdout and "(defaults)  overridden" in r.stdout
    r = trace(p, "/messages/1/options/validityPeriod")
    m_line, _ = pos(TEMPLATE_SPEC, "validity: 4h")
    lines = [ln for ln in r.stdout.splitlines() if "  (" in ln]
    assert lines[0].startswith(f"  {p}:{m_line}:") and "(message)  <- wins" in lines[0]
    assert "(template reminder)  overridden" in lines[1]
    assert "(defaults)  overridden" in lines[2]


# --------------------------------------------------------------------------- annotate


def test_annotate_shows_origins_and_the_defaults_chain(spec: Path):
    r = run("compile", "--annotate", str(spec), "--now", NOW)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    d_line, d_col = pos(SPEC, "DemoBot")
    sender = [ln for ln in lines if '"sender": "DemoBot"' in ln]
    assert len(sender) == 2 and all(ln.endswith(f"// {spec}:{d_line}:{d_col} (defaults)") for ln in sender)
    m_line, m_col = pos(SPEC, "2h")
    dv_line, dv_col = pos(SPEC, "30m")
    amount = next(ln for ln in lines if '"amount": 2,' in ln)
    assert amount.endswith(f"// {spec}:{m_line}:{m_col} (message; overrides defaults {dv_line}:{dv_col})")
    text = next(ln for ln in lines if '"text": "Welcome to Demo!"' in ln)
    t_line, t_col = pos(SPEC, "Welcome to Demo!")
    assert text.endswith(f"// {spec}:{t_line}:{t_col}")


def test_plain_output_stays_exact_json(spec: Path, tmp_path: Path):
    plain = run("compile", str(spec), "--now", NOW)
    assert plain.exit_code == 0
    assert "//" not in plain.stdout.replace("https://", "")
    body = json.loads(plain.stdout)
    annotated = run("compile", "--annotate", str(spec), "--now", NOW).stdout
    # the annotated text is the same JSON once the comments are stripped
    stripped = "\n".join(ln.split("  // ")[0].rstrip() for ln in annotated.splitlines())
    assert json.loads(stripped) == body


def test_trace_names_the_audience_rows(tmp_path: Path):
    (tmp_path / "people.csv").write_text("to,name\nu1,Ann\nu2,Bob\nu3,Ann\n", encoding="utf-8")
    p = tmp_path / "aud.viber.yaml"
    text = """\
vibespec: 1
defaults: {sender: AcmeBot}
templates:
  hi:
    text: "Hi {{ name }}"
audience: people.csv
messages:
  - template: hi
    to: audience
"""
    p.write_text(text, encoding="utf-8")
    probe = run("compile", str(p), "--now", NOW)
    if probe.exit_code != 0 or len(json.loads(probe.stdout)["messages"]) != 2:
        pytest.skip("the compiler does not render audiences yet")
    r = trace(p, "/messages/0/content/text")
    assert r.exit_code == 0, r.output
    line, col = pos(text, '"Hi {{ name }}"')
    assert f"{p}:{line}:{col}  (template hi)  <- wins" in r.stdout
    assert "people.csv:2  u1,Ann" in r.stdout and "people.csv:4  u3,Ann" in r.stdout
    r = trace(p, "/messages/0/destinations/1/to", "--format", "json")
    rows = json.loads(r.stdout)["audience_rows"]
    assert [row["line"] for row in rows] == [4]
