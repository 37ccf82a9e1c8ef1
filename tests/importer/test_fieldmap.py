"""lower and importer read the spec <-> wire names from one map (compiler/fieldmap.py)."""

from __future__ import annotations

from vibespec.compiler import fieldmap, importer, lower
from vibespec.spec import fast


def test_both_directions_use_the_one_map():
    assert importer._CONTENT_KEY is fieldmap.CONTENT_KEY_OF
    assert importer._ACTION_TYPES is fieldmap.ACTION_TYPES
    assert importer.SHORT is fieldmap.STRING_FORMS
    assert importer._CONTENT_TYPES is fieldmap.HTTP_CONTENT_SHORT
    assert lower._STRING_FORMS == {p[-1]: k for p, k in fieldmap.STRING_FORMS.items()}


def test_each_backward_table_inverts_the_forward_one():
    for key, wire in fieldmap.CONTENT_TYPE_OF.items():
        assert fieldmap.CONTENT_KEY_OF[wire] == key
    assert len(fieldmap.CONTENT_KEY_OF) == len(fieldmap.CONTENT_TYPE_OF)
    assert fieldmap.ACTION_TYPES == tuple(fieldmap.ACTION_TYPE_OF.values())


# --------------------------------------------------------------------------- the field map

import json
from datetime import datetime, timezone

import pytest

from vibespec.compiler.importer import import_body, to_yaml
from vibespec.compiler.lower import lower as lower_document
from vibespec.source import load
from vibespec.wire import _table as wire_table

from importer_cases import HAND_WRITTEN, example_bodies

NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
SHARED_CONTENT = ("senderDisplayInfo", "keyboard", "type")
#: the kind of a message's content object, by its type (TEXT has no fields of its own)
CONTENT_KIND = {"IMAGE": "Image", "VIDEO": "Video", "FILE": "File", "CAROUSEL": "Carousel", "STICKER": "Sticker",
                "URL": "UrlContent"}
#: objects under a field the map marks CODE: (kind, wire key) -> kind of the object (a list: of its items)
UNDER_CODE = {("Carousel", "buttonGrid"): "Grid", ("Keyboard", "buttonGrid"): "Grid", ("Grid", "buttons"): ["Button"],
              ("Button", "action"): "Action", ("Action", "openUrlSettings"): "OpenUrl",
              ("Action", "openMapLocation"): "LatLon", ("Options", "smsFailover"): "SmsFailover"}
#: the request model (wire/request.py) of each kind's wire object
WIRE_MODEL = {"Image": "ImageContent", "Video": "VideoContent", "File": "FileContent", "Carousel": "CarouselContent",
              "Contact": "Contact", "LatLon": "Location", "Sticker": "StickerContent", "UrlContent": "UrlContent",
              "Display": "SenderDisplayInfo", "Keyboard": "Keyboard", "KeyboardDisplay": "KeyboardDisplay",
              "Grid": "ButtonGrid", "Button": "Button", "ButtonText": "ButtonText", "Frame": "BackgroundFrame",
              "Background": "ButtonBackground", "ButtonImage": "ButtonMedia", "Action": "ButtonAction",
              "OpenUrl": "OpenUrlSettings", "MediaPlayer": "MediaPlayer", "Options": "MessageOptions",
              "Platform": "Platform", "SmsFailover": "SmsFailover", "Regional": "Regional", "IndiaDlt": "IndiaDlt",
              "TurkeyIys": "TurkeyIys", "SouthKorea": "SouthKorea", "Webhooks": "Webhooks",
              "Delivery": "DeliveryReporting", "Seen": "SeenReporting", "Schedule": "Schedule"}


def objects(body: dict):
    """(kind, path, object) for every object of a request body that the map describes."""
    def walk(kind, path, obj):
        yield kind, path, obj
        for f in fieldmap.FIELDS[kind]:
            if f.wire not in obj:
                continue
            sub = f.kind.kind if isinstance(f.kind, fieldmap.Obj) else UNDER_CODE.get((kind, f.wire))
            if isinstance(sub, list):
                for j, item in enumerate(obj[f.wire]):
                    yield from walk(sub[0], path + (f.wire, j), item)
            elif sub is not None:
                yield from walk(sub, path + (f.wire,), obj[f.wire])

    if "schedule" in body.get("options", {}):
        yield from walk("Schedule", ("options", "schedule"), body["options"]["schedule"])
    for i, m in enumerate(body["messages"]):
        P = ("messages", i)
        c = m["content"]
        if c["type"] in CONTENT_KIND:
            yield from walk(CONTENT_KIND[c["type"]], P + ("content",), c)
        for key, kind in (("contact", "Contact"), ("location", "LatLon"), ("senderDisplayInfo", "Display"),
                          ("keyboard", "Keyboard")):
            if key in c:
                yield from walk(kind, P + ("content", key), c[key])
        for key, kind in (("options", "Options"), ("webhooks", "Webhooks")):
            if key in m:
                yield from walk(kind, P + (key,), m[key])


