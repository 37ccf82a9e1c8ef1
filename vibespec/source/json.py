"""JSON loader: ``json.loads`` with duplicate-key, constant, number-length and depth checks,
plus a small regex tokenizer that maps paths to spans lazily."""

from __future__ import annotations

import json as _json
import re
from typing import Any, Iterable

from .. import codes
from ..diagnostics import Span, VibespecError
from ..words import kind_of
from ._text import LineIndex, check_depth, empty_error, fail, limit_help, root_error
from .nodes import Document, Limits

__all__ = ["load_json", "JsonLocator"]


class _Dup(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _BadConstant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _LongNumber(Exception):
    pass


def _pairs_hook(pairs: list) -> dict:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise _Dup(k)
            seen.add(k)
    return d


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


# --------------------------------------------------------------------------- tokenizer

_TOKEN = re.compile(
    r'[ \t\r\n]*(?:(?P<s>"(?:[^"\\\n]|\\.)*")|(?P<p>[\[\]{}:,])|'
    r"(?P<n>-?[0-9][0-9.eE+\-]*|-?(?:Infinity|NaN)|Infinity|NaN)|(?P<w>true|false|null))"
)


def _tokens(text: str, pos: int = 0):
    """(kind, start, end, text) tokens: kind is 's', 'p', 'n' or 'w'. Stops at the end or at
    the first character it does not understand."""
    match = _TOKEN.match
    n = len(text)
    while pos < n:
        m = match(text, pos)
        if m is None or m.end() == pos:
            return
        kind = m.lastgroup
        if kind is None:  # only whitespace left
            return
        yield kind, m.start(kind), m.end(), m.group(kind)
        pos = m.end()


def _walk(text: str, want_dup: bool = False):
    """Yield ``(event, path, start, end)``: event is 'key' (a member name), 'value' (a scalar
    or a finished container, with its full span), 'dup' (a repeated member name)."""
    stack: list[list] = []  # [is_obj, path, index/key, start, keys seen]
    expect_key = False
    pending_key: Any = None
    for kind, s, e, tok in _tokens(text):
        if kind == "p":
            if tok in "[{":
                path = _child_path(stack, pending_key)
                stack.append([tok == "{", path, 0, s, set() if want_dup else None])
                expect_key = tok == "{"
                continue
            if tok in "]}":
                if not stack:
                    return
                fr = stack.pop()
                yield "value", fr[1], fr[3], e
                _advance(stack)
                expect_key = False
                continue
            if tok == ",":
                if stack and stack[-1][0]:
                    expect_key = True
                continue
            continue  # ':'
        if stack and stack[-1][0] and expect_key and kind == "s":
            try:
                key = _json.loads(tok)
            except ValueError:
                key = tok[1:-1]
            fr = stack[-1]
            fr[2] = key
            if want_dup:
                if key in fr[4]:
                    yield "dup", fr[1] + (key,), s, e
                fr[4].add(key)
            yield "key", fr[1] + (key,), s, e
            expect_key = False
            continue
        yield "value", _child_path(stack, None), s, e
        _advance(stack)


def _child_path(stack: list, _unused: Any) -> tuple:
    if not stack:
        return ()
    fr = stack[-1]
    return fr[1] + (fr[2],)


def _advance(stack: list) -> None:
    if stack and not stack[-1][0]:
        stack[-1][2] += 1


def _deepest(text: str) -> tuple[int, int]:
    """(the deepest nesting of brackets, the offset of the bracket that reaches it)."""
    depth, best = 0, (0, 0)
    for kind, s, _e, tok in _tokens(text):
        if kind == "p":
            if tok in "[{":
                depth += 1
                if depth > best[0]:
                    best = (depth, s)
            elif tok in "]}":
                depth -= 1
    return best


def _first_deep(text: str, max_depth: int) -> int | None:
    """Offset of the first bracket opening a container deeper than ``max_depth``."""
    depth = 0
    for kind, s, _e, tok in _tokens(text):
        if kind == "p":
            if tok in "[{":
                depth += 1
                if depth > max_depth:
                    return s
            elif tok in "]}":
                depth -= 1
    return None


# --------------------------------------------------------------------------- loading


def load_json(
    text: str,
    filename: str = "<input>",
    limits: Limits | None = None,
    require_mapping: bool = True,
) -> Document:
    limits = limits or Limits()
    max_digits = limits.max_number_digits

    def parse_int(s: str) -> int:
        if len(s) > max_digits:
            raise _LongNumber
        return int(s)

    def parse_float(s: str) -> float:
        if len(s) > max_digits:
            raise _LongNumber
        return float(s)

    if not text.strip():
        raise empty_error(filename)
    lines = None
    try:
        data = _json.loads(
            text,
            object_pairs_hook=_pairs_hook,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=_reject_constant,
        )
    except _json.JSONDecodeError as e:
        raise fail(codes.VB001, "json syntax error: " + e.msg.lower(), filename, e.lineno, e.colno,
                   help="fix the json syntax at or just before this position") from None
    except _Dup as d:
        lines = LineIndex(text)
        for ev, path, s, e in _walk(text, want_dup=True):
            if ev == "dup" and path[-1] == d.key:
                (l1, c1), (l2, c2) = lines.pos(s), lines.pos(e)
                raise fail(codes.VB005, f"duplicate key {d.key!r} in this object", filename, l1, c1,
                           l2, c2, help="remove one of the two members; keys must be unique"
                           ) from None
        raise fail(codes.VB005, f"duplicate key {d.key!r} in an object", filename) from None
    except _BadConstant as c:
        raise _at_token(text, filename, lambda k, t: k == "n" and t.lstrip("-") in ("NaN", "Infinity"),
                        codes.VB001, f"the literal {c.name} is not valid json (only finite numbers are)",
                        "write a finite number, or a string") from None
    except _LongNumber:
        raise _at_token(text, filename, lambda k, t: k == "n" and len(t) > max_digits, codes.VB007,
                        f"a number literal is longer than {max_digits} characters",
                        "write it as a string, or " + limit_help("max_number_digits")) from None
    except RecursionError:
        raise _deep_error(text, filename, limits) from None
    except ValueError as e:  # e.g. int() digit limits
        raise fail(codes.VB007, f"a value cannot be read: {str(e).lower()}", filename,
                   help=limit_help("max_number_digits")) from None
    if isinstance(data, (dict, list)) and (text.count("[") + text.count("{") > limits.max_depth):
        if check_depth(data, limits.max_depth) is not None:
            raise _deep_error(text, filename, limits)
    if require_mapping and not isinstance(data, dict):
        lines = LineIndex(text)
        off = len(text) - len(text.lstrip(" \t\r\n"))
        raise root_error(filename, kind_of(data), *lines.pos(off))
    return Document(filename=filename, text=text, format="json", data=data,
                    locator=JsonLocator(text))


def _at_token(text, filename, pred, code, message, help) -> VibespecError:
    for kind, s, e, tok in _tokens(text):
        if pred(kind, tok):
            lines = LineIndex(text)
            (l1, c1), (l2, c2) = lines.pos(s), lines.pos(e)
            return fail(code, message, filename, l1, c1, l2, c2, help=help)
    return fail(code, message, filename, help=help)


def _deep_error(text: str, filename: str, limits: Limits) -> VibespecError:
    off = _first_deep(text, limits.max_depth)
    if off is None:  # within max_depth, but deeper than Python's JSON parser can follow
        depth, at = _deepest(text)
        line, col = LineIndex(text).pos(at)
        return fail(codes.VB007, f"the data is nested {depth} levels deep, deeper than the JSON parser can read "
                    f"(the max_depth of {limits.max_depth} is not reached)", filename, line, col,
                    help="nest the data less deeply")
    line, col = LineIndex(text).pos(off)
    return fail(codes.VB007, f"the data is nested more than {limits.max_depth} levels deep",
                filename, line, col, help=limit_help("max_depth"))


# --------------------------------------------------------------------------- locator

_FULL_INDEX_LIMIT = 1_000_000
_SHIFT, _MASK = 40, (1 << 40) - 1  # the index holds (start << 40 | end) offsets, not spans


class JsonLocator:
    """Paths to spans for a JSON text, computed on first use: all paths for small texts; for
    large texts the first request scans for the requested paths only (one finding in a big
    body stays cheap), and the second builds the full index, so a document is scanned at
    most twice however many findings it has (one scan per finding was quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._values: dict[tuple, int] | None = None
        self._keys: dict[tuple, int] = {}
        self._full = len(text) <= _FULL_INDEX_LIMIT
        self._searched: set[tuple] = set()
        self._lines: LineIndex | None = None
        self.scans = 0  # passes over the text so far (tests count them)

    def locate(self, path: tuple, key: bool = False) -> Span | None:
        return self.locate_many([path], key)[0]

    def locate_many(self, paths: Iterable[tuple], key: bool = False) -> list[Span | None]:
        paths = [tuple(p) for p in paths]
        if self._values is None:
            self._values = {}
            self._lines = LineIndex(self.text)
            if self._full:
                self._scan(None)
        if not self._full:
            targets = {(p, key and bool(p) and not isinstance(p[-1], int)) for p in paths}
            wanted = {p[:n] for p in paths for n in range(len(p) + 1)} - self._searched
            if wanted and any((self._keys if k else self._values).get(p) is None for p, k in targets):
                if self.scans:  # a second batch of new paths: index everything, once
                    self._full = True
                    self._searched = set()
                    self._scan(None)
                else:
                    if self._scan(wanted, targets):
                        self._searched |= wanted
        out = []
        for p in paths:
            if key and p and not isinstance(p[-1], int):
                v = self._keys.get(p)
            else:
                v = self._values.get(p)
            out.append(None if v is None else self._span(v >> _SHIFT, v & _MASK))
        return out

    def _span(self, s: int, e: int) -> Span:
        assert self._lines is not None
        (l1, c1), (l2, c2) = self._lines.pos(s), self._lines.pos(e)
        return Span(l1, c1, l2, c2)

    def _scan(self, wanted: set | None, targets: set | None = None) -> bool:
        """Index ``wanted`` paths (None: all). With ``targets`` (``(path, key)`` pairs), stop
        as soon as each has its span (key span when ``key``); False when it stopped early."""
        self.scans += 1
        values, keys = self._values, self._keys
        assert values is not None
        todo = None if targets is None else {t for t in targets if (keys if t[1] else values).get(t[0]) is None}
        if todo is not None and not todo:
            return False
        for ev, path, s, e in _walk(self.text):
            if wanted is not None and path not in wanted:
                continue
            if ev == "key":
                keys.setdefault(path, s << _SHIFT | e)
                if todo is not None:
                    todo.discard((path, True))
            elif ev == "value":
                values[path] = s << _SHIFT | e
                if todo is not None:
                    todo.discard((path, False))
            else:
                continue
            if todo is not None and not todo:
                return False
        return True
