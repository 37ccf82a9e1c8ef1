"""Shape checks of raw request bodies (VB150-VB153) without pydantic, against the pydantic
request models they are generated from (vibespec/wire/_table.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vibespec.rules import shape
from vibespec.wire import _table
from vibespec.wire import request as R

from table_values import SAMPLES, TableValues, plain

ROOT = Path(__file__).resolve().parents[1]
VALUES = TableValues(_table.MODELS, SAMPLES + ["TEXT", "IMAGE", "VIDEO", "CAROUSEL", "text", "MINUTES"])
SCHEMA = shape._SCHEMA


def _pydantic_errors(name: str, value):
    try:
        return getattr(R, name).model_validate(value), []
    except ValidationError as e:
        return None, e.errors(include_url=False)


def _view(findings) -> list:
    return [(cls.code, f.path, f.message, f.help) for cls, f in findings]


def check(name: str, value) -> None:
    got = SCHEMA.validate(name, value)
    ref, errors = _pydantic_errors(name, value)
    if got is None:
        assert ref is None, f"pydantic accepts {value!r} as {name}, the fast path gave up on it"
    else:
        assert ref is not None, f"fast accepted {value!r} as {name}, pydantic refused: {errors}"
        assert plain(got) == plain(ref), value
    if isinstance(value, dict):
        mine = SCHEMA.explain(name, value)
        if mine is not None and isinstance(value, dict):
            assert _view(shape.findings_from_errors(value, mine)) == _view(shape.findings_from_errors(value, errors))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Request", "Message"] + sorted(_table.MODELS))
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_shape_matches_pydantic(name, data):
    check(name, data.draw(VALUES.model(name)))


BASE = {"sender": "Bot", "destinations": [{"to": "u"}]}
CASES = [
    {"messages": [dict(BASE, content={"text": "no type"})]},
    {"messages": [dict(BASE, content={"type": "TEXTT", "text": "x"})]},
    {"messages": [dict(BASE, content={"type": 5, "text": "x"})]},
    {"messages": [dict(BASE, content="TEXT")]},
    {"messages": [dict(BASE, content={"type": "TEXT", "text": 1, "colour": 2})]},
    {"messages": [dict(BASE, content={"type": "VIDEO", "url": "u"})]},
    {"messages": [dict(BASE, content={"type": "TEXT", "text": "x"},
                       options={"deliveryTimeWindow": {"from": {"hour": "9"}, "from_": {}, "days": "MONDAY"}})]},
    {"messages": [dict(BASE, destinations=[{"to": "u", "mesageId": "m"}], content={"type": "STICKER", "stickerId": 1.5})]},
    {"messages": "none", "options": {"schedule": {"sendingSpeedLimit": {"amount": "1"}}}},
    {"messages": [], "bulkId": "x"},
]


@pytest.mark.parametrize("body", CASES, ids=range(len(CASES)))
def test_known_mistakes_give_pydantics_findings(body):
    _, errors = _pydantic_errors("Request", body)
    assert errors
    assert _view(shape.structure_findings(body)) == _view(shape.findings_from_errors(body, errors))


def test_every_example_body_and_fixture_gives_the_same_findings():
    bodies = sorted((ROOT / "examples").glob("*.json")) + sorted((ROOT / "tests").rglob("*.json"))
    checked = 0
    for path in bodies:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            continue
        if not isinstance(body, dict) or "messages" not in body:
            continue
        _, errors = _pydantic_errors("Request", body)
        assert _view(shape.structure_findings(body)) == _view(shape.findings_from_errors(body, errors)), path
        checked += 1
    assert checked > 30


def test_checking_bodies_does_not_load_pydantic():
    code = ("import sys, vibespec\n"
            "for path in sys.argv[1:]:\n"
            "    vibespec.validate_payload(open(path, encoding='utf-8').read())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n")
    bodies = [str(p) for p in sorted((ROOT / "examples").glob("*.json"))]
    bodies += [str(p) for p in sorted((ROOT / "tests" / "rules" / "cases").glob("VB15*/fail*.json"))]
    out = subprocess.run([sys.executable, "-c", code, *bodies], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
