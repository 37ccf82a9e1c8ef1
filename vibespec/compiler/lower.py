"""Lower a spec document to the request body of ``POST /viber-bot/1/messages``.

Input: a :class:`~vibespec.source.nodes.Document` (any format). Output: a
:class:`Compiled` holding the body (plain dicts, keys in Infobip's published order), the
source map (body path -> spec position), the facts only the spec knows (zones, local
windows, spec message ids) and the structural diagnostics (VB1xx). A message with a
structural error is left out of the body; the others still compile, so one run reports
every problem."""

from __future__ import annotations

import difflib
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .. import codes
from ..diagnostics import Diagnostic, Severity, pointer_from_path
from ..source.nodes import Document
from ..spec import coerce as M  # the constants; the pydantic models load only in fast.check's rare fallback
from ..spec import fast
from ..spec import shorthand as sh
from ..spec.zones import get_zone, zone_name
from . import fieldmap
from .emit import BLOCK, CompactDestinations, PackedIds
from ..words import describe, kind_of
from .sourcemap import SourceMap

if TYPE_CHECKING:
    from . import templates as T  # imported where used: only specs with templates or audiences need it

    from ..spec import model as SM

SUPPORTED_VERSIONS = (1,)
TOP_KEYS = ("vibespec", "bulk_id", "send_at", "speed_limit", "timezone", "defaults", "templates", "audience",
            "audiences", "messages")


# --------------------------------------------------------------------------- results


@dataclass
class WindowFacts:
    """A delivery window as written and as lowered."""

    zone: str  # zone name the window was written in ("UTC" when none)
    local_from: tuple[int, int] | None
    local_to: tuple[int, int] | None
    local_days: list[str]
    date: date | None  # the date used for the UTC conversion
    date_source: str  # "send_at" | "compile-date" | "none"
    utc_from: tuple[int, int] | None
    utc_to: tuple[int, int] | None
    utc_days: list[str]
    day_shift: int


@dataclass
class MessageFacts:
    index: int  # index in the body's messages
    spec_index: int  # index in the spec's messages
    id: Any = None
    window: WindowFacts | None = None
    recipients: int = 0
    template: str | None = None
    rows: list | None = None  # (file, line, column) of the audience row behind each destination


@dataclass
class SpecFacts:
    timezone: str | None = None
    send_at: datetime | None = None  # aware
    send_at_offset_given: bool = True
    compile_date: date | None = None
    messages: list[MessageFacts] = field(default_factory=list)
    #: with ``lower(message_limit=N)``: distinct audience messages past the limit, not built,
    #: and their destinations (the preview draws N and counts the rest)
    hidden_messages: int = 0
    hidden_destinations: int = 0


@dataclass
class Compiled:
    document: Document
    body: dict
    source_map: SourceMap
    facts: SpecFacts
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


# --------------------------------------------------------------------------- aliases


ALIASES = dict(fast.ALIASES)
ALIASES["message_id"] = ALIASES.get("message_id", ()) + ("messageId",)  # recipients lowered in place


def known_keys(model: str) -> list[str]:
    """Every spelling the spec model ``model`` accepts, canonical first (for "did you mean")."""
    return list(fast.KNOWN_KEYS[model])


def _models_of(spec: tuple):
    """Model names inside a type of the fast table, in order."""
    kind = spec[0]
    if kind == "model":
        yield spec[1]
    elif kind in ("opt", "list", "map"):
        yield from _models_of(spec[1])
    elif kind == "before":
        yield from _models_of(spec[2])
    elif kind == "union":
        for member in spec[1]:
            yield from _models_of(member)


def _model_at(model: str, loc: tuple) -> str | None:
    """The model that validates the mapping at ``loc`` (keys/indices below ``model``)."""
    cur = model
    for part in loc:
        if isinstance(part, int):
            continue
        spec = next((f[3] for f in fast.MODELS[cur] if part in f[1]), None)
        if spec is None:
            continue  # a union tag or similar
        models = list(_models_of(spec))
        if not models:
            return None
        cur = models[0]
    return cur


# --------------------------------------------------------------------------- errors


def _suggest(word: str, options: list[str]) -> str:
    best = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{best[0]}'?" if best else ""


_TYPE_WORDS = {
    "string_type": "a string", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "bool_type": "true or false", "dict_type": "a mapping",
    "list_type": "a list", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "int_parsing": "a whole number", "float_parsing": "a number", "string_too_long": "a shorter string",
}






def _clean_loc(raw: Any, loc: tuple) -> tuple:
    """Drop pydantic's union/validator tags: keep the elements that are real keys/indices."""
    out = []
    node = raw
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not node:
            break
        else:
            # a tag (e.g. 'str', 'function-plain[...]') or a missing key (kept: it names the field)
            if isinstance(part, str) and isinstance(node, dict) and not any(c in part for c in "[]()"):
                if part not in ("str", "int", "bool", "float", "list", "dict") and not part[:1].isupper():
                    out.append(part)
                    node = None
    return tuple(out)


