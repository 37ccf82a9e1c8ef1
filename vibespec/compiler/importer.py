"""Body -> spec: the inverse of ``lower.py`` (``vibespec import``).

:func:`import_body` turns a request body of ``POST /viber-bot/1/messages`` into spec data
(plain dicts in the language of DSL.md) written the way a person would: shorthands
(``30m``, ``5MiB``, ``weekdays``, ``"06:00"``, ``30/hour``), short forms (``image: URL``,
``open_url: URL``, ``delivery: URL``) and the options every message shares lifted into
``defaults``. :func:`vibespec.app.importrun.import_text` loads a JSON body, refuses one it cannot import, writes
YAML or TOML and checks that compiling the written spec gives back the body.

The import is exact or it fails: a body that no spec compiles to (a ``validityPeriod``
without ``timeUnit``, an ``options: {}``, a ``sendAt`` in another shape than the compiler
writes...) is refused with a diagnostic that says what to change. Only key order and
the spelling of numbers (``45`` vs ``45.0``) may differ, because the compiler writes its
own fixed order and lowers coordinates to floats."""

from __future__ import annotations

import re
from datetime import timezone
from typing import Any

from .. import codes
from ..diagnostics import get_path
from ..spec import coerce as M
from ..spec import shorthand as sh
from . import fieldmap
from .specwriter import to_toml, to_yaml  # noqa: F401  (re-exported: the writers of import)

__all__ = ["import_body", "to_yaml", "to_toml", "NotImportable", "first_difference"]


class NotImportable(ValueError):
    """The body (at ``path``) cannot be written as a spec that compiles back to it."""

    def __init__(self, path: tuple, message: str, help: str | None = None, code: codes.Code = codes.VB115):
        super().__init__(message)
        self.path = tuple(path)
        self.message = message
        self.help = help
        self.code = code


# --------------------------------------------------------------------------- helpers

_MISSING = object()


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _obj(v: Any, path: tuple, what: str) -> dict:
    if not isinstance(v, dict):
        raise NotImportable(path, f"{what} must be an object", code=codes.VB151)
    return v


def _keys(d: dict, allowed: tuple, path: tuple, what: str) -> None:
    for k in d:
        if k not in allowed:
            raise NotImportable(path + (k,), f"unknown field '{k}' in {what}", "fields here: " + ", ".join(allowed),
                                code=codes.VB150)
        if d[k] is None:
            raise NotImportable(path + (k,), f"'{k}' is null; a spec cannot write null",
                                "remove the field (null means the same as leaving it out)")


def _str(v: Any, path: tuple, what: str) -> str:
    if not isinstance(v, str):
        raise NotImportable(path, f"{what} must be a string", code=codes.VB151)
    return v


def _int(v: Any, path: tuple, what: str) -> int:
    if not _is_int(v):
        raise NotImportable(path, f"{what} must be an integer", code=codes.VB151)
    return v


def _bool(v: Any, path: tuple, what: str) -> bool:
    if not isinstance(v, bool):
        raise NotImportable(path, f"{what} must be true or false", code=codes.VB151)
    return v


def _num(v: Any, path: tuple, what: str):
    if not _is_num(v):
        raise NotImportable(path, f"{what} must be a number", code=codes.VB151)
    return v


def _choice(v: Any, choices: tuple, path: tuple, what: str) -> str:
    """An enum value the compiler can write: Infobip's upper-case spelling. The spec gets
    the lower-case form (enums are case-insensitive in specs)."""
    if isinstance(v, str) and v in choices:
        return v.lower()
    if isinstance(v, str) and v.strip().upper().replace("-", "_").replace(" ", "_") in choices:
        want = v.strip().upper().replace("-", "_").replace(" ", "_")
        raise NotImportable(path, f"{what} {v!r} is not in Infobip's spelling; a spec always compiles to {want!r}",
                            f'write "{want}" in the body and import again', code=codes.VB113)
    raise NotImportable(path, f"{what} {v!r} has no spec form: expected one of {', '.join(choices)}",
                        None, code=codes.VB113)


