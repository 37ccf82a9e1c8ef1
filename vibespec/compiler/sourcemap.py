"""The source map: each path of the compiled body -> the spec position that produced it.

Compiling records *logical* spec paths (``("messages", 2, "window", "from")``, canonical
key names). Resolving a logical path to a path in the document follows what the user
actually wrote: the message's own key, else the ``defaults`` (or template) it came from,
and accepted alias spellings (``latitude`` for ``lat``). Positions are looked up lazily."""

from __future__ import annotations

from typing import Any, Iterable

from ..diagnostics import Span
from ..source.nodes import Document


def _step(node: Any, key: Any, aliases: dict[str, tuple[str, ...]]) -> tuple[bool, Any, Any]:
    """One step down ``node`` by ``key`` (trying alias spellings). -> (found, actual_key, child)."""
    if isinstance(node, dict):
        if key in node:
            return True, key, node[key]
        for alt in aliases.get(key, ()):
            if alt in node:
                return True, alt, node[alt]
        return False, key, None
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return True, key, node[key]
    return False, key, None


def walk(node: Any, path: Iterable, aliases: dict[str, tuple[str, ...]]) -> tuple[int, tuple]:
    """How deep ``path`` exists in ``node`` -> (depth, actual path to that depth)."""
    actual = []
    depth = 0
    for key in path:
        found, k, node = _step(node, key, aliases)
        if not found:
            break
        actual.append(k)
        depth += 1
    return depth, tuple(actual)


class SourceMap:
    """Payload path -> logical spec path -> document path -> span."""

    def __init__(self, document: Document, aliases: dict[str, tuple[str, ...]] | None = None):
        self.document = document
        self.aliases = aliases or {}
        self._map: dict[tuple, tuple] = {}
        self._renames: dict[tuple, dict] = {}
        self._alias: dict[int, int] = {}  # body message index -> the index whose entries it shares
        # logical message i -> list of (label, document prefix) layers, most specific first
        self.layers: dict[int, list[tuple[str, tuple]]] = {}

    # -- recording ---------------------------------------------------------------
    def add(self, payload_path: tuple, logical: tuple, renames: dict | None = None) -> None:
        self._map[payload_path] = logical
        if renames:
            self._renames[payload_path] = renames

    def alias(self, index: int, same_as: int) -> None:
        """Body message ``index`` was rendered from the same spec message as ``same_as``."""
        self._alias[index] = same_as

    def set_layers(self, index: int, layers: list[tuple[str, tuple]]) -> None:
        self.layers[index] = layers

    # -- lookup ------------------------------------------------------------------
    def logical(self, payload_path: tuple) -> tuple | None:
        """The logical spec path for a payload path (longest recorded prefix + remainder)."""
        p = tuple(payload_path)
        if len(p) >= 2 and p[0] == "messages" and p[1] in self._alias:
            p = ("messages", self._alias[p[1]]) + p[2:]
        for n in range(len(p), -1, -1):
            base = self._map.get(p[:n])
            if base is not None:
                rest = p[n:]
                ren = self._renames.get(p[:n])
                if ren and rest:
                    rest = tuple(ren.get(x, x) if isinstance(x, str) else x for x in rest)
                return base + rest
        return None

    def document_path(self, logical: tuple) -> tuple:
        """Where the value behind ``logical`` was written in the document."""
        data = self.document.data
        if len(logical) >= 2 and logical[0] == "messages" and isinstance(logical[1], int) and logical[1] in self.layers:
            rest = logical[2:]
            best: tuple | None = None
            best_depth = -1
            for _label, prefix in self.layers[logical[1]]:
                _, base = walk(data, prefix, {})
                if len(base) != len(prefix):
                    continue
                node = self.document.get(prefix)
                depth, actual = walk(node, rest, self.aliases)
                if depth == len(rest):
                    return prefix + actual
                # a layer that has the first key beats one that has nothing
                if depth > best_depth:
                    best_depth, best = depth, prefix + actual
            if best is not None and best_depth > 0:
                return best
            return ("messages", logical[1]) + walk(self.document.get(("messages", logical[1])), rest, self.aliases)[1]
        return walk(data, logical, self.aliases)[1]

    def chain(self, logical: tuple) -> list[tuple[str, tuple]]:
        """Every layer that holds (part of) the value, most specific first: (label, doc path)."""
        out = []
        if len(logical) >= 2 and logical[0] == "messages" and logical[1] in self.layers:
            rest = logical[2:]
            for label, prefix in self.layers[logical[1]]:
                node = self.document.get(prefix)
                if node is None:
                    continue
                depth, actual = walk(node, rest, self.aliases)
                if depth == len(rest) or (rest and depth >= 1):
                    out.append((label, prefix + actual))
        else:
            out.append(("spec", walk(self.document.data, logical, self.aliases)[1]))
        return out

    def span(self, payload_path: tuple, key: bool = False) -> Span:
        logical = self.logical(payload_path)
        if logical is None:
            return self.document.locate(())
        doc_path = self.document_path(logical)
        if not key and doc_path and isinstance(doc_path[-1], str) and isinstance(self.document.get(doc_path), (dict, list)):
            # a finding about a whole mapping or list (a window, a keyboard) belongs on the line
            # of its key: in block style the value itself only starts on the next line
            key = True
        return self.document.locate(doc_path, key=key)

    def items(self):
        return self._map.items()


class IdentityMap:
    """For raw JSON bodies: the payload path is the document path."""

    def __init__(self, document: Document):
        self.document = document

    def logical(self, payload_path: tuple) -> tuple:
        return tuple(payload_path)

    def document_path(self, logical: tuple) -> tuple:
        return tuple(logical)

    def chain(self, logical: tuple) -> list[tuple[str, tuple]]:
        return [("body", tuple(logical))]

    def span(self, payload_path: tuple, key: bool = False) -> Span:
        path = tuple(payload_path)
        if not key and path and isinstance(path[-1], str) and isinstance(self.document.get(path), (dict, list)):
            # a finding about a whole object or array points at its key, not over all of it
            # (a one-line body's "deliveryTimeWindow": {...} would get 130 carets)
            key = True
        return self.document.locate(path, key=key)
