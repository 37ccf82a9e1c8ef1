"""Content-keyed lint results: re-linting unchanged files reads a small JSON file each.

The key covers the file's bytes and path, the configuration, the vibespec version and the
current UTC date (rules such as "send_at in the past" depend on today). ``--no-cache``
skips it; ``VIBESPEC_CACHE_DIR`` moves it (default: ``.vibespec_cache`` beside the
configuration file, else in the current folder)."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone

from . import __version__
from .diagnostics import Diagnostic

CACHE_FORMAT = "1"


class Cache:
    def __init__(self, directory: str, salt: str):
        self.directory = directory
        self.salt = salt.encode()
        self._made: set[str] = set()

    @classmethod
    def for_config(cls, cfg) -> "Cache":
        base = os.environ.get("VIBESPEC_CACHE_DIR") or os.path.join(cfg.root or os.getcwd(), ".vibespec_cache")
        today = datetime.now(timezone.utc).date().isoformat()
        salt = "\0".join((CACHE_FORMAT, __version__, today, repr(cfg)))
        return cls(os.path.join(base, "v" + CACHE_FORMAT), salt)

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

    def _file(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, key: str) -> list[Diagnostic] | None:
        try:
            with open(self._file(key), encoding="utf-8") as f:
                return [Diagnostic.from_dict(d) for d in json.load(f)]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        target = self._file(key)
        folder = os.path.dirname(target)
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
                gitignore = os.path.join(os.path.dirname(self.directory), ".gitignore")
                if not os.path.exists(gitignore):
                    with open(gitignore, "w") as g:
                        g.write("# created by vibespec\n*\n")
            tmp = f"{target}.{os.getpid()}.tmp"  # unique per process; renamed into place
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump([d.to_dict() for d in diagnostics], f)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is only slower
