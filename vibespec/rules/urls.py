"""Rules on every URL field of the request body (VB280-VB283, VB357).

The URL fields (S6): ``webhooks.delivery.url`` and ``webhooks.seen.url`` (Infobip pushes
reports there); the media Viber downloads: ``content.url`` of IMAGE, VIDEO and FILE,
``content.thumbnailUrl``, ``senderDisplayInfo.avatarUrl``, and in carousel and keyboard
buttons ``background.mediaUrl``, ``media.imageUrl`` and
``action.openUrlSettings.mediaPlayer.thumbnailUrl``; the links a user opens: the URL
message's ``content.url``, an OPEN_URL button's ``actionBody`` and
``openUrlSettings.actionPredefinedUrl``.

Whether a value is an absolute http(s) URL at all is checked by the rules of each field
(VB212, VB215, VB220, VB229, VB230, VB241, VB261, VB344, VB521); the rules here look at the
parts of a URL those rules accept: credentials, port, host and scheme."""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from typing import Iterable, Iterator
from urllib.parse import SplitResult, urlsplit

from ..diagnostics import Severity
from .base import Finding, Rule, RuleContext
from .common import is_http_url, mask_credentials

#: URL fields per content type (``url`` of a URL message is a link, of the others media)
_CONTENT_FIELDS = {
    "IMAGE": (("url", "media", "image url"), ("thumbnailUrl", "media", "image thumbnailUrl")),
    "VIDEO": (("url", "media", "video url"), ("thumbnailUrl", "media", "video thumbnailUrl")),
    "FILE": (("url", "media", "file url"),),
    "URL": (("url", "link", "URL message url"),),
}


def url_fields(ctx: RuleContext) -> Iterator[tuple[tuple, object, str, str]]:
    """``(path, value, kind, label)`` for every URL field present in the body. ``kind`` is
    "webhook" (Infobip calls it), "media" (Viber downloads it) or "link" (a user opens it).
    Walked once per body and shared by the URL rules."""
    return ctx._once("url_fields", lambda: _walk_url_fields(ctx))


def _walk_url_fields(ctx: RuleContext) -> Iterator[tuple[tuple, object, str, str]]:
    for wpath, w in ctx.webhooks():
        for key in ("delivery", "seen"):
            sub = w.get(key)
            if isinstance(sub, dict) and sub.get("url") is not None:
                yield wpath + (key, "url"), sub["url"], "webhook", f"{key} report URL"
    for cpath, c, t in ctx.contents():
        for key, kind, label in _CONTENT_FIELDS.get(t, ()):
            if c.get(key) is not None:
                yield cpath + (key,), c[key], kind, label
        d = c.get("senderDisplayInfo")
        if isinstance(d, dict) and d.get("avatarUrl") is not None:
            yield cpath + ("senderDisplayInfo", "avatarUrl"), d["avatarUrl"], "media", "avatarUrl"
    for bpath, b, kind, _ in ctx.buttons():
        for path, value, what, label in _button_fields(bpath, b):
            yield path, value, what, f"{kind} button {label}"


def _button_fields(bpath: tuple, b: dict) -> Iterator[tuple[tuple, object, str, str]]:
    bg = b.get("background")
    if isinstance(bg, dict) and bg.get("mediaUrl") is not None:
        yield bpath + ("background", "mediaUrl"), bg["mediaUrl"], "media", "background mediaUrl"
    m = b.get("media")
    if isinstance(m, dict) and m.get("imageUrl") is not None:
        yield bpath + ("media", "imageUrl"), m["imageUrl"], "media", "imageUrl"
    a = b.get("action")
    if not isinstance(a, dict):
        return
    t = a.get("actionType")
    if isinstance(t, str) and t.upper() == "OPEN_URL" and a.get("actionBody") is not None:
        yield bpath + ("action", "actionBody"), a["actionBody"], "link", "OPEN_URL actionBody"
    s = a.get("openUrlSettings")
    if not isinstance(s, dict):
        return
    spath = bpath + ("action", "openUrlSettings")
    if s.get("actionPredefinedUrl") is not None:
        yield spath + ("actionPredefinedUrl",), s["actionPredefinedUrl"], "link", "actionPredefinedUrl"
    mp = s.get("mediaPlayer")
    if isinstance(mp, dict) and mp.get("thumbnailUrl") is not None:
        yield spath + ("mediaPlayer", "thumbnailUrl"), mp["thumbnailUrl"], "media", "mediaPlayer thumbnailUrl"


