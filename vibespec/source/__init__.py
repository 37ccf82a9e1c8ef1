"""vibespec.source: bytes or text -> :class:`Document` (plain data plus lazy positions).

``load`` and ``load_path`` are the entry points. Every problem with the input raises
:class:`vibespec.diagnostics.VibespecError` with one VB0xx diagnostic (file, line, column);
an unreadable file raises ``OSError`` unchanged.
"""

from __future__ import annotations

import os
import re

from .. import codes
from ..diagnostics import VibespecError

from ._text import decode
from .nodes import Document, Limits, Locator

__all__ = ["load", "load_path", "detect_format", "Document", "Limits", "Locator"]

FORMATS = ("yaml", "toml", "json")


def detect_format(filename: str) -> str:
    """``.json`` -> json, ``.toml`` -> toml, anything else -> yaml."""
    name = str(filename).lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(".toml"):
        return "toml"
    return "yaml"


def load(
    source: str | bytes,
    filename: str = "<input>",
    fmt: str | None = None,
    limits: Limits | None = None,
    require_mapping: bool = True,
) -> Document:
    """Parse ``source`` (text, or bytes decoded as UTF-8) as YAML, TOML or JSON."""
    limits = limits or Limits()
    fmt = (fmt or detect_format(filename)).lower()
    if fmt == "yml":
        fmt = "yaml"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use yaml, toml or json")
    text = decode(source, filename, limits)
    if fmt == "yaml":
        from .yaml import load_yaml  # lazy: one loader per format: only the one a file needs

        # the C parser can read the file's bytes in place (no BOM: they are exactly ``text``)
        raw = source if type(source) is bytes and not source.startswith(b"\xef\xbb\xbf") else None
        doc = load_yaml(text, filename, limits, require_mapping, raw=raw)
    elif fmt == "toml":
        from .toml import load_toml  # lazy: one loader per format: only the one a file needs

        doc = load_toml(text, filename, limits, require_mapping)
    else:
        from .json import load_json  # lazy: one loader per format: only the one a file needs

        doc = load_json(text, filename, limits, require_mapping)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_surrogates(doc)
    return doc


# an escape such as \ud800 can put a lone surrogate (not a character) into a string
_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(doc: Document) -> None:
    stack = [doc.data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                break
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    else:
        return  # escapes formed valid pairs (JSON "\ud83d\ude00" is one emoji)
    matches = list(_SURROGATE_ESCAPE.finditer(doc.text))
    m = matches[0]
    k = 0
    while k < len(matches):  # skip high+low pairs written next to each other
        cur = matches[k]
        code = int(cur.group(0)[-4:], 16)
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if 0xD800 <= code <= 0xDBFF and nxt is not None and nxt.start() == cur.end() \
                and 0xDC00 <= int(nxt.group(0)[-4:], 16) <= 0xDFFF:
            k += 2
            continue
        m = cur
        break
    line = doc.text.count("\n", 0, m.start()) + 1
    col = m.start() - (doc.text.rfind("\n", 0, m.start()) + 1) + 1
    raise VibespecError([codes.VB002.diagnostic(f"the escape {m.group(0)} is a lone UTF-16 surrogate, not a character",
        doc.filename, line, col, line, col + len(m.group(0)),
        "write the character itself, or its code point (\\U0001F600 in YAML and TOML)")])


def load_path(
    path: str | os.PathLike,
    fmt: str | None = None,
    limits: Limits | None = None,
    require_mapping: bool = True,
) -> Document:
    """Read a file (``OSError`` propagates) and :func:`load` it; the filename is ``path``."""
    limits = limits or Limits()
    filename = os.fspath(path)
    from ..files import read_capped  # lazy: files only when loading from a path

    return load(read_capped(filename, limits.max_bytes), filename, fmt, limits, require_mapping)
