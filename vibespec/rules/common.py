"""Small checks shared by several rules: URLs, extensions, colours, lengths.

A limit lives in the rule that enforces it; only shape checks live here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..words import mask_credentials  # noqa: F401  (re-exported: rules import it from here)

_HEX_COLOR = re.compile(r"^#[A-Fa-f0-9]{6}$")
_INTL_PHONE = re.compile(r"^\+?[1-9][0-9]{6,14}$")


_SPACE = re.compile(r"\s")


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL with a host and no spaces."""
    if not isinstance(value, str) or not value or _SPACE.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and bool(parts.hostname)


def is_https_url(value: object) -> bool:
    return is_http_url(value) and urlsplit(value).scheme.lower() == "https"  # type: ignore[arg-type]


def url_extension(value: str) -> str:
    """Lower-case extension of the URL's last path segment ("" when none), without the dot."""
    try:
        path = urlsplit(value).path
    except ValueError:
        return ""
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    return last.rsplit(".", 1)[-1].lower()


def file_extension(name: str) -> str:
    """Lower-case extension of a file name ("" when none), without the dot."""
    base = name.rsplit("/", 1)[-1]
    if "." not in base.strip(".") :
        return ""
    return base.rsplit(".", 1)[-1].lower()


def is_hex_color(value: object) -> bool:
    return isinstance(value, str) and bool(_HEX_COLOR.match(value))


def is_international_phone(value: object) -> bool:
    """International format: digits with country code, optional leading '+', 7-15 digits."""
    return isinstance(value, str) and bool(_INTL_PHONE.match(value))


def is_int(value: object) -> bool:
    """An integer that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_finite(value: object) -> bool:
    """A finite number; an int of any size is finite (math.isfinite would overflow on 10**400)."""
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value == value and value not in (float("inf"), float("-inf"))


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def length(value: object) -> int:
    """Characters as Infobip counts them (Unicode code points)."""
    return len(value) if isinstance(value, str) else 0