def _split(value: object) -> SplitResult | None:
    """The parts of a string with a ``scheme://authority`` (any scheme), or None."""
    if not isinstance(value, str) or "//" not in value:
        return None
    return _split_text(value)


@functools.lru_cache(maxsize=4096)  # the URL rules each split the same values
def _split_text(value: str) -> SplitResult | None:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return parts if parts.netloc else None


def _host_port(netloc: str) -> tuple[str, str | None]:
    """(host, port text or None) of an authority, without user information."""
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        return host, (rest[1:] if rest.startswith(":") else None)
    host, colon, port = hostport.partition(":")
    return host, (port if colon else None)


#: RFC 1918, RFC 6598 (carrier-grade NAT) and RFC 4193 (unique local) networks
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                                                    "fc00::/7"))
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address an IP-literal host names; also the short and numeric IPv4 forms browsers
    accept (``127.1``, ``2130706433``, ``0x7f.0.0.1``)."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if not _NUMERIC_HOST.match(host) or not any(ch.isdigit() for ch in host):
            return None
        try:
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def host_not_public(host: str) -> str | None:
    """Why nobody on the internet can reach ``host`` (a phrase), or None when it may be public."""
    h = host.lower().rstrip(".")
    if h == "localhost" or h.endswith(".localhost"):
        return "is the local machine (localhost)"
    ip = _ip(h)
    if ip is None:
        return None
    if ip.is_loopback:
        return "is a loopback address (the local machine)"
    if ip.is_unspecified:
        return "is the unspecified address"
    if ip.is_link_local:
        extra = ", the cloud instance-metadata endpoint" if str(ip) in ("169.254.169.254", "fd00:ec2::254") else ""
        return f"is a link-local address{extra}"
    if ip.is_multicast:
        return "is a multicast address"
    if any(ip in net for net in _PRIVATE):
        return "is a private-network address"
    if not ip.is_global or ip.is_private:
        return "is a special-purpose address (documentation, benchmarking or reserved), not reachable from the internet"
    return None


_WHO = {"webhook": "Infobip cannot deliver reports to it",
        "media": "Viber cannot download from it",
        "link": "a Viber user cannot open it"}


class UrlCredentialsRule(Rule):
    """A URL in the body carries a user name or password (``https://user:pass@host/…``).

    Why: the spec is committed to git and the body is sent to Infobip with every request,
    so the secret ends up in the repository's history, in Infobip's message logs and, for
    links and media, on every recipient's device. Credentials in a URL are also
    deprecated (RFC 3986 §3.2.1) and browsers drop or refuse them.

    Source: RFC 3986 §3.2.1 ("use of the format user:password in the userinfo field is
    deprecated"); S6 (every URL field is a plain string, sent as written).

    Decision: error, for every URL field (webhook, media and link URLs). The message masks
    the user information (``https://***@host/…``) so the secret is not repeated in reports.

    Fails:

        webhooks: {delivery: "https://reports:s3cret@hooks.example.com/dlr"}

    Passes:

        webhooks: {delivery: "https://hooks.example.com/dlr"}
    """

    code, name, severity = "VB280", "url-credentials", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, value, _, label in url_fields(ctx):
            parts = _split(value)
            if parts is None or not parts.netloc.rpartition("@")[0]:
                continue  # no user information (an empty one, ``https://@host``, holds no secret)
            yield Finding(path, f"{label} carries a user name or password: {mask_credentials(str(value).strip())}",
                          "remove the credentials from the URL: a secret in a spec is committed to git and "
                          "sent to Infobip; protect the endpoint another way")


class UrlPortInvalidRule(Rule):
    """A URL's port is not a number from 1 to 65535.

    Why: TCP ports are 1-65535; ``:0``, ``:70000`` or ``:80a`` cannot be connected to, so
    reports are never delivered, media never loads and links do not open.

    Source: RFC 3986 §3.2.3 (port is decimal digits); RFC 793 (16-bit port numbers).

    Decision: error, for every URL field.

    Fails:

        webhooks: {delivery: "https://hooks.example.com:84430/dlr"}

    Passes:

        webhooks: {delivery: "https://hooks.example.com:8443/dlr"}
    """

    code, name, severity = "VB281", "url-port-invalid", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, value, _, label in url_fields(ctx):
            parts = _split(value)
            if parts is None:
                continue
            _, port = _host_port(parts.netloc)
            if port is None or port == "":
                continue
            if port.isascii() and port.isdigit() and 1 <= int(port) <= 65535:
                continue
            yield Finding(path, f"{label} has port {port[:20]!r}; a port is a number from 1 to 65535",
                          "fix the port or leave it out (https uses 443)")


