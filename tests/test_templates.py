"""Templates and audiences: rendering, defaults, escaping, grouping, missing values, CSV
encodings and quoting, inline and named audiences, and the rules on rendered messages."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.api import compile, compile_spec, lint
from vibespec.cli.app import cli
from vibespec.compiler.templates import TemplateError, parse, render
from vibespec.diagnostics import VibespecError

NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
SPEC = """vibespec: 1
defaults: {sender: AcmeBot}
templates:
  reminder:
    text: "Hi {{ name }}, see you on {{ day | default(\\"Monday\\") }}."
    validity: 2h
audience: people.csv
messages:
  - template: reminder
    to: audience
"""


def _write(tmp_path: Path, csv: str | bytes, spec: str = SPEC) -> Path:
    (tmp_path / "people.csv").write_bytes(csv.encode() if isinstance(csv, str) else csv)
    p = tmp_path / "t.viber.yaml"
    p.write_text(spec)
    return p


def test_render_default_and_escapes():
    parts = parse('Hi {{ name }}! {{ day | default("Monday") }} {{ "{{" }}x}} \\{{y')
    assert render(parts, {"name": "Ana"}) == ("Hi Ana! Monday {{x}} {{y", [])
    assert render(parts, {"name": "Ana", "day": "Friday"})[0].startswith("Hi Ana! Friday")
    assert render(parse("{{ name }}"), {})[1] == ["name"]
    assert parse("no braces") is None


@pytest.mark.parametrize("bad", ["{{ a.b }}", "{{ x() }}", "{{ a | upper }}", "{{ }}", "{{ __import__('os') }}"])
def test_placeholders_hold_no_logic(bad):
    with pytest.raises(TemplateError):
        parse(bad)


def test_rows_that_render_alike_share_a_message(tmp_path):
    p = _write(tmp_path, "to,message_id,name,day\nu1,m1,Ana,Friday\nu2,,Ben,\nu3,m3,Ana,Friday\n")
    body = compile(p, now=NOW)
    assert [m["destinations"] for m in body["messages"]] == [
        [{"to": "u1", "messageId": "m1"}, {"to": "u3", "messageId": "m3"}], [{"to": "u2"}]]
    assert body["messages"][0]["content"]["text"] == "Hi Ana, see you on Friday."
    assert body["messages"][1]["content"]["text"] == "Hi Ben, see you on Monday."
    assert body["messages"][1]["options"] == {"validityPeriod": {"amount": 2, "timeUnit": "HOURS"}}


def test_missing_value_points_at_the_row_and_names_the_template_line(tmp_path):
    p = _write(tmp_path, "to,name\nu1,Ana\nu2,\n")
    with pytest.raises(VibespecError) as e:
        compile(p, now=NOW)
    d = e.value.diagnostics[0]
    assert (d.code, d.file, d.line) == ("VB701", str(tmp_path / "people.csv"), 3)
    assert "t.viber.yaml:5" in d.message


def test_csv_quoting_bom_and_multiline(tmp_path):
    csv = '\ufeffto,name\r\nu1,"Doe, Jane"\r\nu2,"Line one\nline two"\r\nu3,"She said ""hi"""\r\n'
    body = compile(_write(tmp_path, csv), now=NOW)
    texts = [m["content"]["text"] for m in body["messages"]]
    assert texts == ["Hi Doe, Jane, see you on Monday.", "Hi Line one\nline two, see you on Monday.",
                     'Hi She said "hi", see you on Monday.']


def test_csv_row_lines_count_multiline_records(tmp_path):
    csv = 'to,name\nu1,"two\nlines"\nu2,\n'
    diags = lint(_write(tmp_path, csv), now=NOW)
    assert [(d.code, d.line) for d in diags if d.code == "VB701"] == [("VB701", 4)]


@pytest.mark.parametrize("data,line", [("to,name\nu1,Gr\u00fc\u00dfe\n".encode("latin-1"), 2),
                                       ("to,name\nu1,Ana\n".encode("utf-16"), 1)])
def test_csv_that_is_not_utf8_is_an_error_with_a_line(tmp_path, data, line):
    diags = lint(_write(tmp_path, data), now=NOW)
    assert [(d.code, d.line) for d in diags] == [("VB705", line)]


def test_csv_without_to_column(tmp_path):
    diags = lint(_write(tmp_path, "user,name\nu1,Ana\n"), now=NOW)
    assert [(d.code, d.line) for d in diags] == [("VB705", 1)]


def test_missing_csv_file_points_at_the_spec(tmp_path):
    p = tmp_path / "t.viber.yaml"
    p.write_text(SPEC)
    diags = lint(p, now=NOW)
    assert [(d.code, d.file, d.line) for d in diags] == [("VB705", str(p), 7)]


