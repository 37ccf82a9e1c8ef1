"""Rules on SMS failover: ``messages[].options.smsFailover`` (VB501-VB519).

The failover validity period is checked by the validity rules in :mod:`.options`."""

from __future__ import annotations

from operator import itemgetter, methodcaller
from typing import Iterable, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from .addressing import _NOT_DICT, MessageDestinations, destination_index
from .common import length

KOREA_TITLE_MAX = 66
IYS_RECIPIENT_TYPES = ("BIREYSEL", "TACIR")


def intl_phone(s: object) -> bool:
    """International-format phone number without a regex (hot path): optional '+', then
    7-15 ASCII digits not starting with 0. Same meaning as ``common.is_international_phone``."""
    if not isinstance(s, str):
        return False
    if s[:1] == "+":
        s = s[1:]
    return 7 <= len(s) <= 15 and s.isdigit() and s.isascii() and s[0] != "0"


def _failovers(ctx: RuleContext) -> Iterator[tuple[tuple, dict, dict]]:
    """``(path, smsFailover, message)`` for every message with an smsFailover mapping."""
    for mpath, m in ctx.messages():
        o = m.get("options")
        if isinstance(o, dict):
            fo = o.get("smsFailover")
            if isinstance(fo, dict):
                yield mpath + ("options", "smsFailover"), fo, m


def _matching(fo: dict) -> list:
    dm = fo.get("destinationMatching")
    return dm if isinstance(dm, list) else []


_strip_plus = methodcaller("lstrip", "+")
_first = itemgetter(0)


class _Failover:
    """One message's smsFailover with its destinationMatching pre-extracted (shared by the
    matching rules; a body may map 100,000 destinations). ``initials``/``numbers`` run
    parallel to ``pairs`` (``_NOT_DICT`` for an entry that is not a mapping)."""

    __slots__ = ("path", "fo", "dest", "pairs", "initials", "numbers", "plain", "initials_all_str", "_initial_set",
                 "_unmatched")

    def __init__(self, path: tuple, fo: dict, dest: MessageDestinations | None) -> None:
        self.path, self.fo, self.dest = path, fo, dest
        self.pairs = pairs = _matching(fo)
        try:  # only mappings have .get in a JSON body
            self.initials = [p.get("initial") for p in pairs]
            self.numbers = [p.get("failover") for p in pairs]
            self.plain = True
        except AttributeError:
            self.initials = [p.get("initial") if isinstance(p, dict) else _NOT_DICT for p in pairs]
            self.numbers = [p.get("failover") if isinstance(p, dict) else _NOT_DICT for p in pairs]
            self.plain = False
        self._initial_set: set | None = None
        self._unmatched: set | None = None

    @property
    def initial_set(self) -> set:
        """The set of string initials (``initials_all_str`` says whether that is all of them)."""
        if self._initial_set is None:
            ini = self.initials
            got = None
            if self.plain:
                try:
                    got = set(ini)
                except TypeError:  # an unhashable initial
                    got = None
            if got is not None and set(map(type, got)) <= {str}:
                self.initials_all_str = True
            else:
                got = {x for x in ini if isinstance(x, str)}
                self.initials_all_str = False
            self._initial_set = got
        return self._initial_set

    @property
    def unmatched(self) -> set:
        """String destinations of the message that no ``initial`` maps."""
        if self._unmatched is None:
            self._unmatched = self.dest.to_set - self.initial_set if self.dest is not None else set()
        return self._unmatched

    def initials_all_known(self) -> bool:
        """Every initial is a string naming a destination (one set difference, shared)."""
        ini = self.initial_set
        if not self.initials_all_str:
            return False
        tos = self.dest.to_set if self.dest is not None else set()
        # |I & T| = |T| - |T - I|; I <= T exactly when that equals |I|
        return len(tos) - len(self.unmatched) == len(ini)

    def numbers_all_valid(self) -> bool:
        """Whether every failover number is in international format, answered with a few
        C-level passes in the common case (digits only, no '+')."""
        nums = self.numbers
        if not nums:
            return True
        if not self.plain:
            return False
        try:
            joined = "".join(nums)
        except TypeError:  # a missing or non-string number
            return False
        if not (joined.isascii() and joined.isdigit()):  # '+' prefixes or junk: exact check
            return all(map(intl_phone, nums))
        return 7 <= min(map(len, nums)) and max(map(len, nums)) <= 15 and "0" not in map(_first, nums)


