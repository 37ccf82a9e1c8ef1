"""Receipts: what was sent, when, and what Infobip answered -- on disk, written atomically.

Layout (``ROOT`` is the ``receipts`` setting, default ``.vibespec/receipts``)::

    ROOT/<spec stem>-<12 hex of the spec's absolute path>/
        lock                       held (flock) while a send of this spec runs
        <16 hex of the plan id>/
            receipt.json           spec, plan id, body hashes, state ("sending", "sent", "failed")
            chunks/00001.json      per request: bulkId, sha256, state, attempts, the spec
                                   message of each destination ("labels")
            chunks/00001.response.json   Infobip's answer as received: messages[]
                                   (messageId, destination, status)

A chunk file is written *before* its first request leaves (state ``sending``: a write-ahead
record) and again after each outcome. A run killed at any moment therefore leaves each
chunk either unrecorded (never sent), ``accepted`` (confirmed: skipped on the next run) or
``sending``/``unknown`` (maybe sent: the next run asks the logs before it resends)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator



def write_bytes_atomic(path: str, data: bytes, sync: bool = True) -> None:
    """Write ``data`` to ``path`` through ``path.<pid>-<thread>.tmp`` + rename (mode 0644; a
    reader never sees half a file); ``sync`` flushes it to the disk first (report pages:
    the only copy)."""

    folder = os.path.dirname(os.path.abspath(path))
    tmp = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(path: str, text: str) -> None:
    """Temporary file + rename, mode 0644 (no umask juggling: several threads write)."""
    write_bytes_atomic(path, text.encode("utf-8"), sync=False)


class LockedError(Exception):
    """Another send of the same spec holds the lock."""


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def spec_key(spec: str, root: str | None = None) -> str:
    """``<file name>-<12 hex>`` naming a spec's receipts: the hash is of the spec's path
    relative to the receipts folder, so a checkout moved elsewhere (another CI runner)
    finds its receipts."""
    absolute = os.path.abspath(spec)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(absolute))[:60] or "spec"
    where = absolute
    if root is not None:
        try:
            where = os.path.relpath(absolute, os.path.abspath(root)).replace(os.sep, "/")
        except ValueError:  # another drive (Windows)
            pass
    return f"{stem}-{hashlib.sha256(where.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}"


def _dump(data: Any, indent: int | None = 1) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def _read(path: str) -> dict | None:
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read())
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


class Lock:
    """An exclusive lock on ``path`` (released by the OS when the process dies, even by
    ``kill -9``)."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "Lock":
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl  # lazy: platform-specific: fcntl exists on POSIX only

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LockedError("another send of this spec is running (lock " + self.path + ")") from None
        except ImportError:  # pragma: no cover - Windows
            import msvcrt  # lazy: platform-specific: msvcrt exists on Windows only

            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                os.close(fd)
                raise LockedError("another send of this spec is running (lock " + self.path + ")") from None
        self.fd = fd
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


@dataclass
class Receipt:
    """One plan's receipt folder."""

    folder: str

    @property
    def manifest_path(self) -> str:
        return os.path.join(self.folder, "receipt.json")

    def manifest(self) -> dict | None:
        return _read(self.manifest_path)

    def write_manifest(self, data: dict) -> None:
        write_atomic(self.manifest_path, _dump(data))

    def chunk_path(self, index: int) -> str:
        return os.path.join(self.folder, "chunks", f"{index:05d}.json")

    def chunk(self, index: int) -> dict | None:
        return _read(self.chunk_path(index))

    def write_chunk(self, index: int, data: dict) -> None:
        # one line: the C encoder (an indented dump of 10,000 messages is 10x slower)
        write_atomic(self.chunk_path(index), _dump(data, None))

    def response_name(self, index: int) -> str:
        return f"{index:05d}.response.json"

    def write_response(self, index: int, raw: bytes) -> None:
        write_bytes_atomic(os.path.join(self.folder, "chunks", self.response_name(index)), raw, sync=False)

    def messages(self, record: dict) -> Iterator[dict]:
        """``{messageId, to, status, message}`` for each destination of an accepted request:
        its answer's ``messages[]`` (as stored), with the spec message it came from."""
        name = record.get("response")
        if not name:
            return
        data = _read(os.path.join(self.folder, "chunks", os.path.basename(name)))
        entries = (data or {}).get("messages")
        if not isinstance(entries, list):
            return
        labels = [lab for lab, n in record.get("labels") or () for _ in range(n)]
        for i, m in enumerate(entries):
            if not isinstance(m, dict):
                continue
            st = m.get("status") if isinstance(m.get("status"), dict) else {}
            label = m.get("message") or (labels[i] if i < len(labels) else "?")
            yield {"messageId": m.get("messageId"), "to": m.get("to", m.get("destination")),
                   "status": st.get("groupName"), "message": label}

    def chunks(self) -> Iterator[dict]:
        folder = os.path.join(self.folder, "chunks")
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return
        for n in names:
            if n.endswith(".json") and not n.endswith(".response.json"):
                d = _read(os.path.join(folder, n))
                if d is not None:
                    yield d


class Store:
    def __init__(self, root: str):
        self.root = root

    def spec_folder(self, spec: str) -> str:
        return os.path.join(self.root, spec_key(spec, self.root))

    def lock(self, spec: str) -> Lock:
        return Lock(os.path.join(self.spec_folder(spec), "lock"))

    def receipt(self, spec: str, plan_id: str) -> Receipt:
        return Receipt(os.path.join(self.spec_folder(spec), plan_id[:16]))

    def receipts(self, spec: str | None = None) -> Iterator[Receipt]:
        folders = [self.spec_folder(spec)] if spec else [os.path.join(self.root, d) for d in _listdir(self.root)]
        for sf in folders:
            for d in _listdir(sf):
                p = os.path.join(sf, d)
                if os.path.isfile(os.path.join(p, "receipt.json")):
                    yield Receipt(p)

    def sent(self, spec: str, plan_id: str | None = None) -> list[dict]:
        """Manifests of the receipts whose every request was accepted: of ``spec``, and of
        any spec with the same plan (the same bytes, moved or renamed)."""
        out = [m for r in self.receipts(spec) if (m := r.manifest()) and m.get("state") == "sent"]
        if plan_id:
            for r in self.receipts():
                if os.path.basename(r.folder) == plan_id[:16] and (m := r.manifest()) \
                        and m.get("state") == "sent" and m.get("plan_id") == plan_id and m not in out:
                    out.append(m)
        return out

    def archive(self, receipt: Receipt) -> str:
        """Move a finished receipt aside (``--force`` sends again under a fresh one)."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        dest = f"{receipt.folder}.{stamp}"
        n = 1
        while os.path.exists(dest):
            n += 1
            dest = f"{receipt.folder}.{stamp}-{n}"
        os.replace(receipt.folder, dest)
        return dest


def _listdir(path: str) -> list[str]:
    try:
        return sorted(d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d)))
    except OSError:
        return []


now = _now
