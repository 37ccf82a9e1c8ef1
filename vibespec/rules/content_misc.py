"""Content rules for URL (VB240-VB244), LOCATION (VB245-VB249), CONTACT (VB250-VB254) and
STICKER (VB255-VB259) messages, the sender display info and media URLs of any content
(VB260-VB269), and the size of one message's content (VB270)."""

from __future__ import annotations

import json
from typing import Iterable

from ..diagnostics import Severity
from .base import Finding, Rule, RuleContext
from .common import is_finite, is_http_url, is_int, is_number, length
from ..words import describe
from .content_media import of_type

#: ViberBotOutboundUrlContent.url maxLength.
URL_MAX = 2000
#: Contact (14dc) name / phoneNumber maxLength.
CONTACT_NAME_MAX = 28
CONTACT_PHONE_MAX = 18
#: senderDisplayInfo.name maxLength (Viber sender.name).
DISPLAY_NAME_MAX = 28
#: STICKER stickerId is int64.
INT64_MAX = 2**63 - 1
#: Viber's cap on one message's JSON, in bytes (30 KB, read as KiB).
MESSAGE_JSON_MAX = 30 * 1024


def _missing(obj: dict, key: str) -> bool:
    return key not in obj or obj[key] is None


# =========================================================================== URL


class UrlTooLongRule(Rule):
    """A URL message is longer than 2,000 characters.

    Why: ``ViberBotOutboundUrlContent.url`` has ``maxLength: 2000`` in Infobip's schema,
    matching Infobip's prose and Viber's limit.

    Source: constraints.md §2 "URL message" and §6 ``url-too-long`` (S1, S6, S13).

    Fails:

        url: "https://example.com/?q=… 2,001 characters …"

    Passes:

        url: https://example.com/offer
    """

    code, name, severity = "VB240", "url-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "URL"):
            v = c.get("url")
            if isinstance(v, str) and length(v) > URL_MAX:
                yield Finding(cpath + ("url",), f"url is {length(v):,} characters; the limit is {URL_MAX:,}",
                              help="use a shorter link (e.g. drop tracking parameters or use a short link)")


class UrlInvalidRule(Rule):
    """A URL message has no ``url``, or it is not an absolute http(s) URL.

    Why: ``url`` is required for URL content, and Viber opens it in a browser; a relative
    path, a bare domain, another scheme or a URL with spaces does not open.

    Source: constraints.md §6 ``url-invalid`` (S6 ``ViberBotOutboundUrlContent``: ``url``
    required; S13).

    Fails:

        url: www.example.com/offer

    Passes:

        url: https://www.example.com/offer
    """

    code, name, severity = "VB241", "url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "URL"):
            if _missing(c, "url"):
                yield Finding(cpath, "URL content has no `url`; it is required")
                continue
            v = c["url"]
            if not is_http_url(v):
                yield Finding(cpath + ("url",), f"url {describe(v)} is not an absolute http(s) URL",
                              help="write the full address, e.g. https://www.example.com/offer")


# =========================================================================== LOCATION


def _coords(ctx: RuleContext):
    """``(path, location)`` for every LOCATION content, location being the mapping or None."""
    for cpath, c in of_type(ctx, "LOCATION"):
        loc = c.get("location")
        yield cpath, (loc if isinstance(loc, dict) else None), c


def _finite(v: object) -> bool:
    return is_number(v) and is_finite(v)


class LocationOutOfRangeRule(Rule):
    """A location's latitude is outside [-90, 90] or its longitude outside [-180, 180].

    Why: the schema (``ViberBotOpenMapLocation``) and Viber bound the coordinates; a value
    outside the range is rejected. Swapped latitude and longitude is the usual cause.

    Source: constraints.md §2 "Location latitude …" and §6 ``location-out-of-range`` (S6
    ``ViberBotOpenMapLocation``, S13).

    Fails:

        location: {lat: 95.2, lon: 15.982}

    Passes:

        location: {lat: 45.815, lon: 15.982}
    """

    code, name, severity = "VB245", "location-out-of-range", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, loc, _ in _coords(ctx):
            if loc is None:
                continue
            lpath = cpath + ("location",)
            for key, bound in (("latitude", 90), ("longitude", 180)):
                v = loc.get(key)
                if _finite(v) and not -bound <= v <= bound:
                    yield Finding(lpath + (key,), f"{key} {v} is outside [-{bound}, {bound}]",
                                  help="check that latitude and longitude are not swapped")


