"""Reading inputs and writing outputs.

:func:`read_capped` reads a file (or stdin, ``-``) at most one byte over the size limit, so
the loader refuses an oversized input (VB007) instead of reading ``/dev/zero`` or a 10 GB file
into memory; every command and the library read through it. :func:`write_atomic` writes a
temporary file in the same folder, then renames it, so a reader (or a failed run) never sees
half a file: compiled bodies, imported specs, ``init``'s files, ``plan``'s chart, the cache.
:func:`write_all_atomic` does it for several files at once, all or none (``--out-dir``)."""

from __future__ import annotations

import errno
import os
import stat
import sys
import time

#: the loader's default size limit (``source.nodes.Limits.max_bytes``)
MAX_BYTES = 64 * 1024 * 1024


def read_capped(path: str | os.PathLike, max_bytes: int | None = None, *, dash_is_stdin: bool = False) -> bytes:
    """The bytes of ``path`` (with ``dash_is_stdin``, ``"-"`` is standard input: the commands'
    convention), at most ``max_bytes + 1`` of them (default: the loader's size limit).
    ``OSError`` propagates."""
    if max_bytes is None:
        max_bytes = MAX_BYTES
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
    import hashlib  # lazy: hashing only while the lint cache records reads

    _reads.append((os.path.abspath(path), max_bytes, hashlib.sha256(data).hexdigest()))
    return data


def _upto(f, n: int) -> bytes:
    """At most ``n`` bytes of ``f``: first as many as the file's size says (``f.read(n)``
    allocates ``n`` bytes up front: 16 MiB for a 40-byte spec under the default limit,
    MemoryError for a 1 TB limit), then in pieces from 64 KiB growing to 16 MiB while it keeps
    giving more (a pipe, a file that grew)."""
    try:
        hint = os.fstat(f.fileno()).st_size + 1
    except (OSError, AttributeError, ValueError):
        hint = _PIECE
    chunks = []
    want = min(n, max(hint, 1), _PIECE)
    step = 1 << 16
    while n > 0:
        b = f.read(want)
        if not b:
            break
        chunks.append(b)
        n -= len(b)
        want = min(n, step)  # then growing pieces: a read at the end allocates little
        step = min(step * 2, _PIECE)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_PIECE = 1 << 24


def read_fd(fd: int, n: int) -> bytes:
    """At most ``n`` bytes from the file descriptor ``fd``, in pieces of 1 MiB (for readers
    that open a file themselves: without following links, without waiting on a FIFO)."""
    chunks = []
    while n > 0:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            break
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)

#: while not None, every file :func:`read_capped` reads is noted here as (absolute path, cap,
#: sha256 of the bytes read, or "!errno"): the lint cache keys a result on them (see
#: :func:`recording`)
_reads: list | None = None


def note_read(path: str | os.PathLike, max_bytes: int, digest: str) -> None:
    """Note a file read by other means than :func:`read_capped` (the audience reader, which
    must not follow a path out of the project): ``digest`` is the sha256 of the bytes read, or
    ``"!errno"``, or a mark no later read can match (``"!refused"``, ``"!link"``), which keeps
    the result out of the cache."""
    if _reads is not None:
        _reads.append((os.path.abspath(path), max_bytes, digest))


class recording:
    """``with recording() as reads:`` notes every file read in the block (an audience CSV)."""

    def __enter__(self) -> list:
        global _reads
        self._outer, _reads = _reads, []
        return _reads

    def __exit__(self, *exc) -> None:
        global _reads
        _reads = self._outer


#: temporary files (and the backups of a multi-file write) are named ``.vibespec-tmp-PID-RANDOM.tmp``
TEMP_PREFIX = ".vibespec-tmp-"
TEMP_SUFFIX = ".tmp"
_STALE_SECONDS = 24 * 3600
_cleaned: set[str] = set()


class WriteError(OSError):
    """An output file could not be written. ``str()`` is one line: ``cannot write PATH: why``
    (``strerror`` is the why); nothing was left behind."""

    def __init__(self, path: str, cause: BaseException):
        errno_ = getattr(cause, "errno", None)
        reason = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        super().__init__(errno_, reason)
        self.path = path

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.strerror}"


def write_atomic(path: str, text) -> None:
    """Write ``text`` (a string, or a function that writes to the file object it is given)
    to ``path`` through a temporary file in the same folder + rename. See
    :func:`write_all_atomic`."""
    write_all_atomic([(path, text)])


