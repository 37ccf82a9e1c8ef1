"""Lint results kept between runs, which never change an answer.

A result is found again only when everything it was computed from is unchanged:

* the bytes that were linted (hashed by the process that parsed them, from the same buffer:
  a file edited during a run is stored under its new content, never the old one);
* every other file read while linting it (an audience CSV: path and bytes, or the error
  reading it gave), checked again before the result is used;
* the configuration, the vibespec version and a hash of vibespec's own code (every ``.py``
  file of the package: a rule changed without a new version number still invalidates);
* the current time, as far as the result depends on it. The lint sees the time through a
  watched clock (:class:`Watch`): reading the UTC date is covered by the key (entries are
  kept for the day they were made); comparing the time with an instant (``send_at`` in the
  past, more than 180 days ahead) stores the result with the interval in which every such
  comparison keeps its answer; any other use (a local date in another zone, a message that
  says "3 hours ago", a plan that starts now) means the result is not stored at all.

Entries are bound to this machine: keys and entries are HMACs with a secret kept outside the
project (``$XDG_CACHE_HOME/vibespec/key``, else ``~/.cache/vibespec/key``, created 0600), so a
cache folder that was committed, copied or planted matches nothing. Every entry is also
checked for shape (known codes and severities, bounded numbers and text) and a result names
no file but the one it belongs to; anything else is ignored. Inside the cache folder no
symbolic link is followed (``O_NOFOLLOW``, ``dir_fd``), only a regular file is read, at most
:data:`MAX_BYTES` of it, and a nesting too deep for the JSON parser is a damaged cache.

All results live in one JSON file (``v3/results.json``), read once when a run starts and
written once when it ends (:meth:`Cache.flush`): creating 1,000 small files took a quarter
of a second. ``--no-cache`` skips it; ``VIBESPEC_CACHE_DIR`` moves it (default:
``.vibespec_cache`` beside the configuration file, else in the current folder). Where the
secret cannot be kept (no writable home) or the platform has no ``O_NOFOLLOW``/``dir_fd``,
there is no cache: a run is only slower."""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import operator
import os
import re
import stat
import sys
from datetime import date, datetime, timedelta, timezone

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from ..files import _upto, read_fd

CACHE_FORMAT = "3"
_FILE = "results.json"
#: the most read from the cache file; a bigger one is ignored (and replaced on the next write)
MAX_BYTES = 256 * 1024 * 1024
_MAX_TEXT = 100_000  # characters in one message or help text
_MAX_POS = 10**9  # line and column numbers
_SEVERITIES = frozenset(s.value for s in Severity)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_SUPPORTED = bool(_NOFOLLOW) and os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd \
    and os.rename in os.supports_dir_fd and os.unlink in os.supports_dir_fd
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _utcnow() -> datetime:  # the one place the cache reads the clock (tests replace it)
    return datetime.now(timezone.utc)


# --------------------------------------------------------------------------- code and secret

_CODE: tuple[str, frozenset[str]] | None = None


def code_fingerprint() -> tuple[str, frozenset[str]]:
    """(sha256 of every ``.py`` file of the installed vibespec package, the codes ``"VBnnn"``
    written in them). About 5 ms for the 850 KB package."""
    global _CODE
    if _CODE is None:
        _CODE = _fingerprint(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the whole package
    return _CODE


def _fingerprint(root: str) -> tuple[str, frozenset[str]]:
    h = hashlib.sha256()
    codes: set[bytes] = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                p = os.path.join(folder, name)
                with open(p, "rb") as f:
                    src = f.read()
                h.update(os.path.relpath(p, root).encode() + b"\0" + len(src).to_bytes(8, "big") + src)
                codes.update(re.findall(rb'"(VB\d{3})"', src))
    return h.hexdigest(), frozenset(c.decode() for c in codes)


def _secret_path() -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache")
                                                 if os.path.expanduser("~") != "~" else None)
    return os.path.join(base, "vibespec", "key") if base else None


