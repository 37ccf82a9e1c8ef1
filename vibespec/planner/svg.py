"""The plan as an SVG bar chart: messages sent per hour over the campaign, with the hours in
UTC and in the spec's zone, the hours when no delivery window is open shaded, each validity
deadline marked with how many destinations expire there, and a y axis that ends at the first
tick above the busiest hour. Hand-written SVG (no dependencies); written atomically.

Every value that comes from a spec (the file name, message ids and labels) goes through
:func:`_x`: markup characters are escaped (so an id ``</text><script>…`` stays text) and
characters XML 1.0 forbids (C0 controls) or that reorder text (bidi overrides) are replaced."""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta
import re
from xml.sax.saxutils import escape

from . import Plan
from .findings import fmt_td
from .simulate import UTC

W, H = 960, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 64, 92
BAR = "#3b6fb6"
GRID = "#e3e6ea"
AXIS = "#4a4f55"
LOCAL = "#7a5c00"
DEADLINE = "#c0392b"
CLOSED = "#eceef1"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                      "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _x(value: object) -> str:
    """Text for an SVG text node or a quoted attribute value."""
    text = _NOT_XML.sub("\ufffd", str(value))
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def _axis_top(v: int) -> tuple[int, int]:
    """(top, tick): the axis fits the data. ``tick`` is 1, 2, 2.5 or 5 x 10^k (whole numbers),
    the smallest giving at most 5 ticks, and ``top`` the first tick at or above ``v``."""
    v = max(v, 1)
    mag = 1
    while True:
        for step in (1, 2, 2.5, 5):
            tick = step * mag
            if tick != int(tick):
                continue
            tick = int(tick)
            if math.ceil(v / tick) <= 5:
                return math.ceil(v / tick) * tick, tick
        mag *= 10


