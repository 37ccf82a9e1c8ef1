"""Send a linted spec through Infobip, keep receipts, pull delivery reports and read logs.

Only ``vibespec send``, ``vibespec reports pull`` and ``vibespec logs`` import this package
(and with it ``http.client``); ``lint``, ``compile`` and ``check`` never do.

>>> from vibespec import send                                     # doctest: +SKIP
>>> plan = send.prepare("campaign.viber.yaml", chunk_size=1000)   # compile + lint + cut
>>> for chunk in plan.chunks: print(chunk.bulk_id, chunk.destinations, chunk.sha256)
>>> client = send.Client("https://xxxxx.api.infobip.com", api_key=os.environ["INFOBIP_API_KEY"])
>>> result = send.apply(plan, client, send.Store(".vibespec/receipts"))
>>> result.ok, result.counts()

See docs/send.md for the flow, the receipts and what happens on each failure."""

from __future__ import annotations

from .client import (Client, ConfigurationError, NotSent, Rejected, RetryPolicy, SendError, Throttled, Unknown,
                     Violation)
from .plan import Chunk, PlanError, SendPlan, load_saved, prepare, save, verify
from .pull import join, pull_reports, read_logs
from .receipts import LockedError, Store
from .run import AlreadySent, ChunkResult, SendResult, apply
from .settings import SendSettings, SettingsError, make_client

__all__ = ["AlreadySent", "Chunk", "ChunkResult", "Client", "ConfigurationError", "LockedError", "NotSent",
           "PlanError", "Rejected", "RetryPolicy", "SendError", "SendPlan", "SendResult", "SendSettings",
           "SettingsError", "Store", "Throttled", "Unknown", "Violation", "apply", "join", "load_saved",
           "make_client", "prepare", "pull_reports", "read_logs", "save", "verify"]
