"""The inbound-webhook and delivery-report examples in examples/inbound and examples/reports
parse clean through the CLI and the library, are realistic (Infobip's shapes, status codes
and date format; the campaign example's IDs), and the docs show what the commands print and
name every field of the parsed objects (issue 14)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec import inbound, reports
from vibespec.api import compile
from vibespec.cli.app import cli
from vibespec.wire import inbound_models as PI
from vibespec.wire import report_models as PR

ROOT = Path(__file__).resolve().parents[2]
INBOUND = sorted((ROOT / "examples" / "inbound").glob("*.json"))
REPORTS = sorted((ROOT / "examples" / "reports").glob("*.json")) + sorted((ROOT / "examples" / "reports").glob("*.xml"))
WIRE_REF = ROOT.parent / "shared" / "reference" / "viber-bots-wire-format.md"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$")


def _run(*args):
    r = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in r.output
    return r


def test_there_are_examples():
    assert INBOUND and {p.suffix for p in REPORTS} == {".json", ".xml"}


@pytest.mark.parametrize("path", INBOUND, ids=lambda p: p.name)
def test_inbound_example_is_clean(path):
    assert inbound.validate(path.read_bytes(), str(path)) == []  # not even an info
    batch = inbound.parse(path.read_bytes(), str(path))
    assert batch.message_count == len(batch.results) and batch.pending_message_count == 0
    assert all(r.received_at_dt is not None and DATE.match(r.received_at) for r in batch)
    r = _run("inbound", "--format", "json", str(path))
    assert r.exit_code == 0 and json.loads(r.output) == []


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_report_example_is_clean(path):
    assert reports.validate(path.read_bytes(), str(path)) == []
    batch = reports.parse(path.read_bytes(), str(path))
    assert batch.results and not batch.unknown()
    for rep in batch:
        assert DATE.match(rep.sent_at) and DATE.match(rep.done_at) and rep.done_at_dt >= rep.sent_at_dt
    r = _run("reports", "--format", "json", str(path))
    assert r.exit_code == 0 and json.loads(r.output) == []


def test_json_and_xml_reports_are_the_same_reports():
    (j,) = [p for p in REPORTS if p.suffix == ".json"]
    (x,) = [p for p in REPORTS if p.suffix == ".xml"]
    assert reports.parse(j.read_bytes()).model_dump() == reports.parse(x.read_bytes()).model_dump()


def test_every_event_and_a_final_report_of_each_kind():
    batch = inbound.parse(INBOUND[0].read_bytes())
    assert {r.event for r in batch} == set(PI.EVENT_TYPES)
    dlr = reports.parse(REPORTS[0].read_bytes())
    assert dlr.delivered() and dlr.failed() and all(r.is_final for r in dlr)


@pytest.mark.skipif(not WIRE_REF.exists(), reason="wire-format reference absent")
def test_status_codes_are_infobips():
    """Each (group id, group name, status id, status name) is in the reference's table (6.1)."""
    text = WIRE_REF.read_text(encoding="utf-8")
    known = set()
    for gid, gname, codes in re.findall(r"^\| (\d) \| (\w+) \| (.*) \|$", text, re.M):
        for sid, sname in re.findall(r"(\d+) (\w+)", codes):
            known.add((int(gid), gname, int(sid), sname))
    assert known
    for path in REPORTS:
        for rep in reports.parse(path.read_bytes()):
            s = rep.status
            assert (s.group_id, s.group_name, s.id, s.name) in known, (path.name, s)
            assert PR.ERROR_GROUPS[rep.error.group_id] == rep.error.group_name


def test_reports_match_the_campaign_example():
    body = compile(ROOT / "examples" / "campaign.viber.yaml")
    sched = body["options"]["schedule"]
    ids = {d.get("messageId") for m in body["messages"] for d in m["destinations"]} - {None}
    users = {d["to"] for m in body["messages"] for d in m["destinations"]}
    senders = {m["sender"] for m in body["messages"]}
    callbacks = {m["webhooks"]["callbackData"] for m in body["messages"]}
    refs = {m["options"]["campaignReferenceId"] for m in body["messages"]}
    for path in REPORTS:
        for rep in reports.parse(path.read_bytes()):
            assert rep.bulk_id == sched["bulkId"] and rep.to in users and rep.sender in senders
            assert rep.callback_data in callbacks and rep.campaign_reference_id in refs
            assert rep.message_id in ids or re.fullmatch(r"[0-9a-f-]{36}", rep.message_id)
    batch = inbound.parse(INBOUND[0].read_bytes())
    assert {r.to for r in batch} <= senders


def _console_blocks(doc: Path) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$ vibespec inbound|reports`` in ``doc``."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
        cmd, lines = None, []
        for ln in block.splitlines():
            if ln.startswith("$ "):
                if cmd:
                    out.append((cmd, lines))
                cmd, lines = ln[2:], []
            else:
                lines.append(ln)
        if cmd:
            out.append((cmd, lines))
    return [(c, lines) for c, lines in out if c.startswith(("vibespec inbound", "vibespec reports"))]


@pytest.mark.parametrize("doc", ["README.md", "docs/webhooks.md"])
def test_documented_output_is_real(doc, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    blocks = _console_blocks(ROOT / doc)
    assert blocks
    for cmd, expected in blocks:
        args = cmd.split()[1:]
        r = _run(*args)
        assert r.exit_code == 0 and r.output.splitlines() == expected, (cmd, r.output)


def test_module_entry_point_reads_the_examples():
    """The documented commands, as a user runs them (a real process)."""
    p = subprocess.run([sys.executable, "-m", "vibespec", "reports", *map(str, REPORTS)], capture_output=True,
                       text=True, cwd=ROOT)
    assert p.returncode == 0 and "All checks passed: 2 files" in p.stdout


def _fields(model) -> set[str]:
    return set(model.model_fields)


def test_docs_name_every_field_of_the_parsed_objects():
    doc = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    models = [PI.InboundBatch, PI.InboundResult, PI.MessageEvent, PI.DeliveredEvent, PI.SubscribedEvent,
              PI.UnsubscribedEvent, PI.ConversationStartedEvent, PI.ViberBotUser, PI.ViberBotContact, PI.Location,
              PI.MessagePrice, *(PI.MESSAGE_CLASSES[t] for t in PI.MESSAGE_CLASSES),
              PR.DeliveryReportBatch, PR.DeliveryReport, PR.MessageStatus, PR.MessageError, PR.Platform]
    for m in models:
        if m not in (PI.ViberBotContact, PI.Location):  # described inline, under their field
            assert f"`{m.__name__}`" in doc, m.__name__
        for f in _fields(m):
            assert f"`{f}`" in doc, (m.__name__, f)
    for prop in ("is_final", "delivered", "failed", "pending", "unknown_status", "status_group", "user_id",
                 "content_type", "received_at_dt", "timestamp_dt"):
        assert f"`{prop}`" in doc, prop
