"""Deterministic JSON text for a body: byte-identical to ``json.dumps(body, indent=N,
ensure_ascii=False)`` plus a newline, but built with the C string encoder so a body with
100,000 destinations is emitted in a fraction of the time of the pure-Python pretty-printer.
``indent=0`` gives the compact one-line form (``{"a":1}``)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C implementation when available



class CompactDestinations(list):
    """``destinations`` whose ``str`` items stand for ``{"to": item}`` (dict items are as they
    are). Only ``vibespec compile`` builds it (``lower(compact=True)``), and only this module
    (and the addressing rules, for compile's lint summary) reads it: 100,000 ids written one per line then cost their strings, not 100,000 more dicts
    of ~180 bytes each. Library callers always get plain lists of dicts."""

    __slots__ = ("distinct_ids",)
    bare_is_to = True  # what the addressing rules look for (they do not import the compiler)

    def __init__(self, items=()) -> None:
        super().__init__(items)
        #: set by the compiler when every item's ``to`` is a non-blank id and no id appears
        #: twice (an audience group it checked): the addressing rules then skip their set
        self.distinct_ids = False


BLOCK = 4096  # ids a block of :class:`PackedIds`


class PackedIds:
    """compile's destinations of the audience rows that render to one message, packed: the
    ids joined by NUL (which an audience cannot hold) in blocks of :data:`BLOCK`, and the
    message ids the same way when the audience has them. A million ids cost their characters
    and a byte each, not a million strings of ~60 bytes; each is a string again only while it
    is read. Like :class:`CompactDestinations`, an item is a bare id for ``{"to": id}`` (or
    ``{"to": id, "messageId": m}``). Not a ``list`` on purpose: what does not know it fails
    loudly (``json.dumps`` raises) instead of seeing an empty list; readers check
    ``bare_is_to``."""

    __slots__ = ("_ids", "_mids", "_n", "distinct_ids")
    bare_is_to = True

    def __init__(self, ids: list[str], mids: list[str] | None, n: int, distinct: bool = False) -> None:
        self._ids, self._mids, self._n = ids, mids, n
        self.distinct_ids = distinct  # as on CompactDestinations

    @property
    def has_message_ids(self) -> bool:
        return self._mids is not None

    def id_blocks(self):
        """The ids, a list of at most :data:`BLOCK` strings at a time (one block alive)."""
        for b in self._ids:
            yield b.split("\0")

    def _block(self, k: int) -> list:
        """The items of block ``k``, made anew on each call (nothing cached: a plan's chunks
        are built from several threads, and a kept block would be memory per message)."""
        ids = self._ids[k].split("\0")
        if self._mids is None:
            return ids
        return [{"to": t, "messageId": m} if m else t for t, m in zip(ids, self._mids[k].split("\0"))]

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __iter__(self):
        for k in range(len(self._ids)):
            yield from self._block(k)

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(self._n)
            if step != 1:
                return [self[j] for j in range(start, stop, step)]
            out: list = []
            while start < stop:
                k, off = divmod(start, BLOCK)
                part = self._block(k)[off:off + (stop - start)]
                out.extend(part)
                start += len(part)
            return out
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("destination index out of range")
        k, off = divmod(i, BLOCK)
        return self._block(k)[off]

    def __eq__(self, other: object) -> bool:
        try:
            return len(other) == self._n and list(self) == list(other)  # type: ignore[arg-type]
        except TypeError:
            return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedIds({self._n} destinations)"


def expand(obj):
    """``obj`` with every :class:`CompactDestinations` turned into a plain list of dicts."""
    if type(obj) is CompactDestinations or type(obj) is PackedIds:
        return [{"to": v} if type(v) is str else v for v in obj]
    if isinstance(obj, dict):
        return {k: expand(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [expand(v) for v in obj]
    return obj


_float_repr = float.__repr__
_int_repr = int.__repr__


def _scalar(v) -> str | None:
    if isinstance(v, str):
        return encode_basestring(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return _int_repr(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("a body cannot hold NaN or Infinity")
        return _float_repr(v)
    return None


def dumps(body, indent: int = 2) -> str:
    if not indent:
        return json.dumps(expand(body), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    out: list[str] = []
    _emit(body, 0, " " * indent, out, None)
    out.append("\n")
    return "".join(out)


def dump(body, fp, indent: int = 2) -> None:
    """Write ``dumps(body, indent)`` to a text stream in pieces, so a body with 100,000
    destinations never exists twice in memory (chunk list plus joined string)."""
    if not indent:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        for chunk in encoder.iterencode(expand(body)):
            fp.write(chunk)
        fp.write("\n")
        return
    out: list[str] = []

    def flush() -> None:
        fp.write("".join(out))
        out.clear()

    _emit(body, 0, " " * indent, out, flush)
    out.append("\n")
    flush()


_FLUSH_AT = 4096


def _emit(obj, level: int, unit: str, out: list[str], flush) -> None:
    s = _scalar(obj)
    if s is not None:
        out.append(s)
        return
    inner = "\n" + unit * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        flat = []
        for k, v in obj.items():
            sv = _scalar(v)
            if sv is None:
                flat = None
                break
            flat.append(encode_basestring(k if isinstance(k, str) else str(k)) + ": " + sv)
        if flat is not None:
            out.append("{" + inner + ("," + inner).join(flat) + "\n" + unit * level + "}")
            return
        out.append("{")
        first = True
        for k, v in obj.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(encode_basestring(k if isinstance(k, str) else str(k)) + ": ")
            _emit(v, level + 1, unit, out, flush)
        out.append("\n" + unit * level + "}")
        return
    if isinstance(obj, (list, tuple, PackedIds)):
        if not obj:
            out.append("[]")
            return
        out.append("[")
        first = True
        compact = type(obj) is CompactDestinations or type(obj) is PackedIds
        if compact:
            to_open, to_close = "{" + inner + unit + '"to": ', "\n" + unit * (level + 1) + "}"
        for v in obj:
            out.append(inner if first else "," + inner)
            first = False
            if compact and type(v) is str:
                out.append(to_open + encode_basestring(v) + to_close)
            else:
                _emit(v, level + 1, unit, out, flush)
            if flush is not None and len(out) > _FLUSH_AT:
                flush()
        out.append("\n" + unit * level + "]")
        return
    raise TypeError(f"cannot emit {type(obj).__name__} as JSON")
