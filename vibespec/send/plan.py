"""What a send will put on the wire: the compiled body cut into chunks of at most
``chunk_size`` destinations, each one request with its own bulkId and the sha256 of its
exact bytes.

bulkIds: with ``bulk_id: B`` in the spec and one chunk, the request carries ``B``
(exactly what ``vibespec compile`` prints); with several chunks, chunk ``i`` (1-based)
carries ``B-0001``, ``B-0002``... Without ``bulk_id`` the base is ``vs-`` and the first 16
hex digits of the sha256 of the compiled body, so the same spec always gets the same
bulkIds. messageIds set in the spec (``message_id``, an audience column) are kept as they
are. A chunk's body is built (and hashed) when it is needed and then dropped, so only one
chunk per request in flight exists as bytes.

The compiled body is held in compile's compact form (an audience row's destination is its id
string, see :class:`vibespec.compiler.emit.CompactDestinations`), so a 100,000-row audience
costs its ids, not 100,000 dicts; :func:`encode` and :func:`body_sha256` give the bytes (and
hash) of the request it stands for."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

from ..diagnostics import Severity, VibespecError
from ..files import write_atomic

PLAN_FORMAT = "vibespec-send-plan/1"
MAX_BULK_ID = 100


class PlanError(Exception):
    """The spec cannot be sent as it is (lint findings, compile errors) or a saved plan no
    longer matches; ``diagnostics`` carries the findings when there are some."""

    def __init__(self, message: str, diagnostics: list | None = None, sources: dict | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.sources = sources or {}


@dataclass
class Chunk:
    index: int  # 1-based
    bulk_id: str
    parts: list[tuple[int, int, int]]  # (body message index, first destination, end)
    destinations: int
    sha256: str = ""

    def to_dict(self) -> dict:
        return {"index": self.index, "bulkId": self.bulk_id, "messages": len(self.parts),
                "destinations": self.destinations, "sha256": self.sha256}


@dataclass
class SendPlan:
    spec: str
    spec_sha256: str
    body: dict = field(repr=False)
    chunks: list[Chunk]
    chunk_size: int
    compiled: Any = field(repr=False, default=None)  # vibespec.compiler.lower.Compiled
    diagnostics: list = field(default_factory=list)  # findings below --fail-on
    warnings: list = field(default_factory=list)  # the delivery plan's PlanWarnings
    config: str | None = None
    config_sha256: str | None = None
    audiences: dict = field(default_factory=dict)  # audience file -> sha256

    @property
    def messages(self) -> int:
        return len(self.body.get("messages", ()))

    @property
    def destinations(self) -> int:
        return sum(c.destinations for c in self.chunks)

    @property
    def send_at(self) -> str | None:
        return ((self.body.get("options") or {}).get("schedule") or {}).get("sendAt")

    @property
    def plan_id(self) -> str:
        h = hashlib.sha256()
        for c in self.chunks:
            h.update(f"{c.index}:{c.bulk_id}:{c.sha256}\n".encode())
        return h.hexdigest()

    def chunk_bytes(self, chunk: Chunk) -> bytes:
        return encode(chunk_body(self.body, chunk))

    def iter_bodies(self) -> Iterator[tuple[Chunk, bytes]]:
        for c in self.chunks:
            yield c, self.chunk_bytes(c)

    def to_dict(self) -> dict:
        return {
            "format": PLAN_FORMAT,
            "spec": self.spec,
            "spec_abs": os.path.abspath(self.spec),
            "spec_sha256": self.spec_sha256,
            "config": self.config,
            "config_sha256": self.config_sha256,
            "audiences": self.audiences,
            "plan_id": self.plan_id,
            "chunk_size": self.chunk_size,
            "requests": len(self.chunks),
            "messages": self.messages,
            "destinations": self.destinations,
            "sendAt": self.send_at,
            "chunks": [c.to_dict() for c in self.chunks],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dicts(dests) -> list:
    """Destinations as the wire has them: a bare id (compact form) is ``{"to": id}``."""
    return [{"to": d} if type(d) is str else d for d in dests]


def encode(body: dict) -> bytes:
    """The exact bytes sent: compact JSON, UTF-8, keys in the compiler's order."""
    return "".join(_pieces(body)).encode("utf-8")


