"""Spec data -> YAML or TOML text that reads like DSL.md and loads back to the same data.

Own small emitters (no dependency): block style with 2-space indents, flow ``{...}`` /
``[...]`` (YAML) or inline tables / arrays (TOML) for values that fit on one short line,
literal blocks (YAML ``|``) or multi-line strings (TOML ``\"\"\"``) for texts with line
breaks. A YAML string is left plain only when every YAML reader (1.2 core, 1.1 as PyYAML,
libyaml in flow context) reads it back as the same string; otherwise it is double-quoted
with JSON-style escapes, so any Unicode or control text survives."""

from __future__ import annotations

import re
from typing import Any

SCHEMA_URL = "https://raw.githubusercontent.com/vibespec/vibespec/main/schemas/vibespec.schema.json"
YAML_HEADER = f"# yaml-language-server: $schema={SCHEMA_URL}"
TOML_HEADER = f"#:schema {SCHEMA_URL}"
WIDTH = 88
MAX_FLOW_DEPTH = 2  # a flow mapping may hold one level of flow mappings/lists

__all__ = ["to_yaml", "to_toml", "SCHEMA_URL"]


# --------------------------------------------------------------------------- characters


def _check_text(s: str) -> None:
    for ch in s:
        if "\ud800" <= ch <= "\udfff":
            raise ValueError(f"text {s[:40]!r} holds a lone surrogate (U+{ord(ch):04X}), which no UTF-8 file can")


def _yaml_printable(ch: str) -> bool:
    """Characters that may appear raw in a YAML plain/literal scalar (and are not line
    breaks to a YAML 1.1 reader)."""
    o = ord(ch)
    if 0x20 <= o <= 0x7E:
        return True
    if o < 0xA0:
        return False  # C0, DEL, C1 (incl. NEL U+0085)
    if o in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF) or 0xD800 <= o <= 0xDFFF:
        return False
    return True


_SHORT_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def _dq(s: str) -> str:
    """A double-quoted YAML scalar with JSON-style escapes."""
    _check_text(s)
    out = ['"']
    for ch in s:
        e = _SHORT_ESC.get(ch)
        if e is not None:
            out.append(e)
        elif _yaml_printable(ch):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------- YAML scalars

# Every implicit type a YAML reader might give a plain scalar: 1.2 core, 1.1 (PyYAML's
# resolvers: sexagesimal numbers, 0b/0o/0x, underscores, yes/no/on/off, timestamps, merge
# and value keys), plus anything that merely looks like a number or a time of day.
_RESOLVES = re.compile(
    r"""^(?:
      ~ | null | Null | NULL
    | (?i:y|n|yes|no|true|false|on|off)
    | [-+]?[0-9][0-9a-fA-FxXoObB_.:+-]*          # numbers of every base, sexagesimal, times, 1e5
    | [-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?    # .5
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*            # dates and timestamps
    | <<  | =
    )\Z""",
    re.X,
)
_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_BAD = set(",[]{}:#?")


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s != s.strip() or s[0] in _PLAIN_BAD_START:
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in _FLOW_BAD for c in s):
        return False
    if not all(_yaml_printable(c) for c in s):
        return False
    return not _RESOLVES.match(s)


def _yaml_str(s: str, flow: bool) -> str:
    _check_text(s)
    return s if _plain_ok(s, flow) else _dq(s)


def _float(f: float) -> str:
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError("a spec cannot hold NaN or Infinity")
    r = repr(f)
    if "e" in r:
        mant, exp = r.split("e")
        if "." not in mant:
            mant += ".0"
        if exp[0] not in "+-":
            exp = "+" + exp
        r = f"{mant}e{exp}"
    return r


def _yaml_scalar(v: Any, flow: bool) -> str | None:
    if isinstance(v, str):
        return _yaml_str(v, flow)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, (dict, list)):
        return None
    raise ValueError(f"a spec cannot hold a {type(v).__name__}")


