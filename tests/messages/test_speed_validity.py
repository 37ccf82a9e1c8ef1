"""speed_limit per second says it is not supported and what is; ``unit`` and ``per`` are two
spellings of the same key in durations and speed limits (issue 14)."""

from __future__ import annotations

import pytest

from vibespec.api import compile_spec
from vibespec.spec.shorthand import ShorthandError, parse_duration, parse_speed


@pytest.mark.parametrize("value", ["100/sec", "100/s", "100 per second", {"amount": 100, "per": "second"}])
def test_per_second_says_not_supported_and_what_is(value):
    with pytest.raises(ShorthandError) as e:
        parse_speed(value)
    assert "per second is not supported" in e.value.message
    assert "6000/minute" in e.value.message
    assert "N/minute, N/hour, N/day" in e.value.help


def test_other_bad_units_unchanged():
    with pytest.raises(ShorthandError) as e:
        parse_speed("10/week")
    assert "second" not in e.value.message


def test_unit_and_per_are_one_key():
    assert parse_speed({"amount": 30, "unit": "hour"}) == parse_speed({"amount": 30, "per": "hour"})
    assert parse_duration({"amount": 2, "per": "hours"}) == parse_duration({"amount": 2, "unit": "hours"})
    for parse, v in ((parse_speed, {"amount": 1, "per": "hour", "unit": "hour"}),
                     (parse_duration, {"amount": 1, "per": "hours", "unit": "hours"})):
        with pytest.raises(ShorthandError, match="not both"):
            parse(v)


SPEC = """vibespec: 1
speed_limit: {{amount: 30, unit: hour}}
messages:
  - to: "385911234567"
    sender: Bot
    text: hi
    validity: {{amount: 2, per: hours}}
"""


def test_spec_compiles_with_either_spelling():
    r = compile_spec(SPEC.format(), filename="a.viber.yaml")
    assert not [d for d in r.diagnostics if d.severity == "error"], r.diagnostics
    body = r.body
    assert body["options"]["schedule"]["sendingSpeedLimit"] == {"amount": 30, "timeUnit": "HOUR"}
    assert body["messages"][0]["options"]["validityPeriod"] == {"amount": 2, "timeUnit": "HOURS"}


def test_spec_speed_per_second_diagnostic():
    r = compile_spec("vibespec: 1\nspeed_limit: 100/sec\nmessages:\n  - {to: '1', sender: B, text: hi}\n",
                     filename="a.viber.yaml")
    (d,) = [d for d in r.diagnostics if d.code == "VB111"]
    assert d.line == 2 and "per second is not supported" in d.message
