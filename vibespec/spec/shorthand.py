"""The spec language's shorthands: durations, sizes, days, times, speed limits, send_at.

Each parser takes what a YAML/TOML loader produced and returns the exact wire value, or
raises :class:`ShorthandError` carrying the diagnostic code and a message that says what
is accepted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from .. import codes
from ..words import describe, kind_of
from ..schema.errors import ShorthandError  # lives in schema/ (below spec): the table interpreter catches it


#: no shorthand is longer than this; a longer string is refused before any pattern runs
MAX_SHORTHAND = 64


def _short_text(value: str, code: codes.Code, what: str, help: str) -> str:
    v = value.strip()
    if len(v) > MAX_SHORTHAND:
        raise ShorthandError(code, f"this {what} is {len(v)} characters long; a {what} is at most {MAX_SHORTHAND}",
                             help)
    return v



def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# --------------------------------------------------------------------------- durations

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_UNIT_WIRE = {"s": "SECONDS", "m": "MINUTES", "h": "HOURS"}
_UNIT_NAMES = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
}
_DURATION_PART = re.compile(r"(\d+)\s*([a-zA-Z]+)")
_DURATION_FULL = re.compile(r"^\d+\s*[a-zA-Z]+(?:\s*\d+\s*[a-zA-Z]+)*$")
DURATION_HELP = "write a duration such as 45s, 30m, 2h, 1h30m, or {amount: 30, unit: minutes}"


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration as it goes on the wire: ``{"amount": N, "timeUnit": UNIT}``."""

    amount: int
    unit: str  # SECONDS | MINUTES | HOURS

    @property
    def seconds(self) -> int:
        return self.amount * {"SECONDS": 1, "MINUTES": 60, "HOURS": 3600}[self.unit]

    def wire(self) -> dict:
        return {"amount": self.amount, "timeUnit": self.unit}


