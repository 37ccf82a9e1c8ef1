"""TOML loader: ``tomllib`` for the data, and a small scanner of our own that maps paths to
spans (tables, arrays of tables, dotted and quoted keys, inline tables, arrays, all four
string kinds). The scanner only needs to be right for texts tomllib accepted."""

from __future__ import annotations

import re
import tomllib
from .. import codes
from ..diagnostics import Span, VibespecError
from ..words import kind_of
from ._text import (
    LineIndex,
    check_depth,
    empty_error,
    fail,
    is_blank,
    limit_help,
)
from .nodes import Document, Limits

__all__ = ["load_toml", "TomlLocator"]

_AT = re.compile(r"\(at line (\d+), column (\d+)\)\s*$")
_DUP_WORDS = ("twice", "overwrite", "duplicate", "redefine", "mutate immutable")


def _check_key_depth(text: str, filename: str, limits: Limits) -> None:
    """Refuse dotted keys and table headers nested deeper than ``max_depth`` before tomllib
    (which takes seconds on a 20,000-part key)."""
    if text.count(".") <= limits.max_depth:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        if line.count(".") <= limits.max_depth:
            continue
        stripped = line.lstrip()
        if stripped.startswith("["):
            key = stripped.split("]", 1)[0]
        elif "=" in stripped:
            key = stripped.split("=", 1)[0]
        else:
            continue
        if key.count(".") + 1 > limits.max_depth:
            col = len(line) - len(stripped) + 1
            raise fail(codes.VB007, f"a key nested more than {limits.max_depth} levels deep", filename, n, col,
                       help=limit_help("max_depth"))


def load_toml(
    text: str,
    filename: str = "<input>",
    limits: Limits | None = None,
    require_mapping: bool = True,
) -> Document:
    limits = limits or Limits()
    if is_blank(text):
        raise empty_error(filename)
    if _LONG_DIGITS.search(text) and re.search(
        r"[0-9_.eE+-]{%d,}" % (limits.max_number_digits + 1), text
    ):
        _check_numbers(text, filename, limits)
    _check_key_depth(text, filename, limits)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = _AT.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else _end_pos(text)
        what = _AT.sub("", msg).replace("(at end of document)", "").strip()
        low = what.lower()
        if any(w in low for w in _DUP_WORDS):
            if "inline" not in low:  # point at the statement, not at its end
                lines = text.split("\n")
                if 1 <= line <= len(lines):
                    src_line = lines[line - 1]
                    col = len(src_line) - len(src_line.lstrip(" \t")) + 1
            raise fail(codes.VB005, "duplicate key or table: " + low, filename, line, col,
                       help="define each key and table once") from None
        bare = _unquoted_shorthand(text, line, col)
        if bare is not None:
            token, start, end, why = bare
            raise fail(codes.VB001, f'toml syntax error: {token} is not a TOML value; quote it: "{token}"',
                       filename, line, start, line, end,
                       help=f'quote it: "{token}" ({why})') from None
        raise fail(codes.VB001, "toml syntax error: " + low, filename, line, col,
                   help="fix the toml syntax at or just before this position") from None
    except RecursionError:
        raise _deep_error(text, filename, limits) from None
    except ValueError as e:  # e.g. int() digit limits
        raise fail(codes.VB007, f"a value cannot be read: {str(e).lower()}", filename,
                   help=limit_help("max_number_digits")) from None
    deep = check_depth(data, limits.max_depth)
    if deep is not None:
        loc = TomlLocator(text)
        span = Document(filename, text, "toml", data, loc).locate(deep)
        raise fail(codes.VB007, f"the data is nested more than {limits.max_depth} levels deep",
                   filename, span.line, span.column, help=limit_help("max_depth"))
    if require_mapping and not isinstance(data, dict):  # pragma: no cover - tomllib gives dicts
        raise fail(codes.VB004, f"the top level is {kind_of(data)}, not a table", filename)
    return Document(filename=filename, text=text, format="toml", data=data,
                    locator=TomlLocator(text))


_BARE_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{1,2})?(?:\.\d+)?")
_BARE_SHORTHAND = re.compile(r"\d[\w./%]*[a-zA-Z/%][\w./%]*")
_VALUE_END = " \t,]}#\r"


