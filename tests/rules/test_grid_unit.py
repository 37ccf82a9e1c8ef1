"""Unit tests for the carousel, keyboard and button rules (VB300-VB399) on hand-written
request bodies, plus the layout model and malformed bodies that must not crash."""

from __future__ import annotations

import copy

import pytest

from vibespec.rules import BY_CODE
from vibespec.rules.carousel import layout
from vibespec.rules.engine import check_body

MSG = ("messages", 0, "content")
CGRID = MSG + ("buttonGrid",)
KGRID = MSG + ("keyboard", "buttonGrid")


def btn(text="Hi", body="x", atype="REPLY", columns=6, rows=1, **extra):
    b = {"action": {"actionBody": body, "actionType": atype}, "columns": columns, "rows": rows}
    if text is not None:
        b["text"] = text if isinstance(text, dict) else {"text": text}
    for k, v in extra.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def body(content):
    return {"messages": [{"sender": "DemoBot", "destinations": [{"to": "bot-user-3"}], "content": content}]}


def carousel(buttons, **grid):
    c = {"buttonGrid": {"buttons": buttons, **grid}, "type": "CAROUSEL"}
    return body(c)


def keyboard(buttons, **kb):
    grid = kb.pop("grid", {})
    k = {"buttonGrid": {"buttons": buttons, **grid}, **kb}
    return body({"text": "Pick one", "type": "TEXT", "keyboard": k})


def good_carousel_buttons():
    return [btn(columns=6, rows=5, text=None, media={"imageUrl": "https://cdn.example.com/p1.jpg"},
                atype="OPEN_URL", body="https://example.com/p1"),
            btn(columns=6, rows=2, text="Buy now", body="buy-p1")]


def vb3(b):
    """``{code: [path, ...]}`` of VB3xx findings."""
    out: dict[str, list] = {}
    for code, f in check_body(b):
        if code.startswith("VB3"):
            out.setdefault(code, []).append(f.path)
    return out


def only(b, code):
    return vb3(b).get(code, [])


# --------------------------------------------------------------------------- baselines


def test_good_carousel_is_clean():
    b = carousel(good_carousel_buttons(), buttonsGroupColumns=6, buttonsGroupRows=7)
    b["messages"][0]["content"].update(heightScale=100, backgroundColor="#FFFFFF")
    assert vb3(b) == {}


def test_good_keyboard_is_clean():
    b = keyboard([btn(columns=3, text="Yes", body="yes"), btn(columns=3, text="No", body="no")],
                 backgroundColor="#FFFFFF", actionBarState="MINIMIZED",
                 keyboardDisplay={"nativeKeyboardHeight": True, "percentageOfKeyboardOccupancy": 50},
                 grid={"buttonsGroupColumns": 6, "buttonsGroupRows": 2})
    assert vb3(b) == {}


def test_codes_are_registered_with_docs():
    for code in ("VB300", "VB301", "VB302", "VB303", "VB304", "VB305", "VB306", "VB307", "VB308",
                 "VB320", "VB321", "VB322", "VB323") + tuple(f"VB{n}" for n in range(340, 357)):
        cls = BY_CODE[code]
        doc = cls.doc()
        assert "Why:" in doc and "Source:" in doc and "Fails" in doc and "Passes" in doc, code


# --------------------------------------------------------------------------- grid


@pytest.mark.parametrize("v", [0, 7, "6", 2.5, True])
def test_vb300_columns(v):
    assert only(carousel(good_carousel_buttons(), buttonsGroupColumns=v), "VB300") == [CGRID + ("buttonsGroupColumns",)]
    assert only(keyboard([btn()], grid={"buttonsGroupColumns": v}), "VB300") == [KGRID + ("buttonsGroupColumns",)]


def test_vb300_pass():
    assert only(carousel(good_carousel_buttons(), buttonsGroupColumns=6), "VB300") == []
    assert only(carousel(good_carousel_buttons(), buttonsGroupColumns=6.0), "VB300") == []


