"""The Viber Bot inbound webhook: parse, validate and summarise bodies Infobip POSTs to you.

>>> from vibespec import inbound
>>> body = '''{"results": [{"sender": "u1", "to": "mybot", "integrationType": "VIBER_BOT",
...   "receivedAt": "2026-11-25T12:00:00.000+0000", "messageId": "m1",
...   "price": {"pricePerMessage": 0, "currency": "EUR"},
...   "message": {"type": "MESSAGE", "timestamp": 1795608000000, "messageToken": "t1",
...               "sender": {"id": "u1", "name": "Ana"},
...               "message": {"type": "TEXT", "text": "hi"}}}],
...   "messageCount": 1, "pendingMessageCount": 0}'''
>>> batch = inbound.parse(body)
>>> [(r.event, r.content_type, r.user_id, r.text) for r in batch.messages()]
[('MESSAGE', 'TEXT', 'u1', 'hi')]
>>> inbound.validate(body)
[]

* :func:`parse` returns an :class:`~vibespec.wire.inbound_models.InboundBatch` or raises
  :class:`~vibespec.diagnostics.VibespecError` when the body cannot be typed (syntax error,
  missing required field, wrong type). Unknown event and content types parse as generic
  objects; unknown fields are kept.
* :func:`validate` never raises for bad input: it returns every diagnostic (VB0xx from
  the JSON loader, VB8xx from here; see :mod:`vibespec.codes`), with file, line and
  column when the body was given as text.
* :func:`analyze` does both at once; :func:`summarize` counts events and content types.

The helpers prefixed ``_`` here are shared with :mod:`vibespec.wire.reports`.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .. import codes
from ..diagnostics import Diagnostic, Severity, Span, VibespecError, get_path, pointer_from_path, sort_diagnostics
from .inbound_models import (
    EVENT_CLASSES,
    EVENT_TYPES,
    MESSAGE_CLASSES,
    MESSAGE_TYPES,
    UNLISTED_MESSAGE_TYPES,
    InboundBatch,
    InboundResult,
    Location,
    MessageEvent,
    MessagePrice,
    ViberBotContact,
    ViberBotUser,
    is_infobip_datetime,
    parse_datetime,
)
from ..source.nodes import Document
from ..words import describe, kind_of



# ============================================================================ shared helpers


@dataclass
class Analysis:
    """The result of :func:`analyze`: the typed batch (``None`` when the body could not be
    typed), every diagnostic (sorted), and the loaded document (``None`` for dict input or
    when the text did not parse) with its text."""

    batch: Any
    diagnostics: list[Diagnostic]
    document: Document | None = None
    text: str | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Ctx:
    """Collects diagnostics for one body, placing each through the document when there is one."""

    filename: str
    doc: Document | None = None
    diags: list[Diagnostic] = field(default_factory=list)

    def span(self, path: tuple, key: bool = False) -> Span:
        if self.doc is None:
            return Span(1, 1, 1, 2)
        try:
            return self.doc.locate(tuple(path), key=key)
        except Exception:  # a locator bug must not turn a finding into a traceback
            return Span(1, 1, 1, 2)

    def emit(self, code: codes.Code, path: tuple, message: str, help: str | None = None, *,
             key: bool = False, locate: tuple | None = None) -> None:
        """Report ``code`` about ``path``; ``locate`` (default ``path``) is where it shows."""
        sp = self.span(path if locate is None else locate, key=key)
        self.diags.append(
            code.diagnostic(
                message,
                file=self.filename,
                line=sp.line,
                column=sp.column,
                end_line=sp.end_line,
                end_column=sp.end_column,
                help=help,
                pointer=pointer_from_path(path),
            )
        )

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        for d in diags:
            self.diags.append(d if d.file else d.with_file(self.filename))


def _show_path(path: Iterable) -> str:
    """``results[0].message.type`` (for messages)."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or "the body"






_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean (true or false)",
    "bool_parsing": "a boolean (true or false)",
    "string_type": "a string",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
}

_UNION_TAGS = frozenset(EVENT_TYPES) | frozenset(MESSAGE_TYPES) | {"unknown"}


def _data_path(loc: tuple, data: Any) -> tuple:
    """Map a pydantic error location to a path in the data: union tags are dropped."""
    out: list = []
    cur = data
    inside = True
    for el in loc:
        if inside:
            if isinstance(cur, dict) and el in cur:
                out.append(el)
                cur = cur[el]
                continue
            if isinstance(cur, list) and isinstance(el, int) and not isinstance(el, bool) and 0 <= el < len(cur):
                out.append(el)
                cur = cur[el]
                continue
            if isinstance(el, str) and el in _UNION_TAGS:
                continue
            inside = False
            out.append(el)
        elif not (isinstance(el, str) and el in _UNION_TAGS):
            out.append(el)
    return tuple(out)


