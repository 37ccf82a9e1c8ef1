"""The plan chart: both time zones, closed-window shading, expiries by count, an axis that fits."""

from __future__ import annotations

import re
import xml.dom.minidom
from datetime import datetime, timezone

from vibespec.api import plan
from vibespec.planner.svg import _axis_top, render_svg

NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)


def _spec(n_a: int, n_b: int, evil_id: str = "b") -> str:
    a = ", ".join(f"u{i}" for i in range(n_a))
    b = ", ".join(f"v{i}" for i in range(n_b))
    return f"""vibespec: 1
send_at: 2027-03-02T18:00:00
timezone: Europe/Zagreb
speed_limit: 40/hour
defaults:
  sender: Bot
  validity: 24h
  window: {{days: weekdays, from: "08:00", to: "20:00"}}
messages:
  - id: a
    to: [{a}]
    text: hi
  - id: '{evil_id}'
    to: [{b}]
    text: hi
"""


def test_chart_shows_both_zones_closed_hours_and_expiries_by_count():
    p = plan(_spec(50, 500, "</text><script>x</script>"), now=NOW)
    svg = render_svg(p)
    xml.dom.minidom.parseString(svg)  # well-formed
    assert "Messages sent per hour (UTC and Europe/Zagreb)" in svg
    # UTC hour labels with the local hour below (Zagreb is UTC+1 in March)
    assert re.search(r'font-size="10">18</text>\s*<text[^>]*fill="#7a5c00"[^>]*>19</text>', svg)
    assert "Wed 2027-03-03 Europe/Zagreb" in svg
    # the night (19:00-07:00 UTC) is shaded as closed
    closed = re.findall(r'<rect class="closed"[^>]*><title>delivery window closed: ([^<]*)</title>', svg)
    assert closed == ["2027-03-02 19:00-07:00 UTC"]
    # expiries marked by count at the deadline, the id escaped
    assert p.expired == 70
    assert re.search(r'class="expiry"[^>]*>70 expire \(&apos;&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;&apos;\)</text>',
                     svg)
    assert "<script>" not in svg


def test_axis_fits_the_data():
    assert _axis_top(40) == (40, 10)
    assert _axis_top(500) == (500, 100)
    assert _axis_top(501) == (600, 200)
    assert _axis_top(7) == (8, 2)
    assert _axis_top(0) == (1, 1)
    for v in range(1, 3000, 7):
        top, tick = _axis_top(v)
        assert top >= v and top // tick <= 5 and top - v < tick  # never more than a tick of headroom
    svg = render_svg(plan(_spec(50, 500), now=NOW))
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#3b6fb6"',
                                            svg)]
    plot = 440 - 64 - 92
    assert max(heights) == plot  # the busiest hour (40 sent) reaches the top of the axis


def test_utc_only_spec_has_one_axis():
    spec = "vibespec: 1\nmessages:\n  - sender: Bot\n    to: [a, b]\n    text: hi\n"
    svg = render_svg(plan(spec, now=NOW))
    assert "Messages sent per hour (UTC):" in svg and "#7a5c00" not in svg and 'class="closed"' not in svg
