"""Codes emitted by ``vibespec inbound`` and ``vibespec reports`` (VB8xx): the validation of
bodies Infobip sends *to you* (the inbound webhook and delivery reports). They have no
``check``: :mod:`vibespec.wire.inbound` and :mod:`vibespec.wire.reports` report them, and this module
is their registry entry and documentation (``vibespec explain``, select/ignore)."""

from __future__ import annotations

from .. import codes
from ..diagnostics import Severity
from .base import Rule


class _Wire(Rule):
    stage = "wire"

    def check(self, ctx):  # emitted by vibespec.wire.inbound / vibespec.wire.reports, never run on a body
        return ()


class WireMissingFieldRule(_Wire):
    """A field Infobip's schema marks as required is missing from a webhook body.

    Why: code that consumes the webhook relies on these fields; a body without them is
    not what Infobip documents (a test fixture written by hand, a proxy that rewrote the
    body, or a change on Infobip's side). Required are, per result of the inbound webhook:
    ``sender``, ``to``, ``integrationType``, ``receivedAt``, ``messageId``, ``message`` and
    ``price``; per event: ``type``, ``timestamp`` and ``messageToken``, plus ``userId`` for
    DELIVERED and UNSUBSCRIBED and ``user`` for SUBSCRIBED. Delivery reports have no required
    field.

    Source: Infobip OpenAPI spec, ``InboundMessageViberBotInboundContent.required`` and the
    ``required`` lists of ``ViberBotInbound*Content``.

    Fails:

        {"results": [{"sender": "u1", "to": "bot", "messageId": "m1", ...}]}
        (no integrationType, receivedAt, message, price)

    Passes: a result with all seven fields.
    """

    code, name, severity = codes.VB801


class WireInvalidValueRule(_Wire):
    """A field of a webhook body has the wrong JSON type or breaks a schema limit.

    Why: e.g. ``timestamp`` is an int64 (epoch milliseconds), ``size`` an int32, ``silent``
    a boolean, ``pricePerMessage`` a number, ``entityId`` at most 255 characters. Types
    are checked strictly (``"1"`` is not an integer): the body is machine-written, so a
    string where the schema says number is a real discrepancy. ``null`` is accepted for
    optional fields.

    Source: Infobip OpenAPI spec (field types and ``maxLength``).

    Fails:

        {"type": "DELIVERED", "timestamp": "1695725535457", ...}

    Passes:

        {"type": "DELIVERED", "timestamp": 1695725535457, ...}
    """

    code, name, severity = codes.VB802


class InboundUnknownEventRule(_Wire):
    """``results[].message.type`` is not an event Infobip sends to a Viber bot.

    Why: Infobip forwards exactly MESSAGE, DELIVERED, SUBSCRIBED, UNSUBSCRIBED and
    CONVERSATION_STARTED (upper case). There are no SEEN or FAILED events on this webhook:
    seen reports go to ``webhooks.seen.url`` and delivery reports to the DLR webhook. The
    result is still parsed (as a generic event) so that nothing is lost.

    Source: Infobip OpenAPI spec, ``ViberBotInboundContentType``; constraints §4.1.

    Fails:

        "message": {"type": "SEEN", ...}      "message": {"type": "message", ...}

    Passes:

        "message": {"type": "MESSAGE", ...}
    """

    code, name, severity = codes.VB803


class InboundUnknownMessageTypeRule(_Wire):
    """A MESSAGE event's content type (``results[].message.message.type``) is unknown or missing.

    Why: Infobip lists TEXT, IMAGE, VIDEO, STICKER, FILE, CONTACT and LOCATION; vibespec
    also knows AUDIO and URL (VB805). Anything else may be a new type your bot does not
    handle yet. It is a warning, not an error: the message is kept as a generic object.

    Source: Infobip OpenAPI spec, ``ViberBotInboundMessageType``; constraints §6
    (inbound-unknown-message-type, W).

    Fails:

        "message": {"type": "MESSAGE", ..., "message": {"type": "POLL"}}

    Passes:

        "message": {"type": "MESSAGE", ..., "message": {"type": "TEXT", "text": "hi"}}
    """

    code, name, severity = codes.VB804


