"""What the language server knows about a spec's text, free of any LSP library.

- :func:`context_at`: the key path around a cursor, read from the text's indentation (YAML
  block style, flow mappings on the line) or table headers (TOML), so that it works on a
  half-typed document that does not parse.
- :func:`model_at`: the spec model (from the generated table ``vibespec/spec/_table.py``, read through
  :mod:`vibespec.spec.fast`) that
  a key path leads to, for completion of keys and enum values.
- :func:`key_doc`: what a key means, from docs/language.md (``_keydocs.py``, generated).
- :func:`suggested_fix`: the edit behind a "did you mean" of a diagnostic.
- :func:`symbols`: the outline (messages, templates, audiences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..spec.fast import MODELS
from ._keydocs import KEYS, SECTIONS

_YAML_KEY = re.compile(r"""^(?P<indent>\s*)(?P<dashes>(?:-\s+)*)(?P<key>[A-Za-z_][\w-]*|"[^"]*"|'[^']*')\s*:(?=\s|$)""")
_YAML_ITEM = re.compile(r"^(?P<indent>\s*)(?P<dashes>(?:-(?:\s+|$))+)")
_TOML_HEADER = re.compile(r"^\s*\[\[?\s*(?P<path>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_][\w.-]*)\s*=")


@dataclass(frozen=True)
class Context:
    """Where the cursor is: the keys of the mappings around it (outermost first, list
    indexes left out), the key on the cursor's line (if it has one) and whether the cursor is
    in a value (after ``key:``) rather than where a key goes."""

    path: tuple[str, ...]
    key: str | None
    in_value: bool
    prefix: str  # the word being typed before the cursor


def _unquote(k: str) -> str:
    return k[1:-1] if len(k) >= 2 and k[0] == k[-1] and k[0] in "'\"" else k


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out)


def context_at(text: str, line: int, character: int, fmt: str) -> Context:
    """The :class:`Context` at 0-based ``line`` and ``character`` (code points)."""
    lines = text.split("\n")
    if line >= len(lines):
        return Context((), None, False, "")
    if fmt == "toml":
        return _toml_context(lines, line, character)
    return _yaml_context(lines, line, character)


def _word_before(s: str) -> str:
    m = re.search(r"[\w-]*$", s)
    return m.group(0) if m else ""


def _flow_context(prefix: str) -> tuple[list[str], str, bool] | None:
    """Inside a flow mapping on the cursor's line: the keys that open each unclosed ``{``,
    the text after the innermost one, and whether that text opened a list (``[``)."""
    stack: list[int] = []
    quote = None
    for i, ch in enumerate(prefix):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "{[":
            stack.append(i)
        elif ch in "}]" and stack:
            stack.pop()
    if not stack:
        return None
    keys = []
    for pos in stack:
        before = prefix[:pos]
        m = re.search(r"([A-Za-z_][\w-]*)\s*:\s*$", before)
        if m:
            keys.append(m.group(1))
    inner = prefix[stack[-1] + 1:]
    inner = re.split(r",", inner)[-1]
    return keys, inner, prefix[stack[-1]] == "["


def _yaml_context(lines: list[str], line: int, character: int) -> Context:
    cur = lines[line]
    prefix = cur[:character]
    m = _YAML_KEY.match(cur)
    item = _YAML_ITEM.match(cur)
    if m:
        threshold = len(m.group("indent")) + len(m.group("dashes"))
        own_key = _unquote(m.group("key"))
    elif item:
        threshold = len(item.group("indent")) + len(item.group("dashes"))
        own_key = None
    else:
        threshold = len(cur) - len(cur.lstrip(" ")) if cur.strip() else len(prefix) - len(prefix.lstrip(" "))
        own_key = None
    parents: list[str] = []
    t = threshold
    for k in range(line - 1, -1, -1):
        raw = _strip_comment(lines[k])
        if not raw.strip() or raw.lstrip().startswith("---"):
            continue
        ind = len(raw) - len(raw.lstrip(" "))
        if ind >= t:
            continue
        km = _YAML_KEY.match(raw)
        if km:
            kc = len(km.group("indent")) + len(km.group("dashes"))
            if kc < t:  # a key further out: our parent
                rest = raw[km.end():].strip()
                if not rest or rest in ("|", ">", "|-", ">-") or rest.startswith(("&", "!")):
                    parents.append(_unquote(km.group("key")))
            t = ind
        else:
            t = ind
        if t == 0:
            break
    path = list(reversed(parents))
    flow = _flow_context(prefix)
    if flow is not None:
        keys, inner, _ = flow
        if own_key is not None and prefix[: len(prefix) - len(prefix.lstrip())].strip() == "":
            path.append(own_key)
        path.extend(keys[1:] if own_key is not None and keys and keys[0] == own_key else keys)
        in_value = ":" in inner
        key = inner.split(":", 1)[0].strip() or None if in_value else None
        word = _word_before(inner)
        return Context(tuple(path), _unquote(key) if key else None, in_value, word)
    if m and character > m.end() - 1:
        return Context(tuple(path), own_key, True, _word_before(prefix[m.end():]))
    return Context(tuple(path), own_key, False, _word_before(prefix))