def _fields(src: dict, path: tuple, what: str, spec: list) -> dict:
    """Map wire fields to spec keys: ``spec`` is a list of (wire, spec_key, kind[, extra]); a field
    of kind None is allowed here and read by the caller."""
    allowed = tuple(s[0] for s in spec)
    _keys(src, allowed, path, what)
    out: dict = {}
    for item in spec:
        wire, key, kind = item[0], item[1], item[2]
        if wire not in src or kind is None:  # None: read by the caller
            continue
        v, p = src[wire], path + (wire,)
        if kind == "str":
            out[key] = _str(v, p, wire)
        elif kind == "int":
            out[key] = _int(v, p, wire)
        elif kind == "bool":
            out[key] = _bool(v, p, wire)
        elif kind == "num":
            out[key] = _num(v, p, wire)
        elif kind == "choice":
            out[key] = _choice(v, item[3], p, wire)
        elif kind == "ints":
            if not isinstance(v, list) or not all(_is_int(x) for x in v):
                raise NotImportable(p, f"{wire} must be a list of integers", code=codes.VB151)
            out[key] = list(v)
        else:  # a callable
            out[key] = kind(v, p)
    return out


def _read(src: dict, path: tuple, what: str, kind: str, **code) -> dict:
    """The spec keys of the wire object ``src`` of ``kind``, read through the field map
    (``fieldmap.BACKWARD``: the spec language's key order). A field the map marks CODE is read
    by ``code[spec key](value, path)``; without one it is allowed but not read (the caller reads it)."""
    spec: list = []
    for f in fieldmap.BACKWARD[kind]:
        k = f.kind
        if k is fieldmap.CODE:
            spec.append((f.wire, f.spec, code.get(f.spec)))
        elif isinstance(k, str):
            spec.append((f.wire, f.spec, k))
        elif isinstance(k, fieldmap.Choice):
            spec.append((f.wire, f.spec, "choice", k.values))
        elif isinstance(k, fieldmap.Obj):
            spec.append((f.wire, f.spec, _object_reader(k.kind, f.wire)))
        else:
            spec.append((f.wire, f.spec, _CONVERTERS[k.name]))
    return _fields(src, path, what, spec)


def _object_reader(kind: str, wire: str):
    """The reader of a wire object of ``kind`` (at key ``wire``): its own one where it has a short
    form or a required key, else the map's fields."""
    own = _OBJECTS.get(kind)
    if own is not None:
        return own
    return lambda v, p: _read(_obj(v, p, wire), p, wire, kind)


# --------------------------------------------------------------------------- shorthands

_DUR_SUFFIX = {"SECONDS": "s", "MINUTES": "m", "HOURS": "h"}


def duration(vp: Any, path: tuple) -> str:
    """``{"amount": 90, "timeUnit": "MINUTES"}`` -> ``"90m"`` (the unit is kept)."""
    vp = _obj(vp, path, "validityPeriod")
    _keys(vp, ("amount", "timeUnit"), path, "validityPeriod")
    if "amount" not in vp:
        raise NotImportable(path, "validityPeriod has no amount", code=codes.VB152)
    amount = _int(vp["amount"], path + ("amount",), "validityPeriod.amount")
    if "timeUnit" not in vp:
        raise NotImportable(path, f"validityPeriod has no timeUnit; a spec always writes one, so it cannot give back "
                            f"this body exactly",
                            f'add "timeUnit": "MINUTES" (what Infobip assumes, so {amount} means the same) and import again')
    unit = vp["timeUnit"]
    if unit not in _DUR_SUFFIX:
        raise NotImportable(path + ("timeUnit",), f"validityPeriod timeUnit {unit!r} has no spec form: "
                            "expected SECONDS, MINUTES or HOURS", code=codes.VB113)
    if amount < 0:
        raise NotImportable(path + ("amount",), f"validityPeriod amount {amount} is negative; a spec duration cannot be")
    return f"{amount}{_DUR_SUFFIX[unit]}"


_SIZE_UNITS = (("GiB", 1024**3), ("GB", 1000**3), ("MiB", 1024**2), ("MB", 1000**2), ("KiB", 1024), ("KB", 1000))