def _literal(s: str) -> tuple[str, list[str]] | None:
    """(header, lines) of a YAML literal block for a multi-line text, or None when the text
    needs a double-quoted scalar to survive exactly."""
    if "\n" not in s or not s.strip():
        return None
    if any(c in "\t\r" or not _yaml_printable(c) for c in s if c != "\n"):
        return None
    n = len(s) - len(s.rstrip("\n"))
    body = s[: len(s) - n] if n else s
    lines = body.split("\n")
    first = next((ln for ln in lines if ln), "")
    if first.startswith(" "):
        return None
    if any(ln and not ln.strip() for ln in lines):
        return None
    chomp = "-" if n == 0 else ("" if n == 1 else "+")
    return "|" + chomp, lines + [""] * max(n - 1, 0)


def _has_newline(v: Any) -> bool:
    if isinstance(v, str):
        return "\n" in v
    if isinstance(v, dict):
        return any(_has_newline(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_newline(x) for x in v)
    return False


def _yaml_flow(v: Any, depth: int = 0) -> str | None:
    s = _yaml_scalar(v, True)
    if s is not None:
        return s
    if depth >= MAX_FLOW_DEPTH:
        return None
    parts = []
    if isinstance(v, dict):
        for k, x in v.items():
            f = _yaml_flow(x, depth + 1)
            if f is None:
                return None
            parts.append(f"{_yaml_str(str(k), True)}: {f}")
            if sum(map(len, parts)) > WIDTH:
                return None
        return "{" + ", ".join(parts) + "}"
    for x in v:
        f = _yaml_flow(x, depth + 1)
        if f is None:
            return None
        parts.append(f)
        if sum(map(len, parts)) > WIDTH:
            return None
    return "[" + ", ".join(parts) + "]"


class _Yaml:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def _try_flow(self, v: Any, used: int) -> str | None:
        if not v:
            return "{}" if isinstance(v, dict) else "[]"
        if _has_newline(v):
            return None
        f = _yaml_flow(v)
        if f is not None and used + len(f) <= WIDTH:
            return f
        return None

    def _scalar(self, head: str, pad: str, v) -> bool:
        """Write ``v`` after ``head`` ("key: " or "- ") when it is a scalar: a ``|`` block for
        multi-line text, else one line. False when ``v`` is a mapping or a list."""
        s = _yaml_scalar(v, False)
        if s is None:
            return False
        lit = _literal(v) if isinstance(v, str) else None
        if lit is not None:
            self.lines.append(head + lit[0])
            self.lines.extend((pad + "  " + ln) if ln else "" for ln in lit[1])
        else:
            self.lines.append(head + s)
        return True

    def mapping(self, d: dict, indent: int, block_keys: tuple = (), block_items: tuple = ()) -> None:
        pad = " " * indent
        for k, v in d.items():
            key = _yaml_str(str(k), False)
            if self._scalar(f"{pad}{key}: ", pad, v):
                continue
            f = None if (k in block_keys or k in block_items) and v else self._try_flow(v, indent + len(key) + 2)
            if f is not None:
                self.lines.append(f"{pad}{key}: {f}")
            elif isinstance(v, dict):
                self.lines.append(f"{pad}{key}:")
                self.mapping(v, indent + 2)
            else:
                self.lines.append(f"{pad}{key}:")
                self.sequence(v, indent + 2, block=k in block_items)

    def sequence(self, items: list, indent: int, block: bool = False) -> None:
        pad = " " * indent
        for v in items:
            if self._scalar(f"{pad}- ", pad, v):
                continue
            f = None if block and v else self._try_flow(v, indent + 2)
            if f is not None:
                self.lines.append(f"{pad}- {f}")
            elif isinstance(v, dict):
                start = len(self.lines)
                self.mapping(v, indent + 2)
                self.lines[start] = pad + "- " + self.lines[start][indent + 2:]
            else:
                self.lines.append(f"{pad}-")
                self.sequence(v, indent + 2)


def to_yaml(spec: dict) -> str:
    """YAML text for spec data (block style; short values in flow style)."""
    w = _Yaml()
    w.lines.append(YAML_HEADER)
    w.mapping(spec, 0, block_keys=("defaults",), block_items=("messages",))
    return "\n".join(w.lines) + "\n"


# --------------------------------------------------------------------------- TOML

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_I64 = (-(2**63), 2**63 - 1)


def _toml_esc(s: str, multiline: bool) -> str:
    _check_text(s)
    out = []
    for ch in s:
        if ch == "\n" and multiline:
            out.append("\n")
            continue
        e = _SHORT_ESC.get(ch)
        if e is not None:
            out.append(e)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _toml_str(s: str, multiline: bool = False) -> str:
    if multiline and "\n" in s:
        return '"""\n' + _toml_esc(s, True) + '"""'
    return '"' + _toml_esc(s, False) + '"'


def _toml_key(k: Any) -> str:
    k = str(k)
    return k if _BARE_KEY.fullmatch(k) else _toml_str(k)


def _toml_scalar(v: Any, multiline: bool = False) -> str | None:
    if isinstance(v, str):
        return _toml_str(v, multiline)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        raise ValueError("TOML cannot hold null")
    if isinstance(v, int):
        if not _I64[0] <= v <= _I64[1]:
            raise ValueError(f"integer {v} does not fit TOML's 64-bit integers; import as YAML instead")
        return str(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, (dict, list)):
        return None
    raise ValueError(f"a spec cannot hold a {type(v).__name__}")


def _toml_inline(v: Any) -> str:
    """An inline value (always possible, however long)."""
    s = _toml_scalar(v)
    if s is not None:
        return s
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_inline(x)}" for k, x in v.items()) + "}"
    return "[" + ", ".join(_toml_inline(x) for x in v) + "]"


