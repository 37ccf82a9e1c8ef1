"""vibespec.reports: delivery reports in JSON and XML."""

from __future__ import annotations

import pytest
from conftest import codes, needs_json_positions

from vibespec import reports
from vibespec.diagnostics import Severity, VibespecError
from vibespec.wire.report_models import STATUS_GROUP_NAMES, DeliveryReportBatch


def _by_id(batch):
    return {r.message_id: r for r in batch}


def test_status_groups_constants():
    assert reports.STATUS_GROUPS == {1: "PENDING", 2: "UNDELIVERABLE", 3: "DELIVERED", 4: "EXPIRED", 5: "REJECTED"}
    assert "ACCEPTED" in STATUS_GROUP_NAMES
    assert reports.ERROR_GROUPS[0] == "OK"


def test_every_status_group(fixture_bytes):
    body = fixture_bytes("reports_status_groups.json")
    assert reports.validate(body) == []
    batch = reports.parse(body)
    assert isinstance(batch, DeliveryReportBatch)
    assert batch.by_status_group() == {"PENDING": 1, "UNDELIVERABLE": 1, "DELIVERED": 2, "EXPIRED": 1, "REJECTED": 1, "ACCEPTED": 1}
    assert batch.by_error_group() == {"OK": 4, "HANDSET_ERRORS": 1, "USER_ERRORS": 1}
    r = _by_id(batch)
    table = {  # id: (is_final, delivered, failed)
        "m-pending": (False, False, False),
        "m-undeliverable": (True, False, True),
        "m-operator": (False, False, False),  # DELIVERED_TO_OPERATOR is intermediate
        "m-handset": (True, True, False),
        "m-expired": (True, False, True),
        "m-rejected": (True, False, True),
        "m-accepted": (False, False, False),
    }
    for mid, want in table.items():
        assert (r[mid].is_final, r[mid].delivered, r[mid].failed) == want, mid
    assert r["m-pending"].pending and not r["m-handset"].pending
    h = r["m-handset"]
    assert (h.callback_data, h.campaign_reference_id, h.mcc_mnc) == ("order-42", "summersale", "22801")
    assert h.platform.entity_id == "promotional-traffic-entity"
    assert r["m-pending"].price.price_per_message == pytest.approx(0.01)
    assert r["m-pending"].sent_at_dt.year == 2026 and r["m-pending"].done_at_dt.second == 1
    assert r["m-rejected"].error.permanent is True and r["m-rejected"].error.is_error
    assert not r["m-handset"].error.is_error
    assert [x.message_id for x in batch.delivered()] == ["m-handset"]
    assert len(batch.failed()) == 3


def test_summarize(fixture_bytes):
    s = reports.summarize(reports.parse(fixture_bytes("reports_status_groups.json")))
    assert (s["reports"], s["final"], s["delivered"], s["failed"], s["pending"]) == (7, 4, 1, 3, 3)
    assert s["statuses"]["DELIVERED_TO_HANDSET"] == 1
    assert s["errors"]["NO_ERROR"] == 4
    line = reports.format_summary(s, "dlr.json")
    assert line.startswith("dlr.json: 7 reports — PENDING 1, UNDELIVERABLE 1, DELIVERED 2")
    assert "(1 delivered, 3 failed, 3 pending); errors: OK 4, HANDSET_ERRORS 1, USER_ERRORS 1" in line


def test_group_id_fallback_when_no_name():
    batch = reports.parse({"results": [{"status": {"groupId": 3, "id": 5}}]})
    assert batch.results[0].status_group == "DELIVERED" and batch.results[0].delivered


# ----------------------------------------------------------------------------- XML


def test_xml_report(fixture_bytes):
    body = fixture_bytes("reports_delivered.xml")
    assert reports.validate(body, "r.xml") == []
    batch = reports.parse(body)
    a, b = batch.results
    assert a.status.group_id == 3 and a.status.id == 5 and a.delivered
    assert a.price.price_per_message == pytest.approx(0.15) and a.price.currency == "EUR"
    assert a.error.permanent is False and a.error.group_name == "OK"
    assert a.message_count == 1 and a.platform.application_id == "marketing-automation-application"
    assert a.sent_at_dt.microsecond == 457000
    assert b.failed and b.status.name == "REJECTED_NOT_ENOUGH_CREDITS"
    # str input and parse_xml give the same
    assert reports.parse_xml(body.decode()).model_dump() == batch.model_dump()


def test_xml_legacy_root(fixture_bytes):
    batch = reports.parse(fixture_bytes("reports_legacy_root.xml"))
    assert batch.results[0].status_group == "PENDING" and not batch.results[0].is_final


@pytest.mark.parametrize("name", ["reports_xxe.xml", "reports_billion_laughs.xml"])
def test_xml_dtd_refused(fixture_bytes, name):
    diags = reports.validate(fixture_bytes(name), name)
    assert codes(diags) == ["VB814"] and diags[0].line == 2 and diags[0].severity == Severity.ERROR
    with pytest.raises(VibespecError) as ei:
        reports.parse(fixture_bytes(name))
    assert ei.value.diagnostics[0].code == "VB814"


