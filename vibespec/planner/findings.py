"""What the plan warns about (VB450-VB456), as :class:`PlanWarning` objects naming a path in the
request body. :mod:`vibespec.rules.plan_rules` turns them into lint findings; ``Plan.warnings``
shows them in ``vibespec plan``."""

from __future__ import annotations

import functools

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from .. import codes
from ..codes import Code
from ..diagnostics import Help
from .simulate import DAYS, UNIT_SECONDS, UTC, MessagePlan, Simulation, UtcWindow, describe_days, group, hhmm, run

@dataclass(frozen=True)
class PlanWarning:
    kind: Code  # one of vibespec.codes.OF_RULES: its code and severity
    message: str
    help: str | None
    path: tuple  # in the request body
    message_index: int | None = None  # body index of the message concerned, if one

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def severity(self) -> str:
        return self.kind.severity.value

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message, "help": self.help,
                "path": list(self.path), "message_index": self.message_index}


# --------------------------------------------------------------------------- zones and formatting


def zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    from ..spec.zones import get_zone  # lazy: the zone database only for a plan with a timezone

    try:
        return get_zone(name)
    except Exception:
        return None


def is_utc(tz: tzinfo | None) -> bool:
    if tz is None:
        return True
    return all((tz.utcoffset(datetime(2000, mo, 1)) or timedelta(0)) == timedelta(0) for mo in (1, 4, 7, 10))