def _holds_compact(obj: Any) -> bool:
    """Whether a body, or a message of one, has destinations in compile's compact form."""
    if type(obj) is not dict:
        return False
    if getattr(obj.get("destinations"), "bare_is_to", False):
        return True
    msgs = obj.get("messages")
    return type(msgs) is list and any(map(_holds_compact, msgs))


def _pieces(obj: Any, step: int = 4096) -> Iterator[str]:
    """The compact JSON of ``obj`` in pieces, identical to ``json.dumps`` of it with every
    compact destinations list written out as dicts, a few thousand destinations at a time.
    Only what holds a compact list is taken apart; the rest (a chunk's body: its
    destinations are plain) is one ``json.dumps``."""
    if getattr(obj, "bare_is_to", False):
        yield "["
        for i in range(0, len(obj), step):
            yield ("," if i else "") + _json(_dicts(obj[i:i + step]))[1:-1]
        yield "]"
    elif _holds_compact(obj):
        first = True
        for k, v in obj.items():
            yield ("{" if first else ",") + _json(k) + ":"
            first = False
            yield from _pieces(v, step)
        yield "}"
    elif type(obj) is list and any(map(_holds_compact, obj)):
        yield "["
        for i, v in enumerate(obj):
            if i:
                yield ","
            yield from _pieces(v, step)
        yield "]"
    else:
        yield _json(obj)


def body_sha256(body: dict) -> str:
    """The sha256 of :func:`encode` of ``body``, without holding the whole text."""
    h = hashlib.sha256()
    for piece in _pieces(body):
        h.update(piece.encode("utf-8"))
    return h.hexdigest()


def chunk_body(body: dict, chunk: Chunk) -> dict:
    msgs = body["messages"]
    out_msgs = []
    for mi, s, e in chunk.parts:
        m = msgs[mi]
        d = m["destinations"]
        out_msgs.append({k: (_dicts(d[s:e]) if k == "destinations" else v) for k, v in m.items()})
    out: dict = {"messages": out_msgs}
    options = dict(body.get("options") or {})
    schedule = dict(options.get("schedule") or {})
    schedule["bulkId"] = chunk.bulk_id
    options["schedule"] = schedule
    out["options"] = options
    return out


def _bulk_base(body: dict) -> tuple[str, bool]:
    given = ((body.get("options") or {}).get("schedule") or {}).get("bulkId")
    if isinstance(given, str) and given:
        return given, True
    return "vs-" + body_sha256(body)[:16], False