def size(n: Any, path: tuple) -> int | str:
    """``5242880`` -> ``"5MiB"``, ``120000`` -> ``"120KB"``, anything else stays bytes."""
    n = _int(n, path, "size")
    if n < 0:
        raise NotImportable(path, f"size {n} is negative; a spec size cannot be")
    if n > 0:
        for name, factor in _SIZE_UNITS:
            if n % factor == 0:
                return f"{n // factor}{name}"
    return n


def seconds(n: Any, path: tuple) -> str:
    n = _int(n, path, "duration")
    if n < 0:
        raise NotImportable(path, f"duration {n} is negative; a spec duration cannot be")
    return f"{n}s"


_DAY_SHORT = [d[:3].lower() for d in sh.DAYS]


def days(v: Any, path: tuple) -> str | list:
    """Wire days -> ``daily``, ``weekdays``, ``weekends``, ``mon-fri`` style runs, or a
    list of 3-letter names (runs of three or more days as ranges)."""
    if not isinstance(v, list):
        raise NotImportable(path, "days must be a list", code=codes.VB151)
    idx = []
    for j, d in enumerate(v):
        if not isinstance(d, str) or d not in sh.DAYS:
            raise NotImportable(path + (j,), f"day {d!r} has no spec form: expected one of {', '.join(sh.DAYS)}",
                                code=codes.VB113)
        idx.append(sh.DAYS.index(d))
    if idx != sorted(set(idx)):
        raise NotImportable(path, "days are not in Monday..Sunday order, each once; a spec always compiles to that "
                            "order, so it cannot give back this body exactly",
                            "write the days Monday..Sunday without repeats (same meaning) and import again")
    if not idx:
        return []
    s = set(idx)
    if len(s) == 7:
        return "daily"
    if s == set(range(5)):
        return "weekdays"
    if s == {5, 6}:
        return "weekends"
    # maximal cyclic runs (sat-mon is a run), starting after a gap
    start = next(i for i in range(7) if i in s and (i - 1) % 7 not in s)
    runs: list[list[int]] = []
    for k in range(7):
        d = (start + k) % 7
        if d in s:
            if runs and (runs[-1][-1] + 1) % 7 == d:
                runs[-1].append(d)
            else:
                runs.append([d])
    runs.sort(key=lambda r: r[0])
    items: list[str] = []
    for r in runs:
        if len(r) >= 3:
            items.append(f"{_DAY_SHORT[r[0]]}-{_DAY_SHORT[r[-1]]}")
        else:
            items.extend(_DAY_SHORT[d] for d in r)
    if len(items) == 1 and "-" in items[0]:
        return items[0]
    return items


def time_of_day(v: Any, path: tuple) -> str:
    v = _obj(v, path, "time")
    _keys(v, ("hour", "minute"), path, "time")
    if "hour" not in v or "minute" not in v:
        raise NotImportable(path, "a window time needs hour and minute", code=codes.VB152)
    h, m = _int(v["hour"], path + ("hour",), "hour"), _int(v["minute"], path + ("minute",), "minute")
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise NotImportable(path, f"time {h}:{m:02d} is not a time of day; a spec window time is 00:00 to 23:59",
                            code=codes.VB108)
    return f"{h:02d}:{m:02d}"


_SPEED_UNITS = ("MINUTE", "HOUR", "DAY")


def speed(v: Any, path: tuple) -> str | dict:
    v = _obj(v, path, "sendingSpeedLimit")
    _keys(v, ("amount", "timeUnit"), path, "sendingSpeedLimit")
    if "amount" not in v:
        raise NotImportable(path, "sendingSpeedLimit has no amount", code=codes.VB152)
    amount = _int(v["amount"], path + ("amount",), "sendingSpeedLimit.amount")
    if "timeUnit" not in v:
        raise NotImportable(path, "sendingSpeedLimit has no timeUnit; a spec always writes one, so it cannot give "
                            "back this body exactly", 'add "timeUnit" (MINUTE, HOUR or DAY) and import again')
    unit = v["timeUnit"]
    if unit not in _SPEED_UNITS:
        raise NotImportable(path + ("timeUnit",), f"sendingSpeedLimit timeUnit {unit!r} has no spec form: "
                            "expected MINUTE, HOUR or DAY", code=codes.VB113)
    if amount < 0:
        return {"amount": amount, "per": unit.lower()}
    return f"{amount}/{unit.lower()}"