def offset_str(off: timedelta | None) -> str:
    total = int((off or timedelta(0)).total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"UTC{sign}{total // 60:02d}:{total % 60:02d}"


@functools.lru_cache(maxsize=512)  # every message of a spec asks the same of the same zone
def has_dst(tz: tzinfo | None, around: date) -> bool:
    """Whether the zone's UTC offset changes within a year either side of ``around``."""
    if tz is None or isinstance(tz, timezone):
        return False
    offs = set()
    for k in range(-12, 13):
        d = around + timedelta(days=30 * k)
        offs.add(datetime(d.year, d.month, d.day, 12, tzinfo=UTC).astimezone(tz).utcoffset())
    return len(offs) > 1


def find_transition(tz: tzinfo, a: datetime, b: datetime) -> datetime | None:
    """The first instant in ``(a, b]`` at which the zone's UTC offset differs from the one at ``a``."""
    off_a = a.astimezone(tz).utcoffset()
    step = timedelta(hours=6)
    lo = a
    while lo < b:
        hi = min(lo + step, b)
        if hi.astimezone(tz).utcoffset() != off_a:
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() != off_a:
                    hi = mid
                else:
                    lo = mid
            return hi.replace(microsecond=0)
        lo = hi
    return None


@functools.lru_cache(maxsize=512)
def next_transition(tz: tzinfo, a: datetime, days: int = 400) -> datetime | None:
    return find_transition(tz, a, a + timedelta(days=days))


def fmt_dt(dt: datetime, tz: tzinfo | None = None, name: str | None = None) -> str:
    """``2026-12-07 08:00 UTC (Mon 09:00 Europe/Berlin)``."""
    u = dt.astimezone(UTC)
    sec = f":{u.second:02d}" if u.second else ""
    s = f"{u:%Y-%m-%d} {DAY(u)} {u:%H:%M}{sec} UTC"
    if tz is not None and not is_utc(tz):
        loc = dt.astimezone(tz)
        same = loc.date() == u.date()
        when = f"{loc:%H:%M}" if same else f"{DAY(loc)} {loc:%Y-%m-%d %H:%M}"
        s += f" ({when} {name or ''})".replace(" )", ")")
    return s


def DAY(dt: datetime) -> str:
    return dt.strftime("%a")


def fmt_td(td: timedelta) -> str:
    secs = int(td.total_seconds())
    if secs <= 0:
        return "0m"
    d, rem = divmod(secs, 86400) if secs > 172800 else (0, secs)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    parts = []
    if d:
        parts.append(f"{d}d")
    if h:
        parts.append(f"{h}h")
    if m:
        parts.append(f"{m}m")
    if s and not d:
        parts.append(f"{s}s")
    return "".join(parts)


def local_zone(m: MessagePlan) -> tuple[tzinfo | None, str | None]:
    wf = m.window_facts
    if wf is not None and wf.zone and wf.zone != "UTC":
        tz = zone(wf.zone)
        if tz is not None and not is_utc(tz):
            return tz, wf.zone
    return None, None


def describe_window(m: MessagePlan) -> str:
    """The window as written (local) and as sent (UTC)."""
    w = m.window
    if w is None:
        return "no window"
    wf = m.window_facts
    tz, name = local_zone(m)
    if tz is not None and wf.local_from is not None and wf.local_to is not None:
        local = f"{describe_days(_day_idx(wf.local_days))} {_t(wf.local_from)}-{_t(wf.local_to)} {name}"
        return f"{local} = {w.describe()}"
    return w.describe()


def _day_idx(names) -> list[int]:
    return [DAYS.index(d) for d in names if d in DAYS]


def _t(hm: tuple[int, int]) -> str:
    return f"{hm[0]:02d}:{hm[1]:02d}"


def _all(n: int) -> str:
    return "its destination expires" if n == 1 else f"all {n} destinations expire"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- the checks


def _validity_path(body: Any, m: MessagePlan) -> tuple | None:
    msgs = body.get("messages") if isinstance(body, dict) else None
    try:
        opts = msgs[m.index].get("options")
    except (AttributeError, IndexError, TypeError, KeyError):
        return None
    if isinstance(opts, dict) and "validityPeriod" in opts:
        return ("messages", m.index, "options", "validityPeriod")
    return None


def _window_path(m: MessagePlan) -> tuple:
    return ("messages", m.index, "options", "deliveryTimeWindow")


def expires_before_window(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB450."""
    out = []
    for m in sim.messages:
        if m.window is None or m.destinations <= 0:
            continue
        if m.first_open is not None and m.first_open < m.deadline:
            continue
        tz, name = local_zone(m)
        vpath = _validity_path(body, m)
        how = {"given": "", "default": " (Infobip's default; no validity set)",
               "capped": " (capped by Infobip at 48h)"}[m.validity_source]
        if m.first_open is None:
            msg = (f"message {m.label}: its delivery window ({describe_window(m)}) never opens, so "
                   f"{_all(m.destinations)} unsent")
            help_ = "give the window a non-empty time range (from and to at least 1 hour apart)"
        else:
            wait = m.first_open - sim.start
            msg = (f"message {m.label}: its validity of {fmt_td(m.validity)}{how} ends at "
                   f"{fmt_dt(m.deadline, tz, name)}, before its delivery window ({describe_window(m)}) first opens at "
                   f"{fmt_dt(m.first_open, tz, name)}; {_all(m.destinations)} unsent")
            if wait < timedelta(hours=48):
                help_ = Help(f"set validityPeriod to more than {fmt_td(wait)} (Infobip allows up to 48 HOURS), "
                             "or move sendAt into the window",
                             f"set validity to more than {fmt_td(wait)} (Infobip allows up to 48h), "
                             "or move send_at into the window")
            else:
                help_ = Help(f"the window opens {fmt_td(wait)} after sending starts, more than the 48 HOURS validity "
                             "Infobip allows: move sendAt closer to the window, or widen the window's days",
                             f"the window opens {fmt_td(wait)} after sending starts, more than the 48h validity "
                             "Infobip allows: move send_at closer to the window, or widen the window's days")
        out.append(PlanWarning(codes.VB450, msg, help_, vpath or _window_path(m), m.index))
    return out


def open_slots(start: datetime, period: timedelta, window: UtcWindow | None, deadline: datetime) -> int:
    """How many speed-limit slots (counted from ``start``) let a message with this window and
    deadline send at least once."""
    n, k = 0, 0
    while True:
        b = start + period * k
        if b >= deadline:
            return n
        e = min(b + period, deadline)
        t = b if window is None else window.earliest_open(b, e)
        if t is not None:
            n += 1
            k += 1
            continue
        nxt = None if window is None else window.earliest_open(e, deadline)
        if nxt is None:
            return n
        k = max(k + 1, int((nxt - start) // period))


def _min_speed(sim: Simulation, budget: float = 0.1) -> tuple[int, bool] | None:
    """The smallest amount (same unit) at which nothing expires -> (amount, exact); None when
    no amount helps (a window that does not open in time)."""
    import math  # lazy: only when a plan has expiries
    import time as _time  # lazy: only when a plan has expiries

    if sim.speed_limit is None:
        return None
    unit = sim.speed_limit[1]
    period = timedelta(seconds=UNIT_SECONDS[unit])
    groups = sim.groups or group(sim.messages)
    if not groups:
        return None
    needs = []
    for window, deadline, _items, cum in groups:
        slots = open_slots(sim.start, period, window, deadline)
        if slots == 0:
            return None
        needs.append(math.ceil(cum[-1] / slots))
    if len(groups) == 1:  # one queue: every open slot sends min(amount, what is left)
        return needs[0], True

    def expired_at(amount: int) -> int:
        return run(sim.start, (amount, unit), sim.messages, fill=False, groups=groups)[1]

    lo = max(sim.speed_limit[0], max(needs) - 1)  # expires at lo (or lo is the current limit)
    hi = max(sum(needs), lo + 1)
    deadline_t = _time.perf_counter() + budget
    while expired_at(hi):
        lo, hi = hi, hi * 2
        if hi > 10 * sum(g[3][-1] for g in groups) or _time.perf_counter() > deadline_t:
            return None
    while hi - lo > 1:
        if _time.perf_counter() > deadline_t:
            return hi, False
        mid = (lo + hi) // 2
        if expired_at(mid):
            lo = mid
        else:
            hi = mid
    return hi, True


def campaign_exceeds_validity(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB451: one warning for the whole request."""
    # a message whose window never opens before its validity ends is VB450's, not ours
    hit = [m for m in sim.messages
           if m.expired > 0 and (m.window is None or (m.first_open is not None and m.first_open < m.deadline))]
    if not hit:
        return []
    expired = sum(m.expired for m in hit)
    total = sum(m.destinations for m in sim.messages)
    parts = []
    for m in hit[:3]:
        tz, name = local_zone(m)
        parts.append(f"message {m.label}: {m.expired} of {m.destinations} after its {fmt_td(m.validity)} validity "
                     f"ends at {fmt_dt(m.deadline, tz, name)}")
    if len(hit) > 3:
        parts.append(f"and {_plural(len(hit) - 3, 'more message')}")
    if sim.speed_limit is not None:
        amount, unit = sim.speed_limit
        msg = (f"at {amount}/{unit.lower()} the campaign cannot finish within the validity: "
               f"{expired} of {_plural(total, 'destination')} would expire unsent (" + "; ".join(parts) + ")")
        path = ("options", "schedule", "sendingSpeedLimit")
        need = _min_speed(sim)
        if need is not None:
            what = f"at least {need[0]}" if need[1] else f"about {need[0]}"
            help_ = Help(f"raise sendingSpeedLimit to {what} per {unit}, lengthen validityPeriod (up to 48 HOURS), "
                         "or split the audience",
                         f"raise speed_limit to {what}/{unit.lower()}, lengthen validity (up to 48h), or split the audience")
        else:
            help_ = Help("lengthen validityPeriod (up to 48 HOURS), widen the delivery window, or split the audience",
                         "lengthen validity (up to 48h), widen the delivery window, or split the audience")
    else:
        msg = (f"{expired} of {_plural(total, 'destination')} would expire unsent before the delivery window lets "
               "them go (" + "; ".join(parts) + ")")
        m = hit[0]
        path = _validity_path(body, m) or _window_path(m)
        help_ = Help("lengthen validityPeriod (up to 48 HOURS) or widen the delivery window",
                     "lengthen validity (up to 48h) or widen the delivery window")
    return [PlanWarning(codes.VB451, msg, help_, path, hit[0].index if len(hit) == 1 else None)]


def window_dst_shift(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB452."""
    out = []
    for m in sim.messages:
        wf, w = m.window_facts, m.window
        if wf is None or w is None or w.whole_day or m.first_send is None or wf.date is None:
            continue
        if wf.local_from is None or wf.local_to is None:
            continue
        tz, name = local_zone(m)
        if tz is None or isinstance(tz, timezone):
            continue
        want_f, want_t = wf.local_from, wf.local_to
        for s, e in w.intervals(m.first_send, m.last_send):
            ls, le = s.astimezone(tz), e.astimezone(tz)
            if (ls.hour, ls.minute) == want_f and (le.hour, le.minute) == want_t:
                continue
            conv = datetime.combine(wf.date, time(*want_f), tzinfo=tz)
            before = conv.utcoffset()
            change = find_transition(tz, conv.astimezone(UTC), e) or s
            after = change.astimezone(tz).utcoffset()
            cdate = change.astimezone(tz).date()
            real = f"{ls:%H:%M}-{le:%H:%M}"
            msg = (f"message {m.label}: the window {_t(want_f)}-{_t(want_t)} {name} was converted for {wf.date} "
                   f"({offset_str(before)}) to {hhmm(w.start)}-{hhmm(w.end)} UTC, but {name} switches to "
                   f"{offset_str(after)} on {cdate} during the campaign; from then on Infobip still uses "
                   f"{hhmm(w.start)}-{hhmm(w.end)} UTC, so messages arrive {real} local time instead of "
                   f"{_t(want_f)}-{_t(want_t)} (first affected window: {ls:%a %Y-%m-%d})")
            help_ = (f"split the campaign at {cdate} (one request per UTC offset), or schedule it so that it ends "
                     "before the change")
            out.append(PlanWarning(codes.VB452, msg, help_, _window_path(m), m.index))
            break
    return out


def _backwards(m: MessagePlan) -> bool:
    """The window was written with ``to`` before ``from`` (VB456 reports it; VB453 and VB454
    stay silent about that window)."""
    wf = m.window_facts
    return wf is not None and wf.local_from is not None and wf.local_to is not None and wf.local_to < wf.local_from


def window_ends_before_start(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB456 (also a lint rule, from the spec facts), so that ``vibespec plan`` shows it."""
    out = []
    for m in sim.messages:
        if not _backwards(m):
            continue
        wf = m.window_facts
        msg = (f"message {m.label}: its delivery window ends before it starts ({_t(wf.local_from)}-{_t(wf.local_to)} "
               f"{wf.zone}); this plan assumes it runs overnight, which Infobip does not document")
        help_ = (f"if the times are swapped, write from: \"{_t(wf.local_to)}\", to: \"{_t(wf.local_from)}\"; "
                 "see vibespec explain VB456")
        out.append(PlanWarning(codes.VB456, msg, help_, _window_path(m) + ("to",), m.index))
    return out


def window_crosses_midnight_utc(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB453."""
    out = []
    for m in sim.messages:
        wf, w = m.window_facts, m.window
        if wf is None or w is None or not w.crosses_midnight or _backwards(m):
            continue
        tz, name = local_zone(m)
        if tz is None or wf.local_from is None or wf.local_to is None:
            continue
        days = ", ".join(d for d in wf.utc_days)
        local_days = describe_days(_day_idx(wf.local_days))
        msg = (f"message {m.label}: the window {local_days} {_t(wf.local_from)}-{_t(wf.local_to)} {name} "
               f"({offset_str(datetime.combine(wf.date, time(*wf.local_from), tzinfo=tz).utcoffset())} on {wf.date}) "
               f"crosses midnight UTC after conversion; Infobip receives days [{days}], from {hhmm(w.start)}, "
               f"to {hhmm(w.end)} (UTC)")
        help_ = ("Infobip does not document windows whose 'to' is before 'from'; vibespec plans them as opening on "
                 "each listed day and closing the next day. To avoid relying on that, keep the window within one "
                 "UTC day (split it into two messages or two windows)")
        out.append(PlanWarning(codes.VB453, msg, help_, _window_path(m), m.index))
    return out


def send_at_outside_window(sim: Simulation, body: Any, send_at: datetime | None) -> list[PlanWarning]:
    """VB454: one warning per distinct window (none for a past send_at: sending starts now,
    and send-at-in-past says so)."""
    if send_at is None or sim.send_at_past:
        return []
    groups: dict[UtcWindow, list[MessagePlan]] = {}
    for m in sim.messages:
        if m.window is None or m.destinations <= 0 or _backwards(m):
            continue
        if m.first_open == sim.start:  # open at the start (first_open is where it first opens)
            continue
        groups.setdefault(m.window, []).append(m)
    out = []
    for w, ms in groups.items():
        m = ms[0]
        tz, name = local_zone(m)
        if tz is None:
            tz = send_at.tzinfo
            name = offset_str(send_at.utcoffset()) if send_at.utcoffset() else None
        labels = ", ".join(x.label for x in ms[:5]) + (f" and {len(ms) - 5} more" if len(ms) > 5 else "")
        who = f"message {labels}" if len(ms) == 1 else f"messages {labels}"
        if m.first_open is None:
            tail = f" {fmt_dt(sim.start, tz, name)} is outside the delivery window of {who} ({describe_window(m)}), which never opens"
            msg = Help("sendAt" + tail, "send_at" + tail)
            help_ = "give the window a non-empty time range"
        else:
            wait = m.first_open - sim.start
            tail = (f" {fmt_dt(sim.start, tz, name)} is outside the delivery window of {who} "
                    f"({describe_window(m)}); sending waits {fmt_td(wait)}, until {fmt_dt(m.first_open, tz, name)}")
            msg = Help("sendAt" + tail, "send_at" + tail)
            help_ = Help(f"set sendAt to {fmt_dt(m.first_open, tz, name)} or later, or widen the window",
                         f"set send_at to {fmt_dt(m.first_open, tz, name)} or later, or widen the window")
        out.append(PlanWarning(codes.VB454, msg, help_, ("options", "schedule", "sendAt"), m.index))
    return out


def window_local_date_dependent(sim: Simulation, body: Any) -> list[PlanWarning]:
    """VB455."""
    out = []
    for m in sim.messages:
        wf, w = m.window_facts, m.window
        if wf is None or w is None or wf.date_source != "compile-date" or wf.date is None:
            continue
        if wf.local_from is None or wf.local_to is None or w.whole_day:
            continue
        tz, name = local_zone(m)
        if tz is None or not has_dst(tz, wf.date):
            continue
        conv = datetime.combine(wf.date, time(*wf.local_from), tzinfo=tz)
        nxt = next_transition(tz, conv.astimezone(UTC))
        tail = ""
        if nxt is not None:
            after = nxt.astimezone(tz).utcoffset()
            d = nxt.astimezone(tz).date()
            later_f = datetime.combine(d + timedelta(days=1), time(*wf.local_from), tzinfo=tz).astimezone(UTC)
            later_t = datetime.combine(d + timedelta(days=1), time(*wf.local_to), tzinfo=tz).astimezone(UTC)
            tail = (f"; after {name} switches to {offset_str(after)} on {d} the same spec compiles to "
                    f"{later_f:%H:%M}-{later_t:%H:%M} UTC")
        msg = (f"message {m.label}: there is no send_at, so the window {_t(wf.local_from)}-{_t(wf.local_to)} {name} "
               f"was converted to UTC for the compile date {wf.date} ({offset_str(conv.utcoffset())}): "
               f"{hhmm(w.start)}-{hhmm(w.end)} UTC{tail}")
        help_ = "set send_at so the conversion uses the day the messages go out, or write the window in UTC"
        out.append(PlanWarning(codes.VB455, msg, help_, _window_path(m), m.index))
    return out


def all_warnings(sim: Simulation, body: Any, send_at: datetime | None) -> list[PlanWarning]:
    out: list[PlanWarning] = []
    out += expires_before_window(sim, body)
    out += campaign_exceeds_validity(sim, body)
    out += window_dst_shift(sim, body)
    out += window_crosses_midnight_utc(sim, body)
    out += send_at_outside_window(sim, body, send_at)
    out += window_local_date_dependent(sim, body)
    out += window_ends_before_start(sim, body)
    return out
