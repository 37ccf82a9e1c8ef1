"""The text form of a plan: a compact summary and timeline for ``vibespec plan``."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TextIO

from . import Plan
from .findings import describe_window, fmt_td, is_utc
from .simulate import UTC

BAR = 40


def _when(dt: datetime | None, tz: tzinfo, zone_name: str) -> str:
    if dt is None:
        return "-"
    u = dt.astimezone(UTC)
    s = f"{u:%Y-%m-%d %a %H:%M} UTC"
    if not is_utc(tz):
        loc = dt.astimezone(tz)
        s += f"  ({loc:%Y-%m-%d %a %H:%M} {zone_name})"
    return s


def _speed(p: Plan) -> str:
    if p.speed_limit is None:
        return "no limit (everything leaves as soon as its window allows)"
    a, u = p.speed_limit
    return f"{a}/{u.lower()} for the whole request"


def render_text(p: Plan, out: TextIO) -> None:
    tz = p.zone
    w = out.write
    title = f"Delivery plan for {p.filename}" if p.filename else "Delivery plan"
    w(title + "\n")
    if p.start_source == "send_at":
        start = "send_at"
    elif p.send_at is not None:
        start = f"now: send_at {p.send_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC is in the past, Infobip sends at once"
    else:
        start = "now (no send_at)"
    w(f"  start       {_when(p.start, tz, p.zone_name)}  [{start}]\n")
    w(f"  speed       {_speed(p)}\n")
    w(f"  messages    {len(p.messages)}, destinations {p.destinations}\n")
    w(f"  first send  {_when(p.first_send, tz, p.zone_name)}\n")
    w(f"  last send   {_when(p.last_send, tz, p.zone_name)}\n")
    w(f"  duration    {fmt_td(p.duration) if p.last_send else '-'} (start to last send)\n")
    exp = f", expired {p.expired}" if p.expired else ", nothing expires"
    w(f"  sent        {p.sent}{exp}\n")

    days = p.per_day
    if days:
        w(f"\nPer day ({p.zone_name}):\n")
        top = max(days.values()) or 1
        for d, n in days.items():
            bar = "#" * (max(1, round(BAR * n / top)) if n else 0)
            w(f"  {d:%Y-%m-%d %a}  {n:>8}  {bar}\n")

    hours = [(h, n) for h, n in p.per_hour if n]
    if hours:
        w("\nTimeline (UTC hours with sends):\n")
        shown = hours if len(hours) <= 12 else hours[:6] + [None] + hours[-5:]  # type: ignore[list-item]
        for row in shown:
            if row is None:
                w(f"  ... {len(hours) - 11} more hours\n")
                continue
            h, n = row
            w(f"  {h:%Y-%m-%d %H}:00  {n:>8}\n")

    w("\nMessages:\n")
    lw = max([len(m.label) for m in p.messages[:50]] + [6])
    for m in p.messages[:50]:
        status = f"sent {m.sent}" + (f", expired {m.expired}" if m.expired else "")
        w(f"  {m.label:<{lw}}  {m.destinations:>7} destinations, {status}\n")
        w(f"  {'':<{lw}}  window: {describe_window(m)}; validity {fmt_td(m.validity)}"
          + {"given": "", "default": " (default)", "capped": " (capped)"}[m.validity_source] + "\n")
        if m.first_send is not None:
            span = _when(m.first_send, tz, p.zone_name)
            if m.last_send != m.first_send:
                span += f" .. {_when(m.last_send, tz, p.zone_name)}"
            w(f"  {'':<{lw}}  sends: {span}\n")
    if len(p.messages) > 50:
        w(f"  ... {len(p.messages) - 50} more messages\n")

    if p.warnings:
        w("\nWarnings:\n")
        for x in p.warnings:
            w(f"  {x.code} [{x.severity}] {x.message}\n")
            if x.help:
                w(f"      help: {x.help}\n")
    if p.notes:
        w("\nNotes:\n")
        for n in p.notes:
            w(f"  {n}\n")
    w("\nAssumptions: each message leaves as early as the speed limit and its window allow, so real\n"
      "sending can only be later and predicted expiries are certain. Validity counts from the start.\n")


def to_text(p: Plan) -> str:
    import io  # lazy: only for the text rendering

    buf = io.StringIO()
    render_text(p, buf)
    return buf.getvalue()


__all__ = ["render_text", "to_text"]