def _where(path: tuple, data: Any) -> str:
    """Describe the object at ``path`` for a message: ``results[0].message (a DELIVERED event)``."""
    obj = get_path(data, path)
    desc = _show_path(path)
    if isinstance(obj, dict) and isinstance(obj.get("type"), str) and path and path[-1] == "message":
        kind = "event" if len(path) == 3 else "message"
        desc += f" (a {obj['type']} {kind})"
    return desc


def _pydantic_diagnostics(ctx: _Ctx, exc: ValidationError, data: Any, hint: str | None = None) -> None:
    for err in exc.errors(include_url=False):
        path = _data_path(tuple(err.get("loc", ())), data)
        etype = err.get("type", "")
        value = err.get("input")
        name = str(path[-1]) if path else "body"
        if etype == "missing":
            parent = path[:-1]
            ctx.emit(
                codes.VB801,
                path,
                f'missing required field "{name}" in {_where(parent, data)}',
                hint,
                locate=parent,
            )
        elif etype in _EXPECTED:
            ctx.emit(
                codes.VB802,
                path,
                f'"{_show_path(path)}" should be {_EXPECTED[etype]}, not {kind_of(value, json_terms=True)}'
                + (f" ({describe(value)})" if not isinstance(value, (dict, list)) and value is not None else ""),
            )
        elif etype == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length")
            ctx.emit(codes.VB802, path, f'"{_show_path(path)}" is longer than {limit} characters')
        elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            ctx.emit(codes.VB802, path, f'"{_show_path(path)}" is out of range: {describe(value)}',
                     "int32 fields hold -2147483648..2147483647; int64 fields ±9.2e18")
        else:
            ctx.emit(codes.VB802, path, f'"{_show_path(path)}": {err.get("msg", "invalid value")}')


@functools.lru_cache(maxsize=None)
def _known_keys(cls: type[BaseModel]) -> tuple[frozenset[str], tuple[str, ...]]:
    """``(every accepted key, the wire names)`` of a model."""
    keys: set[str] = set()
    for name, f in cls.model_fields.items():
        keys.add(name)
        if f.alias:
            keys.add(f.alias)
    return frozenset(keys), tuple(sorted(f.alias or n for n, f in cls.model_fields.items()))


def _check_unknown_fields(ctx: _Ctx, path: tuple, raw: Any, cls: type[BaseModel], help: str | None = None) -> None:
    if not isinstance(raw, dict):
        return
    known, wire_names = _known_keys(cls)
    for k in raw:
        if k in known:
            continue
        close = difflib.get_close_matches(str(k), wire_names, n=1, cutoff=0.75)
        h = f'did you mean "{close[0]}"?' if close else (help or "kept as received; Infobip may have added it")
        where = _show_path(path)
        ctx.emit(codes.VB812, path + (k,), f'unknown field "{k}" in {where}' if path else f'unknown field "{k}"', h, key=True)


def _check_datetime(ctx: _Ctx, path: tuple, value: Any) -> None:
    if not isinstance(value, str):
        return  # a wrong type is reported by the model (VB802)
    if is_infobip_datetime(value):
        return
    try:
        parse_datetime(value)
    except ValueError as e:
        ctx.emit(
            codes.VB806,
            path,
            f'"{_show_path(path)}" is not a date-time: {describe(value)}',
            "Infobip writes yyyy-MM-dd'T'HH:mm:ss.SSS+hhmm, e.g. 2023-09-26T10:52:15.457+0000"
            + (" (an offset is required)" if "offset" in str(e) else ""),
        )
        return
    ctx.emit(
        codes.VB807,
        path,
        f'"{_show_path(path)}" is not in Infobip\'s yyyy-MM-dd\'T\'HH:mm:ss.SSS+hhmm form: {describe(value)}',
        "Infobip writes milliseconds and a colon-less offset, e.g. 2023-09-26T10:52:15.457+0000",
    )


