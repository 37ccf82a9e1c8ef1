"""The spec <-> wire names that ``lower`` (forward) and ``importer`` (backward) share, written
once. Each backward table is derived from the forward one, so the two directions cannot
drift apart.

Two parts: the names of values (content types, action types, webhook string forms, HTTP
content types), and :data:`FIELDS`, every field of the wire objects a spec object lowers to,
as data. What is not a plain copy stays code, in ``lower.py`` and ``importer.py``: the
shorthands (``image: URL``, ``delivery: URL``), the zones of a window, the failover
destinations, the recipients, a button's action body; the map only names those fields
(:data:`CODE`), so that it lists every field of each object."""

from __future__ import annotations

import operator

from ..spec import coerce as M
from ..spec import fast

#: spec content key -> wire ``content.type`` (``text`` -> ``TEXT``), and back.
CONTENT_TYPE_OF = M.CONTENT_TYPE_OF
CONTENT_KEY_OF = {wire: key for key, wire in CONTENT_TYPE_OF.items()}

#: the wire ``actionType`` of each spec action kind (``open_url`` -> ``OPEN_URL``), in order.
ACTION_TYPE_OF = {kind: kind.upper() for kind in M.ACTION_KINDS}
ACTION_TYPES = tuple(ACTION_TYPE_OF.values())

#: spec objects that may be written as a bare string: path -> the key the string stands for
#: (``webhooks: {delivery: URL}`` means ``{delivery: {url: URL}}``).
STRING_FORMS = {("webhooks", "delivery"): "url", ("webhooks", "seen"): "url"}

#: wire webhook ``contentType`` -> its spec short name (``application/json`` -> ``json``).
HTTP_CONTENT_SHORT = {wire: short for short, wire in M._CONTENT_TYPES.items() if short != wire}


# --------------------------------------------------------------------------- fields
#
# A field's ``kind`` says what its value is:
#
# * a plain value, the same on both sides: STR, INT, BOOL, NUM, INTS (a list of integers) or a
#   Choice (an enum: Infobip's upper-case spelling; a spec may write it in any case);
# * Obj(KIND): a wire object written from the spec object of another kind of this map;
# * a Conv: a value the spec writes as a shorthand and the wire as Infobip's form. The spec
#   model converts forward (``5MiB`` -> ``5242880``; for a duration ``lower`` calls
#   ``forward``), the importer writes the shorthand back (its function of the same name);
# * CODE: the field is written by code on both sides (it is not a copy of one spec value).

STR, INT, BOOL, NUM, INTS = "str", "int", "bool", "num", "ints"


# (plain slotted classes: the module is imported by every lint, and these cost least to define)
class Choice:
    __slots__ = ("values",)

    def __init__(self, values: tuple[str, ...]):
        self.values = values


class Obj:
    __slots__ = ("kind",)

    def __init__(self, kind: str):
        self.kind = kind


class Conv:
    __slots__ = ("name", "forward")

    def __init__(self, name: str, forward: object = None):
        self.name = name  # the importer's function that writes the shorthand back
        self.forward = forward  # what lower applies to the spec model's value (None: copied as it is)


class _Code:
    __slots__ = ()

    def __repr__(self) -> str:
        return "CODE"


CODE = _Code()

SIZE = Conv("size")  # bytes: 5242880 <-> 5MiB
SECONDS = Conv("seconds")  # a duration in seconds: 30 <-> 30s
DURATION = Conv("duration", operator.methodcaller("wire"))  # {"amount": 90, "timeUnit": "MINUTES"} <-> 90m
SPEED = Conv("speed")  # {"amount": 30, "timeUnit": "HOUR"} <-> 30/hour
HTTP_CONTENT = Conv("http_content")  # application/json <-> json


class Field:
    __slots__ = ("spec", "wire", "kind")

    def __init__(self, spec: str | None, wire: str, kind: object):
        self.spec = spec  # the spec key (the model's attribute); None: no one spec key (CODE)
        self.wire = wire
        self.kind = kind  # what the value is (above)

    def __repr__(self) -> str:
        return f"Field({self.spec!r}, {self.wire!r}, {self.kind!r})"


F = Field