def machine_secret() -> bytes | None:
    """32 random bytes kept 0600 outside any project (created on first use), or None."""
    path = _secret_path()
    if path is None:
        return None
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                st = os.fstat(fd)
                data = os.read(fd, 200) if stat.S_ISREG(st.st_mode) else b""
            finally:
                os.close(fd)
            if re.fullmatch(rb"[0-9a-f]{64}\n?", data):
                return bytes.fromhex(data[:64].decode())
            return None  # not ours: never overwritten, and no cache
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:  # create: write a temporary file, then link it into place (never a half-written key)
            folder = os.path.dirname(path)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            tmp = os.path.join(folder, f".key-{os.getpid()}-{os.urandom(4).hex()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            try:
                os.write(fd, os.urandom(32).hex().encode() + b"\n")
            finally:
                os.close(fd)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another run made it first: read theirs
            finally:
                os.unlink(tmp)
        except OSError:
            return None
    return None


# --------------------------------------------------------------------------- the watched clock


class Watch:
    """What one lint did with the current time ``now0``: :attr:`opaque` once it used it in a
    way the cache cannot bound; else the result holds from ``now0`` until :attr:`until`
    (``None``: all day)."""

    def __init__(self, now0: datetime):
        if now0.utcoffset() != timedelta(0):
            raise ValueError("the watched time is UTC")
        self.now0 = now0
        self.opaque = False
        self.until: datetime | None = None

    def now(self) -> datetime:
        return _Instant.make(self.now0, self)

    def flip(self, at: datetime) -> None:
        """A comparison changes its answer when the time reaches ``at``."""
        if at >= self.now0 and (self.until is None or at < self.until):
            self.until = at

    def cacheable(self) -> bool:
        return not self.opaque and (self.until is None or self.until > self.now0)


_ALLOWED = frozenset({"_v", "_w", "_s", "_compare", "make", "__class__", "__dict__", "tzinfo", "utcoffset", "date",
                      "astimezone"})


def _opaque(name: str):
    def method(self, *args):
        object.__getattribute__(self, "_w").opaque = True
        v = object.__getattribute__(self, "_v")
        args = tuple(a._v if isinstance(a, (_Instant, _Delta)) else a for a in args)
        return getattr(v, name)(*args)

    method.__name__ = name
    return method


class _Watched:
    """What a watched time and a watched difference share: reading anything but what the
    comparisons and arithmetic need makes the watch opaque, and the six comparisons go through
    the class's ``_compare`` (which records when the answer flips)."""

    __slots__ = ()

    def __getattribute__(self, name):
        if name not in _ALLOWED:
            object.__getattribute__(self, "_w").opaque = True
        return object.__getattribute__(self, name)

    def __lt__(self, o): return self._compare(o, operator.lt)  # noqa: E704
    def __le__(self, o): return self._compare(o, operator.le)  # noqa: E704
    def __gt__(self, o): return self._compare(o, operator.gt)  # noqa: E704
    def __ge__(self, o): return self._compare(o, operator.ge)  # noqa: E704
    def __eq__(self, o): return self._compare(o, operator.eq)  # noqa: E704
    def __ne__(self, o): return self._compare(o, operator.ne)  # noqa: E704


class _Instant(_Watched, datetime):
    """``now + c``: behaves as the datetime ``_v``; comparing it with a plain datetime records
    when the answer flips; arithmetic keeps the tracking; anything else makes the watch opaque."""

    _v: datetime
    _w: Watch

    @classmethod
    def make(cls, v: datetime, w: Watch) -> "_Instant":
        obj = datetime.__new__(cls, v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond,
                               v.tzinfo, fold=v.fold)
        obj._v, obj._w = v, w
        return obj

    def date(self) -> date:
        v, w = self._v, self._w
        if v != w.now0:  # the UTC date of the time itself is in the key; of a shifted time it is not
            w.opaque = True
        return v.date()

    def astimezone(self, tz=None):
        v, w = self._v, self._w
        if tz is not None and v.utcoffset() == timedelta(0) and \
                all(tz.utcoffset(datetime(y, m, 1)) == timedelta(0) for y in (2000, 2026) for m in (1, 7)):
            return _Instant.make(v.astimezone(tz), w)  # same instant, UTC again
        w.opaque = True
        return v.astimezone(tz)

    def _compare(self, other, op):
        v, w = self._v, self._w
        if isinstance(other, _Instant):
            if other._w is not w:
                w.opaque = other._w.opaque = True
            return op(v, other._v)
        if isinstance(other, datetime):
            try:
                w.flip(w.now0 + (other - v))
            except (TypeError, OverflowError):
                w.opaque = True
            return op(v, other)
        return NotImplemented

    def __add__(self, other):
        if isinstance(other, timedelta) and not isinstance(other, _Delta):
            return _Instant.make(self._v + other, self._w)
        self._w.opaque = True
        return self._v + (other._v if isinstance(other, _Delta) else other)

    __radd__ = __add__

    def __sub__(self, other):
        v, w = self._v, self._w
        if isinstance(other, _Instant):
            if other._w is not w:
                w.opaque = True
            return v - other._v  # both move with the time: the difference does not
        if isinstance(other, _Delta):
            w.opaque = True
            return v - other._v
        if isinstance(other, timedelta):
            return _Instant.make(v - other, w)
        if isinstance(other, datetime):
            return _Delta.make(v - other, +1, w)
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, datetime) and not isinstance(other, _Instant):
            return _Delta.make(other - self._v, -1, self._w)
        return NotImplemented

    for _n in ("__hash__", "__str__", "__repr__", "__format__", "__reduce__", "__reduce_ex__"):
        locals()[_n] = _opaque(_n)
    del _n


