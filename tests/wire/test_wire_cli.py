"""The ``inbound`` and ``reports`` click commands (through a small test group)."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from vibespec.cli.wire_cmds import inbound_cmd, reports_cmd


@pytest.fixture
def run():
    group = click.Group("vibespec")
    group.add_command(inbound_cmd, "inbound")
    group.add_command(reports_cmd, "reports")

    def invoke(*args, input=None):
        result = CliRunner().invoke(group, list(args), input=input)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert "Traceback" not in result.output
        return result

    return invoke


def f(name: str) -> str:
    return str(FIXTURES / name)


def test_inbound_clean(run):
    r = run("inbound", f("inbound_all_events.json"))
    assert r.exit_code == 0, r.output
    assert "inbound_all_events.json: 11 results — MESSAGE 7 (TEXT 1, IMAGE 1," in r.output


def test_inbound_info_only_exits_zero(run):
    r = run("inbound", "--format", "concise", f("inbound_audio.json"))
    assert r.exit_code == 0
    assert "VB805" in r.output and "1 result — MESSAGE 1 (AUDIO 1)" in r.output


def test_inbound_errors_exit_one(run):
    r = run("inbound", "--format", "concise", f("inbound_malformed.json"))
    assert r.exit_code == 1
    assert "VB801" in r.output and "VB802" in r.output
    assert "results —" not in r.output  # no summary: the body could not be typed


def test_warning_only_exits_zero(run):
    r = run("inbound", f("inbound_unknown_message_type.json"))
    assert r.exit_code == 0 and "VB804" in r.output


def test_unknown_event_exits_one_but_summarises(run):
    r = run("inbound", "--format", "concise", f("inbound_unknown_event.json"))
    assert r.exit_code == 1 and "VB803" in r.output and "SEEN 1" in r.output


def test_not_json(run):
    r = run("inbound", f("inbound_not_json.json"))
    assert r.exit_code == 1 and "VB001" in r.output


def test_missing_file_exits_two(run, tmp_path):
    r = run("inbound", f("inbound_audio.json"), str(tmp_path / "nope.json"))
    assert r.exit_code == 2
    assert "cannot read" in r.output


def test_directory_exits_two(run, tmp_path):
    r = run("reports", str(tmp_path))
    assert r.exit_code == 2


def test_stdin(run):
    body = (FIXTURES / "inbound_url.json").read_bytes()
    r = run("inbound", "--format", "concise", "-", input=body)
    assert r.exit_code == 0 and "<stdin>: 1 result — MESSAGE 1 (URL 1)" in r.output


def test_json_format_has_no_summary(run):
    r = run("inbound", "--format", "json", f("inbound_audio.json"))
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [d["code"] for d in data] == ["VB805"]


def test_sarif_format(run):
    r = run("reports", "--format", "sarif", f("reports_bad_values.xml"))
    assert r.exit_code == 1
    sarif = json.loads(r.stdout)
    assert {res["ruleId"] for res in sarif["runs"][0]["results"]} >= {"VB802", "VB806"}


def test_github_format(run):
    r = run("reports", "--format", "github", f("reports_xxe.xml"))
    assert r.exit_code == 1 and "VB814" in r.output and "reports" not in r.output.split("::")[0]


def test_quiet(run):
    r = run("inbound", "--quiet", f("inbound_all_events.json"))
    assert r.exit_code == 0 and "11 results" not in r.output


def test_reports_clean_and_summary(run):
    r = run("reports", f("reports_status_groups.json"), f("reports_delivered.xml"))
    assert r.exit_code == 0, r.output
    assert "reports_status_groups.json: 7 reports — PENDING 1" in r.output
    assert "reports_delivered.xml: 2 reports — DELIVERED 1, REJECTED 1" in r.output


def test_reports_hostile_xml(run):
    r = run("reports", f("reports_billion_laughs.xml"))
    assert r.exit_code == 1 and "VB814" in r.output
    assert "lollol" not in r.output  # nothing was expanded


def test_binary_garbage(run, tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"\x00\xff\xfe garbage")
    for cmd in ("inbound", "reports"):
        r = run(cmd, str(p))
        assert r.exit_code == 1


def test_bad_format_option(run):
    r = run("inbound", "--format", "xml", f("inbound_audio.json"))
    assert r.exit_code == 2


def test_mixed_unreadable_and_errors_exit_two(run, tmp_path):
    r = run("inbound", f("inbound_malformed.json"), str(tmp_path / "missing"))
    assert r.exit_code == 2