#: The fields of each wire object, in the order the body writes them (Infobip's published
#: order), keyed by the spec model it is written from. ``Grid`` is the ``buttonGrid`` of a
#: carousel or a keyboard; ``Options`` the message's ``options``; ``Schedule`` the request's
#: ``options.schedule`` (from the spec's top level).
FIELDS: dict[str, tuple[Field, ...]] = {
    # content (the content kinds write into ``content`` itself)
    "Image": (F("url", "url", STR), F("caption", "text", STR), F("thumbnail", "thumbnailUrl", STR)),
    "Video": (F("url", "url", STR), F("caption", "text", STR), F("thumbnail", "thumbnailUrl", STR),
              F("size", "size", SIZE), F("duration", "duration", SECONDS)),
    "File": (F("name", "fileName", STR), F("url", "url", STR), F("size", "size", SIZE)),
    "Carousel": (F(None, "buttonGrid", CODE), F("height_scale", "heightScale", INT),
                 F("background", "backgroundColor", STR)),
    "Contact": (F("name", "name", STR), F("phone", "phoneNumber", STR)),
    "LatLon": (F("lat", "latitude", NUM), F("lon", "longitude", NUM)),
    "Sticker": (F("id", "stickerId", INT),),
    "UrlContent": (F("url", "url", STR),),
    "Display": (F("name", "name", STR), F("avatar", "avatarUrl", STR)),
    "Keyboard": (F(None, "buttonGrid", CODE), F("background", "backgroundColor", STR),
                 F("display", "keyboardDisplay", Obj("KeyboardDisplay")),
                 F("action_bar", "actionBarState", Choice(M.ACTION_BAR))),
    "KeyboardDisplay": (F("native_height", "nativeKeyboardHeight", BOOL),
                        F("occupancy", "percentageOfKeyboardOccupancy", INT)),
    # buttons
    "Grid": (F("buttons", "buttons", CODE), F("columns", "buttonsGroupColumns", INT),
             F("rows", "buttonsGroupRows", INT)),
    "Button": (F("action", "action", CODE), F("columns", "columns", INT), F("rows", "rows", INT),
               F("text", "text", Obj("ButtonText")), F("background", "background", Obj("Background")),
               F("image", "media", Obj("ButtonImage"))),
    "ButtonText": (F("opacity", "opacity", INT), F("background_gradient_color", "backgroundGradientColor", STR),
                   F("paddings", "paddings", INTS), F("text", "text", STR),
                   F("vertical_align", "verticalAlign", Choice(M.VALIGN)),
                   F("horizontal_align", "horizontalAlign", Choice(M.HALIGN)),
                   F("size", "size", Choice(M.TEXT_SIZES)), F("should_fit", "shouldFit", BOOL)),
    "Frame": (F("border_width", "borderWidth", INT), F("border_color", "borderColor", STR),
              F("corner_radius", "cornerRadius", INT)),
    "Background": (F("color", "color", STR), F("frame", "frame", Obj("Frame")), F("media_url", "mediaUrl", STR),
                   F("media_type", "mediaType", Choice(M.BG_MEDIA)),
                   F("media_scale_type", "mediaScaleType", Choice(M.SCALE)), F("gif_loop", "gifLoop", BOOL)),
    "ButtonImage": (F("url", "imageUrl", STR), F("scale", "imageScaleType", Choice(M.SCALE))),
    "Action": (F(None, "actionBody", CODE), F(None, "actionType", CODE), F("silent", "silent", BOOL),
               F("open_url", "openUrlSettings", CODE), F("open_map", "openMapLocation", CODE)),
    "OpenUrl": (F("predefined_url", "actionPredefinedUrl", STR), F("title", "customTitle", STR),
                F("media_player", "mediaPlayer", Obj("MediaPlayer")), F("title_type", "titleType", Choice(M.TITLE_TYPE)),
                F("action_button", "actionButton", Choice(M.ACTION_BUTTON)),
                F("display_mode", "browserDisplayMode", Choice(M.DISPLAY_MODE)),
                F("footer", "footerType", Choice(M.FOOTER)), F("reply_data", "actionReplyData", STR),
                F("open_type", "openUrlType", Choice(M.OPEN_URL_TYPE)),
                F("media_type", "openUrlMediaType", Choice(M.OPEN_URL_MEDIA))),
    "MediaPlayer": (F("thumbnail", "thumbnailUrl", STR), F("title", "title", STR), F("subtitle", "subtitle", STR),
                    F("loop", "loop", BOOL)),
    # options
    "Options": (F("platform", "platform", Obj("Platform")), F("validity", "validityPeriod", DURATION),
                F("window", "deliveryTimeWindow", CODE), F("campaign_ref", "campaignReferenceId", STR),
                F("failover", "smsFailover", CODE)),
    "Platform": (F("entity_id", "entityId", STR), F("application_id", "applicationId", STR)),
    "SmsFailover": (F("sender", "sender", STR), F("text", "text", STR), F("validity", "validityPeriod", DURATION),
                    F("regional", "regional", Obj("Regional")), F("destinations", "destinationMatching", CODE)),
    "Regional": (F("india_dlt", "indiaDlt", Obj("IndiaDlt")), F("turkey_iys", "turkeyIys", Obj("TurkeyIys")),
                 F("south_korea", "southKorea", Obj("SouthKorea"))),
    "IndiaDlt": (F("content_template_id", "contentTemplateId", STR), F("principal_entity_id", "principalEntityId", STR),
                 F("telemarketer_id", "telemarketerId", STR)),
    "TurkeyIys": (F("brand_code", "brandCode", INT), F("recipient_type", "recipientType", Choice(M.RECIPIENT_TYPE))),
    "SouthKorea": (F("title", "title", STR), F("reseller_code", "resellerCode", INT)),
    "Webhooks": (F("delivery", "delivery", Obj("Delivery")), F("content_type", "contentType", HTTP_CONTENT),
                 F("callback_data", "callbackData", STR), F("seen", "seen", Obj("Seen"))),
    "Delivery": (F("url", "url", STR), F("intermediate_report", "intermediateReport", BOOL),
                 F("notify", "notify", BOOL), F("triggered_failover_reports", "receiveTriggeredFailoverReports", BOOL)),
    "Seen": (F("url", "url", STR),),
    "Schedule": (F("bulk_id", "bulkId", STR), F("send_at", "sendAt", CODE), F("speed_limit", "sendingSpeedLimit", SPEED)),
}

