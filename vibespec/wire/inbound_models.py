"""The Viber Bot inbound webhook (mobile-originated traffic) as pydantic models.

Source: Infobip's OpenAPI spec, schemas ``ViberBotInboundResponse``,
``InboundMessageViberBotInboundContent``, ``ViberBotInbound*Content`` (the events) and
``Viber*NestedInboundMessage`` (the content of a MESSAGE event); see
``viber-bots-wire-format.md`` §5.

Two discriminators are involved: ``results[].message.type`` is the Viber callback event
(MESSAGE, DELIVERED, SUBSCRIBED, UNSUBSCRIBED, CONVERSATION_STARTED) and, for MESSAGE only,
``results[].message.message.type`` is the content type (TEXT, IMAGE, VIDEO, FILE, AUDIO,
LOCATION, CONTACT, STICKER, URL).

Decisions:

* Unknown fields are kept (``extra="allow"``, read them through ``model_extra``), never
  rejected: Infobip adds fields without notice.
* An unknown event type becomes :class:`UnknownEvent` and an unknown content type
  :class:`UnknownInboundMessage`: parsing succeeds, :func:`vibespec.wire.inbound.validate`
  reports them (VB803 error / VB804 warning).
* AUDIO is not in Infobip's enum but users do send voice notes; it is modelled like
  FILE/VIDEO. URL is not in Infobip's enum either but is a native Viber type. Both parse
  as first-class types (VB805, an info note, says they are outside the published schema).
* Types are strict (no ``"1"`` -> ``1`` coercion): a webhook body is machine-written, so a
  string where the schema says integer is a real discrepancy worth reporting.
* Required fields follow the schema's ``required`` lists exactly.

Python attribute names are snake_case; the wire (alias) names are camelCase; both are
accepted on input (``populate_by_name=True``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from pydantic.alias_generators import to_camel

# ----------------------------------------------------------------------------- shared

Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Str255 = Annotated[str, Field(max_length=255)]


class WireModel(BaseModel):
    """Base of every wire model: camelCase aliases, strict types, unknown fields kept."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        strict=True,
        alias_generator=to_camel,
    )

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields not in Infobip's schema, as received (wire names)."""
        return dict(self.model_extra or {})


class MessagePrice(WireModel):
    """``{pricePerMessage, currency}`` (schema ``MessagePrice``)."""

    price_per_message: float | None = None
    currency: str | None = None


#: ``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` with Java's ``Z``: a numeric offset ``+hhmm``.
INFOBIP_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$"
)


def is_infobip_datetime(value: str) -> bool:
    """Whether ``value`` is exactly in Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS+hhmm`` form
    (and is a real date and time)."""
    if not isinstance(value, str) or not INFOBIP_DATETIME_RE.match(value):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def parse_datetime(value: str) -> datetime:
    """Parse an Infobip timestamp into an aware :class:`datetime`.

    The documented form is ``2023-09-26T10:52:15.457+0000``; other ISO 8601 forms that
    carry an offset (``+00:00``, ``Z``) are accepted too. Raises :class:`ValueError` for
    anything else (including a date-time without an offset, which would be ambiguous)."""
    if not isinstance(value, str):
        raise ValueError(f"not a string: {value!r}")
    m = INFOBIP_DATETIME_RE.match(value)
    if m:
        y, mo, d, h, mi, s, ms, sign, oh, om = m.groups()
        offset = timedelta(hours=int(oh), minutes=int(om))
        if offset >= timedelta(hours=24):
            raise ValueError(f"offset out of range in {value!r}")
        tz = timezone(-offset if sign == "-" else offset)
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), int(ms) * 1000, tzinfo=tz)
    # Lenient path: ISO 8601 extended forms only (YYYY-MM-DDTHH:MM...).
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        raise ValueError(f"not a date-time: {value!r}")
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError(f"date-time without a UTC offset: {value!r}")
    return dt


