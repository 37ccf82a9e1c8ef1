"""The imported spec is idiomatic: shorthands, short forms, options lifted into defaults;
and a body no spec compiles back to is refused with a located, helpful diagnostic."""

from __future__ import annotations

import copy

import pytest

from vibespec.compiler.emit import dumps
from vibespec.app.importrun import import_text
from vibespec.compiler.importer import NotImportable, days, import_body, size, send_at, to_yaml
from vibespec.diagnostics import VibespecError

from importer_cases import HAND_WRITTEN, compile_text


def _body(**message) -> dict:
    m = {"sender": "Bot", "destinations": [{"to": "u1"}], "content": {"text": "Hi", "type": "TEXT"}}
    m.update(message)
    return {"messages": [m]}


def _one(**message) -> dict:
    return import_body(_body(**message))["messages"][0]


@pytest.mark.parametrize("amount,unit,want", [
    (30, "MINUTES", "30m"), (90, "MINUTES", "90m"), (2, "HOURS", "2h"), (45, "SECONDS", "45s"), (0, "MINUTES", "0m"),
    (120, "MINUTES", "120m"),
])
def test_validity_keeps_the_unit(amount, unit, want):
    assert _one(options={"validityPeriod": {"amount": amount, "timeUnit": unit}})["validity"] == want


@pytest.mark.parametrize("n,want", [
    (5242880, "5MiB"), (120000, "120KB"), (122880, "120KiB"), (5000000, "5MB"), (1234567, 1234567), (0, 0),
    (1024000, "1000KiB"), (1, 1),
])
def test_sizes(n, want):
    assert size(n, ()) == want


@pytest.mark.parametrize("wire,want", [
    (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"], "weekdays"),
    (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], "daily"),
    (["SATURDAY", "SUNDAY"], "weekends"),
    (["TUESDAY", "WEDNESDAY", "THURSDAY"], "tue-thu"),
    (["MONDAY", "SATURDAY", "SUNDAY"], "sat-mon"),
    (["MONDAY", "TUESDAY", "WEDNESDAY", "FRIDAY"], ["mon-wed", "fri"]),
    (["MONDAY", "WEDNESDAY", "FRIDAY"], ["mon", "wed", "fri"]),
    (["SUNDAY"], ["sun"]),
    ([], []),
])
def test_days(wire, want):
    assert days(wire, ()) == want


@pytest.mark.parametrize("wire,want", [
    ("2026-12-01T09:00:00.000+0100", "2026-12-01T09:00:00+01:00"),
    ("2026-12-01T09:00:00.250-0330", "2026-12-01T09:00:00.250-03:30"),
    ("2026-12-01T09:00:00.000+0000", "2026-12-01T09:00:00+00:00"),
])
def test_send_at(wire, want):
    assert send_at(wire, ()) == want


def test_window_is_utc_hh_mm():
    w = _one(options={"deliveryTimeWindow": {"days": ["MONDAY"], "from": {"hour": 6, "minute": 0},
                                             "to": {"hour": 15, "minute": 30}}})["window"]
    assert w == {"days": ["mon"], "from": "06:00", "to": "15:30"}
    assert 'from: "06:00"' in to_yaml({"window": w})


def test_speed_and_schedule():
    spec = import_body(HAND_WRITTEN["schedule"])
    assert spec["bulk_id"] == "spring-2026"
    assert spec["speed_limit"] == "30/hour"
    assert list(spec)[:4] == ["vibespec", "bulk_id", "send_at", "speed_limit"]


def test_recipient_forms():
    spec = import_body(HAND_WRITTEN["destinations"])
    assert spec["messages"][0]["to"] == ["66855538125", {"to": "u2", "message_id": "m-2"}, ""]
    assert spec["messages"][1]["to"] == [""]  # `to: ""` would mean "no recipients"
    assert _one()["to"] == "u1"
    assert _one(destinations=[{"to": "u1", "messageId": "x"}])["to"] == [{"to": "u1", "message_id": "x"}]