class _Reporter:
    def __init__(self, document: Document, smap: SourceMap):
        self.document = document
        self.smap = smap
        self.diagnostics: list[Diagnostic] = []

    def at_doc(self, code: codes.Code, message: str, doc_path: tuple, *, help: str | None = None, key: bool = False,
               pointer: str | None = None) -> None:
        span = self.document.locate(doc_path, key=key)
        self.diagnostics.append(code.diagnostic(message, self.document.filename, span.line, span.column,
                                                span.end_line, span.end_column, help, pointer))

    def at_file(self, code: codes.Code, message: str, file: str, line: int, column: int, *,
                help: str | None = None) -> None:
        self.diagnostics.append(code.diagnostic(message, file, line, column, line, column + 1, help))

    def at_logical(self, code: codes.Code, message: str, logical: tuple, **kw) -> None:
        self.at_doc(code, message, self.smap.document_path(logical), **kw)

    def validation(self, errors: list[dict], raw: Any, logical_prefix: tuple, model: str) -> None:
        """Diagnostics for validation errors in pydantic's form (from pydantic, or the same
        from :func:`vibespec.spec.fast.explain`): one per location, the first error there."""
        seen_paths: set = set()
        for e in errors:
            loc = _clean_loc(raw, tuple(e["loc"]))
            if loc in seen_paths:
                continue
            seen_paths.add(loc)
            etype = e["type"]
            ctx = e.get("ctx") or {}
            name = ".".join(str(p) for p in (loc[-1:] if loc else ()))
            if etype == "extra_forbidden" and _twin(raw, loc):
                twin = _twin(raw, loc)
                self.at_logical(codes.VB101, f"'{loc[-1]}' and '{twin}' are two spellings of the same key; keep one",
                                logical_prefix + loc, key=True)
            elif etype == "extra_forbidden":
                parent = _model_at(model, loc[:-1])
                options = known_keys(parent) if parent else []
                hint = _suggest(str(loc[-1]), options)
                where = f" in {loc[-2]}" if len(loc) >= 2 and isinstance(loc[-2], str) else ""
                msg = f"unknown key '{loc[-1]}'{where}" + (f"; {hint}" if hint else "")
                help_ = "allowed keys here: " + ", ".join(k for k in options if k in (model_fields_canonical(parent)))[:300] if parent else None
                self.at_logical(codes.VB101, msg, logical_prefix + loc, key=True, help=help_)
            elif etype == "missing":
                self.at_logical(codes.VB103, f"missing required key '{name}'", logical_prefix + loc,
                                help=f"add '{name}'")
            elif etype.startswith("VB"):
                self.at_logical(codes.BY_CODE[etype], f"{name}: {e['msg']}" if name and not e["msg"].startswith(name) else e["msg"],
                                logical_prefix + loc, help=ctx.get("help"))
            elif etype == "finite_number":
                self.at_logical(codes.VB115, f"{name} must be a finite number", logical_prefix + loc)
            else:
                want = _TYPE_WORDS.get(etype, None)
                value = e.get("input")
                if want is None:
                    msg = f"{name}: {e['msg'][:1].lower()}{e['msg'][1:]}"
                else:
                    msg = f"{name} must be {want}, got {kind_of(value)} {describe(value)}"
                help_ = None
                if etype == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
                    help_ = f'quote it: "{value}" (unquoted, it is read as a number)'
                self.at_logical(codes.VB102, msg, logical_prefix + loc, help=help_)


def _twin(raw: Any, loc: tuple) -> str | None:
    """For an unknown key that is an alias spelling of a key also present: that other key."""
    parent = raw
    for part in loc[:-1]:
        if isinstance(parent, dict) and part in parent:
            parent = parent[part]
        elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
            parent = parent[part]
        else:
            return None
    if not isinstance(parent, dict):
        return None
    key = loc[-1]
    for canonical, alts in ALIASES.items():
        spellings = (canonical,) + alts
        if key in spellings:
            for other in spellings:
                if other != key and other in parent:
                    return other
    return None


def model_fields_canonical(model: str | None) -> set[str]:
    return {f[1][0] for f in fast.MODELS[model]} if model else set()  # the first key is the canonical one


# --------------------------------------------------------------------------- merge


_STRING_FORMS = {path[-1]: key for path, key in fieldmap.STRING_FORMS.items()}  # a string here means {key: string}


def merge(base: Any, over: Any, _key: Any = None) -> Any:
    """Deep merge: mappings merge key by key, ``over`` wins; anything else is replaced. A
    string shorthand that stands for a mapping (``delivery: URL``) merges as that mapping."""
    if _key in _STRING_FORMS and isinstance(base, dict) != isinstance(over, dict):
        if isinstance(base, str):
            base = {_STRING_FORMS[_key]: base}
        elif isinstance(over, str):
            over = {_STRING_FORMS[_key]: over}
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v, k) if k in base else v
        return out
    return over


def merge_defaults(defaults: dict | None, message: dict) -> dict:
    if not defaults:
        return dict(message)
    if any(k in message for k in M.CONTENT_KEYS):
        defaults = {k: v for k, v in defaults.items() if k not in M.CONTENT_KEYS}
    return merge(defaults, message)


# --------------------------------------------------------------------------- lowering


def _audience_ref(to: Any) -> Any:
    """``to: audience`` -> None (the default audience); ``to: {audience: NAME}`` -> NAME;
    anything else -> False (ordinary recipients)."""
    if to == "audience":
        return None
    if isinstance(to, str) and to[:9] in ("audience:", "audience.") and to[9:].strip():
        return to[9:].strip()  # to: audience:vip (the same as {audience: vip})
    if isinstance(to, dict) and set(to) == {"audience"} and isinstance(to["audience"], str):
        return to["audience"]
    return False


class _Group:
    """The audience rows that render to one message: their ids, message ids and failover
    phones when given, and where each row is (an array of CSV line numbers, or the inline
    rows themselves). For compile's body (``packed``) the ids are joined into blocks as they
    come (see :class:`~vibespec.compiler.emit.PackedIds`), so a row keeps no string of its own."""

    __slots__ = ("file", "n", "tos", "mids", "blocks", "mid_blocks", "phones", "lines", "rows", "distinct")

    def __init__(self, file: str | None, packed: bool) -> None:
        self.file = file
        self.n = 0
        self.tos: list[str] = []  # packed: the ids of the block being filled
        self.mids: list[str] | None = None  # parallel to tos once some row has a message_id
        self.blocks: list[str] | None = [] if packed else None  # packed: full blocks of ids
        self.mid_blocks: list[str] | None = None
        self.phones: list[tuple[str, str]] = []
        self.lines = array("I") if file is not None else None
        self.rows: list | None = None if file is not None else []
        self.distinct = False  # no id twice (set once all rows are read)

    def add(self, to: str, mid: str, phone: str, line: int, row: Any) -> None:
        if mid and self.mids is None:
            self.mids = [""] * len(self.tos)
            if self.blocks is not None:
                self.mid_blocks = ["\0" * (BLOCK - 1)] * len(self.blocks)
        if self.mids is not None:
            self.mids.append(mid)
        self.tos.append(to)
        self.n += 1
        if self.blocks is not None and len(self.tos) == BLOCK:
            self.blocks.append("\0".join(self.tos))
            self.tos = []
            if self.mids is not None:
                self.mid_blocks.append("\0".join(self.mids))  # type: ignore[union-attr]
                self.mids = []
        if phone:
            self.phones.append((to, phone))
        if self.lines is not None:
            self.lines.append(line)
        else:
            self.rows.append(row)  # type: ignore[union-attr]

    def ids(self):
        """Every id, in row order."""
        for b in self.blocks or ():
            yield from b.split("\0")
        yield from self.tos

    def place(self, k: int) -> tuple:
        """(file, line, column) of the k-th row."""
        if self.lines is not None:
            return (self.file, self.lines[k], 1)
        r = self.rows[k]  # type: ignore[index]
        return (r.file, r.line, r.column)

    def places(self):
        if self.lines is None:
            return self.rows  # each Row reads as (file, line, column)
        from .templates import Places  # lazy: templates and audiences (csv) load only for a spec that uses them

        return Places(self.file, self.lines)  # type: ignore[arg-type]

    def destinations(self) -> Any:
        """compile's body (packed): the ids as blocks, a bare id standing for ``{"to": id}``;
        else one dict a destination, as the library gives them."""
        if self.blocks is not None:
            blocks = self.blocks + (["\0".join(self.tos)] if self.tos else [])
            mids = None
            if self.mid_blocks is not None:
                mids = self.mid_blocks + (["\0".join(self.mids)] if self.tos else [])  # type: ignore[arg-type]
            return PackedIds(blocks, mids, self.n, self.distinct)
        tos, mids = self.tos, self.mids
        if mids is None:
            return [{"to": t} for t in tos]
        return [{"to": t, "messageId": m} if m else {"to": t} for t, m in zip(tos, mids)]


