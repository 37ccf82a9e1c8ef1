"""Shape of a raw request body (VB150-VB153): unknown fields, JSON types, required fields,
content type. Emitted by :func:`vibespec.rules.shape.structure_findings` for
``vibespec check``; compiled specs are shaped by the compiler and never need them."""

from __future__ import annotations

from .. import codes
from ..diagnostics import Severity
from .base import Rule


class _Structure(Rule):
    stage = "structure"
    inputs = frozenset({"payload"})

    def check(self, ctx):  # emitted by the payload model, not run as a rule
        return ()


class PayloadUnknownField(_Structure):
    """A field that Infobip's Viber Bot request does not have (with a "did you mean").

    Why: Infobip ignores or rejects unknown fields, so a misspelt ``validityPeriod``
    (``validityperiod``) silently sends the message without it.

    Source: Infobip OpenAPI 3.210.0 ViberBotRequest and its sub-schemas.
    Decision: the published schema declares no ``additionalProperties``; vibespec treats every
    undeclared field as an error, because no undeclared field has any effect.

    Fails (raw body):

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}],
                       "content": {"txt": "Hi", "type": "TEXT"}}]}

    Passes:

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}],
                       "content": {"text": "Hi", "type": "TEXT"}}]}
    """

    code, name, severity = codes.VB150


class PayloadWrongType(_Structure):
    """A field of a raw body has the wrong JSON type (e.g. ``"size": "5MB"``).

    Why: Infobip's validator rejects the request.

    Source: Infobip OpenAPI 3.210.0 field types.

    Fails (raw body):

        "content": {"url": "https://cdn.example.com/a.mp4", "size": "5MB", "type": "VIDEO"}

    Passes:

        "content": {"url": "https://cdn.example.com/a.mp4", "size": 5242880, "type": "VIDEO"}
    """

    code, name, severity = codes.VB151


class PayloadMissingField(_Structure):
    """A field the schema requires is missing from a raw body (``sender``,
    ``destinations``, ``content``, a content type's own required fields ...).

    Why: Infobip rejects the request.

    Source: Infobip OpenAPI 3.210.0 ``required`` lists.

    Fails (raw body):

        {"messages": [{"destinations": [{"to": "u1"}], "content": {"text": "Hi", "type": "TEXT"}}]}

    Passes:

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}], "content": {"text": "Hi", "type": "TEXT"}}]}
    """

    code, name, severity = codes.VB152


class PayloadUnknownContentType(_Structure):
    """``content.type`` is missing or not one of TEXT, IMAGE, VIDEO, FILE, CAROUSEL,
    LOCATION, CONTACT, STICKER, URL.

    Why: the type selects the content schema; without a known type Infobip cannot read the
    content. (The Bot schemas do not list ``type`` as required, but the discriminator needs
    it: vibespec treats it as required.)

    Source: Infobip OpenAPI 3.210.0 ViberBotOutboundContentType; wire-format "Uncertain" §2.

    Fails (raw body):

        "content": {"text": "Hi", "type": "AUDIO"}

    Passes:

        "content": {"text": "Hi", "type": "TEXT"}
    """

    code, name, severity = codes.VB153


RULES = (PayloadUnknownField, PayloadWrongType, PayloadMissingField, PayloadUnknownContentType)
