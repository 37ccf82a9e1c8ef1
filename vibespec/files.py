"""Reading inputs and writing outputs.

:func:`read_capped` reads a file (or stdin, ``-``) at most one byte over the size limit, so
the loader refuses an oversized input (VB007) instead of reading ``/dev/zero`` or a 10 GB file
into memory; every command and the library read through it. :func:`write_atomic` writes a
temporary file in the same folder, then renames it, so a reader (or a failed run) never sees
half a file: compiled bodies, imported specs, ``init``'s files, ``plan``'s chart, the cache."""

from __future__ import annotations

import os
import sys


def read_capped(path: str | os.PathLike, max_bytes: int | None = None, *, dash_is_stdin: bool = False) -> bytes:
    """The bytes of ``path`` (with ``dash_is_stdin``, ``"-"`` is standard input: the commands'
    convention), at most ``max_bytes + 1`` of them (default: the loader's size limit).
    ``OSError`` propagates."""
    if max_bytes is None:
        from .source.nodes import Limits

        max_bytes = Limits().max_bytes
    if dash_is_stdin and path == "-":
        return _upto(sys.stdin.buffer, max_bytes + 1)
    if _reads is None:
        with open(path, "rb") as f:
            return _upto(f, max_bytes + 1)
    try:
        with open(path, "rb") as f:
            data = _upto(f, max_bytes + 1)
    except OSError as e:
        _reads.append((os.path.abspath(path), max_bytes, f"!{e.errno}"))
        raise
    import hashlib

    _reads.append((os.path.abspath(path), max_bytes, hashlib.sha256(data).hexdigest()))
    return data


def _upto(f, n: int) -> bytes:
    """At most ``n`` bytes of ``f``, in pieces of 16 MiB: ``f.read(n)`` allocates ``n`` bytes
    first (MemoryError for a 1 TB limit, OverflowError past 2**63)."""
    if n <= _PIECE:
        return f.read(n)
    chunks = []
    while n > 0:
        b = f.read(min(n, _PIECE))
        if not b:
            break
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


_PIECE = 1 << 24

#: while not None, every file :func:`read_capped` reads is noted here as (absolute path, cap,
#: sha256 of the bytes read, or "!errno"): the lint cache keys a result on them (see
#: :func:`recording`)
_reads: list | None = None


class recording:
    """``with recording() as reads:`` notes every file read in the block (an audience CSV)."""

    def __enter__(self) -> list:
        global _reads
        self._outer, _reads = _reads, []
        return _reads

    def __exit__(self, *exc) -> None:
        global _reads
        _reads = self._outer


def write_atomic(path: str, text) -> None:
    """Write ``text`` (a string, or a function that writes to the file object it is given)
    to ``path`` through a temporary file in the same folder + rename."""
    import tempfile  # here, not at import: the lint cache writes through this module too

    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".vibespec-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            if callable(text):
                text(f)
            else:
                f.write(text)
        _set_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _set_mode(tmp: str, path: str) -> None:
    """Give the new file the mode of the file it replaces, else the usual 0666 & ~umask
    (``mkstemp`` creates 0600, which would hide a compiled body from other users)."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
    except OSError:  # pragma: no cover - e.g. a file system without modes
        pass
