"""Content rules for TEXT messages (VB201-VB209): length limits and empty text."""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import Severity
from .base import Finding, Rule, RuleContext
from .common import length

#: Infobip's schema (ViberBotOutboundTextContent.text maxLength).
TEXT_SCHEMA_MAX = 4000
#: Infobip's prose page and Viber's own REST Bot API.
TEXT_VIBER_MAX = 7000


def _texts(ctx: RuleContext):
    """``(path, text)`` for the ``text`` of every TEXT content that is a string."""
    for cpath, c, t in ctx.contents():
        if t == "TEXT":
            v = c.get("text")
            if isinstance(v, str):
                yield cpath + ("text",), v


class TextTooLongRule(Rule):
    """A TEXT message is longer than 4,000 characters (Infobip's schema limit).

    Why: Infobip validates requests against its published schema, where
    ``ViberBotOutboundTextContent.text`` has ``maxLength: 4000``. Characters are counted as
    Unicode code points, including the characters of any URL in the text.

    Source: constraints.md §2 and §2.1 (S6, Infobip OpenAPI 3.210.0
    ``ViberBotOutboundTextContent``); S1 and S13 (the 7,000 of the prose and of Viber).

    Decision: Infobip's prose page and Viber allow 7,000 characters, the schema 4,000. The
    published schema decides the wire shape, so more than 4,000 is an error; VB202 adds a note
    when the text would be cut even by Viber.

    Fails:

        messages:
          - to: bot-user-1
            text: "… 4,001 characters …"

    Passes:

        messages:
          - to: bot-user-1
            text: "… at most 4,000 characters …"
    """

    code, name, severity = "VB201", "text-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, text in _texts(ctx):
            n = length(text)
            if n > TEXT_SCHEMA_MAX:
                yield Finding(
                    path,
                    f"text is {n:,} characters; Infobip's schema allows at most {TEXT_SCHEMA_MAX:,}",
                    help="shorten the text or split it into several messages",
                )


class TextOverViberLimitRule(Rule):
    """A TEXT message is longer than 7,000 characters, the limit of Viber itself.

    Why: even past Infobip's 4,000-character schema limit (VB201), Viber's own REST Bot API
    caps text at 7,000 characters. This note says how far over the platform limit the text
    is; the error to fix is VB201.

    Source: constraints.md §2 and §4 (S1 Infobip prose, S13/S16 Viber REST Bot API).

    Decision: info only; VB201 already reports the text as an error.

    Fails:

        messages:
          - to: bot-user-1
            text: "… 7,001 characters …"

    Passes:

        messages:
          - to: bot-user-1
            text: "… at most 7,000 characters …"
    """

    code, name, severity = "VB202", "text-over-viber-limit", Severity.INFO

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, text in _texts(ctx):
            n = length(text)
            if n > TEXT_VIBER_MAX:
                yield Finding(
                    path,
                    f"text is {n:,} characters; Viber itself cuts text at {TEXT_VIBER_MAX:,}",
                )


class TextEmptyRule(Rule):
    """A TEXT message has no text: ``text`` is missing, null, empty or only whitespace.

    Why: ``text`` is required for TEXT content, and Viber refuses to send an empty message
    (its ``text`` is required and a message without visible content is rejected), so the
    recipient would get nothing.

    Source: constraints.md §4 (S13 Viber text message: ``text`` required); S6 Infobip
    OpenAPI 3.210.0 ``ViberBotOutboundTextContent`` (``text`` required).

    Decision: the schema declares ``minLength 0``, so an empty string passes Infobip's
    validation, but Viber does not deliver empty messages. Whitespace-only text is treated
    the same as empty: it renders as an empty bubble at best. Error, because the message
    cannot reach the user as intended.

    Fails:

        messages:
          - to: bot-user-1
            text: "   "

    Passes:

        messages:
          - to: bot-user-1
            text: Hello
    """

    code, name, severity = "VB203", "text-empty", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c, t in ctx.contents():
            if t != "TEXT":
                continue
            if "text" not in c or c.get("text") is None:
                yield Finding(cpath, "TEXT content has no text", help="add the message text")
                continue
            v = c["text"]
            if isinstance(v, str) and not v.strip():
                what = "empty" if v == "" else "only whitespace"
                yield Finding(cpath + ("text",), f"text is {what}; Viber does not send empty messages",
                              help="write the message text")


RULES = (TextTooLongRule, TextOverViberLimitRule, TextEmptyRule)