class InboundUnlistedMessageTypeRule(_Wire):
    """A MESSAGE carries AUDIO or URL content, which Infobip's schema does not list.

    Why: users do send voice notes and links. Viber has a native ``url`` message, and
    audio arrives in practice even though neither Infobip's enum nor Viber's callback list
    mentions it. Make sure your bot handles them.

    Source: Infobip OpenAPI spec, ``ViberBotInboundMessageType`` (no AUDIO, no URL);
    Viber REST Bot API callbacks (``url``).

    Decision: both types are modelled (AUDIO like FILE/VIDEO: ``url``, ``fileName``,
    ``size``, ``duration``, ``trackingData``; URL with ``url``, ``text``, ``trackingData``)
    and parse as first-class types. Because they are real traffic rather than mistakes,
    this is an info note, not a warning; ignore it with ``--ignore VB805`` once handled.

    Fails (info):

        "message": {"type": "AUDIO", "url": "https://.../voice.m4a", "duration": 4}

    Passes:

        "message": {"type": "FILE", "url": "https://.../doc.pdf", "fileName": "doc.pdf"}
    """

    code, name, severity = codes.VB805


class WireInvalidDatetimeRule(_Wire):
    """A date-time field (``receivedAt``, ``sentAt``, ``doneAt``) is not a date-time.

    Why: these fields are documented as ``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` (e.g.
    ``2023-09-26T10:52:15.457+0000``). A value that is no date-time at all (or one without
    a UTC offset, which is ambiguous) cannot be ordered or compared.

    Source: Infobip OpenAPI spec (``format: date-time`` and the description's pattern).

    Fails:

        "receivedAt": "yesterday"        "sentAt": "2023-09-26 10:52:15"

    Passes:

        "receivedAt": "2023-09-26T10:52:15.457+0000"
    """

    code, name, severity = codes.VB806


class WireDatetimeFormatRule(_Wire):
    """A date-time is valid ISO 8601 but not in Infobip's exact ``yyyy-MM-dd'T'HH:mm:ss.SSS+hhmm``.

    Why: Infobip always writes milliseconds and a colon-less offset (``+0000``). A body
    with ``Z`` or ``+00:00`` was most likely written by hand or re-serialised; parsers
    written for Infobip's exact form (Java's ``SSSZ``) may reject it.

    Source: Infobip OpenAPI spec (field descriptions); constraints §5.

    Fails:

        "receivedAt": "2023-09-26T10:52:15Z"

    Passes:

        "receivedAt": "2023-09-26T10:52:15.000+0000"
    """

    code, name, severity = codes.VB807


class ReportGroupMismatchRule(_Wire):
    """A report's ``groupId`` and ``groupName`` disagree (in ``status`` or ``error``).

    Why: status groups are 1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED,
    5 REJECTED; error groups 0 OK, 1 HANDSET_ERRORS, 2 USER_ERRORS, 3 OPERATOR_ERRORS. Code
    that branches on one of them would take a different path from code that reads the
    other. Usually a hand-written fixture.

    Source: Infobip status and error code documentation ([D3] in the wire-format
    reference); ``MessageGeneralStatus`` and ``MessageErrorGroup`` enums.

    Decision: ``ACCEPTED`` is in the spec's enum but its id is not published; it matches
    any ``groupId``. Error group ids 1-3 are not confirmed by the references in this
    repository (only 0 = OK is).

    Fails:

        "status": {"groupId": 3, "groupName": "PENDING", ...}

    Passes:

        "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, ...}
    """

    code, name, severity = codes.VB808


class ReportUnknownGroupRule(_Wire):
    """A report's status or error group (id or name) is not one Infobip documents.

    Why: status ``groupName`` must be ACCEPTED, PENDING, UNDELIVERABLE, DELIVERED, EXPIRED
    or REJECTED (ids 1-5); error ``groupName`` OK, HANDSET_ERRORS, USER_ERRORS or
    OPERATOR_ERRORS (ids 0-3). An unknown group cannot be classified as final, delivered or
    failed.

    Source: Infobip OpenAPI spec, ``MessageGeneralStatus`` and ``MessageErrorGroup``.

    Fails:

        "status": {"groupId": 9, "groupName": "LOST"}

    Passes:

        "status": {"groupId": 5, "groupName": "REJECTED"}
    """

    code, name, severity = codes.VB809