#: the spec model each kind is written from, where its name is not the kind's
SPEC_MODEL = {"Grid": "Carousel", "Options": "Message", "Schedule": "SpecHeader"}


def _forward(fields: tuple[Field, ...]) -> tuple:
    out = []
    for f in fields:
        if f.spec is None:
            continue
        k = f.kind
        how = k if k is CODE else k.kind if isinstance(k, Obj) else k.forward if isinstance(k, Conv) else None
        out.append((f.wire, f.spec, how))
    return tuple(out)


def _backward(kind: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    model = fast.MODELS[SPEC_MODEL.get(kind, kind)]
    by_spec = {f.spec: f for f in fields if f.spec is not None}
    return tuple(by_spec[m[0]] for m in model if m[0] in by_spec)


def derive(fields: dict[str, tuple[Field, ...]]) -> dict[str, dict]:
    """The tables both directions read, derived from ``fields`` (:data:`FIELDS`)."""
    with_spec = {kind: [f for f in fs if f.spec is not None] for kind, fs in fields.items()}
    return {
        # for lower: kind -> ((wire key, spec attribute, how), ...) in body order, for the fields
        # with one spec key; how: None (copy), a kind name (an object), a function (convert) or CODE
        "FORWARD": {kind: _forward(fs) for kind, fs in fields.items()},
        # for importer: kind -> those fields in the order the spec language declares its keys
        # (the order an imported spec is written in)
        "BACKWARD": {kind: _backward(kind, fs) for kind, fs in fields.items()},
        # kind -> {wire key: spec key} and {spec key: wire key}, for the fields with one spec key
        "SPEC_KEY_OF": {kind: {f.wire: f.spec for f in fs} for kind, fs in with_spec.items()},
        "WIRE_KEY_OF": {kind: {f.spec: f.wire for f in fs} for kind, fs in with_spec.items()},
        # kind -> every wire key, in body order (those written by code too)
        "WIRE_KEYS": {kind: tuple(f.wire for f in fs) for kind, fs in fields.items()},
    }


_derived = derive(FIELDS)
FORWARD = _derived["FORWARD"]
BACKWARD = _derived["BACKWARD"]
SPEC_KEY_OF = _derived["SPEC_KEY_OF"]
WIRE_KEY_OF = _derived["WIRE_KEY_OF"]
WIRE_KEYS = _derived["WIRE_KEYS"]
