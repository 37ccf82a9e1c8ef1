"""Help texts name the keys of the document the user wrote: spec keys (``send_at``,
``30/hour``) for specs, body keys (``sendAt``, ``{"amount": 30, "timeUnit": "HOUR"}``) for
raw bodies (issue 14). Rules are written once over the body; a :class:`Help` carries both."""

from __future__ import annotations

import json
import pickle
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import vibespec
from vibespec.diagnostics import Help, help_text

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)

# words only a spec has / only a body has
SPEC_ONLY = re.compile(r"\b(send_at|speed_limit|campaign_ref|entity_id|application_id|recipient_type|vertical_align"
                       r"|failover\.sms|size: 5MiB|\d+/(hour|minute|day)|\d+[smh]\b|\bweekdays\b)")
BODY_ONLY = re.compile(r"\b(sendAt|sendingSpeedLimit|validityPeriod|campaignReferenceId|entityId|applicationId"
                       r"|recipientType|verticalAlign|destinationMatching|actionType|timeUnit)\b")


def _helps(diags):
    return [(d.code, d.help) for d in diags if d.help]


def test_raw_bodies_get_body_keys():
    seen = 0
    for p in sorted(CASES.glob("*/fail*.json")):
        for code, h in _helps(vibespec.validate_payload(p.read_bytes(), filename=str(p), now=NOW)):
            seen += 1
            assert not SPEC_ONLY.search(h), (p.name, code, h)
    assert seen > 20


def test_specs_get_spec_keys():
    seen = 0
    for p in sorted(CASES.glob("*/fail*.viber.*")):
        for code, h in _helps(vibespec.lint(p, now=NOW)):
            seen += 1
            assert not BODY_ONLY.search(h), (p.name, code, h)
    assert seen > 50


SPEC = """\
vibespec: 1
send_at: 2026-11-20T09:00:00Z
speed_limit: {{amount: 0, per: hour}}
messages:
  - to: bot-user-1
    sender: DemoBot
    campaign_ref: {long}
    video: {{url: "https://cdn.example.com/a.mp4", size: 5MiB}}
"""


def _body():
    return {"messages": [{"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}],
                          "content": {"type": "VIDEO", "mediaUrl": "https://cdn.example.com/a.mp4"},
                          "options": {"campaignReferenceId": "x" * 300}}],
            "options": {"schedule": {"sendAt": "2026-11-20T09:00:00.000+0000",
                                     "sendingSpeedLimit": {"amount": 0, "timeUnit": "HOUR"}}}}


def test_same_findings_two_spellings():
    spec = {d.code: d.help for d in vibespec.lint(SPEC.format(long="x" * 300), filename="a.viber.yaml", now=NOW)}
    body = {d.code: d.help for d in vibespec.validate_payload(json.dumps(_body()), now=NOW)}
    assert spec["VB404"] == "update the date, or remove send_at to send now"
    assert body["VB404"] == "update the date, or remove sendAt to send now"
    assert "30/hour" in spec["VB405"] and '"timeUnit": "HOUR"' in body["VB405"]
    assert "campaign_ref" in spec["VB431"] and "campaignReferenceId" in body["VB431"]
    assert "\"size\": 5242880" in body["VB222"]


def test_help_object():
    h = Help("remove sendAt", "remove send_at")
    assert h == "remove sendAt" and isinstance(h, str)
    assert help_text(h, True) == "remove send_at" and type(help_text(h, True)) is str
    assert help_text(h, False) == "remove sendAt" and type(help_text(h, False)) is str
    assert help_text("plain", True) == "plain" and help_text(None, False) is None
    back = pickle.loads(pickle.dumps(h))
    assert back == h and back.spec == h.spec


@pytest.mark.parametrize("spec_mode", [True, False])
def test_plan_output_spelling(spec_mode):
    from vibespec.planner import plan_body

    body = {"messages": [{"sender": "S", "destinations": [{"to": "u"}], "content": {"type": "TEXT", "text": "hi"},
                          "options": {"validityPeriod": {"amount": 1, "timeUnit": "HOURS"},
                                      "deliveryTimeWindow": {"days": ["MONDAY"], "from": {"hour": 9, "minute": 0},
                                                             "to": {"hour": 17, "minute": 0}}}}],
            "options": {"schedule": {"sendAt": "2026-11-27T18:00:00.000+0000"}}}
    facts = vibespec.api.compile_spec(
        "vibespec: 1\nmessages:\n  - {to: u, sender: S, text: hi}\n", filename="a.viber.yaml").facts
    p = plan_body(body, facts if spec_mode else None, now=NOW)
    helps = [w.help for w in p.warnings if w.code == "VB450"]
    assert helps and all(type(h) is str for h in helps)
    assert ("send_at" in helps[0]) is spec_mode and ("sendAt" in helps[0]) is not spec_mode


def test_messages_name_the_documents_keys_too():
    """VB454's message names the send time by the key the user wrote (lint of a spec,
    plan of a raw body)."""
    spec = ("vibespec: 1\nsend_at: 2026-12-05T10:00:00Z\nmessages:\n"
            "  - {to: u, sender: S, text: hi, window: {days: [mon], from: '09:00', to: '17:00'}}\n")
    (s,) = [d for d in vibespec.lint(spec, filename="a.viber.yaml", now=NOW) if d.code == "VB454"]
    body = vibespec.compile(spec, filename="a.viber.yaml", now=NOW)
    from vibespec.planner import plan_body

    # plan rules run on specs; a raw body's plan (vibespec plan BODY.json) names its keys
    (b,) = [w for w in plan_body(body, None, now=NOW).warnings if w.code == "VB454"]
    assert s.message.startswith("send_at ") and b.message.startswith("sendAt ")
    assert s.message[len("send_at"):] == b.message[len("sendAt"):]
    assert type(s.message) is str and type(b.message) is str and type(b.help) is str
    assert "set sendAt to" in b.help and "set send_at to" in s.help
