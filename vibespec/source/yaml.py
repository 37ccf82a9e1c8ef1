"""YAML loader: a parser's event stream (libyaml when available, see ``_yamlevents``) turned
into plain Python values by an explicit-stack builder, with YAML 1.2 core-schema resolution,
safety limits, and a lazy locator that re-parses only when a position is asked for."""

from __future__ import annotations

from sys import intern

import gc
import math
import re
from typing import Any, Callable, Iterable

from .. import codes
from ..diagnostics import Span, VibespecError
from ..words import kind_of
from ._text import empty_error, fail, limit_help, line_col, root_error
from ._flowcolon import Spaced
from ._yamlevents import C_EVENTS, CParser as _CParser, Events, pure_events, pure_source
from .nodes import Document, Limits

HAVE_CPARSER = _CParser is not None

__all__ = ["load_yaml", "YamlLocator", "HAVE_CPARSER", "event_source"]


# --------------------------------------------------------------------------- events


def event_source(text: str | bytes, pure: bool | None = None) -> tuple[Callable[[], Any], Events]:
    """A zero-argument callable returning the next parser event (libyaml unless ``pure`` or
    unavailable), and the classes of its events. After the stream's end event it must not
    be called again. ``text`` may be bytes (UTF-8) for libyaml only."""
    if not pure and _CParser is not None:
        return _CParser(text).get_event, C_EVENTS
    return pure_source(text), pure_events()  # type: ignore[arg-type]


# --------------------------------------------------------------------------- scalars

_NS = "tag:yaml.org,2002:"
_T_STR, _T_INT, _T_FLOAT, _T_BOOL, _T_NULL = (_NS + t for t in ("str", "int", "float", "bool", "null"))
_T_MAP, _T_SEQ, _T_TS, _T_MERGE = _NS + "map", _NS + "seq", _NS + "timestamp", _NS + "merge"
_SCALAR_TAGS = {_T_STR, _T_INT, _T_FLOAT, _T_BOOL, _T_NULL, _T_TS, "!"}

_MISSING = object()
_NOKEY = object()  # in a mapping, waiting for a key
_MERGE = object()  # the pending key is a merge key ``<<``

_NULLS = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SPECIAL_FLOATS = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip
_PLAIN_CONST: dict[str, Any] = {**_NULLS, **_BOOLS, **_SPECIAL_FLOATS}
_NUMERIC_FIRST = frozenset("0123456789-+.")
_INT_RE = re.compile(r"[-+]?[0-9]+")
_OCT_RE = re.compile(r"0o[0-7]+")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


class _TooLong(Exception):
    pass


def _number(value: str, max_digits: int) -> Any:
    """The int/float a plain scalar denotes (YAML 1.2 core), or ``_MISSING``."""
    if _INT_RE.fullmatch(value):
        if len(value) > max_digits:
            raise _TooLong
        return int(value)
    if value[0] == "0" and len(value) > 2:
        if _OCT_RE.fullmatch(value):
            if len(value) > max_digits:
                raise _TooLong
            return int(value[2:], 8)
        if _HEX_RE.fullmatch(value):
            if len(value) > max_digits:
                raise _TooLong
            return int(value[2:], 16)
    if _FLOAT_RE.fullmatch(value):
        if len(value) > max_digits:
            raise _TooLong
        return float(value)
    return _MISSING


def _resolve_plain(value: str, max_digits: int) -> Any:
    r = _PLAIN_CONST.get(value, _MISSING)
    if r is not _MISSING:
        return r
    if value[0] in _NUMERIC_FIRST:
        r = _number(value, max_digits)
        if r is not _MISSING:
            return r
    return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_NS):] if tag.startswith(_NS) else tag


