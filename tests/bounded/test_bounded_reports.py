"""Delivery-report bodies cost time and memory in proportion to what they hold, within
bounds: XML is streamed (a report's elements are dropped once it is data), elements,
reports and JSON objects are counted and refused (VB007) over their limits, and no entity
is ever resolved."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc

import pytest

from vibespec import reports

from gen import empty_reports_json, xml_reports

REPORT = ("<result><messageId>m{i}</messageId><to>385911111111</to><status><groupId>3</groupId>"
          "<groupName>DELIVERED</groupName><id>5</id><name>DELIVERED_TO_HANDSET</name></status></result>")


def _codes(diags):
    return [d.code for d in diags]


def test_xml_reports_over_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(reports, "MAX_REPORTS", 50, raising=False)
    diags = reports.validate(xml_reports(51), "r.xml")
    assert _codes(diags) == ["VB007"]
    assert "more than 50 reports" in diags[0].message
    assert reports.validate(xml_reports(50, REPORT.format(i=1)), "r.xml") == []


def test_xml_elements_over_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(reports, "MAX_XML_ELEMENTS", 100, raising=False)
    body = "<DeliveryReports><results><result>" + "<a/>" * 200 + "</result></results></DeliveryReports>"
    diags = reports.validate(body, "r.xml")
    assert _codes(diags) == ["VB007"] and "more than 100 elements" in diags[0].message
    body = "<DeliveryReports>" + "<a>x</a>" * 200 + "<results/></DeliveryReports>"
    assert _codes(reports.validate(body, "r.xml")) == ["VB007"]


@pytest.mark.slow
def test_xml_is_streamed_memory_follows_the_data():
    """What parsing needs beyond the data it returns: the element tree of every report was
    kept until the end (about 2 KB a report here); now a report's tree is dropped once it
    is data (what remains is the growth of the lists and dicts holding the data)."""
    import gc

    n = 2000
    body = "<DeliveryReports><results>" + "".join(REPORT.format(i=i) for i in range(n)) + "</results></DeliveryReports>"
    gc.collect()
    tracemalloc.start()
    doc = reports._load_xml(body, "r.xml")
    gc.collect()
    cur, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(doc.data["results"]) == n
    assert (top - cur) / n < 600, f"{(top - cur) / n:.0f} bytes a report"


def test_xml_same_data_and_spans_as_before():
    body = ("<DeliveryReports>\n <note>hi</note>\n <results>\n  " + REPORT.format(i=1) + "\n  "
            + REPORT.format(i=2).replace("<to>385911111111</to>", "<to>1</to><to>2</to>")
            + "\n </results>\n <note>again</note>\n</DeliveryReports>")
    doc = reports._load_xml(body, "r.xml")
    assert list(doc.data) == ["note", "results"]
    assert doc.data["note"] == "hi"
    assert doc.data["results"][0]["status"] == {"groupId": 3, "groupName": "DELIVERED", "id": 5,
                                                "name": "DELIVERED_TO_HANDSET"}
    assert doc.data["results"][1]["to"] == ["1", "2"]
    assert doc.locate(("results", 1, "to", 1)).line == 5
    assert doc.locate(("results",)).line == 3 and doc.locate(("note",)).line == 2
    root_results = reports._load_xml("<results>" + REPORT.format(i=1) + "</results>", "r.xml")
    assert root_results.data["results"][0]["messageId"] == "m1"


def test_json_with_millions_of_objects_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(reports, "MAX_JSON_OBJECTS", 100, raising=False)

    def no_parse(*a, **k):
        raise AssertionError("parsed")

    monkeypatch.setattr(reports, "_load_json", no_parse)
    diags = reports.validate(empty_reports_json(101), "r.json")
    assert _codes(diags) == ["VB007"] and "more than 100 JSON objects" in diags[0].message


def test_json_results_over_the_limit_are_refused_before_typing(monkeypatch):
    monkeypatch.setattr(reports, "MAX_REPORTS", 100, raising=False)
    diags = reports.validate('{"results": [' + ",".join(["1"] * 101) + "]}", "r.json")
    assert _codes(diags) == ["VB007"]  # not 101 wrong-type findings
    assert diags[0].pointer == "/results" and diags[0].line == 1
    assert _codes(reports.validate('{"results": [' + ",".join(["{}"] * 100) + "]}", "r.json")) == []


@pytest.mark.parametrize("body", [
    # billion laughs
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    "<DeliveryReports><results><result><messageId>&lol2;</messageId></result></results></DeliveryReports>",
    # external entity
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<DeliveryReports><results><result><messageId>&x;</messageId></result></results></DeliveryReports>",
    # external DTD
    '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><DeliveryReports/>',
])
def test_entities_are_never_resolved(body):
    diags = reports.validate(body, "r.xml")
    assert _codes(diags) == ["VB814"]
    with pytest.raises(Exception):
        reports.parse(body.encode(), "r.xml")


def test_undeclared_entity_is_a_syntax_error_not_a_lookup():
    body = "<DeliveryReports><results><result><messageId>&x;</messageId></result></results></DeliveryReports>"
    assert _codes(reports.validate(body, "r.xml")) == ["VB813"]


def _limit():  # pragma: no cover - in the child
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


@pytest.mark.slow
@pytest.mark.parametrize("name,text", [
    ("r6.xml", lambda: xml_reports(1_500_000)),          # 6 MB of <r/>: 38 s and 3 GB before
    ("e6.json", lambda: empty_reports_json(2_000_000)),  # 6 MB of {}: 1.9 GB, 12 s of CPU and more
    ("x60.xml", lambda: "<DeliveryReports><results><result>" + "<a/>" * 15_000_000
     + "</result></results></DeliveryReports>"),         # 60 MB of elements: MemoryError before
])
def test_hostile_report_bodies_are_refused_fast(tmp_path, name, text):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    f = tmp_path / name
    f.write_text(text())
    p = subprocess.run([sys.executable, "-m", "vibespec", "reports", str(f)], capture_output=True,
                       timeout=120, preexec_fn=_limit, env={**os.environ, "NO_COLOR": "1"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = p.stdout.decode() + p.stderr.decode()
    assert p.returncode == 1, out
    assert "VB007" in out and "Traceback" not in out
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert cpu < 5, f"{cpu:.1f} s of CPU"
    assert after.ru_maxrss < 1_000_000, f"{after.ru_maxrss} KB peak"