def _substitute(wire: dict, slots: list, values: list) -> dict:
    """A copy of ``wire`` with each slot's string replaced; untouched subtrees are shared."""
    out = dict(wire)
    for (path, _parts, _logical), value in zip(slots, values):
        node = out
        for k in path[:-1]:
            child = node[k]
            child = dict(child) if isinstance(child, dict) else list(child)
            node[k] = child
            node = child
        node[path[-1]] = value
    return out



_FORWARD, _CODE = fieldmap.FORWARD, fieldmap.CODE  # the field map, forward (see Lowerer._fill)


class Lowerer:
    def __init__(self, document: Document, now: datetime | None = None, audience: str | None = None,
                 config: Any = None):
        self.document = document
        self.config = config  # vibespec.config.Config or None: where a spec may read audiences from
        self.now = now or datetime.now(timezone.utc)
        self.audience_override = audience
        self.compact = False  # see lower(compact=True)
        self.message_limit: int | None = None  # see lower(message_limit=N)
        # the options the field map leaves to code (fieldmap.CODE), and the message they are for
        self._options_code = {"window": self._window_field, "failover": self._failover_field}
        self._message_facts: MessageFacts | None = None
        self.templates: dict = {}
        self.data_audience: Any = None
        self.data_audiences: Any = None
        self._audience_cache: dict = {}
        self._audience_used: dict = {}
        self._audience_key = "audiences"  # where named audiences are written
        self.smap = SourceMap(document, ALIASES)
        self.rep = _Reporter(document, self.smap)
        self.facts = SpecFacts()

    # ---- entry
    def run(self) -> Compiled:
        data = self.document.data
        body: dict = {"messages": []}
        if not isinstance(data, dict):
            self.rep.at_doc(codes.VB004, "the spec must be a mapping with 'vibespec' and 'messages'", ())
            return self._done(body)
        self._check_version(data)
        header = self._header(data)
        defaults = data.get("defaults")
        if defaults is not None and not isinstance(defaults, dict):
            self.rep.at_doc(codes.VB102, f"defaults must be a mapping, got {kind_of(defaults)}", ("defaults",))
            defaults = None
        self._check_defaults_keys(defaults)
        self._read_templates(data)
        messages = data.get("messages")
        if isinstance(messages, list):
            for i, raw in enumerate(messages):
                self._message(i, raw, defaults, body)
        self._unused_columns()
        if header is not None:
            sched = self._schedule(header)
            if sched:
                body["options"] = {"schedule": sched}
                self.smap.add(("options",), ())
                self.smap.add(("options", "schedule"), ())
        return self._done(body)

    def _done(self, body: dict) -> Compiled:
        return Compiled(self.document, body, self.smap, self.facts, self.rep.diagnostics)

    def _check_version(self, data: dict) -> None:
        if "vibespec" not in data:
            self.rep.at_doc(codes.VB100, "missing format version: add 'vibespec: 1' at the top", (),
                            help="this release reads version 1")
            return
        v = data["vibespec"]
        if isinstance(v, str) and v.strip().isdigit() and int(v) in SUPPORTED_VERSIONS:
            self.rep.at_doc(codes.VB100, f"the format version is a number: write 'vibespec: {v.strip()}' without quotes",
                            ("vibespec",))
            return
        if isinstance(v, bool) or v not in SUPPORTED_VERSIONS:
            self.rep.at_doc(codes.VB100, f"unsupported vibespec version {v!r}: this release reads version 1", ("vibespec",),
                            help="set 'vibespec: 1', or upgrade vibespec")

    def _header(self, data: dict) -> SM.SpecHeader | None:
        raw = {k: v for k, v in data.items() if k in TOP_KEYS}
        for k in data:
            if k not in TOP_KEYS:
                hint = _suggest(str(k), list(TOP_KEYS) + list(fast.MESSAGE_KEYS))
                if k in fast.MESSAGE_KEYS:
                    hint = "message keys go under 'defaults' (for every message) or under one message"
                self.rep.at_doc(codes.VB101, f"unknown top-level key '{k}'" + (f"; {hint}" if hint else ""), (k,), key=True,
                                help="top-level keys: " + ", ".join(TOP_KEYS))
        if "messages" not in data:
            self.rep.at_doc(codes.VB103, "missing required key 'messages'", (), help="add 'messages:' with at least one message")
            raw["messages"] = []
        header, errors = fast.check("SpecHeader", raw)
        if errors:
            self.rep.validation(errors, raw, (), "SpecHeader")
            # keep what is valid so the messages still compile
            bad = {str(x["loc"][0]) for x in errors if x["loc"]}
            header, errors = fast.check("SpecHeader", {k: v for k, v in raw.items() if k not in bad or k == "messages"}
                                        | ({"messages": []} if "messages" in bad else {}))
            if errors:
                return None
        zone = None
        if header.timezone:
            zone = get_zone(header.timezone)
            self.facts.timezone = header.timezone
        if header.send_at is not None:
            try:
                self.facts.send_at = sh.resolve_send_at(header.send_at, zone or timezone.utc)
                self.facts.send_at_offset_given = header.send_at.offset is not None
            except sh.ShorthandError as e:
                self.rep.at_doc(codes.BY_CODE[e.code], e.message, ("send_at",), help=e.help)
        self.facts.compile_date = self.now.date()
        return header

    def _schedule(self, header: SM.SpecHeader) -> dict:
        return self._fill({}, header, ("options", "schedule"), (), "Schedule", {"send_at": self._send_at})

    def _send_at(self, _value: Any, P: tuple, L: tuple) -> str | None:
        """``sendAt``: the spec's ``send_at`` resolved in the spec's zone (None when it could not be)."""
        if self.facts.send_at is None:
            return None
        self.smap.add(P, L)
        return sh.format_send_at(self.facts.send_at)

    def _read_templates(self, data: dict) -> None:
        t = data.get("templates")
        if t is not None and not isinstance(t, dict):
            self.rep.at_doc(codes.VB102, "templates must be a mapping of names to message bodies", ("templates",))
            t = None
        for name, body in (t or {}).items():
            if not isinstance(body, dict):
                self.rep.at_doc(codes.VB102, f"template {name!r} must be a mapping (a message body)", ("templates", name))
                continue
            for k in ("to", "id", "template"):
                if k in body:
                    self.rep.at_doc(codes.VB101, f"'{k}' cannot be part of a template", ("templates", name, k), key=True,
                                    help="recipients and ids belong to the message that uses the template")
            self.templates[name] = {k: v for k, v in body.items() if k not in ("to", "id", "template")}
        self.data_audience = data.get("audience")
        self.data_audiences = data.get("audiences")
        if isinstance(self.data_audience, dict) and self.data_audiences is None:
            # audience: {vip: vip.csv, all: people.csv} names its audiences too
            self.data_audiences, self.data_audience = self.data_audience, None
            self._audience_key = "audience"
        if self.data_audiences is not None and not isinstance(self.data_audiences, dict):
            self.rep.at_doc(codes.VB102, "audiences must be a mapping of names to CSV paths or row lists", ("audiences",))
            self.data_audiences = None

    def _check_defaults_keys(self, defaults: dict | None) -> None:
        if not defaults:
            return
        for k in defaults:
            if k == "id":
                self.rep.at_doc(codes.VB101, "'id' names one message and cannot be a default", ("defaults", "id"), key=True)

    # ---- one message
    def _message(self, i: int, raw: Any, defaults: dict | None, body: dict) -> None:
        if not isinstance(raw, dict):
            self.rep.at_doc(codes.VB102, f"a message must be a mapping, got {kind_of(raw)}", ("messages", i))
            return
        lp = ("messages", i)
        layers = [("message", ("messages", i))]
        own = {k: v for k, v in raw.items() if k not in ("template", "vars")}
        tname = raw.get("template")
        if tname is not None:
            tmpl = self.templates.get(tname) if isinstance(tname, str) else None
            if tmpl is None:
                known = ", ".join(sorted(self.templates)) or "none defined"
                hint = _suggest(str(tname), sorted(self.templates)) if isinstance(tname, str) else ""
                self.rep.at_doc(codes.VB704, f"unknown template {tname!r}" + (f"; {hint}" if hint else ""),
                                lp + ("template",), help=f"templates: {known}")
                return
            if any(k in own for k in M.CONTENT_KEYS):
                tmpl = {k: v for k, v in tmpl.items() if k not in M.CONTENT_KEYS}
            own = merge(tmpl, own)
            layers.append((f"template {tname}", ("templates", tname)))
        if defaults:
            layers.append(("defaults", ("defaults",)))
        self.smap.set_layers(i, layers)
        merged = merge_defaults({k: v for k, v in defaults.items() if k != "id"} if defaults else None, own)
        before = len(self.rep.diagnostics)

        content_keys = [k for k in M.CONTENT_KEYS if k in merged]
        if not content_keys:
            unknown_like_content = any(_suggest(str(k), list(M.CONTENT_KEYS)) for k in merged if k not in fast.MESSAGE_KEYS)
            if not unknown_like_content:
                self.rep.at_doc(codes.VB104, "message has no content: add one of " + ", ".join(M.CONTENT_KEYS),
                                ("messages", i))
        elif len(content_keys) > 1:
            self.rep.at_logical(codes.VB104, f"message has {len(content_keys)} content keys ({', '.join(content_keys)}); "
                                "a message has exactly one", lp + (content_keys[1],), key=True,
                                help="split it into one message per content")
        elif merged[content_keys[0]] is None:
            self.rep.at_logical(codes.VB103, f"'{content_keys[0]}' has no value", lp + (content_keys[0],), key=True,
                                help=f"give the {content_keys[0]} content, or remove the key")
        to_raw = merged.pop("to", None)
        audience_name = _audience_ref(to_raw)
        variables = self._vars(raw.get("vars"), lp)
        renders = tname is not None or variables is not None or audience_name is not False
        if audience_name is not False:
            audience = self._audience(audience_name, lp + ("to",))
            destinations = [] if audience is not None else None
        else:
            audience = None
            destinations = self._recipients(to_raw, lp)
        msg, errors = fast.check("Message", merged)
        if errors:
            self.rep.validation(errors, merged, lp, "Message")
            return
        if msg.sender is None:
            self.rep.at_doc(codes.VB105, "message has no sender; set 'sender' on it or in 'defaults'", ("messages", i),
                            help="e.g. defaults: {sender: YourBotName}")
        if len(self.rep.diagnostics) > before or destinations is None or len(content_keys) != 1:
            return
        out_i = len(body["messages"])
        facts = MessageFacts(index=out_i, spec_index=i, id=msg.id, recipients=len(destinations), template=tname)
        try:
            wire = self._lower_message(msg, destinations, content_keys[0], lp, out_i, facts)
        except sh.ShorthandError as e:  # e.g. two actions on one button
            self.rep.at_logical(codes.BY_CODE[e.code], e.message, e.path or lp, help=e.help, key=e.path is not None)
            return
        slots = self._slots(wire, out_i) if renders else []
        if slots is None:
            return
        if audience is not None:
            self._expand(wire, slots, audience, audience_name, lp, facts, body)
            return
        if slots:
            from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

            row = variables or {}
            values = []
            for path, parts, logical in slots:
                text, missing = T.render(parts, row)
                if missing:
                    names_ = ", ".join(sorted(set(missing)))
                    self.rep.at_logical(codes.VB701, f"no value for {names_} in this message", logical,
                                        help="give it under 'vars:', add a default ({{ name | default(\"...\") }}), "
                                             "or send to an audience")
                    return
                values.append(text)
            wire = _substitute(wire, slots, values)
        body["messages"].append(wire)
        self.facts.messages.append(facts)

    # ---- templates and audiences
    def _vars(self, v: Any, lp: tuple) -> dict | None:
        if v is None:
            return None
        if not isinstance(v, dict) or any(isinstance(x, (dict, list)) for x in v.values()):
            self.rep.at_logical(codes.VB102, "vars must be a mapping of names to text or numbers", lp + ("vars",))
            return {}
        return {str(k): ("" if x is None else str(x).lower() if isinstance(x, bool) else str(x)) for k, x in v.items()}

    def _slots(self, wire: dict, out_i: int) -> list | None:
        """(path, parts, logical spec path) for every string of the message holding placeholders."""
        from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

        out = []
        bad = False
        stack = [((), wire)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict):
                for k, v in node.items():
                    if path == () and k == "destinations":
                        continue
                    stack.append((path + (k,), v))
            elif isinstance(node, list):
                for j, v in enumerate(node):
                    stack.append((path + (j,), v))
            elif isinstance(node, str) and "{{" in node:
                logical = self.smap.logical(("messages", out_i) + path) or ("messages",)
                try:
                    parts = T.parse(node)
                except T.TemplateError as e:
                    self.rep.at_logical(codes.VB706, str(e), logical)
                    bad = True
                    continue
                if parts is not None:
                    out.append((path, parts, logical))
        if bad:
            return None
        out.sort(key=lambda x: [str(p) for p in x[0]])
        return out

    def _audience(self, name: Any, where: tuple) -> "T.Audience | None":
        from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

        key = name if isinstance(name, str) else None
        named_here = self.data_audiences if isinstance(self.data_audiences, dict) else {}
        if key is None and self.data_audience is None and self.audience_override is None and len(named_here) == 1:
            key = next(iter(named_here))  # `to: audience` with a single named audience means that one
        if key in self._audience_cache:
            return self._audience_cache[key]
        aud = None
        if key is None:
            source, src_path = self.audience_override or self.data_audience, ("audience",)
        else:
            named = self.data_audiences if isinstance(self.data_audiences, dict) else {}
            source, src_path = named.get(key), (self._audience_key, key)
        if source is None:
            what = f"audience {key!r}" if key else "an audience"
            names = sorted(named_here)
            help_ = (f"name one of {', '.join(names)}: to: {{audience: {names[0]}}}" if names
                     else "add 'audience: people.csv' (or an inline list of rows)")
            self.rep.at_logical(codes.VB708, f"'to' names {what}, but the spec defines none" if not names or key
                                else "'to: audience' is ambiguous: the spec names several audiences", where, help=help_)
            self._audience_cache[key] = None
            return None
        try:
            if isinstance(source, str):
                if source is self.audience_override:  # given on the command line: trusted
                    aud = T.read_csv(source)
                else:  # written in the spec: only a regular file inside the project
                    aud = T.read_csv(T.resolve_path(self.document.filename, source), shown=source,
                                     roots=T.project_roots(self.document.filename, self.config))
            else:
                def locate(p):
                    sp = self.document.locate(p)
                    return sp.line, sp.column

                aud = T.inline(source, self.document.filename, src_path, locate)
        except T.AudienceError as e:
            if e.file is None:
                self.rep.at_doc(codes.VB705, e.message, src_path, help=e.help)
            else:
                self.rep.at_file(codes.VB705, e.message, e.file, e.line, e.column, help=e.help)
        self._audience_cache[key] = aud
        if aud is not None:
            self._audience_used.setdefault(key, set())
        return aud

    def _expand(self, wire: dict, slots: list, aud: "T.Audience", name: Any, lp: tuple, facts: MessageFacts,
                body: dict) -> None:
        from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

        used = self._audience_used.setdefault(name if isinstance(name, str) else None, set())
        for _p, parts, _l in slots:
            used.update(T.names(parts))
        # Per distinct rendered message, what its destinations need and no more: the ids
        # (the body holds them anyway), message ids and phones when given, and for a CSV
        # the row's line number (an array, four bytes a row) instead of the row object.
        groups: dict[tuple, _Group] = {}
        csv_file = aud.file
        # Repeated recipients (VB703): a 64-bit fingerprint of each id in 256 arrays (eight
        # bytes a row, not a set of a million strings), compared exactly afterwards.
        prints = [array("q") for _ in range(256)]
        tmpl_where = {}
        has_mid, has_phone = "message_id" in aud.columns, "phone" in aud.columns
        # a CSV is read again here, a row at a time, and nothing of a row is kept but below
        for row_values, line, row in aud.records():
            to = row_values.get("to", "").strip()
            if not to:
                self._row_diag(codes.VB707, "audience row has no 'to'", row or T.Row((), csv_file, line))
                continue
            values = []
            missing: list[str] = []
            for path, parts, logical in slots:
                text, miss = T.render(parts, row_values)
                if miss:
                    missing.extend(miss)
                    tmpl_where.setdefault(miss[0], logical)
                values.append(text)
            if missing:
                names_ = sorted(set(missing))
                span = self.document.locate(self.smap.document_path(tmpl_where[names_[0]]))
                self._row_diag(codes.VB701, f"audience row has no value for {', '.join(repr(n) for n in names_)} "
                               f"(used at {self.document.filename}:{span.line}:{span.column})",
                               row or T.Row((), csv_file, line),
                               help="fill the column, or give the placeholder a default: "
                                    "{{ name | default(\"...\") }}")
                continue
            h = hash(to)
            prints[h & 255].append(h)
            key = tuple(values)
            g = groups.get(key)
            if g is None:
                g = groups[key] = _Group(csv_file, self.compact)
            g.add(to, row_values.get("message_id", "").strip() if has_mid else "",
                  row_values.get("phone", "").strip() if has_phone else "", line, row)
        self._repeated(groups, prints)
        del prints
        first_index = len(body["messages"])
        limit = self.message_limit
        for n, (values, g) in enumerate(groups.items()):
            if limit is not None and len(body["messages"]) >= limit:
                self.facts.hidden_messages += 1  # counted, not built (the preview's limit)
                self.facts.hidden_destinations += g.n
                continue
            msg = _substitute(wire, slots, list(values)) if slots else dict(wire)
            msg["destinations"] = g.destinations()
            opts = msg.get("options")
            if g.phones and isinstance(opts, dict) and isinstance(opts.get("smsFailover"), dict):
                sms = dict(opts["smsFailover"])
                sms["destinationMatching"] = list(sms.get("destinationMatching", [])) + \
                    [{"initial": t, "failover": p} for t, p in g.phones]
                opts = dict(opts)
                opts["smsFailover"] = sms
                msg["options"] = opts
            idx = len(body["messages"])
            body["messages"].append(msg)
            if idx != first_index:
                self.smap.alias(idx, first_index)
            self.facts.messages.append(MessageFacts(
                index=idx, spec_index=facts.spec_index, id=facts.id, window=facts.window, recipients=g.n,
                template=facts.template, rows=g.places()))  # (file, line, column) per destination

    def _repeated(self, groups: dict, prints: list) -> None:
        """VB703 for each row whose recipient an earlier row has, naming that first row; a
        group without a repeat inside is marked ``distinct`` (the rules then need no set of
        its ids)."""
        from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

        twice: set = set()
        for bucket in prints:
            if len(bucket) > 1 and len(set(bucket)) != len(bucket):
                once: set = set()
                for h in bucket:
                    (twice if h in once else once).add(h)
        found = []  # (line, column, file, id, group, k) of every row whose id may be repeated
        for g in groups.values() if twice else ():
            for k, t in enumerate(g.ids()):
                if hash(t) in twice:
                    file, line, column = g.place(k)
                    found.append((line, column, file, t, g, k))
        found.sort(key=lambda f: (f[0], f[1]))
        first: dict = {}
        within: set = set()  # groups that hold an id twice
        for line, _column, file, t, g, k in found:
            got = first.get(t)
            if got is None:
                first[t] = (file, line, g)
                continue
            row = g.rows[k] if g.rows is not None else T.Row((), g.file, line)
            self._row_diag(codes.VB703, f"recipient {t!r} appears again (first at {got[0]}:{got[1]})", row)
            if got[2] is g:
                within.add(id(g))
        for g in groups.values():
            g.distinct = id(g) not in within

    def _row_diag(self, code: codes.Code, message: str, row: "T.Row", help: str | None = None) -> None:
        if row.path is not None:
            self.rep.at_doc(code, message, row.path, help=help)
        else:
            self.rep.at_file(code, message, row.file, row.line, row.column, help=help)

    def _unused_columns(self) -> None:
        if not self._audience_used:
            return
        from . import templates as T  # lazy: templates and audiences (csv) load only for a spec that uses them

        for key, used in self._audience_used.items():
            aud = self._audience_cache.get(key)
            if aud is None:
                continue
            unused = [c for c in aud.columns if c not in T.RESERVED and c not in used]
            if not unused:
                continue
            msg = f"audience column{'s' if len(unused) > 1 else ''} {', '.join(repr(c) for c in unused)} " \
                  "used by no placeholder"
            if aud.file is not None:
                self.rep.at_file(codes.VB702, msg, aud.file, aud.header_line, 1,
                                 help="remove the column, or check the placeholder spelling")
            else:
                self.rep.at_doc(codes.VB702, msg, ("audience",) if key is None else ("audiences", key), key=True)

    def _recipients(self, to: Any, lp: tuple) -> list | None:
        if to is None or to == [] or to == "":
            self.rep.at_logical(codes.VB114, "message has no recipients: add 'to' (a bot user id or a list of them)", lp,
                                help="to: bot-user-1, or to: [bot-user-1, bot-user-2]")
            return None
        if isinstance(to, str):
            return [{"to": to}]
        if isinstance(to, dict):
            to = [to]
            single = True
        elif isinstance(to, list):
            single = False
        else:
            self.rep.at_logical(codes.VB102, f"to must be a bot user id or a list of them, got {kind_of(to)} {describe(to)}",
                                lp + ("to",), help='quote ids that look like numbers: to: "66855538125"')
            return None
        out = CompactDestinations() if self.compact else []
        ok = True
        append = out.append
        wrap = not self.compact
        for j, item in enumerate(to):
            if type(item) is str:
                append({"to": item} if wrap else item)
                continue
            if type(item) is dict and type(item.get("to")) is str:
                # Fast path, and a deliberate memory saving for bulk specs: the loaded mapping
                # becomes the wire destination in place (message_id -> messageId), instead of
                # a second copy of 100,000 mappings. The wire spelling is accepted on input too.
                n = len(item)
                if n == 1:
                    append(item)
                    continue
                if n == 2:
                    mid = item.get("message_id")
                    if type(mid) is str:
                        del item["message_id"]
                        item["messageId"] = mid
                        append(item)
                        continue
                    if type(item.get("messageId")) is str:
                        append(item if next(iter(item)) == "to" else {"to": item["to"], "messageId": item["messageId"]})
                        continue
            where = lp + ("to",) if single else lp + ("to", j)
            if isinstance(item, dict):
                t = item.get("to")
                mid = item.get("message_id")
                extra = [k for k in item if k not in ("to", "message_id")]
                if extra:
                    hint = _suggest(str(extra[0]), ["to", "message_id"])
                    self.rep.at_logical(codes.VB101, f"unknown key '{extra[0]}' in recipient" + (f"; {hint}" if hint else ""),
                                        where + (extra[0],), key=True)
                    ok = False
                    continue
                if not isinstance(t, str):
                    if t is None:
                        self.rep.at_logical(codes.VB103, "recipient has no 'to'", where)
                    else:
                        self.rep.at_logical(codes.VB102, f"to must be a string, got {kind_of(t)} {describe(t)}", where + ("to",),
                                            help=f'quote it: "{t}"')
                    ok = False
                    continue
                if mid is None:
                    append({"to": t})
                elif isinstance(mid, str):
                    append({"to": t, "messageId": mid})
                else:
                    self.rep.at_logical(codes.VB102, f"message_id must be a string, got {kind_of(mid)} {describe(mid)}",
                                        where + ("message_id",), help=f'quote it: "{mid}"')
                    ok = False
            else:
                self.rep.at_logical(codes.VB102, f"recipient must be a bot user id (string), got {kind_of(item)} {describe(item)}",
                                    where, help=f'quote it: "{item}"' if isinstance(item, (int, float)) else None)
                ok = False
        if ok and self.compact and len(out) > 1:
            # compile's lint: say whether the ids are distinct now, while the set of them is
            # cheaper than the addressing rules' (the loaded text's peak is not yet over)
            tos = [d if type(d) is str else d.get("to") for d in out]
            if all(type(t) is str for t in tos):
                ids = set(tos)
                out.distinct_ids = len(ids) == len(tos) and "" not in ids and not any(map(str.isspace, ids))
        return out if ok else None

    def _lower_message(self, msg: SM.Message, destinations: list, ckey: str, lp: tuple, out_i: int,
                       facts: MessageFacts) -> dict:
        P = ("messages", out_i)
        add = self.smap.add
        add(P, lp)
        wire: dict = {}
        if msg.sender is not None:
            wire["sender"] = msg.sender
            add(P + ("sender",), lp + ("sender",))
        wire["destinations"] = destinations
        add(P + ("destinations",), lp + ("to",), {"messageId": "message_id"})
        wire["content"] = self._content(msg, ckey, P + ("content",), lp)
        opts = self._options(msg, P + ("options",), lp, facts)
        if opts:
            wire["options"] = opts
        hooks = self._webhooks(msg.webhooks, P + ("webhooks",), lp + ("webhooks",))
        if hooks:
            wire["webhooks"] = hooks
        return wire

    # ---- content
    def _content(self, msg: SM.Message, ckey: str, P: tuple, lp: tuple) -> dict:
        add = self.smap.add
        c: dict = {}
        L = lp + (ckey,)
        add(P, L)
        if ckey == "text":
            c["text"] = msg.text
            add(P + ("text",), L)
        elif ckey == "image":
            self._fill(c, msg.image, P, L, "Image")
        elif ckey == "video":
            self._fill(c, msg.video, P, L, "Video")
        elif ckey == "file":
            self._fill(c, msg.file, P, L, "File")
        elif ckey == "carousel":
            car = msg.carousel
            c["buttonGrid"] = self._grid(car, P + ("buttonGrid",), L)
        elif ckey == "location":
            c["location"] = self._object(msg.location, P + ("location",), L, "LatLon")
        elif ckey == "contact":
            c["contact"] = self._object(msg.contact, P + ("contact",), L, "Contact")
        elif ckey == "sticker":
            self._fill(c, msg.sticker, P, L, "Sticker")
        elif ckey == "url":
            self._fill(c, msg.url, P, L, "UrlContent")
        if msg.display is not None:
            c["senderDisplayInfo"] = self._object(msg.display, P + ("senderDisplayInfo",), lp + ("display",), "Display")
        if ckey == "carousel":
            self._fill(c, msg.carousel, P, L, "Carousel")
        if msg.keyboard is not None:
            kb = msg.keyboard
            KP, KL = P + ("keyboard",), lp + ("keyboard",)
            k: dict = {"buttonGrid": self._grid(kb, KP + ("buttonGrid",), KL)}
            add(KP, KL)
            c["keyboard"] = self._fill(k, kb, KP, KL, "Keyboard")
        c["type"] = fieldmap.CONTENT_TYPE_OF[ckey]
        add(P + ("type",), L)
        return c

    def _raw_at(self, logical: tuple) -> Any:
        return self.document.get(self.smap.document_path(logical))

    def _put(self, d: dict, key: str, value: Any, P: tuple, L: tuple) -> None:
        if value is not None:
            d[key] = value
            self.smap.add(P + (key,), L)

    # ---- the field map (compiler/fieldmap.py): what is copied field by field
    def _fill(self, d: dict, src: Any, P: tuple, L: tuple, kind: str, code: dict | None = None) -> dict:
        """Write the fields of ``kind`` (``fieldmap.FIELDS``) from the spec object ``src`` at ``L``
        into the wire object ``d`` at ``P``, in body order, each mapped back to the spec. A field
        the map marks CODE is written by ``code[spec key](value, P, L)`` when given (which maps
        it; a result of None writes nothing), else left to the caller."""
        add = self.smap.add
        for key, attr, how in _FORWARD[kind]:
            v = getattr(src, attr)
            if v is None:
                continue
            if how is None:  # a copy: the common case
                d[key] = v
                add(P + (key,), L + (attr,))
            elif how is _CODE:
                if code is not None and attr in code:
                    v = code[attr](v, P + (key,), L + (attr,))
                    if v is not None:
                        d[key] = v
            elif type(how) is str:  # an object of another kind
                FP, FL = P + (key,), L + (attr,)
                d[key] = self._fill({}, v, FP, FL, how)
                add(FP, FL)
            else:  # a converter
                d[key] = how(v)
                add(P + (key,), L + (attr,))
        return d

    def _object(self, src: Any, P: tuple, L: tuple, kind: str, code: dict | None = None) -> dict:
        """A wire object of ``kind`` at ``P`` written from the spec object at ``L`` (see ``_fill``)."""
        d = self._fill({}, src, P, L, kind, code)
        self.smap.add(P, L)
        return d

    def _grid(self, g: SM.Carousel | SM.Keyboard, P: tuple, L: tuple) -> dict:
        self.smap.add(P, L)
        buttons = []
        self.smap.add(P + ("buttons",), L + ("buttons",))
        for k, b in enumerate(g.buttons):
            buttons.append(self._button(b, P + ("buttons", k), L + ("buttons", k)))
        return self._fill({"buttons": buttons}, g, P, L, "Grid")

    def _button(self, b: SM.Button, P: tuple, L: tuple) -> dict:
        self.smap.add(P, L)
        out: dict = {"action": self._action(b.action, P + ("action",), L + ("action",))}
        return self._fill(out, b, P, L, "Button")

    def _action(self, a: SM.Action, P: tuple, L: tuple) -> dict:
        kinds = [k for k in M.ACTION_KINDS if getattr(a, k) is not None]
        if len(kinds) > 1:
            raise sh.ShorthandError(codes.VB115, f"a button action has exactly one of {', '.join(M.ACTION_KINDS)}; "
                                    f"this one has {', '.join(kinds)}", "keep one action per button", path=L + (kinds[1],))
        # an action with no kind lowers to {} (the schema allows it); rules VB342/VB343 report it
        self.smap.add(P, L)
        out: dict = {}
        put = self._put
        kind = kinds[0] if kinds else None
        if kind == "open_url":
            ou = a.open_url
            put(out, "actionBody", ou.url, P, L + ("open_url", "url"))
        elif kind == "open_map":
            put(out, "actionBody", a.open_map.body, P, L + ("open_map", "body"))
        elif kind == "none":
            if isinstance(a.none, str):
                put(out, "actionBody", a.none, P, L + ("none",))
        elif kind is not None:
            put(out, "actionBody", getattr(a, kind), P, L + (kind,))
        if kind is not None:
            out["actionType"] = fieldmap.ACTION_TYPE_OF[kind]
            self.smap.add(P + ("actionType",), L + (kind,))
        self._fill(out, a, P, L, "Action")  # silent
        if kind == "open_url":
            OP, OL = P + ("openUrlSettings",), L + ("open_url",)
            s = self._fill({}, a.open_url, OP, OL, "OpenUrl")
            if s:
                out["openUrlSettings"] = s
                self.smap.add(OP, OL)
        if kind == "open_map":
            out["openMapLocation"] = self._object(a.open_map, P + ("openMapLocation",), L + ("open_map",), "LatLon")
        return out

    # ---- options
    def _options(self, msg: SM.Message, P: tuple, lp: tuple, facts: MessageFacts) -> dict:
        self._message_facts = facts  # for _window_field
        o = self._fill({}, msg, P, lp, "Options", self._options_code)
        if o:
            self.smap.add(P, lp)
        return o

    def _window_field(self, w: SM.Window, P: tuple, L: tuple) -> dict:
        return self._window(w, P, L, self._message_facts)

    def _failover_field(self, f: SM.Failover, P: tuple, L: tuple) -> dict | None:
        return None if f.sms is None else self._sms(f.sms, P, L + ("sms",))

    def _window(self, w: SM.Window, P: tuple, L: tuple, facts: MessageFacts) -> dict:
        self.smap.add(P, L)
        zone_str = w.timezone or self.facts.timezone
        zone = get_zone(zone_str) if zone_str else timezone.utc
        days = list(w.days) if w.days is not None else None
        f, t = w.from_, w.to
        ufrom, uto, udays, shift = f, t, days, 0
        the_date, source = None, "none"
        is_utc = zone.utcoffset(datetime(2000, 1, 1)) == timedelta(0) and zone.utcoffset(datetime(2000, 7, 1)) == timedelta(0)
        if not is_utc and (f is not None or t is not None):
            if self.facts.send_at is not None:
                the_date, source = self.facts.send_at.astimezone(zone).date(), "send_at"
            else:
                the_date, source = self.now.astimezone(zone).date(), "compile-date"

            def conv(hm):
                if hm is None:
                    return None, 0
                local = datetime.combine(the_date, time(hm[0], hm[1]), tzinfo=zone)
                u = local.astimezone(timezone.utc)
                return (u.hour, u.minute), (u.date() - the_date).days

            ufrom, shift = conv(f) if f is not None else (None, 0)
            uto, tshift = conv(t)
            if f is None:
                shift = tshift
            if days and shift:
                idx = sorted({(sh.DAYS.index(d) + shift) % 7 for d in days})
                udays = [sh.DAYS[x] for x in idx]
        facts.window = WindowFacts(zone=zone_name(zone) if zone_str else "UTC", local_from=f, local_to=t,
                                   local_days=days or [], date=the_date, date_source=source,
                                   utc_from=ufrom, utc_to=uto, utc_days=udays or [], day_shift=shift)
        out: dict = {}
        if udays is not None:
            out["days"] = udays
            self.smap.add(P + ("days",), L + ("days",))
        if ufrom is not None:
            out["from"] = {"hour": ufrom[0], "minute": ufrom[1]}
            self.smap.add(P + ("from",), L + ("from",))
        if uto is not None:
            out["to"] = {"hour": uto[0], "minute": uto[1]}
            self.smap.add(P + ("to",), L + ("to",))
        return out

    def _sms(self, s: SM.SmsFailover, P: tuple, L: tuple) -> dict:
        self.smap.add(P, L)
        out = self._fill({}, s, P, L, "SmsFailover")
        if s.destinations is not None:
            pairs = []
            DP, DL = P + ("destinationMatching",), L + ("destinations",)
            self.smap.add(DP, DL)
            from_map = isinstance(self._raw_at(L + ("destinations",)), dict)
            for j, (initial, failover) in enumerate(s.destinations):
                pairs.append({"initial": initial, "failover": failover})
                where = DL + ((initial,) if from_map else (j,))
                self.smap.add(DP + (j,), where)
                self.smap.add(DP + (j, "initial"), where)
                self.smap.add(DP + (j, "failover"), where)
            out["destinationMatching"] = pairs
        return out

    def _webhooks(self, w: SM.Webhooks | None, P: tuple, L: tuple) -> dict:
        if w is None:
            return {}
        return self._object(w, P, L, "Webhooks")


def lower(document: Document, now: datetime | None = None, audience: str | None = None, *,
          compact: bool = False, config: Any = None, message_limit: int | None = None) -> Compiled:
    """Compile a loaded spec document (``audience`` replaces the spec's ``audience``; it is a
    path the caller trusts). ``config`` (a :class:`vibespec.config.Config`) says which
    folders an audience path written in the spec may point into (see ``project_roots``).

    ``compact=True`` is for a body that only goes to :mod:`vibespec.compiler.emit`: a
    destination written as a bare id stays that string inside a :class:`CompactDestinations`
    list (which the emitter writes as ``{"to": id}``) instead of becoming a dict of its own.

    ``message_limit=N`` (the preview) builds at most N messages from audiences: the distinct
    messages past it are only counted (``facts.hidden_messages``, ``hidden_destinations``), so
    the body is not the request; never use it for a body that is sent or written."""
    lowerer = Lowerer(document, now, audience, config)
    lowerer.compact = compact
    lowerer.message_limit = message_limit
    return lowerer.run()



def pointer(path: tuple) -> str:
    return pointer_from_path(path)
