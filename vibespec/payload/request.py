"""The request body of ``POST /viber-bot/1/messages`` as typed models (Infobip OpenAPI
3.210.0, ``ViberBotRequest``). Field order is the published schema's order, which is also
the key order the compiler emits. Limits are not encoded here: the rules check them, with
codes and severities; this model checks shape (names, JSON types, required fields).

``Request.model_validate(body)`` gives typed access to a body; :func:`structure_findings`
turns shape problems of a raw body into findings (codes VB150-VB153)."""

from __future__ import annotations

import difflib
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..rules.base import Finding


class _W(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class SenderDisplayInfo(_W):
    name: Optional[str] = None
    avatarUrl: Optional[str] = None


class OpenMapLocation(_W):
    latitude: float
    longitude: float


class MediaPlayer(_W):
    thumbnailUrl: Optional[str] = None
    title: Optional[str] = None
    subtitle: Optional[str] = None
    loop: Optional[bool] = None


class OpenUrlSettings(_W):
    actionPredefinedUrl: Optional[str] = None
    customTitle: Optional[str] = None
    mediaPlayer: Optional[MediaPlayer] = None
    titleType: Optional[str] = None
    actionButton: Optional[str] = None
    browserDisplayMode: Optional[str] = None
    footerType: Optional[str] = None
    actionReplyData: Optional[str] = None
    openUrlType: Optional[str] = None
    openUrlMediaType: Optional[str] = None


class ButtonAction(_W):
    actionBody: Optional[str] = None
    actionType: Optional[str] = None
    silent: Optional[bool] = None
    openUrlSettings: Optional[OpenUrlSettings] = None
    openMapLocation: Optional[OpenMapLocation] = None


class ButtonText(_W):
    opacity: Optional[int] = None
    backgroundGradientColor: Optional[str] = None
    paddings: Optional[list[int]] = None
    text: Optional[str] = None
    verticalAlign: Optional[str] = None
    horizontalAlign: Optional[str] = None
    size: Optional[str] = None
    shouldFit: Optional[bool] = None


class BackgroundFrame(_W):
    borderWidth: Optional[int] = None
    borderColor: Optional[str] = None
    cornerRadius: Optional[int] = None


class ButtonBackground(_W):
    color: Optional[str] = None
    frame: Optional[BackgroundFrame] = None
    mediaUrl: Optional[str] = None
    mediaType: Optional[str] = None
    mediaScaleType: Optional[str] = None
    gifLoop: Optional[bool] = None


class ButtonMedia(_W):
    imageUrl: Optional[str] = None
    imageScaleType: Optional[str] = None


class Button(_W):
    action: Optional[ButtonAction] = None  # required by the schema; rule VB341 reports it
    columns: Optional[int] = None
    rows: Optional[int] = None
    text: Optional[ButtonText] = None
    background: Optional[ButtonBackground] = None
    media: Optional[ButtonMedia] = None


class ButtonGrid(_W):
    buttons: Optional[list[Button]] = None  # required; rule VB302 reports it
    buttonsGroupColumns: Optional[int] = None
    buttonsGroupRows: Optional[int] = None


class KeyboardDisplay(_W):
    nativeKeyboardHeight: Optional[bool] = None
    percentageOfKeyboardOccupancy: Optional[int] = None


class Keyboard(_W):
    buttonGrid: ButtonGrid
    backgroundColor: Optional[str] = None
    keyboardDisplay: Optional[KeyboardDisplay] = None
    actionBarState: Optional[str] = None


class _Content(_W):
    senderDisplayInfo: Optional[SenderDisplayInfo] = None
    keyboard: Optional[Keyboard] = None


class TextContent(_Content):
    text: str
    type: Literal["TEXT"]


class ImageContent(_Content):
    url: str
    text: Optional[str] = None
    thumbnailUrl: Optional[str] = None
    type: Literal["IMAGE"]


class VideoContent(_Content):
    url: str
    text: Optional[str] = None
    thumbnailUrl: Optional[str] = None
    size: int
    duration: Optional[int] = None
    type: Literal["VIDEO"]


class FileContent(_Content):
    fileName: Optional[str] = None  # required; rule VB231 reports it
    url: str
    size: int
    type: Literal["FILE"]


class CarouselContent(_Content):
    buttonGrid: ButtonGrid
    heightScale: Optional[int] = None
    backgroundColor: Optional[str] = None
    type: Literal["CAROUSEL"]


class Location(_W):
    latitude: float
    longitude: float


class LocationContent(_Content):
    location: Location
    type: Literal["LOCATION"]


class Contact(_W):
    name: str
    phoneNumber: str


class ContactContent(_Content):
    contact: Contact
    type: Literal["CONTACT"]


class StickerContent(_Content):
    stickerId: int
    type: Literal["STICKER"]


class UrlContent(_Content):
    url: str
    type: Literal["URL"]


Content = Annotated[
    Union[TextContent, ImageContent, VideoContent, FileContent, CarouselContent, LocationContent, ContactContent,
          StickerContent, UrlContent],
    Field(discriminator="type"),
]


class ToDestination(_W):
    to: str
    messageId: Optional[str] = None


class Platform(_W):
    entityId: Optional[str] = None
    applicationId: Optional[str] = None


class ValidityPeriod(_W):
    amount: int
    timeUnit: Optional[str] = None


class DeliveryTime(_W):
    hour: int
    minute: int


class DeliveryTimeWindow(_W):
    days: Optional[list[str]] = None  # required; rule VB424 reports it
    from_: Optional[DeliveryTime] = Field(default=None, alias="from")
    to: Optional[DeliveryTime] = None


class IndiaDlt(_W):
    contentTemplateId: Optional[str] = None
    principalEntityId: Optional[str] = None
    telemarketerId: Optional[str] = None


class TurkeyIys(_W):
    brandCode: Optional[int] = None
    recipientType: Optional[str] = None


class SouthKorea(_W):
    title: Optional[str] = None
    resellerCode: Optional[int] = None


class Regional(_W):
    indiaDlt: Optional[IndiaDlt] = None
    turkeyIys: Optional[TurkeyIys] = None
    southKorea: Optional[SouthKorea] = None


class DestinationPair(_W):
    initial: str
    failover: str


class SmsFailover(_W):
    sender: Optional[str] = None
    text: Optional[str] = None  # required; rule VB501 reports it
    validityPeriod: Optional[ValidityPeriod] = None
    regional: Optional[Regional] = None
    destinationMatching: Optional[list[DestinationPair]] = None


class MessageOptions(_W):
    platform: Optional[Platform] = None
    validityPeriod: Optional[ValidityPeriod] = None
    deliveryTimeWindow: Optional[DeliveryTimeWindow] = None
    campaignReferenceId: Optional[str] = None
    smsFailover: Optional[SmsFailover] = None


class DeliveryReporting(_W):
    url: Optional[str] = None
    intermediateReport: Optional[bool] = None
    notify: Optional[bool] = None
    receiveTriggeredFailoverReports: Optional[bool] = None


class SeenReporting(_W):
    url: Optional[str] = None


class Webhooks(_W):
    delivery: Optional[DeliveryReporting] = None
    contentType: Optional[str] = None
    callbackData: Optional[str] = None
    seen: Optional[SeenReporting] = None


class Message(_W):
    sender: str
    destinations: list[ToDestination]
    content: Content
    options: Optional[MessageOptions] = None
    webhooks: Optional[Webhooks] = None


class SpeedLimit(_W):
    amount: int
    timeUnit: Optional[str] = None


class Schedule(_W):
    bulkId: Optional[str] = None
    sendAt: Optional[str] = None
    sendingSpeedLimit: Optional[SpeedLimit] = None


class RequestOptions(_W):
    schedule: Optional[Schedule] = None


class Request(_W):
    """``ViberBotRequest``."""

    messages: list[Message]
    options: Optional[RequestOptions] = None


CONTENT_MODELS = {
    "TEXT": TextContent, "IMAGE": ImageContent, "VIDEO": VideoContent, "FILE": FileContent,
    "CAROUSEL": CarouselContent, "LOCATION": LocationContent, "CONTACT": ContactContent,
    "STICKER": StickerContent, "URL": UrlContent,
}

def _walk_loc(body, loc):
    """Real path (keys and indices) for a pydantic loc, dropping discriminator tags."""
    out, node = [], body
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "from_" and "from" in node:
            out.append("from")
            node = node["from"]
        else:
            if isinstance(part, str) and part not in CONTENT_MODELS:
                return tuple(out), part, False
    return tuple(out), None, True


_TYPES = {"string_type": "a string", "int_type": "an integer", "float_type": "a number", "bool_type": "a boolean",
          "list_type": "an array", "model_type": "an object", "dict_type": "an object", "int_from_float": "an integer"}


def structure_findings(body) -> list:
    """Shape problems of a raw body as ``[(RuleClass, Finding)]`` (codes VB150-VB153)."""
    from ..rules import structure as S

    if not isinstance(body, dict):
        return [(S.PayloadWrongType, Finding((), "a request body is a JSON object"))]
    try:
        Request.model_validate(body)
        return []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    out = []
    seen = set()
    for e in errors:
        path, missing, _ = _walk_loc(body, e["loc"])
        t = e["type"]
        key = (path, missing, t)
        if key in seen:
            continue
        seen.add(key)
        if t == "extra_forbidden":
            name = path[-1] if path else ""
            parent = _model_for(path[:-1], body)
            options = list(parent.model_fields) if parent else []
            options = ["from" if o == "from_" else o for o in options]
            best = difflib.get_close_matches(str(name), options, n=1, cutoff=0.6)
            msg = f"unknown field '{name}'" + (f"; did you mean '{best[0]}'?" if best else "")
            out.append((S.PayloadUnknownField, Finding(path, msg, "fields here: " + ", ".join(options) if options else None,
                                                         key=True)))
        elif t == "missing":
            out.append((S.PayloadMissingField, Finding(path, f"missing required field '{missing}'")))
        elif t in ("union_tag_invalid", "union_tag_not_found"):
            v = e.get("ctx", {}).get("tag")
            msg = ("content has no 'type'" if t == "union_tag_not_found"
                   else f"unknown content type {v!r}: expected one of {', '.join(CONTENT_MODELS)}")
            out.append((S.PayloadUnknownContentType, Finding(path + (("type",) if t == "union_tag_invalid" else ()), msg)))
        else:
            want = _TYPES.get(t)
            msg = f"{'/'.join(map(str, path)) or 'body'} must be {want}" if want else e["msg"]
            out.append((S.PayloadWrongType, Finding(path, msg)))
    return out


def _model_for(path, body):
    """The model class validating the object at ``path`` (best effort, for suggestions)."""
    cur = Request
    node = body
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        f = cur.model_fields.get("from_" if part == "from" else part)
        node = node.get(part) if isinstance(node, dict) else None
        if f is None:
            return None
        if part == "content" and isinstance(node, dict):
            cur = CONTENT_MODELS.get(node.get("type"), _Content)
            continue
        import typing

        stack, found = [f.annotation], None
        while stack and found is None:
            a = stack.pop()
            if isinstance(a, type) and issubclass(a, BaseModel):
                found = a
            else:
                stack.extend(typing.get_args(a))
        if found is None:
            return None
        cur = found
    return cur
