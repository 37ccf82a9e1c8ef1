"""Time zones: IANA names through zoneinfo (tzdata ships the database, so Windows works
too), ``UTC``, and fixed offsets such as ``+05:30``."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache

from .. import codes
from .shorthand import ShorthandError

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
ZONE_HELP = "use an IANA time zone name such as Europe/Zagreb or America/New_York, UTC, or an offset such as +05:30"


def get_zone(name: str) -> tzinfo:
    """The tzinfo for ``name``; raises ShorthandError VB110 with a suggestion."""
    if not isinstance(name, str) or not name.strip():
        raise ShorthandError(codes.VB110, f"invalid time zone {name!r}"[:200], ZONE_HELP)
    return _zone(name)


@lru_cache(maxsize=256)
def _zone(name: str) -> tzinfo:
    n = name.strip()
    if n.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return timezone.utc
    m = _OFFSET.match(n)
    if m:
        sign, hh, mm = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hh > 23 or mm > 59:
            raise ShorthandError(codes.VB110, f"invalid UTC offset {name!r}", ZONE_HELP)
        off = timedelta(hours=hh, minutes=mm)
        return timezone(-off if sign == "-" else off)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # lazy: zoneinfo only for a spec with a timezone

    try:
        if ".." in n or n.startswith("/"):
            raise ValueError
        return ZoneInfo(n)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ShorthandError(codes.VB110, f"unknown time zone {name!r}" + _suggest(n), ZONE_HELP) from None


def _suggest(name: str) -> str:
    import difflib  # lazy: only to suggest a zone name
    from zoneinfo import available_timezones  # lazy: only to suggest a zone name

    zones = available_timezones()
    lower = {z.lower(): z for z in zones}
    if name.lower() in lower:
        return f"; did you mean {lower[name.lower()]!r}?"
    best = difflib.get_close_matches(name, sorted(zones), n=1, cutoff=0.75)
    return f"; did you mean {best[0]!r}?" if best else ""


def zone_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if key:
        return key
    if tz is timezone.utc:
        return "UTC"
    off = tz.utcoffset(None) or timedelta(0)
    total = int(off.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"