@pytest.mark.parametrize("v", [0, 8, "7"])
def test_vb301_carousel_rows(v):
    assert only(carousel(good_carousel_buttons(), buttonsGroupRows=v), "VB301") == [CGRID + ("buttonsGroupRows",)]


def test_vb301_keyboard_rows():
    assert only(keyboard([btn()], grid={"buttonsGroupRows": 0}), "VB301") == [KGRID + ("buttonsGroupRows",)]
    assert only(keyboard([btn()], grid={"buttonsGroupRows": 12}), "VB301") == []
    assert only(carousel([btn(rows=7)], buttonsGroupRows=7), "VB301") == []


def test_vb302_buttons_missing_or_empty():
    assert only(carousel([]), "VB302") == [CGRID + ("buttons",)]
    b = carousel([])
    del b["messages"][0]["content"]["buttonGrid"]["buttons"]
    assert only(b, "VB302") == [CGRID]
    assert only(keyboard("nope"), "VB302") == [KGRID + ("buttons",)]
    assert only(keyboard([btn()]), "VB302") == []


def test_vb303_too_many_cards():
    bs = [btn(columns=6, rows=7, text=f"Card {i}", body=f"c{i}") for i in range(7)]
    assert only(carousel(bs), "VB303") == [CGRID + ("buttons", 6)]
    assert only(carousel(bs[:6]), "VB303") == []
    # 1x1 buttons in a 2x1 group: 12 fit, the 13th does not
    small = [btn(columns=1, rows=1) for _ in range(13)]
    assert only(carousel(small, buttonsGroupColumns=2, buttonsGroupRows=1), "VB303") == [CGRID + ("buttons", 12)]
    assert only(carousel(small[:12], buttonsGroupColumns=2, buttonsGroupRows=1), "VB303") == []


def test_vb304_button_size():
    b = carousel([btn(columns=0, rows=0), btn(columns=7), btn(columns="3")])
    assert sorted(only(b, "VB304")) == sorted([CGRID + ("buttons", 0, "columns"), CGRID + ("buttons", 0, "rows"),
                                              CGRID + ("buttons", 1, "columns"), CGRID + ("buttons", 2, "columns")])
    assert only(keyboard([btn(columns=1, rows=2)]), "VB304") == []


def test_vb305_span_exceeds_group():
    b = carousel([btn(columns=4, rows=1)], buttonsGroupColumns=3, buttonsGroupRows=2)
    assert only(b, "VB305") == [CGRID + ("buttons", 0, "columns")]
    b = carousel([btn(columns=3, rows=3)], buttonsGroupColumns=3, buttonsGroupRows=2)
    assert only(b, "VB305") == [CGRID + ("buttons", 0, "rows")]
    # unset button columns default to 6: reported at the button itself
    b = carousel([btn(columns=None)], buttonsGroupColumns=3, buttonsGroupRows=1)
    assert only(b, "VB305") == [CGRID + ("buttons", 0)]
    # carousel rows default to 7
    assert only(carousel([btn(rows=7)]), "VB305") == []
    # keyboard: rows compared only with an explicit group rows; > 2 is VB320's
    assert only(keyboard([btn(rows=2)], grid={"buttonsGroupRows": 1}), "VB305") == [KGRID + ("buttons", 0, "rows")]
    assert only(keyboard([btn(rows=3)], grid={"buttonsGroupRows": 1}), "VB305") == []
    assert only(keyboard([btn(columns=4)], grid={"buttonsGroupColumns": 3}), "VB305") == [KGRID + ("buttons", 0, "columns")]
    assert only(carousel([btn(columns=3, rows=2)], buttonsGroupColumns=3, buttonsGroupRows=2), "VB305") == []