_SEND_AT = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$")


def send_at(v: Any, path: tuple) -> str:
    """``"2026-12-01T09:00:00.000+0100"`` -> ``"2026-12-01T09:00:00+01:00"`` (milliseconds
    kept when not zero); checked to lower back to the same string."""
    v = _str(v, path, "sendAt")
    m = _SEND_AT.match(v)
    out = None
    if m:
        d, t, ms, sign, hh, mm = m.groups()
        out = f"{d}T{t}" + (f".{ms}" if ms != "000" else "") + f"{sign}{hh}:{mm}"
        try:
            back = sh.format_send_at(sh.resolve_send_at(sh.parse_datetime(out), timezone.utc))
        except (sh.ShorthandError, ValueError, OverflowError):
            back = None
        if back != v:
            out = None
    if out is None:
        raise NotImportable(path, f"sendAt {v!r} is not in the form a spec compiles to "
                            "(yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm), so it cannot give back this body exactly",
                            'write it like "2026-12-01T09:00:00.000+0100" and import again', code=codes.VB112)
    return out


# --------------------------------------------------------------------------- content

_CONTENT_KEY = fieldmap.CONTENT_KEY_OF
_SHARED = ("senderDisplayInfo", "keyboard", "type")

def _latlon(v: Any, path: tuple, what: str) -> dict:
    v = _obj(v, path, what)
    _keys(v, fieldmap.WIRE_KEYS["LatLon"], path, what)
    for k in fieldmap.WIRE_KEYS["LatLon"]:
        if k not in v:
            raise NotImportable(path, f"{what} has no {k}", code=codes.VB152)
    return _read(v, path, what, "LatLon")


def _wire(kind: str, spec_key: str) -> str:
    """The wire key of a spec key of ``kind`` (``fieldmap``)."""
    return fieldmap.WIRE_KEY_OF[kind][spec_key]


def _require(d: dict, key: str, path: tuple, what: str, why: str = "") -> None:
    if key not in d:
        raise NotImportable(path, f"{what} has no '{key}'" + (f"; {why}" if why else ""), code=codes.VB152)


