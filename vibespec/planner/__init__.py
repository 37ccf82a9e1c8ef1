"""The delivery plan: when Infobip will send each message of a spec, and which would expire.

``vibespec.plan(source) -> Plan`` compiles a spec (or reads a raw request body) and simulates
the send. The simulation reproduces what the request asks Infobip to do:

1. **Start.** Sending starts at ``sendAt`` (``send_at``, converted to UTC) or, without one,
   at *now* (the ``now`` argument; ``vibespec plan --now``). A ``sendAt`` already in the past
   starts at *now* too: Infobip most likely sends such a request at once (``send-at-in-past``);
   a note says so.
2. **Speed limit.** ``sendingSpeedLimit`` of N per MINUTE/HOUR/DAY applies to the whole
   request: across all messages and destinations, in body order. Time is cut into slots of
   one unit counted from the start; each slot sends at most N. Without a limit there is
   one unbounded slot (everything leaves as soon as its window allows).
3. **Window.** A message is only sent while its ``deliveryTimeWindow`` is open: on the
   listed UTC days, from ``from`` to ``to`` (UTC; without ``from``/``to`` the whole day). A
   window whose ``to`` is before ``from`` (crossing midnight UTC) is taken to open on each
   listed day and close the next day (Infobip does not document this). Messages whose
   window is closed do not hold up the others.
4. **As early as possible.** Within a slot each waiting message leaves at the first instant
   its window is open; messages sendable at the same instant go in body order. The plan is
   therefore the *earliest* schedule the request allows: real sending can only be later,
   so every expiry the plan predicts is certain (under these assumptions), and more may
   expire in practice.
5. **Validity.** ``validityPeriod`` (48 h when absent, capped at 48 h as Infobip does) runs
   from the start; a destination not sent strictly before ``start + validity`` expires and
   is never sent.

The simulation works on counts per slot (one queue per distinct window and validity), so
100,000 destinations plan in milliseconds; with validity at most 48 h a plan has at most
2,880 minute slots.

:class:`Plan` exposes ``first_send``, ``last_send``, ``per_day`` (counts per calendar day in
the spec's ``timezone``, else UTC), ``per_hour``, per-message ``sent``/``expired`` counts,
``duration`` (start to last send), ``warnings`` (the VB450-VB456 findings, also reported by
``vibespec lint``) and ``to_dict()`` for JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from ..diagnostics import help_text
from .findings import PlanWarning, all_warnings, is_utc, zone
from .simulate import UTC, MessagePlan, Simulation, iso, simulate

__all__ = ["Plan", "MessagePlan", "PlanWarning", "plan_compiled", "plan_body"]


@dataclass
class Plan:
    """The result of a plan. Times are aware datetimes in UTC."""

    start: datetime
    start_source: str  # "send_at" | "now" (no send_at, or send_at in the past: Infobip sends at once)
    speed_limit: tuple[int, str] | None
    messages: list[MessagePlan]
    events: list[tuple[datetime, int]] = field(repr=False, default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    zone_name: str = "UTC"  # zone used for per-day counts and local times in the output
    filename: str | None = None
    send_at: datetime | None = None  # the request's send_at (the start, unless it is in the past)

    @property
    def send_at_past(self) -> bool:
        return self.send_at is not None and self.send_at < self.start

    # -- totals --------------------------------------------------------------------
    @property
    def destinations(self) -> int:
        return sum(m.destinations for m in self.messages)

    @property
    def sent(self) -> int:
        return sum(m.sent for m in self.messages)

    @property
    def expired(self) -> int:
        return sum(m.expired for m in self.messages)

    @property
    def first_send(self) -> datetime | None:
        return min((m.first_send for m in self.messages if m.first_send is not None), default=None)

    @property
    def last_send(self) -> datetime | None:
        return max((m.last_send for m in self.messages if m.last_send is not None), default=None)

    @property
    def duration(self) -> timedelta:
        """From the start (send_at or now) to the last send; zero when nothing is sent."""
        last = self.last_send
        return last - self.start if last is not None else timedelta(0)

    @property
    def zone(self) -> tzinfo:
        return zone(self.zone_name) or UTC

    # -- distributions ---------------------------------------------------------------
    def counts_per_day(self, tz: tzinfo | None = None) -> dict[date, int]:
        """Messages sent per calendar day in ``tz`` (default: the plan's zone), in date order,
        including days in between with nothing sent."""
        tz = tz or self.zone
        out: dict[date, int] = {}
        for t, n in self.events:
            d = t.astimezone(tz).date()
            out[d] = out.get(d, 0) + n
        if not out:
            return out
        d, last = min(out), max(out)
        full = {}
        while d <= last:
            full[d] = out.get(d, 0)
            d += timedelta(days=1)
        return full

    @property
    def per_day(self) -> dict[date, int]:
        return self.counts_per_day()

    @property
    def per_hour(self) -> list[tuple[datetime, int]]:
        """Messages sent per UTC hour, from the start's hour to the last send's hour."""
        if not self.events:
            return []
        counts: dict[datetime, int] = {}
        for t, n in self.events:
            h = t.replace(minute=0, second=0, microsecond=0)
            counts[h] = counts.get(h, 0) + n
        h = self.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        last = max(counts)
        out = []
        while h <= last:
            out.append((h, counts.get(h, 0)))
            h += timedelta(hours=1)
        return out

    def to_dict(self) -> dict:
        sl = self.speed_limit
        return {
            "file": self.filename,
            "start": iso(self.start),
            "start_source": self.start_source,
            "send_at": iso(self.send_at),
            "speed_limit": {"amount": sl[0], "timeUnit": sl[1]} if sl else None,
            "zone": self.zone_name,
            "destinations": self.destinations,
            "sent": self.sent,
            "expired": self.expired,
            "first_send": iso(self.first_send),
            "last_send": iso(self.last_send),
            "duration_seconds": int(self.duration.total_seconds()),
            "per_day": [{"date": d.isoformat(), "sent": n} for d, n in self.per_day.items()],
            "per_hour": [{"hour": iso(h), "sent": n} for h, n in self.per_hour],
            "messages": [m.to_dict() for m in self.messages],
            "warnings": [w.to_dict() for w in self.warnings],
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- building


def _display_zone(facts: Any, messages: list[MessagePlan]) -> str:
    name = getattr(facts, "timezone", None) if facts is not None else None
    if name and zone(name) is not None:
        return name
    for m in messages:
        wf = m.window_facts
        if wf is not None and wf.zone and wf.zone != "UTC" and not is_utc(zone(wf.zone)):
            return wf.zone
    return "UTC"


def plan_body(body: Any, facts: Any = None, *, now: datetime | None = None, filename: str | None = None) -> Plan:
    """Plan a compiled (or raw) request body; ``facts`` are the spec facts when there are any."""
    now = now or datetime.now(timezone.utc)
    sim: Simulation = simulate(body, facts, now)

    # helps name the spec's keys when there is a spec (facts), the body's otherwise
    warnings = [dataclasses.replace(w, help=help_text(w.help, facts is not None),
                                    message=help_text(w.message, facts is not None))
                for w in all_warnings(sim, body, sim.send_at)]
    return Plan(start=sim.start, start_source=sim.start_source, speed_limit=sim.speed_limit, messages=sim.messages,
                events=sim.events, warnings=warnings, notes=sim.notes, zone_name=_display_zone(facts, sim.messages),
                filename=filename, send_at=sim.send_at)


def plan_compiled(compiled: Any, *, now: datetime | None = None) -> Plan:
    """Plan a :class:`~vibespec.compiler.lower.Compiled` spec."""
    return plan_body(compiled.body, compiled.facts, now=now, filename=compiled.document.filename)