def _matchings(ctx: RuleContext) -> list[_Failover]:
    cached = ctx.__dict__.get("_vb_failover_index") if hasattr(ctx, "__dict__") else None
    if cached is not None and cached[0] is ctx.body:
        return cached[1]
    dests = {e.index: e for e in destination_index(ctx)}
    out = [_Failover(path, fo, dests.get(path[1])) for path, fo, _m in _failovers(ctx)]
    try:
        ctx.__dict__["_vb_failover_index"] = (ctx.body, out)
    except AttributeError:
        pass
    return out


class SmsFailoverTextMissingRule(Rule):
    """``smsFailover`` has no ``text``.

    Why: ``text`` is the only required field of the SMS failover; without it Infobip
    rejects the request.

    Source: constraints.md §3 and §6 (S6); OpenAPI NonMsisdnSmsFailover.text.

    Fails:

        failover: {sms: {sender: InfoSMS}}

    Passes:

        failover: {sms: {sender: InfoSMS, text: Your code is 1234}}
    """

    code, name, severity = "VB501", "sms-failover-text-missing", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, fo, _m in _failovers(ctx):
            text = fo.get("text")
            if text is None:
                yield Finding(path, "SMS failover has no text; text is required", "add the SMS text")
            elif not isinstance(text, str):
                yield Finding(path + ("text",), f"SMS failover text must be a string, got {type(text).__name__}",
                              "quote the SMS text")


class SmsFailoverTextEmptyRule(Rule):
    """``smsFailover.text`` is empty or only whitespace.

    Why: an SMS without text is not sent (or is rejected); a failover that sends nothing
    is almost certainly a mistake, e.g. a template variable that rendered empty.

    Source: constraints.md §3 (S6: text required; non-empty inferred).

    Fails:

        failover: {sms: {text: ""}}

    Passes:

        failover: {sms: {text: Your code is 1234}}
    """

    code, name, severity = "VB502", "sms-failover-text-empty", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, fo, _m in _failovers(ctx):
            text = fo.get("text")
            if isinstance(text, str) and (not text or text.isspace()):
                yield Finding(path + ("text",), "SMS failover text is empty", "write the SMS text")


class SmsFailoverMissingDestinationMatchingRule(Rule):
    """A message has an SMS failover, but a destination is a Viber bot user ID with no
    ``destinationMatching`` entry giving its phone number.

    Why: Viber Bot recipients are bot user IDs, not phone numbers, so the SMS has nowhere
    to go unless ``destinationMatching`` maps the ID (``initial``) to a number
    (``failover``). Destinations that already look like international phone numbers are
    not reported. One finding per message, at its first unmatched destination.

    Source: constraints.md §1 and §3 (S3, S6: field documented; need for Viber Bots inferred);
    OpenAPI FailoverDestinationPair.

    Fails:

        to: [bot-user-1, bot-user-2]
        failover: {sms: {text: Hi, destinations: {bot-user-1: "41793026727"}}}

    Passes:

        to: [bot-user-1, bot-user-2]
        failover: {sms: {text: Hi, destinations: {bot-user-1: "41793026727", bot-user-2: "41793026728"}}}
    """

    code, name, severity = "VB503", "sms-failover-missing-destination-matching", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for f in _matchings(ctx):
            dest = f.dest
            if dest is None:
                continue
            bad = {t for t in f.unmatched if t and not intl_phone(t)}
            if not bad:
                continue
            first = None
            count = 0
            for j, to in enumerate(dest.tos):
                if to.__class__ is str and to in bad:
                    count += 1
                    if first is None:
                        first = (j, to)
            if first is None:
                continue
            j, to = first
            more = f" (and {count - 1} more destination{'s' if count > 2 else ''})" if count > 1 else ""
            yield Finding(dest.mpath + ("destinations", j),
                          f"SMS failover has no phone number for {to!r}{more}; without destinationMatching "
                          "the SMS cannot reach a Viber bot user",
                          Help(f'map it in smsFailover.destinationMatching, e.g. {{"initial": "{to}", "failover": "41793026727"}}',
                               f"map it in failover.sms.destinations, e.g. {{{to}: \"41793026727\"}}"))