class UrlHostNotPublicRule(Rule):
    """A URL's host is ``localhost`` or an IP address in a loopback, private, link-local,
    unspecified or other non-public range (``127.0.0.1``, ``10.0.0.5``, ``169.254.169.254``).

    Why: Infobip sends reports and Viber fetches media from the internet; a user opens links
    on their own phone. None of them can reach your machine or your private network, so
    reports are lost, media never loads and links open nothing. A link-local host such as
    ``169.254.169.254`` (the cloud metadata endpoint) is also a sign of a copied test value.

    Source: S6 (report URLs are called by Infobip; media URLs are downloaded); S13 (Viber
    downloads media from the URL); RFC 1918, RFC 6890 (special-purpose address ranges),
    RFC 6761 (``localhost``).

    Decision: error for every URL field: unlike a platform-dependent limit, no recipient or
    Infobip server can reach these hosts. Host names are not resolved (no network); IPv4 in
    short or numeric form (``127.1``) and IPv4-mapped IPv6 are recognised.

    Fails:

        webhooks: {delivery: "http://127.0.0.1:8080/dlr"}

    Passes:

        webhooks: {delivery: "https://hooks.example.com/dlr"}
    """

    code, name, severity = "VB282", "url-host-not-public", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, value, kind, label in url_fields(ctx):
            parts = _split(value)
            if parts is None:
                continue
            host, _ = _host_port(parts.netloc)
            why = host_not_public(host)
            if why is None:
                continue
            yield Finding(path, f"{label} host {host[:60]!r} {why}; {_WHO[kind]}",
                          "use a public host name that Infobip, Viber and your users can reach")


class LinkNotHttpsRule(Rule):
    """A link a user opens uses plain ``http://``: an OPEN_URL button's ``actionBody`` or
    ``actionPredefinedUrl``, or the URL message's ``url``.

    Why: the page travels unencrypted to the user's phone, where it can be read or changed
    on the way; a shop or login page behind such a link is a phishing risk, and current
    mobile browsers flag or block plain-HTTP pages.

    Source: S14 (``ActionBody`` of open-url is the address opened); S13 (URL message);
    neither Viber nor Infobip requires HTTPS for links.

    Decision: warning (inferred): links are not downloaded by Viber, so unlike webhooks
    (VB522) and media (VB262, VB357) nothing fails, but the user is exposed.

    Fails:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: "http://shop.example.com"}}

    Passes:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: "https://shop.example.com"}}
    """

    code, name, severity = "VB283", "link-not-https", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for path, value, kind, label in url_fields(ctx):
            if kind == "link" and is_http_url(value) and str(value).lower().startswith("http://"):
                yield Finding(path, f"{label} uses http://; use https:// for links", "serve the page over HTTPS")


class ButtonMediaNotHttpsRule(Rule):
    """A carousel or keyboard button's media URL (``background.mediaUrl``,
    ``media.imageUrl``, ``mediaPlayer.thumbnailUrl``) uses plain ``http://``.

    Why: Viber downloads button pictures like other media; plain-HTTP media may be refused
    by clients or blocked as mixed content, leaving the button blank.

    Source: S14 (button image and background picture URLs); constraints.md §6
    ``media-url-not-https`` (3rd-party guidance, inferred for Viber Bots).

    Decision: warning, as VB262 for the content's own media.

    Fails:

        keyboard:
          buttons:
            - {text: Sale, image: "http://cdn.example.com/sale.png", action: {reply: sale}}

    Passes:

        keyboard:
          buttons:
            - {text: Sale, image: "https://cdn.example.com/sale.png", action: {reply: sale}}
    """

    code, name, severity = "VB357", "button-media-not-https", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for bpath, b, kind, _ in ctx.buttons():
            for path, value, what, label in _button_fields(bpath, b):
                if what == "media" and is_http_url(value) and str(value).lower().startswith("http://"):
                    yield Finding(path, f"{kind} button {label} uses http://; use https:// for media",
                                  "serve the file over HTTPS")


RULES = (
    UrlCredentialsRule,
    UrlPortInvalidRule,
    UrlHostNotPublicRule,
    LinkNotHttpsRule,
    ButtonMediaNotHttpsRule,
)