def _load_json(body: "str | bytes", filename: str, limits=None) -> Document:
    """Load JSON text through :mod:`vibespec.source` (raises VibespecError)."""
    try:
        from ..source import load  # type: ignore[attr-defined]  # lazy: the loader only for text input
    except ImportError:  # the loader package without ``load`` yet: a minimal stand-in
        load = None
    if load is not None:
        try:
            return load(body, filename, fmt="json", limits=limits, require_mapping=True)
        except ImportError:  # the JSON loader itself not written yet
            pass
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise VibespecError((codes.VB002.diagnostic(f"not UTF-8: {e.reason} at byte {e.start}", file=filename),))
    else:
        text = body[1:] if body.startswith("\ufeff") else body
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise VibespecError((codes.VB001.diagnostic(f"invalid JSON: {e.msg}", file=filename, line=e.lineno, column=e.colno),))
    except RecursionError:
        raise VibespecError((codes.VB007.diagnostic("JSON nested too deeply", file=filename),))
    if not isinstance(data, dict):
        raise VibespecError((codes.VB004.diagnostic(f"the top level is {kind_of(data, json_terms=True)}, not an object", file=filename),))
    return Document(filename=filename, text=text, format="json", data=data)


def _prepare(body: Any, filename: str, ctx: _Ctx, loader=_load_json) -> tuple[Any, bool]:
    """``(data, ok)``: the body as plain data (or None), with loader diagnostics in ``ctx``."""
    if isinstance(body, (str, bytes, bytearray)):
        try:
            doc = loader(bytes(body) if isinstance(body, bytearray) else body, filename)
        except VibespecError as e:
            ctx.extend(e.diagnostics)
            return None, False
        ctx.doc = doc
        data = doc.data
    else:
        data = body
    if not isinstance(data, dict):
        ctx.diags.append(
            codes.VB004.diagnostic(f"the top level is {kind_of(data, json_terms=True)}, not an object",
                       file=filename, pointer="")
        )
        return None, False
    return data, True


def _text_of(ctx: _Ctx) -> str | None:
    return ctx.doc.text if ctx.doc is not None else None


# ============================================================================ inbound


def _looks_like_report(r: Any) -> bool:
    return isinstance(r, dict) and "message" not in r and ("status" in r or "doneAt" in r or "sentAt" in r)


def _check_inbound(ctx: _Ctx, data: dict) -> None:
    _check_unknown_fields(ctx, (), data, InboundBatch)
    results = data.get("results")
    if results is None:
        ctx.emit(codes.VB811, ("results",), 'the body has no "results"', "the webhook always carries results[]", locate=())
        return
    if not isinstance(results, list):
        return  # VB802 from the model
    if not results:
        ctx.emit(codes.VB811, ("results",), '"results" is empty')
    mc = data.get("messageCount")
    if isinstance(mc, int) and not isinstance(mc, bool) and mc != len(results):
        ctx.emit(codes.VB810, ("messageCount",), f'"messageCount" is {mc} but "results" holds {len(results)}',
                 "messageCount is the number of messages in results[]")
    for i, r in enumerate(results):
        if not isinstance(r, dict):
            continue
        rp = ("results", i)
        _check_unknown_fields(ctx, rp, r, InboundResult)
        _check_datetime(ctx, rp + ("receivedAt",), r.get("receivedAt"))
        _check_unknown_fields(ctx, rp + ("price",), r.get("price"), MessagePrice)
        ev = r.get("message")
        if isinstance(ev, dict):
            _check_event(ctx, rp + ("message",), ev)


def _check_event(ctx: _Ctx, ep: tuple, ev: dict) -> None:
    if "type" not in ev:
        ctx.emit(codes.VB801, ep + ("type",), f'missing required field "type" in {_show_path(ep)}',
                 "one of " + ", ".join(EVENT_TYPES), locate=ep)
        return
    t = ev["type"]
    if not isinstance(t, str):
        ctx.emit(codes.VB802, ep + ("type",), f'"{_show_path(ep + ("type",))}" should be a string, not {kind_of(t, json_terms=True)}')
        return
    if t not in EVENT_CLASSES:
        if t.upper() in EVENT_CLASSES:
            help = f'event types are upper case: "{t.upper()}"'
        elif t.upper() in ("SEEN", "FAILED"):
            help = "Infobip sends no SEEN/FAILED events here: seen reports go to webhooks.seen.url, failures to the delivery-report webhook"
        else:
            help = "Infobip sends " + ", ".join(EVENT_TYPES)
        ctx.emit(codes.VB803, ep + ("type",), f'unknown event type "{t}"', help)
        return
    cls = EVENT_CLASSES[t]
    _check_unknown_fields(ctx, ep, ev, cls)
    for k in ("sender", "user"):
        if k in cls.model_fields:
            _check_unknown_fields(ctx, ep + (k,), ev.get(k), ViberBotUser)
    if t == "MESSAGE":
        nested = ev.get("message")
        if isinstance(nested, dict):
            _check_nested(ctx, ep + ("message",), nested)