class LocationInvalidRule(Rule):
    """A location message lacks ``location``, or a coordinate is missing or not a number.

    Why: ``location`` with ``latitude`` and ``longitude`` (numbers, double) is required for
    LOCATION content; a string such as ``"45.8"`` or a missing coordinate is rejected.

    Source: S6 ``ViberBotOutboundLocationContent`` and ``ViberBotOpenMapLocation`` (both
    fields required, number/double); constraints.md §2 (S13).

    Fails (raw body): ``"location": {"latitude": "45.815", "longitude": 15.982}``

    Passes:

        location: {lat: 45.815, lon: 15.982}
    """

    code, name, severity = "VB246", "location-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, loc, c in _coords(ctx):
            if loc is None:
                if _missing(c, "location"):
                    yield Finding(cpath, "LOCATION content has no `location`; it is required")
                else:
                    yield Finding(cpath + ("location",),
                                  f"location {describe(c['location'])} is not an object with latitude and longitude")
                continue
            lpath = cpath + ("location",)
            for key in ("latitude", "longitude"):
                if _missing(loc, key):
                    yield Finding(lpath, f"location has no `{key}`; it is required")
                elif not _finite(loc[key]):
                    yield Finding(lpath + (key,), f"{key} {describe(loc[key])} is not a number",
                                  help="write the coordinate as a decimal number, e.g. 45.815")


# =========================================================================== CONTACT


def _contacts(ctx: RuleContext):
    for cpath, c in of_type(ctx, "CONTACT"):
        ct = c.get("contact")
        yield cpath, (ct if isinstance(ct, dict) else None), c


class ContactNameTooLongRule(Rule):
    """A contact's name is longer than 28 characters.

    Why: the schema's ``Contact.name`` has ``maxLength: 28``, matching Viber's limit.

    Source: constraints.md §2 "Contact name …" and §6 ``contact-name-too-long`` (S6
    ``Contact``, S13).

    Fails:

        contact: {name: Customer Support Department Zagreb, phone: "+385911234567"}

    Passes:

        contact: {name: Support, phone: "+385911234567"}
    """

    code, name, severity = "VB250", "contact-name-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, ct, _ in _contacts(ctx):
            v = ct.get("name") if ct else None
            if isinstance(v, str) and length(v) > CONTACT_NAME_MAX:
                yield Finding(cpath + ("contact", "name"),
                              f"contact name is {length(v)} characters; the limit is {CONTACT_NAME_MAX}",
                              help="shorten the name")


class ContactPhoneTooLongRule(Rule):
    """A contact's phone number is longer than 18 characters.

    Why: the schema's ``Contact.phoneNumber`` has ``maxLength: 18``, matching Viber's limit.
    Spaces and punctuation count.

    Source: constraints.md §2 "Contact … phone at most 18" and §6 ``contact-phone-too-long``
    (S6 ``Contact``, S13).

    Fails:

        contact: {name: Support, phone: "+385 (0)91 123 4567 ext 9"}

    Passes:

        contact: {name: Support, phone: "+385911234567"}
    """

    code, name, severity = "VB251", "contact-phone-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, ct, _ in _contacts(ctx):
            v = ct.get("phoneNumber") if ct else None
            if isinstance(v, str) and length(v) > CONTACT_PHONE_MAX:
                yield Finding(cpath + ("contact", "phoneNumber"),
                              f"contact phone number is {length(v)} characters; the limit is {CONTACT_PHONE_MAX}",
                              help="drop spaces and punctuation, e.g. +385911234567")


