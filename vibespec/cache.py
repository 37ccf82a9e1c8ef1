"""Content-keyed lint results, one file per cache folder.

The key covers the file's bytes and path, the configuration, the vibespec version and the
current UTC date (rules such as "send_at in the past" depend on today). ``--no-cache``
skips it; ``VIBESPEC_CACHE_DIR`` moves it (default: ``.vibespec_cache`` beside the
configuration file, else in the current folder).

All results live in one JSON file (``v2/results.json``), read once when a run starts and
written once when it ends (:meth:`Cache.flush`), instead of a small file per spec: creating
1,000 files took a quarter of a second, more than a fifth of a cold run. Only today's
entries are kept (yesterday's keys can never match again). Two runs finishing at the same
time each replace the file atomically; the later one may drop a few of the earlier one's
entries, which only costs a re-lint."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone

from . import __version__
from .diagnostics import Diagnostic
from .files import write_atomic

CACHE_FORMAT = "2"
_FILE = "results.json"


class Cache:
    def __init__(self, directory: str, salt: str, day: str | None = None):
        self.directory = directory
        self.salt = salt.encode()
        self.day = day or datetime.now(timezone.utc).date().isoformat()
        self._entries: dict[str, list] | None = None  # loaded on first use
        self._new: dict[str, list] = {}

    @classmethod
    def for_config(cls, cfg) -> "Cache":
        base = os.environ.get("VIBESPEC_CACHE_DIR") or os.path.join(cfg.root or os.getcwd(), ".vibespec_cache")
        today = datetime.now(timezone.utc).date().isoformat()
        salt = "\0".join((CACHE_FORMAT, __version__, today, repr(cfg)))
        return cls(os.path.join(base, "v" + CACHE_FORMAT), salt, today)

    @property
    def path(self) -> str:
        return os.path.join(self.directory, _FILE)

    def key(self, path: str) -> str | None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        h = hashlib.sha256(self.salt)
        h.update(b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _load(self) -> dict[str, list]:
        if self._entries is None:
            self._entries = {}
            try:
                with open(self.path, encoding="utf-8") as f:
                    stored = json.load(f)
                if isinstance(stored, dict) and stored.get("day") == self.day and isinstance(stored.get("entries"), dict):
                    self._entries = stored["entries"]
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh
        return self._entries

    def get(self, key: str) -> list[Diagnostic] | None:
        found = self._load().get(key)
        if not isinstance(found, list):
            return None
        try:
            return [Diagnostic.from_dict(d) for d in found]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        self._new[key] = [d.to_dict() for d in diagnostics]

    def flush(self) -> None:
        """Write what :meth:`put` collected, merged with what is on disk now (another run may
        have written since this one started)."""
        if not self._new:
            return
        self._entries = None  # re-read: merge with the newest file
        entries = dict(self._load())
        entries.update(self._new)
        try:
            os.makedirs(self.directory, exist_ok=True)
            gitignore = os.path.join(os.path.dirname(self.directory), ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w") as g:
                    g.write("# created by vibespec\n*\n")
            write_atomic(self.path, lambda f: json.dump({"day": self.day, "entries": entries}, f,
                                                        separators=(",", ":")))
        except OSError:
            pass  # a cache that cannot be written is only slower
        self._entries, self._new = entries, {}
