"""The spec language's constants and value converters, free of pydantic.

:mod:`vibespec.spec.model` wraps these converters into pydantic validators (for the schema
and for the error path); :mod:`vibespec.spec.fast` calls them directly (the hot path of
``vibespec lint``). Each converter takes the YAML/TOML value and returns the model value, or
raises :class:`~vibespec.spec.shorthand.ShorthandError` whose code is the diagnostic code.
Converters that are objects (:class:`Choice`, :class:`StrTo`) have a ``repr`` that is the
Python expression building them, so the generated table (``_table.py``) can name them."""

from __future__ import annotations

import math
from typing import Any

from .. import codes
from ..words import describe, kind_of
from .shorthand import ShorthandError, parse_choice

# -- choices ------------------------------------------------------------------------------

TEXT_SIZES = ("SMALL", "REGULAR", "LARGE")
VALIGN = ("TOP", "MIDDLE", "BOTTOM")
HALIGN = ("LEFT", "CENTER", "RIGHT")
SCALE = ("CROP", "FILL", "FIT")
BG_MEDIA = ("IMAGE", "GIF")
TITLE_TYPE = ("DOMAIN", "DEFAULT")
ACTION_BUTTON = ("FORWARD", "SEND", "OPEN_EXTERNALLY", "SEND_TO_BOT", "NONE")
DISPLAY_MODE = ("FULLSCREEN", "FULLSCREEN_PORTRAIT", "FULLSCREEN_LANDSCAPE", "PARTIAL_SIZE")
FOOTER = ("DEFAULT", "HIDDEN")
OPEN_URL_TYPE = ("INTERNAL", "EXTERNAL")
OPEN_URL_MEDIA = ("BROWSER_MEDIA", "VIDEO", "GIF", "IMAGE")
ACTION_BAR = ("REGULAR", "MINIMIZED", "HIDDEN")
RECIPIENT_TYPE = ("BIREYSEL", "TACIR")

ACTION_KINDS = ("reply", "open_url", "open_map", "location_picker", "share_phone", "none")
CONTENT_KEYS = ("text", "image", "video", "file", "carousel", "location", "contact", "sticker", "url")
CONTENT_TYPE_OF = {
    "text": "TEXT", "image": "IMAGE", "video": "VIDEO", "file": "FILE", "carousel": "CAROUSEL",
    "location": "LOCATION", "contact": "CONTACT", "sticker": "STICKER", "url": "URL",
}


class Choice:
    """A case-insensitive enum value (``large`` -> ``LARGE``)."""

    __slots__ = ("choices", "what")

    def __init__(self, choices: tuple[str, ...], what: str):
        self.choices = choices
        self.what = what

    def __call__(self, value: Any) -> str:
        return parse_choice(value, self.choices, self.what)

    def __repr__(self) -> str:
        return f"C.Choice({self.choices!r}, {self.what!r})"


class StrTo:
    """Before validation: a bare string ``s`` stands for ``{key: s}``."""

    __slots__ = ("key",)

    def __init__(self, key: str):
        self.key = key

    def __call__(self, value: Any) -> Any:
        return {self.key: value} if isinstance(value, str) else value

    def __repr__(self) -> str:
        return f"C.StrTo({self.key!r})"


def sticker_to_mapping(value: Any) -> Any:
    """Before validation: ``sticker: 40133`` stands for ``sticker: {id: 40133}``."""
    return value if isinstance(value, dict) else {"id": value}


# -- converters -----------------------------------------------------------------------------


def zone(value: Any) -> str:
    from .zones import get_zone  # lazy: the zone database only for a spec with a timezone

    get_zone(value)  # validates; lowering resolves again (cached)
    return value


def sticker(value: Any) -> int:
    if isinstance(value, bool):
        raise ShorthandError(codes.VB102, "sticker must be a Viber sticker id (an integer)", "e.g. sticker: 40133")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ShorthandError(codes.VB102, f"sticker must be a Viber sticker id (an integer), got {value!r}"[:200],
                         "e.g. sticker: 40133")


_CONTENT_TYPES = {"json": "application/json", "xml": "application/xml",
                  "application/json": "application/json", "application/xml": "application/xml"}


def content_type(value: Any) -> str:
    s = value.strip().lower() if isinstance(value, str) else value
    if isinstance(s, str) and s in _CONTENT_TYPES:
        return _CONTENT_TYPES[s]
    raise ShorthandError(codes.VB113, f"invalid content_type {value!r}: expected json or xml", None)


def number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ShorthandError(codes.VB102, f"expected a number, got {kind_of(value)} {describe(value)}", None)
    if isinstance(value, float) and not math.isfinite(value):
        raise ShorthandError(codes.VB115, f"{value!r} is not a finite number", None)
    return value  # an integer stays an integer on the wire


def failover_destinations(value: Any) -> list[tuple[str, str]]:
    """``{bot-user-id: phone}`` or ``[{initial, failover}]`` -> list of (initial, failover)."""
    help_ = 'map bot user ids to phone numbers: {bot-user-1: "41793026727"}'
    if isinstance(value, dict):
        out = []
        for k, x in value.items():
            if not isinstance(x, str):
                raise ShorthandError(codes.VB102, f"phone number for {k!r} must be a string, got {kind_of(x)} "
                                     f"{describe(x)}; quote it", help_)
            out.append((str(k), x))
        return out
    if isinstance(value, list):
        out = []
        for j, item in enumerate(value):
            if not isinstance(item, dict) or set(item) != {"initial", "failover"} or not all(
                    isinstance(item[k], str) for k in ("initial", "failover")):
                raise ShorthandError(codes.VB102, f"destinations item {j + 1} must be {{initial: ID, failover: PHONE}} "
                                     "with two strings", help_)
            out.append((item["initial"], item["failover"]))
        return out
    raise ShorthandError(codes.VB102, f"destinations must be a mapping of bot user ids to phone numbers, got "
                         f"{kind_of(value)}", help_)


def none_action(value: Any) -> str | bool:
    if value is True or isinstance(value, str):
        return value
    raise ShorthandError(codes.VB102, "none takes a reply text or true", "none: true, or none: some-text")
