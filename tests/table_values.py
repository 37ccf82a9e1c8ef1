"""Hypothesis values for a generated model table (vibespec/spec/_table.py, vibespec/wire/_table.py):
mostly well-formed mappings with every kind of mistake mixed in, for comparing the pydantic-free
validator with pydantic (tests/test_fast_model.py, tests/test_fast_payload.py)."""

from __future__ import annotations

import math

from hypothesis import strategies as st
from pydantic import BaseModel

from vibespec.schema.interpreter import _Obj

# inputs a converter may see: valid and invalid spellings, mixed with arbitrary scalars
SAMPLES = [
    "large", "LARGE", "Open-Externally", "crop", "gif", "bireysel", "tacir", "minimized", "domain", "bogus", "",
    "5MB", "120KiB", "12", " 7 ", "1.5MB", "x", "30m", "1h30m", "45s", "2h", "0s", "-1h", "06:00", "25:00", "9:5",
    "weekdays", "mon-fri", ["mon", "wed"], ["funday"], "daily", "30/hour", "1000/day", "5/week",
    {"amount": 10, "per": "minute"}, {"amount": 2, "unit": "hours"}, {"amount": -1}, "100/sec",
    {"amount": 10, "unit": "hour"}, {"amount": 2, "per": "hours"}, {"amount": 2, "per": "hours", "unit": "hours"},
    "2026-12-01T09:00:00", "2026-12-01T09:00:00+01:00", "2026-13-01T09:00:00", "Europe/Zagreb", "UTC", "+05:30",
    "Nowhere/Land", "json", "XML", "application/json", "text/plain", {"bot-1": "41793026727"},
    [{"initial": "a", "failover": "b"}], [{"initial": "a"}], {"bot": 4179}, 40133, True, False, None, 0, -3, 1.5,
    float("nan"), float("inf"), 2 ** 70, [], {}, [1, 2], {"k": "v"},
]


class TableValues:
    def __init__(self, models: dict, samples: list):
        self.models = models
        self.scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10 ** 6), st.floats(allow_nan=True),
                                 st.text(max_size=6), st.sampled_from(samples))

    def value(self, spec: tuple, depth: int = 0) -> st.SearchStrategy:
        kind = spec[0]
        scalars = self.scalars
        if depth > 4:
            return scalars
        if kind == "model":
            return st.one_of(self.model(spec[1], depth + 1), scalars) if depth else self.model(spec[1], depth + 1)
        if kind == "opt":
            return st.one_of(st.none(), self.value(spec[1], depth))
        if kind == "list":
            return st.one_of(st.lists(self.value(spec[1], depth + 1), max_size=3), scalars)
        if kind == "map":
            return st.one_of(st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)),
                                             self.value(spec[1], depth + 1), max_size=3), scalars)
        if kind == "union":
            return st.one_of([self.value(m, depth) for m in spec[1]])
        if kind == "before":
            return st.one_of(self.value(spec[2], depth), scalars)
        if kind == "literal":
            return st.one_of(st.sampled_from(spec[1]), scalars)
        if kind == "tagged":
            return st.one_of([self.model(name, depth + 1) for name in spec[2].values()] + [scalars])
        return scalars  # str, int, bool, float, any, dict, plain converters

    def model(self, name: str, depth: int = 0) -> st.SearchStrategy:
        return _model_value(self, name, depth)


@st.composite
def _model_value(draw, values: TableValues, name: str, depth: int):
    fields = values.models[name]
    out: dict = {}
    for attr, keys, required, spec in fields:
        if required or draw(st.integers(0, 3)) == 0:
            if required and draw(st.integers(0, 30)) == 0:
                continue  # a required key left out
            key = draw(st.sampled_from(keys))
            out[key] = draw(values.value(spec, depth))
            if len(keys) > 1 and draw(st.integers(0, 20)) == 0:
                out[draw(st.sampled_from([k for k in keys if k != key]))] = out[key]  # two spellings
    if draw(st.integers(0, 20)) == 0:
        out[draw(st.sampled_from(["bogus", "colour", 3]))] = "x"  # an unknown key
    return out


def plain(x):
    """Comparable form of a validated value, model instances of both kinds included."""
    if isinstance(x, BaseModel):
        return (type(x).__name__, {a: plain(getattr(x, a)) for a in type(x).model_fields})
    if isinstance(x, _Obj):
        return (type(x).__name__, {a: plain(getattr(x, a)) for a in x.__slots__})
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, tuple):
        return ("tuple", [plain(v) for v in x])
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, float) and math.isnan(x):
        return ("float", "nan")
    return (type(x).__name__, x)
