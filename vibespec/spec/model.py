"""The spec language of DSL.md as pydantic models.

Field names are the canonical snake_case keys; ``AliasChoices`` lists the accepted
alternatives (``lat``/``latitude``). Shorthands are parsed by plain validators that raise
``PydanticCustomError`` whose type is the diagnostic code (``VB106`` ...). Limits are NOT
checked here: a value of the right shape compiles, and the rules check the body."""

from __future__ import annotations

from typing import Annotated, Any, Optional, Union

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from . import coerce as C
from . import shorthand as sh
from .coerce import (ACTION_BAR, ACTION_BUTTON, ACTION_KINDS, BG_MEDIA, CONTENT_KEYS, CONTENT_TYPE_OF,  # noqa: F401
                     DISPLAY_MODE, FOOTER, HALIGN, OPEN_URL_MEDIA, OPEN_URL_TYPE, RECIPIENT_TYPE, SCALE, TEXT_SIZES,
                     TITLE_TYPE, VALIGN)
from .shorthand import ShorthandError


def _wrap(fn):
    def validator(value):
        try:
            return fn(value)
        except ShorthandError as e:
            # pydantic fills "{name}" from the context: keep the message out of its reach
            raise PydanticCustomError(e.code, "{message}", {"help": e.help, "message": e.message}) from None

    validator.__wrapped__ = fn  # the generated fast table names fn itself
    return validator


def _choice(choices: tuple[str, ...], what: str):
    return Annotated[
        str,
        PlainValidator(_wrap(C.Choice(choices, what))),
        WithJsonSchema({"type": "string", "enum": sorted({c.lower() for c in choices} | set(choices))}),
    ]


def _str_to(key: str, model: Any = Any):
    """A BeforeValidator turning a bare string into ``{key: string}`` (the schema shows both)."""

    return BeforeValidator(C.StrTo(key), json_schema_input_type=Optional[Union[str, model]])


def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


# -- shorthand types -------------------------------------------------------------------

DURATION_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*(\d+\s*[a-zA-Z]+\s*)+$", "examples": ["45s", "30m", "2h", "1h30m"]},
        {
            "type": "object",
            "properties": {"amount": {"type": "integer", "minimum": 0},
                           "unit": {"type": "string", "enum": ["seconds", "minutes", "hours", "days"]},
                           "per": {"type": "string", "enum": ["seconds", "minutes", "hours", "days"],
                                   "description": "the other spelling of unit"}},
            "not": {"required": ["unit", "per"]},
            "required": ["amount"],
            "additionalProperties": False,
        },
    ]
}
SIZE_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0},
                         {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*([kKmMgG]i?[bB]|[bB])?\s*$",
                          "examples": ["120KiB", "5MiB", "5MB"]}]}
TIME_SCHEMA = {"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "examples": ["06:00", "15:30"]}
DAYS_SCHEMA = {
    "anyOf": [
        {"type": "string", "examples": ["weekdays", "weekends", "daily", "mon-fri"]},
        {"type": "array", "items": {"type": "string"}, "examples": [["mon", "wed", "fri"]]},
    ]
}
SPEED_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*\d+\s*(/|per)\s*[a-zA-Z]+\s*$", "examples": ["30/hour", "1000/day"]},
        {"type": "object", "properties": {"amount": {"type": "integer"}, "per": {"type": "string", "enum": ["minute", "hour", "day"]},
                                          "unit": {"type": "string", "enum": ["minute", "hour", "day"],
                                                   "description": "the other spelling of per"}},
         "required": ["amount"], "additionalProperties": False, "not": {"required": ["per", "unit"]}},
    ]
}
DATETIME_SCHEMA = {"type": "string", "examples": ["2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00"]}

Duration = Annotated[sh.Duration, PlainValidator(_wrap(sh.parse_duration)), WithJsonSchema(DURATION_SCHEMA)]
Seconds = Annotated[int, PlainValidator(_wrap(sh.parse_seconds)),
                    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, DURATION_SCHEMA["anyOf"][0]]})]
