"""Apply a :class:`~vibespec.send.plan.SendPlan`: send each chunk once, record everything.

Per chunk, in order:

1. A receipt that says ``accepted`` -> skipped (a rerun after a crash sends only the rest).
2. A receipt that says ``sending`` or ``unknown`` (a run died, or the answer was lost) ->
   the logs are asked for the chunk's bulkId first; found -> ``accepted`` from the logs,
   never resent.
3. Write-ahead: the chunk file is written with state ``sending`` before the body leaves.
4. ``POST /viber-bot/1/messages``. Not sent (connection refused), 429 and 503 -> retried
   with exponential backoff and jitter (``Retry-After`` wins). 400/401/403 -> final,
   the run stops starting new chunks. A timeout, a dropped connection or another 5xx after
   the body left -> unknown: the logs are asked (``unknown_checks`` times,
   ``unknown_wait`` apart) and only when they show nothing under the bulkId is the chunk
   sent again.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from ..diagnostics import Diagnostic, Severity, pointer_from_path
from .client import Client, NotSent, Rejected, RetryPolicy, SendError, Throttled, Unknown, call_with_retry
from .plan import Chunk, SendPlan
from .receipts import Receipt, Store, now


LOGS_HOURS = 47  # Infobip keeps 48 h of logs; an hour of margin


def _age_hours(stamp: str) -> float:
    try:
        t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return float("inf")
    return (datetime.now(timezone.utc) - t).total_seconds() / 3600


class AlreadySent(SendError):
    """The receipt says this spec went out (``--force`` to send again)."""


@dataclass
class ChunkResult:
    index: int
    bulk_id: str
    state: str  # accepted | rejected | unknown | failed | skipped
    destinations: int
    error: str | None = None
    violations: tuple = ()
    via: str = "send"  # send | logs | receipt


@dataclass
class SendResult:
    spec: str
    plan_id: str
    receipt: str
    chunks: list[ChunkResult] = field(default_factory=list)
    diagnostics: list = field(default_factory=list)  # 400 violations mapped to the spec
    fatal: str | None = None

    @property
    def ok(self) -> bool:
        return self.fatal is None and all(c.state in ("accepted", "skipped") for c in self.chunks)

    def counts(self) -> dict:
        out: dict = {}
        for c in self.chunks:
            out[c.state] = out.get(c.state, 0) + 1
        return out


def message_labels(plan: SendPlan) -> dict[int, str]:
    """Body message index -> the spec message's ``id`` (else ``#N``, 1-based in the body)."""
    labels = {}
    facts = getattr(plan.compiled, "facts", None)
    for mf in getattr(facts, "messages", ()) or ():
        if mf.id is not None:
            labels[mf.index] = str(mf.id)
    return {i: labels.get(i, f"#{i + 1}") for i in range(plan.messages)}


def _labels_of(chunk: Chunk, labels: dict[int, str]) -> list[list]:
    """``[[spec message label, destinations], ...]`` of ``chunk``, in request order."""
    out: list[list] = []
    for mi, s, e in chunk.parts:
        if out and out[-1][0] == labels[mi]:
            out[-1][1] += e - s
        else:
            out.append([labels[mi], e - s])
    return out


def _by_to(plan: SendPlan, chunk: Chunk, labels: dict[int, str]) -> dict[str, str]:
    by_to: dict[str, str] = {}
    msgs = plan.body["messages"]
    for mi, s, e in chunk.parts:
        for d in msgs[mi]["destinations"][s:e]:
            by_to.setdefault(str(d.get("to") if isinstance(d, dict) else d), labels[mi])
    return by_to


