"""vibespec.inbound: parse, validate and summarise the Viber Bot inbound webhook."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import codes, needs_json_positions

from vibespec import inbound
from vibespec.diagnostics import Severity, VibespecError
from vibespec.wire.inbound_models import (
    AudioInboundMessage,
    ContactInboundMessage,
    ConversationStartedEvent,
    DeliveredEvent,
    FileInboundMessage,
    ImageInboundMessage,
    InboundBatch,
    LocationInboundMessage,
    MessageEvent,
    StickerInboundMessage,
    SubscribedEvent,
    TextInboundMessage,
    UnknownEvent,
    UnknownInboundMessage,
    UnsubscribedEvent,
    UrlInboundMessage,
    VideoInboundMessage,
    is_infobip_datetime,
    parse_datetime,
)

USER = "pVv0A3cGlUPsmnGxRwIi0w=="


# ----------------------------------------------------------------------------- every event, every type


def test_all_events_parse_clean(fixture_bytes):
    body = fixture_bytes("inbound_all_events.json")
    assert inbound.validate(body, "inbound_all_events.json") == []
    batch = inbound.parse(body)
    assert isinstance(batch, InboundBatch)
    assert batch.message_count == 11 and batch.pending_message_count == 0 and len(batch) == 11
    assert [r.event for r in batch] == ["MESSAGE"] * 7 + ["DELIVERED", "SUBSCRIBED", "UNSUBSCRIBED", "CONVERSATION_STARTED"]
    assert [r.content_type for r in batch.messages()] == ["TEXT", "IMAGE", "VIDEO", "FILE", "STICKER", "CONTACT", "LOCATION"]
    assert all(r.user_id == USER for r in batch)
    kinds = [type(r.message) for r in batch]
    assert kinds == [MessageEvent] * 7 + [DeliveredEvent, SubscribedEvent, UnsubscribedEvent, ConversationStartedEvent]
    contents = [type(r.content) for r in batch.messages()]
    assert contents == [TextInboundMessage, ImageInboundMessage, VideoInboundMessage, FileInboundMessage,
                        StickerInboundMessage, ContactInboundMessage, LocationInboundMessage]


def test_accessors(fixture_bytes):
    batch = inbound.parse(fixture_bytes("inbound_all_events.json"))
    text, image, video, file, sticker, contact, location = batch.messages()
    assert text.text == "Hello, bot!" and text.content.tracking_data == "order-42"
    assert image.text is None  # only TEXT messages have .text
    assert image.content.thumbnail_url.endswith("t.jpg") and image.content.size == 34125
    assert video.content.duration == 12
    assert file.content.file_name == "invoice.pdf"
    assert sticker.content.id == "40133"
    assert contact.content.contact.phone_number == "+385911234567"
    assert location.content.location.latitude == pytest.approx(45.815)
    ev = text.message
    assert ev.is_message and ev.message_token == "5490065890" and ev.silent is False
    assert ev.sender.api_version == "10" and ev.sender.country == "HR"
    assert ev.timestamp_dt.year == 2026
    assert text.price.price_per_message == 0 and text.price.currency == "EUR"
    assert text.integration_type == "VIBER_BOT"
    assert text.received_at == "2026-11-25T12:00:00.123+0000"
    dt = text.received_at_dt
    assert (dt.year, dt.month, dt.day, dt.microsecond, dt.utcoffset().total_seconds()) == (2026, 11, 25, 123000, 0)
    delivered, subscribed, unsubscribed, started = [r for r in batch if not r.is_message]
    assert not delivered.message.is_message and delivered.content is None and delivered.content_type is None
    assert delivered.message.user_id == USER
    assert subscribed.message.user.name == "Ana"
    assert started.message.context == "promo-2026" and started.message.subscribed is False
    assert [r.message_id for r in batch.events("UNSUBSCRIBED")] == [unsubscribed.message_id]


def test_summarize_and_format(fixture_bytes):
    s = inbound.summarize(inbound.parse(fixture_bytes("inbound_all_events.json")))
    assert s["results"] == 11 and s["users"] == 1
    assert s["events"] == {"MESSAGE": 7, "DELIVERED": 1, "SUBSCRIBED": 1, "UNSUBSCRIBED": 1, "CONVERSATION_STARTED": 1}
    assert list(s["message_types"]) == ["TEXT", "IMAGE", "VIDEO", "FILE", "STICKER", "CONTACT", "LOCATION"]
    line = inbound.format_summary(s, "in.json")
    assert line.startswith("in.json: 11 results — MESSAGE 7 (TEXT 1, IMAGE 1, VIDEO 1, FILE 1, STICKER 1, CONTACT 1, LOCATION 1), DELIVERED 1")


def test_format_summary_example_shape():
    s = {"results": 3, "events": {"MESSAGE": 2, "SUBSCRIBED": 1}, "message_types": {"TEXT": 1, "AUDIO": 1}}
    assert inbound.format_summary(s, "inbound.json") == "inbound.json: 3 results — MESSAGE 2 (TEXT 1, AUDIO 1), SUBSCRIBED 1"


def test_audio_accepted_with_info(fixture_bytes):
    body = fixture_bytes("inbound_audio.json")
    diags = inbound.validate(body)
    assert codes(diags) == ["VB805"] and diags[0].severity == Severity.INFO
    r = inbound.parse(body).results[0]
    assert isinstance(r.content, AudioInboundMessage) and r.content_type == "AUDIO"
    assert (r.content.duration, r.content.size, r.content.file_name) == (4, 51234, "voice.m4a")


def test_url_accepted_with_info(fixture_bytes):
    body = fixture_bytes("inbound_url.json")
    diags = inbound.validate(body)
    assert codes(diags) == ["VB805"] and diags[0].severity == Severity.INFO
    c = inbound.parse(body).results[0].content
    assert isinstance(c, UrlInboundMessage) and c.url.startswith("https://") and c.text == "see this"


def test_unknown_message_type_kept_and_warned(fixture_bytes):
    body = fixture_bytes("inbound_unknown_message_type.json")
    diags = inbound.validate(body)
    assert codes(diags) == ["VB804"] and diags[0].severity == Severity.WARNING
    assert diags[0].pointer == "/results/0/message/message/type"
    r = inbound.parse(body).results[0]
    assert isinstance(r.content, UnknownInboundMessage) and r.content_type == "POLL"
    assert r.content.model_extra == {"question": "?"}


def test_unknown_event_kept_and_error(fixture_bytes):
    body = fixture_bytes("inbound_unknown_event.json")
    diags = inbound.validate(body)
    assert codes(diags) == ["VB803"] and diags[0].severity == Severity.ERROR
    assert "webhooks.seen.url" in diags[0].help
    r = inbound.parse(body).results[0]  # parse does not raise: the event is kept
    assert isinstance(r.message, UnknownEvent) and r.event == "SEEN" and not r.is_message
    assert r.user_id == "u"  # userId of the generic event


def test_lowercase_event_type_hint(fixture_json):
    body = fixture_json("inbound_audio.json")
    body["results"][0]["message"]["type"] = "message"
    (d,) = [d for d in inbound.validate(body) if d.code == "VB803"]
    assert '"MESSAGE"' in d.help


def test_unknown_fields_kept(fixture_json):
    body = fixture_json("inbound_audio.json")
    body["futureTop"] = 1
    body["results"][0]["futureResult"] = {"x": 1}
    body["results"][0]["message"]["futureEvent"] = True
    body["results"][0]["message"]["sender"]["futureUser"] = "y"
    body["results"][0]["message"]["message"]["waveform"] = [1, 2]
    batch = inbound.parse(body)
    r = batch.results[0]
    assert batch.model_extra == {"futureTop": 1}
    assert r.model_extra == {"futureResult": {"x": 1}}
    assert r.message.model_extra == {"futureEvent": True}
    assert r.message.sender.extra_fields == {"futureUser": "y"}
    assert r.content.model_extra == {"waveform": [1, 2]}
    diags = inbound.validate(body)
    assert sorted(d.pointer for d in diags if d.code == "VB812") == [
        "/futureTop", "/results/0/futureResult", "/results/0/message/futureEvent",
        "/results/0/message/message/waveform", "/results/0/message/sender/futureUser",
    ]
    assert all(d.severity == Severity.INFO for d in diags)


def test_snake_case_names_accepted():
    batch = InboundBatch.model_validate({
        "results": [{
            "sender": "u", "to": "b", "integration_type": "VIBER_BOT",
            "received_at": "2026-11-25T12:00:00.000+0000", "message_id": "m",
            "price": {"price_per_message": 0.0, "currency": "EUR"},
            "message": {"type": "DELIVERED", "timestamp": 1, "message_token": "t", "user_id": "u"},
        }],
        "message_count": 1,
    })
    assert batch.results[0].message.user_id == "u"
    dumped = batch.model_dump(by_alias=True, exclude_none=True)
    assert dumped["results"][0]["integrationType"] == "VIBER_BOT" and dumped["messageCount"] == 1


# ----------------------------------------------------------------------------- malformed bodies

MALFORMED_EXPECTED = {
    ("VB801", "/results/0/integrationType"),
    ("VB801", "/results/0/receivedAt"),
    ("VB801", "/results/0/message/userId"),
    ("VB802", "/results/0/message/timestamp"),
    ("VB802", "/results/0/messageId"),
    ("VB802", "/results/0/price/pricePerMessage"),
    ("VB802", "/results/1/message/silent"),
    ("VB804", "/results/1/message/message/type"),
    ("VB806", "/results/1/receivedAt"),
    ("VB810", "/messageCount"),
    ("VB812", "/results/0/recievedAt"),
}


def test_malformed_codes(fixture_bytes):
    diags = inbound.validate(fixture_bytes("inbound_malformed.json"), "bad.json")
    assert {(d.code, d.pointer) for d in diags} == MALFORMED_EXPECTED
    assert all(d.file == "bad.json" for d in diags)
    typo = next(d for d in diags if d.code == "VB812")
    assert typo.help == 'did you mean "receivedAt"?'
    lower = next(d for d in diags if d.code == "VB804")
    assert '"TEXT"' in lower.help


def test_malformed_parse_raises(fixture_bytes):
    with pytest.raises(VibespecError) as ei:
        inbound.parse(fixture_bytes("inbound_malformed.json"), "bad.json")
    assert {d.code for d in ei.value.diagnostics} == {"VB801", "VB802", "VB806"}
    assert all(d.severity == Severity.ERROR for d in ei.value.diagnostics)


@needs_json_positions
def test_malformed_lines(fixture_bytes):
    diags = inbound.validate(fixture_bytes("inbound_malformed.json"), "bad.json")
    where = {(d.code, d.pointer): (d.line, d.column) for d in diags}
    assert where[("VB801", "/results/0/integrationType")] == (3, 5)  # the object missing it
    assert where[("VB801", "/results/0/message/userId")][0] == 9
    assert where[("VB812", "/results/0/recievedAt")] == (6, 7)  # the key
    assert where[("VB802", "/results/0/messageId")][0] == 7
    assert where[("VB802", "/results/0/message/timestamp")][0] == 11
    assert where[("VB806", "/results/1/receivedAt")][0] == 19
    assert where[("VB802", "/results/1/message/silent")][0] == 26
    assert where[("VB804", "/results/1/message/message/type")][0] == 27
    assert where[("VB810", "/messageCount")][0] == 31


def test_not_json(fixture_bytes):
    diags = inbound.validate(fixture_bytes("inbound_not_json.json"), "x.json")
    assert codes(diags) == ["VB001"] and diags[0].line == 3 and diags[0].file == "x.json"
    with pytest.raises(VibespecError):
        inbound.parse(fixture_bytes("inbound_not_json.json"))


@pytest.mark.parametrize("body", ["[]", "42", '"x"', b"[1]"])
def test_root_not_object(body):
    diags = inbound.validate(body)
    assert [d.code for d in diags] in (["VB004"], ["VB001"])
    assert diags[0].severity == Severity.ERROR


@pytest.mark.parametrize("body", [[], 42, None, "", b"", b"\xff\xfe\x00", "<xml/>"])
def test_odd_inputs_never_raise_from_validate(body):
    diags = inbound.validate(body)
    assert diags and all(d.severity == Severity.ERROR for d in diags)


def test_empty_results_info():
    assert codes(inbound.validate({"results": []})) == ["VB811"]
    assert codes(inbound.validate({})) == ["VB811"]
    assert len(inbound.parse({})) == 0


def test_missing_event_type(fixture_json):
    body = fixture_json("inbound_audio.json")
    del body["results"][0]["message"]["type"]
    diags = inbound.validate(body)
    assert ("VB801", "/results/0/message/type") in {(d.code, d.pointer) for d in diags}


def test_missing_nested_type(fixture_json):
    body = fixture_json("inbound_audio.json")
    del body["results"][0]["message"]["message"]["type"]
    assert codes(inbound.validate(body)) == ["VB804"]


def test_subscribed_requires_user(fixture_json):
    body = fixture_json("inbound_all_events.json")
    ev = body["results"][8]["message"]
    assert ev["type"] == "SUBSCRIBED"
    del ev["user"]
    del body["results"][7]["message"]["timestamp"]
    got = {(d.code, d.pointer) for d in inbound.validate(body)}
    assert got == {("VB801", "/results/8/message/user"), ("VB801", "/results/7/message/timestamp")}


def test_limits():
    body = json.loads(open(__file__.replace("test_wire_inbound.py", "fixtures/inbound_audio.json")).read())
    body["results"][0]["entityId"] = "e" * 256
    body["results"][0]["message"]["message"]["size"] = 2**31
    got = {(d.code, d.pointer) for d in inbound.validate(body)}
    assert ("VB802", "/results/0/entityId") in got
    assert ("VB802", "/results/0/message/message/size") in got


def test_report_body_hint(fixture_bytes):
    diags = inbound.validate(fixture_bytes("reports_status_groups.json"))
    assert any(d.code == "VB801" and "vibespec reports" in (d.help or "") for d in diags)


# ----------------------------------------------------------------------------- robustness

_WRONG = [None, 0, -1, 1.5, True, "", "x", [], {}, [{}], {"type": "MESSAGE"}]


def _paths(obj, path=()):
    yield path
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, path + (i,))


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def test_every_field_with_every_wrong_type_never_raises(fixture_json):
    base = fixture_json("inbound_all_events.json")
    base["results"] = base["results"][:1] + base["results"][7:]  # one MESSAGE + the other events
    seen = 0
    for path in list(_paths(base)):
        if not path:
            continue
        for wrong in _WRONG:
            body = copy.deepcopy(base)
            _set(body, path, wrong)
            diags = inbound.validate(body)
            assert isinstance(diags, list)
            try:
                inbound.parse(body)
            except VibespecError as e:
                assert e.diagnostics
            seen += 1
    assert seen > 300


# ----------------------------------------------------------------------------- dates


def test_datetimes():
    assert is_infobip_datetime("2023-09-26T10:52:15.457+0000")
    assert is_infobip_datetime("2023-09-26T10:52:15.457-0530")
    assert not is_infobip_datetime("2023-09-26T10:52:15.457+00:00")
    assert not is_infobip_datetime("2023-02-30T10:52:15.457+0000")
    assert parse_datetime("2023-09-26T10:52:15.457-0530").utcoffset().total_seconds() == -(5 * 3600 + 30 * 60)
    assert parse_datetime("2023-09-26T10:52:15Z").tzinfo is not None
    for bad in ("2023-09-26T10:52:15", "yesterday", "20230926T105215Z", "2023-02-30T10:52:15.457+0000"):
        with pytest.raises(ValueError):
            parse_datetime(bad)


@pytest.mark.parametrize(
    "value,code",
    [("2023-09-26T10:52:15Z", "VB807"), ("2023-09-26T10:52:15.457+00:00", "VB807"),
     ("2023-09-26T10:52:15", "VB806"), ("soon", "VB806"), ("2023-13-01T00:00:00.000+0000", "VB806")],
)
def test_received_at_checks(fixture_json, value, code):
    body = fixture_json("inbound_audio.json")
    body["results"][0]["receivedAt"] = value
    diags = [d for d in inbound.validate(body) if d.code != "VB805"]
    assert codes(diags) == [code]
    r = inbound.parse(body).results[0] if code != "VB806" else None
    if r is not None:
        assert r.received_at_dt is not None