def _resolve_tagged(tag: str, value: str, max_digits: int) -> Any:
    """Value of a scalar with an explicit tag; raises ValueError("...") for a bad value."""
    if tag == _T_STR or tag == "!" or tag == _T_TS:
        return value
    if tag == _T_NULL:
        if value in _NULLS:
            return None
        raise ValueError("is not a null")
    if tag == _T_BOOL:
        r = _BOOLS.get(value, _MISSING)
        if r is _MISSING:
            raise ValueError("is not a boolean (true or false)")
        return r
    v = value.strip()
    if tag == _T_INT:
        r = _number(v, max_digits) if v else _MISSING
        if r is _MISSING or isinstance(r, float):
            raise ValueError("is not an integer")
        return r
    if tag == _T_FLOAT:
        r = _SPECIAL_FLOATS.get(v, _MISSING)
        if r is _MISSING:
            r = _number(v, max_digits) if v else _MISSING
        if r is _MISSING:
            raise ValueError("is not a number")
        return float(r)
    raise ValueError(f"cannot have the tag {_short_tag(tag)}")


# --------------------------------------------------------------------------- errors


def _mark_pos(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _err_at(code: codes.Code, message: str, filename: str, event, help: str | None = None):
    sm, em = event.start_mark, event.end_mark
    if em is not None and (em.line, em.column) > (sm.line, sm.column):
        return fail(code, message, filename, sm.line + 1, sm.column + 1, em.line + 1,
                    em.column + 1, help=help)
    return fail(code, message, filename, sm.line + 1, sm.column + 1, help=help)


def _tag_error(tag: str, filename: str, event):
    return _err_at(
        codes.VB006,
        f"the yaml tag {_short_tag(tag)} is not allowed",
        filename,
        event,
        help="remove the tag; only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq "
        "and !!timestamp are accepted",
    )


def _complex_key(filename: str, event):
    return _err_at(
        codes.VB001,
        "complex keys are not supported (a mapping key must be a plain value)",
        filename,
        event,
        help="use a string as the key",
    )


def _dup_key(key: str, filename: str, event):
    return _err_at(
        codes.VB005,
        f"duplicate key {key!r} in this mapping",
        filename,
        event,
        help="remove one of the two entries; yaml keys must be unique",
    )


def _merge_error(filename: str, event):
    return _err_at(
        codes.VB001,
        "a merge key '<<' needs a mapping or a list of mappings",
        filename,
        event,
        help="write '<<: *anchor' or '<<: [*a, *b]' where each anchor names a mapping",
    )


def _add_merge(merges: list | None, value: Any, filename: str, event) -> list:
    if isinstance(value, dict):
        items = [value]
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items = value
    else:
        raise _merge_error(filename, event)
    return (merges or []) + items


def _apply_merges(explicit: dict, merges: list) -> dict:
    out = dict(explicit)
    for m in merges:
        for k, v in m.items():
            if k not in out:
                out[k] = v
    return out


def _too_long(filename: str, event, limits: Limits):
    return _err_at(
        codes.VB007,
        f"a number literal is longer than {limits.max_number_digits} characters",
        filename,
        event,
        help="quote it to make it a string, or " + limit_help("max_number_digits"),
    )


# --------------------------------------------------------------------------- builder


def _build(get: Callable[[], Any], ev: Events, filename: str, limits: Limits) -> tuple[Any, Any]:
    """Build the value of the single document of the event stream (event classes ``ev``).
    Returns ``(data, first_event_of_root)``; ``(_MISSING, None)`` when the stream holds no
    document."""
    ScalarEvent, AliasEvent, MappingStartEvent, MappingEndEvent = ev[:4]
    SequenceStartEvent, SequenceEndEvent, DocumentStartEvent, StreamEndEvent = ev[4:8]
    max_depth = limits.max_depth
    max_aliases = limits.max_aliases
    max_alias_nodes = limits.max_alias_nodes
    max_digits = limits.max_number_digits
    anchors: dict[str, tuple] = {}  # name -> (value, node count, key text or None)
    stack: list[tuple] = []
    root: list = []
    cur: Any = root
    is_map = False
    key: Any = _NOKEY
    merges: list | None = None
    nodes = 0
    alias_uses = 0
    alias_nodes = 0
    alias_chars = 0  # text that aliases repeat: one big anchor used 1,000 times is refused too
    chars = 0
    max_alias_chars = limits.max_bytes
    docs = 0
    root_event = None
    numeric_first = _NUMERIC_FIRST
    plain_const = _PLAIN_CONST

    while True:
        e = get()
        t = type(e)
        if t is ScalarEvent:
            nodes += 1
            value = e.value
            chars += len(value)
            tag = e.tag
            if is_map and key is _NOKEY:  # a mapping key: always its text
                if tag is not None and tag not in _SCALAR_TAGS:
                    raise _tag_error(tag, filename, e)
                if value in cur:
                    raise _dup_key(value, filename, e)
                if value == "<<" and tag is None and not e.style:
                    key = _MERGE
                else:
                    key = intern(value)  # 100,000 mappings share one 'to' string, not 100,000 copies
                if e.anchor is not None:
                    anchors[e.anchor] = (value, 1, value, len(value))
                continue
            if tag is None:
                if e.style:  # quoted or block scalar
                    v = value
                elif value and value[0] not in numeric_first and value not in plain_const:
                    v = value
                else:
                    try:
                        v = _resolve_plain(value, max_digits) if value else None
                    except _TooLong:
                        raise _too_long(filename, e, limits) from None
            else:
                if not isinstance(tag, str):  # ruamel Tag object in some versions
                    tag = str(getattr(tag, "value", tag))
                if tag not in _SCALAR_TAGS:
                    if tag in (_T_MAP, _T_SEQ):
                        raise _err_at(codes.VB001, f"the tag {_short_tag(tag)} is on a scalar",
                                      filename, e, help="remove the tag")
                    raise _tag_error(tag, filename, e)
                try:
                    v = _resolve_tagged(tag, value, max_digits)
                except _TooLong:
                    raise _too_long(filename, e, limits) from None
                except ValueError as ex:
                    raise _err_at(
                        codes.VB001,
                        f"the value {value[:40]!r} {ex} (tag {_short_tag(tag)})",
                        filename,
                        e,
                        help="fix the value or remove the tag",
                    ) from None
            if e.anchor is not None:
                anchors[e.anchor] = (v, 1, value, len(value))
            if root_event is None:
                root_event = e
        elif t is MappingStartEvent or t is SequenceStartEvent:
            nodes += 1
            if is_map and key is _NOKEY:
                raise _complex_key(filename, e)
            tag = e.tag
            if tag is not None:
                if not isinstance(tag, str):
                    tag = str(getattr(tag, "value", tag))
                if tag != "!" and tag != (_T_MAP if t is MappingStartEvent else _T_SEQ):
                    if tag in (_T_MAP, _T_SEQ) or tag in _SCALAR_TAGS:
                        raise _err_at(codes.VB001, f"the tag {_short_tag(tag)} does not fit a "
                                      + ("mapping" if t is MappingStartEvent else "sequence"),
                                      filename, e, help="remove the tag")
                    raise _tag_error(tag, filename, e)
            if len(stack) >= max_depth:
                raise _err_at(
                    codes.VB007,
                    f"the data is nested more than {max_depth} levels deep",
                    filename,
                    e,
                    help=limit_help("max_depth"),
                )
            if root_event is None:
                root_event = e
            stack.append((cur, is_map, key, e.anchor, nodes, merges, chars))
            if t is MappingStartEvent:
                cur = {}
                is_map = True
            else:
                cur = []
                is_map = False
            key = _NOKEY
            merges = None
            continue
        elif t is MappingEndEvent or t is SequenceEndEvent:
            v = cur
            if merges:
                v = _apply_merges(cur, merges)
            cur, is_map, key, anchor, n0, merges, c0 = stack.pop()
            if anchor is not None:
                anchors[anchor] = (v, nodes - n0 + 1, None, chars - c0)
        elif t is AliasEvent:
            ent = anchors.get(e.anchor)
            if ent is None:
                raise _err_at(
                    codes.VB001,
                    f"the alias *{e.anchor} refers to no anchor defined before it",
                    filename,
                    e,
                    help=f"define '&{e.anchor}' on a value earlier in the file "
                    "(an anchor cannot be used inside its own value)",
                )
            alias_uses += 1
            if alias_uses > max_aliases:
                raise _err_at(
                    codes.VB007,
                    f"more than {max_aliases} alias uses",
                    filename,
                    e,
                    help=limit_help("max_aliases"),
                )
            alias_nodes += ent[1]
            nodes += ent[1]
            alias_chars += ent[3]
            chars += ent[3]
            if alias_chars > max_alias_chars:
                raise _err_at(
                    codes.VB007,
                    f"expanding aliases produces more than {max_alias_chars} characters of text",
                    filename,
                    e,
                    help=limit_help("max_bytes"),
                )
            if alias_nodes > max_alias_nodes:
                raise _err_at(
                    codes.VB007,
                    f"expanding aliases produces more than {max_alias_nodes} nodes "
                    "(a 'billion laughs' file?)",
                    filename,
                    e,
                    help=limit_help("max_alias_nodes"),
                )
            v = ent[0]
            if is_map and key is _NOKEY:
                if ent[2] is None:
                    raise _complex_key(filename, e)
                if ent[2] in cur:
                    raise _dup_key(ent[2], filename, e)
                key = ent[2]
                continue
            if root_event is None:
                root_event = e
        elif t is DocumentStartEvent:
            docs += 1
            if docs > 1:
                raise _err_at(
                    codes.VB008,
                    "the file holds more than one yaml document",
                    filename,
                    e,
                    help="keep one spec per file: remove the '---' separator and what follows "
                    "or move it to its own file",
                )
            continue
        elif t is StreamEndEvent:
            break
        else:  # StreamStart, DocumentEnd
            continue
        # ---- attach v to the current container
        if is_map:
            if key is _MERGE:
                merges = _add_merge(merges, v, filename, e)
            else:
                cur[key] = v
            key = _NOKEY
        else:
            cur.append(v)
    if not root:
        return _MISSING, None
    return root[0], root_event


def _syntax_error(ex: Exception, text: str, filename: str, reader: bool = False) -> VibespecError:
    """The diagnostic of a parser error (``reader``: a character YAML does not allow)."""
    if reader:
        m = _NON_PRINTABLE.search(text)
        line, col = line_col(text, m.start()) if m else (1, 1)
        ch = f" (U+{ord(m.group()):04X})" if m else ""
        return fail(
            codes.VB002,
            f"the file contains a control character{ch} that yaml does not allow",
            filename,
            line,
            col,
            help="remove the character; the file may be binary or damaged",
        )
    mark = getattr(ex, "problem_mark", None) or getattr(ex, "context_mark", None)
    problem = getattr(ex, "problem", None) or str(ex).split("\n")[0]
    context = getattr(ex, "context", None)
    msg = "yaml syntax error: " + str(problem)
    if context:
        msg += f" ({context})"
    if mark is not None:
        line, col = _mark_pos(mark)
    else:
        line, col = 1, 1
    return fail(codes.VB001, msg.lower() if msg[:1].isupper() else msg, filename, line, col,
                help="fix the yaml syntax at or just before this position")


# YAML's non-printable characters, written as the complement of its printable set
# [^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]: the same class (a
# test compares them over every code point), but compiled in 0.1 ms instead of 5 ms.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


_PURE_FALLBACK_LIMIT = 256 * 1024  # characters: re-check libyaml's syntax errors with ruamel


def _flow_too_deep(text: str, max_depth: int) -> int:
    """Offset of the bracket that nests flow collections deeper than ``max_depth`` (quoted
    text skipped), or -1. Refuses 100,000 nested brackets before any parser sees them."""
    if text.count("[") + text.count("{") <= max_depth:
        return -1
    depth = 0
    quote = ""
    for i, c in enumerate(text):
        if quote:
            if c == quote or c == "\n":
                quote = ""
        elif c in "[{":
            depth += 1
            if depth > max_depth:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
        elif c in "\"'" and (i == 0 or text[i - 1] in " \t[{,:\n"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            quote = "\n"  # a comment runs to the end of the line
    return -1


def _parse(text: str, filename: str, limits: Limits, pure: bool | None, raw: bytes | None = None):
    """``(data, root_event, mode)`` with the ``mode`` :class:`YamlLocator` takes; raises
    VibespecError. ``raw``, when given, is ``text`` as the UTF-8 bytes it was decoded from:
    libyaml reads them in place instead of encoding ``text`` again (a second copy of a 5 MB
    bulk spec while it parses)."""
    deep = _flow_too_deep(text, limits.max_depth)
    if deep >= 0:
        line = text.count("\n", 0, deep) + 1
        col = deep - (text.rfind("\n", 0, deep) + 1) + 1
        raise VibespecError([codes.VB007.diagnostic(f"the data is nested more than {limits.max_depth} levels deep", filename,
                                        line, col, line, col + 1, limit_help("max_depth"))])
    if pure or _CParser is None:
        get, ev = event_source(text, True)
        try:
            data, root = _build(get, ev, filename, limits)
        except (VibespecError, RecursionError, UnicodeError):
            raise
        except ev.error as ex:
            raise _syntax_error(ex, text, filename, isinstance(ex, ev.reader_error)) from None
        return data, root, "pure"
    spaced = Spaced(text)
    attempts = 0
    while True:
        try:
            src = spaced.text if spaced.spaces else text if raw is None else raw
            data, root = _build(_CParser(src).get_event, C_EVENTS, filename, limits)
            return data, root, spaced if spaced.spaces else "c"
        except VibespecError as err:
            raise spaced.remap(err) if spaced.spaces else err from None
        except (RecursionError, UnicodeError):
            raise
        except C_EVENTS.error as ex:
            reader = isinstance(ex, C_EVENTS.reader_error)
            if not reader and (attempts + 1) * len(text) < 8_000_000 and spaced.apply(ex):
                attempts += 1  # a ':' glued to a flow indicator: see _flowcolon
                continue
            if len(text) <= _PURE_FALLBACK_LIMIT and not reader:
                # libyaml implements YAML 1.1: let the YAML 1.2 parser have the last word
                return _parse(text, filename, limits, True)
            err = _syntax_error(ex, spaced.text, filename, reader)
            raise spaced.remap(err) if spaced.spaces else err from None


def load_yaml(
    text: str,
    filename: str = "<input>",
    limits: Limits | None = None,
    require_mapping: bool = True,
    pure: bool | None = None,
    raw: bytes | None = None,
) -> Document:
    """Parse YAML text (already decoded; ``raw``: the UTF-8 bytes it came from, if at hand)
    into a :class:`Document`."""
    limits = limits or Limits()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            data, root_event, mode = _parse(text, filename, limits, pure, raw)
        except VibespecError:
            raise
        except RecursionError:
            raise fail(codes.VB007, "the data is nested too deeply to parse", filename,
                       help=limit_help("max_depth")) from None
        except UnicodeError:
            raise fail(codes.VB002, "the text cannot be encoded as utf-8", filename) from None
        except Exception as ex:  # anything unexpected from the parser
            raise _syntax_error(ex, text, filename) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    if data is _MISSING or (
        data is None and root_event is not None and root_event.value == "" and not root_event.style
    ):
        raise empty_error(filename)
    if require_mapping and not isinstance(data, dict):
        sm = root_event.start_mark
        col = mode.col(sm.line, sm.column) if isinstance(mode, Spaced) else sm.column
        raise root_error(filename, kind_of(data), sm.line + 1, col + 1)
    return Document(filename=filename, text=text, format="yaml", data=data,
                    locator=YamlLocator(text, mode=mode))


# --------------------------------------------------------------------------- locator

_FULL_INDEX_LIMIT = 1_000_000  # characters; above this, index only what is asked for


class YamlLocator:
    """Maps paths to spans by re-parsing the text with events, on first use.

    Small texts are indexed completely once. In large ones the first request is searched
    for the requested paths only (:meth:`locate_many` batches several paths into one pass:
    one finding in a big bulk spec stays cheap), and the second request builds the full
    index, so a text is parsed at most twice however many findings it has (one pass per
    finding was quadratic)."""

    def __init__(self, text: str, mode: Any = "c") -> None:
        """``mode``: how the loader read the text: "c" (libyaml), "pure" (ruamel's parser) or
        the :class:`Spaced` copy libyaml read (spans are mapped back to ``text``)."""
        self.text = text
        self._spaced = mode if isinstance(mode, Spaced) else None
        self._pure = mode == "pure" or _CParser is None
        self._values: dict[tuple, Span] | None = None
        self._keys: dict[tuple, Span] | None = None
        self._full = len(text) <= _FULL_INDEX_LIMIT
        self._searched: set[tuple] = set()
        self._lines: list[str] | None = None
        self.scans = 0  # passes over the text so far (tests count them)

    # public ------------------------------------------------------------------------
    def locate(self, path: tuple, key: bool = False) -> Span | None:
        path = tuple(path)
        self._ensure([path])
        return self._lookup(path, key)

    def locate_many(self, paths: Iterable[tuple], key: bool = False) -> list[Span | None]:
        paths = [tuple(p) for p in paths]
        wanted = set()
        for p in paths:  # Document.locate falls back to prefixes: fetch them in the same pass
            for n in range(len(p) + 1):
                wanted.add(p[:n])
        self._ensure(wanted)
        return [self._lookup(p, key) for p in paths]

    # internals ---------------------------------------------------------------------
    def _lookup(self, path: tuple, key: bool) -> Span | None:
        assert self._values is not None and self._keys is not None
        if key and path and not isinstance(path[-1], int):
            span = self._keys.get(path)
        else:
            span = self._values.get(path)
        if span is not None and self._spaced is not None:
            span = self._spaced.span(span)
        return span

    def _ensure(self, paths: Iterable[tuple]) -> None:
        if self._values is None:
            self._values, self._keys = {}, {}
            if self._full:
                self._walk(None)
                return
        if self._full:
            return
        wanted = set()
        for p in paths:
            for n in range(len(p) + 1):
                if p[:n] not in self._searched:
                    wanted.add(p[:n])
        if wanted:
            if self.scans:  # a second batch of new paths: index everything, once
                self._full = True
                self._searched = set()
                self._walk(None)
            else:
                self._walk(wanted)
                self._searched |= wanted

    def _end_span(self, sm, em) -> Span:
        # a block scalar ends at column 0 of the next line: end it at the previous line's end
        if em.column == 0 and em.line > sm.line:
            if self._lines is None:
                src = self._spaced.text if self._spaced is not None else self.text
                self._lines = src.split("\n")
            prev = self._lines[em.line - 1] if em.line - 1 < len(self._lines) else ""
            return Span(sm.line + 1, sm.column + 1, em.line, len(prev.rstrip("\r")) + 1)
        return Span(sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)

    def _walk(self, wanted: set | None) -> None:
        self.scans += 1
        values, keys = self._values, self._keys
        assert values is not None and keys is not None
        prefixes = None
        if wanted is not None:
            prefixes = set()
            for p in wanted:
                for n in range(len(p)):
                    prefixes.add(p[:n])
            remaining = set(wanted) - set(values)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            src = self._spaced.text if self._spaced is not None else self.text
            get, ev = event_source(src, self._pure)
            ScalarEvent, AliasEvent, MappingStartEvent, MappingEndEvent = ev[:4]
            SequenceStartEvent, SequenceEndEvent, StreamEndEvent = ev[4], ev[5], ev[7]
            key_text: dict[str, str] = {}
            # frame: [is_map, path, next index, pending key or _NOKEY, start mark, record?]
            frames: list[list] = []
            last_end = None
            skip = 0  # depth inside a subtree that holds nothing wanted
            skip_start = None
            while True:
                try:
                    e = get()
                except Exception:
                    break
                t = type(e)
                if t is StreamEndEvent:
                    break
                if skip:
                    if t is MappingStartEvent or t is SequenceStartEvent:
                        skip += 1
                    elif t is MappingEndEvent or t is SequenceEndEvent:
                        skip -= 1
                        if e.end_mark.index != e.start_mark.index:
                            last_end = e.end_mark
                        if skip == 0:
                            path, sm = skip_start
                            if path in wanted:  # type: ignore[operator]
                                em = e.end_mark if e.end_mark.index != e.start_mark.index else last_end
                                values[path] = self._end_span(sm, em)
                                remaining.discard(path)
                            self._after_node(frames)
                    elif t is ScalarEvent or t is AliasEvent:
                        last_end = e.end_mark
                    continue
                if t is ScalarEvent or t is AliasEvent or t is MappingStartEvent or t is SequenceStartEvent:
                    # position of this node
                    if frames:
                        fr = frames[-1]
                        if fr[0]:
                            if fr[3] is _NOKEY:  # this node is a key
                                if t is ScalarEvent:
                                    k = e.value
                                    if e.anchor is not None:
                                        key_text[e.anchor] = k
                                elif t is AliasEvent:
                                    k = key_text.get(e.anchor, e.anchor)
                                else:
                                    break  # complex key: the loader refused this text
                                fr[3] = k
                                kp = fr[1] + (k,)
                                if wanted is None or kp in wanted:
                                    keys[kp] = Span(e.start_mark.line + 1, e.start_mark.column + 1,
                                                    e.end_mark.line + 1, e.end_mark.column + 1)
                                last_end = e.end_mark
                                continue
                            path = fr[1] + (fr[3],)
                        else:
                            path = fr[1] + (fr[2],)
                    else:
                        path = ()
                    if t is ScalarEvent or t is AliasEvent:
                        if t is ScalarEvent and e.anchor is not None:
                            key_text[e.anchor] = e.value
                        last_end = e.end_mark
                        if wanted is None or path in wanted:
                            values[path] = self._end_span(e.start_mark, e.end_mark)
                            if wanted is not None:
                                remaining.discard(path)
                                if not remaining:
                                    break
                        self._after_node(frames)
                    else:
                        if wanted is not None and path not in prefixes:  # type: ignore[operator]
                            skip = 1
                            skip_start = (path, e.start_mark)
                            continue
                        frames.append([t is MappingStartEvent, path, 0, _NOKEY, e.start_mark])
                elif t is MappingEndEvent or t is SequenceEndEvent:
                    fr = frames.pop()
                    path = fr[1]
                    em = e.end_mark if e.end_mark.index != e.start_mark.index else last_end
                    if em is not None and e.end_mark.index != e.start_mark.index:
                        last_end = e.end_mark
                    if wanted is None or path in wanted:
                        values[path] = self._end_span(fr[4], em or fr[4])
                        if wanted is not None:
                            remaining.discard(path)
                            if not remaining:
                                break
                    self._after_node(frames)
        finally:
            if gc_was_enabled:
                gc.enable()

    @staticmethod
    def _after_node(frames: list) -> None:
        if frames:
            fr = frames[-1]
            if fr[0]:
                fr[3] = _NOKEY
            else:
                fr[2] += 1