class Sender:
    def __init__(self, plan: SendPlan, client: Client, store: Store, *, concurrency: int = 4,
                 retry: RetryPolicy | None = None, unknown_checks: int = 3, unknown_wait: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] | None = None):
        self.plan = plan
        self.client = client
        self.store = store
        self.concurrency = concurrency
        self.retry = retry or RetryPolicy()
        self.unknown_checks = unknown_checks
        self.unknown_wait = unknown_wait
        self.sleep = sleep
        self.log = log or (lambda s: None)
        self.stop = threading.Event()
        self.receipt: Receipt | None = None
        self.labels = message_labels(plan)
        self.resuming = True  # read each request's record before sending (run() knows better)

    # ---- the run ----------------------------------------------------------------
    def run(self, force: bool = False) -> SendResult:
        # the compiled body (100,000 destination dicts) lives through the send: without
        # this, every full collection walks it again, and sending gets slower per request
        # the larger the audience
        gc.freeze()
        try:
            return self._run(force)
        finally:
            gc.unfreeze()

    def _run(self, force: bool) -> SendResult:
        plan = self.plan
        with self.store.lock(plan.spec):
            done = self.store.sent(plan.spec, plan.plan_id)
            if done and not force:
                last = done[-1]
                raise AlreadySent(f"{plan.spec} was already sent ({last.get('finished')}, plan "
                                  f"{str(last.get('plan_id'))[:16]}, receipt in {self.store.spec_folder(plan.spec)}); "
                                  "use --force to send it again")
            receipt = self.store.receipt(plan.spec, plan.plan_id)
            m = receipt.manifest()
            if m is not None and m.get("state") == "sent":
                self.store.archive(receipt)
                m = None
            self.receipt = receipt
            # a receipt with request records: a rerun, read them; else nothing to read
            self.resuming = os.path.isdir(os.path.join(receipt.folder, "chunks"))
            manifest = {
                "spec": plan.spec, "spec_sha256": plan.spec_sha256, "plan_id": plan.plan_id,
                "config": plan.config, "config_sha256": plan.config_sha256, "base_url": self.client.base_url,
                "chunk_size": plan.chunk_size, "requests": len(plan.chunks), "destinations": plan.destinations,
                "sendAt": plan.send_at,
                "chunks": [c.to_dict() for c in plan.chunks],
                "started": (m or {}).get("started") or now(), "runs": (m or {}).get("runs", 0) + 1,
                "state": "sending", "finished": None,
            }
            receipt.write_manifest(manifest)
            result = SendResult(plan.spec, plan.plan_id, receipt.folder)
            results: dict[int, ChunkResult] = {}
            chunks = list(plan.chunks)
            # the first request not yet confirmed goes alone: a bad key or a body Infobip
            # refuses is then learnt from one request, not from `concurrency` of them
            while chunks and not self.stop.is_set():
                r = self._guarded(receipt, chunks.pop(0))
                results[r.index] = r
                if r.via == "send":
                    break
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                pending: set = set()
                try:
                    for chunk in chunks:
                        if self.stop.is_set():
                            break
                        while len(pending) >= self.concurrency * 2:
                            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                            for f in finished:
                                r = f.result()
                                results[r.index] = r
                        pending.add(pool.submit(self._guarded, receipt, chunk))
                    for f in pending:
                        r = f.result()
                        results[r.index] = r
                except BaseException:  # Ctrl-C: start nothing more; requests in flight finish
                    self.stop.set()
                    for f in pending:
                        f.cancel()
                    raise
            result.chunks = [results[i] for i in sorted(results)]
            for r in result.chunks:
                if r.state == "rejected" and r.violations:
                    result.diagnostics.extend(violation_diagnostics(plan, r.index, r.violations))
                if r.state == "rejected" and r.error and result.fatal is None:
                    result.fatal = r.error
            all_ok = len(result.chunks) == len(plan.chunks) and all(
                c.state in ("accepted", "skipped") for c in result.chunks)
            manifest["state"] = "sent" if all_ok else "incomplete"
            manifest["finished"] = now()
            manifest["outcome"] = result.counts()
            receipt.write_manifest(manifest)
            return result

    def _guarded(self, receipt: Receipt, chunk: Chunk) -> ChunkResult:
        try:
            return self._chunk(receipt, chunk)
        except Exception as e:  # never lose the other chunks to one bug (or a full disk)
            self.stop.set()
            return ChunkResult(chunk.index, chunk.bulk_id, "failed", chunk.destinations,
                               self.client.redact(f"{type(e).__name__}: {e}"))

    # ---- one chunk ----------------------------------------------------------------
    def _chunk(self, receipt: Receipt, chunk: Chunk) -> ChunkResult:
        rec = receipt.chunk(chunk.index) if self.resuming else None
        if rec is not None and rec.get("sha256") != chunk.sha256:
            rec = None  # cannot happen for one plan id; be safe
        if rec is not None and rec.get("state") == "accepted":
            return ChunkResult(chunk.index, chunk.bulk_id, "skipped", chunk.destinations, via="receipt")
        if self.stop.is_set():
            return ChunkResult(chunk.index, chunk.bulk_id, "failed", chunk.destinations, "not started: the run stopped")
        if rec is None:
            rec = {"index": chunk.index, "bulkId": chunk.bulk_id, "sha256": chunk.sha256,
                   "destinations": chunk.destinations, "state": "new", "attempts": [], "messages": []}
        elif rec.get("state") in ("sending", "unknown"):
            # a previous run may have been accepted: ask before sending anything
            first = (rec.get("attempts") or [{}])[0].get("at")
            if first and _age_hours(first) > LOGS_HOURS:
                return ChunkResult(chunk.index, chunk.bulk_id, "unknown", chunk.destinations,
                                   f"first sent {first}, more than {LOGS_HOURS} h ago (Infobip keeps 48 h of logs): "
                                   "whether it was accepted cannot be checked, so it is not sent again (check the "
                                   "delivery reports; delete " + receipt.chunk_path(chunk.index) + " to send it)")
            self.log(f"request {chunk.index} ({chunk.bulk_id}): earlier outcome unknown, asking the logs")
            found = self._ask_logs(chunk, rec)
            if found:
                return self._accepted_from_logs(receipt, chunk, rec, found)
            if found is None:
                return ChunkResult(chunk.index, chunk.bulk_id, "unknown", chunk.destinations,
                                   "earlier outcome unknown and the logs could not be read: not sent again")
        body = self.plan.chunk_bytes(chunk)
        while True:
            rec["state"] = "sending"
            rec["attempts"].append({"at": now(), "outcome": "sending"})
            receipt.write_chunk(chunk.index, rec)  # write-ahead: the body may leave after this
            attempt = rec["attempts"][-1]
            try:
                resp = call_with_retry(lambda: self.client.send_messages(body), self.retry, self.sleep,
                                       idempotent=False, on_retry=lambda n, e, p: self._note_retry(rec, e, p))
            except (NotSent, Throttled) as e:
                attempt.update(outcome="not-sent", error=str(e))
                rec["state"] = "failed"
                receipt.write_chunk(chunk.index, rec)
                self.stop.set()
                return ChunkResult(chunk.index, chunk.bulk_id, "failed", chunk.destinations, str(e))
            except Rejected as e:
                attempt.update(outcome="rejected", status=e.status, error=str(e),
                               violations=[{"property": v.property, "violation": v.violation} for v in e.violations])
                rec["state"] = "rejected"
                receipt.write_chunk(chunk.index, rec)
                self.stop.set()
                return ChunkResult(chunk.index, chunk.bulk_id, "rejected", chunk.destinations, str(e), e.violations)
            except Unknown as e:
                attempt.update(outcome="unknown", status=e.status, error=str(e))
                rec["state"] = "unknown"
                receipt.write_chunk(chunk.index, rec)
                self.log(f"request {chunk.index} ({chunk.bulk_id}): {e}; asking the logs before any resend")
                found = self._ask_logs(chunk, rec)
                if found:
                    return self._accepted_from_logs(receipt, chunk, rec, found)
                if found is None:
                    return ChunkResult(chunk.index, chunk.bulk_id, "unknown", chunk.destinations,
                                       f"{e}; the logs could not be read, so it was not sent again")
                if len(rec["attempts"]) >= self.retry.attempts:
                    return ChunkResult(chunk.index, chunk.bulk_id, "unknown", chunk.destinations, str(e))
                self.log(f"request {chunk.index} ({chunk.bulk_id}): not in the logs: sending again")
                continue
            attempt.update(outcome="accepted", status=resp.status)
            # the answer's messages[] (messageId, destination, status) is kept as Infobip
            # sent it, unparsed: the receipt is the record, and parsing 1000 statuses per
            # request would cost more than the request
            receipt.write_response(chunk.index, resp.raw)
            rec["state"] = "accepted"
            rec["accepted"] = now()
            rec["response"] = receipt.response_name(chunk.index)
            rec["labels"] = _labels_of(chunk, self.labels)
            receipt.write_chunk(chunk.index, rec)
            return ChunkResult(chunk.index, chunk.bulk_id, "accepted", chunk.destinations)

    def _note_retry(self, rec: dict, e: Exception, pause: float) -> None:
        rec["attempts"][-1].setdefault("retries", []).append(
            {"at": now(), "error": str(e), "status": getattr(e, "status", None), "wait": round(pause, 3)})
        self.log(f"{e}; retrying in {pause:.1f}s")

    def _ask_logs(self, chunk: Chunk, rec: dict) -> list | None:
        """Log entries of the chunk's bulkId ([] when none after every check; None when the
        logs cannot be read)."""
        for check in range(self.unknown_checks):
            if check:
                self.sleep(self.unknown_wait)
            try:
                found = list(self.client.iter_logs(bulk_id=chunk.bulk_id, retry=self.retry, sleep=self.sleep))
            except SendError as e:
                rec.setdefault("log_checks", []).append({"at": now(), "error": str(e)})
                return None
            rec.setdefault("log_checks", []).append({"at": now(), "found": len(found)})
            if found:
                return found
        return []

    def _accepted_from_logs(self, receipt: Receipt, chunk: Chunk, rec: dict, found: list) -> ChunkResult:
        rec["state"] = "accepted"
        rec["accepted"] = now()
        rec["confirmed_by"] = "logs"
        by_to = _by_to(self.plan, chunk, self.labels)
        msgs = [{"messageId": e.get("messageId"), "destination": e.get("destination"), "status": e.get("status"),
                 "message": by_to.get(str(e.get("destination")), "?")} for e in found]
        receipt.write_response(chunk.index, json.dumps({"bulkId": chunk.bulk_id, "messages": msgs, "from": "logs"},
                                                       ensure_ascii=False).encode("utf-8"))
        rec["response"] = receipt.response_name(chunk.index)
        receipt.write_chunk(chunk.index, rec)
        self.log(f"request {chunk.index} ({chunk.bulk_id}): the logs show it was accepted "
                 f"({len(found)} destinations): not sent again")
        return ChunkResult(chunk.index, chunk.bulk_id, "accepted", chunk.destinations, via="logs")