def parse_duration(value: Any) -> Duration:
    """``45s``, ``30m``, ``2h``, ``2d`` (-> 48 HOURS), ``1h30m`` (-> 90 MINUTES), or
    ``{amount: N, unit: seconds|minutes|hours|days}``. A single-unit duration keeps its
    unit; a compound one lowers to its smallest unit."""
    if isinstance(value, Duration):
        return value
    if isinstance(value, dict):
        extra = set(value) - {"amount", "unit", "per"}
        if extra:
            raise ShorthandError(codes.VB106, f"unknown key {sorted(extra)[0]!r} in duration", DURATION_HELP)
        if "unit" in value and "per" in value:
            raise ShorthandError(codes.VB106, "a duration takes `unit` or its other spelling `per`, not both",
                                 DURATION_HELP)
        amount, unit = value.get("amount"), value.get("unit", value.get("per", "minutes"))
        if not _is_int(amount):
            raise ShorthandError(codes.VB106, "duration amount must be a whole number", DURATION_HELP)
        if amount < 0:
            raise ShorthandError(codes.VB106, f"duration amount must not be negative, got {amount}", DURATION_HELP)
        u = _UNIT_NAMES.get(str(unit).strip().lower()) if isinstance(unit, str) else None
        if u is None:
            raise ShorthandError(codes.VB106, f"unknown duration unit {unit!r}", "use seconds, minutes, hours or days")
        if u == "d":
            return Duration(amount * 24, "HOURS")
        return Duration(amount, _UNIT_WIRE[u])
    if isinstance(value, bool) or not isinstance(value, str):
        raise ShorthandError(codes.VB106, f"expected a duration, got {kind_of(value)} {describe(value)}", DURATION_HELP)
    value = _short_text(value, codes.VB106, "duration", DURATION_HELP)
    if not _DURATION_FULL.match(value):
        raise ShorthandError(codes.VB106, f"invalid duration {value!r}", DURATION_HELP)
    parts = _DURATION_PART.findall(value)
    units = []
    total = 0
    for num, unit in parts:
        u = _UNIT_NAMES.get(unit.lower())
        if u is None:
            raise ShorthandError(codes.VB106, f"unknown unit {unit!r} in duration {value!r}", DURATION_HELP)
        if u in units:
            raise ShorthandError(codes.VB106, f"unit {unit!r} appears twice in duration {value!r}", DURATION_HELP)
        units.append(u)
        total += int(num) * _UNIT_SECONDS[u]
    if len(parts) == 1:
        num, u = int(parts[0][0]), units[0]
        if u == "d":
            return Duration(num * 24, "HOURS")
        return Duration(num, _UNIT_WIRE[u])
    smallest = min(units, key=lambda u: _UNIT_SECONDS[u])
    if smallest == "d":  # only days -> hours
        smallest = "h"
    return Duration(total // _UNIT_SECONDS[smallest], _UNIT_WIRE[smallest])


def parse_seconds(value: Any) -> int:
    """Video duration: whole seconds from an integer or any duration shorthand."""
    if _is_int(value):
        if value < 0:
            raise ShorthandError(codes.VB106, f"duration must not be negative, got {value}", DURATION_HELP)
        return value
    return parse_duration(value).seconds


# --------------------------------------------------------------------------- sizes

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$")
_SIZE_UNITS = {
    "": 1, "b": 1, "byte": 1, "bytes": 1,
    "kb": 1000, "mb": 1000**2, "gb": 1000**3,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3,
}
SIZE_HELP = "write bytes as an integer, or a size such as 120KB, 5MB, 120KiB or 5MiB"


def parse_size(value: Any) -> int:
    """Integer bytes, or ``N`` with ``B``, ``KB``/``MB``/``GB`` (powers of 1000) or
    ``KiB``/``MiB``/``GiB`` (powers of 1024)."""
    if _is_int(value):
        if value < 0:
            raise ShorthandError(codes.VB107, f"size must not be negative, got {value}", SIZE_HELP)
        return value
    if not isinstance(value, str):
        raise ShorthandError(codes.VB107, f"expected a size, got {kind_of(value)} {describe(value)}", SIZE_HELP)
    value = _short_text(value, codes.VB107, "size", SIZE_HELP)
    m = _SIZE.match(value)
    if not m:
        raise ShorthandError(codes.VB107, f"invalid size {value!r}", SIZE_HELP)
    num, unit = m.groups()
    factor = _SIZE_UNITS.get(unit.lower())
    if factor is None:
        raise ShorthandError(codes.VB107, f"unknown size unit {unit!r} in {value!r}", SIZE_HELP)
    if "." in num:
        whole, frac = num.split(".")
        # exact decimal arithmetic: bytes must come out whole
        numer = int(whole + frac) * factor
        denom = 10 ** len(frac)
        if numer % denom:
            raise ShorthandError(codes.VB107, f"size {value!r} is not a whole number of bytes", SIZE_HELP)
        return numer // denom
    return int(num) * factor


# --------------------------------------------------------------------------- days

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_DAY_INDEX = {}
for _i, _d in enumerate(DAYS):
    _DAY_INDEX[_d.lower()] = _i
    _DAY_INDEX[_d[:3].lower()] = _i
_DAY_INDEX.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
_DAY_GROUPS = {
    "daily": range(7), "everyday": range(7), "all": range(7),
    "weekdays": range(5), "weekends": range(5, 7), "weekend": range(5, 7),
}
DAYS_HELP = "use daily, weekdays, weekends, day names (mon, monday), ranges (mon-fri) or a list of these"


def _day(token: str, original: Any) -> int:
    i = _DAY_INDEX.get(token.strip().lower())
    if i is None:
        raise ShorthandError(codes.VB109, f"unknown day {token.strip()!r} in {original!r}"[:200], DAYS_HELP)
    return i


def _days_item(item: Any, original: Any) -> set[int]:
    if not isinstance(item, str):
        raise ShorthandError(codes.VB109, f"expected a day name, got {kind_of(item)} {describe(item)}", DAYS_HELP)
    s = item.strip().lower()
    if s in _DAY_GROUPS:
        return set(_DAY_GROUPS[s])
    out: set[int] = set()
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        if part in _DAY_GROUPS:
            out |= set(_DAY_GROUPS[part])
        elif "-" in part:
            a, _, b = part.partition("-")
            i, j = _day(a, original), _day(b, original)
            k = i
            while True:
                out.add(k)
                if k == j:
                    break
                k = (k + 1) % 7
        else:
            out.add(_day(part, original))
    if not out:
        raise ShorthandError(codes.VB109, f"no days in {item!r}", DAYS_HELP)
    return out


def parse_days(value: Any) -> list[str]:
    """Day names in Monday..Sunday order, each once."""
    if isinstance(value, str):
        idx = _days_item(value, value)
    elif isinstance(value, list):
        if not value:
            return []
        idx = set()
        for item in value:
            idx |= _days_item(item, value)
    else:
        raise ShorthandError(codes.VB109, f"expected days, got {kind_of(value)} {describe(value)}", DAYS_HELP)
    return [DAYS[i] for i in sorted(idx)]


# --------------------------------------------------------------------------- times

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
TIME_HELP = 'write a time of day as "HH:MM", e.g. "06:00" or "15:30"'


def parse_time(value: Any) -> tuple[int, int]:
    """``"HH:MM"`` (unquoted too), a TOML local time, or ``{hour, minute}``."""
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise ShorthandError(codes.VB108, f"time {value.isoformat()} has seconds; windows are in whole minutes", TIME_HELP)
        return value.hour, value.minute
    if isinstance(value, dict):
        h, m = value.get("hour"), value.get("minute", 0)
        if set(value) - {"hour", "minute"} or not _is_int(h) or not _is_int(m):
            raise ShorthandError(codes.VB108, f"invalid time {value!r}"[:200], TIME_HELP)
    elif isinstance(value, str):
        mt = _TIME.match(_short_text(value, codes.VB108, "time", TIME_HELP))
        if not mt:
            raise ShorthandError(codes.VB108, f"invalid time {value!r}", TIME_HELP)
        if mt.group(3) and int(mt.group(3)):
            raise ShorthandError(codes.VB108, f"time {value!r} has seconds; windows are in whole minutes", TIME_HELP)
        h, m = int(mt.group(1)), int(mt.group(2))
    else:
        raise ShorthandError(codes.VB108, f"expected a time of day, got {kind_of(value)} {describe(value)}", TIME_HELP)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ShorthandError(codes.VB108, f"time {h:02d}:{m:02d} is not a time of day (00:00 to 23:59)", TIME_HELP)
    return h, m


# --------------------------------------------------------------------------- speed

_SPEED = re.compile(r"^(\d+)\s*(?:/|per)\s*([a-zA-Z]+)$")
_SPEED_UNITS = {"minute": "MINUTE", "min": "MINUTE", "m": "MINUTE", "hour": "HOUR", "h": "HOUR", "hr": "HOUR",
                "day": "DAY", "d": "DAY"}
SPEED_HELP = "write N/minute, N/hour, N/day, or {amount: N, per: hour}"


_SECOND_NAMES = frozenset(("s", "sec", "secs", "second", "seconds"))


def _per_second(amount: Any, written: str) -> ShorthandError:
    """Infobip's sendingSpeedLimit counts per MINUTE, HOUR or DAY only."""
    hint = f"; {amount}/second is {amount * 60}/minute" if _is_int(amount) else ""
    return ShorthandError(codes.VB111, f"speed_limit {written}: per second is not supported; Infobip counts "
                          f"messages per minute, hour or day{hint}", SPEED_HELP)


def parse_speed(value: Any) -> dict:
    """``N/minute|hour|day`` or ``{amount, per}`` (``unit`` is the other spelling of
    ``per``, as in durations) -> ``{"amount": N, "timeUnit": UNIT}``."""
    if isinstance(value, dict):
        extra = set(value) - {"amount", "per", "unit"}
        if extra:
            raise ShorthandError(codes.VB111, f"unknown key {sorted(extra)[0]!r} in speed_limit", SPEED_HELP)
        if "unit" in value and "per" in value:
            raise ShorthandError(codes.VB111, "a speed_limit takes `per` or its other spelling `unit`, not both",
                                 SPEED_HELP)
        amount, per = value.get("amount"), value.get("per", value.get("unit", "minute"))
        if not _is_int(amount):
            raise ShorthandError(codes.VB111, "speed_limit amount must be a whole number", SPEED_HELP)
        if isinstance(per, str) and per.strip().lower() in _SECOND_NAMES:
            raise _per_second(amount, f"per {per.strip()}")
        unit = _SPEED_UNITS.get(per.strip().lower().rstrip("s")) if isinstance(per, str) else None
        if unit is None:
            raise ShorthandError(codes.VB111, f"unknown speed_limit unit {per!r}", SPEED_HELP)
        return {"amount": amount, "timeUnit": unit}
    if isinstance(value, str):
        value = _short_text(value, codes.VB111, "speed limit", SPEED_HELP)
        m = _SPEED.match(value)
        if m:
            unit = _SPEED_UNITS.get(m.group(2).lower().rstrip("s") or m.group(2).lower())
            if unit is not None:
                return {"amount": int(m.group(1)), "timeUnit": unit}
            if m.group(2).lower() in _SECOND_NAMES:
                raise _per_second(int(m.group(1)), repr(value))
        raise ShorthandError(codes.VB111, f"invalid speed_limit {value!r}", SPEED_HELP)
    raise ShorthandError(codes.VB111, f"expected a speed limit, got {kind_of(value)} {describe(value)}", SPEED_HELP)


# --------------------------------------------------------------------------- send_at

_DT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r" ?(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
DATETIME_HELP = "write an ISO 8601 date and time such as 2026-12-01T09:00:00+01:00 (the offset is optional)"


@dataclass(frozen=True, slots=True)
class LocalOrAware:
    """A parsed ``send_at``: the wall-clock value and the offset the user wrote (or None)."""

    wall: datetime  # naive
    offset: timedelta | None


def parse_datetime(value: Any) -> LocalOrAware:
    if isinstance(value, datetime):
        off = value.utcoffset() if value.tzinfo is not None else None
        return LocalOrAware(value.replace(tzinfo=None), off)
    if isinstance(value, date):
        raise ShorthandError(codes.VB112, f"send_at {value.isoformat()} has no time of day", DATETIME_HELP)
    if not isinstance(value, str):
        raise ShorthandError(codes.VB112, f"expected a date and time, got {kind_of(value)} {describe(value)}", DATETIME_HELP)
    value = _short_text(value, codes.VB112, "date and time", DATETIME_HELP)
    m = _DT.match(value)
    if not m:
        raise ShorthandError(codes.VB112, f"invalid date and time {value!r}", DATETIME_HELP)
    y, mo, d, h, mi, s, frac, off = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        wall = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
    except ValueError as e:
        raise ShorthandError(codes.VB112, f"invalid date and time {value!r}: {e}", DATETIME_HELP) from None
    offset = None
    if off:
        if off in ("Z", "z"):
            offset = timedelta(0)
        else:
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "")
            hh, mm = int(digits[:2]), int(digits[2:4] or 0)
            if hh > 23 or mm > 59:
                raise ShorthandError(codes.VB112, f"invalid UTC offset {off!r} in {value!r}", DATETIME_HELP)
            offset = sign * timedelta(hours=hh, minutes=mm)
    return LocalOrAware(wall, offset)


