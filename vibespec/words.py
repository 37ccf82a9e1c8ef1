"""How messages word a value: the one place that renders a value (``describe``) or names its
kind (``kind_of``) for a diagnostic, so every message says ``true``, ``null`` and ``a list``
the same way. Bottom layer: imports nothing of vibespec."""

from __future__ import annotations

import json
import re

# possessive quantifiers, a bounded scheme: linear on any text (an unbounded ``[a-z0-9+.-]*``
# before ``://`` backtracked quadratically: 20 s for a 100 kB URL of letters, found by the fuzzer)
_USERINFO = re.compile(r"(?i)([a-z][a-z0-9+.-]{0,31}+://)[^/?#@\s]*+@")

#: Longest rendering ``describe`` returns (longer ones end in ``...``).
WIDTH = 40


def mask_credentials(text: str) -> str:
    """``text`` with the user information of every ``scheme://user:pass@host`` replaced by
    ``***`` (messages never repeat a password)."""
    if "@" not in text or "://" not in text:
        return text
    return _USERINFO.sub(r"\1***@", text)


def _masked(value: object) -> object:
    if isinstance(value, str):
        return mask_credentials(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def describe(value: object) -> str:
    """A short JSON-like rendering of a value for messages: ``'abc'``, ``5``, ``2.5``,
    ``true``, ``null``, ``[1, 2]``, ``{"a": 1}``; credentials in URLs masked, cut to
    ``WIDTH`` characters."""
    if isinstance(value, str):
        r = repr(mask_credentials(value))
    elif value is None:
        r = "null"
    elif isinstance(value, bool):
        r = "true" if value else "false"
    elif isinstance(value, (int, float)):
        r = repr(value)
    elif isinstance(value, (list, dict)):
        try:
            r = json.dumps(_masked(value), ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            r = "[...]" if isinstance(value, list) else "{...}"
    else:
        r = type(value).__name__
    return r if len(r) <= WIDTH else r[: WIDTH - 3] + "..."


def kind_of(value: object, *, json_terms: bool = False) -> str:
    """The kind of a value with its article: ``null``, ``a boolean``, ``an integer``,
    ``a number``, ``a string``, ``a list``, ``a mapping``. ``json_terms`` names containers
    as JSON does (``an array``, ``an object``), for messages about JSON bodies."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array" if json_terms else "a list"
    if isinstance(value, dict):
        return "an object" if json_terms else "a mapping"
    return f"a {type(value).__name__}"