def write_all_atomic(items) -> None:
    """Write every ``(path, text)`` of ``items``, or none of them.

    Each text goes to a temporary file next to its target first; only when all are written
    are they renamed into place (a rename that still fails puts back what the earlier ones
    replaced). On any failure, or an interrupt, the temporary files are removed and
    :class:`WriteError` names the target (``cannot write out/a.json: No space left on
    device``). A target that exists but is not a regular file (``/dev/stdout``, a pipe,
    ``/dev/full``) is written directly, after the files; a link is written through.
    Before the first write into a folder, temporary files a killed run left there are
    removed (:func:`clean_stale_temps`)."""
    files: list[tuple[str, str, object]] = []  # (shown path, real path, text)
    direct: list[tuple[str, object]] = []
    for path, text in items:
        try:
            st = os.stat(path)  # through links: /dev/stdout is a link to the process's fd 1
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise WriteError(path, e) from None
        real = os.path.realpath(path) if os.path.islink(path) else path
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise WriteError(path, IsADirectoryError(errno.EISDIR, "it is a folder"))
        if st is not None and not stat.S_ISREG(st.st_mode):
            direct.append((path, text))
        else:
            files.append((path, real, text))
    staged: list[tuple[str, str, str]] = []  # (shown, real, temporary)
    current = items[0][0] if items else ""
    try:
        for path, real, text in files:
            current = path
            folder = os.path.dirname(os.path.abspath(real))
            os.makedirs(folder, exist_ok=True)
            clean_stale_temps(folder)
            tmp, f = _open_temp(folder)
            staged.append((path, real, tmp))
            with f:
                _fill(f, text)
            _set_mode(tmp, real)
        for path, text in direct:
            current = path
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                _fill(f, text)
        _commit(staged)
    except BaseException as e:
        for _, _, tmp in staged:
            _remove(tmp)
        if isinstance(e, OSError) and not isinstance(e, WriteError):
            raise WriteError(current, e) from None
        raise


def _fill(f, text) -> None:
    if callable(text):
        text(f)
    else:
        f.write(text)


def _temp_name(folder: str) -> str:
    return os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}")


def _open_temp(folder: str):
    """A new temporary file in ``folder`` (created 0600, like ``mkstemp``) -> (path, text file)."""
    while True:
        tmp = _temp_name(folder)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:  # pragma: no cover - 32 random bits
            continue
        try:
            return tmp, os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:  # pragma: no cover
            os.close(fd)
            _remove(tmp)
            raise


def _commit(staged: list[tuple[str, str, str]]) -> None:
    """Rename every temporary file onto its target; when one rename fails, undo the earlier
    ones (from hard-linked backups of the files they replaced) and raise."""
    done: list[tuple[str, str | None]] = []  # (real path, backup or None when it was new)
    backups: list[str] = []
    path = ""
    try:
        for path, real, tmp in staged:
            backup = None
            if len(staged) > 1 and os.path.isfile(real):
                backup = _temp_name(os.path.dirname(os.path.abspath(real)))
                try:
                    os.link(real, backup)
                    backups.append(backup)
                except OSError:  # no hard links here: this one cannot be put back
                    backup = None
            os.replace(tmp, real)
            done.append((real, backup))
    except BaseException as e:
        for real, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, real)
                else:
                    os.unlink(real)
            except OSError:  # pragma: no cover - nothing more to do
                pass
        if isinstance(e, OSError):
            raise WriteError(path, e) from None
        raise
    finally:
        for b in backups:
            _remove(b)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def clean_stale_temps(folder: str) -> list[str]:
    """Remove the temporary files that runs killed mid-write left in ``folder``: those of a
    process that no longer runs (the PID is in the name), and any older than a day. Done
    once per folder per process -> the names removed."""
    key = os.path.abspath(folder)
    if key in _cleaned:
        return []
    _cleaned.add(key)
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        full = os.path.join(folder, name)
        pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
        try:
            stale = not (pid.isdigit() and _alive(int(pid))) or now - os.lstat(full).st_mtime > _STALE_SECONDS
        except OSError:
            continue
        if stale:
            try:
                os.unlink(full)
                removed.append(name)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's process, or no way to tell
        return True
    return True


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