def content(c: Any, path: tuple) -> dict:
    """The content keys of one message: ``{text: ...}`` or ``{image: ...}`` etc., plus
    ``display`` and ``keyboard``."""
    c = _obj(c, path, "content")
    t = c.get("type")
    if t not in _CONTENT_KEY:
        raise NotImportable(path + (("type",) if "type" in c else ()),
                            "content has no 'type'" if t is None else
                            f"unknown content type {t!r}: expected one of {', '.join(_CONTENT_KEY)}", code=codes.VB153)
    key = _CONTENT_KEY[t]
    own = {k: v for k, v in c.items() if k not in _SHARED}
    out: dict = {}
    if t == "TEXT":
        _keys(own, ("text",), path, "TEXT content")
        _require(own, "text", path, "TEXT content")
        out["text"] = _str(own["text"], path + ("text",), "text")
    elif t == "IMAGE":
        _require(own, _wire("Image", "url"), path, "IMAGE content")
        im = _read(own, path, "IMAGE content", "Image")
        out["image"] = im["url"] if list(im) == ["url"] else im
    elif t == "VIDEO":
        _require(own, _wire("Video", "url"), path, "VIDEO content")
        _require(own, _wire("Video", "size"), path, "VIDEO content")
        out["video"] = _read(own, path, "VIDEO content", "Video")
    elif t == "FILE":
        _require(own, _wire("File", "url"), path, "FILE content")
        _require(own, _wire("File", "name"), path, "FILE content", "a spec file always has a name")
        _require(own, _wire("File", "size"), path, "FILE content")
        out["file"] = _read(own, path, "FILE content", "File")
    elif t == "CAROUSEL":
        _keys(own, fieldmap.WIRE_KEYS["Carousel"], path, "CAROUSEL content")
        _require(own, "buttonGrid", path, "CAROUSEL content")
        car = grid(own["buttonGrid"], path + ("buttonGrid",))
        buttons = car.pop("buttons")
        car.update(_read({k: v for k, v in own.items() if k != "buttonGrid"}, path, "CAROUSEL content", "Carousel"))
        car["buttons"] = buttons
        out["carousel"] = car
    elif t == "LOCATION":
        _keys(own, ("location",), path, "LOCATION content")
        _require(own, "location", path, "LOCATION content")
        out["location"] = _latlon(own["location"], path + ("location",), "location")
    elif t == "CONTACT":
        _keys(own, ("contact",), path, "CONTACT content")
        _require(own, "contact", path, "CONTACT content")
        cp = path + ("contact",)
        ct = _obj(own["contact"], cp, "contact")
        _require(ct, _wire("Contact", "name"), cp, "contact")
        _require(ct, _wire("Contact", "phone"), cp, "contact")
        out["contact"] = _read(ct, cp, "contact", "Contact")
    elif t == "STICKER":
        _keys(own, fieldmap.WIRE_KEYS["Sticker"], path, "STICKER content")
        _require(own, _wire("Sticker", "id"), path, "STICKER content")
        out["sticker"] = _read(own, path, "STICKER content", "Sticker")["id"]  # sticker: ID (the short form)
    elif t == "URL":
        _keys(own, fieldmap.WIRE_KEYS["UrlContent"], path, "URL content")
        _require(own, _wire("UrlContent", "url"), path, "URL content")
        out["url"] = _read(own, path, "URL content", "UrlContent")["url"]  # url: URL (the short form)
    if "senderDisplayInfo" in c:
        dp = path + ("senderDisplayInfo",)
        out["display"] = _read(_obj(c["senderDisplayInfo"], dp, "senderDisplayInfo"), dp, "senderDisplayInfo", "Display")
    if "keyboard" in c:
        out["keyboard"] = keyboard(c["keyboard"], path + ("keyboard",))
    return out


def keyboard(k: Any, path: tuple) -> dict:
    k = _obj(k, path, "keyboard")
    _keys(k, fieldmap.WIRE_KEYS["Keyboard"], path, "keyboard")
    _require(k, "buttonGrid", path, "keyboard")
    out = grid(k["buttonGrid"], path + ("buttonGrid",))
    buttons = out.pop("buttons")
    out.update(_read({x: v for x, v in k.items() if x != "buttonGrid"}, path, "keyboard", "Keyboard"))
    out["buttons"] = buttons
    return out


def grid(g: Any, path: tuple) -> dict:
    g = _obj(g, path, "buttonGrid")
    _keys(g, fieldmap.WIRE_KEYS["Grid"], path, "buttonGrid")
    _require(g, "buttons", path, "buttonGrid", "a spec grid always lists its buttons")
    if not isinstance(g["buttons"], list):
        raise NotImportable(path + ("buttons",), "buttons must be a list", code=codes.VB151)
    out = _read({k: v for k, v in g.items() if k != "buttons"}, path, "buttonGrid", "Grid")
    out["buttons"] = [button(b, path + ("buttons", j)) for j, b in enumerate(g["buttons"])]
    return out


def button(b: Any, path: tuple) -> dict:
    b = _obj(b, path, "button")
    _keys(b, fieldmap.WIRE_KEYS["Button"], path, "button")
    _require(b, "action", path, "button", "a spec button always has an action")
    return _read(b, path, "button", "Button", action=action)


def _button_text(v: Any, path: tuple) -> str | dict:
    t = _read(_obj(v, path, "button text"), path, "button text", "ButtonText")
    return t["text"] if list(t) == ["text"] else t  # text: TEXT (the short form)


def _background(v: Any, path: tuple) -> str | dict:
    bg = _read(_obj(v, path, "background"), path, "background", "Background")
    return bg["color"] if list(bg) == ["color"] else bg  # background: COLOR (the short form)