def datetime_or_none(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


# ----------------------------------------------------------------------------- users


class ViberBotUser(WireModel):
    """A Viber user as Infobip forwards it (schema ``ViberBotUser``; all strings)."""

    id: str | None = None
    name: str | None = None
    avatar: str | None = None
    language: str | None = None
    country: str | None = None
    api_version: str | None = None


class ViberBotContact(WireModel):
    phone_number: str | None = None
    name: str | None = None
    avatar: str | None = None


class Location(WireModel):
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None


# ----------------------------------------------------------------------------- nested messages

#: Content types in Infobip's ``ViberBotInboundMessageType`` enum.
SPEC_MESSAGE_TYPES = ("TEXT", "IMAGE", "VIDEO", "STICKER", "FILE", "CONTACT", "LOCATION")
#: Content types users send that Infobip's schema does not list (modelled anyway).
UNLISTED_MESSAGE_TYPES = ("AUDIO", "URL")
MESSAGE_TYPES = SPEC_MESSAGE_TYPES + UNLISTED_MESSAGE_TYPES


class InboundMessageBase(WireModel):
    type: str
    tracking_data: str | None = None

    @property
    def is_known(self) -> bool:
        return True


class TextInboundMessage(InboundMessageBase):
    type: Literal["TEXT"] = "TEXT"
    text: str | None = None


class ImageInboundMessage(InboundMessageBase):
    type: Literal["IMAGE"] = "IMAGE"
    url: str | None = None
    thumbnail_url: str | None = None
    file_name: str | None = None
    size: Int32 | None = None
    text: str | None = None


class VideoInboundMessage(InboundMessageBase):
    type: Literal["VIDEO"] = "VIDEO"
    url: str | None = None
    duration: Int32 | None = None
    thumbnail_url: str | None = None
    file_name: str | None = None
    size: Int32 | None = None
    description: str | None = None


class FileInboundMessage(InboundMessageBase):
    type: Literal["FILE"] = "FILE"
    url: str | None = None
    file_name: str | None = None
    size: Int32 | None = None
    text: str | None = None


class AudioInboundMessage(InboundMessageBase):
    """Not in Infobip's schema; shaped like FILE/VIDEO (a voice note or audio file)."""

    type: Literal["AUDIO"] = "AUDIO"
    url: str | None = None
    file_name: str | None = None
    size: Int32 | None = None
    duration: Int32 | None = None


class StickerInboundMessage(InboundMessageBase):
    type: Literal["STICKER"] = "STICKER"
    id: str | None = None  # a string in Infobip's schema (Viber's own sticker_id is a number)
    url: str | None = None


class ContactInboundMessage(InboundMessageBase):
    type: Literal["CONTACT"] = "CONTACT"
    contact: ViberBotContact | None = None
    text: str | None = None


class LocationInboundMessage(InboundMessageBase):
    type: Literal["LOCATION"] = "LOCATION"
    location: Location | None = None


class UrlInboundMessage(InboundMessageBase):
    """Not in Infobip's schema; Viber's native ``url`` message (a shared link)."""

    type: Literal["URL"] = "URL"
    url: str | None = None
    text: str | None = None


class UnknownInboundMessage(WireModel):
    """A content type vibespec does not know (kept as received)."""

    type: Any = None
    tracking_data: Any = None

    @property
    def is_known(self) -> bool:
        return False


MESSAGE_CLASSES: dict[str, type[WireModel]] = {
    "TEXT": TextInboundMessage,
    "IMAGE": ImageInboundMessage,
    "VIDEO": VideoInboundMessage,
    "FILE": FileInboundMessage,
    "AUDIO": AudioInboundMessage,
    "STICKER": StickerInboundMessage,
    "CONTACT": ContactInboundMessage,
    "LOCATION": LocationInboundMessage,
    "URL": UrlInboundMessage,
}


def _tag_of(known: dict):
    def tag(v: Any) -> str:
        t = v.get("type") if isinstance(v, dict) else getattr(v, "type", None)
        return t if isinstance(t, str) and t in known else "unknown"

    return tag


InboundMessage = Annotated[
    Union[
        Annotated[TextInboundMessage, Tag("TEXT")],
        Annotated[ImageInboundMessage, Tag("IMAGE")],
        Annotated[VideoInboundMessage, Tag("VIDEO")],
        Annotated[FileInboundMessage, Tag("FILE")],
        Annotated[AudioInboundMessage, Tag("AUDIO")],
        Annotated[StickerInboundMessage, Tag("STICKER")],
        Annotated[ContactInboundMessage, Tag("CONTACT")],
        Annotated[LocationInboundMessage, Tag("LOCATION")],
        Annotated[UrlInboundMessage, Tag("URL")],
        Annotated[UnknownInboundMessage, Tag("unknown")],
    ],
    Discriminator(_tag_of(MESSAGE_CLASSES)),
]


# ----------------------------------------------------------------------------- events

EVENT_TYPES = ("MESSAGE", "DELIVERED", "SUBSCRIBED", "UNSUBSCRIBED", "CONVERSATION_STARTED")


class EventBase(WireModel):
    """Fields every event has (``timestamp`` and ``messageToken`` are required)."""

    type: str
    timestamp: Int64
    message_token: str

    @property
    def is_message(self) -> bool:
        return self.type == "MESSAGE"

    @property
    def is_known(self) -> bool:
        return True

    @property
    def timestamp_dt(self) -> datetime | None:
        """``timestamp`` (epoch milliseconds, as Viber sends it) as an aware UTC datetime."""
        try:
            return datetime.fromtimestamp(self.timestamp / 1000, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None

    @property
    def viber_user_id(self) -> str | None:
        """The Viber user this event concerns, whatever the event type."""
        return None


class MessageEvent(EventBase):
    type: Literal["MESSAGE"] = "MESSAGE"
    message: InboundMessage | None = None
    chat_hostname: str | None = None
    sender: ViberBotUser | None = None
    silent: bool | None = None

    @property
    def viber_user_id(self) -> str | None:
        return self.sender.id if self.sender is not None else None

    @property
    def content_type(self) -> str | None:
        if self.message is None:
            return None
        t = self.message.type
        return t if isinstance(t, str) else None


class DeliveredEvent(EventBase):
    type: Literal["DELIVERED"] = "DELIVERED"
    user_id: str

    @property
    def viber_user_id(self) -> str | None:
        return self.user_id


class SubscribedEvent(EventBase):
    type: Literal["SUBSCRIBED"] = "SUBSCRIBED"
    user: ViberBotUser
    chat_hostname: str | None = None

    @property
    def viber_user_id(self) -> str | None:
        return self.user.id


class UnsubscribedEvent(EventBase):
    type: Literal["UNSUBSCRIBED"] = "UNSUBSCRIBED"
    user_id: str

    @property
    def viber_user_id(self) -> str | None:
        return self.user_id


class ConversationStartedEvent(EventBase):
    type: Literal["CONVERSATION_STARTED"] = "CONVERSATION_STARTED"
    user: ViberBotUser | None = None
    conversation_type: str | None = None
    context: str | None = None
    subscribed: bool | None = None

    @property
    def viber_user_id(self) -> str | None:
        return self.user.id if self.user is not None else None


class UnknownEvent(WireModel):
    """An event type vibespec does not know (kept as received; VB803 in ``validate``)."""

    type: Any = None

    @property
    def is_message(self) -> bool:
        return False

    @property
    def is_known(self) -> bool:
        return False

    @property
    def viber_user_id(self) -> str | None:
        extra = self.model_extra or {}
        uid = extra.get("userId")
        if isinstance(uid, str):
            return uid
        for k in ("user", "sender"):
            u = extra.get(k)
            if isinstance(u, dict) and isinstance(u.get("id"), str):
                return u["id"]
        return None


EVENT_CLASSES: dict[str, type[WireModel]] = {
    "MESSAGE": MessageEvent,
    "DELIVERED": DeliveredEvent,
    "SUBSCRIBED": SubscribedEvent,
    "UNSUBSCRIBED": UnsubscribedEvent,
    "CONVERSATION_STARTED": ConversationStartedEvent,
}

Event = Annotated[
    Union[
        Annotated[MessageEvent, Tag("MESSAGE")],
        Annotated[DeliveredEvent, Tag("DELIVERED")],
        Annotated[SubscribedEvent, Tag("SUBSCRIBED")],
        Annotated[UnsubscribedEvent, Tag("UNSUBSCRIBED")],
        Annotated[ConversationStartedEvent, Tag("CONVERSATION_STARTED")],
        Annotated[UnknownEvent, Tag("unknown")],
    ],
    Discriminator(_tag_of(EVENT_CLASSES)),
]


# ----------------------------------------------------------------------------- envelope


class InboundResult(WireModel):
    """One received item (schema ``InboundMessageViberBotInboundContent``)."""

    sender: str
    to: str
    integration_type: str
    received_at: str  # raw, as sent; see received_at_dt
    message_id: str
    message: Event
    price: MessagePrice
    entity_id: Str255 | None = None
    application_id: Str255 | None = None
    keyword: str | None = None
    paired_message_id: str | None = None
    callback_data: str | None = None

    @property
    def received_at_dt(self) -> datetime | None:
        """``received_at`` as an aware datetime, or ``None`` when it is not a date-time."""
        return datetime_or_none(self.received_at)

    @property
    def event(self) -> str | None:
        """The event type (``"MESSAGE"``, ``"SUBSCRIBED"``, ...; unknown types as sent)."""
        t = self.message.type
        return t if isinstance(t, str) else None

    @property
    def is_message(self) -> bool:
        return self.message.is_message

    @property
    def content(self) -> WireModel | None:
        """The nested message of a MESSAGE event (``None`` for other events)."""
        return self.message.message if isinstance(self.message, MessageEvent) else None

    @property
    def content_type(self) -> str | None:
        """The content type of a MESSAGE event (``"TEXT"``, ``"AUDIO"``...), else ``None``."""
        return self.message.content_type if isinstance(self.message, MessageEvent) else None

    @property
    def text(self) -> str | None:
        """The text of a TEXT message, else ``None``."""
        c = self.content
        return c.text if isinstance(c, TextInboundMessage) else None

    @property
    def user_id(self) -> str | None:
        """The Viber user id, whatever the event: the MESSAGE sender, ``userId`` of
        DELIVERED/UNSUBSCRIBED, ``user.id`` of SUBSCRIBED/CONVERSATION_STARTED; falls back
        to the envelope ``sender``."""
        return self.message.viber_user_id or self.sender


class InboundBatch(WireModel):
    """The whole webhook body (schema ``ViberBotInboundResponse``)."""

    results: list[InboundResult] = Field(default_factory=list)
    message_count: Int32 | None = None
    pending_message_count: Int32 | None = None

    def __iter__(self) -> Iterator[InboundResult]:  # type: ignore[override]
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def messages(self) -> list[InboundResult]:
        """Only the results whose event is MESSAGE."""
        return [r for r in self.results if r.is_message]

    def events(self, type: str) -> list[InboundResult]:
        """Results of one event type, e.g. ``batch.events("SUBSCRIBED")``."""
        return [r for r in self.results if r.event == type]


__all__ = [
    "AudioInboundMessage",
    "ContactInboundMessage",
    "ConversationStartedEvent",
    "DeliveredEvent",
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "Event",
    "EventBase",
    "FileInboundMessage",
    "ImageInboundMessage",
    "InboundBatch",
    "InboundMessage",
    "InboundMessageBase",
    "InboundResult",
    "Location",
    "LocationInboundMessage",
    "MESSAGE_CLASSES",
    "MESSAGE_TYPES",
    "MessageEvent",
    "MessagePrice",
    "SPEC_MESSAGE_TYPES",
    "StickerInboundMessage",
    "SubscribedEvent",
    "TextInboundMessage",
    "UNLISTED_MESSAGE_TYPES",
    "UnknownEvent",
    "UnknownInboundMessage",
    "UnsubscribedEvent",
    "UrlInboundMessage",
    "VideoInboundMessage",
    "ViberBotContact",
    "ViberBotUser",
    "WireModel",
    "datetime_or_none",
    "is_infobip_datetime",
    "parse_datetime",
]