def test_vb306_incomplete_card():
    # one 6x1 button in a 6x2 card: last card has 6 empty cells
    assert only(carousel([btn()], buttonsGroupRows=2), "VB306") == [CGRID + ("buttons", 0)]
    assert only(carousel([btn(), btn()], buttonsGroupRows=2), "VB306") == []
    # straddle: 6x1, then 6x2 does not fit in the remaining row of a 6x2 card
    b = carousel([btn(), btn(rows=2), btn(rows=1)], buttonsGroupRows=2)
    assert only(b, "VB306") == [CGRID + ("buttons", 1), CGRID + ("buttons", 2)]
    # 4+2 / 2+4 tiles a 6x2 card
    assert only(carousel([btn(columns=4), btn(columns=2), btn(columns=2), btn(columns=4)],
                         buttonsGroupRows=2), "VB306") == []
    # invalid spans are left to the errors
    assert only(carousel([btn(columns=9)], buttonsGroupRows=2), "VB306") == []
    assert vb3(carousel(good_carousel_buttons())).get("VB306") is None


def test_layout_model():
    lay = layout([(4, 1), (2, 1), (2, 1), (4, 1)], 6, 2)
    assert [(p.card, p.row, p.column) for p in lay.placed] == [(0, 0, 0), (0, 0, 4), (0, 1, 0), (0, 1, 2)]
    assert lay.card_free == [0]
    lay = layout([(3, 2), (3, 1), (3, 1), (6, 2)], 6, 2)
    assert [(p.card, p.row, p.column) for p in lay.placed] == [(0, 0, 0), (0, 0, 3), (0, 1, 3), (1, 0, 0)]
    assert lay.card_free == [0, 0]
    assert layout([(3, 2), (6, 1)], 6, 2).card_free == [6, 6]
    lay = layout([(6, 2)] * 3 + [(3, 1)] * 3, 6, None)
    assert lay.height == 8
    assert lay.placed[-1].row == 7


@pytest.mark.parametrize("v", [10, 101, "100", None])
def test_vb307_height_scale(v):
    b = carousel(good_carousel_buttons())
    b["messages"][0]["content"]["heightScale"] = v
    assert only(b, "VB307") == ([] if v is None else [MSG + ("heightScale",)])
    b["messages"][0]["content"]["heightScale"] = 20
    assert only(b, "VB307") == []


def test_vb308_unsupported_action():
    b = carousel([btn(atype="LOCATION_PICKER", rows=7), btn(atype="SHARE_PHONE", rows=7)])
    assert only(b, "VB308") == [CGRID + ("buttons", 0, "action", "actionType"),
                                CGRID + ("buttons", 1, "action", "actionType")]
    assert only(keyboard([btn(atype="LOCATION_PICKER"), btn(atype="SHARE_PHONE")]), "VB308") == []


# --------------------------------------------------------------------------- keyboard


def test_vb320_keyboard_button_rows():
    assert only(keyboard([btn(rows=3)]), "VB320") == [KGRID + ("buttons", 0, "rows")]
    assert only(keyboard([btn(rows=2)]), "VB320") == []
    assert only(carousel([btn(rows=3)]), "VB320") == []
    assert only(keyboard([btn(rows=0)]), "VB320") == []  # VB304's


def test_vb321_keyboard_too_many_rows():
    assert only(keyboard([btn() for _ in range(25)]), "VB321") == [KGRID + ("buttons", 24)]
    assert only(keyboard([btn() for _ in range(24)]), "VB321") == []
    assert only(keyboard([btn(columns=3) for _ in range(48)]), "VB321") == []
    assert only(keyboard([btn(rows=2) for _ in range(13)]), "VB321") == [KGRID + ("buttons", 12)]


@pytest.mark.parametrize("v,bad", [(39, True), (71, True), ("50", True), (40, False), (70, False)])
def test_vb322_occupancy(v, bad):
    b = keyboard([btn()], keyboardDisplay={"percentageOfKeyboardOccupancy": v})
    assert only(b, "VB322") == ([MSG + ("keyboard", "keyboardDisplay", "percentageOfKeyboardOccupancy")] if bad else [])