def _media(v: Any, path: tuple) -> str | dict:
    v = _obj(v, path, "media")
    _require(v, _wire("ButtonImage", "url"), path, "button media", "a spec button image always has a url")
    im = _read(v, path, "media", "ButtonImage")
    return im["url"] if list(im) == ["url"] else im  # image: URL (the short form)


_ACTION_TYPES = fieldmap.ACTION_TYPES


def action(a: Any, path: tuple) -> dict:
    a = _obj(a, path, "action")
    _keys(a, fieldmap.WIRE_KEYS["Action"], path, "action")
    kind = a.get("actionType")
    body = a.get("actionBody")
    if body is not None:
        body = _str(body, path + ("actionBody",), "actionBody")
    out: dict = {}
    if kind is None:
        for k in ("actionBody", "openUrlSettings", "openMapLocation"):
            if k in a:
                raise NotImportable(path + (k,), f"an action with {k} but no actionType has no spec form",
                                    "add the actionType this action should have")
    elif kind not in _ACTION_TYPES:
        _choice(kind, _ACTION_TYPES, path + ("actionType",), "actionType")
    if "openUrlSettings" in a and kind != "OPEN_URL":
        raise NotImportable(path + ("openUrlSettings",), f"openUrlSettings on a {kind} action has no spec form",
                            "remove it (only OPEN_URL actions use it)")
    if "openMapLocation" in a and kind != "OPEN_MAP":
        raise NotImportable(path + ("openMapLocation",), f"openMapLocation on a {kind} action has no spec form",
                            "remove it (only OPEN_MAP actions use it)")
    if kind in ("REPLY", "LOCATION_PICKER", "SHARE_PHONE", "OPEN_URL") and body is None:
        raise NotImportable(path, f"a {kind} action without actionBody has no spec form", code=codes.VB152)
    if kind in ("REPLY", "LOCATION_PICKER", "SHARE_PHONE"):
        out[kind.lower()] = body
    elif kind == "NONE":
        out["none"] = body if body is not None else True
    elif kind == "OPEN_MAP":
        _require(a, "openMapLocation", path, "OPEN_MAP action", "a spec open_map always has lat and lon")
        om = _latlon(a["openMapLocation"], path + ("openMapLocation",), "openMapLocation")
        if body is not None:
            om["body"] = body
        out["open_map"] = om
    elif kind == "OPEN_URL":
        if "openUrlSettings" in a:
            sp = path + ("openUrlSettings",)
            s = _obj(a["openUrlSettings"], sp, "openUrlSettings")
            if not s:
                raise NotImportable(sp, "an empty openUrlSettings has no spec form", "remove it (same meaning)")
            ou = {"url": body}
            ou.update(_read(s, sp, "openUrlSettings", "OpenUrl"))
            out["open_url"] = ou
        else:
            out["open_url"] = body
    # the map's plain fields (silent); actionBody, actionType and the CODE fields are read above
    out.update(_read({k: v for k, v in a.items() if k in fieldmap.SPEC_KEY_OF["Action"]}, path, "action", "Action"))
    return out


# --------------------------------------------------------------------------- options


def _matching(v: Any, path: tuple) -> dict | list:
    if not isinstance(v, list):
        raise NotImportable(path, "destinationMatching must be a list", code=codes.VB151)
    pairs = []
    for j, item in enumerate(v):
        p = path + (j,)
        item = _obj(item, p, "destinationMatching item")
        _keys(item, ("initial", "failover"), p, "destinationMatching item")
        _require(item, "initial", p, "destinationMatching item")
        _require(item, "failover", p, "destinationMatching item")
        pairs.append((_str(item["initial"], p + ("initial",), "initial"),
                      _str(item["failover"], p + ("failover",), "failover")))
    if not pairs:
        return []
    if len({i for i, _ in pairs}) == len(pairs):
        return {i: f for i, f in pairs}
    return [{"initial": i, "failover": f} for i, f in pairs]


def _sms(v: Any, path: tuple) -> dict:
    return _read(_obj(v, path, "smsFailover"), path, "smsFailover", "SmsFailover", destinations=_matching)


