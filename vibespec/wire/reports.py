"""Viber Bot delivery reports: parse, validate and summarise the DLR webhook body (JSON or
XML) and the ``GET /viber-bot/1/reports`` response.

>>> from vibespec import reports
>>> xml = '''<?xml version="1.0" encoding="UTF-8"?><DeliveryReports><results><result>
...   <messageId>m1</messageId><status><groupId>3</groupId><groupName>DELIVERED</groupName>
...   <id>5</id><name>DELIVERED_TO_HANDSET</name></status></result></results></DeliveryReports>'''
>>> batch = reports.parse(xml)
>>> r = batch.results[0]
>>> (r.message_id, r.status.group_id, r.is_final, r.delivered, batch.by_status_group())
('m1', 3, True, True, {'DELIVERED': 1})

Text whose first non-blank character is ``<`` is read as XML (:func:`parse_xml`), anything
else as JSON. XML is read with the standard library's expat parser; any ``<!DOCTYPE`` or
``<!ENTITY`` is refused (VB814) before parsing, and the parser is told to reject them
too, so no entity is ever expanded (no XXE, no "billion laughs"). XML is streamed: each
report becomes data when its element ends and its element tree is dropped. Limits, each
refused as VB007 before any report is typed: 64 MiB, 200 levels of nesting,
``MAX_XML_ELEMENTS`` (1,000,000) elements, ``MAX_REPORTS`` (100,000) reports; a JSON body
with more than ``MAX_JSON_OBJECTS`` (1,000,000) ``{`` is refused before it is parsed.

XML shape: the root element (``DeliveryReports`` in Infobip's example, ``reportResponse``
in older Infobip XML; any name is accepted) contains ``<results>``, whose children (``<result>``)
are the reports. Inside a report, an element with child elements becomes an object and a
leaf becomes its text; ``messageCount``, ``price.pricePerMessage``, ``status.groupId``,
``status.id``, ``error.groupId``, ``error.id`` and ``error.permanent`` are converted to
numbers/booleans (a value that does not convert is reported as VB802). Attributes and
namespace prefixes are ignored.

For the finality decision (``DELIVERED_TO_OPERATOR`` is intermediate) and the status
groups, see :mod:`vibespec.wire.report_models`.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat
from collections import Counter
from typing import Any

from pydantic import ValidationError

from .. import codes
from ..diagnostics import Diagnostic, Span, VibespecError, sort_diagnostics
from .inbound import (
    Analysis,
    _check_datetime,
    _check_unknown_fields,
    _Ctx,
    _load_json,
    _plural,
    _prepare,
    _pydantic_diagnostics,
    _text_of,
)
from .inbound_models import MessagePrice
from .report_models import (
    ERROR_GROUPS,
    STATUS_GROUP_NAMES,
    STATUS_GROUPS,
    DeliveryReport,
    DeliveryReportBatch,
    MessageError,
    MessageStatus,
    Platform,
)
from ..source.nodes import Document

__all__ = [
    "STATUS_GROUPS",
    "ERROR_GROUPS",
    "analyze",
    "format_summary",
    "parse",
    "parse_xml",
    "summarize",
    "validate",
]

MAX_XML_BYTES = 64 * 1024 * 1024
MAX_XML_DEPTH = 200
#: Reports in one body (JSON or XML), and elements in one XML body: over them the body is
#: refused (VB007) before any report is typed, so time and memory stay bounded.
MAX_REPORTS = 100_000
MAX_XML_ELEMENTS = 1_000_000
MAX_JSON_OBJECTS = 1_000_000


# ============================================================================ XML


class _XmlLocator:
    """Spans of elements by data path (recorded while parsing)."""

    def __init__(self, spans: dict[tuple, Span]) -> None:
        self.spans = spans

    def locate(self, path: tuple, key: bool = False) -> Span | None:
        return self.spans.get(tuple(path))


class _Node:
    __slots__ = ("tag", "children", "text", "line", "column")

    def __init__(self, tag: str, line: int, column: int) -> None:
        self.tag = tag
        self.children: list[_Node] = []
        self.text: list[str] = []
        self.line = line
        self.column = column


def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


_DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

# Conversions applied to leaves, by path inside one report.
_INT_FIELDS = {("messageCount",), ("status", "groupId"), ("status", "id"), ("error", "groupId"), ("error", "id")}
_FLOAT_FIELDS = {("price", "pricePerMessage")}
_BOOL_FIELDS = {("error", "permanent")}


def _convert_leaf(rel: tuple, text: str) -> Any:
    try:
        if rel in _INT_FIELDS and re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if rel in _FLOAT_FIELDS:
            if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
                return float(text)
        if rel in _BOOL_FIELDS and text in ("true", "false"):
            return text == "true"
    except ValueError:  # pragma: no cover - guarded by the patterns
        pass
    return text


def _fail(filename: str, code: codes.Code, message: str, line: int = 1, column: int = 1,
          help: str | None = None) -> VibespecError:
    return VibespecError((code.diagnostic(message, file=filename, line=max(1, line), column=max(1, column),
                                          end_line=max(1, line), end_column=max(1, column) + 1, help=help),))


def _decode_xml(body: bytes, filename: str) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        m = re.match(rb"""\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", body)
        if m:
            try:
                return body.decode(m.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise _fail(filename, codes.VB002, f"not UTF-8 text: invalid byte at offset {e.start}",
                    help="Infobip sends UTF-8; declare another encoding in <?xml ... encoding=...?> if it is one")


def _load_xml(body: "str | bytes", filename: str, limits=None) -> Document:
    """XML text -> Document with data ``{"results": [...]}`` and element positions."""
    cap = limits.max_bytes if limits is not None else MAX_XML_BYTES
    if isinstance(body, (bytes, bytearray)):
        if len(body) > cap:
            raise _fail(filename, codes.VB007, f"the body is larger than {cap} bytes")
        text = _decode_xml(bytes(body), filename)
    else:
        text = body[1:] if body.startswith("\ufeff") else body
        if len(text) > cap:
            raise _fail(filename, codes.VB007, f"the body is larger than {cap} characters")
    m = _DTD_RE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise _fail(filename, codes.VB814, f"XML {m.group(1).upper()} declarations are not allowed", line, col,
                    "Infobip's reports never declare a DTD or entities; the body was refused unread (XXE, billion laughs)")

    parser = expat.ParserCreate()
    try:
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    except AttributeError:  # pragma: no cover
        pass
    # Streamed: a report's elements are turned into data when the report ends and then
    # dropped, so memory follows the data, not a tree of every element; elements and
    # reports are counted and refused over MAX_XML_ELEMENTS / MAX_REPORTS.
    stack: list[_Node] = []
    top: list[_Node] = []  # the root element
    results_at: list[int] = []  # depth of the <results> element holding the reports
    spans: dict[tuple, Span] = {}
    data: dict[str, Any] = {}
    items: list[Any] = []
    count = [0]

    class _Refused(Exception):
        pass

    def refuse(*_a):
        raise _Refused()

    def start(name, attrs):
        line, col = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        depth = len(stack)
        if depth >= MAX_XML_DEPTH:
            raise _fail(filename, codes.VB007, f"XML nested deeper than {MAX_XML_DEPTH} elements", line, col,
                        help="Infobip's reports nest four elements deep")
        count[0] += 1
        if count[0] > MAX_XML_ELEMENTS:
            raise _fail(filename, codes.VB007, f"the XML holds more than {MAX_XML_ELEMENTS:,} elements", line, col,
                        help=f"a delivery-report body holds at most {MAX_REPORTS:,} reports; split the file")
        node = _Node(_local(name), line, col)
        if depth == 0:
            top.append(node)
            if node.tag == "results":
                results_at.append(1)
        elif results_at and depth == results_at[0]:  # a report
            if len(items) >= MAX_REPORTS:
                raise _fail(filename, codes.VB007, f"the body holds more than {MAX_REPORTS:,} reports", line, col,
                            help="Infobip sends reports in batches (GET /viber-bot/1/reports returns at most "
                                 "1,000); split the file")
        elif depth == 1 and not results_at and node.tag == "results":
            results_at.append(2)
            results_node.append(node)
        else:
            stack[-1].children.append(node)
        stack.append(node)

    def end(name):
        node = stack.pop()
        depth = len(stack)
        if results_at and depth == results_at[0]:  # a report ended: to data, the tree dropped
            items.append(_to_data(node, ("results", len(items)), (), spans))
        elif depth == 1 and node not in results_node:  # another child of the root element
            if node.tag not in data:
                data[node.tag] = _to_data(node, (node.tag,), (), spans)
            stack[0].children.clear()

    def chars(text):
        if stack and not (results_at and len(stack) == results_at[0]):
            stack[-1].text.append(text)

    results_node: list[_Node] = []

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(text, True)
    except _Refused:
        raise _fail(filename, codes.VB814, "XML DTD or entity declarations are not allowed",
                    parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
    except expat.ExpatError as e:
        raise _fail(filename, codes.VB813, f"XML syntax error: {expat.ErrorString(e.code)}", e.lineno, e.offset + 1)
    except RecursionError:  # pragma: no cover - the builder is iterative
        raise _fail(filename, codes.VB007, "XML nested too deeply")
    finally:  # the handlers refer to the parser: free the cycle now, not at the next collection
        for h in ("StartElementHandler", "EndElementHandler", "CharacterDataHandler"):
            setattr(parser, h, None)

    root = top[0]
    spans[()] = Span(root.line, root.column, root.line, root.column + len(root.tag) + 1)
    if not results_at:
        raise _fail(filename, codes.VB813, f"<{root.tag}> has no <results> element", root.line, root.column,
                    "Infobip's XML reports look like <DeliveryReports><results><result>...</result></results></DeliveryReports>")
    spans[("results",)] = _span_of(root if results_at[0] == 1 else results_node[0])
    data.pop("results", None)
    data["results"] = items
    return Document(filename=filename, text=text, format="xml", data=data, locator=_XmlLocator(spans))


def _span_of(n: _Node) -> Span:
    return Span(n.line, n.column, n.line, n.column + len(n.tag) + 1)


def _to_data(node: _Node, path: tuple, rel: tuple, spans: dict) -> Any:
    """Element -> value (recursion depth is bounded by MAX_XML_DEPTH). A repeated child
    element becomes a list, which the model then reports as the wrong type."""
    spans[path] = _span_of(node)
    if not node.children:
        return _convert_leaf(rel, "".join(node.text).strip())
    counts = Counter(c.tag for c in node.children)
    out: dict[str, Any] = {}
    for c in node.children:
        if counts[c.tag] == 1:
            out[c.tag] = _to_data(c, path + (c.tag,), rel + (c.tag,), spans)
        else:
            lst = out.setdefault(c.tag, [])
            lst.append(_to_data(c, path + (c.tag, len(lst)), rel + (c.tag,), spans))
    return out


def parse_xml(text: "str | bytes", filename: str = "<input>") -> DeliveryReportBatch:
    """Typed reports from an XML body, whatever its first character (raises
    :class:`VibespecError`)."""
    return parse(text, filename, fmt="xml")


def _is_xml(body: Any) -> bool:
    if isinstance(body, str):
        return body.lstrip("\ufeff \t\r\n").startswith("<")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body).lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")
    return False


# ============================================================================ checks


def _check_group(ctx: _Ctx, path: tuple, obj: dict, groups: dict[int, str], names: tuple[str, ...], what: str) -> None:
    gid = obj.get("groupId")
    gname = obj.get("groupName")
    gid = gid if isinstance(gid, int) and not isinstance(gid, bool) else None
    gname = gname if isinstance(gname, str) else None
    known = ", ".join(f"{k} {v}" for k, v in groups.items())
    if gname is not None and gname not in names:
        import difflib  # lazy: only to suggest a status group name

        close = difflib.get_close_matches(gname.upper(), names, n=1, cutoff=0.6)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        ctx.emit(codes.VB809, path + ("groupName",), f'unknown {what} group name "{gname}"',
                 hint + "known: " + ", ".join(names))
        return
    if gname == "ACCEPTED":
        return  # its id is not published: any id matches
    if gid is not None and gid not in groups:
        ctx.emit(codes.VB809, path + ("groupId",), f"unknown {what} group id {gid}", "known: " + known)
        return
    if gid is not None and gname is not None and groups[gid] != gname:
        ctx.emit(codes.VB808, path + ("groupId",),
                 f'{what} groupId {gid} is {groups[gid]}, but groupName is "{gname}"',
                 "known: " + known)


def _looks_like_inbound(r: Any) -> bool:
    return isinstance(r, dict) and ("receivedAt" in r or ("message" in r and "status" not in r))


def _check_reports(ctx: _Ctx, data: dict) -> None:
    _check_unknown_fields(ctx, (), data, DeliveryReportBatch)
    results = data.get("results")
    if results is None:
        ctx.emit(codes.VB811, ("results",), 'the body has no "results"', locate=())
        return
    if not isinstance(results, list):
        return
    if not results:
        ctx.emit(codes.VB811, ("results",), '"results" is empty',
                 "normal for GET /viber-bot/1/reports when nothing is new; a webhook always carries reports")
    for i, r in enumerate(results):
        if not isinstance(r, dict):
            continue
        rp = ("results", i)
        hint = "this looks like an inbound message: check it with `vibespec inbound`" if _looks_like_inbound(r) else None
        _check_unknown_fields(ctx, rp, r, DeliveryReport, hint)
        for k in ("sentAt", "doneAt"):
            _check_datetime(ctx, rp + (k,), r.get(k))
        _check_unknown_fields(ctx, rp + ("price",), r.get("price"), MessagePrice)
        _check_unknown_fields(ctx, rp + ("platform",), r.get("platform"), Platform)
        st = r.get("status")
        if isinstance(st, dict):
            _check_unknown_fields(ctx, rp + ("status",), st, MessageStatus)
            _check_group(ctx, rp + ("status",), st, STATUS_GROUPS, STATUS_GROUP_NAMES, "status")
        er = r.get("error")
        if isinstance(er, dict):
            _check_unknown_fields(ctx, rp + ("error",), er, MessageError)
            _check_group(ctx, rp + ("error",), er, ERROR_GROUPS, tuple(ERROR_GROUPS.values()), "error")


def _loader(fmt: str | None, limits=None):
    if fmt not in (None, "json", "xml"):
        raise ValueError(f"fmt must be None, 'json' or 'xml', not {fmt!r}")

    def load(body: "str | bytes", filename: str) -> Document:
        xml = _is_xml(body) if fmt is None else fmt == "xml"
        if xml:
            return _load_xml(body, filename, limits)
        # every '{' is an object json.loads would build (a few in strings are counted too):
        # refuse millions of them before parsing, in one C-speed pass
        if body.count("{" if isinstance(body, str) else b"{") > MAX_JSON_OBJECTS:
            raise _fail(filename, codes.VB007, f"the body holds more than {MAX_JSON_OBJECTS:,} JSON objects",
                        help=f"a delivery-report body holds at most {MAX_REPORTS:,} reports; split the file")
        return _load_json(body, filename, limits)

    return load


def analyze(body: Any, filename: str = "<input>", fmt: str | None = None, *, limits=None) -> Analysis:
    """Load, type and check a delivery-report body (dict, JSON or XML). Never raises for
    bad input. ``fmt`` ("json"/"xml") forces a format for text; by default text starting
    with ``<`` is XML. ``limits``: :class:`vibespec.source.Limits` (default: the defaults)."""
    ctx = _Ctx(filename)
    data, ok = _prepare(body, filename, ctx, loader=_loader(fmt, limits))
    batch = None
    results = data.get("results") if ok else None
    if isinstance(results, list) and len(results) > MAX_REPORTS:
        sp = ctx.span(("results",), key=True)
        ctx.diags.append(codes.VB007.diagnostic(f"the body holds {len(results):,} reports, more than {MAX_REPORTS:,}",
            file=filename, line=sp.line, column=sp.column, end_line=sp.end_line, end_column=sp.end_column,
            help="Infobip sends reports in batches (GET /viber-bot/1/reports returns at most 1,000); "
                 "split the file", pointer="/results"))
        ok = False
    if ok:
        try:
            batch = DeliveryReportBatch.model_validate(data)
        except ValidationError as e:
            _pydantic_diagnostics(ctx, e, data)
        _check_reports(ctx, data)
    return Analysis(batch, sort_diagnostics(ctx.diags), ctx.doc, _text_of(ctx))


def parse(body: Any, filename: str = "<input>", fmt: str | None = None) -> DeliveryReportBatch:
    """Typed reports from a dict, JSON text/bytes, or XML text/bytes (first non-blank
    character ``<``). Raises :class:`VibespecError` with the error diagnostics when the body
    cannot be read or typed."""
    a = analyze(body, filename, fmt)
    if a.batch is None:
        raise VibespecError(tuple(a.errors) or tuple(a.diagnostics))
    return a.batch


def validate(body: Any, filename: str = "<input>", fmt: str | None = None) -> list[Diagnostic]:
    """Every diagnostic for a delivery-report body (sorted; empty when clean)."""
    return analyze(body, filename, fmt).diagnostics


def summarize(batch: DeliveryReportBatch) -> dict:
    """Counts: ``{"kind": "reports", "reports": 4, "status_groups": {"DELIVERED": 2, ...},
    "statuses": {"DELIVERED_TO_HANDSET": 2, ...}, "error_groups": {"OK": 3, ...},
    "errors": {"NO_ERROR": 3, ...}, "final": 3, "delivered": 2, "failed": 1, "pending": 1,
    "unknown": 0}``; ``unknown`` counts statuses whose group is not a known one (VB809),
    which are neither final nor pending."""
    statuses: Counter = Counter()
    errors: Counter = Counter()
    for r in batch.results:
        if r.status is not None:
            statuses[r.status.name or "UNKNOWN"] += 1
        if r.error is not None:
            errors[r.error.name or "UNKNOWN"] += 1
    return {
        "kind": "reports",
        "reports": len(batch.results),
        "status_groups": batch.by_status_group(),
        "statuses": dict(statuses),
        "error_groups": batch.by_error_group(),
        "errors": dict(errors),
        "final": sum(1 for r in batch.results if r.is_final),
        "delivered": sum(1 for r in batch.results if r.delivered),
        "failed": sum(1 for r in batch.results if r.failed),
        "pending": sum(1 for r in batch.results if r.pending),
        "unknown": sum(1 for r in batch.results if r.unknown_status),
    }


def format_summary(summary: dict, filename: str) -> str:
    """One line: ``dlr.json: 4 reports — DELIVERED 2, PENDING 1, REJECTED 1 (2 delivered,
    1 failed, 1 pending); errors: OK 3, USER_ERRORS 1``."""
    head = f"{filename}: {_plural(summary.get('reports', 0), 'report')}"
    groups = ", ".join(f"{g} {n}" for g, n in summary.get("status_groups", {}).items())
    if not groups:
        return head
    line = (f"{head} — {groups} ({summary.get('delivered', 0)} delivered, "
            f"{summary.get('failed', 0)} failed, {summary.get('pending', 0)} pending"
            + (f", {summary['unknown']} with an unknown status group" if summary.get("unknown") else "") + ")")
    errs = summary.get("error_groups") or {}
    if errs:
        line += "; errors: " + ", ".join(f"{g} {n}" for g, n in errs.items())
    return line