def test_vb323_action_bar_state():
    assert only(keyboard([btn()], actionBarState="minimized"), "VB323") == [MSG + ("keyboard", "actionBarState")]
    assert only(keyboard([btn()], actionBarState="SMALL"), "VB323") == [MSG + ("keyboard", "actionBarState")]
    for v in ("REGULAR", "MINIMIZED", "HIDDEN"):
        assert only(keyboard([btn()], actionBarState=v), "VB323") == []


# --------------------------------------------------------------------------- buttons

B0 = KGRID + ("buttons", 0)


def test_vb340_button_empty():
    assert only(keyboard([btn(text=None)]), "VB340") == [B0]
    assert only(keyboard([btn(text="  ")]), "VB340") == [B0]
    for extra in ({"background": {"color": "#FFFFFF"}}, {"background": {"mediaUrl": "https://x.example/a.png"}},
                  {"media": {"imageUrl": "https://x.example/a.png"}}):
        assert only(keyboard([btn(text=None, **extra)]), "VB340") == []
    assert only(keyboard([btn()]), "VB340") == []


def test_vb341_action_missing():
    b = btn()
    del b["action"]
    assert only(keyboard([b]), "VB341") == [B0]
    assert only(keyboard([btn(action="reply")]), "VB341") == [B0 + ("action",)]
    assert only(keyboard([btn()]), "VB341") == []


def test_vb342_action_type():
    assert only(keyboard([btn(atype="open-url", body="https://example.com")]), "VB342") == [B0 + ("action", "actionType")]
    assert only(keyboard([btn(atype="CALL")]), "VB342") == [B0 + ("action", "actionType")]
    b = btn()
    del b["action"]["actionType"]
    assert only(keyboard([b]), "VB342") == []
    for t in ("REPLY", "OPEN_URL", "OPEN_MAP", "LOCATION_PICKER", "SHARE_PHONE", "NONE"):
        assert only(keyboard([btn(atype=t)]), "VB342") == []


def test_vb343_action_body():
    b = btn()
    del b["action"]["actionBody"]
    assert only(keyboard([b]), "VB343") == [B0 + ("action",)]
    assert only(keyboard([btn(atype="SHARE_PHONE", body="")]), "VB343") == [B0 + ("action", "actionBody")]
    assert only(keyboard([btn(atype="LOCATION_PICKER", body="  ")]), "VB343") == [B0 + ("action", "actionBody")]
    assert only(keyboard([btn(body=42)]), "VB343") == [B0 + ("action", "actionBody")]
    assert only(keyboard([btn(atype="SHARE_PHONE", body="share")]), "VB343") == []


def test_vb344_open_url():
    assert only(keyboard([btn(atype="OPEN_URL", body="www.example.com")]), "VB344") == [B0 + ("action", "actionBody")]
    assert only(keyboard([btn(atype="OPEN_URL", body="ftp://example.com/x")]), "VB344") == [B0 + ("action", "actionBody")]
    assert only(keyboard([btn(atype="OPEN_URL", body="https://www.example.com")]), "VB344") == []
    assert only(keyboard([btn(atype="REPLY", body="www.example.com")]), "VB344") == []
    assert only(keyboard([btn(atype="OPEN_URL", body="")]), "VB344") == []  # VB343's


