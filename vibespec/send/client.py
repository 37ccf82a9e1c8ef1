"""A small typed client for Infobip's Viber bot endpoints, on the standard library's
``http.client`` (no dependency): ``POST /viber-bot/1/messages``, ``GET /viber-bot/1/reports``,
``GET /viber-bot/1/logs``.

The API key is held by the client and written only into the ``Authorization`` header: it is
in no exception text, ``repr`` or log line this module produces.

Outcomes of one attempt are classified, never guessed:

- :class:`NotSent` -- the request did not leave (connection refused, DNS, TLS handshake):
  safe to retry;
- :class:`Throttled` -- 429 or 503: Infobip did not take the request; retry after
  ``retry_after`` (from ``Retry-After``) or a backoff;
- :class:`Unknown` -- the body left and no answer came (timeout, connection dropped, 5xx
  other than 503): the request may have been accepted; ask the logs before any resend;
- :class:`Rejected` -- 400 (with ``violations``), 401, 403, 404 ...: final.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

MESSAGES = "/viber-bot/1/messages"
REPORTS = "/viber-bot/1/reports"
LOGS = "/viber-bot/1/logs"

USER_AGENT = "vibespec-send"


class SendError(Exception):
    """Base of every failure of the client (its text never contains the key)."""


class ConfigurationError(SendError):
    """Missing or unsafe credentials / base URL."""


class NotSent(SendError):
    """The request never left: retrying is safe."""


class Throttled(SendError):
    """429 / 503: not accepted; retry later."""

    def __init__(self, message: str, status: int, retry_after: float | None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Unknown(SendError):
    """The body was sent and no usable answer came back: the outcome is unknown."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Violation:
    property: str
    violation: str


class Rejected(SendError):
    """A final answer other than success: 400, 401, 403, 404 ..."""

    def __init__(self, message: str, status: int, error_code: str | None = None,
                 violations: tuple[Violation, ...] = (), body: Any = None):
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.violations = violations
        self.body = body


class Response:
    """A 2xx answer: ``status``, the raw bytes, the headers; ``data`` is the parsed JSON
    (parsed on first use: a send stores the raw answer without parsing it)."""

    __slots__ = ("status", "raw", "headers", "_data")

    def __init__(self, status: int, raw: bytes, headers: dict | None = None):
        self.status = status
        self.raw = raw
        self.headers = headers or {}
        self._data: Any = _UNSET

    @property
    def data(self) -> Any:
        if self._data is _UNSET:
            try:
                self._data = json.loads(self.raw) if self.raw else None
            except (ValueError, UnicodeDecodeError):
                self._data = None
        return self._data