def _unquoted_shorthand(text: str, line: int, col: int) -> tuple[str, int, int, str] | None:
    """The two mistakes the docs warn about, behind a TOML syntax error: an unquoted time of
    day without seconds (``from = 08:00``) and an unquoted duration, size or speed
    (``validity = 24h``). Returns (token, start column, end column, why) or None."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    src = lines[line - 1]
    i = min(max(col - 1, 0), len(src))
    start = i
    while start > 0 and src[start - 1] not in " \t=,[{":
        start -= 1
    end = i
    while end < len(src) and src[end] not in _VALUE_END:
        end += 1
    token = src[start:end]
    before = src[:start].rstrip(" \t")
    if not token or not before or before[-1] not in "=,[":
        return None
    if _BARE_TIME.fullmatch(token):
        why = "TOML has no time of day without seconds; write a string, or 08:00:00"
        if token.count(":") == 2:
            why = "a TOML local time needs a two-digit hour; write a string"
        return token, start + 1, end + 1, why.replace("08:00", token)
    if _BARE_SHORTHAND.fullmatch(token):
        return token, start + 1, end + 1, "durations, sizes and speed limits are strings in TOML"
    return None


def _end_pos(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


_LONG_DIGITS = re.compile(r"[0-9]{8}")


def _check_numbers(text: str, filename: str, limits: Limits) -> None:
    """VB007 for a number literal (not a string) longer than ``max_number_digits``."""
    n = limits.max_number_digits
    try:
        scanner = _Scanner(text, record=False)
        for s, e in scanner.bare_values():
            tok = text[s:e]
            if len(tok) > n and tok[:1] in "0123456789+-" and not re.match(
                r"\d{4}-\d{2}-\d{2}", tok
            ):
                line, col = scanner.lines.pos(s)
                l2, c2 = scanner.lines.pos(e)
                raise fail(codes.VB007, f"a number literal is longer than {n} characters",
                           filename, line, col, l2, c2,
                           help="write it as a string, or " + limit_help("max_number_digits"))
    except VibespecError:
        raise
    except Exception:  # the scanner gave up: tomllib will report the syntax
        return


_TOKEN_RE = re.compile(r"""'''|\"\"\"|"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|#[^\n]*|[\[\]{}]""")


def _deep_error(text: str, filename: str, limits: Limits) -> VibespecError:
    """VB007 at the first bracket past ``max_depth``; when the text stays within the limit
    (tomllib ran out of recursion first), the depth it has, at its deepest bracket."""
    depth = 0
    pos = 0
    off = 0
    deepest = (0, 0)
    over = False
    while True:
        m = _TOKEN_RE.search(text, pos)
        if m is None:
            break
        tok = m.group()
        pos = m.end()
        if tok in ("'''", '"""'):
            end = text.find(tok, pos)
            pos = len(text) if end == -1 else end + 3
        elif tok in "[{":
            depth += 1
            if depth > deepest[0]:
                deepest = (depth, m.start())
            if depth + 1 > limits.max_depth:  # + 1: the document's own table
                off = m.start()
                over = True
                break
        elif tok in "]}":
            depth -= 1
    if not over:
        line, col = LineIndex(text).pos(deepest[1])
        return fail(codes.VB007, f"the data is nested {deepest[0] + 1} levels deep, deeper than the TOML parser can "
                    f"read (the max_depth of {limits.max_depth} is not reached)", filename, line, col,
                    help="nest the data less deeply")
    line, col = LineIndex(text).pos(off)
    return fail(codes.VB007, f"the data is nested more than {limits.max_depth} levels deep",
                filename, line, col, help=limit_help("max_depth"))


# --------------------------------------------------------------------------- scanner

_WS = re.compile(r"[ \t]*")
_WS_NL = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:"{0,2})', re.S)
_ML_LITERAL_END = re.compile(r"(?:[^']|'(?!''))*'''(?:'{0,2})", re.S)
_BARE_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}[^\s,\]}#]*|[^\s,\]}#=\[{]+"
)


class _ScanError(Exception):
    pass