class ContactEmptyRule(Rule):
    """A contact message has no ``contact``, or its name or phone number is missing or empty.

    Why: ``contact`` with ``name`` and ``phoneNumber`` is required for CONTACT content;
    an empty name or number gives the recipient a useless card.

    Source: constraints.md §2 "Contact … both required" (S6 ``ViberBotOutboundContactContent``
    and ``Contact``, S13).

    Fails:

        contact: {name: "", phone: "+385911234567"}

    Passes:

        contact: {name: Support, phone: "+385911234567"}
    """

    code, name, severity = "VB252", "contact-empty", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, ct, c in _contacts(ctx):
            if ct is None:
                if _missing(c, "contact"):
                    yield Finding(cpath, "CONTACT content has no `contact`; it is required")
                else:
                    yield Finding(cpath + ("contact",),
                                  f"contact {describe(c['contact'])} is not an object with name and phoneNumber")
                continue
            kpath = cpath + ("contact",)
            for key, label in (("name", "name"), ("phoneNumber", "phone number")):
                if _missing(ct, key):
                    yield Finding(kpath, f"contact has no {label} (`{key}`); it is required")
                    continue
                v = ct[key]
                if not isinstance(v, str):
                    yield Finding(kpath + (key,), f"contact {label} {describe(v)} is not a string")
                elif not v.strip():
                    yield Finding(kpath + (key,), f"contact {label} is empty")


# =========================================================================== STICKER


class StickerIdInvalidRule(Rule):
    """A sticker message's ``stickerId`` is missing or not a positive integer.

    Why: ``stickerId`` is a required int64 Viber sticker ID; a string, a fraction, zero or a
    negative number is not an ID. Whether the ID exists in Viber's sticker list cannot be
    checked offline.

    Source: constraints.md §2 "Sticker …" and §6 ``sticker-id-invalid`` (S6
    ``ViberBotOutboundStickerContent``, S1, S13).

    Fails:

        sticker: -5

    Passes:

        sticker: 40133
    """

    code, name, severity = "VB255", "sticker-id-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c in of_type(ctx, "STICKER"):
            if _missing(c, "stickerId"):
                yield Finding(cpath, "STICKER content has no `stickerId`; it is required")
                continue
            v = c["stickerId"]
            if not is_int(v):
                yield Finding(cpath + ("stickerId",), f"stickerId {describe(v)} is not an integer",
                              help="use the numeric Viber sticker ID, e.g. 40133")
            elif not 0 < v <= INT64_MAX:
                yield Finding(cpath + ("stickerId",), f"stickerId {v} is not a positive 64-bit integer")


# =========================================================================== DISPLAY / MEDIA


def _display_infos(ctx: RuleContext):
    for cpath, c, _ in ctx.contents():
        d = c.get("senderDisplayInfo")
        if isinstance(d, dict):
            yield cpath + ("senderDisplayInfo",), d


class SenderDisplayNameTooLongRule(Rule):
    """The sender display name (``senderDisplayInfo.name``) is longer than 28 characters.

    Why: the schema sets ``maxLength: 28`` and Viber limits the sender name shown to the
    user to 28 characters.

    Source: constraints.md §1 and §6 ``sender-display-name-too-long`` (S6
    ``senderDisplayInfo.name``, S13, S15, S20).

    Fails:

        display: {name: Demo Shop Official Customer Care}

    Passes:

        display: {name: Demo Shop}
    """

    code, name, severity = "VB260", "sender-display-name-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for dpath, d in _display_infos(ctx):
            v = d.get("name")
            if isinstance(v, str) and length(v) > DISPLAY_NAME_MAX:
                yield Finding(dpath + ("name",),
                              f"sender display name is {length(v)} characters; the limit is {DISPLAY_NAME_MAX}",
                              help="shorten the name")


