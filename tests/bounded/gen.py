"""Generators for big hostile inputs (built at test time, never stored)."""

from __future__ import annotations

import json


def check_body(n_msgs: int, n_bad: int) -> str:
    """A raw request body of ``n_msgs`` TEXT messages; the last ``n_bad`` carry an unknown
    content field (one VB150 each)."""
    msgs = []
    for i in range(n_msgs):
        m = {"sender": "DemoBot", "destinations": [{"to": f"bot-user-{i}", "messageId": f"id-{i}"}],
             "content": {"text": "Hello there, this is a message.", "type": "TEXT"}}
        if i >= n_msgs - n_bad:
            m["content"]["bogus"] = 1
        msgs.append(m)
    return json.dumps({"messages": msgs}, indent=1)


def reports_json(n_results: int, n_bad: int) -> str:
    """A delivery-report body; the last ``n_bad`` reports carry an unknown field."""
    res = []
    for i in range(n_results):
        r = {"messageId": f"m{i}", "to": "385911111111", "sentAt": "2026-11-25T12:00:00.000+0000",
             "doneAt": "2026-11-25T12:00:01.000+0000",
             "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET"}}
        if i >= n_results - n_bad:
            r["bogus"] = 1
        res.append(r)
    return json.dumps({"results": res}, indent=1)


def yaml_big(n_items: int) -> str:
    """A YAML mapping with ``n_items`` entries of ~40 characters each."""
    return "items:\n" + "".join(f"  - {{name: item-{i:07d}, value: {i}}}\n" for i in range(n_items))


def empty_reports_json(n: int) -> str:
    return '{"results":[' + ",".join(["{}"] * n) + "]}"


def xml_reports(n: int, element: str = "<r/>") -> str:
    return "<DeliveryReports><results>" + element * n + "</results></DeliveryReports>"
