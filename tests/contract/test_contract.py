"""Contract: every compiled example validates against Infobip's published OpenAPI spec
(3.210.0), discriminators resolved and undeclared keys rejected. Skipped only when
../shared/reference/infobip-viber-openapi.json is absent."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vibespec.api import compile

from .openapi import OPENAPI, errors

pytestmark = pytest.mark.skipif(not OPENAPI.exists(), reason=f"{OPENAPI} is absent: contract test skipped")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.name.endswith((".viber.yaml", ".viber.yml", ".viber.toml")))
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
DSL = ROOT.parent / "shared" / "DSL.md"


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_example_satisfies_published_schema(spec):
    body = compile(spec, now=NOW)
    assert errors(body) == []


@pytest.mark.skipif(not DSL.exists(), reason="DSL.md absent")
def test_dsl_example_satisfies_published_schema():
    text = DSL.read_text(encoding="utf-8")
    spec = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    assert errors(compile(spec, now=NOW)) == []


def test_published_request_example_passes():
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    op = spec["paths"]["/viber-bot/1/messages"]["post"]
    for ex in op["requestBody"]["content"]["application/json"]["examples"].values():
        assert errors(ex["value"]) == []


def _body(content):
    return {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}], "content": content}]}


@pytest.mark.parametrize("content,fragment", [
    ({"text": "x" * 4001, "type": "TEXT"}, "[maxLength]"),
    ({"text": "hi", "type": "TEXT", "txt": "typo"}, "[additionalProperties]"),
    ({"url": "https://x.example/a.mp4", "type": "VIDEO"}, "'size' is a required property"),
    ({"text": "hi", "type": "AUDIO"}, "[enum]"),
    ({"buttonGrid": {"buttons": []}, "type": "CAROUSEL"}, "[minItems]"),
    ({"fileName": "a.pdf", "url": "https://x.example/a.pdf", "size": 52428801, "type": "FILE"}, "[maximum]"),
])
def test_validator_rejects_what_infobip_rejects(content, fragment):
    errs = errors(_body(content))
    assert errs and any(fragment in e for e in errs), errs