def _check_nested(ctx: _Ctx, np: tuple, m: dict) -> None:
    if "type" not in m:
        ctx.emit(codes.VB804, np + ("type",), f'{_show_path(np)} has no "type"',
                 "content types: " + ", ".join(MESSAGE_TYPES), locate=np)
        return
    t = m["type"]
    if not isinstance(t, str):
        ctx.emit(codes.VB802, np + ("type",), f'"{_show_path(np + ("type",))}" should be a string, not {kind_of(t, json_terms=True)}')
        return
    if t not in MESSAGE_CLASSES:
        help = (f'content types are upper case: "{t.upper()}"' if t.upper() in MESSAGE_CLASSES
                else "known content types: " + ", ".join(MESSAGE_TYPES))
        ctx.emit(codes.VB804, np + ("type",), f'unknown message type "{t}"', help)
        return
    if t in UNLISTED_MESSAGE_TYPES:
        ctx.emit(codes.VB805, np + ("type",), f"{t} message: not in Infobip's published inbound message types",
                 "users do send it; make sure your bot handles it")
    _check_unknown_fields(ctx, np, m, MESSAGE_CLASSES[t])
    if t == "CONTACT":
        _check_unknown_fields(ctx, np + ("contact",), m.get("contact"), ViberBotContact)
    elif t == "LOCATION":
        _check_unknown_fields(ctx, np + ("location",), m.get("location"), Location)


def analyze(body: Any, filename: str = "<input>", *, limits=None) -> Analysis:
    """Load, type and check an inbound webhook body. Never raises for bad input.
    ``limits``: :class:`vibespec.source.Limits` for the JSON text (default: the defaults)."""
    ctx = _Ctx(filename)
    data, ok = _prepare(body, filename, ctx, loader=lambda b, f: _load_json(b, f, limits))
    batch = None
    if ok:
        results = data.get("results")
        hint = None
        if isinstance(results, list) and any(_looks_like_report(r) for r in results):
            hint = "this looks like a delivery report: check it with `vibespec reports`"
        try:
            batch = InboundBatch.model_validate(data)
        except ValidationError as e:
            _pydantic_diagnostics(ctx, e, data, hint)
        _check_inbound(ctx, data)
    return Analysis(batch, sort_diagnostics(ctx.diags), ctx.doc, _text_of(ctx))


def parse(body: Any, filename: str = "<input>") -> InboundBatch:
    """Typed objects for an inbound webhook body (a dict, or JSON text/bytes).

    Raises :class:`VibespecError` (with the error diagnostics) when the body is not JSON
    or does not match the schema's required fields and types. Unknown event and content
    types do not raise (they are kept as generic objects)."""
    a = analyze(body, filename)
    if a.batch is None:
        raise VibespecError(tuple(a.errors) or tuple(a.diagnostics))
    return a.batch


def validate(body: Any, filename: str = "<input>") -> list[Diagnostic]:
    """Every diagnostic for an inbound webhook body (sorted; empty when clean)."""
    return analyze(body, filename).diagnostics


def summarize(batch: InboundBatch) -> dict:
    """Counts: ``{"kind": "inbound", "results": 3, "events": {"MESSAGE": 2, ...},
    "message_types": {"TEXT": 1, ...}, "users": 2, "message_count": ..., "pending_message_count": ...}``.
    Keys of ``events`` and ``message_types`` keep the order of first appearance."""
    events: Counter = Counter()
    types: Counter = Counter()
    users = set()
    for r in batch.results:
        events[r.event or "UNKNOWN"] += 1
        if isinstance(r.message, MessageEvent):
            types[r.content_type or "UNKNOWN"] += 1
        if r.user_id:
            users.add(r.user_id)
    return {
        "kind": "inbound",
        "results": len(batch.results),
        "events": dict(events),
        "message_types": dict(types),
        "users": len(users),
        "message_count": batch.message_count,
        "pending_message_count": batch.pending_message_count,
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def format_summary(summary: dict, filename: str) -> str:
    """One line: ``inbound.json: 3 results — MESSAGE 2 (TEXT 1, AUDIO 1), SUBSCRIBED 1``."""
    parts = []
    for ev, n in summary.get("events", {}).items():
        s = f"{ev} {n}"
        if ev == "MESSAGE" and summary.get("message_types"):
            s += " (" + ", ".join(f"{t} {c}" for t, c in summary["message_types"].items()) + ")"
        parts.append(s)
    head = f"{filename}: {_plural(summary.get('results', 0), 'result')}"
    return head + (" — " + ", ".join(parts) if parts else "")


__all__ = ["Analysis", "analyze", "format_summary", "parse", "summarize", "validate"]
