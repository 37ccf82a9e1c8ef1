"""Unit tests of the content rules (VB2xx) on hand-written request bodies."""

from __future__ import annotations

import pytest

from vibespec.rules import BY_CODE
from vibespec.rules.engine import check_body

OK_URL = "https://cdn.example.com/"


def body(content: dict, **extra) -> dict:
    msg = {"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}], "content": content}
    msg.update(extra)
    return {"messages": [msg]}


def vb2(b) -> list[tuple[str, tuple]]:
    """``(code, path)`` of every VB2xx finding."""
    return [(code, f.path) for code, f in check_body(b) if code.startswith("VB2")]


def codes(b) -> set[str]:
    return {code for code, _ in vb2(b)}


C = ("messages", 0, "content")

# Content that produces no VB2xx finding at all.
CLEAN = [
    {"type": "TEXT", "text": "Welcome to Demo!"},
    {"type": "TEXT", "text": "x" * 4000},
    {"type": "IMAGE", "url": OK_URL + "promo.png", "text": "Spring sale", "thumbnailUrl": OK_URL + "t.jpg"},
    {"type": "IMAGE", "url": OK_URL + "promo.JPEG?v=2", "text": "x" * 512},
    {"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 27_262_976, "duration": 180, "thumbnailUrl": OK_URL + "v.jpg"},
    {"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "report.pdf", "size": 52_428_800},
    {"type": "FILE", "url": OK_URL + "download?id=3", "fileName": "report.docx", "size": 1},
    {"type": "URL", "url": "https://example.com/offer"},
    {"type": "LOCATION", "location": {"latitude": -90, "longitude": 180.0}},
    {"type": "CONTACT", "contact": {"name": "x" * 28, "phoneNumber": "+" + "1" * 17}},
    {"type": "STICKER", "stickerId": 40133},
    {"type": "TEXT", "text": "Hi", "senderDisplayInfo": {"name": "x" * 28, "avatarUrl": OK_URL + "a.png"}},
]


@pytest.mark.parametrize("content", CLEAN)
def test_clean_content_has_no_findings(content):
    assert vb2(body(content)) == []


# (content, code, path suffix under content)
FAILS = [
    # text
    ({"type": "TEXT", "text": "x" * 4001}, "VB201", ("text",)),
    ({"type": "TEXT", "text": "x" * 7001}, "VB202", ("text",)),
    ({"type": "TEXT", "text": " \n\t"}, "VB203", ("text",)),
    ({"type": "TEXT", "text": ""}, "VB203", ("text",)),
    ({"type": "TEXT"}, "VB203", ()),
    # image
    ({"type": "IMAGE", "url": OK_URL + "a.png", "text": "x" * 769}, "VB210", ("text",)),
    ({"type": "IMAGE", "url": OK_URL + "a.png", "text": "x" * 513}, "VB211", ("text",)),
    ({"type": "IMAGE", "url": OK_URL + "a.png", "text": "x" * 768}, "VB211", ("text",)),
    ({"type": "IMAGE"}, "VB212", ()),
    ({"type": "IMAGE", "url": "/img/a.png"}, "VB212", ("url",)),
    ({"type": "IMAGE", "url": "ftp://cdn.example.com/a.png"}, "VB212", ("url",)),
    ({"type": "IMAGE", "url": OK_URL + "a.webp"}, "VB213", ("url",)),
    ({"type": "IMAGE", "url": OK_URL + "image?id=1"}, "VB213", ("url",)),
    ({"type": "IMAGE", "url": OK_URL + "dance.GIF"}, "VB214", ("url",)),
    ({"type": "IMAGE", "url": OK_URL + "a.png", "thumbnailUrl": "t.jpg"}, "VB215", ("thumbnailUrl",)),
    # video
    ({"type": "VIDEO", "size": 10}, "VB220", ()),
    ({"type": "VIDEO", "url": "a.mp4", "size": 10}, "VB220", ("url",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mov", "size": 10}, "VB221", ("url",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4"}, "VB222", ()),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 0}, "VB222", ("size",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": "5MB"}, "VB222", ("size",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 27_262_977}, "VB223", ("size",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "duration": 181}, "VB224", ("duration",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "duration": 0}, "VB225", ("duration",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "duration": 1.5}, "VB225", ("duration",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "thumbnailUrl": OK_URL + "v.png"}, "VB226", ("thumbnailUrl",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "text": "x" * 769}, "VB227", ("text",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "text": "Watch"}, "VB228", ("text",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 10, "thumbnailUrl": "v.jpg"}, "VB229", ("thumbnailUrl",)),
    # file
    ({"type": "FILE", "fileName": "r.pdf", "size": 1}, "VB230", ()),
    ({"type": "FILE", "url": "r.pdf", "fileName": "r.pdf", "size": 1}, "VB230", ("url",)),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "size": 1}, "VB231", ()),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "  ", "size": 1}, "VB231", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "x" * 253 + ".pdf", "size": 1}, "VB232", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "report", "size": 1}, "VB233", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "setup.exe", "fileName": "setup.EXE", "size": 1}, "VB234", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "setup.apk", "fileName": "setup", "size": 1}, "VB234", ("url",)),
    ({"type": "FILE", "url": OK_URL + "data.csv", "fileName": "data.csv", "size": 1}, "VB235", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "r.docx", "fileName": "report.pdf", "size": 1}, "VB236", ("fileName",)),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "r.pdf"}, "VB237", ()),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "r.pdf", "size": -1}, "VB237", ("size",)),
    ({"type": "FILE", "url": OK_URL + "r.pdf", "fileName": "r.pdf", "size": 52_428_801}, "VB238", ("size",)),
    # url
    ({"type": "URL", "url": "https://example.com/?q=" + "x" * 1978}, "VB240", ("url",)),
    ({"type": "URL", "url": "www.example.com/offer"}, "VB241", ("url",)),
    ({"type": "URL"}, "VB241", ()),
    # location
    ({"type": "LOCATION", "location": {"latitude": 90.5, "longitude": 0}}, "VB245", ("location", "latitude")),
    ({"type": "LOCATION", "location": {"latitude": 0, "longitude": -181}}, "VB245", ("location", "longitude")),
    ({"type": "LOCATION", "location": {"latitude": "45.8", "longitude": 15.9}}, "VB246", ("location", "latitude")),
    ({"type": "LOCATION", "location": {"latitude": 45.8}}, "VB246", ("location",)),
    ({"type": "LOCATION", "location": {"latitude": float("nan"), "longitude": 1}}, "VB246", ("location", "latitude")),
    ({"type": "LOCATION"}, "VB246", ()),
    # contact
    ({"type": "CONTACT", "contact": {"name": "x" * 29, "phoneNumber": "+385911234567"}}, "VB250", ("contact", "name")),
    ({"type": "CONTACT", "contact": {"name": "S", "phoneNumber": "1" * 19}}, "VB251", ("contact", "phoneNumber")),
    ({"type": "CONTACT", "contact": {"name": "", "phoneNumber": "+385911234567"}}, "VB252", ("contact", "name")),
    ({"type": "CONTACT", "contact": {"name": "S"}}, "VB252", ("contact",)),
    ({"type": "CONTACT"}, "VB252", ()),
    # sticker
    ({"type": "STICKER", "stickerId": 0}, "VB255", ("stickerId",)),
    ({"type": "STICKER", "stickerId": "40133"}, "VB255", ("stickerId",)),
    ({"type": "STICKER", "stickerId": True}, "VB255", ("stickerId",)),
    ({"type": "STICKER"}, "VB255", ()),
    # display and media
    ({"type": "TEXT", "text": "Hi", "senderDisplayInfo": {"name": "x" * 29}}, "VB260", ("senderDisplayInfo", "name")),
    ({"type": "TEXT", "text": "Hi", "senderDisplayInfo": {"avatarUrl": "a.png"}}, "VB261", ("senderDisplayInfo", "avatarUrl")),
    ({"type": "TEXT", "text": "Hi", "senderDisplayInfo": {"avatarUrl": "http://cdn.example.com/a.png"}},
     "VB262", ("senderDisplayInfo", "avatarUrl")),
    ({"type": "IMAGE", "url": "http://cdn.example.com/a.png"}, "VB262", ("url",)),
    ({"type": "VIDEO", "url": OK_URL + "a.mp4", "size": 1, "thumbnailUrl": "HTTP://cdn.example.com/v.jpg"},
     "VB262", ("thumbnailUrl",)),
    ({"type": "FILE", "url": "http://cdn.example.com/r.pdf", "fileName": "r.pdf", "size": 1}, "VB262", ("url",)),
]


