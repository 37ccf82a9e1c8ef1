"""Rules on request-level scheduling: ``options.schedule`` (``sendAt``, ``bulkId``,
``sendingSpeedLimit``) and keys that belong there but sit elsewhere (VB401-VB419).

VB450-VB499 are reserved for spec-aware scheduling rules (e.g. ``sendAt`` against windows)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Iterable

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from .common import is_number, length
from ..wire.sendat import _SEND_AT, parse_send_at  # noqa: F401  (re-exported)

SEND_AT_MAX_AHEAD = timedelta(days=180)
BULK_ID_MAX = 100
SPEED_UNITS = ("MINUTE", "HOUR", "DAY")

def suggest_send_at(value: object) -> str | None:
    """The value rewritten in Infobip's format, when Python can read it as ISO 8601."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    v = value.strip()
    if v.endswith(("Z", "z")):
        v = v[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(v.replace(" ", "T", 1) if "T" not in v else v)
    except ValueError:
        return None
    base = dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}"
    if dt.tzinfo is None:
        return base + "+0000"
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    mins = abs(int(off.total_seconds())) // 60
    return f"{base}{sign}{mins // 60:02d}{mins % 60:02d}"


def _send_at(ctx: RuleContext):
    sch = ctx.schedule()
    if sch is None or "sendAt" not in sch[1]:
        return None
    spath, s = sch
    return spath + ("sendAt",), s["sendAt"]


def _speed_limit(ctx: RuleContext):
    sch = ctx.schedule()
    if sch is None:
        return None
    spath, s = sch
    sl = s.get("sendingSpeedLimit")
    if not isinstance(sl, dict):
        return None
    return spath + ("sendingSpeedLimit",), sl


class SendAtFormatRule(Rule):
    """``sendAt`` is not in Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm`` (or ``±hh:mm``) format.

    Why: Infobip parses ``sendAt`` with a fixed pattern; a value in another shape (no
    milliseconds, a ``Z`` suffix, a space instead of ``T``, an impossible date) is rejected,
    and Infobip's maintainers report that scheduled messages with a wrongly formatted
    ``sendAt`` are not delivered. Specs always compile to the right format; this catches raw
    bodies and hand-edited output.

    Source: constraints.md §3 and §5 (S6, S7, S8, S9, S12); OpenAPI RequestSchedulingSettings.sendAt.

    Decision: both ``+0100`` (what Infobip returns) and ``+01:00`` (Infobip's examples and the
    maintainer's recommended PHP pattern) are accepted. A literal ``Z`` is not: the documented
    pattern letter ``Z`` is Java's numeric offset. A value that is well formed but has no
    offset at all is reported by ``send-at-missing-offset`` instead.

    Fails (raw body):

        "options": {"schedule": {"sendAt": "2026-12-01T09:00:00Z"}}

    Passes:

        "options": {"schedule": {"sendAt": "2026-12-01T09:00:00.000+0100"}}
    """

    code, name, severity = "VB401", "send-at-format", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _send_at(ctx)
        if got is None:
            return
        path, value = got
        status, _ = parse_send_at(value)
        if status != "bad":
            return
        if not isinstance(value, str):
            yield Finding(path, f"sendAt must be a string, got {type(value).__name__}",
                          "write it as yyyy-MM-ddTHH:mm:ss.SSS+hhmm, e.g. 2026-12-01T09:00:00.000+0100")
            return
        hint = suggest_send_at(value)
        help = (f"write {hint}" if hint and hint != value
                else "use yyyy-MM-ddTHH:mm:ss.SSS+hhmm, e.g. 2026-12-01T09:00:00.000+0100")
        yield Finding(path, f"sendAt {value!r} is not in Infobip's yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm format",
                      help)


