"""The wire format of ``options.schedule.sendAt``, read strictly: used by the schedule rules and
the planner."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# yyyy-MM-dd'T'HH:mm:ss.SSS then an optional ±hhmm / ±hh:mm offset (ASCII digits only).
_SEND_AT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})"
    r"(?:([+-])([0-9]{2})(:?)([0-9]{2}))?"
)


def parse_send_at(value: object) -> tuple[str, datetime | None]:
    """Strictly parse a ``sendAt`` value.

    Returns ``("ok", aware datetime)``, ``("no-offset", naive datetime)`` when the value is
    well formed but carries no offset, or ``("bad", None)``."""
    if not isinstance(value, str):
        return "bad", None
    m = _SEND_AT.fullmatch(value)
    if m is None:
        return "bad", None
    y, mo, d, h, mi, s, ms, sign, oh, _colon, om = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), int(ms) * 1000)
    except ValueError:
        return "bad", None
    if sign is None:
        return "no-offset", dt
    ohi, omi = int(oh), int(om)
    if ohi > 18 or omi > 59 or (ohi == 18 and omi):
        return "bad", None
    off = timedelta(hours=ohi, minutes=omi)
    return "ok", dt.replace(tzinfo=timezone(-off if sign == "-" else off))
