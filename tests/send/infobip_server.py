"""A local HTTP server (127.0.0.1) that plays Infobip's Viber bot API for the send tests.

- ``POST /viber-bot/1/messages``: checks the ``Authorization`` header, validates the body
  against the published OpenAPI schema (discriminators resolved, undeclared keys
  forbidden: tests/contract/openapi.py), answers Infobip's documented 200 (one
  ``messages[]`` entry per destination, status PENDING_ACCEPTED) or its ``ApiError`` bodies.
- ``GET /viber-bot/1/reports``: hands out each queued report once, ``limit`` at most 1000.
- ``GET /viber-bot/1/logs``: the accepted messages, filtered by ``bulkId``/``messageId``
  (comma-separated), cursor paging with ``useCursor``/``cursor``; answers 429 past 120
  requests in a minute.

``script`` is a list of what to do with the next POSTs: ``("429", retry_after)``,
``("503", retry_after)``, ``("500",)`` (not accepted), ``("400", [(property, violation)])``,
``("stall", seconds)`` (accept, then answer only after ``seconds``), ``("drop",)`` (accept,
then close the connection without an answer). Everything the server saw is recorded.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # run as a script (the benchmark) or imported by pytest
    sys.path.insert(0, _TESTS)
from contract.openapi import OPENAPI, request_schema  # noqa: E402

SCHEMA_AVAILABLE = OPENAPI.exists()

PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED",
           "description": "Message sent to next instance"}
E401 = {"errorCode": "E401", "description": "Invalid login details", "action": "Check your credentials.",
        "violations": [], "resources": []}
E403 = {"errorCode": "E403", "description": "Forbidden", "action": "Check the key's scope.",
        "violations": [], "resources": []}
E429 = {"errorCode": "E429", "description": "Too many requests sent.",
        "action": "Check request rate limit specified in the API endpoint documentation resource.",
        "violations": [], "resources": [{"name": "Throttling handling errors",
                                         "url": "https://www.infobip.com/docs/essentials/integration-best-practices"}]}
E500 = {"errorCode": "E500", "description": "Something went wrong. Please contact support.", "action": "",
        "violations": [], "resources": []}


def _validator():
    if not SCHEMA_AVAILABLE:
        return None
    from jsonschema import Draft202012Validator

    return Draft202012Validator(request_schema())


def _shape(d) -> tuple:
    """Everything the published ``ToDestination`` schema can see of one destination: its
    keys, their JSON types and whether a string is empty or longer than 200 characters."""
    if not isinstance(d, dict):
        return ("not-an-object", type(d).__name__)
    return tuple(sorted((k, type(v).__name__, (len(v) == 0, len(v) > 200) if isinstance(v, str) else None)
                        for k, v in d.items()))


def _representative(body):
    """``body`` with each long destination list cut to one destination per shape (first
    occurrence): the schema judges a destination by its shape only, so this validates
    exactly as the whole list would (jsonschema needs ~10 s for 100,000 destinations)."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return body
    msgs = []
    for m in body["messages"]:
        if isinstance(m, dict) and isinstance(m.get("destinations"), list) and len(m["destinations"]) > 100:
            seen: dict = {}
            for d in m["destinations"]:
                seen.setdefault(_shape(d), d)
            m = m | {"destinations": list(seen.values())}
        msgs.append(m)
    return body | {"messages": msgs}