def test_short_forms():
    m = import_body(HAND_WRITTEN["carousel-every-button-field"])["messages"][0]
    buttons = m["carousel"]["buttons"]
    assert buttons[1]["action"] == {"open_url": "https://example.com/x"}
    assert buttons[1]["image"] == "https://cdn.example.com/x.jpg"
    assert buttons[2]["action"] == {"open_map": {"lat": 45.815, "lon": 15.982, "body": "map"}}
    assert buttons[4]["action"] == {"location_picker": "loc"}
    assert buttons[5]["action"] == {"share_phone": "phone", "silent": True}
    assert buttons[6] == {"text": "Label only", "action": {"none": True}}
    assert buttons[7]["action"] == {"none": "nothing"}
    assert buttons[8]["action"] == {}
    full = buttons[0]
    assert full["text"]["vertical_align"] == "top" and full["background"]["frame"]["corner_radius"] == 8
    assert full["action"]["open_url"]["display_mode"] == "fullscreen_portrait"
    kb = import_body(HAND_WRITTEN["display-and-keyboard"])["messages"][0]["keyboard"]
    assert kb["buttons"][0] == {"columns": 3, "rows": 1, "text": "Yes", "action": {"reply": "yes"}}
    assert kb["buttons"][1]["background"] == "#FFDDDD"
    assert kb["action_bar"] == "minimized"
    assert _one(content={"url": "https://c/a.png", "type": "IMAGE"})["image"] == "https://c/a.png"


def test_failover_and_webhooks_forms():
    m = import_body(HAND_WRITTEN["every-option"])["messages"][0]
    assert m["failover"]["sms"]["destinations"] == {"bot-user-1": "41793026727"}
    assert m["failover"]["sms"]["validity"] == "2h"
    assert m["webhooks"]["seen"] == "https://www.example.com/seen"
    assert m["webhooks"]["content_type"] == "xml"
    assert m["webhooks"]["delivery"]["triggered_failover_reports"] is True
    regional = import_body(HAND_WRITTEN["regional-failover"])["messages"][0]["failover"]["sms"]
    # an initial that repeats needs the list form
    assert regional["destinations"] == [{"initial": "bot-user-1", "failover": "1"},
                                        {"initial": "bot-user-1", "failover": "2"}]
    assert regional["regional"]["turkey_iys"] == {"brand_code": 123456, "recipient_type": "tacir"}


def test_defaults_lifted():
    spec = import_body(HAND_WRITTEN["lifted-defaults"])
    d = spec["defaults"]
    assert list(spec) == ["vibespec", "defaults", "messages"]
    assert d["sender"] == "DemoBot" and d["validity"] == "30m"
    # shared parts of failover and webhooks are lifted key by key
    assert d["failover"] == {"sms": {"sender": "Shop", "text": "Sale"}}
    assert d["webhooks"] == {"delivery": {"url": "https://h.example.com/dlr"}}  # a message adds notify: stays a mapping
    m0, m1 = spec["messages"][0], spec["messages"][1]
    assert m0["failover"] == {"sms": {"destinations": {"u0": "385910000"}}}
    assert m0["webhooks"] == {"callback_data": "m0"}
    assert m1["webhooks"] == {"delivery": {"notify": True}, "callback_data": "m1"}
    assert "text" in m0 and "text" not in d  # content never goes to defaults
    assert "to" not in d


def test_delivery_short_form_when_safe():
    body = copy.deepcopy(HAND_WRITTEN["lifted-defaults"])
    for m in body["messages"]:
        m["webhooks"]["delivery"] = {"url": "https://h.example.com/dlr"}
    spec = import_body(body)
    assert spec["defaults"]["webhooks"]["delivery"] == "https://h.example.com/dlr"
    assert dumps(compile_text(to_yaml(spec), "yaml")) == dumps(body)


def test_nothing_lifted_from_one_message():
    spec = import_body(_body(options={"validityPeriod": {"amount": 1, "timeUnit": "HOURS"}}))
    assert "defaults" not in spec and spec["messages"][0]["sender"] == "Bot"


def test_partially_shared_keys_stay_in_messages():
    body = {"messages": [_body()["messages"][0], _body(options={"campaignReferenceId": "c"})["messages"][0]]}
    spec = import_body(body)
    assert spec["defaults"] == {"sender": "Bot"}
    assert "campaign_ref" in spec["messages"][1] and "campaign_ref" not in spec["messages"][0]


