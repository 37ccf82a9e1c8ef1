"""Shared helpers for the importer tests: compile a spec text in either format and the
hand-written bodies that cover every content type, button field and option."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vibespec.api import compile

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
WIRE_FIXTURES = REPO / "tests" / "wire" / "fixtures"
OPENAPI = REPO.parent / "shared" / "reference" / "infobip-viber-openapi.json"
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
HAVE_TOML_LOADER = importlib.util.find_spec("vibespec.source.toml") is not None


def compile_text(text: str, fmt: str) -> dict:
    """Compile spec text (``yaml`` or ``toml``); skip TOML while its loader is missing."""
    if fmt == "toml" and not HAVE_TOML_LOADER:
        pytest.skip("vibespec.source.toml is not available yet")
    return compile(text, filename=f"imported.viber.{fmt}", fmt=fmt, now=NOW)


def is_request_body(data) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("messages"), list) and bool(data["messages"])
            and all(isinstance(m, dict) and "destinations" in m and "content" in m for m in data["messages"]))


def example_bodies() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json")) if EXAMPLES.is_dir() else []


RULE_CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
# bodies no spec can reproduce byte for byte, by design (docs/import.md)
NOT_REPRODUCIBLE = {"VB401/pass.json": "sendAt with a colon offset (+01:00); the spec language writes +0100"}


def fixture_bodies() -> list[Path]:
    """Request bodies among the test fixtures: wire fixtures, and the raw bodies that pass the
    rules (tests/rules/cases/*/pass*.json) whose sendAt the spec language can write."""
    out = []
    candidates = sorted(WIRE_FIXTURES.glob("*.json")) if WIRE_FIXTURES.is_dir() else []
    candidates += [p for p in sorted(RULE_CASES.glob("*/pass*.json"))
                   if f"{p.parent.name}/{p.name}" not in NOT_REPRODUCIBLE]
    for p in candidates:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if is_request_body(data):
            out.append(p)
    return out


def openapi_examples() -> list[tuple[str, dict]]:
    if not OPENAPI.exists():
        return []
    api = json.loads(OPENAPI.read_text(encoding="utf-8"))
    content = api["paths"]["/viber-bot/1/messages"]["post"]["requestBody"]["content"]
    out = []
    for media, spec in content.items():
        for name, ex in (spec.get("examples") or {}).items():
            if "value" in ex:
                out.append((name, ex["value"]))
        if "example" in spec:
            out.append(("example", spec["example"]))
    return out