def options(o: Any, path: tuple) -> dict:
    o = _obj(o, path, "options")
    if not o:
        raise NotImportable(path, "an empty options object has no spec form", "remove it (same meaning)")

    def window(w, p):
        return _fields(_obj(w, p, "deliveryTimeWindow"), p, "deliveryTimeWindow", [
            ("days", "days", days), ("from", "from", time_of_day), ("to", "to", time_of_day)])

    return _read(o, path, "options", "Options", window=window, failover=lambda v, p: {"sms": _sms(v, p)})


_CONTENT_TYPES = fieldmap.HTTP_CONTENT_SHORT


def http_content(v: Any, path: tuple) -> str:
    """``application/json`` -> ``json``."""
    if v in _CONTENT_TYPES:
        return _CONTENT_TYPES[v]
    raise NotImportable(path, f"contentType {v!r} has no spec form: expected application/json or application/xml",
                        code=codes.VB113)


def webhooks(w: Any, path: tuple) -> dict:
    w = _obj(w, path, "webhooks")
    if not w:
        raise NotImportable(path, "an empty webhooks object has no spec form", "remove it (same meaning)")
    # delivery and seen stay objects here; the short `delivery: URL` is chosen after lifting
    return _read(w, path, "webhooks", "Webhooks")


def recipients(v: Any, path: tuple) -> str | list:
    if not isinstance(v, list):
        raise NotImportable(path, "destinations must be a list", code=codes.VB151)
    if not v:
        raise NotImportable(path, "a message with no destinations has no spec form", "add a destination", code=codes.VB152)
    out: list = []
    for j, d in enumerate(v):
        p = path + (j,)
        d = _obj(d, p, "destination")
        _keys(d, ("to", "messageId"), p, "destination")
        _require(d, "to", p, "destination")
        to = _str(d["to"], p + ("to",), "to")
        if "messageId" in d:
            out.append({"to": to, "message_id": _str(d["messageId"], p + ("messageId",), "messageId")})
        else:
            out.append(to)
    if len(out) == 1 and isinstance(out[0], str) and out[0] != "":
        return out[0]
    return out


# --------------------------------------------------------------------------- messages and body

MESSAGE_ORDER = ("sender", "to", *M.CONTENT_KEYS, "display", "keyboard", "validity", "window", "platform",
                 "campaign_ref", "failover", "webhooks")
LIFTABLE = ("sender", "display", "validity", "window", "platform", "campaign_ref", "failover", "webhooks")
# values lifted only whole, never key by key (they are one value in the spec)
ATOMIC = {("failover", "sms", "destinations"), ("failover", "sms", "regional")}
# sub-mappings that have a one-string form when they hold only this key
SHORT = fieldmap.STRING_FORMS


def message(m: Any, path: tuple) -> dict:
    m = _obj(m, path, "message")
    _keys(m, ("sender", "destinations", "content", "options", "webhooks"), path, "message")
    _require(m, "sender", path, "message", "a spec message always has a sender")
    _require(m, "destinations", path, "message")
    _require(m, "content", path, "message")
    out: dict = {"sender": _str(m["sender"], path + ("sender",), "sender"),
                 "to": recipients(m["destinations"], path + ("destinations",))}
    out.update(content(m["content"], path + ("content",)))
    if "options" in m:
        out.update(options(m["options"], path + ("options",)))
    if "webhooks" in m:
        out["webhooks"] = webhooks(m["webhooks"], path + ("webhooks",))
    return {k: out[k] for k in MESSAGE_ORDER if k in out}