def test_vb345_open_map():
    assert only(keyboard([btn(atype="OPEN_MAP")]), "VB345") == [B0 + ("action",)]
    b = btn(atype="OPEN_MAP")
    b["action"]["openMapLocation"] = {"latitude": 95, "longitude": 15.9}
    assert only(keyboard([b]), "VB345") == [B0 + ("action", "openMapLocation", "latitude")]
    b["action"]["openMapLocation"] = {"latitude": 45.8}
    assert only(keyboard([b]), "VB345") == [B0 + ("action", "openMapLocation")]
    b["action"]["openMapLocation"] = {"latitude": 45.8, "longitude": "15.9"}
    assert only(keyboard([b]), "VB345") == [B0 + ("action", "openMapLocation", "longitude")]
    b["action"]["openMapLocation"] = [45.8, 15.9]
    assert only(keyboard([b]), "VB345") == [B0 + ("action", "openMapLocation")]
    b["action"]["openMapLocation"] = {"latitude": -90, "longitude": 180}
    assert only(keyboard([b]), "VB345") == []


def test_vb346_text_too_long():
    assert only(keyboard([btn(text="x" * 251)]), "VB346") == [B0 + ("text", "text")]
    assert only(keyboard([btn(text="x" * 250)]), "VB346") == []
    assert BY_CODE["VB346"].severity.value == "warning"


def test_vb347_paddings():
    def pad(p):
        b = btn()
        b["text"]["paddings"] = p
        return keyboard([b])

    assert only(pad([12, 12, 12]), "VB347") == [B0 + ("text", "paddings")]
    assert only(pad("12"), "VB347") == [B0 + ("text", "paddings")]
    assert only(pad([0, 13, -1, "2"]), "VB347") == [B0 + ("text", "paddings", 1), B0 + ("text", "paddings", 2),
                                                     B0 + ("text", "paddings", 3)]
    assert only(pad([0, 12, 6, 3]), "VB347") == []


def test_vb348_opacity():
    b = btn()
    b["text"]["opacity"] = 150
    assert only(keyboard([b]), "VB348") == [B0 + ("text", "opacity")]
    b["text"]["opacity"] = 0
    assert only(keyboard([b]), "VB348") == []


def test_vb349_frame():
    b = btn(background={"color": "#FFFFFF", "frame": {"borderWidth": 20, "cornerRadius": -1, "borderColor": "#000000"}})
    assert only(keyboard([b]), "VB349") == [B0 + ("background", "frame", "borderWidth"),
                                            B0 + ("background", "frame", "cornerRadius")]
    b["background"]["frame"] = {"borderWidth": 10, "cornerRadius": 0}
    assert only(keyboard([b]), "VB349") == []


def test_vb350_color_format():
    b = carousel(good_carousel_buttons())
    c = b["messages"][0]["content"]
    c["backgroundColor"] = "#FFF"
    c["keyboard"] = {"backgroundColor": "white", "buttonGrid": {"buttons": [
        btn(background={"color": "#12345G", "frame": {"borderColor": "000000"}},
            text={"text": "Hi", "backgroundGradientColor": "#FFFFFF80", "verticalAlign": "TOP"})]}}
    got = only(b, "VB350")
    assert got == [MSG + ("backgroundColor",), MSG + ("keyboard", "backgroundColor"),
                   KGRID + ("buttons", 0, "background", "color"),
                   KGRID + ("buttons", 0, "background", "frame", "borderColor"),
                   KGRID + ("buttons", 0, "text", "backgroundGradientColor")]
    hints = [f.help for code, f in check_body(b) if code == "VB350"]
    assert hints[0] == "write it in full: #FFFFFF"
    c["backgroundColor"] = "#ffffff"
    del c["keyboard"]
    assert only(b, "VB350") == []


def _url_btn(**settings):
    b = btn(atype="OPEN_URL", body="https://example.com")
    b["action"]["openUrlSettings"] = settings
    return keyboard([b])


US = B0 + ("action", "openUrlSettings")


def test_vb351_custom_title():
    assert only(_url_btn(customTitle="Our spring collection"), "VB351") == [US + ("customTitle",)]
    assert only(_url_btn(customTitle="x" * 15), "VB351") == []