Size = Annotated[int, PlainValidator(_wrap(sh.parse_size)), WithJsonSchema(SIZE_SCHEMA)]
Time = Annotated[tuple, PlainValidator(_wrap(sh.parse_time)), WithJsonSchema(TIME_SCHEMA)]
Days = Annotated[list, PlainValidator(_wrap(sh.parse_days)), WithJsonSchema(DAYS_SCHEMA)]
Speed = Annotated[dict, PlainValidator(_wrap(sh.parse_speed)), WithJsonSchema(SPEED_SCHEMA)]
SendAt = Annotated[sh.LocalOrAware, PlainValidator(_wrap(sh.parse_datetime)), WithJsonSchema(DATETIME_SCHEMA)]


Zone = Annotated[str, PlainValidator(_wrap(C.zone)), WithJsonSchema({"type": "string", "examples": ["Europe/Zagreb", "UTC", "+05:30"]})]


StickerId = Annotated[int, PlainValidator(_wrap(C.sticker)), WithJsonSchema({"type": "integer"})]


ContentType = Annotated[str, PlainValidator(_wrap(C.content_type)),
                        WithJsonSchema({"type": "string", "enum": ["json", "xml", "application/json", "application/xml"]})]

Number = Annotated[float, PlainValidator(_wrap(C.number)), WithJsonSchema({"type": "number"})]


FailoverDestinations = Annotated[list, PlainValidator(_wrap(C.failover_destinations)), WithJsonSchema({
    "anyOf": [{"type": "object", "additionalProperties": {"type": "string"}},
              {"type": "array", "items": {"type": "object", "properties": {"initial": {"type": "string"},
                                                                          "failover": {"type": "string"}},
                                          "required": ["initial", "failover"], "additionalProperties": False}}]})]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)


# -- display, location, contact ----------------------------------------------------------------


class Display(_M):
    """``display``: lowers to ``content.senderDisplayInfo``."""

    name: Optional[str] = None
    avatar: Optional[str] = _alias("avatar", "avatar_url")


class LatLon(_M):
    lat: Number = Field(validation_alias=AliasChoices("lat", "latitude"))
    lon: Number = Field(validation_alias=AliasChoices("lon", "longitude"))


# -- buttons ---------------------------------------------------------------------------------



class ButtonText(_M):
    text: Optional[str] = None
    opacity: Optional[int] = None
    background_gradient_color: Optional[str] = _alias("background_gradient_color", "gradient")
    paddings: Optional[list[int]] = None
    vertical_align: Optional[_choice(VALIGN, "vertical_align")] = _alias("vertical_align", "valign")
    horizontal_align: Optional[_choice(HALIGN, "horizontal_align")] = _alias("horizontal_align", "halign")
    size: Optional[_choice(TEXT_SIZES, "text size")] = None
    should_fit: Optional[bool] = _alias("should_fit", "fit")


class Frame(_M):
    border_width: Optional[int] = _alias("border_width", "width")
    border_color: Optional[str] = _alias("border_color", "color")
    corner_radius: Optional[int] = _alias("corner_radius", "radius")


class Background(_M):
    color: Optional[str] = None
    frame: Optional[Frame] = None
    media_url: Optional[str] = _alias("media_url", "media")
    media_type: Optional[_choice(BG_MEDIA, "background media_type")] = None
    media_scale_type: Optional[_choice(SCALE, "media_scale_type")] = _alias("media_scale_type", "scale")
    gif_loop: Optional[bool] = _alias("gif_loop", "loop")


class ButtonImage(_M):
    url: str = Field(validation_alias=AliasChoices("url", "image_url"))
    scale: Optional[_choice(SCALE, "image scale")] = _alias("scale", "image_scale_type")


class MediaPlayer(_M):
    thumbnail: Optional[str] = _alias("thumbnail", "thumbnail_url")
    title: Optional[str] = None
    subtitle: Optional[str] = None
    loop: Optional[bool] = None


class OpenUrl(_M):
    url: str
    predefined_url: Optional[str] = _alias("predefined_url", "action_predefined_url")
    title: Optional[str] = _alias("title", "custom_title")
    media_player: Optional[MediaPlayer] = None
    title_type: Optional[_choice(TITLE_TYPE, "title_type")] = None
    action_button: Optional[_choice(ACTION_BUTTON, "action_button")] = None
    display_mode: Optional[_choice(DISPLAY_MODE, "display_mode")] = _alias("display_mode", "browser_display_mode")
    footer: Optional[_choice(FOOTER, "footer")] = _alias("footer", "footer_type")
    reply_data: Optional[str] = _alias("reply_data", "action_reply_data")
    open_type: Optional[_choice(OPEN_URL_TYPE, "open_type")] = _alias("open_type", "open_url_type")
    media_type: Optional[_choice(OPEN_URL_MEDIA, "open-URL media_type")] = _alias("media_type", "open_url_media_type")