def _fmt(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def _closed_hours(p: Plan, hours: list) -> list[bool]:
    """Per hour: True when every message has a delivery window and none is open in that hour."""
    windows = [m.window for m in p.messages]
    if not windows or any(w is None for w in windows):
        return [False] * len(hours)
    out = []
    for h, _c in hours:
        end = h + timedelta(hours=1)
        out.append(not any(any(True for _ in w.intervals(h, end - timedelta(microseconds=1))) for w in windows))
    return out


def render_svg(p: Plan) -> str:
    hours = p.per_hour
    start_h = p.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    if not hours:
        hours = [(start_h, 0)]
    # show the validity end of messages that expire (up to three days past the last bar)
    ends = [m.deadline for m in p.messages if m.expired]
    if ends:
        end_h = min(max(ends), hours[-1][0] + timedelta(hours=72)).astimezone(UTC).replace(minute=0, second=0,
                                                                                          microsecond=0)
        h = hours[-1][0] + timedelta(hours=1)
        hours = list(hours)
        while h <= end_h:
            hours.append((h, 0))
            h += timedelta(hours=1)
    if len(hours) < 24:
        hours = list(hours) + [(hours[-1][0] + timedelta(hours=i), 0) for i in range(1, 25 - len(hours))]
    n = len(hours)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    bw = pw / n
    top, tick = _axis_top(max(c for _, c in hours))
    tz = p.zone
    local = p.zone_name if p.zone_name and p.zone_name != "UTC" else None
    out: list[str] = []
    a = out.append
    a(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
      'font-family="Helvetica, Arial, sans-serif" font-size="12">')
    a(f'<rect width="{W}" height="{H}" fill="#ffffff"/>')
    name = _x(os.path.basename(p.filename)) if p.filename else "request"
    zones = f"UTC and {_x(local)}" if local else "UTC"
    a(f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold" fill="#222">Messages sent per hour ({zones}): '
      f'{name}</text>')
    sl = f"{p.speed_limit[0]}/{p.speed_limit[1].lower()}" if p.speed_limit else "no speed limit"
    sub = (f"{p.sent} of {p.destinations} sent, {p.expired} expired; {sl}; "
           f"start {p.start.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
    if local:
        sub += f" ({p.start.astimezone(tz):%H:%M} {local})"
    if p.last_send is not None:
        sub += f"; last send after {fmt_td(p.duration)}"
    a(f'<text x="{LEFT}" y="44" fill="#555">{_x(sub)}</text>')

    # hours when no delivery window is open
    closed = _closed_hours(p, hours)
    i = 0
    while i < n:
        if closed[i]:
            j = i
            while j < n and closed[j]:
                j += 1
            a(f'<rect class="closed" x="{LEFT + i * bw:.2f}" y="{TOP}" width="{(j - i) * bw:.2f}" height="{ph}" '
              f'fill="{CLOSED}"><title>delivery window closed: {hours[i][0]:%Y-%m-%d %H}:00-'
              f'{(hours[j - 1][0] + timedelta(hours=1)):%H}:00 UTC</title></rect>')
            i = j
        else:
            i += 1

    # y grid and labels: the axis ends at the first tick at or above the busiest hour
    for k in range(top // tick + 1):
        v = tick * k
        y = TOP + ph - ph * v / top
        a(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="{GRID}"/>')
        a(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">{_fmt(v)}</text>')

    # day boundaries (UTC) and local day names
    for i, (h, _c) in enumerate(hours):
        if h.hour == 0 or i == 0:
            x = LEFT + i * bw
            if h.hour == 0:
                a(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="#9aa3ad" stroke-dasharray="4 3"/>')
            a(f'<text x="{x + 3:.1f}" y="{TOP + ph + 44}" fill="{AXIS}">{h:%a %Y-%m-%d} UTC</text>')
        if local:
            lh = h.astimezone(tz)
            if lh.hour == 0 and lh.minute == 0:
                x = LEFT + i * bw
                a(f'<text x="{x + 3:.1f}" y="{TOP + ph + 58}" fill="{LOCAL}">{lh:%a %Y-%m-%d} {_x(local)}</text>')

    # bars
    for i, (h, c) in enumerate(hours):
        if not c:
            continue
        bh = ph * c / top
        x = LEFT + i * bw + (0.1 * bw if bw > 3 else 0)
        wdt = bw * (0.8 if bw > 3 else 1)
        when = f"{h:%Y-%m-%d %H}:00 UTC" + (f" ({h.astimezone(tz):%H:%M} {local})" if local else "")
        a(f'<rect x="{x:.2f}" y="{TOP + ph - bh:.2f}" width="{max(wdt, 0.8):.2f}" height="{bh:.2f}" fill="{BAR}">'
          f'<title>{_x(when)}: {c} sent</title></rect>')

    # hour ticks: UTC, and the spec's zone below
    step = max(1, math.ceil(n / 24))
    for k in (1, 2, 3, 4, 6, 12, 24):
        if k >= step:
            step = k
            break
    for i, (h, _c) in enumerate(hours):
        if h.hour % step == 0:
            x = LEFT + i * bw + bw / 2
            a(f'<line x1="{x:.1f}" y1="{TOP + ph}" x2="{x:.1f}" y2="{TOP + ph + 4}" stroke="{AXIS}"/>')
            a(f'<text x="{x:.1f}" y="{TOP + ph + 16}" text-anchor="middle" fill="{AXIS}" font-size="10">{h:%H}</text>')
            if local:
                lh = h.astimezone(tz)
                a(f'<text x="{x:.1f}" y="{TOP + ph + 28}" text-anchor="middle" fill="{LOCAL}" font-size="10">'
                  f'{lh:%H:%M}</text>' if lh.minute else
                  f'<text x="{x:.1f}" y="{TOP + ph + 28}" text-anchor="middle" fill="{LOCAL}" font-size="10">'
                  f'{lh:%H}</text>')

    # expiries, by count at each validity deadline inside the chart
    first_h = hours[0][0]
    by_deadline: dict[datetime, list] = {}
    for m in p.messages:
        if m.expired:
            by_deadline.setdefault(m.deadline, []).append(m)
    for d in sorted(by_deadline):
        ms = by_deadline[d]
        off = (d - first_h).total_seconds() / 3600
        if 0 <= off <= n:
            x = LEFT + off * bw
            count = sum(m.expired for m in ms)
            who = ", ".join(m.label for m in ms[:3]) + (f" and {len(ms) - 3} more" if len(ms) > 3 else "")
            a(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="{DEADLINE}" stroke-width="1.5">'
              f'<title>{_x(f"validity ends {d:%Y-%m-%d %H:%M} UTC: {count} expire ({who})")}</title></line>')
            a(f'<text class="expiry" x="{x - 4:.1f}" y="{TOP - 5}" text-anchor="end" fill="{DEADLINE}">'
              f'{count} expire{"s" if count == 1 else ""} ({_x(who)})</text>')

    a(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}" stroke="{AXIS}"/>')
    a(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}" stroke="{AXIS}"/>')
    axis = f"hour of day: UTC, {_x(local)} below" if local else "hour of day (UTC)"
    if any(closed):
        axis += "; shaded: no delivery window open"
    a(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle" fill="{AXIS}">{axis}</text>')
    a(f'<text transform="translate(16 {TOP + ph / 2}) rotate(-90)" text-anchor="middle" fill="{AXIS}">messages sent</text>')
    if not p.sent:
        a(f'<text x="{LEFT + pw / 2}" y="{TOP + ph / 2}" text-anchor="middle" font-size="14" fill="{DEADLINE}">'
          'nothing is sent</text>')
    a("</svg>")
    return "\n".join(out) + "\n"


def write_svg(p: Plan, path: str) -> None:
    """Write the chart to ``path`` atomically."""
    from ..files import write_atomic  # lazy: only when a chart is written

    write_atomic(path, render_svg(p))
