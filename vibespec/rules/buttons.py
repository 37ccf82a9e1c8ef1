"""Rules: buttons of carousels and keyboards (VB340-VB399).

A button (S6 ViberBotButton) is ``{action: {actionType, actionBody, silent,
openUrlSettings, openMapLocation}, columns, rows, text: {...}, background: {...},
media: {...}}``. Every rule here applies to carousel and keyboard buttons alike."""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Severity
from .base import Finding, Help, Rule, RuleContext
from ..words import describe
from .carousel import as_int, present
from .common import is_hex_color, is_http_url, is_number

ACTION_TYPES = ("REPLY", "OPEN_URL", "OPEN_MAP", "LOCATION_PICKER", "SHARE_PHONE", "NONE")
TEXT_MAX = 250
CUSTOM_TITLE_MAX = 15

#: (object key under the button, field, allowed values); "openUrlSettings" is under action
ENUMS: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("text",), "size", ("SMALL", "REGULAR", "LARGE")),
    (("text",), "verticalAlign", ("TOP", "MIDDLE", "BOTTOM")),
    (("text",), "horizontalAlign", ("LEFT", "CENTER", "RIGHT")),
    (("background",), "mediaType", ("IMAGE", "GIF")),
    (("background",), "mediaScaleType", ("CROP", "FILL", "FIT")),
    (("media",), "imageScaleType", ("CROP", "FILL", "FIT")),
    (("action", "openUrlSettings"), "titleType", ("DOMAIN", "DEFAULT")),
    (("action", "openUrlSettings"), "actionButton", ("FORWARD", "SEND", "OPEN_EXTERNALLY", "SEND_TO_BOT", "NONE")),
    (("action", "openUrlSettings"), "browserDisplayMode",
     ("FULLSCREEN", "FULLSCREEN_PORTRAIT", "FULLSCREEN_LANDSCAPE", "PARTIAL_SIZE")),
    (("action", "openUrlSettings"), "footerType", ("DEFAULT", "HIDDEN")),
    (("action", "openUrlSettings"), "openUrlType", ("INTERNAL", "EXTERNAL")),
    (("action", "openUrlSettings"), "openUrlMediaType", ("BROWSER_MEDIA", "VIDEO", "GIF", "IMAGE")),
)


# --------------------------------------------------------------------------- helpers


def sub(obj: Any, *keys: str) -> dict | None:
    """The mapping at ``obj[k1][k2]...``, or ``None`` when any step is missing or not a mapping."""
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj if isinstance(obj, dict) else None


def action_type(action: dict) -> str:
    """Upper-cased ``actionType``; "REPLY" (Viber's default) when unset, "" when not a string."""
    t = action.get("actionType")
    if t is None:
        return "REPLY"
    return t.upper() if isinstance(t, str) else ""


def actions(ctx: RuleContext) -> Iterator[tuple[tuple, dict, str]]:
    """``(path, action, kind)`` for every button action that is a mapping."""
    for bpath, b, kind, _ in ctx.buttons():
        a = b.get("action")
        if isinstance(a, dict):
            yield bpath + ("action",), a, kind


def url_settings(ctx: RuleContext) -> Iterator[tuple[tuple, dict, dict]]:
    """``(path, openUrlSettings, action)`` for every button's open-URL settings mapping."""
    for apath, a, _ in actions(ctx):
        s = a.get("openUrlSettings")
        if isinstance(s, dict):
            yield apath + ("openUrlSettings",), s, a