def test_unused_columns_and_duplicates(tmp_path):
    diags = lint(_write(tmp_path, "to,name,plan\nu1,Ana,gold\nu1,Ana,gold\n"), now=NOW)
    got = {(d.code, d.severity.value, d.line) for d in diags}
    assert ("VB702", "info", 1) in got
    assert ("VB703", "warning", 3) in got


def test_a_long_name_breaks_the_text_limit_at_the_template_line(tmp_path):
    p = _write(tmp_path, f"to,name\nu1,Ana\nu2,{'x' * 4000}\n")
    diags = [d for d in lint(p, now=NOW) if d.code == "VB201"]
    assert len(diags) == 1
    assert diags[0].file == str(p) and diags[0].line == 5
    assert "people.csv:3" in diags[0].help


def test_inline_and_named_audiences_and_vars(tmp_path):
    spec = """vibespec: 1
defaults: {sender: AcmeBot}
templates:
  hello: {text: "Hello {{ name }}"}
audiences:
  vip:
    - {to: v1, name: Vera}
    - {to: v2}
messages:
  - {template: hello, to: {audience: vip}}
  - {template: hello, to: u9, vars: {name: Ivo}}
"""
    p = tmp_path / "n.viber.yaml"
    p.write_text(spec)
    c = compile_spec(p, now=NOW)
    assert [(d.code, d.line) for d in c.diagnostics] == [("VB701", 8)]
    assert [m["content"]["text"] for m in c.body["messages"]] == ["Hello Vera", "Hello Ivo"]


def test_phone_column_feeds_sms_failover(tmp_path):
    spec = SPEC.replace("    validity: 2h\n", "    failover: {sms: {text: \"Hi {{ name }}\"}}\n")
    body = compile(_write(tmp_path, "to,phone,name\nu1,385911111111,Ana\nu2,,Ben\n", spec), now=NOW)
    assert body["messages"][0]["options"]["smsFailover"] == {
        "text": "Hi Ana", "destinationMatching": [{"initial": "u1", "failover": "385911111111"}]}
    assert "destinationMatching" not in body["messages"][1]["options"]["smsFailover"]


def test_unknown_template_and_missing_audience(tmp_path):
    p = tmp_path / "x.viber.yaml"
    p.write_text("vibespec: 1\ndefaults: {sender: B}\ntemplates: {hello: {text: hi}}\nmessages:\n"
                 "  - {template: helo, to: u1}\n  - {template: hello, to: audience}\n")
    codes = [(d.code, d.line) for d in lint(p, now=NOW)]
    assert ("VB704", 5) in codes and ("VB708", 6) in codes
    assert "did you mean 'hello'" in lint(p, now=NOW)[0].message


def test_message_fields_override_the_template(tmp_path):
    spec = SPEC.replace("  - template: reminder\n", "  - template: reminder\n    validity: 30m\n")
    body = compile(_write(tmp_path, "to,name\nu1,Ana\n", spec), now=NOW)
    assert body["messages"][0]["options"]["validityPeriod"] == {"amount": 30, "timeUnit": "MINUTES"}


def test_cli_audience_option_swaps_the_list(tmp_path):
    p = _write(tmp_path, "to,name\nu1,Ana\n")
    other = tmp_path / "other.csv"
    other.write_text("to,name\nz1,Zoe\n")
    r = CliRunner().invoke(cli, ["compile", str(p), "--audience", str(other), "--indent", "0"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["messages"][0]["destinations"] == [{"to": "z1"}]


def test_output_is_deterministic(tmp_path):
    p = _write(tmp_path, "to,name,day\n" + "".join(f"u{i},N{i % 7},D{i % 3}\n" for i in range(300)))
    a, b = compile(p, now=NOW), compile(p, now=NOW)
    assert json.dumps(a) == json.dumps(b)
    assert len(a["messages"]) == 21


def test_named_audiences_under_audience_and_string_reference(tmp_path):
    spec = """vibespec: 1
defaults: {sender: AcmeBot}
templates:
  hello: {text: "Hello {{ name }}"}
audience:
  vip: [{to: v1, name: Vera}]
  all: [{to: a1, name: Ana}]
messages:
  - {template: hello, to: "audience:vip"}
  - {template: hello, to: {audience: all}}
  - {template: hello, to: audience}
"""
    c = compile_spec(spec, now=NOW)
    assert [m["destinations"] for m in c.body["messages"]] == [[{"to": "v1"}], [{"to": "a1"}]]
    assert [(d.code, d.line) for d in c.diagnostics] == [("VB708", 11)]
    assert "all, vip" in c.diagnostics[0].help
    single = spec.replace("  all: [{to: a1, name: Ana}]\n", "").replace("  - {template: hello, to: {audience: all}}\n", "")
    assert [m["destinations"] for m in compile(single, now=NOW)["messages"]] == [[{"to": "v1"}], [{"to": "v1"}]]