@pytest.mark.parametrize("content,code,suffix", FAILS)
def test_rule_fires_at_path(content, code, suffix):
    found = vb2(body(content))
    assert (code, C + suffix) in found, found


def test_each_finding_path_exists_in_or_under_body():
    """A finding names the field, or the parent object when the field is missing."""
    for content, code, suffix in FAILS:
        for _, path in vb2(body(content)):
            node = body(content)
            for key in path:
                assert isinstance(node, (dict, list)), (code, path)
                node = node[key]


def test_text_over_7000_is_both_error_and_note():
    assert codes(body({"type": "TEXT", "text": "x" * 7001})) == {"VB201", "VB202"}


def test_image_caption_over_768_is_error_only():
    assert codes(body({"type": "IMAGE", "url": OK_URL + "a.png", "text": "x" * 769})) == {"VB210"}


def test_invalid_image_url_reports_only_invalid():
    assert codes(body({"type": "IMAGE", "url": "not a url.png"})) == {"VB212"}


def test_forbidden_extension_is_not_also_not_listed():
    assert codes(body({"type": "FILE", "url": OK_URL + "a.exe", "fileName": "a.exe", "size": 1})) == {"VB234"}


def test_file_extension_spellings_of_same_format_match():
    assert "VB236" not in codes(body({"type": "FILE", "url": OK_URL + "a.jpeg", "fileName": "a.jpg", "size": 1}))