@pytest.mark.parametrize(
    "text",
    [
        '<!ENTITY x "y"><DeliveryReports/>',
        '<?xml version="1.0"?>\n<!doctype r><r/>',
        "<! DOCTYPE r><r/>",
        '<r><results><result><messageId>&ext;</messageId></result></results></r>',
    ],
)
def test_xml_entities_never_expanded(text):
    diags = reports.validate(text)
    assert diags and diags[0].code in ("VB814", "VB813") and diags[0].severity == Severity.ERROR


def test_xml_malformed(fixture_bytes):
    diags = reports.validate(fixture_bytes("reports_malformed.xml"), "m.xml")
    assert codes(diags) == ["VB813"] and diags[0].line == 7 and diags[0].file == "m.xml"


def test_xml_without_results():
    diags = reports.validate("<DeliveryReports><result/></DeliveryReports>")
    assert codes(diags) == ["VB813"]


def test_xml_bad_values_with_lines(fixture_bytes):
    diags = reports.validate(fixture_bytes("reports_bad_values.xml"), "b.xml")
    got = {(d.code, d.pointer, d.line) for d in diags}
    assert got == {
        ("VB806", "/results/0/sentAt", 5),
        ("VB807", "/results/0/doneAt", 6),
        ("VB808", "/results/0/status/groupId", 8),
        ("VB802", "/results/0/status/id", 10),
        ("VB802", "/results/0/error/permanent", 15),
    }
    d = next(d for d in diags if d.code == "VB808")
    assert d.column == 9 and d.severity == Severity.WARNING


def test_xml_repeated_element_is_wrong_type():
    diags = reports.validate("<r><results><result><to>a</to><to>b</to></result></results></r>")
    assert ("VB802", "/results/0/to") in {(d.code, d.pointer) for d in diags}


def test_xml_bytes_latin1_declared():
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><r><results><result><to>Zürich</to></result></results></r>'
    batch = reports.parse(text.encode("latin-1"))
    assert batch.results[0].to == "Zürich"


def test_xml_not_utf8_undeclared():
    diags = reports.validate(b"<r><results><result><to>\xff</to></result></results></r>")
    assert codes(diags) == ["VB002"]


# ----------------------------------------------------------------------------- JSON checks


@pytest.mark.parametrize(
    "status,code",
    [
        ({"groupId": 3, "groupName": "PENDING"}, "VB808"),
        ({"groupId": 9, "groupName": "PENDING"}, "VB809"),
        ({"groupId": 9}, "VB809"),
        ({"groupName": "LOST"}, "VB809"),
        ({"groupId": 0, "groupName": "ACCEPTED"}, None),
        ({"groupId": 5, "groupName": "REJECTED"}, None),
        ({"groupId": "5"}, "VB802"),
    ],
)
def test_status_group_checks(status, code):
    diags = reports.validate({"results": [{"status": status}]})
    assert codes(diags) == ([code] if code else [])


@pytest.mark.parametrize(
    "error,code",
    [
        ({"groupId": 0, "groupName": "OK"}, None),
        ({"groupId": 2, "groupName": "USER_ERRORS"}, None),
        ({"groupId": 0, "groupName": "USER_ERRORS"}, "VB808"),
        ({"groupId": 0, "groupName": "FATAL"}, "VB809"),
        ({"permanent": "false"}, "VB802"),
    ],
)
def test_error_group_checks(error, code):
    diags = reports.validate({"results": [{"error": error}]})
    assert codes(diags) == ([code] if code else [])


def test_report_dates():
    diags = reports.validate({"results": [{"sentAt": "2026-11-25T12:00:00+00:00", "doneAt": "later"}]})
    assert {(d.code, d.pointer) for d in diags} == {("VB807", "/results/0/sentAt"), ("VB806", "/results/0/doneAt")}


def test_empty_and_malformed_json():
    assert codes(reports.validate('{"results": []}')) == ["VB811"]
    assert codes(reports.validate("{")) == ["VB001"]
    assert codes(reports.validate('{"results": {}}')) == ["VB802"]
    assert codes(reports.validate('{"results": [1]}')) == ["VB802"]
    with pytest.raises(VibespecError):
        reports.parse('{"results": [1]}')


def test_inbound_body_hint(fixture_bytes):
    diags = reports.validate(fixture_bytes("inbound_audio.json"))
    assert diags and all(d.code == "VB812" for d in diags)
    assert any("vibespec inbound" in (d.help or "") for d in diags)


@needs_json_positions
def test_json_lines():
    text = '{\n  "results": [\n    {\n      "status": {"groupId": 3, "groupName": "PENDING"},\n      "doneAt": "later"\n    }\n  ]\n}\n'
    where = {d.code: (d.line, d.column) for d in reports.validate(text, "r.json")}
    assert where["VB808"][0] == 4 and where["VB806"] == (5, 17)
