"""SARIF output against the whole OASIS SARIF 2.1.0 schema (tests/fixtures/sarif-schema-2.1.0.json,
Draft 7, offline), on real lint results; helpUri, snippets and escaping."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from vibespec.api import lint
from vibespec.diagnostics import Diagnostic, Severity
from vibespec.output import write_report
from vibespec.rules import ALL_RULES
from vibespec.sources import RULES_DOC_URL

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SARIF_VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def _sarif(diagnostics, sources=None, rules=None) -> tuple[str, dict]:
    out = io.StringIO()
    write_report(diagnostics, out, "sarif", sources=sources, tool_version="1.2.3", rules=rules)
    text = out.getvalue()
    return text, json.loads(text)


def _valid(log: dict) -> None:
    errors = sorted(SARIF_VALIDATOR.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_the_schema_is_the_official_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert len(SCHEMA["definitions"]) == 52
    # a hand-copied subset would let these through; the full schema does not
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "A", "helpUri": 3}]}}}]}
    assert not SARIF_VALIDATOR.is_valid(bad)
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a"}, "region": {"startLine": 1, "snippet": {"txt": "x"}}}}]}]}]}
    assert not SARIF_VALIDATOR.is_valid(bad)


def _case_files() -> list[Path]:
    cases = ROOT / "tests" / "rules" / "cases"
    return sorted(p for p in cases.glob("*/*") if p.suffix in (".yaml", ".toml") and p.name.startswith("fail"))


def test_real_results_validate_with_every_rule_described():
    files = _case_files()
    assert len(files) > 100
    diags, sources = [], {}
    for f in files:
        sources[str(f)] = f.read_bytes().decode("utf-8", "replace")  # as the CLI reads them
        diags += lint(f, now=NOW)
    assert {d.file for d in diags} <= set(sources)
    text, log = _sarif(diags, sources)
    _valid(log)
    run = log["runs"][0]
    assert len(run["results"]) == len(diags) > 200
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules[: len(ALL_RULES)]] == [r.code for r in ALL_RULES]
    with_snippet = [r for r in run["results"]
                    if "snippet" in r.get("locations", [{}])[0].get("physicalLocation", {}).get("region", {})]
    assert len(with_snippet) > 200


def test_help_uri_names_the_rule_section_of_docs_rules_md():
    _, log = _sarif([])
    _valid(log)
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = {"#" + re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^### (VB\d{3} [a-z0-9-]+)$", docs, re.M)}
    for d in log["runs"][0]["tool"]["driver"]["rules"]:
        assert d["helpUri"].startswith(RULES_DOC_URL + "#")
        assert d["helpUri"][len(RULES_DOC_URL):] in headings, d["id"]
        assert "``" not in d["help"]["text"] and "``" not in d["shortDescription"]["text"]
        assert "](#" not in d["help"]["markdown"]  # links are absolute outside docs/rules.md


def test_snippet_is_the_region_text_and_the_context_its_lines():
    src = "a: 1\nwebhooks: {delivery: \"https://user:pw@h.example.com/dlr\"}\nz: 3\n"
    line = src.splitlines()[1]
    d = Diagnostic("VB280", Severity.ERROR, "m", "s.viber.yaml", 2, line.index('"') + 1, 2, line.rindex('"') + 2)
    _, log = _sarif([d], {"s.viber.yaml": src})
    _valid(log)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["region"]["snippet"]["text"] == "\"https://***@h.example.com/dlr\""
    assert loc["contextRegion"] == {"startLine": 2, "endLine": 2,
                                    "snippet": {"text": "webhooks: {delivery: \"https://***@h.example.com/dlr\"}"}}
    many = Diagnostic("VB305", Severity.INFO, "m", "s.viber.yaml", 1, 4, 3, 2)
    loc = _sarif([many], {"s.viber.yaml": src})[1]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["region"]["snippet"]["text"] == "1\nwebhooks: {delivery: \"https://***@h.example.com/dlr\"}\nz"
    # no text, or a line the text does not have: no snippet
    for sources in (None, {"s.viber.yaml": "a: 1"}, {"other.yaml": src}):
        loc = _sarif([d], sources)[1]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert "snippet" not in loc["region"] and "contextRegion" not in loc
    long = Diagnostic("VB201", Severity.ERROR, "m", "l.yaml", 1, 1, 1, 5001)
    loc = _sarif([long], {"l.yaml": "x" * 5000})[1]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert len(loc["region"]["snippet"]["text"]) == 400 and loc["region"]["snippet"]["text"].endswith("\u2026")


HOSTILE = "quote \" backslash \\ tab \t nul \x00 esc \x1b[31m del \x7f c1 \x85 ls \u2028 ps \u2029 </script> lone \ud800 end"


def test_escaping_of_hostile_text_and_file_names():
    bad_name = os.fsdecode(b"dir/na me#1%\xff.viber.yaml")
    diags = [
        Diagnostic("VB201", Severity.ERROR, HOSTILE, bad_name, 1, 1, 1, 4, help=HOSTILE, pointer="/a~1b/\ud800"),
        Diagnostic("VB999", Severity.WARNING, HOSTILE),
    ]
    text, log = _sarif(diags, {bad_name: "abc \ud800\x00\n"})
    text.encode("utf-8")  # no lone surrogate reaches the stream
    assert "\x00" not in text and "\x1b" not in text  # control characters are JSON escapes
    _valid(log)
    res = log["runs"][0]["results"]
    assert res[0]["message"]["text"] == HOSTILE.replace("\ud800", "\ufffd")
    assert res[0]["properties"]["help"] == HOSTILE.replace("\ud800", "\ufffd")
    uri = res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir/na%20me%231%25%FF.viber.yaml"
    assert res[0]["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "abc"
    assert res[0]["partialFingerprints"]["vibespec/v1"] != res[1]["partialFingerprints"]["vibespec/v1"]


@pytest.mark.parametrize("args", [["lint", "{f}"], ["check", "{j}"]])
def test_cli_sarif_validates_and_survives_a_non_utf8_file_name(tmp_path, args):
    from click.testing import CliRunner

    from vibespec.cli.app import cli

    name = os.fsdecode(b"promo\xff")
    spec = tmp_path / (name + ".viber.yaml")
    spec.write_text("vibespec: 1\nmessages:\n  - sender: D\n    to: u\n    url: \"http://u:p@127.0.0.1/x\"\n",
                    encoding="utf-8")
    body = tmp_path / (name + ".json")
    body.write_text(json.dumps({"messages": [{"sender": "D", "destinations": [{"to": "u"}], "content": {
        "type": "URL", "url": "http://u:p@127.0.0.1/x"}}]}), encoding="utf-8")
    argv = [a.format(f=str(spec), j=str(body)) for a in args] + ["--format", "sarif", "--no-cache"]
    if args[0] == "check":
        argv.remove("--no-cache")
    r = CliRunner().invoke(cli, argv)
    assert r.exit_code == 1, r.output
    log = json.loads(r.output)
    _valid(log)
    codes = {x["ruleId"] for x in log["runs"][0]["results"]}
    assert {"VB280", "VB282", "VB283"} <= codes
    assert ":p@" not in r.output
