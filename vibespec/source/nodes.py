"""Document: parsed source data plus a way back from a data path to its line and column.

Every loader (YAML, TOML, JSON) returns a :class:`Document`. ``data`` holds plain Python
values only (dict, list, str, int, float, bool, None; TOML may also give ``datetime``,
``date`` and ``time``). Positions are found lazily through a :class:`Locator`, so the
fast path (a clean file) never pays for them.

A *path* is a tuple of mapping keys (str) and sequence indices (int), e.g.
``("messages", 0, "text")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..diagnostics import Span, get_path
from ..files import MAX_BYTES


class Locator(Protocol):
    """Finds spans for paths. Implementations may parse the text again on first use."""

    def locate(self, path: tuple, key: bool = False) -> Span | None:
        """The span of the node at ``path``; with ``key=True`` the span of the mapping key
        naming the last element. ``None`` when the path does not exist in the text."""
        ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Input limits. Each can be raised in configuration (``[tool.vibespec.limits]``)."""

    max_bytes: int = MAX_BYTES
    max_depth: int = 200
    max_aliases: int = 1_000
    max_alias_nodes: int = 1_000_000  # nodes produced by expanding aliases, in total
    max_number_digits: int = 100
    max_findings: int = 1_000  # diagnostics shown per file; the rest are counted (VB010)


@dataclass
class Document:
    filename: str
    text: str
    format: str  # "yaml" | "toml" | "json"
    data: Any
    locator: Locator | None = None
    _lines: list[str] | None = field(default=None, repr=False)

    # -- positions ------------------------------------------------------------------
    def locate(self, path: tuple, key: bool = False) -> Span:
        """Span of the deepest prefix of ``path`` that exists in the source.

        Never fails: falls back to the start of the file."""
        path = tuple(path)
        if self.locator is not None:
            for n in range(len(path), -1, -1):
                sub = path[:n]
                span = self.locator.locate(sub, key=key and n == len(path))
                if span is not None:
                    return span
        return Span(1, 1, 1, 2)

    def exists(self, path: tuple) -> bool:
        """Whether ``path`` exists in ``data``."""
        cur = self.data
        for p in path:
            if isinstance(cur, dict):
                if p not in cur:
                    return False
                cur = cur[p]
            elif isinstance(cur, list) and isinstance(p, int):
                if not 0 <= p < len(cur):
                    return False
                cur = cur[p]
            else:
                return False
        return True

    def get(self, path: tuple, default: Any = None) -> Any:
        return get_path(self.data, path, default)

    # -- text -----------------------------------------------------------------------
    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 1 <= line <= len(lines) else ""