def format_offset(offset: timedelta) -> str:
    total = int(offset.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 3600:02d}{(total % 3600) // 60:02d}"


def format_send_at(dt: datetime) -> str:
    """Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm`` for an aware datetime."""
    off = dt.utcoffset() or timedelta(0)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}" + format_offset(off)


def resolve_send_at(parsed: LocalOrAware, zone: tzinfo) -> datetime:
    """An aware datetime: the user's offset when given, else the zone's offset at that
    wall time. A wall time that does not exist in the zone (spring-forward gap) is an error."""
    if parsed.offset is not None:
        return parsed.wall.replace(tzinfo=timezone(parsed.offset))
    aware = parsed.wall.replace(tzinfo=zone)
    # a wall time in a DST gap does not round-trip through UTC
    back = aware.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if back != parsed.wall:
        raise ShorthandError(
            codes.VB112,
            f"{parsed.wall.isoformat()} does not exist in {zone} (the clocks skip it at a DST change)",
            "pick another time or give an explicit offset",
        )
    return aware.astimezone(timezone(aware.utcoffset() or timedelta(0)))


# --------------------------------------------------------------------------- enums


def parse_choice(value: Any, choices: tuple[str, ...], what: str) -> str:
    """Case-insensitive enum: ``large``/``LARGE``/``Large`` -> ``LARGE``; ``-`` and spaces
    count as ``_`` (``open-externally`` -> ``OPEN_EXTERNALLY``)."""
    if isinstance(value, str):
        v = value.strip().upper().replace("-", "_").replace(" ", "_")
        if v in choices:
            return v
    shown = ", ".join(c.lower() for c in choices)
    raise ShorthandError(codes.VB113, f"invalid {what} {value!r}: expected one of {shown}"[:300], None)