def _depth(v: Any) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


class _Toml:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def table(self, d: dict, path: tuple, header: str | None, always_tables: tuple = ()) -> None:
        simple: list[str] = []
        later: list[tuple[str, Any, str]] = []  # (key, value, "table" | "array")
        for k, v in d.items():
            key = _toml_key(k)
            s = _toml_scalar(v, multiline=True)
            if s is not None:
                simple.append(f"{key} = {s}")
                continue
            if isinstance(v, dict):
                if k not in always_tables and (not v or (_depth(v) <= MAX_FLOW_DEPTH and not _has_newline(v))):
                    inline = _toml_inline(v)
                    if not v or len(key) + 3 + len(inline) <= WIDTH:
                        simple.append(f"{key} = {inline}")
                        continue
                later.append((k, v, "table"))
                continue
            # a list
            if v and all(isinstance(x, dict) for x in v) and (k in always_tables or not self._inline_items_fit(v)):
                later.append((k, v, "array"))
                continue
            simple.append(self._array(key, v))
        if header is not None and (simple or not later or header.startswith("[[")):
            if self.lines:
                self.lines.append("")
            self.lines.append(header)
        self.lines.extend(simple)
        for k, v, kind in later:
            sub = path + (_toml_key(k),)
            name = ".".join(sub)
            if kind == "table":
                self.table(v, sub, f"[{name}]")
            else:
                for item in v:
                    self.table(item, sub, f"[[{name}]]")

    @staticmethod
    def _inline_items_fit(items: list) -> bool:
        return all(_depth(x) <= MAX_FLOW_DEPTH + 1 and not _has_newline(x)
                   and len(_toml_inline(x)) <= WIDTH - 4 for x in items)

    @staticmethod
    def _array(key: str, v: list) -> str:
        parts = [_toml_inline(x) for x in v]
        one = f"{key} = [" + ", ".join(parts) + "]"
        if len(one) <= WIDTH:
            return one
        return f"{key} = [\n" + "".join(f"  {p},\n" for p in parts) + "]"


def to_toml(spec: dict) -> str:
    """TOML text for spec data: ``[defaults]``, ``[[messages]]``, sub-tables, inline
    tables and arrays for short values."""
    w = _Toml()
    w.lines.append(TOML_HEADER)
    tables = [k for k in ("defaults", "messages") if spec.get(k)]
    w.table({k: v for k, v in spec.items() if k not in tables}, (), None)
    if "defaults" in tables:
        w.table(spec["defaults"], ("defaults",), "[defaults]")
    for m in spec["messages"] if "messages" in tables else ():
        w.table(m, ("messages",), "[[messages]]")
    return "\n".join(w.lines) + "\n"
