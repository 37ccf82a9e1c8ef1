"""The delivery simulation: counts per time slot, never one object per destination.

Model (see :mod:`vibespec.planner` for the full statement of the semantics):

- Sending starts at ``start`` (``sendAt`` in UTC, or *now*).
- ``sendingSpeedLimit`` ``N/UNIT`` splits time into *slots* of one UNIT counted from
  ``start``; each slot sends at most N messages request-wide. Without a speed limit there is
  one unbounded slot.
- Inside a slot each waiting message leaves at the earliest instant its
  ``deliveryTimeWindow`` (UTC days, ``from``/``to``) is open; messages that become sendable
  at the same instant go in body order (and destinations in their order).
- A message's validity (``validityPeriod``; 48 h when absent; capped at 48 h) runs from
  ``start``; a destination not sent strictly before ``start + validity`` expires.

Messages with the same window and validity form one FIFO queue, so a slot costs
O(queues) plus O(1) per message that finishes in it. Validity is at most 48 h, so there
are at most 2,880 minute slots, 48 hour slots or 3 day slots; slots in which no window is
open are skipped in one jump."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

UTC = timezone.utc
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
UNIT_SECONDS = {"MINUTE": 60, "HOUR": 3600, "DAY": 86400}
VALIDITY_UNIT_SECONDS = {"SECONDS": 1, "MINUTES": 60, "HOURS": 3600}
DEFAULT_VALIDITY = timedelta(hours=48)
MAX_VALIDITY = timedelta(hours=48)
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class UtcWindow:
    """A ``deliveryTimeWindow`` as Infobip reads it: UTC weekdays (0 = Monday) and, when both
    are given, ``from``/``to`` in minutes after UTC midnight.

    Each listed day opens one interval ``[day + from, day + to)``; when ``to`` is earlier
    than ``from`` the interval ends on the next day (the window starts on the listed day);
    ``from == to`` never opens. Without ``from``/``to`` the whole listed day is open."""

    days: frozenset
    start: int | None = None
    end: int | None = None

    @property
    def whole_day(self) -> bool:
        return self.start is None or self.end is None

    @property
    def crosses_midnight(self) -> bool:
        return not self.whole_day and self.end < self.start

    def interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The interval this window opens for the UTC date ``day`` (if ``day`` is listed)."""
        if day.weekday() not in self.days:
            return None
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        if self.whole_day:
            return midnight, midnight + _ONE_DAY
        if self.start == self.end:
            return None
        s = midnight + timedelta(minutes=self.start)
        e = midnight + timedelta(minutes=self.end)
        if self.end < self.start:
            e += _ONE_DAY
        return s, e

    def intervals(self, a: datetime, b: datetime) -> Iterable[tuple[datetime, datetime]]:
        """Every interval overlapping ``[a, b]``, in time order."""
        d = a.astimezone(UTC).date() - _ONE_DAY
        last = b.astimezone(UTC).date()
        while d <= last:
            iv = self.interval(d)
            if iv is not None and iv[1] > a and iv[0] <= b:
                yield iv
            d += _ONE_DAY

    def earliest_open(self, a: datetime, b: datetime | None = None) -> datetime | None:
        """The first instant in ``[a, b)`` at which the window is open (``b=None``: no bound)."""
        if b is not None and a >= b:
            return None
        if not self.days:
            return None
        d = a.date() - _ONE_DAY
        for _ in range(9):
            if b is not None and datetime(d.year, d.month, d.day, tzinfo=UTC) >= b:
                return None
            iv = self.interval(d)
            if iv is not None and iv[1] > a:
                t = iv[0] if iv[0] > a else a
                return t if b is None or t < b else None
            d += _ONE_DAY
        return None

    def describe(self) -> str:
        """``MON-FRI 08:00-16:00 UTC``."""
        days = describe_days(self.days)
        if self.whole_day:
            return f"{days}, all day (UTC)"
        return f"{days} {hhmm(self.start)}-{hhmm(self.end)} UTC"

    def to_dict(self) -> dict:
        out: dict = {"days": [DAYS[i] for i in sorted(self.days)]}
        if not self.whole_day:
            out["from"] = hhmm(self.start)
            out["to"] = hhmm(self.end)
        return out


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_days(days: Iterable[int]) -> str:
    """``daily``, ``MON-FRI``, ``MON, WED, FRI``, ``SAT-SUN``."""
    idx = sorted(set(days))
    if len(idx) == 7:
        return "daily"
    if not idx:
        return "no days"
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for r in runs:
        a, b = DAYS[r[0]][:3], DAYS[r[-1]][:3]
        parts.append(a if len(r) == 1 else (f"{a}, {b}" if len(r) == 2 else f"{a}-{b}"))
    return ", ".join(parts)