class _Delta(_Watched, timedelta):
    """``_v + s * (time - now0)``, a difference with the current time; compared with a plain
    timedelta it records when the answer flips."""

    _v: timedelta
    _s: int
    _w: Watch

    @classmethod
    def make(cls, v: timedelta, s: int, w: Watch) -> "_Delta":
        obj = timedelta.__new__(cls, v.days, v.seconds, v.microseconds)
        obj._v, obj._s, obj._w = v, s, w
        return obj

    def _compare(self, other, op):
        v, s, w = self._v, self._s, self._w
        if isinstance(other, _Delta):
            w.opaque = other._w.opaque = True
            return op(v, other._v)
        if isinstance(other, timedelta):
            try:
                w.flip(w.now0 + ((other - v) if s > 0 else (v - other)))
            except OverflowError:
                w.opaque = True
            return op(v, other)
        return NotImplemented

    def __bool__(self):
        return self._compare(timedelta(0), operator.ne)

    def __neg__(self):
        return _Delta.make(-self._v, -self._s, self._w)

    def __pos__(self):
        return self

    def __add__(self, other):
        if isinstance(other, timedelta) and not isinstance(other, _Delta):
            return _Delta.make(self._v + other, self._s, self._w)
        if isinstance(other, datetime) and not isinstance(other, _Instant) and self._s > 0:
            return _Instant.make(other + self._v, self._w)
        self._w.opaque = True
        return self._v + (other._v if isinstance(other, (_Delta, _Instant)) else other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, timedelta) and not isinstance(other, _Delta):
            return _Delta.make(self._v - other, self._s, self._w)
        self._w.opaque = True
        return self._v - (other._v if isinstance(other, _Delta) else other)

    def __rsub__(self, other):
        if isinstance(other, timedelta) and not isinstance(other, _Delta):
            return _Delta.make(other - self._v, -self._s, self._w)
        self._w.opaque = True
        return other - self._v

    for _n in ("__hash__", "__str__", "__repr__", "__format__", "__reduce__", "__reduce_ex__", "__abs__",
               "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
               "__mod__", "__rmod__", "__divmod__", "__rdivmod__"):
        locals()[_n] = _opaque(_n)
    del _n


# --------------------------------------------------------------------------- entries


def _diag_row(d: Diagnostic) -> list:
    return [d.code, d.severity.value, d.message, d.line, d.column, d.end_line, d.end_column, d.help, d.pointer]


def _pos(x, optional: bool = False) -> bool:
    if x is None:
        return optional
    return type(x) is int and 0 <= x <= _MAX_POS


def _text(x, optional: bool = False) -> bool:
    if x is None:
        return optional
    return type(x) is str and len(x) <= _MAX_TEXT


def _diags_from(rows, file: str, codes: frozenset[str]) -> list[Diagnostic] | None:
    """The diagnostics of a stored entry, or None when any row is not one vibespec could have written."""
    if type(rows) is not list:
        return None
    out = []
    for r in rows:
        if type(r) is not list or len(r) != 9:
            return None
        code, sev, msg, line, col, eline, ecol, help_, pointer = r
        if not (type(code) is str and code in codes and type(sev) is str and sev in _SEVERITIES and _text(msg)
                and _pos(line) and _pos(col) and _pos(eline, True) and _pos(ecol, True)
                and _text(help_, True) and _text(pointer, True)):
            return None
        out.append(Diagnostic(code, Severity(sev), msg, file, line, col, eline, ecol, help_, pointer))
    return out