class SmsFailoverDestinationNotInternationalRule(Rule):
    """A ``destinationMatching[].failover`` number is missing or not in international format.

    Why: the SMS goes to this number; Infobip expects international format (country code,
    no leading zeros or spaces, e.g. ``41793026727``; a leading ``+`` is tolerated), and
    numbers in local format are rejected or go to the wrong country.

    Source: constraints.md §3 and §6 (S6); OpenAPI FailoverDestinationPair.failover.

    Fails:

        failover: {sms: {text: Hi, destinations: {bot-user-1: "079 302 67 27"}}}

    Passes:

        failover: {sms: {text: Hi, destinations: {bot-user-1: "41793026727"}}}
    """

    code, name, severity = "VB504", "sms-failover-destination-not-international", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for f in _matchings(ctx):
            if f.numbers_all_valid():
                continue
            path = f.path
            for i, num in enumerate(f.numbers):
                if num is _NOT_DICT or intl_phone(num):
                    continue
                if num is None:
                    yield Finding(path + ("destinationMatching", i), "destination matching entry has no failover number",
                                  "give the phone number in international format, e.g. 41793026727")
                else:
                    yield Finding(path + ("destinationMatching", i, "failover"),
                                  f"failover number {num!r} is not in international format",
                                  "use the country code and digits only, e.g. 41793026727")

class SmsFailoverMatchingUnknownInitialRule(Rule):
    """A ``destinationMatching[].initial`` is not one of the message's destinations.

    Why: the mapping only applies to a destination of the same message; an ``initial``
    that matches none (a typo, a stale ID, a mapping copied from another message) does
    nothing, and the destination it was meant for gets no SMS.

    Source: constraints.md §3 (S6; inferred).

    Fails:

        to: bot-user-1
        failover: {sms: {text: Hi, destinations: {bot-user-9: "41793026727"}}}

    Passes:

        to: bot-user-1
        failover: {sms: {text: Hi, destinations: {bot-user-1: "41793026727"}}}
    """

    code, name, severity = "VB505", "sms-failover-matching-unknown-initial", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for f in _matchings(ctx):
            if not f.pairs:
                continue
            tos = f.dest.to_set if f.dest is not None else set()
            if f.initials_all_known():
                continue  # fast path: every initial is a string naming a destination
            path = f.path
            for i, ini in enumerate(f.initials):
                if ini is _NOT_DICT:
                    continue
                if ini is None:
                    yield Finding(path + ("destinationMatching", i), "destination matching entry has no initial",
                                  "set initial to the Viber bot user ID it maps")
                elif not isinstance(ini, str) or ini not in tos:
                    yield Finding(path + ("destinationMatching", i, "initial"),
                                  f"{ini!r} is not a destination of this message, so this mapping is never used",
                                  "check the bot user ID, or add it to the message's destinations")

class SmsFailoverSenderLengthRule(Rule):
    """``smsFailover.sender`` is an alphanumeric sender outside 3-11 characters or a numeric
    sender outside 3-14 digits.

    Why: SMS sender IDs have these limits (Infobip's older SMS documentation); longer
    senders are rejected or replaced by carriers, and the SMS may arrive from an unknown
    number.

    Source: constraints.md §3 and §6 (S6, S8 legacy SmsTextualMessage wording).

    Fails:

        failover: {sms: {sender: DemoCompanyInfo, text: Hi}}

    Passes:

        failover: {sms: {sender: DemoInfo, text: Hi}}
    """

    code, name, severity = "VB506", "sms-failover-sender-length", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, fo, _m in _failovers(ctx):
            s = fo.get("sender")
            if not isinstance(s, str):
                continue
            digits = s[1:] if s[:1] == "+" else s
            if digits.isdigit() and digits.isascii():
                n = len(digits)
                if not 3 <= n <= 14:
                    yield Finding(path + ("sender",), f"numeric SMS sender {s!r} has {n} digits; use 3-14",
                                  "use a registered number of 3-14 digits")
            else:
                n = len(s)
                if not 3 <= n <= 11:
                    yield Finding(path + ("sender",), f"alphanumeric SMS sender {s!r} has {n} characters; use 3-11",
                                  "shorten the sender ID to at most 11 characters" if n > 11
                                  else "use at least 3 characters")