class OpenMap(LatLon):
    body: Optional[str] = None




class Action(_M):
    """Exactly one of ``reply``, ``open_url``, ``open_map``, ``location_picker``,
    ``share_phone``, ``none``; plus optional ``silent``."""

    reply: Optional[str] = None
    open_url: Annotated[Optional[OpenUrl], _str_to("url", OpenUrl)] = None
    open_map: Optional[OpenMap] = None
    location_picker: Optional[str] = None
    share_phone: Optional[str] = None
    none: Annotated[Optional[str | bool], PlainValidator(_wrap(C.none_action)),
                    WithJsonSchema({"anyOf": [{"type": "string"}, {"const": True}]})] = None
    silent: Optional[bool] = None


class Button(_M):
    columns: Optional[int] = None
    rows: Optional[int] = None
    text: Annotated[Optional[ButtonText], _str_to("text", ButtonText)] = None
    background: Annotated[Optional[Background], _str_to("color", Background)] = None
    image: Annotated[Optional[ButtonImage], _str_to("url", ButtonImage)] = None
    action: Action


class KeyboardDisplay(_M):
    native_height: Optional[bool] = _alias("native_height", "native_keyboard_height")
    occupancy: Optional[int] = _alias("occupancy", "percentage_of_keyboard_occupancy")


class Carousel(_M):
    columns: Optional[int] = _alias("columns", "buttons_group_columns")
    rows: Optional[int] = _alias("rows", "buttons_group_rows")
    background: Optional[str] = _alias("background", "background_color")
    height_scale: Optional[int] = None
    buttons: list[Button]


class Keyboard(_M):
    columns: Optional[int] = _alias("columns", "buttons_group_columns")
    rows: Optional[int] = _alias("rows", "buttons_group_rows")
    background: Optional[str] = _alias("background", "background_color")
    display: Optional[KeyboardDisplay] = _alias("display", "keyboard_display")
    action_bar: Optional[_choice(ACTION_BAR, "action_bar")] = _alias("action_bar", "action_bar_state")
    buttons: list[Button]


# -- content ---------------------------------------------------------------------------------


class Image(_M):
    url: str
    caption: Optional[str] = _alias("caption", "text")
    thumbnail: Optional[str] = _alias("thumbnail", "thumbnail_url")


class Video(_M):
    url: str
    size: Size
    duration: Optional[Seconds] = None
    thumbnail: Optional[str] = _alias("thumbnail", "thumbnail_url")
    caption: Optional[str] = _alias("caption", "text")


class File(_M):
    url: str
    name: str = Field(validation_alias=AliasChoices("name", "file_name"))
    size: Size


class Contact(_M):
    name: str
    phone: str = Field(validation_alias=AliasChoices("phone", "phone_number"))


class Sticker(_M):
    id: StickerId


class UrlContent(_M):
    url: str


# -- options ---------------------------------------------------------------------------------


class Window(_M):
    """``window``: lowers to ``options.deliveryTimeWindow`` (always UTC on the wire)."""

    days: Optional[Days] = None
    from_: Optional[Time] = Field(default=None, alias="from")
    to: Optional[Time] = None
    timezone: Optional[Zone] = None


class Platform(_M):
    entity_id: Optional[str] = None
    application_id: Optional[str] = None


class IndiaDlt(_M):
    content_template_id: Optional[str] = None
    principal_entity_id: Optional[str] = None
    telemarketer_id: Optional[str] = None


class TurkeyIys(_M):
    brand_code: Optional[int] = None
    recipient_type: Optional[_choice(RECIPIENT_TYPE, "recipient_type")] = None


class SouthKorea(_M):
    title: Optional[str] = None
    reseller_code: Optional[int] = None


class Regional(_M):
    india_dlt: Optional[IndiaDlt] = None
    turkey_iys: Optional[TurkeyIys] = None
    south_korea: Optional[SouthKorea] = None


