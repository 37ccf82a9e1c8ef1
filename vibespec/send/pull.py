"""``GET /viber-bot/1/reports`` (each report is handed out once) and ``GET /viber-bot/1/logs``.

:func:`pull_reports` asks for pages of at most ``limit`` reports until a page comes back
empty or short, and writes each page's raw bytes to disk (temporary file, fsync, rename)
*before* parsing it: a report fetched is gone from Infobip, so the file is the only copy.
Pages are then validated with :func:`vibespec.wire.reports.analyze` (the rules of
``vibespec reports FILE``). :func:`join` reads every stored page and every receipt and
counts, per spec and per message, how many destinations are delivered, undeliverable,
expired, rejected, pending, or have no report yet."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .. import codes
from .client import Client, RetryPolicy, call_with_retry
from .receipts import Store, write_bytes_atomic

GROUPS = ("DELIVERED", "UNDELIVERABLE", "EXPIRED", "REJECTED", "PENDING")


@dataclass
class PullResult:
    pages: list[str] = field(default_factory=list)  # files written
    reports: int = 0
    diagnostics: list = field(default_factory=list)


def pull_reports(client: Client, folder: str, *, limit: int = 1000, retry: RetryPolicy | None = None,
                 sleep=time.sleep, max_pages: int = 100_000, **filters) -> PullResult:
    """Fetch reports page by page into ``folder`` (see the module docstring)."""
    from ..wire import reports  # lazy: the report parsing (pydantic models) loads only when pages are parsed, not for `send`

    out = PullResult()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    for n in range(1, max_pages + 1):
        resp = call_with_retry(lambda: client.get_reports(limit, **filters), retry or RetryPolicy(), sleep,
                               idempotent=True)
        data = resp.data if isinstance(resp.data, dict) else None
        results = data.get("results") if data is not None else None
        count = len(results) if isinstance(results, list) else 0
        if data is not None and count == 0:
            break
        path = os.path.join(folder, f"reports-{stamp}-{n:05d}.json")
        write_bytes_atomic(path, resp.raw)  # first: the only copy there will ever be
        out.pages.append(path)
        out.reports += count
        out.diagnostics.extend(d for d in reports.analyze(resp.raw, path).diagnostics if d.code != codes.VB811.code)
        if data is None or count < limit:
            break
    return out


def _stored_reports(folder: str):
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith("reports-") and n.endswith(".json"))
    except OSError:
        return
    for n in names:
        try:
            with open(os.path.join(folder, n), "rb") as f:
                data = json.loads(f.read())
        except (OSError, ValueError):
            continue
        for r in (data.get("results") or []) if isinstance(data, dict) else []:
            if isinstance(r, dict):
                yield r


def _group(r: dict) -> str:
    from ..wire.report_models import STATUS_GROUPS  # lazy: the report models (pydantic) load only for `logs` and `reports pull`, not for `send`

    st = r.get("status") if isinstance(r.get("status"), dict) else {}
    g = st.get("groupName")
    if not isinstance(g, str):
        g = STATUS_GROUPS.get(st.get("groupId"), "PENDING")
    if g == "DELIVERED" and st.get("id") == 2:  # DELIVERED_TO_OPERATOR: not final
        return "PENDING"
    return g if g in GROUPS else "PENDING"


def join(store: Store, folder: str) -> dict:
    """``{"specs": {spec: {"total": counts, "messages": {label: counts}}}, "unmatched": n}``,
    counts over ``GROUPS`` plus ``NO_REPORT`` (sent, no report stored yet). The latest
    report of a messageId wins."""
    latest: dict[str, str] = {}
    by_bulk: dict[str, list[str]] = {}
    for r in _stored_reports(folder):
        mid = r.get("messageId")
        if isinstance(mid, str):
            latest[mid] = _group(r)
        elif isinstance(r.get("bulkId"), str):
            by_bulk.setdefault(r["bulkId"], []).append(_group(r))
    specs: dict[str, Any] = {}
    matched: set[str] = set()
    for receipt in store.receipts():
        m = receipt.manifest() or {}
        spec = m.get("spec") or receipt.folder
        entry = specs.setdefault(spec, {"total": _zero(), "messages": {}})
        for ch in receipt.chunks():
            if ch.get("state") != "accepted":
                continue
            for msg in receipt.messages(ch):
                label = str(msg["message"])
                counts = entry["messages"].setdefault(label, _zero())
                mid = msg["messageId"]
                g = latest.get(mid or "", "NO_REPORT")
                if g != "NO_REPORT":
                    matched.add(mid)
                counts[g] += 1
                entry["total"][g] += 1
    return {"specs": specs, "reports": len(latest) + sum(map(len, by_bulk.values())),
            "unmatched": len(set(latest) - matched) + sum(map(len, by_bulk.values()))}


def _zero() -> dict:
    return {g: 0 for g in GROUPS + ("NO_REPORT",)}


def format_join(summary: dict) -> str:
    lines = []
    cols = GROUPS + ("NO_REPORT",)
    head = "  ".join(f"{c.lower():>13}" for c in cols)
    for spec, entry in sorted(summary["specs"].items()):
        lines.append(spec)
        lines.append(f"  {'message':<24}{head}")
        for label, counts in sorted(entry["messages"].items()):
            lines.append(f"  {label[:24]:<24}" + "  ".join(f"{counts[c]:>13}" for c in cols))
        lines.append(f"  {'total':<24}" + "  ".join(f"{entry['total'][c]:>13}" for c in cols))
    lines.append(f"{summary['reports']} reports stored; {summary['unmatched']} match no receipt")
    return "\n".join(lines) + "\n"


def read_logs(client: Client, *, limit: int = 1000, max_entries: int | None = None, retry: RetryPolicy | None = None,
              sleep=time.sleep, **filters) -> list[dict]:
    """Log entries (last 48 h) matching ``filters`` (``bulk_id``, ``message_id``,
    ``sender``, ``destination``, ``general_status``, ``sent_since``, ``sent_until``),
    following the cursor, at most 120 requests a minute."""
    out = []
    for e in client.iter_logs(limit=limit, retry=retry, sleep=sleep, **filters):
        out.append(e)
        if max_entries is not None and len(out) >= max_entries:
            break
    return out