class WireCountMismatchRule(_Wire):
    """``messageCount`` of an inbound body differs from the number of ``results``.

    Why: Infobip documents ``messageCount`` as "the number of messages returned in the
    results array". A mismatch means results were dropped or duplicated on the way.

    Source: Infobip OpenAPI spec, ``ViberBotInboundResponse.messageCount``.

    Fails:

        {"results": [{...}], "messageCount": 2}

    Passes:

        {"results": [{...}], "messageCount": 1, "pendingMessageCount": 0}
    """

    code, name, severity = codes.VB810


class WireEmptyBatchRule(_Wire):
    """The body has no ``results`` (missing or empty).

    Why: allowed by the schema (``results`` is optional), but Infobip does not call a
    webhook with nothing to report; an empty body is usually a truncated capture or the
    wrong file. ``GET /viber-bot/1/reports`` does return empty results when there is
    nothing new.

    Source: Infobip OpenAPI spec (``results`` not required).

    Fails (info):

        {"results": []}

    Passes:

        {"results": [{...}]}
    """

    code, name, severity = codes.VB811


class WireUnknownFieldRule(_Wire):
    """A webhook body has a field that Infobip's schema does not define.

    Why: unknown fields are kept (Infobip adds fields over time), but a misspelt field
    (``recievedAt``) also lands here; together with VB801 it points at the typo. The
    generic objects of unknown event and message types are not checked.

    Source: Infobip OpenAPI spec.

    Fails (info):

        {"results": [{"recievedAt": "...", ...}]}

    Passes:

        {"results": [{"receivedAt": "...", ...}]}
    """

    code, name, severity = codes.VB812


class XmlSyntaxRule(_Wire):
    """An XML delivery report is not well-formed XML, or not the documented shape.

    Why: Infobip can send delivery reports as XML
    (``<DeliveryReports><results><result>…``); nothing can be checked until it parses.
    The root element may be ``DeliveryReports`` (the spec's example) or ``reportResponse``
    (older Infobip XML); it must contain a ``results`` element whose children are
    ``result`` elements.

    Source: Infobip OpenAPI spec, webhook ``receive-outbound-viber-bot-message-delivery-reports``
    (``application/xml`` example); XML 1.0.

    Fails:

        <DeliveryReports><results><result></results>

    Passes:

        <DeliveryReports><results><result><messageId>1</messageId></result></results></DeliveryReports>
    """

    code, name, severity = codes.VB813


class XmlDoctypeRule(_Wire):
    """An XML body declares a document type or entities (``<!DOCTYPE``, ``<!ENTITY``): refused.

    Why: DTDs and entities are how XML attacks work (external entities read local files
    or reach internal hosts, XXE; nested entities expand exponentially, "billion laughs").
    Infobip's reports never contain one, so vibespec refuses the body outright instead of
    expanding anything.

    Source: OWASP XML External Entity Prevention Cheat Sheet; Infobip's XML example (no DTD).

    Fails:

        <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><DeliveryReports>&x;</DeliveryReports>

    Passes:

        <?xml version="1.0" encoding="UTF-8"?><DeliveryReports>...</DeliveryReports>
    """

    code, name, severity = codes.VB814


RULES = (
    WireMissingFieldRule,
    WireInvalidValueRule,
    InboundUnknownEventRule,
    InboundUnknownMessageTypeRule,
    InboundUnlistedMessageTypeRule,
    WireInvalidDatetimeRule,
    WireDatetimeFormatRule,
    ReportGroupMismatchRule,
    ReportUnknownGroupRule,
    WireCountMismatchRule,
    WireEmptyBatchRule,
    WireUnknownFieldRule,
    XmlSyntaxRule,
    XmlDoctypeRule,
)