def _msg(content: dict, **extra) -> dict:
    m = {"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}], "content": content}
    m.update(extra)
    return m


KEYBOARD = {
    "buttonGrid": {
        "buttons": [
            {"action": {"actionBody": "yes", "actionType": "REPLY"}, "columns": 3, "rows": 1,
             "text": {"text": "Yes"}},
            {"action": {"actionBody": "no", "actionType": "REPLY", "silent": True}, "columns": 3, "rows": 1,
             "text": {"text": "No"}, "background": {"color": "#FFDDDD"}},
        ],
        "buttonsGroupColumns": 6,
        "buttonsGroupRows": 1,
    },
    "backgroundColor": "#F0F0F0",
    "keyboardDisplay": {"nativeKeyboardHeight": True, "percentageOfKeyboardOccupancy": 50},
    "actionBarState": "MINIMIZED",
}

EVERY_BUTTON_FIELD = {
    "action": {
        "actionBody": "https://example.com/p1",
        "actionType": "OPEN_URL",
        "silent": False,
        "openUrlSettings": {
            "actionPredefinedUrl": "https://example.com/pre",
            "customTitle": "Shop",
            "mediaPlayer": {"thumbnailUrl": "https://cdn.example.com/t.jpg", "title": "Clip", "subtitle": "Sub",
                            "loop": True},
            "titleType": "DOMAIN",
            "actionButton": "OPEN_EXTERNALLY",
            "browserDisplayMode": "FULLSCREEN_PORTRAIT",
            "footerType": "HIDDEN",
            "actionReplyData": "reply-data",
            "openUrlType": "INTERNAL",
            "openUrlMediaType": "BROWSER_MEDIA",
        },
    },
    "columns": 6,
    "rows": 2,
    "text": {"opacity": 80, "backgroundGradientColor": "#112233", "paddings": [1, 2, 3, 4], "text": "<b>Buy</b>",
             "verticalAlign": "TOP", "horizontalAlign": "LEFT", "size": "LARGE", "shouldFit": True},
    "background": {"color": "#FFFFFF", "frame": {"borderWidth": 2, "borderColor": "#000000", "cornerRadius": 8},
                   "mediaUrl": "https://cdn.example.com/bg.gif", "mediaType": "GIF", "mediaScaleType": "FILL",
                   "gifLoop": True},
    "media": {"imageUrl": "https://cdn.example.com/p1.jpg", "imageScaleType": "CROP"},
}

ACTIONS = [
    {"action": {"actionBody": "https://example.com/x", "actionType": "OPEN_URL"}, "media": {"imageUrl": "https://cdn.example.com/x.jpg"}},
    {"action": {"actionBody": "map", "actionType": "OPEN_MAP", "openMapLocation": {"latitude": 45.815, "longitude": 15.982}}},
    {"action": {"actionType": "OPEN_MAP", "openMapLocation": {"latitude": -33.5, "longitude": 151.25}}},
    {"action": {"actionBody": "loc", "actionType": "LOCATION_PICKER"}},
    {"action": {"actionBody": "phone", "actionType": "SHARE_PHONE", "silent": True}},
    {"action": {"actionType": "NONE"}, "text": {"text": "Label only"}},
    {"action": {"actionBody": "nothing", "actionType": "NONE"}},
    {"action": {}},
    {"action": {"silent": True}},
    {"action": {"actionBody": "x", "actionType": "REPLY"}, "text": {}, "background": {}, "media": {"imageUrl": "https://i"}},
]

HAND_WRITTEN: dict[str, dict] = {
    "text": {"messages": [_msg({"text": "Hello!", "type": "TEXT"})]},
    "text-multiline": {"messages": [_msg({"text": "Line one\nLine two\n\n  indented: yes # not a comment\n",
                                          "type": "TEXT"})]},
    "text-unicode": {"messages": [_msg({"text": "Zdravo 👋 \u2028 \x85 \t\"quoted\" \\ \u00a0end\x00", "type": "TEXT"})]},
    "text-empty": {"messages": [_msg({"text": "", "type": "TEXT"})]},
    "image-url-only": {"messages": [_msg({"url": "https://cdn.example.com/a.png", "type": "IMAGE"})]},
    "image-full": {"messages": [_msg({"url": "https://cdn.example.com/a.png", "text": "Caption: yes",
                                      "thumbnailUrl": "https://cdn.example.com/t.png", "type": "IMAGE"})]},
    "video": {"messages": [_msg({"url": "https://cdn.example.com/a.mp4", "text": "Watch",
                                 "thumbnailUrl": "https://cdn.example.com/v.jpg", "size": 5242880, "duration": 30,
                                 "type": "VIDEO"})]},
    "video-odd-size": {"messages": [_msg({"url": "https://cdn.example.com/a.mp4", "size": 1234567, "type": "VIDEO"})]},
    "file": {"messages": [_msg({"fileName": "report.pdf", "url": "https://cdn.example.com/r.pdf", "size": 120000,
                                "type": "FILE"})]},
    "file-kib": {"messages": [_msg({"fileName": "a.pdf", "url": "https://c/a.pdf", "size": 122880, "type": "FILE"})]},
    "file-zero": {"messages": [_msg({"fileName": "0", "url": "https://c/a.pdf", "size": 0, "type": "FILE"})]},
    "location": {"messages": [_msg({"location": {"latitude": 45.815, "longitude": 15.982}, "type": "LOCATION"})]},
    "location-tiny": {"messages": [_msg({"location": {"latitude": 1e-05, "longitude": -1.5e-07}, "type": "LOCATION"})]},
    "contact": {"messages": [_msg({"contact": {"name": "Support", "phoneNumber": "+385911234567"}, "type": "CONTACT"})]},
    "sticker": {"messages": [_msg({"stickerId": 40133, "type": "STICKER"})]},
    "url": {"messages": [_msg({"url": "https://example.com/offer", "type": "URL"})]},
    "display-and-keyboard": {"messages": [_msg({"text": "Pick", "senderDisplayInfo": {"name": "Demo",
                                                "avatarUrl": "https://cdn.example.com/a.png"},
                                                "keyboard": KEYBOARD, "type": "TEXT"})]},
    "display-empty-keyboard-bare": {"messages": [_msg({"text": "Pick", "senderDisplayInfo": {},
                                                       "keyboard": {"buttonGrid": {"buttons": []}, "keyboardDisplay": {}},
                                                       "type": "TEXT"})]},
    "carousel-every-button-field": {"messages": [_msg({
        "buttonGrid": {"buttons": [EVERY_BUTTON_FIELD] + ACTIONS, "buttonsGroupColumns": 6, "buttonsGroupRows": 7},
        "heightScale": 100, "backgroundColor": "#FFFFFF", "type": "CAROUSEL"})]},
    "every-option": {"messages": [_msg({"text": "Hi", "type": "TEXT"}, options={
        "platform": {"entityId": "priorityCustomer", "applicationId": "clientTestEnvironment"},
        "validityPeriod": {"amount": 90, "timeUnit": "MINUTES"},
        "deliveryTimeWindow": {"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                               "from": {"hour": 5, "minute": 0}, "to": {"hour": 14, "minute": 30}},
        "campaignReferenceId": "spring-2026",
        "smsFailover": {"sender": "41793026726", "text": "Failover message text",
                        "validityPeriod": {"amount": 2, "timeUnit": "HOURS"},
                        "destinationMatching": [{"initial": "bot-user-1", "failover": "41793026727"}]},
    }, webhooks={"delivery": {"url": "https://www.example.com/viberbots", "intermediateReport": True, "notify": False,
                              "receiveTriggeredFailoverReports": True},
                 "contentType": "application/xml", "callbackData": "campaign=spring",
                 "seen": {"url": "https://www.example.com/seen"}})]},
    "regional-failover": {"messages": [_msg({"text": "Hi", "type": "TEXT"}, options={"smsFailover": {
        "text": "SMS", "regional": {
            "indiaDlt": {"contentTemplateId": "t1", "principalEntityId": "p1", "telemarketerId": "tm1"},
            "turkeyIys": {"brandCode": 123456, "recipientType": "TACIR"},
            "southKorea": {"title": "Title", "resellerCode": 42}},
        "destinationMatching": [{"initial": "bot-user-1", "failover": "1"}, {"initial": "bot-user-1", "failover": "2"}],
    }})]},
    "failover-empty": {"messages": [_msg({"text": "Hi", "type": "TEXT"}, options={"smsFailover": {
        "regional": {}, "destinationMatching": []}})]},
    "webhooks-objects": {"messages": [_msg({"text": "Hi", "type": "TEXT"},
                                           webhooks={"delivery": {}, "contentType": "application/json", "seen": {}})]},
    "window-shapes": {"messages": [
        _msg({"text": str(i), "type": "TEXT"}, options={"deliveryTimeWindow": w}) for i, w in enumerate([
            {"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]},
            {"days": ["SATURDAY", "SUNDAY"], "from": {"hour": 0, "minute": 0}, "to": {"hour": 23, "minute": 59}},
            {"days": ["MONDAY", "SATURDAY", "SUNDAY"]},
            {"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "FRIDAY"]},
            {"days": ["TUESDAY", "THURSDAY"]},
            {"days": []},
            {"from": {"hour": 9, "minute": 5}},
            {},
        ])]},
    "destinations": {"messages": [
        {"sender": "Bot", "destinations": [{"to": "66855538125"}, {"to": "u2", "messageId": "m-2"}, {"to": ""}],
         "content": {"text": "Hi", "type": "TEXT"}},
        {"sender": "Bot", "destinations": [{"to": ""}], "content": {"text": "Hi", "type": "TEXT"}},
        {"sender": "", "destinations": [{"to": "true", "messageId": "null"}], "content": {"text": "yes", "type": "TEXT"}},
    ]},
    "schedule": {"messages": [_msg({"text": "Hi", "type": "TEXT"})], "options": {"schedule": {
        "bulkId": "spring-2026", "sendAt": "2026-12-01T09:00:00.250-0330",
        "sendingSpeedLimit": {"amount": 30, "timeUnit": "HOUR"}}}},
    "schedule-negative-speed": {"messages": [_msg({"text": "Hi", "type": "TEXT"})], "options": {"schedule": {
        "sendAt": "2026-12-01T09:00:00.000+0000", "sendingSpeedLimit": {"amount": -1, "timeUnit": "DAY"}}}},
    "lifted-defaults": {"messages": [
        _msg({"text": f"Hi {i}", "type": "TEXT"}, destinations=[{"to": f"u{i}"}],
             options={"validityPeriod": {"amount": 30, "timeUnit": "MINUTES"},
                      "smsFailover": {"sender": "Shop", "text": "Sale",
                                      "destinationMatching": [{"initial": f"u{i}", "failover": f"38591000{i}"}]}},
             webhooks={"delivery": {"url": "https://h.example.com/dlr", **({"notify": True} if i else {})},
                       "callbackData": f"m{i}"})
        for i in range(3)]},
    "validity-seconds": {"messages": [_msg({"text": "Hi", "type": "TEXT"}, options={
        "validityPeriod": {"amount": 45, "timeUnit": "SECONDS"}})]},
    "no-messages": {"messages": []},
}
