"""The sources rule documentation cites, and where a reader can look each one up.

A rule's ``Source:`` section names its evidence briefly: ``S13`` (a public page or spec),
``constraints.md §3`` (a section of the limits notes vibespec's rules were written from),
``wire-format §2.1``, ``RFC 3986``, ``OpenAPI ...``. :func:`citations` finds those names in a
docstring; ``docs/rules.md`` links each one to its entry in the generated "Sources" section
(``python -m vibespec.docsgen``) and ``vibespec explain`` lists the entries it cites.

Core module: no click, no pydantic."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the repository (one constant: the SARIF ``informationUri`` and every ``helpUri`` derive from it)
REPOSITORY_URL = "https://github.com/vibespec/vibespec"
#: the rules reference as published in the repository
RULES_DOC_URL = REPOSITORY_URL + "/blob/main/docs/rules.md"


@dataclass(frozen=True)
class Source:
    key: str      # the anchor in docs/rules.md (``s13``, ``constraints-3``)
    label: str    # how the docs cite it (``S13``, ``constraints.md §3``)
    title: str
    url: str      # where to read it; "" for the sections of the notes (described here)
    says: str     # what it says, in our words


def _s(n: int, title: str, url: str, says: str) -> Source:
    return Source(f"s{n}", f"S{n}", title, url, says)


#: public sources, by the ``S<n>`` number the rules cite
PUBLIC: tuple[Source, ...] = (
    _s(1, "Infobip: Viber Bots message types", "https://www.infobip.com/docs/viber/bots/message-types",
       "Infobip's prose limits per message type: text length, image and video formats and sizes, thumbnails, "
       "file names and formats, URL length."),
    _s(2, "Infobip: Viber Bots over API", "https://www.infobip.com/docs/viber/bots/viber-bots-over-api",
       "Scheduling (sendAt), sendingSpeedLimit and deliveryTimeWindow as Infobip describes them; window times "
       "are UTC."),
    _s(3, "Infobip: send a Viber Bot message", "https://www.infobip.com/docs/viber/bots/send-message",
       "Who can be messaged: only users who have interacted with the bot, addressed by their Viber bot user ID."),
    _s(4, "Infobip: Viber product overview", "https://www.infobip.com/docs/viber",
       "A comparison of Viber Business Messages and Viber Bots (features, failover)."),
    _s(5, "Infobip: Viber compliance guidelines", "https://www.infobip.com/docs/viber/compliance-guidelines",
       "General Viber compliance rules, mostly for Business Messages."),
    _s(6, "Infobip OpenAPI specification 3.210.0, Viber Bot API",
       "https://www.infobip.com/docs/api/channels/viber/viber-bot",
       "The published request schema of POST /viber-bot/1/messages (field names, types, required fields, "
       "lengths, ranges, enums), the reports and logs endpoints, and the inbound and delivery-report webhooks. "
       "Where sources disagree on the wire shape, this decides."),
    _s(7, "Infobip OpenAPI specification 3.210.0, SMS API",
       "https://www.infobip.com/docs/api/channels/sms/outbound-sms/send-sms-message",
       "The SMS request: the option semantics shared with Viber Bots (validity, windows, callbackData, "
       "campaign and platform IDs) and the SMS failover fields."),
    _s(8, "Infobip Java API client (generated from the OpenAPI specification)",
       "https://github.com/infobip/infobip-api-java-client",
       "Generated models with their documentation: validity period (capped at 48 hours, default unit "
       "minutes), delivery time window, speed-limit units, webhook fields."),
    _s(9, "Infobip (legacy docs): schedule SMS", "https://dev.infobip.com/docs/schedule-sms",
       "A sendAt example with an explicit UTC offset."),
    _s(10, "Infobip tutorial: schedule an SMS with the Infobip API",
       "https://www.infobip.com/docs/tutorials/schedule-an-sms-using-infobip-api",
       "sendAt may be at most 180 days ahead."),
    _s(11, "Infobip blog: control and time your SMS campaigns with a flexible API",
       "https://www.infobip.com/en/blog/control-and-time-your-sms-campaigns-with-a-flexible-api",
       "When a scheduled bulk can be rescheduled or cancelled (one message per bulk, a unique bulkId)."),
    _s(12, "infobip-api-php-tutorial issue 3: sendAt format", "https://github.com/infobip/infobip-api-php-tutorial/issues/3",
       "An Infobip maintainer: a sendAt in the wrong format is not delivered; use milliseconds and an offset."),
    _s(13, "Viber REST Bot API: send message", "https://developers.viber.com/docs/api/rest-bot-api/#send-message",
       "Viber's own limits per message type (text 7,000, picture, video, file, contact, location, URL, sticker), "
       "rich media (carousel) layout, sender name and avatar, the 30 KB message size, HTTPS webhooks."),
    _s(14, "Viber: keyboards", "https://developers.viber.com/docs/tools/keyboards/",
       "Keyboard and button parameters: grid size, button rows 1-2, ActionBody and open-url, text length 250, "
       "paddings, images, internal-browser settings and when they apply."),
    _s(15, "Viber Bots API: send message (creators site)",
       "https://creators.viber.com/docs/bots-api/resources/messaging/send-message",
       "Viber's current send-message page: per-user rate limit (100 messages an hour without a reply), sender "
       "name and avatar limits, message size."),
    _s(16, "Viber Bots API: message data model", "https://creators.viber.com/docs/bots-api/data-models/message",
       "The message object: text length, tracking data, the 30 KB size."),
    _s(17, "Viber Bots API: conversation started event",
       "https://creators.viber.com/docs/bots-api/events/conversation-started",
       "A conversation_started event is not a subscription; the bot may send one welcome message."),
    _s(18, "Viber REST Bot API: forbidden file formats",
       "https://developers.viber.com/docs/api/rest-bot-api/#forbiddenFileFormats",
       "The file extensions Viber refuses to deliver (EXE, APK, BAT, MSI, PS1, VBS and others)."),
    _s(19, "Viber REST Bot API: receive message from user",
       "https://developers.viber.com/docs/api/rest-bot-api/#receive-message-from-user",
       "The message types users send to a bot (no audio) and that their media URLs expire after an hour."),
    _s(20, "Sinch: Viber Bot channel properties",
       "https://developers.sinch.com/docs/conversation/channel-support/viber-bot/properties",
       "A third party confirming the sender name (28 characters) and avatar limits."),
    _s(21, "Gupshup: features and technical specifications",
       "https://docs.gupshup.io/docs/features-and-technical-specifications",
       "A third party on Viber Bot user IDs (one per bot) and 24-hour sessions."),
    _s(22, "Infobip: chatbot channel elements",
       "https://www.infobip.com/docs/automation-studio/chatbots/chatbot-elements/channel-elements",
       "Which file formats Infobip's chatbots send to Viber Bots (images, .mp4 video, no audio)."),
    Source("d3", "[D3]", "Infobip: response status and error codes",
           "https://www.infobip.com/docs/essentials/api-essentials/response-status-and-error-codes",
           "Status groups and error codes in delivery reports and API responses."),
)


def _n(section: str, title: str, says: str) -> Source:
    return Source("constraints-" + section.replace(".", "-"), f"constraints.md §{section}", title, "", says)


#: sections of the limits notes (``constraints.md``) the rules were written from; each gathers
#: the public sources above, marks every limit as documented, inferred or third-party, and
#: proposes a severity
NOTES: tuple[Source, ...] = (
    _n("1", "Addressing and sender",
       "Recipients are Viber bot user IDs, not phone numbers (S3, S13, S17, S21); only subscribed users can be "
       "reached; at most 100 messages per user an hour without a reply (S15); a message is at most 30 KB of "
       "JSON; the sender name at most 28 characters and the avatar at most 100 kB (S6, S13, S15, S20)."),
    _n("2", "Limits per message type",
       "Text, image, video, file, sticker, URL, location and contact limits from Infobip's prose (S1), "
       "Infobip's schema (S6) and Viber (S13, S18): lengths, sizes, formats and extensions, thumbnails."),
    _n("2.1", "Where Infobip's prose and schema disagree",
       "Text 7,000 (prose) against 4,000 (schema), image caption 512 against 768, image extensions: the schema "
       "limit is an error, the stricter prose limit a warning."),
    _n("2.2", "Carousel, rich media and keyboard",
       "Viber's layout rules that Infobip's buttonGrid maps onto (S13, S14): group rows 1-7 and columns 1-6, "
       "at most 6 cards, keyboard buttons 1-2 rows, no location-picker or share-phone in a carousel, button "
       "text 250, when gradient, media-player and predefined-URL settings apply."),
    _n("3", "Infobip message options",
       "Where each option sits in the request and its limits (S2, S6, S7, S8, S10, S12): sendAt format and "
       "180 days, bulkId 100, messageId 200, sending speed, validity capped at 48 hours, delivery time windows "
       "(UTC, at least one day, from and to at least an hour apart), callbackData 4,000, webhooks, SMS "
       "failover, campaign and platform IDs 255."),
    _n("4", "Viber REST Bot API limits",
       "Viber's native limits that Infobip inherits (S13, S15, S16, S18): message types and sizes, rich media, "
       "rate limit, HTTPS webhooks with a trusted certificate."),
    _n("4.1", "Inbound traffic as Infobip sees it",
       "Infobip's inbound event types (MESSAGE, DELIVERED, SUBSCRIBED, UNSUBSCRIBED, CONVERSATION_STARTED) and "
       "message types (no URL, no audio), which differ from Viber's (S6, S19)."),
    _n("5", "Time zones",
       "sendAt carries its own offset; delivery time windows are UTC only; compare the two in UTC (S2, S6, S8, "
       "S9, S12)."),
    _n("6", "Candidate lint rules",
       "The list of checks derived from the sections above, each with a proposed severity: error for "
       "documented hard limits, warning for prose, platform-dependent or inferred limits, info for notes."),
    _n("7", "Gaps and open questions",
       "What no source documents: a minimum validity, lead time for sendAt, a sendAt in the past or without "
       "an offset, windows crossing midnight, the recipient ID format, SMS failover for bots."),
)

WIRE = Source("wire-format", "wire-format", "Request wire-format notes",
              "", "vibespec's notes on the exact JSON of POST /viber-bot/1/messages, taken from the OpenAPI "
              "specification (S6): where each field sits (§2.1 top and message level, §3 options nesting) and "
              "what the specification leaves uncertain (for example that content.type is not listed as "
              "required although it selects the content subtype).")

#: standards and other references, linked where the docs cite them
STANDARDS: tuple[Source, ...] = (
    Source("yaml", "YAML 1.2", "YAML Ain't Markup Language, version 1.2", "https://yaml.org/spec/1.2.2/",
           "The YAML language vibespec specs are written in."),
    Source("toml", "TOML 1.0", "TOML v1.0.0", "https://toml.io/en/v1.0.0", "The TOML language."),
    Source("owasp-xxe", "OWASP XML External Entity Prevention Cheat Sheet",
           "OWASP XML External Entity Prevention Cheat Sheet",
           "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html",
           "Why XML parsers must refuse document type declarations and external entities."),
)

_BY_LABEL = {s.label: s for s in PUBLIC + NOTES + STANDARDS}


def rfc(number: str) -> Source:
    return Source(f"rfc{number}", f"RFC {number}", f"RFC {number}", f"https://www.rfc-editor.org/rfc/rfc{number}",
                  "An Internet standard.")


def note(section: str) -> Source | None:
    """The notes entry of ``constraints.md §<section>`` (a sub-section not listed falls back to its section)."""
    while section:
        s = _BY_LABEL.get(f"constraints.md §{section}")
        if s is not None:
            return s
        section = section.rpartition(".")[0]
    return None


def rule_url(rule: type) -> str:
    """The rule's section of docs/rules.md in the repository (the SARIF ``helpUri``)."""
    return f"{RULES_DOC_URL}#{rule.code.lower()}-{rule.name}"