class _Scanner:
    def __init__(self, text: str, record: bool = True) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.record = record
        self.values: dict[tuple, Span] = {}
        self.keys: dict[tuple, Span] = {}
        self._bare: list[tuple[int, int]] = []

    # helpers ---------------------------------------------------------------------
    def span(self, s: int, e: int) -> Span:
        (l1, c1), (l2, c2) = self.lines.pos(s), self.lines.pos(e)
        return Span(l1, c1, l2, c2)

    def ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def ws_nl(self, pos: int) -> int:
        return _WS_NL.match(self.text, pos).end()

    def key(self, pos: int) -> tuple[list[tuple[str, int, int]], int]:
        """A dotted key: list of (name, start, end) and the position after it."""
        text = self.text
        parts = []
        while True:
            pos = self.ws(pos)
            c = text[pos : pos + 1]
            if c == '"':
                m = _BASIC.match(text, pos)
                if not m:
                    raise _ScanError(pos)
                name = tomllib.loads("k = " + m.group())["k"]
            elif c == "'":
                m = _LITERAL.match(text, pos)
                if not m:
                    raise _ScanError(pos)
                name = m.group()[1:-1]
            else:
                m = _BARE_KEY.match(text, pos)
                if not m:
                    raise _ScanError(pos)
                name = m.group()
            parts.append((name, m.start(), m.end()))
            pos = self.ws(m.end())
            if text[pos : pos + 1] == ".":
                pos += 1
                continue
            return parts, pos

    def put_key(self, path: tuple, s: int, e: int) -> None:
        if self.record and path not in self.keys:
            self.keys[path] = self.span(s, e)

    def put_value(self, path: tuple, s: int, e: int, force: bool = True) -> None:
        if self.record and (force or path not in self.values):
            self.values[path] = self.span(s, e)

    # values ------------------------------------------------------------------------
    def value(self, pos: int, path: tuple) -> int:
        text = self.text
        c = text[pos : pos + 1]
        if text.startswith('"""', pos):
            m = _ML_BASIC_END.match(text, pos + 3)
            if not m:
                raise _ScanError(pos)
            end = m.end()
        elif text.startswith("'''", pos):
            m = _ML_LITERAL_END.match(text, pos + 3)
            if not m:
                raise _ScanError(pos)
            end = m.end()
        elif c == '"':
            m = _BASIC.match(text, pos)
            if not m:
                raise _ScanError(pos)
            end = m.end()
        elif c == "'":
            m = _LITERAL.match(text, pos)
            if not m:
                raise _ScanError(pos)
            end = m.end()
        elif c == "[":
            end = self.array(pos, path)
        elif c == "{":
            end = self.inline_table(pos, path)
        else:
            m = _BARE_VALUE.match(text, pos)
            if not m:
                raise _ScanError(pos)
            end = m.end()
            self._bare.append((pos, end))
        self.put_value(path, pos, end)
        return end

    def array(self, pos: int, path: tuple) -> int:
        text = self.text
        pos += 1
        i = 0
        while True:
            pos = self.ws_nl(pos)
            c = text[pos : pos + 1]
            if c == "]":
                return pos + 1
            if not c:
                raise _ScanError(pos)
            pos = self.value(pos, path + (i,))
            i += 1
            pos = self.ws_nl(pos)
            c = text[pos : pos + 1]
            if c == ",":
                pos += 1
            elif c != "]":
                raise _ScanError(pos)

    def inline_table(self, pos: int, path: tuple) -> int:
        text = self.text
        pos += 1
        while True:
            pos = self.ws(pos)
            c = text[pos : pos + 1]
            if c == "}":
                return pos + 1
            parts, pos = self.key(pos)
            full = self.assign_keys(path, parts)
            if text[pos : pos + 1] != "=":
                raise _ScanError(pos)
            pos = self.ws(pos + 1)
            pos = self.value(pos, full)
            pos = self.ws(pos)
            c = text[pos : pos + 1]
            if c == ",":
                pos += 1
            elif c != "}":
                raise _ScanError(pos)

    def assign_keys(self, base: tuple, parts: list) -> tuple:
        path = base
        for name, s, e in parts:
            path = path + (name,)
            self.put_key(path, s, e)
            self.put_value(path, s, e, force=False)  # an implicit table: its first key
        return path

    # document ----------------------------------------------------------------------
    def run(self) -> None:
        text = self.text
        n = len(text)
        pos = 0
        table: tuple = ()
        aot: dict[tuple, int] = {}
        self.put_value((), 0, n)
        while True:
            pos = self.ws_nl(pos)
            if pos >= n:
                return
            if text[pos] == "[":
                start = pos
                double = text.startswith("[[", pos)
                parts, pos = self.key(pos + (2 if double else 1))
                close = "]]" if double else "]"
                if not text.startswith(close, pos):
                    raise _ScanError(pos)
                pos += len(close)
                concrete: tuple = ()
                for j, (name, s, e) in enumerate(parts):
                    concrete = concrete + (name,)
                    last = j == len(parts) - 1
                    if last and double:
                        idx = aot.get(concrete, 0)
                        aot[concrete] = idx + 1
                        self.put_key(concrete, s, e)
                        self.put_value(concrete, start, pos, force=False)
                        concrete = concrete + (idx,)
                        self.put_value(concrete, start, pos)
                    else:
                        self.put_key(concrete, s, e)
                        if last:
                            self.put_value(concrete, start, pos)
                        elif concrete in aot:
                            concrete = concrete + (aot[concrete] - 1,)
                table = concrete
                continue
            parts, pos = self.key(pos)
            full = self.assign_keys(table, parts)
            if text[pos : pos + 1] != "=":
                raise _ScanError(pos)
            pos = self.ws(pos + 1)
            pos = self.value(pos, full)

    def bare_values(self):
        try:
            self.run()
        except (_ScanError, IndexError, RecursionError):
            pass
        return list(self._bare)


class TomlLocator:
    """Paths to spans for a TOML text; the whole text is scanned once, on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scanner: _Scanner | None = None

    def _ensure(self) -> _Scanner:
        if self._scanner is None:
            sc = _Scanner(self.text)
            try:
                sc.run()
            except (_ScanError, IndexError, RecursionError, tomllib.TOMLDecodeError):
                pass  # keep what was found before the scanner gave up
            self._scanner = sc
        return self._scanner

    def locate(self, path: tuple, key: bool = False) -> Span | None:
        sc = self._ensure()
        path = tuple(path)
        if key and path and not isinstance(path[-1], int):
            return sc.keys.get(path)
        return sc.values.get(path)

    def locate_many(self, paths, key: bool = False) -> list[Span | None]:
        return [self.locate(p, key) for p in paths]

