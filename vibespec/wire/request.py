"""The request body of ``POST /viber-bot/1/messages`` as typed models (Infobip OpenAPI
3.210.0, ``ViberBotRequest``). Field order is the published schema's order, which is also
the key order the compiler emits. Limits are not encoded here: the rules check them, with
codes and severities; this model checks shape (names, JSON types, required fields).

``Request.model_validate(body)`` gives typed access to a body. Shape problems of a raw body
are found without importing pydantic, from a table generated from these models
(:mod:`vibespec.rules.shape`, codes VB150-VB153)."""

from __future__ import annotations

import difflib
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field


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
