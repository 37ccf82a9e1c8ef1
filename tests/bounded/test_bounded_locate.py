"""Position lookup in big texts: a document is scanned a bounded number of times, however
many findings it has (it used to be scanned once per finding: quadratic)."""

from __future__ import annotations

import time

import pytest

from vibespec import api
from vibespec.source import json as sjson
from vibespec.source import load
from vibespec.source import yaml as syaml

from gen import check_body, yaml_big


def _count(monkeypatch, module, name):
    calls = []
    orig = getattr(module, name)

    def wrapped(*a, **kw):
        calls.append(1)
        return orig(*a, **kw)

    monkeypatch.setattr(module, name, wrapped)
    return calls


def test_json_big_text_scanned_at_most_twice(monkeypatch):
    text = check_body(5000, 0)
    assert len(text) > sjson._FULL_INDEX_LIMIT
    doc = load(text, "big.json", fmt="json")
    calls = _count(monkeypatch, sjson, "_walk")
    first = doc.locate(("messages", 4999, "content", "text"))
    assert first.line > 1
    spans = [doc.locate(("messages", i, "content", "text")) for i in range(0, 5000, 100)]
    assert len(calls) <= 2, f"{len(calls)} scans of the text for {len(spans) + 1} lookups"
    # the full index gives the same spans as the targeted scan
    assert doc.locate(("messages", 4999, "content", "text")) == first
    assert len({s.line for s in spans}) == len(spans)
    assert doc.locate(("messages", 7, "content"), key=True).end_column == doc.locate(
        ("messages", 7, "content"), key=True).column + len('"content"')


@pytest.mark.slow
def test_yaml_big_text_parsed_at_most_twice(monkeypatch):
    text = yaml_big(30000)
    assert len(text) > syaml._FULL_INDEX_LIMIT
    doc = load(text, "big.yaml", fmt="yaml")
    calls = _count(monkeypatch, syaml, "event_source")
    spans = [doc.locate(("items", i, "value")) for i in range(0, 30000, 500)]
    assert len(calls) <= 2, f"{len(calls)} parses of the text for {len(spans)} lookups"
    assert [s.line for s in spans] == [2 + i for i in range(0, 30000, 500)]
    assert doc.locate(("items", 3, "name"), key=True).column == 6


@pytest.mark.slow
def test_check_of_a_big_body_with_2000_findings_is_fast():
    # took over 120 s before (one scan of 1.1 MB per finding)
    text = check_body(5000, 2000)
    assert len(text) > 1_000_000
    t0 = time.process_time()
    diags = api.validate_payload(text, filename="big.json")
    took = time.process_time() - t0
    assert sum(d.code == "VB150" for d in diags) == 2000
    assert took < 5, f"{took:.1f} s of CPU"