def _toml_context(lines: list[str], line: int, character: int) -> Context:
    header: list[str] = []
    for k in range(line - 1, -1, -1):
        hm = _TOML_HEADER.match(lines[k])
        if hm:
            header = [_unquote(p.strip()) for p in hm.group("path").split(".")]
            break
    cur = lines[line]
    prefix = cur[:character]
    hm = _TOML_HEADER.match(cur)
    if hm or prefix.lstrip().startswith("["):
        parts = [p.strip() for p in prefix.lstrip().lstrip("[").split(".")]
        return Context(tuple(parts[:-1]), None, False, parts[-1] if parts else "")
    km = _TOML_KEY.match(cur)
    path = list(header)
    flow = _flow_context(prefix)
    if km:
        dotted = [_unquote(p) for p in km.group("key").split(".")]
        if flow is not None:
            path.extend(dotted)
            keys, inner, _ = flow
            path.extend(keys)
            in_value = "=" in inner or ":" in inner
            key = re.split(r"[=:]", inner, 1)[0].strip() if in_value else None
            return Context(tuple(path), key or None, in_value, _word_before(inner))
        if character > km.end() - 1:
            path.extend(dotted[:-1])
            return Context(tuple(path), dotted[-1], True, _word_before(prefix[km.end():]))
        path.extend(dotted[:-1])
        return Context(tuple(path), dotted[-1], False, _word_before(prefix))
    return Context(tuple(path), None, False, _word_before(prefix))


# --------------------------------------------------------------------------- the model


def _unwrap(t: Any) -> Any:
    """The model, map or enum behind a field type of the generated table."""
    while isinstance(t, tuple) and t:
        kind = t[0]
        if kind == "opt" or kind == "list":
            t = t[1]
        elif kind == "before":
            t = t[2]
        elif kind == "union":
            models = [u for u in t[1] if isinstance(_unwrap(u), tuple) and _unwrap(u)[:1] in (("model",), ("map",))]
            if not models:
                return t
            t = models[0]
        else:
            return t
    return t


def _field(model: str, key: str):
    for f in MODELS.get(model, ()):
        if key in f[1]:
            return f
    return None


def model_at(path: tuple[str, ...]) -> str | None:
    """The spec model a key path leads to (``('messages', 'keyboard')`` -> ``'Keyboard'``)."""
    model = "Spec"
    expect_name = False  # inside a map of named entries (templates, audiences)
    for key in path:
        if expect_name:
            expect_name = False
            continue
        f = _field(model, key)
        if f is None:
            return None
        t = _unwrap(f[3])
        if isinstance(t, tuple) and t[:1] == ("model",):
            model = t[1]
        elif isinstance(t, tuple) and t[:1] == ("map",):
            inner = _unwrap(t[1])
            if isinstance(inner, tuple) and inner[:1] == ("model",):
                model = inner[1]
                expect_name = True
            else:
                return None
        else:
            return None
    return model