class AvatarUrlInvalidRule(Rule):
    """The sender avatar URL (``senderDisplayInfo.avatarUrl``) is not an absolute http(s) URL.

    Why: Viber fetches the avatar (at most 100 kB, 720x720 recommended) from this URL; an
    unusable URL means the default avatar is shown. Only the URL can be checked offline.

    Source: constraints.md §1 "The sender avatar …" and §6 ``avatar-url-invalid`` (S13, S15,
    S20; S6 ``senderDisplayInfo.avatarUrl``, no constraints).

    Decision: warning, as the constraints list says: the schema sets no format, and a bad
    avatar does not stop the message.

    Fails:

        display: {name: Demo, avatar: avatar.png}

    Passes:

        display: {name: Demo, avatar: "https://cdn.example.com/a.png"}
    """

    code, name, severity = "VB261", "avatar-url-invalid", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for dpath, d in _display_infos(ctx):
            if _missing(d, "avatarUrl"):
                continue
            v = d["avatarUrl"]
            if not is_http_url(v):
                yield Finding(dpath + ("avatarUrl",), f"avatarUrl {describe(v)} is not an absolute http(s) URL",
                              help="use an absolute URL such as https://cdn.example.com/avatar.jpg")


#: Media URL fields per content type (the URL message's ``url`` is a link, not media).
_MEDIA_FIELDS = {"IMAGE": ("url", "thumbnailUrl"), "VIDEO": ("url", "thumbnailUrl"), "FILE": ("url",)}


class MediaUrlNotHttpsRule(Rule):
    """A media URL of the content (``url``, ``thumbnailUrl``, ``avatarUrl``) is not https.

    Why: Viber and its partners strongly prefer HTTPS for media it downloads; plain-HTTP
    media may be refused by clients or served through mixed-content blocks.

    Source: constraints.md §6 ``media-url-not-https`` (3rd-party guidance, inferred for Viber
    Bots).

    Decision: warning (inferred). The URL message's ``url`` is a web link opened by the
    user, not media (VB283 checks links); carousel and keyboard media are VB357.

    Fails:

        image: {url: "http://cdn.example.com/a.png"}

    Passes:

        image: {url: "https://cdn.example.com/a.png"}
    """

    code, name, severity = "VB262", "media-url-not-https", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c, t in ctx.contents():
            fields = [(cpath + (k,), c.get(k)) for k in _MEDIA_FIELDS.get(t, ())]
            d = c.get("senderDisplayInfo")
            if isinstance(d, dict):
                fields.append((cpath + ("senderDisplayInfo", "avatarUrl"), d.get("avatarUrl")))
            for path, v in fields:
                if isinstance(v, str) and is_http_url(v) and v.lower().startswith("http://"):
                    yield Finding(path, f"{path[-1]} uses http://; use https:// for media",
                                  help="serve the file over HTTPS")


# =========================================================================== SIZE


class PayloadOver30KbRule(Rule):
    """One message's ``content``, as compact JSON, is larger than 30 KB.

    Why: Viber caps each message at 30 KB of JSON. Infobip wraps the content in its own
    request to Viber, so the limit applies indirectly; large carousels and long texts with
    many multi-byte characters are the usual cause.

    Source: constraints.md §1 "each message may be at most 30 KB of JSON" and §6
    ``payload-over-30kb`` (S13, S15, S16).

    Decision: warning, because Infobip's translation to Viber's format changes the exact
    size. The content is measured as UTF-8 compact JSON (no spaces, non-ASCII unescaped)
    against 30 KiB (30,720 bytes).

    Fails: a carousel whose buttons, texts and URLs add up to more than 30 KB.

    Passes:

        text: Welcome to Demo!
    """

    code, name, severity = "VB270", "payload-over-30kb", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for cpath, c, _ in ctx.contents():
            try:
                data = json.dumps(c, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8", "replace")
            except (TypeError, ValueError, RecursionError):
                continue
            n = len(data)
            if n > MESSAGE_JSON_MAX:
                yield Finding(cpath, f"content is {n:,} bytes of JSON; Viber caps a message at 30 KB ({MESSAGE_JSON_MAX:,} bytes)",
                              help="shorten texts, use fewer carousel buttons, or split the message")


RULES = (
    UrlTooLongRule,
    UrlInvalidRule,
    LocationOutOfRangeRule,
    LocationInvalidRule,
    ContactNameTooLongRule,
    ContactPhoneTooLongRule,
    ContactEmptyRule,
    StickerIdInvalidRule,
    SenderDisplayNameTooLongRule,
    AvatarUrlInvalidRule,
    MediaUrlNotHttpsRule,
    PayloadOver30KbRule,
)