def test_vb352_predefined_url_empty():
    assert only(_url_btn(actionPredefinedUrl=""), "VB352") == [US + ("actionPredefinedUrl",)]
    assert only(_url_btn(actionPredefinedUrl="https://example.com/s"), "VB352") == []


def test_vb353_gradient_ignored():
    b = btn(text={"text": "Hi", "backgroundGradientColor": "#000000"})
    assert only(keyboard([b]), "VB353") == [B0 + ("text", "backgroundGradientColor")]
    b["text"]["verticalAlign"] = "MIDDLE"
    assert only(keyboard([b]), "VB353") == [B0 + ("text", "backgroundGradientColor")]
    b["text"]["verticalAlign"] = "BOTTOM"
    assert only(keyboard([b]), "VB353") == []
    assert BY_CODE["VB353"].severity.value == "info"


def test_vb354_media_player_ignored():
    assert only(_url_btn(mediaPlayer={"title": "Clip"}), "VB354") == [US + ("mediaPlayer",)]
    assert only(_url_btn(mediaPlayer={"title": "Clip"}, openUrlMediaType="IMAGE"), "VB354") == [US + ("mediaPlayer",)]
    assert only(_url_btn(mediaPlayer={"title": "Clip"}, openUrlMediaType="VIDEO"), "VB354") == []


def test_vb355_predefined_url_ignored():
    u = "https://example.com/s"
    assert only(_url_btn(actionPredefinedUrl=u, actionButton="OPEN_EXTERNALLY"), "VB355") == [US + ("actionPredefinedUrl",)]
    assert only(_url_btn(actionPredefinedUrl=u, actionButton="NONE"), "VB355") == [US + ("actionPredefinedUrl",)]
    for ab in ("SEND", "FORWARD", None):
        kw = {"actionButton": ab} if ab else {}
        assert only(_url_btn(actionPredefinedUrl=u, **kw), "VB355") == []


def test_vb356_enum_invalid():
    b = btn(text={"text": "Hi", "size": "HUGE", "verticalAlign": "top", "horizontalAlign": "CENTER"},
            background={"color": "#FFFFFF", "mediaType": "VIDEO", "mediaScaleType": "FILL"},
            media={"imageUrl": "https://x.example/a.png", "imageScaleType": "STRETCH"})
    b["action"]["openUrlSettings"] = {"titleType": "DOMAIN", "actionButton": "send-to-bot",
                                      "browserDisplayMode": "HALF", "footerType": "HIDDEN",
                                      "openUrlType": 1, "openUrlMediaType": "AUDIO"}
    got = only(keyboard([b]), "VB356")
    assert got == [B0 + ("text", "size"), B0 + ("text", "verticalAlign"), B0 + ("background", "mediaType"),
                   B0 + ("media", "imageScaleType"), US + ("actionButton",), US + ("browserDisplayMode",),
                   US + ("openUrlType",), US + ("openUrlMediaType",)]
    hints = {f.path: f.help for code, f in check_body(keyboard([b])) if code == "VB356"}
    assert hints[B0 + ("text", "verticalAlign")] == "write it as TOP"
    assert hints[US + ("actionButton",)] == "write it as SEND_TO_BOT"


# --------------------------------------------------------------------------- robustness

MALFORMED = [
    None, [], "x", 1, {}, {"messages": None}, {"messages": [None, 1, "x", []]},
    {"messages": [{"content": None}]}, {"messages": [{"content": {"type": 5}}]},
    {"messages": [{"content": {"type": "CAROUSEL", "buttonGrid": None}}]},
    {"messages": [{"content": {"type": "CAROUSEL", "buttonGrid": [], "heightScale": []}}]},
    {"messages": [{"content": {"type": "CAROUSEL", "buttonGrid": {"buttons": [None, 1, [], "b"]},
                               "backgroundColor": 7}}]},
    {"messages": [{"content": {"type": "TEXT", "keyboard": []}}]},
    {"messages": [{"content": {"type": "TEXT", "keyboard": {"buttonGrid": "g", "keyboardDisplay": 3,
                                                            "actionBarState": ["x"]}}}]},
    {"messages": [{"content": {"type": "TEXT", "keyboard": {"buttonGrid": {"buttons": {"a": 1}}}}}]},
]