def _nonblank(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _int_range(path: tuple, obj: dict, key: str, lo: int, hi: int, what: str) -> Iterator[Finding]:
    if obj.get(key) is None:
        return
    v = obj[key]
    n = as_int(v)
    if n is None or not lo <= n <= hi:
        yield Finding(path + (key,), f"{what} is {describe(v)}; it must be an integer from {lo} to {hi}")


# --------------------------------------------------------------------------- rules


class ButtonEmptyRule(Rule):
    """A button has nothing to show: no text, no background colour, no background media
    and no image.

    Why: Viber requires each button to have at least one of text, background media,
    image or background colour; an empty button is rejected or renders as an invisible key.

    Source: S14 (button parameters).

    Fails:

        keyboard:
          buttons:
            - {columns: 6, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {columns: 6, text: Yes, action: {reply: "yes"}}
    """

    code, name, severity = "VB340", "button-empty", Severity.ERROR

    def check(self, ctx):
        for bpath, b, kind, _ in ctx.buttons():
            t = b.get("text")
            has_text = _nonblank(t.get("text")) if isinstance(t, dict) else _nonblank(t)
            bg = b.get("background")
            has_bg = isinstance(bg, dict) and (_nonblank(bg.get("color")) or _nonblank(bg.get("mediaUrl")))
            m = b.get("media")
            has_img = isinstance(m, dict) and _nonblank(m.get("imageUrl"))
            if not (has_text or has_bg or has_img):
                yield Finding(bpath, f"this {kind} button has no text, background colour, background media or image",
                              "give it at least a text or a background colour")


class ButtonActionMissingRule(Rule):
    """A button has no ``action`` (or it is not an object).

    Why: ``action`` is required in Infobip's button schema; without it the request is
    rejected.

    Source: S6 ViberBotButton (``action`` required).

    Fails (raw body): ``{"columns": 6, "text": {"text": "Yes"}}`` as a button.

    Passes:

        keyboard:
          buttons:
            - {text: Yes, action: {reply: "yes"}}
    """

    code, name, severity = "VB341", "button-action-missing", Severity.ERROR

    def check(self, ctx):
        for bpath, b, kind, _ in ctx.buttons():
            a = b.get("action")
            if a is None:
                yield Finding(bpath, f"this {kind} button has no action; action is required",
                              Help('add an action, e.g. "action": {"actionType": "REPLY", "actionBody": "yes"}',
                                   "add an action such as reply, open_url or none"))
            elif not isinstance(a, dict):
                yield Finding(bpath + ("action",), f"the button's action must be an object, not {type(a).__name__}")


class ButtonActionTypeRule(Rule):
    """A button's ``actionType`` is not one of REPLY, OPEN_URL, OPEN_MAP, LOCATION_PICKER,
    SHARE_PHONE or NONE.

    Why: ``actionType`` is an enum in Infobip's schema; other values (Viber's own
    ``open-url`` spelling included) are rejected. When unset, Viber's default (reply) applies.

    Source: S6 ViberBotActionType.

    Fails (raw body): ``"action": {"actionType": "open-url", "actionBody": "https://example.com"}``

    Passes:

        keyboard:
          buttons:
            - {text: Site, action: {open_url: "https://example.com"}}
    """

    code, name, severity = "VB342", "button-action-type-invalid", Severity.ERROR

    def check(self, ctx):
        for apath, a, _ in actions(ctx):
            t = a.get("actionType")
            if t is None or t in ACTION_TYPES:
                continue
            hint = None
            if isinstance(t, str):
                norm = t.strip().upper().replace("-", "_")
                if norm in ACTION_TYPES:
                    hint = f"write it as {norm}"
            yield Finding(apath + ("actionType",),
                          f"actionType is {describe(t)}; it must be one of {', '.join(ACTION_TYPES)}", hint)


class ButtonActionBodyRule(Rule):
    """A REPLY, OPEN_URL, LOCATION_PICKER or SHARE_PHONE button's ``actionBody`` is
    missing or empty.

    Why: Viber requires ``ActionBody``: it is the text sent back for reply, the URL for
    open-url, and location-picker and share-phone buttons need some text in it too.
    Infobip's schema marks it optional, but such a button is rejected or does nothing.

    Source: S14 (``ActionBody`` required; location-picker/share-phone need text); S6
    ViberBotButtonAction (``actionBody`` optional).

    Decision: NONE and OPEN_MAP buttons are exempt: their body is never used (a NONE
    button does nothing, OPEN_MAP takes its place from ``openMapLocation``) and Infobip's
    schema does not require it, so vibespec accepts ``none: true`` and ``open_map: {lat,
    lon}`` without a body. An unset ``actionType`` is Viber's default, REPLY. A body of only
    whitespace counts as empty.

    Fails:

        keyboard:
          buttons:
            - {text: Share, action: {share_phone: ""}}

    Passes:

        keyboard:
          buttons:
            - {text: Share, action: {share_phone: share-phone}}
    """

    code, name, severity = "VB343", "button-action-body-missing", Severity.ERROR

    def check(self, ctx):
        for apath, a, _ in actions(ctx):
            t = action_type(a)
            if t in ("NONE", "OPEN_MAP"):
                continue
            need = "some text" if t in ("LOCATION_PICKER", "SHARE_PHONE") else ("a URL" if t == "OPEN_URL" else "a value")
            body = a.get("actionBody")
            if body is None:
                yield Finding(apath, f"the action has no actionBody; Viber requires {need} in it"
                              + (f" for {t}" if t else ""))
            elif not _nonblank(body):
                yield Finding(apath + ("actionBody",),
                              f"actionBody is {describe(body)}; Viber requires {need} in it" + (f" for {t}" if t else ""))


class ButtonOpenUrlRule(Rule):
    """An OPEN_URL button's ``actionBody`` is not an absolute http(s) URL.

    Why: for open-url the action body is the address the client opens; a value without a
    scheme or host does not open (or opens inconsistently across clients).

    Source: S14 (``ActionBody`` for open-url must be a valid URL).

    Decision: only absolute ``http``/``https`` URLs with a host pass. Viber's old keyboard
    example uses a scheme-less ``www.tut.by``; vibespec does not accept that form.

    Fails:

        keyboard:
          buttons:
            - {text: Site, action: {open_url: "www.example.com"}}

    Passes:

        keyboard:
          buttons:
            - {text: Site, action: {open_url: "https://www.example.com"}}
    """

    code, name, severity = "VB344", "button-open-url-invalid", Severity.ERROR

    def check(self, ctx):
        for apath, a, _ in actions(ctx):
            if action_type(a) != "OPEN_URL":
                continue
            body = a.get("actionBody")
            if _nonblank(body) and not is_http_url(body):
                yield Finding(apath + ("actionBody",),
                              f"the OPEN_URL actionBody {describe(body)} is not an absolute http(s) URL",
                              "write the full address, e.g. https://www.example.com/")


class ButtonOpenMapRule(Rule):
    """An OPEN_MAP button has no ``openMapLocation``, or its latitude/longitude is missing
    or out of range.

    Why: the map action opens the location given in ``openMapLocation``; both coordinates
    are required there, latitude in [-90, 90] and longitude in [-180, 180].

    Source: S6 ViberBotOpenMapLocation (``latitude``, ``longitude`` required, ranges); S13.

    Fails:

        keyboard:
          buttons:
            - {text: Map, action: {open_map: {lat: 95, lon: 15.9}}}

    Passes:

        keyboard:
          buttons:
            - {text: Map, action: {open_map: {lat: 45.8, lon: 15.9}}}
    """

    code, name, severity = "VB345", "button-open-map-invalid", Severity.ERROR

    def check(self, ctx):
        for apath, a, _ in actions(ctx):
            loc = a.get("openMapLocation")
            if action_type(a) != "OPEN_MAP" and loc is None:
                continue
            if loc is None:
                yield Finding(apath, "the OPEN_MAP action has no openMapLocation {latitude, longitude}")
                continue
            if not isinstance(loc, dict):
                yield Finding(apath + ("openMapLocation",),
                              f"openMapLocation must be an object with latitude and longitude, not {type(loc).__name__}")
                continue
            for key, lim in (("latitude", 90), ("longitude", 180)):
                v = loc.get(key)
                if v is None:
                    yield Finding(apath + ("openMapLocation",), f"openMapLocation has no {key}")
                elif not is_number(v) or not -lim <= v <= lim:
                    yield Finding(apath + ("openMapLocation", key),
                                  f"{key} is {describe(v)}; it must be a number from {-lim} to {lim}")


class ButtonTextTooLongRule(Rule):
    """A button's text is longer than 250 characters.

    Why: Viber cuts longer button text off with "...". HTML formatting tags count too.

    Source: S14 (button ``Text`` at most 250 characters). Prose limit, hence a warning.

    Fails: a button whose ``text`` has 251 characters.

    Passes: a button whose ``text`` has 250 characters or fewer.
    """

    code, name, severity = "VB346", "button-text-too-long", Severity.WARNING

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            t = b.get("text")
            if isinstance(t, dict) and isinstance(t.get("text"), str) and len(t["text"]) > TEXT_MAX:
                yield Finding(bpath + ("text", "text"),
                              f"the button text has {len(t['text'])} characters; Viber shows at most {TEXT_MAX}")


class ButtonPaddingsRule(Rule):
    """A button's ``text.paddings`` is not a list of 4 integers, each from 0 to 12.

    Why: the paddings are ``[top, left, bottom, right]``, each 0-12; other shapes are
    rejected by Viber.

    Source: S14 (``TextPaddings``); S6 (``paddings`` array of int32).

    Fails:

        keyboard:
          buttons:
            - {text: {text: Yes, paddings: [12, 12, 12]}, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {text: {text: Yes, paddings: [12, 12, 12, 12]}, action: {reply: "yes"}}
    """

    code, name, severity = "VB347", "button-text-paddings-invalid", Severity.ERROR

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            t = b.get("text")
            if not isinstance(t, dict) or t.get("paddings") is None:
                continue
            p = t["paddings"]
            path = bpath + ("text", "paddings")
            if not isinstance(p, list) or len(p) != 4:
                yield Finding(path, f"paddings is {describe(p)}; it must be 4 integers [top, left, bottom, right]")
                continue
            for i, v in enumerate(p):
                n = as_int(v)
                if n is None or not 0 <= n <= 12:
                    yield Finding(path + (i,), f"padding {describe(v)} must be an integer from 0 to 12")


class ButtonTextOpacityRule(Rule):
    """A button's ``text.opacity`` is not an integer from 0 to 100.

    Why: opacity is a percentage; Infobip's schema accepts only 0-100.

    Source: S6 ViberBotButtonText (``opacity`` minimum 0, maximum 100); S14 (``TextOpacity``).

    Fails:

        keyboard:
          buttons:
            - {text: {text: Yes, opacity: 150}, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {text: {text: Yes, opacity: 60}, action: {reply: "yes"}}
    """

    code, name, severity = "VB348", "button-text-opacity-out-of-range", Severity.ERROR

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            t = b.get("text")
            if isinstance(t, dict):
                yield from _int_range(bpath + ("text",), t, "opacity", 0, 100, "text opacity")


class ButtonFrameRule(Rule):
    """A button frame's ``borderWidth`` or ``cornerRadius`` is not an integer from 0 to 10.

    Why: Infobip's schema limits both to 0-10 (pixels).

    Source: S6 ViberBotButtonBackground frame (``borderWidth``, ``cornerRadius`` 0-10).

    Fails:

        keyboard:
          buttons:
            - {text: Yes, background: {color: "#FFFFFF", frame: {width: 20}}, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {text: Yes, background: {color: "#FFFFFF", frame: {width: 2, radius: 10}}, action: {reply: "yes"}}
    """

    code, name, severity = "VB349", "button-frame-out-of-range", Severity.ERROR

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            f = sub(b, "background", "frame")
            if f is None:
                continue
            fpath = bpath + ("background", "frame")
            yield from _int_range(fpath, f, "borderWidth", 0, 10, "frame borderWidth")
            yield from _int_range(fpath, f, "cornerRadius", 0, 10, "frame cornerRadius")


class ColorFormatRule(Rule):
    """A colour is not ``#RRGGBB`` (a ``#`` and six hex digits).

    Checked: the carousel's and keyboard's ``backgroundColor``, and each button's
    ``background.color``, ``background.frame.borderColor`` and
    ``text.backgroundGradientColor``.

    Why: every colour field in Infobip's schema has the pattern ``^[#]([A-Fa-f0-9]{6})$``;
    short (``#FFF``), named (``white``) or alpha (``#FFFFFF80``) colours are rejected.

    Source: S6 (colour patterns on ViberBotOutboundCarouselContent, ViberBotKeyboard,
    ViberBotButtonBackground, frame, ViberBotButtonText).

    Fails:

        carousel:
          background: "#FFF"
          buttons: [...]

    Passes:

        carousel:
          background: "#FFFFFF"
          buttons: [...]
    """

    code, name, severity = "VB350", "color-format", Severity.ERROR

    def check(self, ctx):
        def bad(path: tuple, v: Any) -> Iterator[Finding]:
            if v is not None and not is_hex_color(v):
                hint = None
                if isinstance(v, str):
                    s = v.strip().lstrip("#")
                    if len(s) == 3 and all(c in "0123456789abcdefABCDEF" for c in s):
                        hint = f"write it in full: #{''.join(c * 2 for c in s).upper()}"
                    elif len(s) == 6 and all(c in "0123456789abcdefABCDEF" for c in s):
                        hint = f"write it as #{s}"
                yield Finding(path, f"colour {describe(v)} is not in the form #RRGGBB", hint)

        for cpath, c, t in ctx.contents():
            if t == "CAROUSEL":
                yield from bad(cpath + ("backgroundColor",), c.get("backgroundColor"))
            kb = c.get("keyboard")
            if isinstance(kb, dict):
                yield from bad(cpath + ("keyboard", "backgroundColor"), kb.get("backgroundColor"))
        for bpath, b, _, _ in ctx.buttons():
            bg = b.get("background")
            if isinstance(bg, dict):
                yield from bad(bpath + ("background", "color"), bg.get("color"))
                f = bg.get("frame")
                if isinstance(f, dict):
                    yield from bad(bpath + ("background", "frame", "borderColor"), f.get("borderColor"))
            t = b.get("text")
            if isinstance(t, dict):
                yield from bad(bpath + ("text", "backgroundGradientColor"), t.get("backgroundGradientColor"))


class ButtonCustomTitleRule(Rule):
    """An open-URL ``customTitle`` is longer than 15 characters.

    Why: the custom title of Viber's internal browser is at most 15 characters; Infobip's
    schema rejects longer titles.

    Source: S6 (``openUrlSettings.customTitle`` maxLength 15); S14 (``CustomTitle``).

    Fails:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", title: Our spring collection}}}

    Passes:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", title: Spring shop}}}
    """

    code, name, severity = "VB351", "button-custom-title-too-long", Severity.ERROR

    def check(self, ctx):
        for spath, s, _ in url_settings(ctx):
            v = s.get("customTitle")
            if isinstance(v, str) and len(v) > CUSTOM_TITLE_MAX:
                yield Finding(spath + ("customTitle",),
                              f"customTitle has {len(v)} characters; at most {CUSTOM_TITLE_MAX} are allowed")


class ButtonPredefinedUrlEmptyRule(Rule):
    """An open-URL ``actionPredefinedUrl`` is empty.

    Why: the schema requires at least one character when the field is present; leave it
    out instead of sending an empty string.

    Source: S6 (``openUrlSettings.actionPredefinedUrl`` minLength 1).

    Fails:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", predefined_url: ""}}}

    Passes:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", predefined_url: "https://example.com/share"}}}
    """

    code, name, severity = "VB352", "button-predefined-url-empty", Severity.ERROR

    def check(self, ctx):
        for spath, s, _ in url_settings(ctx):
            v = s.get("actionPredefinedUrl")
            if v is not None and (not isinstance(v, str) or v == ""):
                yield Finding(spath + ("actionPredefinedUrl",),
                              f"actionPredefinedUrl is {describe(v)}; it must be a non-empty string",
                              "leave it out when there is no URL")


class ButtonGradientIgnoredRule(Rule):
    """A button sets ``text.backgroundGradientColor`` but its text is vertically centred,
    so Viber ignores the gradient.

    Why: the text background gradient works only when the text is aligned to the top or
    bottom; ``verticalAlign`` defaults to MIDDLE.

    Source: S14 (``TextBgGradientColor`` applies with ``TextVAlign`` top or bottom).

    Fails:

        keyboard:
          buttons:
            - {text: {text: Yes, gradient: "#000000"}, action: {reply: "yes"}}

    Passes:

        keyboard:
          buttons:
            - {text: {text: Yes, gradient: "#000000", valign: bottom}, action: {reply: "yes"}}
    """

    code, name, severity = "VB353", "button-gradient-ignored", Severity.INFO

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            t = b.get("text")
            if not isinstance(t, dict) or t.get("backgroundGradientColor") is None:
                continue
            va = t.get("verticalAlign")
            if va is None or (isinstance(va, str) and va.upper() == "MIDDLE"):
                yield Finding(bpath + ("text", "backgroundGradientColor"),
                              "the gradient is ignored: text verticalAlign is "
                              + ("MIDDLE" if va else "unset (MIDDLE)"),
                              Help("set verticalAlign to TOP or BOTTOM, or drop the gradient",
                                   "set vertical_align to top or bottom, or drop the gradient"))


class ButtonMediaPlayerIgnoredRule(Rule):
    """An open-URL ``mediaPlayer`` is set but ``openUrlMediaType`` is not VIDEO, so Viber
    ignores the player settings.

    Why: the media-player settings (thumbnail, title, subtitle, loop) apply only when the
    URL opens as video.

    Source: S14 (``InternalBrowser`` media-player settings apply to video media).

    Fails:

        keyboard:
          buttons:
            - {text: Watch, action: {open_url: {url: "https://example.com/v.mp4", media_player: {title: Clip}}}}

    Passes:

        keyboard:
          buttons:
            - {text: Watch, action: {open_url: {url: "https://example.com/v.mp4", media_type: video, media_player: {title: Clip}}}}
    """

    code, name, severity = "VB354", "button-media-player-ignored", Severity.INFO

    def check(self, ctx):
        for spath, s, _ in url_settings(ctx):
            if s.get("mediaPlayer") is None:
                continue
            mt = s.get("openUrlMediaType")
            if not (isinstance(mt, str) and mt.upper() == "VIDEO"):
                yield Finding(spath + ("mediaPlayer",),
                              "mediaPlayer is ignored: openUrlMediaType is "
                              + (describe(mt) if mt is not None else "unset") + ", not VIDEO")


class ButtonPredefinedUrlIgnoredRule(Rule):
    """An open-URL ``actionPredefinedUrl`` is set but ``actionButton`` is neither SEND nor
    FORWARD, so Viber ignores it.

    Why: the predefined URL is what the internal browser's send or forward button shares;
    with another action button it is never used.

    Source: S14 (``ActionPredefinedURL`` applies with ``ActionButton`` send or forward).

    Decision: an unset ``actionButton`` takes Viber's default (forward), so no note then.

    Fails:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", action_button: open_externally, predefined_url: "https://example.com/s"}}}

    Passes:

        keyboard:
          buttons:
            - {text: Shop, action: {open_url: {url: "https://example.com", action_button: send, predefined_url: "https://example.com/s"}}}
    """

    code, name, severity = "VB355", "button-predefined-url-ignored", Severity.INFO

    def check(self, ctx):
        for spath, s, _ in url_settings(ctx):
            if not _nonblank(s.get("actionPredefinedUrl")):
                continue
            ab = s.get("actionButton")
            norm = ab.strip().upper().replace("-", "_") if isinstance(ab, str) else None
            if norm in ("OPEN_EXTERNALLY", "SEND_TO_BOT", "NONE"):
                yield Finding(spath + ("actionPredefinedUrl",),
                              f"actionPredefinedUrl is ignored: actionButton is {describe(ab)}, not SEND or FORWARD")


class ButtonEnumRule(Rule):
    """A button field that takes a fixed set of values has another value.

    Checked: ``text.size`` (SMALL, REGULAR, LARGE), ``text.verticalAlign`` (TOP, MIDDLE,
    BOTTOM), ``text.horizontalAlign`` (LEFT, CENTER, RIGHT), ``background.mediaType``
    (IMAGE, GIF), ``background.mediaScaleType`` and ``media.imageScaleType`` (CROP, FILL,
    FIT), and in ``action.openUrlSettings``: ``titleType`` (DOMAIN, DEFAULT),
    ``actionButton`` (FORWARD, SEND, OPEN_EXTERNALLY, SEND_TO_BOT, NONE),
    ``browserDisplayMode`` (FULLSCREEN, FULLSCREEN_PORTRAIT, FULLSCREEN_LANDSCAPE,
    PARTIAL_SIZE), ``footerType`` (DEFAULT, HIDDEN), ``openUrlType`` (INTERNAL, EXTERNAL),
    ``openUrlMediaType`` (BROWSER_MEDIA, VIDEO, GIF, IMAGE).

    Why: these are enums in Infobip's schema, spelled in upper case; other values (Viber's
    lower-case spellings included) are rejected.

    Source: S6 ViberBotButtonText, ViberBotButtonBackground, ViberBotButtonMedia,
    ViberBotOpenUrlSettings.

    Fails (raw body): ``"text": {"text": "Yes", "size": "HUGE"}``

    Passes:

        keyboard:
          buttons:
            - {text: {text: Yes, size: large}, action: {reply: "yes"}}
    """

    code, name, severity = "VB356", "button-enum-invalid", Severity.ERROR

    def check(self, ctx):
        for bpath, b, _, _ in ctx.buttons():
            for keys, field_, allowed in ENUMS:
                obj = sub(b, *keys)
                if obj is None or obj.get(field_) is None:
                    continue
                v = obj[field_]
                if v in allowed:
                    continue
                hint = None
                if isinstance(v, str):
                    norm = v.strip().upper().replace("-", "_")
                    if norm in allowed:
                        hint = f"write it as {norm}"
                yield Finding(bpath + keys + (field_,),
                              f"{field_} is {describe(v)}; it must be one of {', '.join(allowed)}", hint)


RULES = (
    ButtonEmptyRule,
    ButtonActionMissingRule,
    ButtonActionTypeRule,
    ButtonActionBodyRule,
    ButtonOpenUrlRule,
    ButtonOpenMapRule,
    ButtonTextTooLongRule,
    ButtonPaddingsRule,
    ButtonTextOpacityRule,
    ButtonFrameRule,
    ColorFormatRule,
    ButtonCustomTitleRule,
    ButtonPredefinedUrlEmptyRule,
    ButtonGradientIgnoredRule,
    ButtonMediaPlayerIgnoredRule,
    ButtonPredefinedUrlIgnoredRule,
    ButtonEnumRule,
)