_TOKEN = re.compile(r"""
    (?P<notes>constraints(?:\.md)?)\s+§(?P<ns>\d+(?:\.\d+)?)
  | (?P<wire>wire-format)(?:\s+(?:"Uncertain"\s+)?§\d+(?:\.\d+)?)?
  | §(?P<bs>\d+(?:\.\d+)?)
  | (?P<rfc>RFC\s(?P<rfcn>\d{3,4}))
  | \bS(?P<sn>\d{1,2})\b
  | (?P<d3>\[D3\])
  | (?P<oas>(?:Infobip\s)?OpenAPI(?:\s3\.210\.0|\sspec(?:ification)?)?)
  | (?P<viber>Viber\sREST\sBot\sAPI)
  | (?P<std>YAML\s1\.2|TOML\s1\.0|OWASP\sXML\sExternal\sEntity\sPrevention\sCheat\sSheet)
""", re.X)
_INLINE_CODE = re.compile(r"``.*?``|`[^`]*`", re.S)


def citations(text: str) -> list[tuple[int, int, Source]]:
    """``(start, end, source)`` of every citation in ``text`` (outside inline code), in order. A
    bare ``§N`` after ``constraints.md §M`` cites the same notes (``constraints.md §2 and §6``);
    after any other name (``RFC 8259 §8.1``) it is part of that citation and not linked."""
    code = [(m.start(), m.end()) for m in _INLINE_CODE.finditer(text)]
    out: list[tuple[int, int, Source]] = []
    context = None
    for m in _TOKEN.finditer(text):
        if any(a <= m.start() < b for a, b in code):
            continue
        src: Source | None = None
        if m.group("notes"):
            src, context = note(m.group("ns")), "notes"
        elif m.group("bs"):
            src = note(m.group("bs")) if context == "notes" else None
        elif m.group("wire"):
            src, context = WIRE, "other"
        elif m.group("rfc"):
            src, context = rfc(m.group("rfcn")), "other"
        elif m.group("sn"):
            src = _BY_LABEL.get(f"S{m.group('sn')}")
        elif m.group("d3"):
            src = _BY_LABEL["[D3]"]
        elif m.group("oas"):
            src, context = _BY_LABEL["S6"], "other"
        elif m.group("viber"):
            src, context = _BY_LABEL["S13"], "other"
        elif m.group("std"):
            src, context = _BY_LABEL[m.group("std").replace("\n", " ")], "other"
        if src is not None:
            out.append((m.start(), m.end(), src))
    return out


def cited(text: str) -> list[Source]:
    """The sources ``text`` cites, each once, in order of first citation."""
    seen: dict[str, Source] = {}
    for _, _, s in citations(text):
        seen.setdefault(s.key, s)
    return list(seen.values())