_UNSET = object()


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path prefix)`` of a base URL; refuses anything but https,
    except on a loopback host (tests, a local proxy)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError as e:
        raise ConfigurationError(f"INFOBIP_BASE_URL is not a URL: {e}") from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigurationError("the base URL must look like https://xxxxx.api.infobip.com")
    if parts.username or parts.password:
        raise ConfigurationError("the base URL must not carry credentials; the key comes from INFOBIP_API_KEY")
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigurationError(f"refusing a base URL that is not https:// ({parts.scheme}://{host}): "
                                 "the API key would travel in clear text (only loopback hosts may use http)")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), parts.path.rstrip("/")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass

    try:
        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter; ``Retry-After`` wins when the server sends it."""

    attempts: int = 6  # tries per request, the first included
    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.cap * 4)
        return self.rng.uniform(0, min(self.cap, self.base * (2 ** (attempt - 1))))


class RateLimiter:
    """At most ``n`` requests in any ``per`` seconds (logs: 120 a minute)."""

    def __init__(self, n: int, per: float = 60.0, clock=time.monotonic, sleep=time.sleep):
        self.n, self.per = n, per
        self.clock, self.sleep = clock, sleep
        self.times: list[float] = []
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = self.clock()
            self.times = [t for t in self.times if now - t < self.per]
            if len(self.times) >= self.n:
                pause = self.per - (now - self.times[0])
                if pause > 0:
                    self.sleep(pause)
                now = self.clock()
                self.times = [t for t in self.times if now - t < self.per]
            self.times.append(now)


class Client:
    """Infobip Viber bot API client. One persistent connection per thread.

    >>> c = Client("https://xxxxx.api.infobip.com", api_key="...")   # doctest: +SKIP
    >>> c.send_messages({"messages": [...]})                          # doctest: +SKIP
    """

    def __init__(self, base_url: str, api_key: str | None = None, *, token: str | None = None,
                 timeout: float = 30.0, logs_per_minute: int = 120):
        if not (api_key or token):
            raise ConfigurationError("no credentials: set INFOBIP_API_KEY")
        secret = api_key or token or ""
        if not all(33 <= ord(ch) <= 126 for ch in secret):
            # http.client would refuse it with an error quoting the header, key included
            raise ConfigurationError(("INFOBIP_API_KEY" if api_key else "INFOBIP_TOKEN")
                                     + " holds a space, a line break or a non-ASCII character: "
                                     "set it to the key alone (without 'App ' and without quotes)")
        self._scheme, self._host, self._port, self._prefix = check_base_url(base_url)
        self.base_url = f"{self._scheme}://{self._host}" + (f":{self._port}" if self._port not in (80, 443) else "") \
            + self._prefix
        self.__auth = f"App {api_key}" if api_key else f"Bearer {token}"
        self._secret = api_key or token
        self.timeout = timeout
        self._local = threading.local()
        self.logs_limiter = RateLimiter(logs_per_minute, 60.0)

    def __repr__(self) -> str:
        return f"Client({self.base_url!r}, api_key=<hidden>)"

    def redact(self, text: str) -> str:
        """``text`` with the key replaced (for anything that might echo it back)."""
        s = self._secret
        return text.replace(s, "<hidden>") if s and s in text else text

    # ---- connection -----------------------------------------------------------
    def _conn(self, fresh: bool = False) -> http.client.HTTPConnection:
        c = getattr(self._local, "conn", None)
        if c is not None and not fresh:
            return c
        if c is not None:
            c.close()
        if self._scheme == "https":
            c = http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout,
                                            context=ssl.create_default_context())
        else:
            c = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        self._local.conn = c
        return c

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None

    def request(self, method: str, path: str, body: bytes | None = None, query: dict | None = None) -> Response:
        """One attempt. Raises :class:`NotSent`, :class:`Throttled`, :class:`Unknown` or
        :class:`Rejected`; returns the 2xx :class:`Response`."""
        url = self._prefix + path + ("?" + urlencode(query, quote_via=quote) if query else "")
        headers = {"Authorization": self.__auth, "Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for reuse in (True, False):
            conn = self._conn(fresh=not reuse)
            if conn.sock is None:
                try:
                    conn.connect()
                except (OSError, ssl.SSLError) as e:
                    self.close()
                    raise NotSent(self.redact(f"cannot connect to {self.base_url}: {_reason(e)}")) from None
            try:
                conn.request(method, url, body=body, headers=headers)
            except ValueError as e:  # an invalid header or URL: its text may quote the header
                self.close()
                raise NotSent(self.redact(f"{method} {path}: invalid request: {type(e).__name__}")) from None
            except (OSError, http.client.HTTPException) as e:
                self.close()
                if reuse and isinstance(e, (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)):
                    continue  # a stale kept-alive connection: the server closed it before this request
                raise Unknown(self.redact(f"{method} {path}: connection lost while sending: {_reason(e)}")) from None
            try:
                resp = conn.getresponse()
                raw = resp.read()
            except http.client.RemoteDisconnected as e:
                self.close()
                if reuse and method == "GET":
                    continue
                raise Unknown(self.redact(f"{method} {path}: the server closed the connection without answering "
                                          f"({_reason(e)})")) from None
            except (OSError, http.client.HTTPException) as e:
                self.close()
                what = "no answer within %gs" % self.timeout if isinstance(e, (socket.timeout, TimeoutError)) \
                    else f"connection lost: {_reason(e)}"
                raise Unknown(self.redact(f"{method} {path}: {what}")) from None
            break
        if resp.will_close:
            self.close()
        return self._answer(method, path, resp.status, raw, dict(resp.getheaders()))

    def _answer(self, method: str, path: str, status: int, raw: bytes, headers: dict) -> Response:
        if 200 <= status < 300:
            return Response(status, raw, headers)
        data = Response(status, raw).data
        err = data if isinstance(data, dict) else {}
        code = err.get("errorCode") if isinstance(err.get("errorCode"), str) else None
        desc = err.get("description") if isinstance(err.get("description"), str) else ""
        what = f"{method} {path}: HTTP {status}" + (f" {code}" if code else "") + (f": {desc}" if desc else "")
        what = self.redact(what)
        if status in (429, 503):
            ra = _retry_after(headers.get("Retry-After") or headers.get("retry-after"))
            raise Throttled(what, status, ra)
        if status >= 500:
            raise Unknown(what, status)
        if status == 401:
            what += (" -- the API key was not accepted: check that INFOBIP_API_KEY holds the key itself "
                     "(without 'App '), that it is not revoked or expired, and that INFOBIP_BASE_URL is "
                     "your account's base URL")
        elif status == 403:
            what += (" -- the API key is valid but not allowed to do this: give it the Viber bot "
                     "scope (message:send / viber-bot) in the Infobip portal, or use another key")
        vs = []
        for v in err.get("violations") or ():
            if isinstance(v, dict):
                vs.append(Violation(str(v.get("property", "")), self.redact(str(v.get("violation", "")))))
        raise Rejected(what, status, code, tuple(vs), data)

    # ---- endpoints ------------------------------------------------------------
    def send_messages(self, body: bytes | dict) -> Response:
        if isinstance(body, dict):
            body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.request("POST", MESSAGES, body)

    def get_reports(self, limit: int = 1000, **filters: str) -> Response:
        q = {"limit": str(max(1, min(1000, limit)))} | {k: v for k, v in _camel(filters).items() if v}
        return self.request("GET", REPORTS, query=q)

    def get_logs(self, limit: int = 1000, cursor: str | None = None, use_cursor: bool = True, **filters) -> Response:
        q: dict = {"limit": str(max(1, min(1000, limit)))}
        for k, v in _camel(filters).items():
            if v:
                q[k] = ",".join(v) if isinstance(v, (list, tuple)) else str(v)
        if use_cursor:
            q["useCursor"] = "true"
        if cursor:
            q["cursor"] = cursor
        self.logs_limiter.wait()
        return self.request("GET", LOGS, query=q)

    def iter_logs(self, limit: int = 1000, retry: RetryPolicy | None = None, sleep=time.sleep, **filters):
        """Every log entry matching ``filters`` (``bulk_id``, ``message_id``, ``sender`` ...),
        following the cursor page by page, within the 120-a-minute limit."""
        cursor = None
        while True:
            resp = call_with_retry(lambda: self.get_logs(limit, cursor, **filters), retry or RetryPolicy(), sleep,
                                   idempotent=True)
            data = resp.data if isinstance(resp.data, dict) else {}
            results = data.get("results") or []
            yield from results
            nxt = (data.get("cursor") or {}).get("nextCursor") if isinstance(data.get("cursor"), dict) else None
            if not nxt or not results:
                return
            cursor = nxt


def _camel(filters: dict) -> dict:
    out = {}
    for k, v in filters.items():
        head, *rest = k.split("_")
        out[head + "".join(x[:1].upper() + x[1:] for x in rest)] = v
    return out


def _reason(e: BaseException) -> str:
    return (getattr(e, "strerror", None) or str(e) or type(e).__name__)[:200]


def call_with_retry(fn, retry: RetryPolicy, sleep=time.sleep, *, idempotent: bool, on_retry=None):
    """Call ``fn`` until it returns; retry :class:`NotSent` and :class:`Throttled` (and, for
    an idempotent call such as a GET, :class:`Unknown`) with backoff."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except (NotSent, Throttled, Unknown) as e:
            if isinstance(e, Unknown) and not idempotent:
                raise
            if attempt >= retry.attempts:
                raise
            pause = retry.delay(attempt, getattr(e, "retry_after", None))
            if on_retry is not None:
                on_retry(attempt, e, pause)
            sleep(pause)