WEIRD_VALUES = [None, True, -1, 10**12, 1.5, float("nan"), float("inf"), "", "x", [], [1, 2], {}, {"a": None}]


@pytest.mark.parametrize("b", MALFORMED)
def test_malformed_bodies_do_not_crash(b):
    check_body(b)


def _paths(obj, path=()):
    yield path
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, path + (i,))


def _full_button():
    b = btn(atype="OPEN_URL", body="https://example.com",
            text={"text": "Hi", "opacity": 50, "backgroundGradientColor": "#000000", "paddings": [1, 2, 3, 4],
                  "verticalAlign": "TOP", "horizontalAlign": "LEFT", "size": "SMALL", "shouldFit": True},
            background={"color": "#FFFFFF", "frame": {"borderWidth": 1, "borderColor": "#000000", "cornerRadius": 2},
                        "mediaUrl": "https://x.example/a.gif", "mediaType": "GIF", "mediaScaleType": "FIT",
                        "gifLoop": True},
            media={"imageUrl": "https://x.example/a.png", "imageScaleType": "CROP"})
    b["action"]["silent"] = True
    b["action"]["openMapLocation"] = {"latitude": 1.0, "longitude": 2.0}
    b["action"]["openUrlSettings"] = {"actionPredefinedUrl": "https://x.example", "customTitle": "T",
                                      "mediaPlayer": {"thumbnailUrl": "https://x.example/t.jpg", "title": "a",
                                                      "subtitle": "b", "loop": False},
                                      "titleType": "DOMAIN", "actionButton": "SEND",
                                      "browserDisplayMode": "FULLSCREEN", "footerType": "DEFAULT",
                                      "actionReplyData": "r", "openUrlType": "INTERNAL",
                                      "openUrlMediaType": "VIDEO"}
    return b


def test_full_button_is_clean():
    b = carousel([_full_button()], buttonsGroupRows=1)
    assert vb3(b) == {}


@pytest.mark.slow
def test_every_field_with_every_weird_value_does_not_crash():
    base = carousel([_full_button()], buttonsGroupRows=1)
    c = base["messages"][0]["content"]
    c.update(heightScale=50, backgroundColor="#FFFFFF",
             keyboard={"buttonGrid": {"buttons": [_full_button()], "buttonsGroupColumns": 6, "buttonsGroupRows": 2},
                       "backgroundColor": "#FFFFFF", "actionBarState": "HIDDEN",
                       "keyboardDisplay": {"nativeKeyboardHeight": False, "percentageOfKeyboardOccupancy": 40}})
    for path in list(_paths(base)):
        if not path:
            continue
        for v in WEIRD_VALUES:
            b = copy.deepcopy(base)
            obj = b
            for k in path[:-1]:
                obj = obj[k]
            obj[path[-1]] = v
            check_body(b)  # must not raise
            if isinstance(obj, dict):
                del obj[path[-1]]
                check_body(b)


def test_huge_spans_are_cheap():
    b = keyboard([btn(rows=10**9, columns=10**9) for _ in range(50)])
    check_body(b)
    b = carousel([btn(rows=10**9) for _ in range(50)], buttonsGroupRows=10**9)
    check_body(b)


def test_vb343_exempts_none_and_open_map():
    for t in ("NONE", "OPEN_MAP"):
        b = btn(atype=t)
        del b["action"]["actionBody"]
        assert only(keyboard([b]), "VB343") == []
    b = btn()
    del b["action"]["actionType"]
    b["action"]["actionBody"] = ""
    assert only(keyboard([b]), "VB343") == [B0 + ("action", "actionBody")]