def _time_minutes(v: Any) -> int | None:
    if not isinstance(v, dict):
        return None
    h, m = v.get("hour"), v.get("minute")
    if type(h) is not int or type(m) is not int or not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def window_from_body(w: Any) -> tuple[UtcWindow | None, str | None]:
    """``deliveryTimeWindow`` -> (window, note). Unusable parts are dropped with a note."""
    if not isinstance(w, dict):
        return None, None
    days = w.get("days")
    idx = frozenset(DAYS.index(d) for d in days if isinstance(d, str) and d in DAYS) if isinstance(days, list) else frozenset()
    if not idx:
        return None, "a delivery window without valid days was ignored"
    f, t = _time_minutes(w.get("from")), _time_minutes(w.get("to"))
    if f is None or t is None:
        note = None
        if w.get("from") is not None or w.get("to") is not None:
            note = "a delivery window with an unusable from/to was taken as whole days"
        return UtcWindow(idx), note
    return UtcWindow(idx, f, t), None


def validity_from_body(v: Any) -> tuple[timedelta, str]:
    """``validityPeriod`` -> (validity, source) with source ``given``, ``default`` or ``capped``."""
    if not isinstance(v, dict):
        return DEFAULT_VALIDITY, "default"
    amount, unit = v.get("amount"), v.get("timeUnit", "MINUTES")
    if type(amount) is not int or amount <= 0 or unit not in VALIDITY_UNIT_SECONDS:
        return DEFAULT_VALIDITY, "default"
    td = timedelta(seconds=amount * VALIDITY_UNIT_SECONDS[unit])
    if td > MAX_VALIDITY:
        return MAX_VALIDITY, "capped"
    return td, "given"