def test_deterministic():
    body = HAND_WRITTEN["lifted-defaults"]
    assert to_yaml(import_body(body)) == to_yaml(import_body(copy.deepcopy(body)))


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("message,pointer,code,words", [
    ({"options": {"validityPeriod": {"amount": 30}}}, "/messages/0/options/validityPeriod", "VB115", "timeUnit"),
    ({"options": {"validityPeriod": {"amount": 1, "timeUnit": "DAYS"}}},
     "/messages/0/options/validityPeriod/timeUnit", "VB113", "DAYS"),
    ({"options": {}}, "/messages/0/options", "VB115", "empty"),
    ({"webhooks": {}}, "/messages/0/webhooks", "VB115", "empty"),
    ({"webhooks": {"contentType": "text/plain"}}, "/messages/0/webhooks/contentType", "VB113", "text/plain"),
    ({"destinations": []}, "/messages/0/destinations", "VB152", "no destinations"),
    ({"content": {"url": "https://c/f", "size": 1, "type": "FILE"}}, "/messages/0/content", "VB152", "fileName"),
    ({"content": {"url": "https://c/a", "thumbnailUrl": None, "type": "IMAGE"}}, "/messages/0/content/thumbnailUrl",
     "VB115", "null"),
    ({"content": {"text": "x", "type": "TEXT", "keyboard": {"buttonGrid": {"buttons": [{"action": {
        "actionType": "reply", "actionBody": "x"}}]}}}},
     "/messages/0/content/keyboard/buttonGrid/buttons/0/action/actionType", "VB113", "REPLY"),
    ({"content": {"text": "x", "type": "TEXT", "keyboard": {"buttonGrid": {"buttons": [{"action": {
        "actionBody": "x"}}]}}}}, "/messages/0/content/keyboard/buttonGrid/buttons/0/action/actionBody", "VB115",
     "no actionType"),
    ({"options": {"deliveryTimeWindow": {"days": ["FRIDAY", "MONDAY"]}}},
     "/messages/0/options/deliveryTimeWindow/days", "VB115", "order"),
])
def test_refused_with_a_located_diagnostic(message, pointer, code, words):
    text = dumps(_body(**message))
    with pytest.raises(VibespecError) as e:
        import_text(text, "b.json")
    d = e.value.diagnostics[0]
    assert d.pointer == pointer
    assert d.code == code
    assert words in d.message + (d.help or "")
    assert d.line > 1


@pytest.mark.parametrize("schedule,words", [
    ({"sendAt": "2026-12-01T09:00:00Z"}, "sendAt"),
    ({"sendAt": "2026-12-01T09:00:00.000+01:00"}, "sendAt"),
    ({"sendAt": "2026-12-01T09:00:00.000-0000"}, "sendAt"),
    ({"sendingSpeedLimit": {"amount": 5}}, "timeUnit"),
    ({}, "empty"),
])
def test_schedule_refusals(schedule, words):
    with pytest.raises(NotImportable) as e:
        import_body({"messages": [], "options": {"schedule": schedule}})
    assert words in e.value.message


def test_structural_errors_come_from_the_payload_checker():
    with pytest.raises(VibespecError) as e:
        import_text(dumps(_body(content={"text": "x", "type": "AUDIO"})), "b.json")
    assert [d.code for d in e.value.diagnostics] == ["VB153"]
    with pytest.raises(VibespecError) as e:
        import_text(dumps(_body(colour="x")), "b.json")
    assert e.value.diagnostics[0].code == "VB150"


def test_rule_findings_do_not_stop_the_import():
    long_text = "x" * 9000  # far beyond Infobip's limit: a rule error, still imported faithfully
    body = _body(content={"text": long_text, "type": "TEXT"},
                 options={"validityPeriod": {"amount": 100, "timeUnit": "HOURS"}})
    spec_text = import_text(dumps(body), "b.json")
    assert dumps(compile_text(spec_text, "yaml")) == dumps(body)


def test_bad_json_is_a_diagnostic():
    with pytest.raises(VibespecError) as e:
        import_text(b'{"messages": [', "b.json")
    assert e.value.diagnostics[0].code == "VB001"


def test_key_order_and_integer_coordinates_are_data_equal():
    """A body in another key order, or with integer coordinates, imports; the compiled
    body is the same data in the compiler's order (coordinates as floats)."""
    body = {"messages": [{"content": {"type": "LOCATION", "location": {"longitude": 15, "latitude": 45}},
                          "destinations": [{"to": "u"}], "sender": "Bot"}]}
    spec = import_text(dumps(body), "b.json")
    assert compile_text(spec, "yaml") == body
