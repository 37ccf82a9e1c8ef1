"""Generated files are up to date: the editor schema, the payload schema and docs/rules.md.
Regenerate with `python -m vibespec.docsgen`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from vibespec.docsgen import outputs
from vibespec.source import load_path

ROOT = Path(__file__).resolve().parents[1]
GENERATED = outputs(ROOT)


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_file_is_fresh(path):
    assert path.exists(), f"{path} missing: run python -m vibespec.docsgen"
    assert path.read_text(encoding="utf-8") == GENERATED[path], f"{path} is stale: run python -m vibespec.docsgen"


def test_examples_satisfy_editor_schema():
    schema = json.loads((ROOT / "schemas" / "vibespec.schema.json").read_text())
    v = Draft202012Validator(schema)
    for spec in sorted((ROOT / "examples").glob("*.viber.yaml")):
        errors = [e.message for e in v.iter_errors(load_path(spec).data)]
        assert errors == [], (spec.name, errors)


def test_editor_schema_rejects_unknown_key():
    schema = json.loads((ROOT / "schemas" / "vibespec.schema.json").read_text())
    bad = {"vibespec": 1, "messages": [{"to": "u1", "txt": "hi"}]}
    assert list(Draft202012Validator(schema).iter_errors(bad))


def test_every_rule_is_in_the_reference():
    text = (ROOT / "docs" / "rules.md").read_text()
    from vibespec.rules import ALL_RULES

    for r in ALL_RULES:
        assert f"### {r.code} {r.name}" in text


@pytest.mark.parametrize("mistake", [
    ("carousel", "columns", 7), ("carousel", "rows", 8), ("carousel", "height_scale", 10),
    ("carousel", "background", "red"), ("button", "columns", 0), ("button", "rows", 9),
    ("text", "size_text", "x" * 4001), ("occupancy", None, 80), ("title", None, "x" * 16),
])
def test_editor_schema_carries_the_limits_it_can_say(mistake):
    """What a schema-only editor catches: the published limits (ranges, lengths, colours)."""
    schema = json.loads((ROOT / "schemas" / "vibespec.schema.json").read_text())
    v = Draft202012Validator(schema)
    button = {"columns": 6, "rows": 1, "text": "Buy", "action": {"reply": "buy"}}
    carousel = {"buttons": [button]}
    msg = {"to": "u1", "sender": "Bot", "carousel": carousel}
    where, key, value = mistake
    if where == "carousel":
        carousel[key] = value
    elif where == "button":
        button[key] = value
    elif where == "text":
        msg = {"to": "u1", "sender": "Bot", "text": value}
    elif where == "occupancy":
        msg = {"to": "u1", "sender": "Bot", "text": "hi",
               "keyboard": {"buttons": [button], "display": {"occupancy": value}}}
    elif where == "title":
        button["action"] = {"open_url": {"url": "https://example.com", "title": value}}
    spec = {"vibespec": 1, "messages": [msg]}
    assert list(v.iter_errors(spec)), mistake
    ok = {"vibespec": 1, "messages": [{"to": "u1", "sender": "Bot", "carousel": {"buttons": [
        {"columns": 6, "rows": 1, "text": "Buy", "action": {"reply": "buy"}}]}}]}
    assert not list(v.iter_errors(ok))
