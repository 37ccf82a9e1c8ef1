"""vibespec.source: data, scalar resolution, errors with positions, locators."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import pytest

from vibespec.diagnostics import Span, VibespecError
from vibespec.source import detect_format, load, load_path
from vibespec.source.nodes import Limits
from vibespec.source.yaml import HAVE_CPARSER, event_source, load_yaml


def err(src, filename="spec.yaml", **kw):
    with pytest.raises(VibespecError) as ei:
        load(src, filename, **kw)
    (d,) = ei.value.diagnostics
    assert d.file == filename
    assert d.message == d.message.lower() or d.message[:1].islower()
    return d


# ----------------------------------------------------------------------------- formats

YAML_DOC = """\
vibespec: 1
bulk_id: spring
messages:
  - to: [bot-user-1, bot-user-2]
    text: "Hello"
    n: 3
    ratio: 0.5
    ok: true
    none: null
  - to: bot-user-3
    image: {url: https://cdn.example.com/a.png, caption: Sale}
"""

TOML_DOC = """\
vibespec = 1
bulk_id = "spring"

[[messages]]
to = ["bot-user-1", "bot-user-2"]
text = "Hello"
n = 3
ratio = 0.5
ok = true

[[messages]]
to = "bot-user-3"
image = { url = "https://cdn.example.com/a.png", caption = "Sale" }
"""

JSON_DOC = """\
{"vibespec": 1, "bulk_id": "spring",
 "messages": [
   {"to": ["bot-user-1", "bot-user-2"], "text": "Hello", "n": 3, "ratio": 0.5, "ok": true,
    "none": null},
   {"to": "bot-user-3",
    "image": {"url": "https://cdn.example.com/a.png", "caption": "Sale"}}
 ]}
"""


def test_same_data_in_three_formats():
    y = load(YAML_DOC, "a.yaml").data
    t = load(TOML_DOC, "a.toml").data
    j = load(JSON_DOC, "a.json").data
    assert y == j
    del y["messages"][0]["none"]  # TOML has no null
    assert y == t
    assert list(y) == ["vibespec", "bulk_id", "messages"]


def test_detect_format_and_bytes():
    assert detect_format("x.viber.yaml") == "yaml"
    assert detect_format("x.viber.toml") == "toml"
    assert detect_format("body.JSON") == "json"
    assert detect_format("x.txt") == "yaml"
    assert load(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}
    assert load("\ufeffa: 1\n").data == {"a": 1}
    assert load('{"a": 1}', "x", fmt="json").data == {"a": 1}


def test_load_path(tmp_path):
    p = tmp_path / "s.viber.toml"
    p.write_bytes(b'a = "\xc3\xbc"\n')
    d = load_path(p)
    assert d.data == {"a": "ü"} and d.format == "toml" and d.filename == str(p)
    with pytest.raises(OSError):
        load_path(tmp_path / "missing.yaml")


@pytest.mark.skipif(not HAVE_CPARSER, reason="needs PyYAML with libyaml")
@pytest.mark.parametrize("src", [YAML_DOC, "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",
                                 "w: {from: 06:00, to: 'x:y', z: [http://a, b]}\n"])
def test_c_and_pure_parsers_agree(src):
    assert load_yaml(src).data == load_yaml(src, pure=True).data


# ----------------------------------------------------------------------------- ':' in flows

# YAML 1.2 reads a ':' glued to the next character inside a flow collection as part of a plain
# scalar (DSL.md writes `{url: https://...}`); libyaml 0.1.7 refused it (vibespec.source._yamlevents)
FLOW_COLONS = [
    ("image: {url: https://x}\n", {"image": {"url": "https://x"}}, ("image", "url"), Span(1, 14, 1, 23)),
    ("a: [a:b]\n", {"a": ["a:b"]}, ("a", 0), Span(1, 5, 1, 8)),
    ("a: {a: b:c}\n", {"a": {"a": "b:c"}}, ("a", "a"), Span(1, 8, 1, 11)),
    ("w: {from: 08:00, to: [http://a, b]}\n", {"w": {"from": "08:00", "to": ["http://a", "b"]}},
     ("w", "to", 0), Span(1, 23, 1, 31)),
    ("a: {b: [c:d, {e: f:g}], h: i:j}\n", {"a": {"b": ["c:d", {"e": "f:g"}], "h": "i:j"}},
     ("a", "b", 1, "e"), Span(1, 18, 1, 21)),
    ("a: {b: [c:d, {e: f:g}], h: i:j}\n", {"a": {"b": ["c:d", {"e": "f:g"}], "h": "i:j"}},
     ("a", "h"), Span(1, 28, 1, 31)),
    ("a:\n  - [x:y\n    , z]\n", {"a": [["x:y", "z"]]}, ("a", 0, 1), Span(3, 7, 3, 8)),
]


@pytest.mark.parametrize("text,data,path,span", FLOW_COLONS)
def test_colons_in_flows(text, data, path, span):
    doc = load(text, "s.yaml")
    assert doc.data == data
    assert doc.locate(path) == span
    assert load_yaml(text, pure=True).data == data


@pytest.mark.skipif(not HAVE_CPARSER, reason="needs PyYAML with libyaml")
@pytest.mark.parametrize("text", [t for t, *_ in FLOW_COLONS])
def test_libyaml_reads_colons_in_flows(text):
    """The C event source reads these itself: no re-parse with the pure parser, no quoting."""
    get, ev = event_source(text)
    values = []
    while True:
        e = get()
        if type(e) is ev.stream_end:
            break
        if type(e) is ev.scalar:
            values.append(e.value)
    assert any(":" in v for v in values)


@pytest.mark.parametrize(
    "src,code,column,end_column",
    [
        ("a: {url: https://x, url: https://y}\n", "VB005", 21, 24),
        ("a: {url: !!binary https://x}\n", "VB006", 10, 28),
        ("a: [x:y, {b: c:d, b: e}]\n", "VB005", 19, 20),
        # after a ':' the loader spaced out (vibespec.source._flowcolon)
        ("m: {to: u1, text:, to: u2}\n", "VB005", 20, 22),
        ("m: {text:, x: !!binary a}\n", "VB006", 15, 25),
    ],
)
def test_findings_in_flows_with_colons(src, code, column, end_column):
    d = err(src)
    assert (d.code, d.line, d.column, d.end_column) == (code, 1, column, end_column), d


@pytest.mark.parametrize(
    "text,data,path,span,key_span",
    [
        ("m: {to: u1, text:}\n", {"m": {"to": "u1", "text": None}}, ("m", "text"),
         Span(1, 18, 1, 18), Span(1, 13, 1, 17)),
        ("m: [key:]\n", {"m": [{"key": None}]}, ("m", 0, "key"), Span(1, 9, 1, 9), Span(1, 5, 1, 8)),
        ("m: [a:, {b:}, c:d]\n", {"m": [{"a": None}, {"b": None}, "c:d"]}, ("m", 1, "b"),
         Span(1, 12, 1, 12), Span(1, 10, 1, 11)),
        ("m: {a:[b], c:{d: e}}\n", {"m": {"a": ["b"], "c": {"d": "e"}}}, ("m", "c", "d"),
         Span(1, 18, 1, 19), Span(1, 15, 1, 16)),
    ],
)
def test_colon_before_a_flow_indicator(text, data, path, span, key_span):
    """`{text:}` is {'text': None} in YAML 1.2; libyaml refuses it and ruamel's pure parser
    reads a key 'text:', so the loader spaces the ':' out (vibespec.source._flowcolon)."""
    doc = load(text, "s.yaml")
    assert doc.data == data
    assert doc.locate(path) == span
    assert doc.locate(path, key=True) == key_span


def test_without_libyaml_the_pure_parser_reads_everything(monkeypatch):
    import vibespec.source.yaml as syaml

    monkeypatch.setattr(syaml, "_CParser", None)
    for text, data, path, span in FLOW_COLONS:
        doc = load(text, "s.yaml")
        assert doc.data == data and doc.locate(path) == span


def test_a_lint_of_yaml_does_not_import_ruamel():
    """ruamel.yaml (the pure parser) is imported only when libyaml cannot read a text."""
    import subprocess
    import sys

    code = ("import sys; from vibespec.source import load; "
            "load(b'vibespec: 1\\nimage: {url: https://x, n: [a:b]}\\n', 's.viber.yaml'); "
            "print(sorted(m for m in sys.modules if m.startswith('ruamel')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- scalars

@pytest.mark.parametrize(
    "text,value",
    [
        ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
        ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
        ("0", 0), ("-12", -12), ("+7", 7), ("0o17", 15), ("0x1F", 31), ("007", 7),
        ("1.5", 1.5), ("-.5", -0.5), ("1e3", 1000.0), ("6.02E+23", 6.02e23), ("1.", 1.0),
        (".inf", math.inf), ("-.Inf", -math.inf),
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
        ("06:00", "06:00"), ("15:30", "15:30"), ("2026-12-01", "2026-12-01"),
        ("2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00+01:00"),
        ("1_000", "1_000"), ("0b101", "0b101"), ("30m", "30m"), ("5MiB", "5MiB"),
        ("'123'", "123"), ('"true"', "true"), ("'null'", "null"), ("!!str 123", "123"),
        ('!!int "5"', 5), ("!!float 3", 3.0), ("!!bool 'true'", True), ("!!null ''", None),
        ("!!timestamp 2026-12-01", "2026-12-01"), ("! 12", "12"),
        ("|\n  a\n  b", "a\nb\n"), (">-\n  a\n  b", "a b"),
    ],
)
def test_scalar_resolution(text, value):
    got = load("v: " + text + "\n").data["v"]
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(got)
    else:
        assert got == value and type(got) is type(value)


def test_nan():
    assert math.isnan(load("v: .nan\n").data["v"])


def test_keys_are_strings():
    d = load("66855538125: a\ntrue: b\nnull: c\n1.5: d\n").data
    assert d == {"66855538125": "a", "true": "b", "null": "c", "1.5": "d"}


def test_bad_tagged_value():
    d = err("a: !!int abc\n")
    assert (d.code, d.line, d.column) == ("VB001", 1, 4)


def test_complex_key():
    d = err("? [a, b]\n: 1\n")
    assert d.code == "VB001" and "complex" in d.message
    d = err("{[a]: 1}\n")
    assert d.code == "VB001"


# ----------------------------------------------------------------------------- anchors

def test_anchors_and_merge_keys():
    src = """\
base: &base {sender: Bot, validity: 30m}
extra: &extra {validity: 1h, campaign: c}
one:
  <<: *base
  sender: Other
two:
  <<: [*base, *extra]
list: &l [1, 2]
again: *l
"""
    d = load(src).data
    assert d["one"] == {"sender": "Other", "validity": "30m"}
    assert d["two"] == {"sender": "Bot", "validity": "30m", "campaign": "c"}
    assert d["again"] == [1, 2]


def test_alias_limits():
    many = "a: &a x\nb: [" + ", ".join(["*a"] * 11) + "]\n"
    assert len(load(many).data["b"]) == 11
    d = err(many, limits=Limits(max_aliases=10))
    assert d.code == "VB007" and d.line == 2
    d = err("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", limits=Limits(max_alias_nodes=10))
    assert d.code == "VB007" and (d.line, d.column) == (2, 13)


def test_bad_aliases():
    assert err("a: *nope\n").code == "VB001"
    assert err("a: &a [*a]\n").code == "VB001"  # recursive
    assert err("a: &a {x: 1}\n*a : 2\n").code == "VB001"  # mapping as key
    assert err("a: 1\n<<: 2\n").code == "VB001"  # merge of a scalar


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize(
    "src,filename,code,line,column",
    [
        ('a: "x\n', "s.yaml", "VB001", 2, 1),
        ("a: [1, 2\n", "s.yaml", "VB001", 2, 1),
        ("a: b: c\n", "s.yaml", "VB001", 1, 5),
        ("a = \n", "s.toml", "VB001", 1, 5),
        ("[a\nb = 1\n", "s.toml", "VB001", 1, 3),
        ('{"a": 1,}', "s.json", "VB001", 1, 9),
        ('{"a": NaN}', "s.json", "VB001", 1, 7),
        ('{"a": -Infinity}', "s.json", "VB001", 1, 7),
        ("a: 1\n\x01b: 2\n", "s.yaml", "VB002", 2, 1),
        (b"a: 1\nb: \xff\n", "s.yaml", "VB002", 2, 4),
        (b"a = 1\x00\n", "s.toml", "VB002", 1, 6),
        ("", "s.yaml", "VB003", 1, 1),
        ("  \n\n", "s.json", "VB003", 1, 1),
        ("# c\n\n# d\n", "s.toml", "VB003", 1, 1),
        ("---\n", "s.yaml", "VB003", 1, 1),
        ("- a\n", "s.yaml", "VB004", 1, 1),
        ("\n\n  hello\n", "s.yaml", "VB004", 3, 3),
        ("[1]", "s.json", "VB004", 1, 1),
        ('\n  "x"', "s.json", "VB004", 2, 3),
        ("a: 1\nb:\n  c: 1\n  c: 2\n", "s.yaml", "VB005", 4, 3),
        ('{"a": {"c": 1,\n  "c": 2}}', "s.json", "VB005", 2, 3),
        ("a = 1\na = 2\n", "s.toml", "VB005", 2, 1),
        ("[t]\n[t]\n", "s.toml", "VB005", 2, 1),
        ("a: !!binary aGk=\n", "s.yaml", "VB006", 1, 4),
        ("a: !custom x\n", "s.yaml", "VB006", 1, 4),
        ("a: !!set {x}\n", "s.yaml", "VB006", 1, 4),
        ("a: 1\n---\nb: 2\n", "s.yaml", "VB008", 2, 1),
    ],
)
def test_error_codes_and_positions(src, filename, code, line, column):
    d = err(src, filename)
    assert (d.code, d.line, d.column) == (code, line, column), d
    assert d.help


def test_require_mapping_off():
    assert load("- a\n- b\n", require_mapping=False).data == ["a", "b"]
    assert load("[1, 2]", "x.json", require_mapping=False).data == [1, 2]


def test_limits():
    d = err("a: 1\n", limits=Limits(max_bytes=3))
    assert d.code == "VB007"
    d = err(b"a: 1\n", limits=Limits(max_bytes=3))
    assert d.code == "VB007"
    deep = "a: " + "[" * 5 + "]" * 5 + "\n"
    assert err(deep, limits=Limits(max_depth=4)).code == "VB007"
    assert load(deep, limits=Limits(max_depth=6)).data == {"a": [[[[[]]]]]}
    assert err('{"a": [[[[]]]]}', "x.json", limits=Limits(max_depth=4)).code == "VB007"
    assert err("a = [[[[1]]]]\n", "x.toml", limits=Limits(max_depth=4)).code == "VB007"
    assert err("[a.b.c.d]\nx = 1\n", "x.toml", limits=Limits(max_depth=4)).code == "VB007"
    d = err("a: 1234567\n", limits=Limits(max_number_digits=5))
    assert (d.code, d.line, d.column) == ("VB007", 1, 4)
    assert load("a: '1234567'\n", limits=Limits(max_number_digits=5)).data == {"a": "1234567"}
    d = err('{"a": 1234567}', "x.json", limits=Limits(max_number_digits=5))
    assert (d.code, d.column) == ("VB007", 7)
    assert load('{"a": "1234567"}', "x.json", limits=Limits(max_number_digits=5)).data
    d = err("a = 123456789\n", "x.toml", limits=Limits(max_number_digits=5))
    assert (d.code, d.column) == ("VB007", 5)
    assert load('a = "123456789"\n', "x.toml", limits=Limits(max_number_digits=5)).data


def test_toml_values_kept():
    d = load("a = 1979-05-27T07:32:00Z\nb = 07:32:00\nc = 1979-05-27\n", "x.toml").data
    assert isinstance(d["a"], datetime.datetime)
    assert isinstance(d["b"], datetime.time)
    assert isinstance(d["c"], datetime.date)


# ----------------------------------------------------------------------------- locate

LOC_YAML = """\
vibespec: 1
messages:
  - id: first
    to:
      - to: bot-user-1
        message_id: m-1
      - {to: bot-user-2, message_id: m-2}
    text: |
      line one
      line two
  - to: bot-user-3
    text: "quoted
      across lines"
    image: {url: https://cdn.example.com/a.png, caption: Sale}
"""


def test_locate_yaml():
    d = load(LOC_YAML)
    assert d.locate(("messages", 0, "to", 0, "message_id")) == Span(6, 21, 6, 24)
    assert d.locate(("messages", 0, "to", 0, "message_id"), key=True) == Span(6, 9, 6, 19)
    assert d.locate(("messages", 0, "to", 1, "message_id")) == Span(7, 38, 7, 41)
    assert d.locate(("messages", 0, "to", 1)) == Span(7, 9, 7, 42)
    assert d.locate(("messages", 0, "text")) == Span(8, 11, 10, 15)
    assert d.locate(("messages", 1, "text")) == Span(12, 11, 13, 20)
    assert d.locate(("messages", 1, "image", "caption")) == Span(14, 58, 14, 62)
    assert d.locate(("messages", 1, "image", "url"), key=True) == Span(14, 13, 14, 16)
    # block collection: from its start to the end of its last child
    assert d.locate(("messages", 0, "to")) == Span(5, 7, 7, 42)
    assert d.locate(("messages", 0)) == Span(3, 5, 10, 15)
    # deepest existing prefix
    assert d.locate(("messages", 1, "nope", 3)) == d.locate(("messages", 1))
    assert d.locate(("messages", 9)) == d.locate(("messages",))
    assert d.locate(()).line == 1


@pytest.mark.slow
def test_locate_yaml_large_on_demand():
    lines = ["vibespec: 1", "messages:", "  - text: hi", "    to:"]
    lines += [f"      - {{to: u-{i}, message_id: m-{i}}}" for i in range(40000)]
    d = load("\n".join(lines) + "\n")
    assert len(d.text) > 1_000_000
    loc = d.locator
    spans = loc.locate_many([("messages", 0, "to", 39999, "message_id"),
                             ("messages", 0, "to", 5)])
    assert spans[0].line == 40004 and spans[1].line == 10
    assert d.locate(("messages", 0, "text"), key=True) == Span(3, 5, 3, 9)


LOC_TOML = """\
vibespec = 1

[defaults]
window = { days = "weekdays", from = "06:00" }
site.name = 'x'

[[messages]]
to = [
  "bot-user-1",  # first
  { to = "bot-user-2", message_id = "m-2" },
]
text = \"\"\"
multi
line\"\"\"

[[messages]]
"to" = "bot-user-3"
text = "hi"

[messages.failover.sms]
sender = "4179"
"""


def test_locate_toml():
    d = load(LOC_TOML, "x.toml")
    assert d.data["messages"][1]["failover"]["sms"]["sender"] == "4179"
    assert d.locate(("messages", 1, "text")) == Span(18, 8, 18, 12)
    assert d.locate(("messages", 1, "text"), key=True) == Span(18, 1, 18, 5)
    assert d.locate(("messages", 1, "to"), key=True) == Span(17, 1, 17, 5)
    assert d.locate(("messages", 0, "to", 1, "message_id")) == Span(10, 37, 10, 42)
    assert d.locate(("messages", 0, "to", 0)) == Span(9, 3, 9, 15)
    assert d.locate(("messages", 0, "text")) == Span(12, 8, 14, 8)
    assert d.locate(("messages", 1, "failover", "sms", "sender")) == Span(21, 10, 21, 16)
    assert d.locate(("defaults", "window", "from")) == Span(4, 38, 4, 45)
    assert d.locate(("defaults", "site", "name"), key=True) == Span(5, 6, 5, 10)
    assert d.locate(("messages", 1)).line == 16
    assert d.locate(("messages", 5, "x")) == d.locate(("messages",))


LOC_JSON = """\
{
  "vibespec": 1,
  "messages": [
    {"to": ["bot-user-1", {"to": "bot-user-2", "messageId": "m-2"}],
     "text": "a \\"quoted\\" text"},
    {"to": "bot-user-3"}
  ]
}
"""


def test_locate_json():
    d = load(LOC_JSON, "x.json")
    assert d.locate(("messages", 0, "to", 1, "messageId")) == Span(4, 61, 4, 66)
    assert d.locate(("messages", 0, "to", 1, "messageId"), key=True) == Span(4, 48, 4, 59)
    assert d.locate(("messages", 0, "text")) == Span(5, 14, 5, 33)
    assert d.locate(("messages", 1)) == Span(6, 5, 6, 25)
    assert d.locate(("messages",)) == Span(3, 15, 7, 4)
    assert d.locate(("messages",), key=True) == Span(3, 3, 3, 13)
    assert d.locate(("messages", 3)) == d.locate(("messages",))


@pytest.mark.slow
def test_locate_json_large_on_demand():
    body = '{"messages": [' + ",".join(
        '{"to": "u-%d", "messageId": "m-%d"}' % (i, i) for i in range(40000)) + "]}"
    d = load(body, "x.json")
    assert len(body) > 1_000_000
    (s,) = d.locator.locate_many([("messages", 39999, "messageId")])
    assert s.line == 1 and body[s.column - 1 : s.end_column - 1] == '"m-39999"'


def test_non_printable_class_is_yaml_printable_complement():
    """The cheap-to-compile class equals YAML's ``[^printable]`` over every code point."""
    import re

    from vibespec.source.yaml import _NON_PRINTABLE

    reference = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in _NON_PRINTABLE.finditer(every)] == [m.start() for m in reference.finditer(every)]


def _yaml_files():
    root = Path(__file__).resolve().parents[2]
    files = sorted(root.glob("examples/*.viber.yaml")) + sorted(root.glob("tests/**/*.viber.yaml"))
    files += sorted(root.glob("tests/**/*.yaml"))
    return sorted(set(files))


def test_bytes_and_text_parse_alike():
    """The C parser reads a file's bytes in place; from text it encodes them first. Same
    data, same diagnostics (positions included) either way."""
    from vibespec.diagnostics import VibespecError
    from vibespec.source import load

    files = _yaml_files()
    assert len(files) > 200
    for path in files:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        results = []
        for source in (data, text):
            try:
                results.append(("ok", load(source, str(path)).data))
            except VibespecError as e:
                results.append(("error", e.diagnostics))
        assert results[0] == results[1], path