def violation_diagnostics(plan: SendPlan, index: int, violations) -> list:
    """400 ``violations[].property`` of chunk ``index`` -> diagnostics at the spec line."""

    chunk = plan.chunks[index - 1]
    out = []
    for v in violations:
        path = property_path(v.property)
        if path and path[0] == "messages" and len(path) > 1 and isinstance(path[1], int) \
                and path[1] < len(chunk.parts):
            mi, start, _ = chunk.parts[path[1]]
            path = ("messages", mi) + path[2:]
            if len(path) > 3 and path[2] == "destinations" and isinstance(path[3], int):
                path = path[:3] + (path[3] + start,) + path[4:]
        span = None
        file = plan.spec
        kw: dict = {}
        row = _audience_row(plan, path)
        if row is not None:  # a destination rendered from an audience row: point at the row
            file, line, col = row
            kw = dict(line=line, column=col, end_line=line, end_column=col + 1)
        elif plan.compiled is not None and path:
            try:
                span = plan.compiled.source_map.span(path)
            except Exception:
                span = None
            if span is not None:
                kw = dict(line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column)
        out.append(Diagnostic("E400", Severity.ERROR, f"Infobip rejected {v.property or 'the request'}: {v.violation}",
                              file, help=f"request {index} ({chunk.bulk_id}) was refused with HTTP 400; "
                              "nothing of it was sent", pointer=pointer_from_path(path) if path else None, **kw))
    return out


def _audience_row(plan: SendPlan, path: tuple):
    """``(file, line, column)`` of the audience row behind ``/messages/i/destinations/j``."""
    if len(path) < 4 or path[2] != "destinations" or not isinstance(path[3], int):
        return None
    facts = getattr(plan.compiled, "facts", None)
    for mf in getattr(facts, "messages", ()) or ():
        if mf.index == path[1] and mf.rows and path[3] < len(mf.rows):
            return tuple(mf.rows[path[3]])  # (file, line, column)
    return None


def property_path(prop: str) -> tuple:
    """``messages[0].content.text`` / ``messages.0.content.text`` -> a body path."""
    out: list = []
    for part in prop.replace("]", "").replace("[", ".").split("."):
        if not part:
            continue
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def apply(plan: SendPlan, client: Client, store: Store, *, force: bool = False, **kw) -> SendResult:
    """Send ``plan`` (see the module docstring); returns a :class:`SendResult`. Raises
    :class:`AlreadySent` or :class:`~vibespec.send.receipts.LockedError`."""
    return Sender(plan, client, store, **kw).run(force=force)