def speed_from_body(body: Any) -> tuple[tuple[int, str] | None, str | None]:
    """``options.schedule.sendingSpeedLimit`` -> ((amount, unit) or None, note)."""
    if not isinstance(body, dict):
        return None, None
    o = body.get("options")
    s = o.get("schedule") if isinstance(o, dict) else None
    sl = s.get("sendingSpeedLimit") if isinstance(s, dict) else None
    if not isinstance(sl, dict):
        return None, None
    amount, unit = sl.get("amount"), sl.get("timeUnit", "MINUTE")
    if type(amount) is not int or amount <= 0 or unit not in UNIT_SECONDS:
        return None, "an unusable sending speed limit was ignored (no limit assumed)"
    return (amount, unit), None


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class MessagePlan:
    """One message of the body: what it asks for and what the simulation gave it."""

    index: int  # position in the body's messages
    spec_index: int | None  # position in the spec's messages (None for raw bodies)
    id: Any  # the spec's own id, if any
    destinations: int
    window: UtcWindow | None
    validity: timedelta
    validity_source: str  # given | default | capped
    deadline: datetime  # start + validity: destinations not sent before this expire
    first_open: datetime | None  # first instant at or after start that the window is open
    window_facts: Any = None  # vibespec.compiler.lower.WindowFacts for specs
    sent: int = 0
    expired: int = 0
    first_send: datetime | None = None
    last_send: datetime | None = None

    @property
    def label(self) -> str:
        if self.id is not None:
            return f"'{self.id}'"
        n = self.spec_index if self.spec_index is not None else self.index
        return f"#{n + 1}"

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "spec_index": self.spec_index,
            "id": self.id,
            "destinations": self.destinations,
            "sent": self.sent,
            "expired": self.expired,
            "first_send": iso(self.first_send),
            "last_send": iso(self.last_send),
            "window": self.window.to_dict() if self.window else None,
            "window_opens": iso(self.first_open),
            "validity_seconds": int(self.validity.total_seconds()),
            "validity_source": self.validity_source,
            "expires_at": iso(self.deadline),
        }


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Simulation:
    start: datetime
    speed_limit: tuple[int, str] | None
    messages: list[MessagePlan]
    #: (instant, count): one row per queue (messages sharing window and validity) per slot
    events: list[tuple[datetime, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    send_at: datetime | None = None  # the request's sendAt, if any
    groups: list = field(default_factory=list, repr=False)  # queues, see group()

    @property
    def start_source(self) -> str:
        """"send_at", or "now": no sendAt, or one already in the past (Infobip sends at once)."""
        return "send_at" if self.send_at is not None and self.start == self.send_at else "now"

    @property
    def send_at_past(self) -> bool:
        return self.send_at is not None and self.send_at < self.start


class _Queue:
    """Messages sharing one window and one deadline, in body order, as prefix sums of their
    destinations: ``consumed`` destinations of the queue have left so far."""

    __slots__ = ("window", "deadline", "items", "cum", "consumed", "total", "dead", "events")

    def __init__(self, window: UtcWindow | None, deadline: datetime, items: list[int], cum: list[int]):
        self.window = window
        self.deadline = deadline
        self.items = items  # message positions, ascending
        self.cum = cum  # cum[k] = destinations of items[:k]
        self.consumed = 0
        self.total = cum[-1]
        self.dead = False  # expired: nothing more leaves
        self.events: list[tuple[datetime, int, int]] = []  # (instant, c0, c1)

    @property
    def done(self) -> bool:
        return self.dead or self.consumed >= self.total

    @property
    def front(self) -> int:
        return self.items[bisect_right(self.cum, self.consumed) - 1]

    def before(self, x: int) -> int:
        """Destinations still waiting in messages at positions < x."""
        n = self.cum[bisect_left(self.items, x)] - self.consumed
        return n if n > 0 else 0

    def open_in(self, a: datetime, b: datetime | None) -> datetime | None:
        if self.window is None:
            return a if b is None or a < b else None
        return self.window.earliest_open(a, b)

    def take(self, t: datetime, n: int, events: list) -> None:
        if n <= 0:
            return
        c0 = self.consumed
        self.consumed = c0 + n
        self.events.append((t, c0, c0 + n))
        events.append((t, n))


def _allocate(group: list[_Queue], t: datetime, cap: float, events: list) -> float:
    """Give up to ``cap`` sends at instant ``t`` to the queues of ``group`` in body order."""
    if len(group) == 1:
        q = group[0]
        n = q.total - q.consumed
        if n > cap:
            n = int(cap)
        q.take(t, n, events)
        return cap - n
    waiting = sum(q.total - q.consumed for q in group)
    if waiting <= cap:
        for q in group:
            q.take(t, q.total - q.consumed, events)
        return cap - waiting
    # smallest body position x with (destinations waiting before x) >= cap
    lo = min(q.front for q in group)
    hi = max(q.items[-1] for q in group) + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(q.before(mid + 1) for q in group) >= cap:
            hi = mid
        else:
            lo = mid + 1
    x = lo  # the message at position x is the last one that (partly) leaves
    fulls = [q.before(x) for q in group]
    rest = int(cap) - sum(fulls)
    for q, n in zip(group, fulls):
        k = bisect_left(q.items, x)
        if k < len(q.items) and q.items[k] == x:
            n += rest
        q.take(t, n, events)
    return 0


def group(messages: list[MessagePlan]) -> list[tuple]:
    """Messages -> queues ``(window, deadline, positions, prefix sums)`` (body order)."""
    out: dict[tuple, tuple] = {}
    for pos, m in enumerate(messages):
        n = m.destinations
        if n <= 0:
            continue
        key = (id(m.window), m.deadline)
        g = out.get(key)
        if g is None:
            g = out[key] = (m.window, m.deadline, [], [0])
        g[2].append(pos)
        cum = g[3]
        cum.append(cum[-1] + n)
    return list(out.values())


def run(start: datetime, speed_limit: tuple[int, str] | None, messages: list[MessagePlan], *,
        fill: bool = True, groups: list[tuple] | None = None) -> tuple[list[tuple[datetime, int]], int]:
    """Simulate. Returns the send events ``(instant, count)`` (one per queue per slot) and the
    number of expired destinations; with ``fill`` also sets ``sent``, ``expired``,
    ``first_send`` and ``last_send`` on each message. ``groups`` (from :func:`group`) saves
    regrouping when the same messages are simulated several times."""
    start = start.astimezone(UTC)
    all_queues = [_Queue(*g) for g in (groups if groups is not None else group(messages))]
    live = list(all_queues)
    events: list[tuple[datetime, int]] = []

    period = timedelta(seconds=UNIT_SECONDS[speed_limit[1]]) if speed_limit else None
    cap_per_slot = speed_limit[0] if speed_limit else math.inf
    k = 0
    while live:
        b = start + period * k if period else start
        e = b + period if period else None
        opens: list[tuple[datetime, int, _Queue]] = []
        next_open: datetime | None = None
        for q in live:
            if q.deadline <= b:
                q.dead = True
                continue
            hi = q.deadline if e is None or q.deadline < e else e
            t = q.open_in(b, hi)
            if t is not None:
                opens.append((t, q.front, q))
                continue
            t2 = None if e is None else q.open_in(e, q.deadline)
            if t2 is None:
                q.dead = True
            elif next_open is None or t2 < next_open:
                next_open = t2
        if opens:
            cap = cap_per_slot
            opens.sort(key=lambda x: (x[0], x[1]))
            i = 0
            while i < len(opens) and cap > 0:
                t = opens[i][0]
                j = i
                while j < len(opens) and opens[j][0] == t:
                    j += 1
                cap = _allocate([x[2] for x in opens[i:j]], t, cap, events)
                i = j
            k += 1
        elif next_open is not None and period is not None:
            k = max(k + 1, int((next_open - start) // period))
        else:
            k += 1
        live = [q for q in live if not q.done]
        if period is None:  # one unbounded slot: anything left never opened
            for q in live:
                q.dead = True
            live = []
    expired = sum(q.total - q.consumed for q in all_queues)
    if fill:
        for q in all_queues:
            _fill(q, messages)
    return events, expired


def _fill(q: _Queue, messages: list[MessagePlan]) -> None:
    """Per-message results from the queue's consumed prefix and its events (one sweep)."""
    evs, done, j = q.events, q.consumed, 0
    cum = q.cum
    for k, pos in enumerate(q.items):
        a, b = cum[k], cum[k + 1]
        m = messages[pos]
        sent = (b if b < done else done) - a
        if sent <= 0:
            m.sent, m.expired = 0, b - a
            continue
        m.sent, m.expired = sent, b - a - sent
        while evs[j][2] <= a:
            j += 1
        m.first_send = evs[j][0]
        last = a + sent - 1
        while evs[j][2] <= last:
            j += 1
        m.last_send = evs[j][0]


def messages_from(body: Any, facts: Any, start: datetime) -> tuple[list[MessagePlan], list[str]]:
    """The per-message inputs of the simulation, from the body (what Infobip receives) and,
    for specs, the compiler's facts."""
    notes: list[str] = []
    out: list[MessagePlan] = []
    msgs = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(msgs, list):
        return out, notes
    by_index = {}
    if facts is not None:
        by_index = {mf.index: mf for mf in getattr(facts, "messages", [])}
    windows: dict = {}  # cache: equal windows are parsed (and their first opening found) once
    validities: dict = {}
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            continue
        dests = m.get("destinations")
        n = len(dests) if isinstance(dests, list) or getattr(dests, "bare_is_to", False) else 0  # compile's packed ids too
        opts = m.get("options")
        if not isinstance(opts, dict):
            opts = {}
        w = opts.get("deliveryTimeWindow")
        try:
            f, t = w.get("from"), w.get("to")
            wkey = (tuple(w["days"]), f and (f["hour"], f["minute"]), t and (t["hour"], t["minute"]))
            got = windows.get(wkey)
        except (AttributeError, KeyError, TypeError):
            wkey = _window_key(w)
            got = windows.get(wkey)
        if got is None:
            window, note = window_from_body(w)
            if note and note not in notes:
                notes.append(note)
            first_open = window.earliest_open(start) if window is not None else start
            got = windows[wkey] = (window, first_open)
        window, first_open = got
        v = opts.get("validityPeriod")
        try:
            vkey = (v["amount"], v.get("timeUnit", "MINUTES")) if v is not None else None
            vgot = validities.get(vkey)
        except (AttributeError, KeyError, TypeError):
            vkey, vgot = (), None
        if vgot is None:
            validity, vsource = validity_from_body(v)
            vgot = (validity, vsource, start + validity)
            if vkey != ():
                validities[vkey] = vgot
        mf = by_index.get(i) if by_index else None
        out.append(MessagePlan(i, mf.spec_index if mf else None, mf.id if mf else None, n, window, vgot[0], vgot[1],
                               vgot[2], first_open, mf.window if mf else None))
    return out, notes


def _hashable(x: Any) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def _hm(v: Any) -> Any:
    return (v.get("hour"), v.get("minute")) if isinstance(v, dict) else v


def _window_key(w: Any) -> Any:
    if not isinstance(w, dict):
        return None
    days = w.get("days")
    key = (tuple(days) if isinstance(days, list) else days, _hm(w.get("from")), _hm(w.get("to")))
    return key if _hashable(key) else ("unhashable", id(w))


def simulate(body: Any, facts: Any = None, now: datetime | None = None) -> Simulation:
    """Run the plan for a request body (and the spec facts, when it came from a spec)."""
    send_at = getattr(facts, "send_at", None) if facts is not None else None
    if send_at is None and isinstance(body, dict):
        send_at = _send_at_from_body(body)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    # a sendAt already in the past: Infobip (most likely) sends at once (send-at-in-past), so
    # the plan starts now, not at that past date
    start = send_at.astimezone(UTC) if send_at is not None and send_at >= now else now
    speed, snote = speed_from_body(body)
    messages, notes = messages_from(body, facts, start)
    if send_at is not None and send_at < now:
        notes.insert(0, f"send_at {iso(send_at)} is in the past: Infobip will most likely send at once, so this "
                        f"plan starts now ({iso(now)})")
    if snote:
        notes.append(snote)
    groups = group(messages)
    events, _expired = run(start, speed, messages, groups=groups)
    return Simulation(start, speed, messages, events, notes, send_at, groups)


def _send_at_from_body(body: dict) -> datetime | None:
    o = body.get("options")
    s = o.get("schedule") if isinstance(o, dict) else None
    v = s.get("sendAt") if isinstance(s, dict) else None
    if not isinstance(v, str):
        return None
    from ..wire.sendat import parse_send_at  # lazy: only bodies with a sendAt need it

    status, dt = parse_send_at(v)
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if status == "no-offset" else dt
