"""Rules on ``messages[].webhooks``: delivery and seen report URLs, ``notify``,
``contentType`` and ``callbackData`` (VB520-VB539)."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from .common import is_http_url, is_https_url, length, mask_credentials

CALLBACK_DATA_MAX = 4000
CONTENT_TYPES = ("application/json", "application/xml")


def _urls(ctx: RuleContext) -> Iterator[tuple[tuple, object, str]]:
    """``(path, url, label)`` for ``delivery.url`` and ``seen.url`` when present."""
    for wpath, w in ctx.webhooks():
        for key in ("delivery", "seen"):
            sub = w.get(key)
            if isinstance(sub, dict) and "url" in sub:
                yield wpath + (key, "url"), sub["url"], key


class CallbackDataTooLongRule(Rule):
    """``webhooks.callbackData`` is longer than 4000 characters.

    Why: the schema's maxLength is 4000; longer data is rejected or clipped, and the
    delivery report then echoes something else than was sent.

    Source: constraints.md §3 (S6, S7); OpenAPI AdvancedWebhooksWithSeen.callbackData.

    Fails:

        webhooks: {callback_data: (4001 characters)}

    Passes:

        webhooks: {callback_data: "campaign=spring"}
    """

    code, name, severity = "VB520", "callback-data-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for wpath, w in ctx.webhooks():
            n = length(w.get("callbackData"))
            if n > CALLBACK_DATA_MAX:
                yield Finding(wpath + ("callbackData",), f"callbackData is {n} characters; the maximum is {CALLBACK_DATA_MAX}",
                              "keep an ID in callbackData and look the rest up when the report arrives")


class WebhookUrlInvalidRule(Rule):
    """A delivery-report or seen-report URL is not an absolute http(s) URL.

    Why: Infobip pushes reports to this URL; a relative URL, a typo'd scheme or a URL
    with spaces means the reports are never received.

    Source: constraints.md §3 (S6, S8); OpenAPI AdvancedWebhooksWithSeen (delivery.url, seen.url).

    Fails:

        webhooks: {delivery: www.example.com/dlr}

    Passes:

        webhooks: {delivery: https://www.example.com/dlr}
    """

    code, name, severity = "VB521", "webhook-url-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, url, label in _urls(ctx):
            if not is_http_url(url):
                yield Finding(path, f"{label} report URL {mask_credentials(url) if isinstance(url, str) else url!r} "
                              "is not an absolute http(s) URL",
                              "give a full URL such as https://www.example.com/reports")


class WebhookUrlNotHttpsRule(Rule):
    """A delivery-report or seen-report URL uses plain ``http``.

    Why: reports carry recipient IDs and your ``callbackData``; over plain HTTP they travel
    unencrypted. Viber itself accepts only HTTPS webhooks with a trusted certificate.

    Source: constraints.md §4 (S13: Viber webhooks are HTTPS; for Infobip report URLs inferred).

    Fails:

        webhooks: {delivery: http://www.example.com/dlr}

    Passes:

        webhooks: {delivery: https://www.example.com/dlr}
    """

    code, name, severity = "VB522", "webhook-url-not-https", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, url, label in _urls(ctx):
            if is_http_url(url) and not is_https_url(url):
                yield Finding(path, f"{label} report URL {mask_credentials(url)} is not HTTPS", "use an https:// URL")


class WebhookNotifyConflictRule(Rule):
    """``webhooks.delivery.notify`` is false while a delivery URL is set.

    Why: ``notify: false`` means no delivery report is sent at all, so the URL never
    receives anything. Remove one of the two.

    Source: constraints.md §3 (S6, S8); OpenAPI delivery.notify.

    Fails:

        webhooks: {delivery: {url: https://www.example.com/dlr, notify: false}}

    Passes:

        webhooks: {delivery: {url: https://www.example.com/dlr}}
    """

    code, name, severity = "VB523", "webhook-notify-conflict", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for wpath, w in ctx.webhooks():
            d = w.get("delivery")
            if isinstance(d, dict) and d.get("notify") is False and d.get("url") not in (None, ""):
                yield Finding(wpath + ("delivery", "notify"),
                              "notify is false, so no delivery report will be sent to the delivery URL",
                              Help('remove "notify": false, or remove the URL if you want no reports',
                                   "remove notify: false, or remove the URL if you want no reports"))


class WebhookContentTypeInvalidRule(Rule):
    """``webhooks.contentType`` is not ``application/json`` or ``application/xml``.

    Why: these are the only formats Infobip sends reports in. Specs write ``json`` or
    ``xml``; raw bodies sometimes carry ``json`` or a charset parameter.

    Source: constraints.md §3 (S6); OpenAPI AdvancedWebhooksWithSeen.contentType.

    Fails (raw body):

        "webhooks": {"contentType": "json"}

    Passes:

        "webhooks": {"contentType": "application/json"}
    """

    code, name, severity = "VB524", "webhook-content-type-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for wpath, w in ctx.webhooks():
            if "contentType" not in w:
                continue
            ct = w["contentType"]
            if ct in CONTENT_TYPES:
                continue
            help = "use application/json or application/xml"
            if isinstance(ct, str):
                low = ct.strip().lower()
                for full in CONTENT_TYPES:
                    if low == full or low == full.split("/")[1] or low.startswith(full + ";"):
                        help = f"write {full!r}"
            yield Finding(wpath + ("contentType",), f"contentType {ct!r} is not application/json or application/xml",
                          help)


RULES = (
    CallbackDataTooLongRule,
    WebhookUrlInvalidRule,
    WebhookUrlNotHttpsRule,
    WebhookNotifyConflictRule,
    WebhookContentTypeInvalidRule,
)