#: the largest read cap a stored dependency may name (the audience reader's is 256 MiB)
_MAX_DEP_CAP = 1 << 30


def _digest_of(path: str, cap: int) -> str:
    """What the lint would see reading ``path`` now: the sha256 of its first ``cap + 1`` bytes,
    or the error (as :func:`vibespec.files.read_capped` notes it). Only a regular file is read
    (a FIFO or a device never matches), opened without waiting for a writer."""


    if not 0 <= cap <= _MAX_DEP_CAP:
        return "!cap"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        return f"!{e.errno}"
    try:
        mode = os.fstat(fd).st_mode
    except OSError as e:
        os.close(fd)
        return f"!{e.errno}"
    if not stat.S_ISREG(mode):
        os.close(fd)
        return f"!{errno.EISDIR}" if stat.S_ISDIR(mode) else "!special"
    with os.fdopen(fd, "rb") as f:
        try:
            return hashlib.sha256(_upto(f, cap + 1)).hexdigest()
        except OSError as e:
            return f"!{e.errno}"


# --------------------------------------------------------------------------- the cache


class Cache:
    def __init__(self, base: str, salt: str, *, secret: bytes, now: datetime | None = None,
                 follow_base: bool = True):
        self.base = base  # the cache folder; results are in base/v3/results.json
        self.follow_base = follow_base  # False: the folder itself may not be a symbolic link
        self.now = now or _utcnow()
        self.day = self.now.date().isoformat()
        self.secret = secret
        self._salt = "\0".join((CACHE_FORMAT, self.day, salt)).encode()
        self.codes = code_fingerprint()[1]
        self._entries: dict | None = None  # loaded on first use
        self._new: dict[str, list] = {}

    @classmethod
    def for_config(cls, cfg, now: datetime | None = None) -> "Cache | None":
        """The cache for a configuration, or None where there can be none (see the module doc)."""
        if not _SUPPORTED:
            return None
        secret = machine_secret()
        if secret is None:
            return None
        env = os.environ.get("VIBESPEC_CACHE_DIR")
        base = env or os.path.join(cfg.root or os.getcwd(), ".vibespec_cache")
        salt = "\0".join((__version__, code_fingerprint()[0], sys.version, repr(cfg)))
        return cls(base, salt, secret=secret, now=now, follow_base=bool(env))

    @property
    def directory(self) -> str:
        return os.path.join(self.base, "v" + CACHE_FORMAT)

    @property
    def path(self) -> str:
        return os.path.join(self.directory, _FILE)

    def key(self, path: str, digest: str) -> str:
        """The key of ``path`` linted with content of sha256 ``digest``."""
        material = self._salt + b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0" + \
            digest.encode()
        return hmac.new(self.secret, material, hashlib.sha256).hexdigest()

    def _mac(self, key: str, payload: str) -> str:
        return hmac.new(self.secret, key.encode() + b"\0" + payload.encode("utf-8", "surrogatepass"),
                        hashlib.sha256).hexdigest()

    # -- the folder, never through a symbolic link -----------------------------------
    def _open_dirs(self, create: bool) -> tuple[int, int] | None:
        """File descriptors of the cache folder and of its ``v3`` folder (None: absent or unsafe)."""
        base = os.path.abspath(self.base)
        parent, name = os.path.split(base)
        fds: list[int] = []
        try:
            if create:
                os.makedirs(parent, exist_ok=True)
            fds.append(os.open(parent, _DIR))
            for i, part in enumerate((name, "v" + CACHE_FORMAT)):
                flags = _DIR | (_NOFOLLOW if (i or not self.follow_base) else 0)
                try:
                    fds.append(os.open(part, flags, dir_fd=fds[-1]))
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(part, 0o777, dir_fd=fds[-1])
                    fds.append(os.open(part, flags, dir_fd=fds[-1]))
            os.close(fds.pop(0))
            return fds[0], fds[1]
        except OSError:  # missing, not a folder, a symbolic link (ELOOP / ENOTDIR): no cache here
            for fd in fds:
                os.close(fd)
            return None

    def _read(self) -> bytes | None:
        fds = self._open_dirs(create=False)
        if fds is None:
            return None
        try:
            fd = os.open(_FILE, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0),
                         dir_fd=fds[1])
        except OSError:
            return None
        finally:
            for d in fds:
                os.close(d)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None  # a FIFO, a device, a huge file: not a cache vibespec wrote

            data = read_fd(fd, MAX_BYTES + 1)
            return None if len(data) > MAX_BYTES else data
        except OSError:
            return None
        finally:
            os.close(fd)

    def _load(self) -> dict:
        if self._entries is None:
            self._entries = {}
            data = self._read()
            if data is not None:
                try:
                    stored = json.loads(data)
                except (ValueError, RecursionError, MemoryError):
                    stored = None  # damaged: start afresh
                if type(stored) is dict and stored.get("format") == CACHE_FORMAT and stored.get("day") == self.day \
                        and type(stored.get("entries")) is dict:
                    self._entries = stored["entries"]
        return self._entries

    # -- entries ---------------------------------------------------------------------
    def get(self, key: str, path: str) -> list[Diagnostic] | None:
        """The stored diagnostics of ``path`` under ``key``, if the entry is intact, every file
        it read is unchanged and the current time is inside the interval it holds for."""
        found = self._load().get(key)
        if type(found) is not list or len(found) != 2 or type(found[0]) is not str or type(found[1]) is not str:
            return None
        mac, payload = found
        if not hmac.compare_digest(mac.encode("utf-8", "surrogatepass"), self._mac(key, payload).encode()):
            return None  # not written by this machine for this key
        try:
            entry = json.loads(payload)
        except (ValueError, RecursionError):
            return None
        if type(entry) is not dict:
            return None
        since, until, deps = entry.get("since"), entry.get("until"), entry.get("deps")
        now = self.now.timestamp()
        if type(since) not in (int, float) or since > now or (until is not None and (type(until) not in (int, float)
                                                                                  or now >= until)):
            return None
        if type(deps) is not list:
            return None
        for dep in deps:
            if not (type(dep) is list and len(dep) == 3 and type(dep[0]) is str and type(dep[1]) is int
                    and type(dep[2]) is str):
                return None
            if _digest_of(dep[0], dep[1]) != dep[2]:
                return None  # an audience file changed (or appeared, or went)
        return _diags_from(entry.get("d"), path, self.codes)

    def put(self, key: str, path: str, diagnostics: list[Diagnostic], *, deps=(), watch: Watch | None = None) -> bool:
        """Store a result; False (nothing stored) when it cannot be found again honestly: it
        names another file, or it depends on the time in a way that can change."""
        if any(d.file != path for d in diagnostics):
            return False
        if watch is not None and not watch.cacheable():
            return False
        if watch is not None and watch.now0 != self.now:
            return False
        entry = {"since": self.now.timestamp(),
                 "until": watch.until.timestamp() if watch is not None and watch.until is not None else None,
                 "deps": [list(d) for d in deps], "d": [_diag_row(d) for d in diagnostics]}
        payload = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        self._new[key] = [self._mac(key, payload), payload]
        return True

    def flush(self) -> None:
        """Write what :meth:`put` collected, merged with what is on disk now (another run may
        have written since this one started). Two runs finishing at the same time each
        replace the file atomically; the later one may drop a few of the earlier one's
        entries, which only costs a re-lint."""
        if not self._new:
            return
        self._entries = None  # re-read: merge with the newest file
        entries = dict(self._load())
        entries.update(self._new)
        self._entries, self._new = entries, {}
        fds = self._open_dirs(create=True)
        if fds is None:
            return  # a cache that cannot be written is only slower
        base_fd, v_fd = fds
        try:
            try:  # keep the cache out of version control
                g = os.open(".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=base_fd)
                with os.fdopen(g, "w") as f:
                    f.write("# created by vibespec\n*\n")
            except OSError:
                pass  # there already (or a link: left alone)
            data = json.dumps({"format": CACHE_FORMAT, "day": self.day, "entries": entries},
                              separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
            tmp = f".results-{os.getpid()}-{os.urandom(4).hex()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=v_fd)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.rename(tmp, _FILE, src_dir_fd=v_fd, dst_dir_fd=v_fd)  # replaces it (POSIX)
            except BaseException:
                try:
                    os.unlink(tmp, dir_fd=v_fd)
                except OSError:
                    pass
                if not isinstance(sys.exc_info()[1], OSError):
                    raise
        except OSError:
            pass
        finally:
            os.close(base_fd)
            os.close(v_fd)