class SmsFailover(_M):
    sender: Optional[str] = None
    text: Optional[str] = None
    validity: Optional[Duration] = None
    regional: Optional[Regional] = None
    # {bot-user-id: phone} (or a list of {initial, failover})
    destinations: Optional[FailoverDestinations] = None


class Failover(_M):
    sms: Optional[SmsFailover] = None


class Delivery(_M):
    url: Optional[str] = None
    intermediate_report: Optional[bool] = None
    notify: Optional[bool] = None
    triggered_failover_reports: Optional[bool] = _alias("triggered_failover_reports", "receive_triggered_failover_reports")


class Seen(_M):
    url: Optional[str] = None


class Webhooks(_M):
    delivery: Annotated[Optional[Delivery], _str_to("url", Delivery)] = None
    seen: Annotated[Optional[Seen], _str_to("url", Seen)] = None
    content_type: Optional[ContentType] = None
    callback_data: Optional[str] = None


class Recipient(_M):
    to: str
    message_id: Optional[str] = None




class Message(_M):
    """One message (after ``defaults`` are merged in). Exactly one content key."""

    id: Optional[str | int] = None
    sender: Optional[str] = None
    to: Optional[str | Recipient | list[str | Recipient] | dict[str, str]] = Field(
        default=None, description="a bot user id, a list of them ({to, message_id} items too), 'audience', "
                                  "or {audience: NAME}")
    template: Optional[str] = Field(default=None, description="name of a template under 'templates'")
    vars: Optional[dict[str, str | int | float | bool]] = Field(default=None,
                                                                description="values for the template's placeholders")
    # content: exactly one
    text: Optional[str] = None
    image: Annotated[Optional[Image], _str_to("url", Image)] = None
    video: Optional[Video] = None
    file: Optional[File] = None
    carousel: Optional[Carousel] = None
    location: Optional[LatLon] = None
    contact: Optional[Contact] = None
    sticker: Annotated[Optional[Sticker], BeforeValidator(C.sticker_to_mapping,
                                                          json_schema_input_type=Optional[Union[int, Sticker]])] = None
    url: Annotated[Optional[UrlContent], _str_to("url", UrlContent)] = None
    # shared content parts
    display: Optional[Display] = None
    keyboard: Optional[Keyboard] = None
    # options
    validity: Optional[Duration] = None
    window: Optional[Window] = None
    platform: Optional[Platform] = None
    campaign_ref: Optional[str] = None
    failover: Optional[Failover] = None
    webhooks: Optional[Webhooks] = None


MESSAGE_KEYS = tuple(Message.model_fields)


class SpecHeader(_M):
    """The request-level keys of a spec (messages and defaults are validated one by one)."""

    vibespec: Any = None
    bulk_id: Optional[str] = None
    send_at: Optional[SendAt] = None
    speed_limit: Optional[Speed] = None
    timezone: Optional[Zone] = None
    defaults: Optional[dict] = None
    messages: list[Any]
    templates: Optional[dict] = None
    audience: Any = None
    audiences: Any = None


class Spec(_M):
    """A vibespec spec: Viber bot messages compiled to one Infobip POST /viber-bot/1/messages body."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, title="vibespec spec")

    vibespec: int = Field(description="format version; this release reads 1")
    bulk_id: Optional[str] = Field(default=None, description="-> options.schedule.bulkId")
    send_at: Optional[SendAt] = Field(default=None, description="-> options.schedule.sendAt")
    speed_limit: Optional[Speed] = Field(default=None, description="-> options.schedule.sendingSpeedLimit")
    timezone: Optional[Zone] = Field(default=None, description="zone for send_at without an offset and for windows")
    defaults: Optional[Message] = Field(default=None, description="merged into every message; a message's own keys win")
    templates: Optional[dict[str, Message]] = Field(default=None, description="named message bodies with {{ placeholders }}")
    audience: Optional[str | list[dict[str, Any]]] = Field(default=None, description="CSV path or inline list of recipients")
    audiences: Optional[dict[str, str | list[dict[str, Any]]]] = Field(default=None,
                                                                       description="named audiences: name -> CSV path or rows")
    messages: list[Message]