def _regional(ctx: RuleContext, key: str) -> Iterator[tuple[tuple, dict]]:
    for path, fo, _m in _failovers(ctx):
        r = fo.get("regional")
        if isinstance(r, dict):
            x = r.get(key)
            if isinstance(x, dict):
                yield path + ("regional", key), x


class IndiaDltPrincipalEntityMissingRule(Rule):
    """``smsFailover.regional.indiaDlt`` has no ``principalEntityId``.

    Why: the principal entity ID (the DLT registration of the sender's business) is
    required for SMS to India; the request is rejected without it.

    Source: constraints.md §3 (S6); OpenAPI IndiaDltOptions.principalEntityId.

    Fails:

        regional: {india_dlt: {content_template_id: "1107"}}

    Passes:

        regional: {india_dlt: {principal_entity_id: "1201", content_template_id: "1107"}}
    """

    code, name, severity = "VB507", "india-dlt-principal-entity-missing", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, x in _regional(ctx, "indiaDlt"):
            v = x.get("principalEntityId")
            if not isinstance(v, str) or not v.strip():
                yield Finding(path if v is None else path + ("principalEntityId",),
                              "India DLT options need a principalEntityId", "add the DLT principal entity ID")


class TurkeyIysRecipientTypeRule(Rule):
    """``smsFailover.regional.turkeyIys.recipientType`` is missing or not ``BIREYSEL`` or ``TACIR``.

    Why: the IYS recipient type is required for commercial SMS to Turkey and is an enum:
    ``BIREYSEL`` (individual) or ``TACIR`` (merchant).

    Source: constraints.md §3 (S6); OpenAPI TurkeyIysOptions.recipientType.

    Fails:

        regional: {turkey_iys: {brand_code: 12345}}

    Passes:

        regional: {turkey_iys: {brand_code: 12345, recipient_type: bireysel}}
    """

    code, name, severity = "VB508", "turkey-iys-recipient-type-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, x in _regional(ctx, "turkeyIys"):
            v = x.get("recipientType")
            if v in IYS_RECIPIENT_TYPES:
                continue
            if v is None:
                yield Finding(path, "Turkey IYS options need a recipientType", Help("add recipientType BIREYSEL or TACIR",
                                                                                         "add recipient_type: bireysel or tacir"))
            else:
                yield Finding(path + ("recipientType",), f"IYS recipientType {v!r} is not BIREYSEL or TACIR",
                              "use BIREYSEL (individual) or TACIR (merchant)")


class SouthKoreaTitleTooLongRule(Rule):
    """``smsFailover.regional.southKorea.title`` is longer than 66 characters.

    Why: the schema's maxLength for the Korean message title is 66.

    Source: constraints.md §3 (S6); OpenAPI SouthKoreaOptions.title.

    Fails:

        regional: {south_korea: {title: (67 characters)}}

    Passes:

        regional: {south_korea: {title: Spring sale}}
    """

    code, name, severity = "VB509", "south-korea-title-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, x in _regional(ctx, "southKorea"):
            n = length(x.get("title"))
            if n > KOREA_TITLE_MAX:
                yield Finding(path + ("title",), f"South Korea title is {n} characters; the maximum is {KOREA_TITLE_MAX}",
                              "shorten the title")


RULES = (
    SmsFailoverTextMissingRule,
    SmsFailoverTextEmptyRule,
    SmsFailoverMissingDestinationMatchingRule,
    SmsFailoverDestinationNotInternationalRule,
    SmsFailoverMatchingUnknownInitialRule,
    SmsFailoverSenderLengthRule,
    IndiaDltPrincipalEntityMissingRule,
    TurkeyIysRecipientTypeRule,
    SouthKoreaTitleTooLongRule,
)
