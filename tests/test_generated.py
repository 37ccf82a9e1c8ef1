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