def keys_of(model: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """``(canonical key, required, aliases)`` of a model, in declaration order."""

    return [(f[1][0] if f[0] != "from_" else "from", f[2], tuple(k for k in f[1][1:] if k != "from_"))
            for f in MODELS.get(model, ())]


def enum_values(model: str, key: str) -> tuple[str, ...]:
    """The values a key takes when it is an enum (``size`` -> SMALL, REGULAR, LARGE)."""
    f = _field(model, key)
    if f is None:
        return ()
    t = _unwrap(f[3])
    if isinstance(t, tuple) and t[:1] == ("plain",):
        fn = t[1]
        choices = getattr(fn, "choices", None)
        if choices:
            return tuple(choices)
        extra = _SHORTHAND_VALUES.get(getattr(fn, "__name__", ""))
        if extra:
            return extra
    if isinstance(t, tuple) and t[:1] == ("bool",):
        return ("true", "false")
    return ()


#: suggestions for shorthand fields (documented in docs/language.md)
_SHORTHAND_VALUES = {
    "parse_days": ("weekdays", "weekend", "everyday", "mon-fri", "sat-sun"),
    "content_type": ("json", "xml"),
}


# --------------------------------------------------------------------------- docs


def key_doc(path: tuple[str, ...], key: str) -> str | None:
    """Markdown for a key at ``path`` from docs/language.md (the generated ``_keydocs``)."""

    parent = next((p for p in reversed(path) if p not in ("messages", "defaults", "templates")), None)
    if path[:1] == ("templates",) and len(path) >= 2 and parent == path[1]:
        parent = None
    candidates = []
    if parent is not None:
        candidates.append((parent, key))
    candidates.append(("", key))
    for c in candidates:
        row = KEYS.get(c)
        if row:
            section = SECTIONS.get(c[0] or key)
            head = f"**`{key}`**" + (f" (in `{parent}`)" if c[0] else "")
            return head + "\n\n" + row + (f"\n\n{section}" if section and c[0] == "" and key in SECTIONS else "")
    if key in SECTIONS:
        return f"**`{key}`**\n\n" + SECTIONS[key]
    return None


# --------------------------------------------------------------------------- fixes


_DID_YOU_MEAN = re.compile(r"""did you mean ['"]([^'"]+)['"]\?""")


def suggested_fix(message: str, help_: str | None, text_in_range: str) -> str | None:
    """The replacement text a "did you mean" proposes for the diagnostic's range, if any."""
    for s in (help_ or "", message):
        m = _DID_YOU_MEAN.search(s)
        if m:
            new = m.group(1)
            if len(text_in_range) >= 2 and text_in_range[0] == text_in_range[-1] and text_in_range[0] in "'\"":
                new = text_in_range[0] + new + text_in_range[0]
            if new != text_in_range and "\n" not in text_in_range:
                return new
    return None


def ignore_comment_edit(line_text: str, code: str) -> tuple[int, str]:
    """Where to insert, and what, so that ``code`` is ignored on this line: a new
    ``# vibespec: ignore[CODE]`` at the end, or the code added to the one already there."""
    m = re.search(r"#\s*vibespec:\s*ignore\[([^\]]*)\]", line_text)
    if m:
        codes = [c.strip() for c in m.group(1).split(",") if c.strip()]
        if code in codes:
            return -1, ""
        return m.end(1), (", " if codes else "") + code
    stripped = line_text.rstrip()
    return len(stripped), f"  # vibespec: ignore[{code}]"


# --------------------------------------------------------------------------- outline


@dataclass(frozen=True)
class Symbol:
    name: str
    detail: str
    kind: str  # "message" | "template" | "audience" | "defaults"
    path: tuple


def symbols(data: Any) -> list[Symbol]:
    """The outline of a parsed spec: defaults, templates, audiences and messages."""
    out: list[Symbol] = []
    if not isinstance(data, dict):
        return out
    if isinstance(data.get("defaults"), dict):
        out.append(Symbol("defaults", "merged into every message", "defaults", ("defaults",)))
    for name, t in (data.get("templates") or {}).items() if isinstance(data.get("templates"), dict) else ():
        out.append(Symbol(str(name), "template", "template", ("templates", name)))
    if data.get("audience") is not None:
        a = data["audience"]
        out.append(Symbol("audience", a if isinstance(a, str) else f"{len(a)} inline rows" if isinstance(a, list)
                          else "", "audience", ("audience",)))
    for name, a in (data.get("audiences") or {}).items() if isinstance(data.get("audiences"), dict) else ():
        out.append(Symbol(str(name), a if isinstance(a, str) else "audience", "audience", ("audiences", name)))
    msgs = data.get("messages")
    if isinstance(msgs, list):
        content = ("text", "image", "video", "file", "carousel", "location", "contact", "sticker", "url")
        for i, m in enumerate(msgs):
            if not isinstance(m, dict):
                continue
            kind = next((k for k in content if k in m), "template" if "template" in m else "message")
            name = str(m.get("id")) if m.get("id") is not None else f"message {i + 1}"
            out.append(Symbol(name, kind, "message", ("messages", i)))
    return out