def _lift(values: list, path: tuple):
    """(common, rests): the part of ``values`` (one per message) that every message has
    the same, and what is left of each (``_MISSING`` when nothing)."""
    first = values[0]
    if all(_same(v, first) for v in values[1:]):
        return first, [_MISSING] * len(values)
    if path in ATOMIC or not all(isinstance(v, dict) for v in values):
        return _MISSING, values
    common: dict = {}
    rests: list[dict] = [dict(v) for v in values]
    for k in first:
        if not all(k in v for v in values):
            continue
        c, rs = _lift([v[k] for v in values], path + (k,))
        if c is _MISSING:
            continue
        common[k] = c
        for r, sub in zip(rests, rs):
            if sub is _MISSING:
                del r[k]
            else:
                r[k] = sub
    if not common:
        return _MISSING, values
    return common, [r if r else _MISSING for r in rests]


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def lift_defaults(messages: list[dict]) -> tuple[dict, list[dict]]:
    """Move what every message shares into ``defaults`` (two messages or more)."""
    if len(messages) < 2:
        return {}, messages
    defaults: dict = {}
    messages = [dict(m) for m in messages]
    for key in LIFTABLE:
        if not all(key in m for m in messages):
            continue
        common, rests = _lift([m[key] for m in messages], (key,))
        if common is _MISSING:
            continue
        defaults[key] = common
        for m, r in zip(messages, rests):
            if r is _MISSING:
                del m[key]
            else:
                m[key] = r
    return defaults, messages


def _shorten(layer: dict, others: list[dict]) -> None:
    """``delivery: {url: X}`` -> ``delivery: X`` where no other layer merges into that key
    (a string replaces a mapping in the merge, so the short form would drop its keys)."""
    for path, key in SHORT.items():
        v = get_path(layer, path, _MISSING)
        if isinstance(v, dict) and list(v) == [key] and all(get_path(o, path, _MISSING) is _MISSING for o in others):
            parent = get_path(layer, path[:-1], _MISSING)
            parent[path[-1]] = v[key]


def import_body(body: Any) -> dict:
    """The spec (plain data, keys in reading order) that compiles to ``body``.

    Raises :class:`NotImportable` (with the body path) when no spec compiles to it."""
    body = _obj(body, (), "a request body")
    _keys(body, ("messages", "options"), (), "the request body")
    _require(body, "messages", (), "the request body")
    msgs = body["messages"]
    if not isinstance(msgs, list):
        raise NotImportable(("messages",), "messages must be a list", code=codes.VB151)
    spec: dict = {"vibespec": 1}
    if "options" in body:
        o = _obj(body["options"], ("options",), "options")
        if not o:
            raise NotImportable(("options",), "an empty options object has no spec form", "remove it (same meaning)")
        _keys(o, ("schedule",), ("options",), "options")
        sp = ("options", "schedule")
        s = _obj(o["schedule"], sp, "schedule")
        if not s:
            raise NotImportable(sp, "an empty schedule has no spec form", "remove it (same meaning)")
        spec.update(_read(s, sp, "schedule", "Schedule", send_at=send_at))
    messages = [message(m, ("messages", i)) for i, m in enumerate(msgs)]
    defaults, messages = lift_defaults(messages)
    for m in messages:
        _shorten(m, [defaults] if defaults else [])
    if defaults:
        _shorten(defaults, messages)
        spec["defaults"] = defaults
    spec["messages"] = messages
    return spec


# --------------------------------------------------------------------------- the map's readers

#: the importer's side of each converter pair of the map (``fieldmap.Conv``): the shorthand back
_CONVERTERS = {"size": size, "seconds": seconds, "duration": duration, "speed": speed, "http_content": http_content}
#: wire objects read by their own function (a short form, a required key), not the map's fields alone
_OBJECTS = {"ButtonText": _button_text, "Background": _background, "ButtonImage": _media}


# --------------------------------------------------------------------------- compare


def first_difference(a: Any, b: Any, path: tuple = ()) -> tuple | None:
    """The first path where two JSON values differ, or None. Key order is ignored; numbers
    compare by value (``45 == 45.0``) but never equal booleans."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return path + (k,)
            d = first_difference(a[k], b[k], path + (k,))
            if d is not None:
                return d
        for k in b:
            if k not in a:
                return path + (k,)
        return None
    if isinstance(a, list) and isinstance(b, list):
        for j, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, path + (j,))
            if d is not None:
                return d
        return None if len(a) == len(b) else path + (min(len(a), len(b)),)
    if _is_num(a) and _is_num(b):
        return None if a == b else path
    if type(a) is type(b) and a == b:
        return path if isinstance(a, float) and a != a else None
    return path
