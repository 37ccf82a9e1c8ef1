"""The pydantic-free validator (vibespec.spec.fast) against the pydantic models it is generated from.

Its contract: it accepts exactly what pydantic accepts, with equal values (so it never lets an
invalid spec through, and a valid spec never needs pydantic), and linting a valid spec never
loads pydantic (the single-spec start-up goal of issue 9)."""

from __future__ import annotations

from datetime import datetime, timezone
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import vibespec
from vibespec.compiler import lower
from vibespec.words import describe, kind_of
from vibespec.spec import _table, fast
from vibespec.spec import model as M

from table_values import SAMPLES, TableValues, plain

ROOT = Path(__file__).resolve().parents[1]

VALUES = TableValues(_table.MODELS, SAMPLES)
model_value = VALUES.model


def check_agrees(name: str, value) -> bool:
    """fast accepts exactly what pydantic accepts, with equal values (so a valid spec never
    needs pydantic, and an invalid one always reaches it). Returns whether fast accepted."""
    got = fast.validate(name, value)
    if got is None:
        try:
            getattr(M, name).model_validate(value)
        except ValidationError:
            return False
        pytest.fail(f"pydantic accepts {value!r} as {name}, the fast path gave up on it")
    try:
        ref = getattr(M, name).model_validate(value)
    except ValidationError as e:  # pragma: no cover - a failure shows the value
        pytest.fail(f"fast accepted {value!r} as {name}, pydantic refused: {e}")
    assert plain(got) == plain(ref), value
    return True


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Message", "SpecHeader", "Spec"])
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_accepts_what_pydantic_accepts(name, data):
    check_agrees(name, data.draw(model_value(name)))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_table.MODELS))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_model_agrees(name, data):
    check_agrees(name, data.draw(model_value(name)))


def test_fast_accepts_the_valid_spellings():
    """Not only refusals: aliases, shorthands and unions take the fast path."""
    msg = {"sender": "Bot", "id": 7, "vars": {"a": 1, "b": True, "c": 1.5, "d": "x"},
           "carousel": {"buttons_group_columns": 6, "buttons": [
               {"text": "Hi", "background": "#fff", "image": "https://x/i.png",
                "action": {"open_url": "https://x", "silent": True}},
               {"text": {"text": "x", "valign": "top", "size": "large", "fit": True},
                "action": {"open_map": {"latitude": 1, "lon": 2.5}}},
               {"action": {"none": True}}]},
           "validity": "30m", "window": {"days": "weekdays", "from": "09:00", "to": "17:00", "timezone": "UTC"},
           "failover": {"sms": {"text": "x", "destinations": {"b": "4179"}, "validity": "1h"}},
           "webhooks": {"delivery": "https://x/d", "content_type": "json"}}
    assert check_agrees("Message", msg)
    assert check_agrees("Message", {"sticker": 40133})
    assert check_agrees("Message", {"video": {"url": "u", "size": "5MB", "duration": "1m"}})
    assert check_agrees("SpecHeader", {"vibespec": 1, "send_at": "2026-12-01T09:00:00", "speed_limit": "30/hour",
                                        "timezone": "Europe/Zagreb", "messages": [{}]})
    # what pydantic refuses, fast leaves to pydantic
    for bad in ({"text": 3}, {"image": {"url": "u", "colour": 1}}, {"location": {"lat": 1}},
                {"display": {"avatar": "a", "avatar_url": "b"}}, {"id": True}, {"vars": {1: "x"}},
                {"sticker": True}, {"window": {"from": "25:00"}}):
        assert fast.validate("Message", bad) is None, bad


def test_table_aliases_match_the_models():
    from vibespec.docsgen import _collect_aliases

    assert _table.ALIASES == _collect_aliases()
    assert _table.MESSAGE_KEYS == tuple(M.Message.model_fields)


def _specs() -> list[Path]:
    out = sorted((ROOT / "examples").glob("*.viber.*"))
    out += sorted((ROOT / "tests" / "rules" / "cases").glob("*/*/*.viber.*"))
    out += sorted((ROOT / "tests" / "rules" / "cases").glob("*/*.viber.*"))
    return out


@pytest.mark.slow
def test_fast_and_pydantic_paths_give_the_same_results(monkeypatch):
    """Every example and rule case through the pipeline twice: fast path (its errors too), then
    pydantic only."""
    specs = _specs()
    assert len(specs) > 100
    first = {p: (vibespec.lint(p, now=NOW), _body(p)) for p in specs}
    monkeypatch.setattr(fast._SCHEMA, "validate", lambda model, value: None)
    monkeypatch.setattr(fast._SCHEMA, "explain", lambda model, value: None)
    for p in specs:
        assert (vibespec.lint(p, now=NOW), _body(p)) == first[p], p


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def _body(path: Path):
    try:
        return vibespec.compile(path, now=NOW)
    except vibespec.VibespecError as e:
        return [d.code for d in e.diagnostics]


def test_linting_a_valid_spec_does_not_load_pydantic():
    code = ("import sys, vibespec\n"
            "from datetime import datetime, timezone\n"
            "from vibespec.cli import main\n"
            "now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)  # examples lint clean at this date\n"
            "for path in sys.argv[1:]:\n"
            "    assert not vibespec.lint(path, now=now), path\n"
            "    vibespec.compile(path, now=now)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n")
    examples = [str(p) for p in sorted((ROOT / "examples").glob("*.viber.*"))]
    assert len(examples) >= 18
    out = subprocess.run([sys.executable, "-c", code, *examples], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def reported(errors: list, raw) -> dict:
    """What the compiler's diagnostics take from a list of errors: per cleaned location (first
    error wins, as in lower._Reporter.pydantic), the type and what the message is built from."""
    out: dict = {}
    for e in errors:
        loc = lower._clean_loc(raw, tuple(e["loc"]))
        if loc in out:
            continue
        t = e["type"]
        if t.startswith("VB"):
            out[loc] = (t, e["msg"], (e.get("ctx") or {}).get("help"))
        elif t in ("missing", "extra_forbidden", "finite_number"):
            out[loc] = (t,)
        elif t in lower._TYPE_WORDS:
            out[loc] = (t, kind_of(e.get("input")), describe(e.get("input")))
        else:
            out[loc] = (t, e["msg"])
    return out


def check_explains(name: str, value) -> None:
    """fast.explain gives what pydantic gives, as the diagnostics see it."""
    mine = fast.explain(name, value)
    try:
        getattr(M, name).model_validate(value)
        theirs: list = []
    except ValidationError as e:
        theirs = e.errors(include_url=False)
    if mine is None:  # only pydantic can tell: allowed, but only for what explain does not model
        return
    assert reported(mine, value) == reported(theirs, value), value


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Message", "SpecHeader"] + sorted(_table.MODELS))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_explain_matches_pydantic(name, data):
    check_explains(name, data.draw(model_value(name)))


def test_structural_errors_are_reported_without_pydantic():
    """The fast path explains invalid specs too (fast.explain), in pydantic's terms."""
    cases = sorted((ROOT / "tests" / "rules" / "cases").glob("VB1*/fail*.viber.*"))
    cases += sorted((ROOT / "tests" / "rules" / "cases").glob("VB7*/fail*.viber.*"))
    assert len(cases) > 20
    code = ("import sys, vibespec\n"
            "for path in sys.argv[1:]:\n"
            "    assert vibespec.lint(path), path\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n")
    out = subprocess.run([sys.executable, "-c", code, *map(str, cases)], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