class FakeInfobip:
    def __init__(self, api_key: str = "test-key-0123456789", token: str | None = None, delay: float = 0.0):
        self.api_key = api_key
        self.token = token
        self.delay = delay  # seconds before each POST is answered (after it is accepted)
        self.script: list[tuple] = []
        self.lock = threading.Lock()
        self.posts: list[dict] = []  # every POST body received (valid or not)
        self.accepted: list[dict] = []  # log entries of accepted destinations
        self.invalid: list[list[str]] = []  # schema errors of bodies that failed validation
        self.auth_failures = 0
        self.reports: list[dict] = []  # queued delivery reports (handed out once)
        self.report_requests: list[dict] = []
        self.log_requests: list[dict] = []
        self.log_times: list[float] = []
        self.validator = _validator()
        self.record = True  # False: count destinations only (a long benchmark stays small)
        self.count = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeInfobip":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what was delivered ----------------------------------------------------
    def destinations(self) -> list[str]:
        return [e["destination"] for e in self.accepted]

    # -- handler ---------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def _send(self, status: int, data, headers: dict | None = None) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _authorized(self) -> bool:
                got = self.headers.get("Authorization", "")
                ok = got == f"App {fake.api_key}" or (fake.token is not None and got == f"Bearer {fake.token}")
                if not ok:
                    with fake.lock:
                        fake.auth_failures += 1
                    self._send(401, E401)
                return ok

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if urlsplit(self.path).path != "/viber-bot/1/messages":
                    self._send(404, {"errorCode": "E404", "description": "Not found", "action": "",
                                     "violations": [], "resources": []})
                    return
                if not self._authorized():
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._send(400, {"errorCode": "E400", "description": "Request cannot be processed.",
                                     "action": "Check the syntax", "violations": [
                                         {"property": "", "violation": "malformed JSON"}], "resources": []})
                    return
                with fake.lock:
                    fake.posts.append(body)
                    action = fake.script.pop(0) if fake.script else ("ok",)
                if fake.validator is not None:
                    errs = [("/".join(map(str, e.absolute_path)), e.message[:200])
                            for e in fake.validator.iter_errors(_representative(body))]
                    if errs:
                        with fake.lock:
                            fake.invalid.append([f"{p}: {m}" for p, m in errs])
                        self._send(400, {"errorCode": "E400", "description": "Request cannot be processed.",
                                         "action": "Check the syntax, violations and adjust the request.",
                                         "violations": [{"property": p.replace("/", "."), "violation": m}
                                                        for p, m in errs], "resources": []})
                        return
                kind = action[0]
                if kind in ("429", "503"):
                    self._send(int(kind), E429 if kind == "429" else E500, {"Retry-After": str(action[1])})
                    return
                if kind == "500":
                    self._send(500, E500)
                    return
                if kind == "403":
                    self._send(403, E403)
                    return
                if kind == "400":
                    self._send(400, {"errorCode": "E400", "description": "Request cannot be processed.",
                                     "action": "Check the syntax, violations and adjust the request.",
                                     "violations": [{"property": p, "violation": v} for p, v in action[1]],
                                     "resources": []})
                    return
                answer = fake._accept(body)
                if fake.delay:
                    time.sleep(fake.delay)
                if kind == "stall":
                    time.sleep(action[1])
                if kind == "drop":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                try:
                    self._send(200, answer)
                except OSError:
                    pass

            def do_GET(self):
                parts = urlsplit(self.path)
                q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                if not self._authorized():
                    return
                limit = int(q.get("limit", "50"))
                if not 1 <= limit <= 1000:
                    self._send(400, {"errorCode": "E400", "description": "Request cannot be processed.",
                                     "action": "", "violations": [{"property": "limit",
                                                                   "violation": "must be at most 1000"}],
                                     "resources": []})
                    return
                if parts.path == "/viber-bot/1/reports":
                    with fake.lock:
                        fake.report_requests.append(q)
                        page, fake.reports = fake.reports[:limit], fake.reports[limit:]
                    self._send(200, {"results": page})
                    return
                if parts.path == "/viber-bot/1/logs":
                    now = time.monotonic()
                    with fake.lock:
                        fake.log_requests.append(q)
                        fake.log_times = [t for t in fake.log_times if now - t < 60] + [now]
                        over = len(fake.log_times) > 120
                        rows = list(fake.accepted)
                    if over:
                        self._send(429, E429, {"Retry-After": "1"})
                        return
                    for key in ("bulkId", "messageId", "destination", "sender"):
                        if key in q:
                            wanted = set(q[key].split(","))
                            rows = [r for r in rows if r.get(key) in wanted]
                    start = int(q.get("cursor", "0")) if q.get("useCursor") == "true" else 0
                    page = rows[start:start + limit]
                    out: dict = {"results": page}
                    if q.get("useCursor") == "true":
                        out["cursor"] = {"limit": limit}
                        if start + limit < len(rows):
                            out["cursor"]["nextCursor"] = str(start + limit)
                    self._send(200, out)
                    return
                self._send(404, {"errorCode": "E404", "description": "Not found", "action": "",
                                 "violations": [], "resources": []})

        return Handler

    def _accept(self, body: dict) -> dict:
        bulk = ((body.get("options") or {}).get("schedule") or {}).get("bulkId") or str(uuid.uuid4())
        answer = {"bulkId": bulk, "messages": []}
        with self.lock:
            for m in body["messages"]:
                for d in m["destinations"]:
                    mid = d.get("messageId") or str(uuid.uuid4())
                    answer["messages"].append({"messageId": mid, "status": PENDING, "destination": d["to"]})
                    self.count += 1
                    if self.record:
                        self.accepted.append({"sender": m["sender"], "destination": d["to"], "bulkId": bulk,
                                              "messageId": mid, "sentAt": "2026-11-25T12:00:00.000+0000",
                                              "messageCount": 1, "status": PENDING})
        return answer

    def queue_reports(self, n: int, *, group=(3, "DELIVERED", 5, "DELIVERED_TO_HANDSET")) -> None:
        """Queue a delivery report for each of the first ``n`` accepted messages."""
        gid, gname, sid, sname = group
        with self.lock:
            for e in self.accepted[:n]:
                self.reports.append({"bulkId": e["bulkId"], "messageId": e["messageId"], "to": e["destination"],
                                     "sentAt": "2026-11-25T12:00:00.000+0000", "doneAt": "2026-11-25T12:00:05.000+0000",
                                     "messageCount": 1, "price": {"pricePerMessage": 0.01, "currency": "EUR"},
                                     "status": {"groupId": gid, "groupName": gname, "id": sid, "name": sname,
                                                "description": sname},
                                     "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR",
                                               "description": "No Error", "permanent": False}})


if __name__ == "__main__":  # for the benchmark or by hand: python tests/send/infobip_server.py KEY [--no-validate]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    with FakeInfobip(args[0] if args else "test-key-0123456789") as s:
        if "--no-validate" in sys.argv:
            s.validator = None
        if "--no-record" in sys.argv:
            s.record = False
        print(s.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
