"""The YAML and TOML writers: whatever they write loads back (through vibespec.source and
through other readers) to exactly the data given, for any text hypothesis can think of."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vibespec.compiler.importer import first_difference, import_body
from vibespec.compiler.specwriter import to_toml, to_yaml
from vibespec.source import load

from importer_cases import HAVE_TOML_LOADER, compile_text


def yaml11_load(text: str):
    """A YAML 1.1 reader (yes/no/on/off are booleans, 0777 is octal, 1:20 is sexagesimal), as
    many editors and older tools read specs: ruamel.yaml in its 1.1 mode, pure Python."""
    from ruamel.yaml import YAML

    reader = YAML(typ="safe", pure=True)
    reader.version = (1, 1)
    return reader.load(text)

TRICKY = ["", " ", "yes", "No", "on", "OFF", "y", "n", "null", "~", "true", "False", "06:00", "6:00", "1:30:00",
          "0x1F", "0o17", "0b101", "1_000", "1e5", ".5", "+1", "-1", "012", ".inf", "-.INF", ".nan", "2026-12-01",
          "2026-12-01T09:00:00+01:00", "<<", "=", "- a", "? a", ": a", "a: b", "a #b", "#a", "a:", "[a]", "{a}",
          "a, b", "&a", "*a", "!a", "|", ">", "'", '"', "%a", "@a", "`a", " lead", "trail ", "tab\there",
          "line\nbreak", "line\n", "line\n\n", "\nlead", "\u2028", "\x85", "\ufeff", "\x00", "\x7f", "emoji 👋",
          "https://example.com/a?b=c#d", "41793026727", "+385911234567", "#FFFFFF", "30m", "5MiB", "30/hour",
          "a\\b", "---", "...", "- ", "  \n  ", "x\n  y", "\n", "a\r\nb", "a\u00a0", "\u00a0"]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
keys = st.one_of(st.sampled_from(["sender", "to", "text", "from", "a-b", "x y", "1", "true"]), text)
scalars = st.one_of(text, st.sampled_from(TRICKY), st.integers(-(2**63), 2**63 - 1), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


def _yaml_load(text: str):
    return load(text, "x.viber.yaml").data


@pytest.mark.parametrize("s", TRICKY)
def test_tricky_strings_yaml(s):
    spec = {"vibespec": 1, "messages": [{"text": s, "to": [s, s], "window": {"from": s}}], s: {s: s}}
    out = to_yaml(spec)
    assert _yaml_load(out) == spec
    assert yaml11_load(out) == spec  # a YAML 1.1 reader agrees


@pytest.mark.parametrize("s", TRICKY)
def test_tricky_strings_toml(s):
    spec = {"vibespec": 1, "messages": [{"text": s, "to": [s, s], "window": {"from": s}}], s: {s: s}}
    out = to_toml(spec)
    assert tomllib.loads(out) == spec
    if HAVE_TOML_LOADER:
        assert load(out, "x.viber.toml").data == spec


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, data, max_size=5))
def test_any_data_yaml(d):
    out = to_yaml(d)
    assert _yaml_load(out) == d if d else True
    assert yaml11_load(out) == (d or None)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, data, max_size=5), st.lists(st.dictionaries(keys, data, max_size=4), max_size=3))
def test_any_data_toml(d, messages):
    spec = dict(d)
    spec["messages"] = messages
    spec["defaults"] = d
    out = to_toml(spec)
    assert tomllib.loads(out) == spec
    if HAVE_TOML_LOADER:
        assert load(out, "x.viber.toml").data == spec


def test_floats_read_as_floats_everywhere():
    spec = {"a": [1e-05, 1e16, -1.5e-07, 45.0, 0.1]}
    out = to_yaml(spec)
    assert "1.0e-05" in out and "1.0e+16" in out
    assert yaml11_load(out) == spec == _yaml_load(out)


def test_lone_surrogate_is_refused():
    with pytest.raises(ValueError, match="surrogate"):
        to_yaml({"a": "\ud800"})
    with pytest.raises(ValueError, match="surrogate"):
        to_toml({"a": "\ud800"})


def test_toml_refuses_huge_integers():
    with pytest.raises(ValueError, match="64-bit"):
        to_toml({"a": 2**64})


def test_yaml_layout_reads_like_the_dsl():
    spec = {"vibespec": 1, "defaults": {"sender": "DemoBot", "window": {"days": "weekdays", "from": "06:00"}},
            "messages": [{"to": ["a", "b"], "text": "Hi\nthere"}]}
    assert to_yaml(spec).splitlines()[1:] == [
        "vibespec: 1",
        "defaults:",
        "  sender: DemoBot",
        '  window: {days: weekdays, from: "06:00"}',
        "messages:",
        "  - to: [a, b]",
        "    text: |-",
        "      Hi",
        "      there",
    ]


def test_toml_layout():
    spec = {"vibespec": 1, "defaults": {"sender": "DemoBot"},
            "messages": [{"to": "a", "text": "Hi", "failover": {"sms": {"text": "x" * 100}}}]}
    assert to_toml(spec).splitlines()[1:] == [
        "vibespec = 1", "", "[defaults]", 'sender = "DemoBot"', "", "[[messages]]", 'to = "a"', 'text = "Hi"', "",
        "[messages.failover.sms]", f'text = "{"x" * 100}"',
    ]


# --------------------------------------------------------------------------- generated bodies

ids = st.one_of(st.sampled_from(["bot-user-1", "66855538125", "yes", "06:00", "", " x", "#1"]), text)
destinations = st.lists(st.fixed_dictionaries({"to": ids}, optional={"messageId": ids}), min_size=1, max_size=4)
durations = st.fixed_dictionaries({"amount": st.integers(0, 10**6),
                                   "timeUnit": st.sampled_from(["SECONDS", "MINUTES", "HOURS"])})
hm = st.fixed_dictionaries({"hour": st.integers(0, 23), "minute": st.integers(0, 59)})
day_sets = st.sets(st.integers(0, 6)).map(
    lambda s: [("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")[i] for i in sorted(s)])
contents = st.one_of(
    st.fixed_dictionaries({"text": text, "type": st.just("TEXT")}),
    st.fixed_dictionaries({"url": text}, optional={"text": text, "thumbnailUrl": text}).map(
        lambda d: {**d, "type": "IMAGE"}),
    st.fixed_dictionaries({"url": text, "size": st.integers(0, 2**31 - 1)},
                          optional={"duration": st.integers(0, 10**4)}).map(
        lambda d: {"url": d["url"], "size": d["size"], **({"duration": d["duration"]} if "duration" in d else {}),
                   "type": "VIDEO"}),
    st.fixed_dictionaries({"fileName": text, "url": text, "size": st.integers(0, 2**31 - 1), "type": st.just("FILE")}),
    st.fixed_dictionaries({"stickerId": st.integers(0, 2**62), "type": st.just("STICKER")}),
)


def _options(d):
    out = {}
    for k in ("validityPeriod", "deliveryTimeWindow", "campaignReferenceId"):
        if k in d:
            out[k] = d[k]
    return out


options = st.fixed_dictionaries({}, optional={
    "validityPeriod": durations,
    "deliveryTimeWindow": st.fixed_dictionaries({"days": day_sets}, optional={"from": hm, "to": hm}).map(
        lambda w: {k: w[k] for k in ("days", "from", "to") if k in w}),
    "campaignReferenceId": text}).map(_options)
messages = st.builds(lambda s, d, c, o: {"sender": s, "destinations": d, "content": c, **({"options": o} if o else {})},
                     st.sampled_from(["Bot", "Other"]), destinations, contents, options)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages, min_size=1, max_size=4), st.sampled_from(["yaml", "toml"]))
def test_generated_bodies_round_trip(msgs, fmt):
    body = {"messages": msgs}
    spec = import_body(body)
    out = to_yaml(spec) if fmt == "yaml" else to_toml(spec)
    # generated dicts are not in Infobip's key order: compare as data
    assert first_difference(compile_text(out, fmt), body) is None
