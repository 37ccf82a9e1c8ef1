"""Unit tests for scheduling/options (VB4xx), failover/webhooks (VB5xx) and addressing
(VB6xx) rules, on hand-written request bodies (no compiler or source map involved)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from vibespec.rules import BY_CODE
from vibespec.rules.engine import check_body
from vibespec.rules.schedule import parse_send_at, suggest_send_at

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
MY_PREFIXES = ("VB4", "VB5", "VB6")


def base_body() -> dict:
    return {
        "messages": [
            {
                "sender": "DemoBot",
                "destinations": [{"to": "bot-user-1", "messageId": "m-1"}, {"to": "bot-user-2"}],
                "content": {"type": "TEXT", "text": "Hello"},
                "options": {
                    "platform": {"entityId": "priorityCustomer", "applicationId": "clientTestEnvironment"},
                    "validityPeriod": {"amount": 30, "timeUnit": "MINUTES"},
                    "deliveryTimeWindow": {
                        "days": ["MONDAY", "TUESDAY"],
                        "from": {"hour": 5, "minute": 0},
                        "to": {"hour": 14, "minute": 30},
                    },
                    "campaignReferenceId": "spring-2026",
                    "smsFailover": {
                        "sender": "InfoSMS",
                        "text": "Failover text",
                        "validityPeriod": {"amount": 2, "timeUnit": "HOURS"},
                        "destinationMatching": [
                            {"initial": "bot-user-1", "failover": "41793026727"},
                            {"initial": "bot-user-2", "failover": "+41793026728"},
                        ],
                    },
                },
                "webhooks": {
                    "delivery": {"url": "https://www.example.com/dlr", "notify": True},
                    "contentType": "application/json",
                    "callbackData": "campaign=spring",
                    "seen": {"url": "https://www.example.com/seen"},
                },
            }
        ],
        "options": {
            "schedule": {
                "bulkId": "spring-promo-2026",
                "sendAt": "2026-12-01T09:00:00.000+0100",
                "sendingSpeedLimit": {"amount": 30, "timeUnit": "HOUR"},
            }
        },
    }


def mine(body, origin="payload"):
    return [(c, f) for c, f in check_body(body, origin=origin, now=NOW) if c.startswith(MY_PREFIXES)]


def codes(body, origin="payload"):
    return sorted({c for c, _ in mine(body, origin)})


def paths(body, code, origin="payload"):
    return [f.path for c, f in mine(body, origin) if c == code]


def msg(body):
    return body["messages"][0]


def opts(body):
    return body["messages"][0]["options"]


def test_clean_body_has_no_findings():
    assert codes(base_body()) == []
    assert codes(base_body(), origin="spec") == []


# ----------------------------------------------------------------------------- schedule


@pytest.mark.parametrize("value,status", [
    ("2026-12-01T09:00:00.000+0100", "ok"),
    ("2026-12-01T09:00:00.000+01:00", "ok"),
    ("2026-12-01T09:00:00.000-0530", "ok"),
    ("2026-12-01T09:00:00.000", "no-offset"),
    ("2026-12-01T09:00:00+01:00", "bad"),
    ("2026-12-01T09:00:00.000Z", "bad"),
    ("2026-12-01 09:00:00.000+0100", "bad"),
    ("2026-02-30T09:00:00.000+0100", "bad"),
    ("2026-12-01T24:00:00.000+0100", "bad"),
    ("2026-12-01T09:00:00.000+1900", "bad"),
    ("2026-12-01T09:00:00.000+01", "bad"),
    ("２026-12-01T09:00:00.000+0100", "bad"),
    (20261201, "bad"),
    (None, "bad"),
])
def test_parse_send_at(value, status):
    assert parse_send_at(value)[0] == status


def test_suggest_send_at():
    assert suggest_send_at("2026-12-01T09:00:00Z") == "2026-12-01T09:00:00.000+0000"
    assert suggest_send_at("2026-12-01T09:00:00+01:00") == "2026-12-01T09:00:00.000+0100"
    assert suggest_send_at("nonsense") is None


def _send_at(value):
    b = base_body()
    b["options"]["schedule"]["sendAt"] = value
    return b


def test_send_at_format():
    assert codes(_send_at("2026-12-01T09:00:00Z")) == ["VB401"]
    f = [f for c, f in mine(_send_at("2026-12-01T09:00:00Z")) if c == "VB401"][0]
    assert f.path == ("options", "schedule", "sendAt")
    assert "2026-12-01T09:00:00.000+0000" in f.help
    assert codes(_send_at(12345)) == ["VB401"]
    assert codes(_send_at("2026-12-01T09:00:00.000+01:00")) == []


def test_send_at_missing_offset_raw_only():
    b = _send_at("2026-12-01T09:00:00.000")
    assert codes(b) == ["VB402"]
    assert codes(b, origin="spec") == []


def test_send_at_too_far_and_past():
    assert codes(_send_at("2027-06-01T09:00:00.000+0100")) == ["VB403"]
    assert codes(_send_at("2027-05-24T11:00:00.000+0000")) == []  # 180 days minus 1 h
    assert codes(_send_at("2026-11-20T09:00:00.000+0100")) == ["VB404"]
    assert codes(_send_at("2026-11-25T12:30:00.000+0100")) == ["VB404"]  # 11:30 UTC
    assert codes(_send_at("2026-11-25T13:30:00.000+0100")) == []


def test_speed_limit():
    b = base_body()
    b["options"]["schedule"]["sendingSpeedLimit"] = {"amount": 0, "timeUnit": "HOUR"}
    assert codes(b) == ["VB405"]
    b["options"]["schedule"]["sendingSpeedLimit"] = {"amount": -3}
    assert codes(b) == ["VB405"]
    b["options"]["schedule"]["sendingSpeedLimit"] = {"amount": 30, "timeUnit": "HOURS"}
    assert codes(b) == ["VB406"]
    assert "'HOUR'" in mine(b)[0][1].help
    b["options"]["schedule"]["sendingSpeedLimit"] = {"amount": 30, "timeUnit": "DAY"}
    assert codes(b) == []


def test_bulk_id_too_long():
    b = base_body()
    b["options"]["schedule"]["bulkId"] = "x" * 101
    assert codes(b) == ["VB407"]
    b["options"]["schedule"]["bulkId"] = "x" * 100
    assert codes(b) == []


def test_schedule_misplaced():
    b = base_body()
    msg(b)["sendAt"] = "2026-12-01T09:00:00.000+0100"
    opts(b)["sendingSpeedLimit"] = {"amount": 1}
    b["options"]["SendAt"] = "x"
    b["options"]["validityPeriod"] = {"amount": 1, "timeUnit": "HOURS"}
    b["options"]["schedule"]["SendAt"] = "x"
    b["bulkId"] = "top"
    found = paths(b, "VB408")
    assert set(found) == {
        ("messages", 0, "sendAt"), ("messages", 0, "options", "sendingSpeedLimit"),
        ("options", "SendAt"), ("options", "validityPeriod"), ("options", "schedule", "SendAt"), ("bulkId",),
    }
    assert all(f.key for c, f in mine(b) if c == "VB408")
    assert "VB408" not in codes(b, origin="spec")


# ------------------------------------------------------------------------------ options


def test_validity_exceeds_48h():
    b = base_body()
    opts(b)["validityPeriod"] = {"amount": 72, "timeUnit": "HOURS"}
    opts(b)["smsFailover"]["validityPeriod"] = {"amount": 2881}  # minutes by default
    assert paths(b, "VB420") == [
        ("messages", 0, "options", "validityPeriod"),
        ("messages", 0, "options", "smsFailover", "validityPeriod"),
    ]
    assert BY_CODE["VB420"].severity.value == "error"
    opts(b)["validityPeriod"] = {"amount": 172800, "timeUnit": "SECONDS"}
    opts(b)["smsFailover"]["validityPeriod"] = {"amount": 48, "timeUnit": "HOURS"}
    assert "VB420" not in codes(b)


def test_validity_non_positive_unit_invalid_implicit():
    b = base_body()
    opts(b)["validityPeriod"] = {"amount": 0, "timeUnit": "MINUTES"}
    assert codes(b) == ["VB421"]
    opts(b)["validityPeriod"] = {"amount": 1, "timeUnit": "DAYS"}
    assert codes(b) == ["VB422"]
    opts(b)["validityPeriod"] = {"amount": 1, "timeUnit": "hour"}
    assert codes(b) == ["VB422"]
    assert "'HOURS'" in mine(b)[0][1].help
    opts(b)["validityPeriod"] = {"amount": 2}
    assert codes(b) == ["VB423"]
    assert codes(b, origin="spec") == []


def _window(**w):
    b = base_body()
    opts(b)["deliveryTimeWindow"] = w
    return b


def T(h, m=0):
    return {"hour": h, "minute": m}


def test_window_days():
    assert codes(_window(from_=None)) == ["VB424"]
    assert codes(_window(days=[])) == ["VB424"]
    assert codes(_window(days=["MONDAY", "MONDAY"])) == ["VB425"]
    assert paths(_window(days=["MONDAY", "FRIDAY", "MONDAY"]), "VB425") == [
        ("messages", 0, "options", "deliveryTimeWindow", "days", 2)]
    b = _window(days=["MON", "Tuesday", 3])
    assert codes(b) == ["VB426"]
    assert len(paths(b, "VB426")) == 3
    assert codes(_window(days="MONDAY")) == ["VB426"]
    assert codes(_window(days=["SUNDAY"])) == []


def test_window_from_to():
    assert codes(_window(days=["MONDAY"], **{"from": T(10)})) == ["VB427"]
    assert codes(_window(days=["MONDAY"], to=T(10))) == ["VB427"]
    assert codes(_window(days=["MONDAY"], **{"from": T(10), "to": T(10, 30)})) == ["VB428"]
    assert codes(_window(days=["MONDAY"], **{"from": T(10), "to": T(10)})) == ["VB428"]
    assert codes(_window(days=["MONDAY"], **{"from": T(10), "to": T(11)})) == []
    # crossing midnight: wraps, so 23:30-00:15 is short, 22:00-02:00 is not
    assert codes(_window(days=["MONDAY"], **{"from": T(23, 30), "to": T(0, 15)})) == ["VB428", "VB429"]
    assert codes(_window(days=["MONDAY"], **{"from": T(22), "to": T(2)})) == ["VB429"]


def test_window_time_invalid():
    b = _window(days=["MONDAY"], **{"from": T(9), "to": T(24)})
    assert codes(b) == ["VB430"]
    assert paths(b, "VB430") == [("messages", 0, "options", "deliveryTimeWindow", "to", "hour")]
    assert codes(_window(days=["MONDAY"], **{"from": {"hour": 9}, "to": T(18)})) == ["VB430"]
    assert codes(_window(days=["MONDAY"], **{"from": "09:00", "to": T(18, 60)})) == ["VB430"]
    assert codes(_window(days=["MONDAY"], **{"from": T(9, True), "to": T(18)})) == ["VB430"]
    assert codes(_window(days=["MONDAY"], **{"from": T(0), "to": T(23, 59)})) == []


def test_id_lengths():
    b = base_body()
    opts(b)["campaignReferenceId"] = "c" * 256
    opts(b)["platform"] = {"entityId": "e" * 256, "applicationId": "a" * 256}
    assert codes(b) == ["VB431", "VB432", "VB433"]
    opts(b)["campaignReferenceId"] = "c" * 255
    opts(b)["platform"] = {"entityId": "e" * 255, "applicationId": "a" * 255}
    assert codes(b) == []


def test_unsupported_option():
    b = base_body()
    opts(b)["tracking"] = {"track": "SMS"}
    b["options"]["includeSmsCountInResponse"] = True
    msg(b)["content"]["trackingData"] = "x"
    msg(b)["toPrimaryDeviceOnly"] = True
    assert set(paths(b, "VB434")) == {
        ("messages", 0, "options", "tracking"), ("options", "includeSmsCountInResponse"),
        ("messages", 0, "content", "trackingData"), ("messages", 0, "toPrimaryDeviceOnly"),
    }
    assert "VB408" not in codes(b)  # not reported twice
    assert "VB434" not in codes(b, origin="spec")


# ----------------------------------------------------------------------------- failover


def fo(body):
    return opts(body)["smsFailover"]


def test_failover_text():
    b = base_body()
    del fo(b)["text"]
    assert codes(b) == ["VB501"]
    fo(b)["text"] = 5
    assert codes(b) == ["VB501"]
    fo(b)["text"] = "  "
    assert codes(b) == ["VB502"]


def test_failover_missing_destination_matching():
    b = base_body()
    fo(b)["destinationMatching"] = [{"initial": "bot-user-1", "failover": "41793026727"}]
    msg(b)["destinations"].append({"to": "bot-user-3"})
    msg(b)["destinations"].append({"to": "41793026729"})  # already a phone number
    found = [f for c, f in mine(b) if c == "VB503"]
    assert len(found) == 1
    assert found[0].path == ("messages", 0, "destinations", 1)
    assert "1 more" in found[0].message
    del fo(b)["destinationMatching"]
    assert codes(b) == ["VB503", "VB605"]  # the phone-number destination is only a note
    # no failover, no finding
    del opts(b)["smsFailover"]
    assert codes(b) == ["VB605"]


def test_failover_destination_not_international():
    b = base_body()
    fo(b)["destinationMatching"][0]["failover"] = "079 302 67 27"
    fo(b)["destinationMatching"][1]["failover"] = "0793026727"
    assert paths(b, "VB504") == [
        ("messages", 0, "options", "smsFailover", "destinationMatching", 0, "failover"),
        ("messages", 0, "options", "smsFailover", "destinationMatching", 1, "failover"),
    ]
    del fo(b)["destinationMatching"][1]["failover"]
    assert len(paths(b, "VB504")) == 2


def test_failover_matching_unknown_initial():
    b = base_body()
    fo(b)["destinationMatching"][1]["initial"] = "bot-user-9"
    assert "VB505" in codes(b)
    assert paths(b, "VB505") == [("messages", 0, "options", "smsFailover", "destinationMatching", 1, "initial")]


@pytest.mark.parametrize("sender,bad", [
    ("InfoSMS", False), ("DemoCompanyInfo", True), ("AB", True), ("41793026726", False),
    ("123456789012345", True), ("+12345678901234", False), ("12", True),
])
def test_failover_sender_length(sender, bad):
    b = base_body()
    fo(b)["sender"] = sender
    assert (codes(b) == ["VB506"]) is bad


def test_failover_regional():
    b = base_body()
    fo(b)["regional"] = {
        "indiaDlt": {"contentTemplateId": "1107"},
        "turkeyIys": {"brandCode": 1, "recipientType": "bireysel"},
        "southKorea": {"title": "t" * 67},
    }
    assert codes(b) == ["VB507", "VB508", "VB509"]
    fo(b)["regional"] = {
        "indiaDlt": {"principalEntityId": "1201"},
        "turkeyIys": {"recipientType": "TACIR"},
        "southKorea": {"title": "t" * 66},
    }
    assert codes(b) == []
    fo(b)["regional"]["turkeyIys"] = {}
    assert codes(b) == ["VB508"]


# ----------------------------------------------------------------------------- webhooks


def wh(body):
    return msg(body)["webhooks"]


def test_webhooks():
    b = base_body()
    wh(b)["callbackData"] = "x" * 4001
    assert codes(b) == ["VB520"]
    wh(b)["callbackData"] = "x" * 4000
    wh(b)["delivery"]["url"] = "www.example.com/dlr"
    wh(b)["seen"]["url"] = "http://www.example.com/seen"
    assert codes(b) == ["VB521", "VB522"]
    assert paths(b, "VB521") == [("messages", 0, "webhooks", "delivery", "url")]
    assert paths(b, "VB522") == [("messages", 0, "webhooks", "seen", "url")]
    wh(b)["delivery"] = {"url": "https://www.example.com/dlr", "notify": False}
    wh(b)["seen"] = {"url": "https://www.example.com/seen"}
    assert codes(b) == ["VB523"]
    wh(b)["delivery"] = {"notify": False}
    assert codes(b) == []
    for bad in ("json", "application/json; charset=utf-8", "text/plain", 1):
        wh(b)["contentType"] = bad
        assert codes(b) == ["VB524"], bad
    wh(b)["contentType"] = "application/xml"
    assert codes(b) == []


# --------------------------------------------------------------------------- addressing


def test_to_empty_and_sender_empty():
    b = base_body()
    msg(b)["destinations"] = [{"to": ""}, {"messageId": "x"}, {"to": " "}, {"to": "ok"}, {"to": 5}]
    del opts(b)["smsFailover"]
    assert paths(b, "VB601") == [("messages", 0, "destinations", j) for j in (0, 1, 2)]
    msg(b)["sender"] = ""
    assert "VB606" in codes(b)
    del msg(b)["sender"]
    assert "VB606" in codes(b)
    assert "VB606" not in codes(b, origin="spec")  # VB105 covers a spec without sender


def test_message_ids():
    b = base_body()
    msg(b)["destinations"] = [{"to": "a", "messageId": "m" * 201}, {"to": "b", "messageId": "dup"}]
    b["messages"].append(copy.deepcopy(msg(b)))
    b["messages"][1]["destinations"][0]["messageId"] = "dup"
    del opts(b)["smsFailover"]
    del b["messages"][1]["options"]["smsFailover"]
    assert codes(b) == ["VB602", "VB603"]
    assert paths(b, "VB603") == [("messages", 1, "destinations", 0, "messageId"),
                                 ("messages", 1, "destinations", 1, "messageId")]


def test_too_many_messages_same_user():
    b = base_body()
    del opts(b)["smsFailover"]
    msgs = []
    for i in range(101):
        m = copy.deepcopy(msg(b))
        m["destinations"] = [{"to": "bot-user-1"}]
        msgs.append(m)
    b["messages"] = msgs
    assert paths(b, "VB604") == [("messages", 100, "destinations", 0)]
    b["messages"].pop()
    assert "VB604" not in codes(b)


def test_to_looks_like_msisdn_and_duplicates():
    b = base_body()
    del opts(b)["smsFailover"]
    msg(b)["destinations"] = [{"to": "nsId6t9MWy3mq09RAeXiug=="}, {"to": "66855538125"}, {"to": "+385911234567"},
                              {"to": "123456789"}, {"to": "66855538125"}]
    found = [f for c, f in mine(b) if c == "VB605"]
    assert [f.path for f in found] == [("messages", 0, "destinations", 1)]
    assert "3 destinations" in found[0].message
    assert paths(b, "VB607") == [("messages", 0, "destinations", 4)]


def test_destinations_empty():
    b = base_body()
    del opts(b)["smsFailover"]
    msg(b)["destinations"] = []
    assert codes(b) == ["VB608"]
    del msg(b)["destinations"]
    assert codes(b) == ["VB608"]
    assert codes(b, origin="spec") == []


# ----------------------------------------------------------------------------- malformed


MALFORMED = [
    None, 1, "x", [], {"messages": None}, {"messages": "x"}, {"messages": [None, 1, "x", []]},
    {"messages": [{}], "options": []}, {"options": {"schedule": []}},
    {"options": {"schedule": {"sendAt": [], "bulkId": 5, "sendingSpeedLimit": {"amount": "x", "timeUnit": []}}}},
    {"options": {"schedule": {"sendingSpeedLimit": [1]}}, "messages": []},
    {"messages": [{"sender": [], "destinations": "x", "options": [], "webhooks": []}]},
    {"messages": [{"destinations": [None, 1, [], {"to": []}, {"to": {}}, {"to": None, "messageId": []}]}]},
    {"messages": [{"destinations": [{"to": ""}], "options": {
        "validityPeriod": {"amount": "x", "timeUnit": {}},
        "deliveryTimeWindow": {"days": [[], {}, None], "from": [], "to": {"hour": "9", "minute": None}},
        "platform": [], "campaignReferenceId": 5,
        "smsFailover": {"text": [], "sender": 5, "validityPeriod": [], "regional": {"indiaDlt": [], "turkeyIys": {"recipientType": []},
                        "southKorea": {"title": 5}},
                        "destinationMatching": [None, {"initial": [], "failover": 5}, {"initial": {}}]}}}]},
    {"messages": [{"destinations": [{"to": []}], "options": {"smsFailover": {"destinationMatching": "x"},
                                                             "deliveryTimeWindow": {"days": None, "from": 5}}}]},
    {"messages": [{"webhooks": {"delivery": [], "seen": "x", "contentType": None, "callbackData": []}}]},
    {"messages": [{"webhooks": {"delivery": {"url": 5, "notify": "no"}, "seen": {"url": None}}}]},
    {"messages": [{"options": {"validityPeriod": {"amount": float("inf")}}}]},
    {"messages": [{"options": {"validityPeriod": {"amount": float("nan"), "timeUnit": "HOURS"}}}]},
]


@pytest.mark.parametrize("body", MALFORMED)
@pytest.mark.parametrize("origin", ["payload", "spec"])
def test_malformed_bodies_do_not_crash(body, origin):
    mine(body, origin)