class SendAtMissingOffsetRule(Rule):
    """``sendAt`` has no UTC offset, so the time zone it is read in is undocumented.

    Why: Infobip honours the offset written in ``sendAt``; without one, the zone it assumes
    is not documented (account zone? UTC?), so the campaign may go out hours early or late.
    vibespec's own range checks read such a value as UTC. Specs always emit an offset
    (``send_at`` without one takes the spec ``timezone``), so this applies to raw bodies only.

    Source: constraints.md §3 and §5 (S2, S6, S9; behaviour without an offset: inferred).

    Fails (raw body):

        "options": {"schedule": {"sendAt": "2026-12-01T09:00:00.000"}}

    Passes:

        "options": {"schedule": {"sendAt": "2026-12-01T09:00:00.000+01:00"}}
    """

    code, name, severity = "VB402", "send-at-missing-offset", Severity.WARNING
    inputs = frozenset({"payload"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _send_at(ctx)
        if got is None:
            return
        path, value = got
        status, _ = parse_send_at(value)
        if status == "no-offset":
            yield Finding(path, f"sendAt {value!r} has no UTC offset; the time zone Infobip assumes is undocumented",
                          f"add an explicit offset, e.g. {value}+0000 for UTC")


def _send_at_utc(ctx: RuleContext):
    got = _send_at(ctx)
    if got is None:
        return None
    path, value = got
    status, dt = parse_send_at(value)
    if dt is None:
        return None
    if status == "no-offset":
        dt = dt.replace(tzinfo=timezone.utc)
    return path, value, dt


def _fmt_delta(delta: timedelta) -> str:
    secs = abs(int(delta.total_seconds()))
    days, rem = divmod(secs, 86400)
    if days:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = rem // 3600
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{max(rem // 60, 1)} minute{'s' if rem // 60 != 1 else ''}"


class SendAtTooFarRule(Rule):
    """``sendAt`` is more than 180 days in the future.

    Why: Infobip accepts scheduling at most 180 days ahead and rejects later dates.
    The check is against the current time (UTC); a ``sendAt`` without an offset is read as UTC.

    Source: constraints.md §3 (S6, S7, S8, S10); OpenAPI RequestSchedulingSettings.sendAt.

    Fails (on 2026-11-25):

        send_at: 2027-06-01T09:00:00+01:00

    Passes:

        send_at: 2026-12-01T09:00:00+01:00
    """

    code, name, severity = "VB403", "send-at-too-far", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _send_at_utc(ctx)
        if got is None:
            return
        path, value, dt = got
        ahead = dt - ctx.now
        if ahead > SEND_AT_MAX_AHEAD:
            limit = (ctx.now + SEND_AT_MAX_AHEAD).strftime("%Y-%m-%d %H:%M UTC")
            yield Finding(path, f"sendAt {value} is {_fmt_delta(ahead)} ahead; Infobip schedules at most 180 days ahead",
                          f"schedule no later than {limit}, or send the request later")


class SendAtInPastRule(Rule):
    """``sendAt`` is already in the past.

    Why: what Infobip does with a past ``sendAt`` is undocumented; most likely the messages go
    out immediately, which is rarely what a scheduled campaign intends (an old spec re-run,
    a wrong year or offset). A ``sendAt`` without an offset is read as UTC.

    Source: constraints.md §3 and §7 (behaviour undocumented; inferred).

    Fails (on 2026-11-25):

        send_at: 2026-11-20T09:00:00+01:00

    Passes:

        send_at: 2026-12-01T09:00:00+01:00
    """

    code, name, severity = "VB404", "send-at-in-past", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _send_at_utc(ctx)
        if got is None:
            return
        path, value, dt = got
        if dt < ctx.now:
            yield Finding(path, f"sendAt {value} is {_fmt_delta(ctx.now - dt)} in the past; "
                                "the messages will probably be sent immediately",
                          Help("update the date, or remove sendAt to send now",
                               "update the date, or remove send_at to send now"))


class SpeedLimitNonPositiveRule(Rule):
    """``sendingSpeedLimit.amount`` is 0 or negative.

    Why: the amount is the number of messages sent per time unit; zero or less would
    never send anything and is rejected.

    Source: constraints.md §3 (S6, S8: amount required; > 0 inferred); OpenAPI SendingSpeedLimit.

    Fails:

        speed_limit: {amount: 0, per: hour}

    Passes:

        speed_limit: 30/hour
    """

    code, name, severity = "VB405", "speed-limit-non-positive", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _speed_limit(ctx)
        if got is None:
            return
        path, sl = got
        amount = sl.get("amount")
        if is_number(amount) and amount <= 0:
            yield Finding(path + ("amount",), f"sending speed limit amount is {amount}; it must be at least 1",
                          Help('give a positive number of messages per unit, e.g. {"amount": 30, "timeUnit": "HOUR"}',
                               "give a positive number of messages per unit, e.g. 30/hour"))


class SpeedLimitUnitInvalidRule(Rule):
    """``sendingSpeedLimit.timeUnit`` is not ``MINUTE``, ``HOUR`` or ``DAY``.

    Why: the unit is an enum; any other value (including ``MINUTES``, ``hour`` or
    ``SECOND``) is rejected. Omitting it means ``MINUTE``.

    Source: constraints.md §3 (S2, S6, S8); OpenAPI SpeedLimitTimeUnit.

    Fails (raw body):

        "sendingSpeedLimit": {"amount": 30, "timeUnit": "HOURS"}

    Passes:

        "sendingSpeedLimit": {"amount": 30, "timeUnit": "HOUR"}
    """

    code, name, severity = "VB406", "speed-limit-unit-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        got = _speed_limit(ctx)
        if got is None or "timeUnit" not in got[1]:
            return
        path, sl = got
        unit = sl["timeUnit"]
        if unit in SPEED_UNITS:
            return
        help = "use MINUTE, HOUR or DAY"
        if isinstance(unit, str):
            u = unit.strip().upper().rstrip("S")
            if u in SPEED_UNITS:
                help = f"write {u!r}"
        yield Finding(path + ("timeUnit",), f"sending speed limit unit {unit!r} is not MINUTE, HOUR or DAY", help)


class BulkIdTooLongRule(Rule):
    """``bulkId`` is longer than 100 characters.

    Why: the schema's maxLength is 100 and longer values are clipped silently, so later
    look-ups of reports and logs by the bulk ID you chose find nothing.

    Source: constraints.md §3 and §6 (S6 maxLength, S7); OpenAPI RequestSchedulingSettings.bulkId.

    Fails:

        bulk_id: spring-promo-2026-...(101 characters)

    Passes:

        bulk_id: spring-promo-2026
    """

    code, name, severity = "VB407", "bulk-id-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        sch = ctx.schedule()
        if sch is None:
            return
        spath, s = sch
        n = length(s.get("bulkId"))
        if n > BULK_ID_MAX:
            yield Finding(spath + ("bulkId",), f"bulkId is {n} characters; Infobip keeps at most {BULK_ID_MAX}",
                          "shorten the bulk ID")


_SCHEDULE_KEYS = ("sendAt", "bulkId", "sendingSpeedLimit", "SendAt")
# Handled by unsupported-option (options.py), not reported twice here.
_SMS_ONLY = frozenset(("tracking", "urlOptions", "transliteration", "flash", "includeSmsCountInResponse",
                       "label", "trackingData", "applySessionRate", "toPrimaryDeviceOnly"))


class ScheduleMisplacedRule(Rule):
    """A scheduling key sits outside ``options.schedule``: ``sendAt``, ``bulkId`` or
    ``sendingSpeedLimit`` on a message, in its ``options`` or directly under the request
    ``options``; the capitalised ``SendAt``; or any request-level option other than ``schedule``.

    Why: in the Viber Bot request these three keys live only under the request-level
    ``options.schedule``; Infobip ignores them anywhere else, so the messages go out
    immediately, unthrottled and under a generated bulk ID. The flat option list in
    Infobip's prose (which even spells the key ``SendAt``) invites exactly this mistake.
    Message options (``validityPeriod``, ``deliveryTimeWindow``, ...) placed at request
    level are ignored the same way. Specs cannot express this; raw bodies only.

    Source: constraints.md §3 and §6 (S2 vs S6); wire-format §3; OpenAPI
    ViberBotMessageRequestOptions, RequestSchedulingSettings.

    Fails (raw body):

        {"messages": [{"sender": "DemoBot", "sendAt": "2026-12-01T09:00:00.000+0100", ...}]}

    Passes:

        {"messages": [...], "options": {"schedule": {"sendAt": "2026-12-01T09:00:00.000+0100"}}}
    """

    code, name, severity = "VB408", "schedule-misplaced", Severity.ERROR
    inputs = frozenset({"payload"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        body = ctx.body
        if not isinstance(body, dict):
            return
        help = "move it to the request-level options.schedule"
        for k in _SCHEDULE_KEYS:
            if k in body:
                yield Finding((k,), f"{k!r} at the top level of the request is ignored", help, key=True)
        if "schedule" in body:
            yield Finding(("schedule",), "'schedule' at the top level is ignored", "move it under 'options'", key=True)
        opts = body.get("options")
        if isinstance(opts, dict):
            for k in opts:
                if k == "schedule" or k in _SMS_ONLY:
                    continue
                if k in _SCHEDULE_KEYS:
                    yield Finding(("options", k), f"options.{k} is ignored; it belongs in options.schedule",
                                  "move it into options.schedule" + (" and spell it 'sendAt'" if k == "SendAt" else ""),
                                  key=True)
                else:
                    yield Finding(("options", k), f"request-level options may contain only 'schedule', not {k!r}",
                                  "message options (validityPeriod, deliveryTimeWindow, ...) go in each message's options",
                                  key=True)
            sch = opts.get("schedule")
            if isinstance(sch, dict) and "SendAt" in sch:
                yield Finding(("options", "schedule", "SendAt"), "'SendAt' is not a known key; the field is 'sendAt'",
                              "spell it 'sendAt'", key=True)
        for mpath, m in ctx.messages():
            for where, obj in ((mpath, m), (mpath + ("options",), m.get("options"))):
                if not isinstance(obj, dict):
                    continue
                for k in _SCHEDULE_KEYS:
                    if k in obj:
                        yield Finding(where + (k,), f"{k!r} on a message is ignored; scheduling is per request",
                                      help, key=True)
                if "schedule" in obj:
                    yield Finding(where + ("schedule",), "'schedule' on a message is ignored",
                                  "move it to the request-level options.schedule", key=True)


RULES = (
    SendAtFormatRule,
    SendAtMissingOffsetRule,
    SendAtTooFarRule,
    SendAtInPastRule,
    SpeedLimitNonPositiveRule,
    SpeedLimitUnitInvalidRule,
    BulkIdTooLongRule,
    ScheduleMisplacedRule,
)