def test_url_message_http_link_is_not_media():
    # a link the user opens: VB283 link-not-https, not VB262 media-url-not-https
    assert codes(body({"type": "URL", "url": "http://example.com/offer"})) == {"VB283"}


def test_payload_over_30kb():
    small = {"type": "TEXT", "text": "ž" * 3900}  # 7,800 bytes of UTF-8
    assert "VB270" not in codes(body(small))
    big = {"type": "CAROUSEL", "buttonGrid": {"buttons": [{"action": {"actionBody": "x" * 2000}}] * 16}}
    found = vb2(body(big))
    assert ("VB270", C) in found


def test_rules_are_typed_by_content_type():
    # a caption limit of IMAGE does not apply to TEXT, etc.
    assert codes(body({"type": "TEXT", "text": "x" * 600})) == set()
    assert codes(body({"type": "URL", "url": OK_URL + "a.exe"})) == set()


def test_each_code_has_documented_sections():
    for code, cls in BY_CODE.items():
        if not code.startswith("VB2"):
            continue
        doc = cls.doc()
        for section in ("Why:", "Source:", "Fails", "Passes"):
            assert section in doc, (code, section)


MALFORMED = [
    None,
    [],
    "body",
    {"messages": None},
    {"messages": {"content": {}}},
    {"messages": [None, 1, "x", []]},
    {"messages": [{"content": None}]},
    {"messages": [{"content": []}]},
    {"messages": [{"content": {"type": 5}}]},
    {"messages": [{"content": {}}]},
]

# every type with every field of the wrong type
WRONG_VALUES = [None, 0, -1, 1.5, True, "", "x", [], {}, [1, 2], {"a": 1}, float("inf"), 10**30]
TYPES = ["TEXT", "IMAGE", "VIDEO", "FILE", "URL", "LOCATION", "CONTACT", "STICKER", "CAROUSEL", "text", ""]
FIELDS = ["text", "url", "thumbnailUrl", "size", "duration", "fileName", "location", "contact",
          "stickerId", "senderDisplayInfo"]


@pytest.mark.parametrize("b", MALFORMED)
def test_malformed_bodies_do_not_crash(b):
    check_body(b)


@pytest.mark.parametrize("type_", TYPES)
def test_wrong_types_everywhere_do_not_crash(type_):
    for value in WRONG_VALUES:
        content = {"type": type_}
        for f in FIELDS:
            content[f] = value
        check_body(body(content))
        for sub in ("location", "contact", "senderDisplayInfo"):
            nested = {"type": type_, sub: {k: value for k in (
                "latitude", "longitude", "name", "phoneNumber", "avatarUrl")}}
            check_body(body(nested))
