"""vibespec.source: bytes or text -> :class:`Document` (plain data plus lazy positions).

``load`` and ``load_path`` are the entry points. Every problem with the input raises
:class:`vibespec.diagnostics.VibespecError` with one VB0xx diagnostic (file, line, column);
an unreadable file raises ``OSError`` unchanged.
"""

from __future__ import annotations

import os

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
        from .yaml import load_yaml

        return load_yaml(text, filename, limits, require_mapping)
    if fmt == "toml":
        from .toml import load_toml

        return load_toml(text, filename, limits, require_mapping)
    from .json import load_json

    return load_json(text, filename, limits, require_mapping)


def load_path(
    path: str | os.PathLike,
    fmt: str | None = None,
    limits: Limits | None = None,
    require_mapping: bool = True,
) -> Document:
    """Read a file (``OSError`` propagates) and :func:`load` it; the filename is ``path``."""
    limits = limits or Limits()
    filename = os.fspath(path)
    with open(filename, "rb") as f:
        data = f.read(limits.max_bytes + 1)
    return load(data, filename, fmt, limits, require_mapping)