def _bodies() -> list[tuple[str, dict]]:
    out = [(f"hand-written/{k}", b) for k, b in sorted(HAND_WRITTEN.items())]
    out += [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in example_bodies()]
    return out


def _compile(spec: dict) -> dict:
    return lower_document(load(to_yaml(spec), "imported.viber.yaml"), NOW).body


def test_the_map_names_every_field_of_each_wire_object_in_body_order():
    assert set(WIRE_MODEL) == set(fieldmap.FIELDS)
    for kind, model in WIRE_MODEL.items():
        wire = [f[0] for f in wire_table.MODELS[model] if f[0] not in SHARED_CONTENT]
        assert list(fieldmap.WIRE_KEYS[kind]) == wire, kind


def test_each_spec_key_of_the_map_is_a_key_of_its_spec_model():
    for kind, fields in fieldmap.FIELDS.items():
        model = fieldmap.SPEC_MODEL.get(kind, kind)
        canonical = [f[0] for f in fast.MODELS[model]]
        for f in fields:
            assert f.spec is None or f.spec in canonical, (kind, f)
            if isinstance(f.kind, fieldmap.Obj):
                assert f.kind.kind in fieldmap.FIELDS, (kind, f)
            if isinstance(f.kind, fieldmap.Conv):
                assert f.kind.name in importer._CONVERTERS, (kind, f)


def test_lower_writes_no_key_the_map_does_not_name():
    for name, body in _bodies():
        compiled = _compile(import_body(body))
        for kind, path, obj in objects(compiled):
            extra = [k for k in obj if k not in fieldmap.WIRE_KEYS[kind] and k not in SHARED_CONTENT]
            assert extra == [], (name, kind, path)


def test_every_field_of_the_map_round_trips():
    # each (kind, wire key) of the map occurs in a body that import then compile gives back exactly
    seen = set()
    for name, body in _bodies():
        assert _compile(import_body(body)) == body, name
        seen |= {(kind, k) for kind, _, obj in objects(body) for k in obj}
    missing = [(kind, f.wire) for kind, fields in fieldmap.FIELDS.items() for f in fields if (kind, f.wire) not in seen]
    assert missing == []


def _renamed(body: dict, kind: str, wire: str, new: str) -> dict:
    """``body`` with the key ``wire`` of every object of ``kind`` spelled ``new`` (in its place)."""
    body = json.loads(json.dumps(body))
    for k, _, obj in list(objects(body)):
        if k == kind and wire in obj:
            items = [(new if key == wire else key, v) for key, v in obj.items()]
            obj.clear()
            obj.update(items)
    return body


PLAIN = [(kind, f.wire) for kind, fields in fieldmap.FIELDS.items() for f in fields if f.kind is not fieldmap.CODE]


@pytest.mark.parametrize("kind,wire", PLAIN, ids=[f"{k}.{w}" for k, w in PLAIN])
def test_the_map_is_the_one_source_of_each_field(kind, wire, monkeypatch):
    # Rename one wire key in the map alone: lower writes the new name and import reads it back,
    # so neither direction holds a list of its own.
    name, body = next((n, b) for n, b in _bodies() if any(k == kind and wire in o for k, _, o in objects(b)))
    spec = import_body(body)
    fields = dict(fieldmap.FIELDS)
    fields[kind] = tuple(fieldmap.Field(f.spec, wire + "X", f.kind) if f.wire == wire else f for f in fields[kind])
    # in place: lower and importer hold the map's own tables, not copies
    monkeypatch.setitem(fieldmap.FIELDS, kind, fields[kind])
    for table, value in fieldmap.derive(fields).items():
        monkeypatch.setitem(getattr(fieldmap, table), kind, value[kind])
    expected = _renamed(body, kind, wire, wire + "X")
    assert expected != body
    assert _compile(spec) == expected, name
    assert import_body(expected) == spec, name
