"""Rules on message-level options: ``validityPeriod`` (also ``smsFailover.validityPeriod``),
``deliveryTimeWindow``, ``campaignReferenceId``, ``platform``, and options that exist only
for SMS or Viber Business Messages (VB420-VB449)."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from .common import is_int, is_number, length

VALIDITY_UNITS = {"SECONDS": 1, "MINUTES": 60, "HOURS": 3600}
VALIDITY_MAX_SECONDS = 48 * 3600
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_DAY_SET = frozenset(DAYS)
WINDOW_MIN_MINUTES = 60
ID_MAX = 255


def validity_periods(ctx: RuleContext) -> Iterator[tuple[tuple, dict, str]]:
    """``(path, validityPeriod, label)`` for the message and SMS-failover validity objects."""
    for opath, o in ctx.message_options():
        vp = o.get("validityPeriod")
        if isinstance(vp, dict):
            yield opath + ("validityPeriod",), vp, "validity period"
        fo = o.get("smsFailover")
        if isinstance(fo, dict):
            vp = fo.get("validityPeriod")
            if isinstance(vp, dict):
                yield opath + ("smsFailover", "validityPeriod"), vp, "SMS failover validity period"


def _windows(ctx: RuleContext) -> Iterator[tuple[tuple, dict]]:
    for opath, o in ctx.message_options():
        w = o.get("deliveryTimeWindow")
        if isinstance(w, dict):
            yield opath + ("deliveryTimeWindow",), w


def _time(value: object) -> int | None:
    """Minutes after midnight of a valid ``{hour, minute}``, else None."""
    if not isinstance(value, dict):
        return None
    h, m = value.get("hour"), value.get("minute")
    if is_int(h) and is_int(m) and 0 <= h <= 23 and 0 <= m <= 59:
        return h * 60 + m
    return None


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _human(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


class ValidityExceeds48hRule(Rule):
    """A validity period (message or SMS failover) is longer than 48 hours.

    Why: Infobip does not support validity over 48 h and silently sets it to 48 h, so the
    request does not do what it says. A missing ``timeUnit`` means MINUTES.

    Source: constraints.md §3 (S6, S8); OpenAPI ValidityPeriod, NonMsisdnSmsFailover.validityPeriod.

    Decision: constraints.md §6 lists this as a warning; the product owner made it an error
    because Infobip silently changes the request.

    Fails:

        validity: 72h

    Passes:

        validity: 48h
    """

    code, name, severity = "VB420", "validity-exceeds-48h", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, vp, label in validity_periods(ctx):
            amount = vp.get("amount")
            unit = vp.get("timeUnit", "MINUTES")
            factor = VALIDITY_UNITS.get(unit) if isinstance(unit, str) else None
            if not is_number(amount) or factor is None:
                continue
            secs = amount * factor
            if secs > VALIDITY_MAX_SECONDS:
                yield Finding(path, f"{label} is {_human(secs)}; Infobip caps validity at 48 h and silently uses 48 h",
                              Help('use at most 48 HOURS (2880 MINUTES, 172800 SECONDS)', "use at most 48h (2880m, 172800s)"))


class ValidityNonPositiveRule(Rule):
    """``validityPeriod.amount`` is 0 or negative.

    Why: a message that is valid for no time at all can never be delivered; Infobip
    documents no minimum, so anything below 1 is treated as a mistake.

    Source: constraints.md §3 (S6, S8: amount required; > 0 inferred); OpenAPI ValidityPeriod.

    Fails:

        validity: {amount: 0, unit: minutes}

    Passes:

        validity: 30m
    """

    code, name, severity = "VB421", "validity-non-positive", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, vp, label in validity_periods(ctx):
            amount = vp.get("amount")
            if is_number(amount) and amount <= 0:
                yield Finding(path + ("amount",), f"{label} amount is {amount}; it must be at least 1",
                              Help('give a positive validity, e.g. {"amount": 30, "timeUnit": "MINUTES"}',
                                   "give a positive validity, e.g. 30m"))


class ValidityUnitInvalidRule(Rule):
    """``validityPeriod.timeUnit`` is not ``SECONDS``, ``MINUTES`` or ``HOURS``.

    Why: the unit is an enum and other values (``DAYS``, ``MINUTE``, lower case) are
    rejected. For days, convert to hours (at most 48).

    Source: constraints.md §3 (S6, S8); OpenAPI ValidityPeriodTimeUnit.

    Fails (raw body):

        "validityPeriod": {"amount": 1, "timeUnit": "DAYS"}

    Passes:

        "validityPeriod": {"amount": 24, "timeUnit": "HOURS"}
    """

    code, name, severity = "VB422", "validity-unit-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, vp, label in validity_periods(ctx):
            if "timeUnit" not in vp:
                continue
            unit = vp["timeUnit"]
            if isinstance(unit, str) and unit in VALIDITY_UNITS:
                continue
            help = "use SECONDS, MINUTES or HOURS"
            if isinstance(unit, str):
                u = unit.strip().upper()
                u = u if u.endswith("S") else u + "S"
                if u in VALIDITY_UNITS:
                    help = f"write {u!r}"
                elif u in ("DAYS", "WEEKS"):
                    help = "express it in HOURS (at most 48)"
            yield Finding(path + ("timeUnit",), f"{label} unit {unit!r} is not SECONDS, MINUTES or HOURS", help)


class ValidityUnitImplicitRule(Rule):
    """``validityPeriod`` has no ``timeUnit``, so the amount is read as MINUTES.

    Why: people who meant hours (``{"amount": 2}`` for two hours) or seconds get a very
    different validity without any error. Specs always emit the unit; raw bodies only.

    Source: constraints.md §3 (S6, S8: default MINUTES).

    Fails (raw body):

        "validityPeriod": {"amount": 2}

    Passes:

        "validityPeriod": {"amount": 2, "timeUnit": "HOURS"}
    """

    code, name, severity = "VB423", "validity-unit-implicit", Severity.INFO
    inputs = frozenset({"payload"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, vp, label in validity_periods(ctx):
            if "timeUnit" not in vp and "amount" in vp:
                yield Finding(path, f"{label} has no timeUnit, so {vp['amount']!r} is read as MINUTES",
                              'add "timeUnit": "MINUTES" (or HOURS / SECONDS) to make it explicit')


class WindowDaysEmptyRule(Rule):
    """``deliveryTimeWindow.days`` is missing or empty.

    Why: ``days`` is required and needs at least one day; a window without days is
    rejected. In a spec, ``window`` needs ``days``.

    Source: constraints.md §3 (S6, S8); OpenAPI DeliveryTimeWindow.days.

    Fails:

        window: {days: [], from: "09:00", to: "17:00"}

    Passes:

        window: {days: weekdays, from: "09:00", to: "17:00"}
    """

    code, name, severity = "VB424", "window-days-empty", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            days = w.get("days")
            if days is None or (isinstance(days, list) and not days):
                yield Finding(path if days is None else path + ("days",),
                              "delivery time window has no days; at least one day is required",
                              Help('give days, e.g. ["MONDAY", "WEDNESDAY", "FRIDAY"]',
                                   "give days, e.g. weekdays, daily or [mon, wed, fri]"))


class WindowDaysDuplicateRule(Rule):
    """The same weekday appears more than once in ``deliveryTimeWindow.days``.

    Why: harmless to Infobip but usually a copy-paste slip hiding a missing day.

    Source: constraints.md §6 (inferred).

    Fails (raw body):

        "days": ["MONDAY", "MONDAY", "FRIDAY"]

    Passes:

        "days": ["MONDAY", "TUESDAY", "FRIDAY"]
    """

    code, name, severity = "VB425", "window-days-duplicate", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            days = w.get("days")
            if not isinstance(days, list):
                continue
            seen: set = set()
            for i, d in enumerate(days):
                if not isinstance(d, str):
                    continue
                if d in seen:
                    yield Finding(path + ("days", i), f"{d} is listed more than once", "remove the duplicate day")
                seen.add(d)


class WindowDayInvalidRule(Rule):
    """An entry of ``deliveryTimeWindow.days`` is not one of ``MONDAY`` ... ``SUNDAY``.

    Why: days are an enum of full upper-case English names; abbreviations (``MON``),
    other cases or other languages are rejected. Specs accept ``mon``, ``Monday``,
    ranges and ``weekdays``, and compile them to the full names.

    Source: constraints.md §3 (S6, S8); OpenAPI DeliveryDay.

    Fails (raw body):

        "days": ["MON", "TUE"]

    Passes:

        "days": ["MONDAY", "TUESDAY"]
    """

    code, name, severity = "VB426", "window-day-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            days = w.get("days")
            if not isinstance(days, list):
                if days is not None:
                    yield Finding(path + ("days",), "delivery window days must be a list of day names",
                                  'e.g. ["MONDAY", "TUESDAY"]')
                continue
            for i, d in enumerate(days):
                if isinstance(d, str) and d in _DAY_SET:
                    continue
                help = "use MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY or SUNDAY"
                if isinstance(d, str) and len(d.strip()) >= 2:
                    u = d.strip().upper()
                    match = [x for x in DAYS if x.startswith(u[:3])]
                    if len(match) == 1:
                        help = f"write {match[0]!r}"
                yield Finding(path + ("days", i), f"{d!r} is not a day name Infobip accepts", help)


class WindowFromToPartialRule(Rule):
    """Only one of ``deliveryTimeWindow.from`` and ``.to`` is set.

    Why: Infobip requires both or neither; a window with only a start or only an end is
    rejected.

    Source: constraints.md §3 (S6, S8); OpenAPI DeliveryTimeWindow.

    Fails:

        window: {days: daily, from: "10:00"}

    Passes:

        window: {days: daily, from: "10:00", to: "18:00"}
    """

    code, name, severity = "VB427", "window-from-to-partial", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            has_from, has_to = w.get("from") is not None, w.get("to") is not None
            if has_from != has_to:
                given, missing = ("from", "to") if has_from else ("to", "from")
                yield Finding(path + (given,), f"delivery window has '{given}' but no '{missing}'; give both or neither",
                              f"add '{missing}', or remove '{given}' to allow the whole day")


class WindowTooShortRule(Rule):
    """``deliveryTimeWindow`` is shorter than one hour.

    Why: Infobip requires ``from`` and ``to`` to be at least one hour apart and rejects
    shorter windows. A window whose ``to`` is earlier than ``from`` is taken as wrapping past
    midnight (22:00-01:00 is 3 hours); ``from`` equal to ``to`` is a zero-length window.

    Source: constraints.md §3 (S6, S8); OpenAPI DeliveryTimeWindow.

    Fails:

        window: {days: daily, from: "10:00", to: "10:30"}

    Passes:

        window: {days: daily, from: "10:00", to: "11:00"}
    """

    code, name, severity = "VB428", "window-too-short", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            f, t = _time(w.get("from")), _time(w.get("to"))
            if f is None or t is None:
                continue
            span = (t - f) % 1440
            if span < WINDOW_MIN_MINUTES:
                yield Finding(path, f"delivery window {_hhmm(f)}-{_hhmm(t)} UTC is {span} minutes long; "
                                    "Infobip requires at least 1 hour",
                              "widen the window to at least one hour")


class WindowCrossesMidnightRule(Rule):
    """``deliveryTimeWindow.to`` is earlier than ``from`` (the window crosses midnight UTC).

    Why: Infobip does not document whether such a window wraps past midnight or is
    rejected or never opens. It often appears when a local-time window is converted to
    UTC. Consider splitting the campaign or shifting the window.

    Source: constraints.md §3 and §7 (undocumented; inferred).

    Decision: a spec window already written backwards (``from: "22:00", to: "02:00"`` in its
    own zone) is reported once, as ``window-ends-before-start``, not here; this warning is for
    raw bodies and for local windows that cross midnight only after conversion to UTC.

    Fails (raw body; or a spec window 04:00-10:00 in Asia/Kolkata, 22:30-04:30 UTC):

        "deliveryTimeWindow": {"days": ["MONDAY"], "from": {"hour": 22, "minute": 0}, "to": {"hour": 2, "minute": 0}}

    Passes:

        window: {days: daily, from: "08:00", to: "22:00"}
    """

    code, name, severity = "VB429", "window-crosses-midnight", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        from .plan_rules import windows_written_backwards  # lazy: plan_rules only for bodies with a window (it loads the planner)

        backwards = windows_written_backwards(ctx)  # window-ends-before-start reports these
        for path, w in _windows(ctx):
            f, t = _time(w.get("from")), _time(w.get("to"))
            if f is None or t is None or t >= f or path[1] in backwards:
                continue
            yield Finding(path, f"delivery window {_hhmm(f)}-{_hhmm(t)} UTC ends before it starts (crosses midnight); "
                                "Infobip does not document how this is handled",
                          "use a window that starts and ends on the same UTC day")


class WindowTimeInvalidRule(Rule):
    """A ``deliveryTimeWindow.from``/``to`` time is not ``{hour: 0-23, minute: 0-59}``.

    Why: both fields are required integers in those ranges; ``24:00``, a missing minute or
    a string is rejected.

    Source: constraints.md §3 (S2, S6, S8); OpenAPI DeliveryTime.

    Fails:

        window: {days: daily, from: "09:00", to: "24:00"}

    Passes:

        window: {days: daily, from: "09:00", to: "23:59"}
    """

    code, name, severity = "VB430", "window-time-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, w in _windows(ctx):
            for key in ("from", "to"):
                v = w.get(key)
                if v is None:
                    continue
                if not isinstance(v, dict):
                    yield Finding(path + (key,), f"delivery window '{key}' must be an object {{hour, minute}}",
                                  '{"hour": 9, "minute": 0}')
                    continue
                for field, hi in (("hour", 23), ("minute", 59)):
                    x = v.get(field)
                    if not (is_int(x) and 0 <= x <= hi):
                        what = "is missing" if x is None else f"is {x!r}"
                        yield Finding(path + (key, field) if field in v else path + (key,),
                                      f"delivery window '{key}' {field} {what}; it must be an integer 0-{hi}",
                                      "window times are UTC, hour 0-23 and minute 0-59")


def _too_long(ctx: RuleContext, keys: tuple, label: str, spec_label: str) -> Iterator[Finding]:
    for opath, o in ctx.message_options():
        obj = o
        for k in keys[:-1]:
            obj = obj.get(k)
            if not isinstance(obj, dict):
                break
        else:
            n = length(obj.get(keys[-1]))
            if n > ID_MAX:
                yield Finding(opath + keys, f"{label} is {n} characters; the maximum is {ID_MAX}",
                              Help(f"shorten {label} to {ID_MAX} characters", f"shorten {spec_label} to {ID_MAX} characters"))


class CampaignRefTooLongRule(Rule):
    """``campaignReferenceId`` is longer than 255 characters.

    Why: the schema's maxLength is 255; longer values are rejected or clipped, and reports
    can no longer be matched to the campaign.

    Source: constraints.md §3 (S6, S7); OpenAPI NonMsisdnMessageFailoverOptions.campaignReferenceId.

    Fails:

        campaign_ref: spring-2026-...(256 characters)

    Passes:

        campaign_ref: spring-2026
    """

    code, name, severity = "VB431", "campaign-ref-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return _too_long(ctx, ("campaignReferenceId",), "campaignReferenceId", "campaign_ref")


class EntityIdTooLongRule(Rule):
    """``platform.entityId`` is longer than 255 characters.

    Why: the schema's maxLength is 255 (some SMS schemas allow only 50 or 66).

    Source: constraints.md §3 (S6, S7); OpenAPI Platform.entityId.

    Fails:

        platform: {entity_id: priorityCustomer-...(256 characters)}

    Passes:

        platform: {entity_id: priorityCustomer}
    """

    code, name, severity = "VB432", "entity-id-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return _too_long(ctx, ("platform", "entityId"), "platform.entityId", "platform.entity_id")


class ApplicationIdTooLongRule(Rule):
    """``platform.applicationId`` is longer than 255 characters.

    Why: the schema's maxLength is 255 (some SMS schemas allow only 50 or 66).

    Source: constraints.md §3 (S6, S7); OpenAPI Platform.applicationId.

    Fails:

        platform: {application_id: clientTestEnvironment-...(256 characters)}

    Passes:

        platform: {application_id: clientTestEnvironment}
    """

    code, name, severity = "VB433", "application-id-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return _too_long(ctx, ("platform", "applicationId"), "platform.applicationId", "platform.application_id")


UNSUPPORTED = {
    "tracking": "URL tracking exists only for SMS and Viber Business Messages",
    "urlOptions": "URL shortening/tracking exists only for SMS",
    "transliteration": "transliteration exists only for SMS",
    "flash": "flash messages exist only for SMS",
    "includeSmsCountInResponse": "SMS count exists only for SMS",
    "label": "labels exist only for Viber Business Messages",
    "trackingData": "outbound trackingData exists only for Viber Business Messages",
    "applySessionRate": "session rates exist only for Viber Business Messages",
    "toPrimaryDeviceOnly": "primary-device delivery exists only for Viber Business Messages",
}


class UnsupportedOptionRule(Rule):
    """An SMS or Viber Business Messages option (``tracking``, ``urlOptions``,
    ``transliteration``, ``flash``, ``includeSmsCountInResponse``, ``label``,
    ``trackingData``, ``applySessionRate``, ``toPrimaryDeviceOnly``) appears in a Viber Bot
    request.

    Why: the Viber Bot request has none of these; Infobip ignores or rejects them, so
    the behaviour they ask for (click tracking, transliteration, ...) does not happen.
    They usually come from copying an SMS or Business Messages body. Raw bodies only
    (a spec cannot express them).

    Source: constraints.md §3 and §6 (S6, S7); wire-format §2.1, §3; OpenAPI
    ViberBotRequest, ViberBotMessage, NonMsisdnMessageFailoverOptions.

    Fails (raw body):

        "options": {"validityPeriod": {...}, "tracking": {"track": "SMS"}}

    Passes:

        "options": {"validityPeriod": {"amount": 30, "timeUnit": "MINUTES"}}
    """

    code, name, severity = "VB434", "unsupported-option", Severity.ERROR
    inputs = frozenset({"payload"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        body = ctx.body
        if not isinstance(body, dict):
            return
        places: list[tuple[tuple, object]] = [((), body), (("options",), body.get("options"))]
        for mpath, m in ctx.messages():
            places.append((mpath, m))
            places.append((mpath + ("options",), m.get("options")))
            places.append((mpath + ("content",), m.get("content")))
        for where, obj in places:
            if not isinstance(obj, dict):
                continue
            for k, why in UNSUPPORTED.items():
                if k in obj:
                    yield Finding(where + (k,), f"{k!r} is not part of the Viber Bot request: {why}",
                                  "remove it", key=True)


RULES = (
    ValidityExceeds48hRule,
    ValidityNonPositiveRule,
    ValidityUnitInvalidRule,
    ValidityUnitImplicitRule,
    WindowDaysEmptyRule,
    WindowDaysDuplicateRule,
    WindowDayInvalidRule,
    WindowFromToPartialRule,
    WindowTooShortRule,
    WindowCrossesMidnightRule,
    WindowTimeInvalidRule,
    CampaignRefTooLongRule,
    EntityIdTooLongRule,
    ApplicationIdTooLongRule,
    UnsupportedOptionRule,
)
