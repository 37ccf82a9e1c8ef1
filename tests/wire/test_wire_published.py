"""Infobip's own examples from the published OpenAPI spec parse cleanly.

The spec sits outside the repository (``../shared/reference/infobip-viber-openapi.json``);
these tests are skipped when it is absent."""

from __future__ import annotations

import json

import pytest

from vibespec import inbound, reports

BOT_DLR_WEBHOOK = "receive-outbound-viber-bot-message-delivery-reports"
BOT_INBOUND_WEBHOOK = "receive-viber-bot-api-incoming-messages"


def _examples(content: dict) -> list[tuple[str, str, object]]:
    out = []
    for media, spec in content.items():
        for name, ex in (spec.get("examples") or {}).items():
            if "value" in ex:
                out.append((media, name, ex["value"]))
        if "example" in spec:
            out.append((media, "example", spec["example"]))
    return out


def _dlr_examples(openapi) -> list[tuple[str, str, object]]:
    out = _examples(openapi["webhooks"][BOT_DLR_WEBHOOK]["post"]["requestBody"]["content"])
    get = openapi["paths"]["/viber-bot/1/reports"]["get"]["responses"]["200"]["content"]
    out += [(m, "GET " + n, v) for m, n, v in _examples(get)]
    return out


def test_dlr_examples_present(openapi):
    media = {m for m, _, _ in _dlr_examples(openapi)}
    assert {"application/json", "application/xml"} <= media


def test_dlr_examples_parse_cleanly(openapi):
    for media, name, value in _dlr_examples(openapi):
        label = f"{media} {name}"
        body = value if isinstance(value, (dict, str)) else json.dumps(value)
        assert reports.validate(body, label) == [], label
        batch = reports.parse(body, label)
        assert batch.results, label
        r = batch.results[0]
        assert r.delivered and r.is_final and r.error.group_name == "OK", label
        assert r.status.group_id == 3 and r.status.name == "DELIVERED_TO_HANDSET", label


def test_dlr_json_and_xml_examples_agree(openapi):
    content = openapi["webhooks"][BOT_DLR_WEBHOOK]["post"]["requestBody"]["content"]
    (_, _, j), = _examples({"application/json": content["application/json"]})
    (_, _, x), = _examples({"application/xml": content["application/xml"]})
    assert reports.parse(j).model_dump() == reports.parse_xml(x).model_dump()


def test_dlr_example_as_json_text_has_positions(openapi):
    content = openapi["webhooks"][BOT_DLR_WEBHOOK]["post"]["requestBody"]["content"]
    (_, _, j), = _examples({"application/json": content["application/json"]})
    text = json.dumps(j, indent=2)
    assert reports.validate(text, "dlr.json") == []


def test_inbound_webhook_examples(openapi):
    content = openapi["webhooks"][BOT_INBOUND_WEBHOOK]["post"]["requestBody"]["content"]
    exs = _examples(content)
    if not exs:
        pytest.skip("Infobip publishes no example for the Viber Bot inbound webhook (spec 3.210.0)")
    for media, name, value in exs:  # pragma: no cover - for a future spec version
        assert inbound.validate(value, name) == []


def _resolve(openapi, schema):
    while "$ref" in schema:
        ref = schema["$ref"].split("/")[-1]
        schema = openapi["components"]["schemas"][ref]
    return schema


def test_models_cover_the_schema(openapi):
    """Every property Infobip defines is a field of our models (so none is reported as unknown)."""
    from vibespec.wire import inbound_models as pin
    from vibespec.wire import report_models as prep

    prefix = next(k.split(".")[0] for k in openapi["components"]["schemas"] if k.endswith(".ViberBotInboundResponse"))
    pairs = {
        "ViberBotInboundResponse": pin.InboundBatch,
        "InboundMessageViberBotInboundContent": pin.InboundResult,
        "ViberBotUser": pin.ViberBotUser,
        "ViberBotContact": pin.ViberBotContact,
        "Location": pin.Location,
        "MessagePrice": pin.MessagePrice,
        "ViberBotInboundMessageContent": pin.MessageEvent,
        "ViberBotInboundDeliveredContent": pin.DeliveredEvent,
        "ViberBotInboundSubscribedContent": pin.SubscribedEvent,
        "ViberBotInboundUnsubscribedContent": pin.UnsubscribedEvent,
        "ViberBotInboundConversationStartedContent": pin.ConversationStartedEvent,
        "ViberBotTextNestedInboundMessage": pin.TextInboundMessage,
        "ViberBotImageNestedInboundMessage": pin.ImageInboundMessage,
        "ViberBotVideoNestedInboundMessage": pin.VideoInboundMessage,
        "ViberBotFileNestedInboundMessage": pin.FileInboundMessage,
        "ViberBotStickerNestedInboundMessage": pin.StickerInboundMessage,
        "ViberBotContactNestedInboundMessage": pin.ContactInboundMessage,
        "ViberBotLocationNestedInboundMessage": pin.LocationInboundMessage,
        "DeliveryReports": prep.DeliveryReportBatch,
        "DeliveryReport": prep.DeliveryReport,
        "MessageStatus": prep.MessageStatus,
        "MessageError": prep.MessageError,
        "Platform": prep.Platform,
    }
    for name, cls in pairs.items():
        schema = openapi["components"]["schemas"][f"{prefix}.{name}"]
        props: dict = dict(schema.get("properties", {}))
        required = set(schema.get("required", ()))
        for part in schema.get("allOf", ()):
            part = _resolve(openapi, part)
            props.update(part.get("properties", {}))
            required |= set(part.get("required", ()))
        aliases = {f.alias or n for n, f in cls.model_fields.items()}
        assert set(props) <= aliases, (name, set(props) - aliases)
        model_required = {f.alias or n for n, f in cls.model_fields.items() if f.is_required()}
        # "type" is the discriminator: required by our models even where the schema omits it
        assert model_required - {"type"} == required - {"type"}, name


def test_enums_match_the_schema(openapi):
    from vibespec.wire import inbound_models as pin
    from vibespec.wire import report_models as prep

    schemas = openapi["components"]["schemas"]

    def enum(suffix):
        return next(v["enum"] for k, v in schemas.items() if k.startswith("14dcd0f2") and k.endswith("." + suffix))

    assert tuple(enum("ViberBotInboundContentType")) == pin.EVENT_TYPES
    assert set(enum("ViberBotInboundMessageType")) == set(pin.SPEC_MESSAGE_TYPES)
    assert set(enum("MessageGeneralStatus")) == set(prep.STATUS_GROUP_NAMES)
    assert set(enum("MessageErrorGroup")) == set(prep.ERROR_GROUP_NAMES)
