"""``reports``: a misspelt status group (``DELIVERD``) is flagged with a did-you-mean and is
not counted as pending (issue 14)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from vibespec import reports
from vibespec.cli.app import cli


def _body(group_name: str, group_id: int = 3) -> str:
    return json.dumps({"results": [
        {"bulkId": "b", "messageId": "m1", "to": "385911234567", "sentAt": "2026-11-25T10:00:00.000+0000",
         "doneAt": "2026-11-25T10:00:05.000+0000", "messageCount": 1,
         "status": {"groupId": group_id, "groupName": group_name, "id": 5, "name": "DELIVERED_TO_HANDSET"},
         "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "permanent": False}},
        {"bulkId": "b", "messageId": "m2", "to": "385911234568", "sentAt": "2026-11-25T10:00:00.000+0000",
         "doneAt": "2026-11-25T10:00:05.000+0000", "messageCount": 1,
         "status": {"groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE"}},
    ]})


def test_misspelt_group_has_did_you_mean():
    diags = reports.validate(_body("DELIVERD"), "dlr.json")
    (d,) = [d for d in diags if d.code == "VB809"]
    assert 'did you mean "DELIVERED"' in d.help


def test_misspelt_group_is_not_pending():
    batch = reports.parse(_body("DELIVERD"), "dlr.json")
    assert [r.message_id for r in batch.pending()] == ["m2"]
    assert [r.message_id for r in batch.unknown()] == ["m1"]
    s = reports.summarize(batch)
    assert s["pending"] == 1 and s["unknown"] == 1
    line = reports.format_summary(s, "dlr.json")
    assert "1 pending, 1 with an unknown status group" in line


def test_known_group_summary_unchanged():
    s = reports.summarize(reports.parse(_body("DELIVERED"), "dlr.json"))
    assert s["unknown"] == 0 and s["delivered"] == 1 and s["pending"] == 1
    assert "unknown" not in reports.format_summary(s, "dlr.json")


def test_cli_flags_it(tmp_path):
    p = tmp_path / "dlr.json"
    p.write_text(_body("DELIVERD"))
    r = CliRunner().invoke(cli, ["reports", str(p)])
    assert "VB809" in r.output and 'did you mean "DELIVERED"' in r.output
    assert "1 pending, 1 with an unknown status group" in r.output