def cut(body: dict, chunk_size: int) -> list[Chunk]:
    """Cut ``body`` into chunks of at most ``chunk_size`` destinations, in body order."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    chunks: list[Chunk] = []
    parts: list[tuple[int, int, int]] = []
    room = chunk_size
    for mi, m in enumerate(body.get("messages", ())):
        n = len(m.get("destinations") or ())
        s = 0
        if n == 0:
            parts.append((mi, 0, 0))
            continue
        while s < n:
            take = min(room, n - s)
            parts.append((mi, s, s + take))
            s += take
            room -= take
            if room == 0:
                chunks.append(Chunk(len(chunks) + 1, "", parts, chunk_size))
                parts, room = [], chunk_size
    if parts:
        chunks.append(Chunk(len(chunks) + 1, "", parts, chunk_size - room))
    base, given = _bulk_base(body)
    if len(chunks) == 1 and given:
        chunks[0].bulk_id = base
    else:
        base = base[: MAX_BULK_ID - 1 - max(4, len(str(len(chunks))))]
        width = max(4, len(str(len(chunks))))
        for c in chunks:
            c.bulk_id = f"{base}-{c.index:0{width}d}"
    for c in chunks:
        c.sha256 = hashlib.sha256(encode(chunk_body(body, c))).hexdigest()
    return chunks


def _sha_file(path: str | None) -> str | None:
    if not path or not os.path.isfile(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare(spec: str, *, config=None, chunk_size: int = 1000, now: datetime | None = None,
            audience: str | None = None, fail_on=None) -> SendPlan:
    """Compile and lint ``spec`` (a path) and cut it into requests.

    Raises :class:`PlanError` when the spec does not compile or lint finds anything at or
    above ``fail_on`` (default: the configuration's ``fail-on``)."""
    from ..api import lint_document, read_source  # lazy: `reports pull` and `logs` load this package but not the API and the rules

    limits = config.limits if config is not None else None
    try:
        doc = read_source(os.fspath(spec), limits=limits)
    except VibespecError as e:
        raise PlanError(f"{spec}: cannot be read as a spec", list(e.diagnostics)) from None
    result = lint_document(doc, config=config, now=now, audience=audience, compact=True)
    threshold = fail_on or (config.fail_on if config is not None else Severity.ERROR)
    blocking = [d for d in result.diagnostics if d.severity.rank >= threshold.rank]
    compiled = result.compiled
    if blocking or not compiled.ok:
        n = len(blocking)
        raise PlanError(f"{spec}: refusing to send: {n} finding{'s' if n != 1 else ''} at or above "
                        f"'{threshold.value}'", result.diagnostics, {doc.filename: doc.text})
    body = compiled.body
    if not body.get("messages"):
        raise PlanError(f"{spec}: nothing to send (no messages)")
    from ..planner import plan_compiled  # lazy: `reports pull` and `logs` load this package but not the planner

    warnings = list(plan_compiled(compiled, now=now).warnings)
    chunks = cut(body, chunk_size)
    cfg_path = getattr(config, "path", None) if config is not None else None
    audiences = {}
    for mf in compiled.facts.messages:
        if mf.rows:
            for f in {r[0] for r in mf.rows}:
                if f not in audiences:
                    audiences[f] = _sha_file(f)
    return SendPlan(audiences=audiences, spec=os.fspath(spec), spec_sha256=_sha_file(os.fspath(spec)) or "", body=body, chunks=chunks,
                    chunk_size=chunk_size, compiled=compiled, diagnostics=list(result.diagnostics),
                    warnings=warnings, config=cfg_path, config_sha256=_sha_file(cfg_path))


def save(plan: SendPlan, path: str) -> None:
    write_atomic(path, json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")


def load_saved(path: str) -> dict:
    with open(path, "rb") as f:
        raw = f.read(64 * 1024 * 1024)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise PlanError(f"{path}: not a saved send plan (invalid JSON: {e})") from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT or not isinstance(data.get("chunks"), list):
        raise PlanError(f"{path}: not a saved send plan (write one with `vibespec send SPEC --save {path}`)")
    return data


def is_saved_plan(path: str) -> bool:
    if not path.lower().endswith(".json") or not os.path.isfile(path):
        return False
    try:
        load_saved(path)
        return True
    except (PlanError, OSError):
        return False


def verify(saved: dict, plan: SendPlan) -> None:
    """Refuse (:class:`PlanError`) unless ``plan`` (compiled now) puts exactly the saved
    bytes on the wire."""
    if saved.get("plan_id") == plan.plan_id and [c.get("sha256") for c in saved["chunks"]] == \
            [c.sha256 for c in plan.chunks]:
        return
    why = []
    if saved.get("spec_sha256") != plan.spec_sha256:
        why.append("the spec file changed")
    if saved.get("config_sha256") != plan.config_sha256:
        why.append("the configuration changed")
    for f, sha in (saved.get("audiences") or {}).items():
        if plan.audiences.get(f) != sha:
            why.append(f"the audience {f} changed")
    if len(saved["chunks"]) != len(plan.chunks):
        why.append(f"it now makes {len(plan.chunks)} requests, not {len(saved['chunks'])}")
    else:
        diff = [c.index for c, s in zip(plan.chunks, saved["chunks"]) if c.sha256 != s.get("sha256")]
        if diff:
            why.append("request body " + ", ".join(map(str, diff[:5])) + (" ..." if len(diff) > 5 else "")
                       + " differs (the audience, a default, the date a window was converted for...)")
    raise PlanError(f"{plan.spec} no longer compiles to the saved plan: " + "; ".join(why or ["bodies differ"])
                    + ". Run `vibespec send SPEC --save PLAN` again and review it.")
