"""vibespec send / reports pull / logs against a real HTTP server on 127.0.0.1 that plays
Infobip (tests/send/infobip_server.py): it validates every body against the published
OpenAPI schema (undeclared keys forbidden), checks the auth header and answers with
Infobip's documented responses -- or 429, 500, 400 with violations, a stall, a dropped
connection when told to."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.cli import app

from .infobip_server import SCHEMA_AVAILABLE, FakeInfobip

KEY = "sk-SECRET-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
REPO = Path(__file__).resolve().parents[2]

SPEC = """\
vibespec: 1
bulk_id: autumn-promo
defaults: {sender: AcmeBot}
messages:
  - id: promo
    to: [u1, u2, u3, u4, u5]
    text: Autumn sale, 20% off today.
  - id: vip
    to: [{to: v1, message_id: vip-1}, {to: v2, message_id: vip-2}]
    text: Early access for you.
"""


def write_project(tmp_path: Path, spec: str = SPEC, **send) -> Path:
    table = {"chunk-size": 3, "concurrency": 2, "timeout": 1.0, "backoff": 0.01, "unknown-wait": 0.0,
             "unknown-checks": 2, "receipts": "receipts", "reports": "reports"} | send
    lines = ["[tool.vibespec]", "", "[tool.vibespec.send]"]
    for k, v in table.items():
        lines.append(f"{k} = {json.dumps(v)}")
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    p = tmp_path / "promo.viber.yaml"
    p.write_text(spec)
    return p


@pytest.fixture
def server():
    with FakeInfobip(KEY) as s:
        yield s


@pytest.fixture
def env(server):
    return {"INFOBIP_API_KEY": KEY, "INFOBIP_BASE_URL": server.url}


OUTPUTS: list[str] = []  # every CLI output of this module, searched for the key at the end


def run(args, env, cwd: Path, input=None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        r = CliRunner().invoke(app.cli, args, env=env, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
    OUTPUTS.append(r.output)
    return r


def receipt_chunks(tmp_path: Path) -> list[dict]:
    """Each request's record, with "messages" read back from its stored answer."""
    from vibespec.send.receipts import Receipt

    out = []
    for p in sorted((tmp_path / "receipts").glob("*/*/chunks/[0-9][0-9][0-9][0-9][0-9].json")):
        rec = json.loads(p.read_text())
        rec["messages"] = list(Receipt(str(p.parent.parent)).messages(rec))
        out.append(rec)
    return out


def assert_valid(server):
    if SCHEMA_AVAILABLE:
        assert server.invalid == [], server.invalid


# --------------------------------------------------------------------------- dry run / apply


@pytest.mark.server
def test_dry_run_shows_each_request_and_sends_nothing(tmp_path, server, env):
    spec = write_project(tmp_path)
    r = run(["send", str(spec)], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert "3 requests (at most 3 destinations each), 2 messages, 7 destinations" in r.output
    assert "autumn-promo-0001" in r.output and "autumn-promo-0003" in r.output
    assert "dry run: nothing was sent" in r.output
    assert server.posts == []
    # the hashes shown are the hashes of the bytes that --apply puts on the wire
    shown = [line.split()[-1] for line in r.output.splitlines() if "autumn-promo-000" in line]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 0, r.output
    chunks = receipt_chunks(tmp_path)
    assert [c["sha256"] for c in chunks] == shown
    assert_valid(server)


@pytest.mark.server
def test_apply_sends_every_destination_once_and_writes_a_receipt(tmp_path, server, env):
    spec = write_project(tmp_path)
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert sorted(server.destinations()) == ["u1", "u2", "u3", "u4", "u5", "v1", "v2"]
    assert [p["options"]["schedule"]["bulkId"] for p in server.posts] == \
        ["autumn-promo-0001", "autumn-promo-0002", "autumn-promo-0003"] or \
        sorted(p["options"]["schedule"]["bulkId"] for p in server.posts) == \
        ["autumn-promo-0001", "autumn-promo-0002", "autumn-promo-0003"]
    chunks = receipt_chunks(tmp_path)
    assert [c["state"] for c in chunks] == ["accepted"] * 3
    msgs = [m for c in chunks for m in c["messages"]]
    assert {m["to"] for m in msgs} == set(server.destinations())
    assert {m["messageId"] for m in msgs if m["to"] in ("v1", "v2")} == {"vip-1", "vip-2"}
    assert {m["message"] for m in msgs if m["to"] == "v1"} == {"vip"}
    manifest = json.loads(next((tmp_path / "receipts").glob("*/*/receipt.json")).read_text())
    assert manifest["state"] == "sent" and manifest["requests"] == 3
    # sending it again is refused; --force sends again
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 2 and "already sent" in r.output and len(server.posts) == 3
    r = run(["send", str(spec), "--apply", "--yes", "--force"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert len(server.posts) == 6
    # the same spec under another name is the same plan: refused too
    (tmp_path / "copy.viber.yaml").write_text(spec.read_text())
    r = run(["send", "copy.viber.yaml", "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 2 and "already sent" in r.output and len(server.posts) == 6
    assert_valid(server)


@pytest.mark.server
def test_receipts_are_found_when_the_project_moves(tmp_path, server, env):
    a = tmp_path / "a"
    a.mkdir()
    spec = write_project(a)
    assert run(["send", str(spec), "--apply", "--yes"], env, a).exit_code == 0
    b = tmp_path / "b"
    a.rename(b)
    r = run(["send", str(b / spec.name), "--apply", "--yes"], env, b)
    assert r.exit_code == 2 and "already sent" in r.output and len(server.posts) == 3


@pytest.mark.server
def test_confirmation_is_asked_on_a_terminal(tmp_path, server, env, monkeypatch):
    spec = write_project(tmp_path)
    import vibespec.cli.send_cmd as sc

    monkeypatch.setattr(sc, "_interactive", lambda: True)
    r = run(["send", str(spec), "--apply"], env, tmp_path, input="n\n")
    assert r.exit_code == 1 and server.posts == [] and "send 7 destinations in 3 requests" in r.output
    r = run(["send", str(spec), "--apply"], env, tmp_path, input="y\n")
    assert r.exit_code == 0 and len(server.destinations()) == 7


@pytest.mark.server
def test_saved_plan_is_sent_exactly_or_refused(tmp_path, server, env):
    spec = write_project(tmp_path)
    plan = tmp_path / "plan.json"
    r = run(["send", str(spec), "--save", str(plan)], env, tmp_path)
    assert r.exit_code == 0 and plan.exists() and server.posts == []
    saved = json.loads(plan.read_text())
    spec.write_text(SPEC.replace("20% off", "25% off"))
    r = run(["send", "--apply", "--yes", str(plan)], env, tmp_path)
    assert r.exit_code == 2 and "no longer compiles to the saved plan" in r.output and server.posts == []
    assert "the spec file changed" in r.output
    spec.write_text(SPEC)
    r = run(["send", "--apply", "--yes", str(plan)], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert [c["sha256"] for c in receipt_chunks(tmp_path)] == [c["sha256"] for c in saved["chunks"]]


@pytest.mark.server
def test_a_saved_plan_is_refused_when_the_audience_changed(tmp_path, server, env):
    (tmp_path / "people.csv").write_text("to,name\na1,Ann\na2,Bob\n")
    spec = write_project(tmp_path, "vibespec: 1\nbulk_id: aud\ndefaults: {sender: AcmeBot}\ntemplates:\n"
                         "  t:\n    text: \"Hi {{ name }}\"\naudience: people.csv\nmessages:\n"
                         "  - template: t\n    to: audience\n")
    assert run(["send", str(spec), "--save", "plan.json"], env, tmp_path).exit_code == 0
    (tmp_path / "people.csv").write_text("to,name\na1,Ann\na2,Rob\n")
    r = run(["send", "--apply", "--yes", "plan.json"], env, tmp_path)
    assert r.exit_code == 2 and "differs" in r.output and "the spec file changed" not in r.output
    assert "the audience" in r.output and "people.csv changed" in r.output
    assert server.posts == []


@pytest.mark.server
def test_lint_findings_refuse_the_send(tmp_path, server, env):
    spec = write_project(tmp_path, SPEC.replace("defaults: {sender: AcmeBot}",
                                                "defaults: {sender: AcmeBot, validity: 72h}"))
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 1 and "VB420" in r.output and "refusing to send" in r.output
    assert server.posts == []


# --------------------------------------------------------------------------- failures


@pytest.mark.server
@pytest.mark.slow
def test_429_and_503_are_retried_honouring_retry_after(tmp_path, server, env):
    spec = write_project(tmp_path, **{"chunk-size": 10, "concurrency": 1})
    server.script = [("429", 1), ("503", 0)]
    t0 = time.monotonic()
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert time.monotonic() - t0 >= 0.9  # Retry-After: 1
    assert len(server.posts) == 3 and Counter(server.destinations()) == Counter(
        ["u1", "u2", "u3", "u4", "u5", "v1", "v2"])
    (chunk,) = receipt_chunks(tmp_path)
    assert [x["status"] for x in chunk["attempts"][0]["retries"]] == [429, 503]


@pytest.mark.server
def test_a_500_before_acceptance_is_resent_after_the_logs_show_nothing(tmp_path, server, env):
    spec = write_project(tmp_path, **{"chunk-size": 10})
    server.script = [("500",)]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert len(server.posts) == 2 and sorted(Counter(server.destinations()).values()) == [1] * 7
    assert any(q.get("bulkId") == "autumn-promo" for q in server.log_requests)
    (chunk,) = receipt_chunks(tmp_path)
    assert [a["outcome"] for a in chunk["attempts"]] == ["unknown", "accepted"]


@pytest.mark.server
@pytest.mark.parametrize("action", [("drop",), ("stall", 2.0)], ids=["dropped-connection", "timeout"])
def test_unknown_outcome_is_resolved_through_the_logs_without_a_second_send(tmp_path, server, env, action):
    spec = write_project(tmp_path, **{"chunk-size": 10, "timeout": 0.5})
    server.script = [action]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert "confirmed through the logs, not sent again" in r.output
    assert len(server.posts) == 1
    assert Counter(server.destinations()) == Counter(["u1", "u2", "u3", "u4", "u5", "v1", "v2"])
    (chunk,) = receipt_chunks(tmp_path)
    assert chunk["state"] == "accepted" and chunk["confirmed_by"] == "logs"
    assert {m["to"] for m in chunk["messages"]} == set(server.destinations())


@pytest.mark.server
def test_a_400_is_final_and_shown_at_the_spec_line(tmp_path, server, env):
    spec = write_project(tmp_path, **{"chunk-size": 10})
    server.script = [("400", [("messages[1].content.text", "size must be between 1 and 4000")])]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 1
    assert len(server.posts) == 1  # not retried
    line = SPEC.splitlines().index("    text: Early access for you.") + 1
    assert f"{spec}:{line}:" in r.output or f"promo.viber.yaml:{line}:" in r.output, r.output
    assert "E400" in r.output and "size must be between 1 and 4000" in r.output
    (chunk,) = receipt_chunks(tmp_path)
    assert chunk["state"] == "rejected"


@pytest.mark.server
def test_a_400_in_a_later_chunk_maps_to_the_right_destination_row(tmp_path, server, env):
    spec = write_project(tmp_path, **{"chunk-size": 3, "concurrency": 1})
    # request 2 holds u4, u5 (message 0, destinations 3-4) and v1 (message 1, destination 0)
    server.script = [("ok",), ("400", [("messages[1].destinations[0].to", "invalid destination")])]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 1
    assert "/messages/1/destinations/0/to" in r.output or "invalid destination" in r.output
    assert len(server.posts) == 2  # the run stops starting new requests after a 400


@pytest.mark.server
def test_a_400_on_an_audience_destination_points_at_its_csv_row(tmp_path, server, env):
    (tmp_path / "people.csv").write_text("to,name\n" + "".join(f"a{i},N\n" for i in range(5)))
    spec = write_project(tmp_path, "vibespec: 1\nbulk_id: aud\ndefaults: {sender: AcmeBot}\ntemplates:\n"
                         "  t:\n    text: \"Hi {{ name }}\"\naudience: people.csv\nmessages:\n"
                         "  - template: t\n    to: audience\n", **{"chunk-size": 2, "concurrency": 1})
    # request 2 holds rows a2, a3: its destination 1 is a3, line 5 of the CSV
    server.script = [("ok",), ("400", [("messages[0].destinations[1].to", "invalid destination")])]
    r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 1
    assert "people.csv:5:" in r.output, r.output


@pytest.mark.server
def test_the_dry_run_shows_the_plans_expiry_warnings(tmp_path, server, env):
    spec = write_project(tmp_path, "vibespec: 1\nsend_at: 2026-11-27T18:00:00Z\ndefaults:\n  sender: DemoBot\n"
                         "  validity: 2h\n  window: {days: weekdays, from: \"09:00\", to: \"17:00\"}\n"
                         "messages:\n  - id: promo\n    to: [u1, u2]\n    text: Weekend offer\n")
    r = run(["send", str(spec), "--now", "2026-11-25T12:00:00Z"], env, tmp_path)
    assert r.exit_code == 0, r.output
    assert "warning[VB450]" in r.output and "sendAt: 2026-11-27T18:00:00.000+0000" in r.output
    r = run(["send", str(spec), "--now", "2026-11-25T12:00:00Z", "--format", "json"], env, tmp_path)
    data = json.loads(r.output[r.output.index("{"):])
    assert "VB450" in [w["code"] for w in data["warnings"]]
    r = run(["send", str(spec), "--now", "2026-11-25T12:00:00Z", "--fail-on", "warning"], env, tmp_path)
    assert r.exit_code == 1 and "refusing to send" in r.output
    assert server.posts == []


@pytest.mark.server
def test_connection_refused_is_retried_then_failed_and_a_rerun_sends_it(tmp_path, env):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    spec = write_project(tmp_path, **{"attempts": 3})
    r = run(["send", str(spec), "--apply", "--yes"], env | {"INFOBIP_BASE_URL": f"http://127.0.0.1:{port}"},
            tmp_path)
    assert r.exit_code == 1 and "cannot connect" in r.output
    (chunk,) = receipt_chunks(tmp_path)  # the first request went alone and failed: nothing else started
    assert chunk["state"] == "failed" and len(chunk["attempts"][0]["retries"]) == 2
    with FakeInfobip(KEY) as s:
        r = run(["send", str(spec), "--apply", "--yes"], env | {"INFOBIP_BASE_URL": s.url}, tmp_path)
        assert r.exit_code == 0, r.output
        assert Counter(s.destinations()) == Counter(["u1", "u2", "u3", "u4", "u5", "v1", "v2"])
        assert s.log_requests == []  # never sent: nothing to ask


def test_retry_after_as_an_http_date():
    from email.utils import formatdate

    from vibespec.send.client import _retry_after

    assert _retry_after("3") == 3.0
    assert 8 <= _retry_after(formatdate(time.time() + 10, usegmt=True)) <= 10.5
    assert _retry_after("soon") is None


@pytest.mark.server
def test_401_and_403_say_what_is_wrong_with_the_key(tmp_path, server, env):
    spec = write_project(tmp_path)
    r = run(["send", str(spec), "--apply", "--yes"], env | {"INFOBIP_API_KEY": KEY + "x"}, tmp_path)
    assert r.exit_code == 1 and "API key was not accepted" in r.output
    assert server.auth_failures == 1 and server.accepted == []
    server.script = [("403",)]
    r = run(["send", str(spec), "--apply", "--yes", "--force"], env, tmp_path)
    assert r.exit_code == 1 and "not allowed" in r.output


@pytest.mark.server
def test_base_url_must_be_https_unless_loopback_and_credentials_come_from_the_environment(tmp_path, server, env):
    spec = write_project(tmp_path)
    r = run(["send", str(spec), "--apply", "--yes"], env | {"INFOBIP_BASE_URL": "http://api.example.com"}, tmp_path)
    assert r.exit_code == 2 and "not https://" in r.output
    r = run(["send", str(spec), "--apply", "--yes"], {"INFOBIP_API_KEY": "", "INFOBIP_BASE_URL": server.url},
            tmp_path)
    assert r.exit_code == 2 and "INFOBIP_API_KEY" in r.output
    assert server.posts == []


@pytest.mark.server
def test_bearer_token(tmp_path, env):
    with FakeInfobip(KEY, token="tok-123") as s:
        spec = write_project(tmp_path)
        r = run(["send", str(spec), "--apply", "--yes"],
                {"INFOBIP_API_KEY": "", "INFOBIP_TOKEN": "tok-123", "INFOBIP_BASE_URL": s.url}, tmp_path)
        assert r.exit_code == 0, r.output
        assert len(s.destinations()) == 7


@pytest.mark.server
def test_a_second_send_of_the_same_spec_waits_for_no_lock(tmp_path, server, env):
    from vibespec.send import Store

    spec = write_project(tmp_path)
    with Store(str(tmp_path / "receipts")).lock(str(spec)):
        r = run(["send", str(spec), "--apply", "--yes"], env, tmp_path)
    assert r.exit_code == 2 and "another send of this spec is running" in r.output
    assert server.posts == []


@pytest.mark.server
def test_the_fake_server_rejects_what_infobip_rejects(server):
    if not SCHEMA_AVAILABLE:
        pytest.skip("../shared/reference/infobip-viber-openapi.json is absent: schema validation skipped")
    from vibespec.send import Client, Rejected

    c = Client(server.url, KEY)
    body = {"messages": [{"sender": "A", "destinations": [{"to": "u"}], "content": {"text": "x", "type": "TEXT",
                                                                                    "txt": "typo"}}]}
    with pytest.raises(Rejected) as e:
        c.send_messages(body)
    assert e.value.status == 400 and e.value.violations and server.accepted == []


# --------------------------------------------------------------------------- after a crash (library)


def _crashed_run(tmp_path, server, sent: bool, at: str | None = None):
    """A run that wrote its write-ahead record for request 1 and died (before or after the
    body reached the server)."""
    import vibespec.send as S
    from vibespec.send.receipts import now

    spec = write_project(tmp_path, **{"chunk-size": 10})
    plan = S.prepare(str(spec), chunk_size=10)
    store = S.Store(str(tmp_path / "receipts"))
    c = S.Client(server.url, KEY, timeout=2)
    if sent:
        c.send_messages(plan.chunk_bytes(plan.chunks[0]))
    receipt = store.receipt(plan.spec, plan.plan_id)
    ch = plan.chunks[0]
    receipt.write_chunk(1, {"index": 1, "bulkId": ch.bulk_id, "sha256": ch.sha256, "destinations": ch.destinations,
                            "state": "sending", "attempts": [{"at": at or now(), "outcome": "sending"}],
                            "messages": []})
    return S, plan, store, c


@pytest.mark.server
def test_a_rerun_after_a_crash_asks_the_logs_and_does_not_resend(tmp_path, server):
    S, plan, store, c = _crashed_run(tmp_path, server, sent=True)
    res = S.apply(plan, c, store, unknown_wait=0)
    assert res.ok and res.chunks[0].via == "logs"
    assert len(server.posts) == 1 and len(server.destinations()) == 7


@pytest.mark.server
def test_a_rerun_after_a_crash_before_the_body_left_sends_it(tmp_path, server):
    S, plan, store, c = _crashed_run(tmp_path, server, sent=False)
    res = S.apply(plan, c, store, unknown_wait=0, unknown_checks=2)
    assert res.ok and res.chunks[0].via == "send"
    assert len(server.posts) == 1 and len(server.destinations()) == 7
    assert len([q for q in server.log_requests if q.get("bulkId") == "autumn-promo"]) == 2


@pytest.mark.server
def test_an_unknown_older_than_the_logs_is_never_resent(tmp_path, server):
    S, plan, store, c = _crashed_run(tmp_path, server, sent=False, at="2020-01-01T00:00:00.000000Z")
    res = S.apply(plan, c, store, unknown_wait=0)
    assert not res.ok and res.chunks[0].state == "unknown" and "48 h of logs" in res.chunks[0].error and server.log_requests == []
    assert server.posts == []


@pytest.mark.server
def test_nothing_is_sent_when_the_receipt_cannot_be_written(tmp_path, server):
    import vibespec.send as S

    spec = write_project(tmp_path)
    plan = S.prepare(str(spec), chunk_size=3)
    store = S.Store(str(tmp_path / "receipts"))
    folder = Path(store.receipt(plan.spec, plan.plan_id).folder)
    folder.mkdir(parents=True)
    (folder / "chunks").write_text("not a folder")  # every record write fails, as on a full disk
    res = S.apply(plan, S.Client(server.url, KEY), store)
    assert not res.ok and res.chunks[0].state == "failed" and len(res.chunks) == 1
    assert server.posts == []


# --------------------------------------------------------------------------- kill -9


@pytest.mark.server
@pytest.mark.slow
def test_kill_9_halfway_then_rerun_sends_every_destination_exactly_once(tmp_path, env):
    people = [f"p{i:03d}" for i in range(40)]
    spec_text = "vibespec: 1\nbulk_id: k9\ndefaults: {sender: AcmeBot}\nmessages:\n  - to: [" + \
        ", ".join(people) + "]\n    text: hello\n"
    with FakeInfobip(KEY, delay=0.15) as s:
        spec = write_project(tmp_path, spec_text, **{"chunk-size": 2, "concurrency": 2})
        e = os.environ | env | {"INFOBIP_BASE_URL": s.url}
        cmd = [sys.executable, "-m", "vibespec", "send", str(spec), "--apply", "--yes"]
        p = subprocess.Popen(cmd, cwd=tmp_path, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while len(s.accepted) < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        assert p.returncode == -signal.SIGKILL, err.decode()
        before = len(s.posts)
        assert 0 < before < 20
        r = subprocess.run(cmd, cwd=tmp_path, env=e, capture_output=True, text=True, timeout=60)
        OUTPUTS.extend([r.stdout, r.stderr, out.decode(), err.decode()])
        assert r.returncode == 0, r.stderr + r.stdout
        assert Counter(s.destinations()) == Counter(people)  # every destination exactly once
        assert len(s.posts) == 20  # no request sent twice
        # the request in flight at the kill was confirmed through the logs, not resent
        assert any(c.get("confirmed_by") == "logs" for c in receipt_chunks(tmp_path))
        assert_valid(s)


@pytest.mark.server
@pytest.mark.slow
def test_ctrl_c_starts_nothing_more_and_a_rerun_finishes(tmp_path, env):
    people = [f"c{i:03d}" for i in range(40)]
    spec_text = "vibespec: 1\nbulk_id: cc\ndefaults: {sender: AcmeBot}\nmessages:\n  - to: [" + \
        ", ".join(people) + "]\n    text: hello\n"
    with FakeInfobip(KEY, delay=0.15) as s:
        spec = write_project(tmp_path, spec_text, **{"chunk-size": 2, "concurrency": 2})
        e = os.environ | env | {"INFOBIP_BASE_URL": s.url}
        cmd = [sys.executable, "-m", "vibespec", "send", str(spec), "--apply", "--yes"]
        p = subprocess.Popen(cmd, cwd=tmp_path, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while len(s.accepted) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
        assert p.returncode == 130, err.decode()
        time.sleep(0.3)
        stopped_at = len(s.posts)
        assert stopped_at < 14  # at most the requests in flight finished after Ctrl-C
        r = subprocess.run(cmd, cwd=tmp_path, env=e, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert Counter(s.destinations()) == Counter(people) and len(s.posts) == 20


# --------------------------------------------------------------------------- 100,000 rows


@pytest.mark.server
@pytest.mark.slow
def test_a_100000_row_audience_arrives_whole_in_chunks(tmp_path, env):
    rows = ["to,name"] + [f"user-{i:06d},N{i % 7}" for i in range(100_000)]
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n")
    spec_text = ("vibespec: 1\nbulk_id: big\ndefaults: {sender: AcmeBot}\ntemplates:\n  t:\n    text: \"Hi {{ name }}\"\n"
                 "audience: people.csv\nmessages:\n  - template: t\n    to: audience\n")
    with FakeInfobip(KEY) as s:
        spec = write_project(tmp_path, spec_text, **{"chunk-size": 10_000, "concurrency": 4, "timeout": 30.0})
        r = run(["send", str(spec), "--apply", "--yes"], env | {"INFOBIP_BASE_URL": s.url}, tmp_path)
        assert r.exit_code == 0, r.output
        assert len(s.posts) == 10
        assert all(sum(len(m["destinations"]) for m in p["messages"]) == 10_000 for p in s.posts)
        assert Counter(s.destinations()) == Counter(f"user-{i:06d}" for i in range(100_000))
        assert_valid(s)


# --------------------------------------------------------------------------- reports and logs


@pytest.mark.server
@pytest.mark.slow
def test_reports_are_pulled_across_pages_stored_once_and_joined_with_receipts(tmp_path, env):
    people = [f"r{i:04d}" for i in range(2500)]
    spec_text = "vibespec: 1\nbulk_id: rep\ndefaults: {sender: AcmeBot}\nmessages:\n  - id: hello\n    to: [" + \
        ", ".join(people) + "]\n    text: hello\n"
    with FakeInfobip(KEY) as s:
        spec = write_project(tmp_path, spec_text, **{"chunk-size": 1000})
        e = env | {"INFOBIP_BASE_URL": s.url}
        assert run(["send", str(spec), "--apply", "--yes"], e, tmp_path).exit_code == 0
        s.queue_reports(2000)
        s.queue_reports(500, group=(5, "REJECTED", 6, "REJECTED_NETWORK"))  # the first 500 again: rejected now
        r = run(["reports", "pull", "--format", "json"], e, tmp_path)
        assert r.exit_code == 0, r.output
        summary = json.loads(r.output)
        pages = sorted((tmp_path / "reports").glob("reports-*.json"))
        assert len(pages) == 3 and summary["pulled"]["reports"] == 2500
        stored = [x["messageId"] for p in pages for x in json.loads(p.read_text())["results"]]
        assert len(stored) == 2500 and s.reports == []
        assert [q["limit"] for q in s.report_requests] == ["1000"] * 3
        (entry,) = summary["specs"].values()
        assert entry["total"]["DELIVERED"] == 1500 and entry["total"]["REJECTED"] == 500
        assert entry["total"]["NO_REPORT"] == 500 and entry["messages"]["hello"]["DELIVERED"] == 1500
        # nothing new: nothing stored, the summary still counts every stored report
        r = run(["reports", "pull"], e, tmp_path)
        assert r.exit_code == 0 and "pulled 0 reports in 0 pages" in r.output and "1500" in r.output
        assert len(list((tmp_path / "reports").glob("reports-*.json"))) == 3
        # the old usage still validates a body
        r = run(["reports", str(pages[0])], e, tmp_path)
        assert r.exit_code == 0 and "1000 reports" in r.output


def test_reports_keeps_its_old_usage_beside_pull(tmp_path):
    fixture = str(REPO / "tests" / "wire" / "fixtures" / "reports_delivered.xml")
    for args in (["reports", fixture], ["reports", "--format", "json", fixture], ["reports", "-q", fixture],
                 ["reports", "check", fixture]):
        r = run(args, {}, tmp_path)
        assert r.exit_code == 0, (args, r.output)
    assert json.loads(run(["reports", "--format", "json", fixture], {}, tmp_path).output) is not None
    r = run(["reports", "--help"], {}, tmp_path)
    assert "pull" in r.output and "check" in r.output


@pytest.mark.server
def test_logs_follow_the_cursor(tmp_path, env):
    people = [f"l{i:04d}" for i in range(2500)]
    spec_text = "vibespec: 1\nbulk_id: lg\ndefaults: {sender: AcmeBot}\nmessages:\n  - to: [" + \
        ", ".join(people) + "]\n    text: hello\n"
    with FakeInfobip(KEY) as s:
        spec = write_project(tmp_path, spec_text, **{"chunk-size": 2500})
        e = env | {"INFOBIP_BASE_URL": s.url}
        assert run(["send", str(spec), "--apply", "--yes"], e, tmp_path).exit_code == 0
        r = run(["logs", "--bulk-id", "lg", "--format", "json"], e, tmp_path)
        assert r.exit_code == 0, r.output
        assert [x["destination"] for x in json.loads(r.output)["results"]] == people
        assert [q.get("cursor") for q in s.log_requests] == [None, "1000", "2000"]
        assert all(q["useCursor"] == "true" for q in s.log_requests)


def test_rate_limiter_keeps_120_a_minute():
    from vibespec.send.client import RateLimiter

    t = [0.0]
    slept = []
    lim = RateLimiter(120, 60.0, clock=lambda: t[0], sleep=lambda s: (slept.append(s), t.__setitem__(0, t[0] + s)))
    for _ in range(121):
        lim.wait()
        t[0] += 0.01
    assert len(slept) == 1 and slept[0] == pytest.approx(60 - 1.2, abs=0.05)


def test_backoff_is_exponential_with_jitter_and_retry_after_wins():
    import random

    from vibespec.send.client import RetryPolicy

    p = RetryPolicy(base=0.5, cap=30, rng=random.Random(1))
    for attempt in range(1, 8):
        assert 0 <= p.delay(attempt) <= min(30, 0.5 * 2 ** (attempt - 1))
    assert p.delay(3, retry_after=7.0) == 7.0


# --------------------------------------------------------------------------- imports, secrets


def test_lint_compile_and_check_do_not_import_the_http_stack():
    code = (
        "import sys\n"
        "from vibespec.cli import app\n"
        "for args in (['lint', '--no-cache', 'examples/text.viber.yaml'], ['compile', 'examples/text.viber.yaml'],"
        " ['check', 'examples/text.json']):\n"
        "    try:\n"
        "        app.cli.main(args=args, prog_name='vibespec', standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "bad = sorted(m for m in sys.modules if m in ('http.client', 'ssl', 'vibespec.send') or m.startswith('vibespec.send.'))\n"
        "print('LOADED', bad, file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "LOADED []" in r.stderr, r.stderr


@pytest.mark.server
def test_the_key_appears_in_no_output_receipt_or_file(tmp_path):
    """Runs last in this module: search everything the tests above printed, and every
    file a send writes, for the key."""
    assert not any(KEY in o for o in OUTPUTS)  # everything the tests above printed
    spec = write_project(tmp_path)
    with FakeInfobip(KEY) as s:
        e = {"INFOBIP_API_KEY": KEY, "INFOBIP_BASE_URL": s.url}
        s.script = [("500",), ("drop",), ("429", 0), ("400", [("messages[0].content.text", f"bad {KEY}")])]
        outs = [run(["send", str(spec), "--apply", "--yes"], e, tmp_path).output for _ in range(2)]
        outs.append(run(["send", str(spec), "--apply", "--yes"], e | {"INFOBIP_API_KEY": KEY[:-1]}, tmp_path).output)
        outs.append(run(["reports", "pull"], e, tmp_path).output)
        outs.append(run(["logs"], e, tmp_path).output)
    for o in outs:
        assert KEY not in o and KEY[:-1] not in o
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("receipts" in str(p) for p in files)
    for p in files:
        assert KEY.encode() not in p.read_bytes(), p
        assert KEY[:-1].encode() not in p.read_bytes(), p
    from vibespec.send import Client

    assert KEY not in repr(Client("https://x.api.infobip.com", KEY))
    # a key with a line break (pasted with one): http.client's own error would quote it
    with FakeInfobip(KEY) as s:
        for bad in (KEY + "\nX", "App " + KEY, KEY + "é"):
            r = run(["send", str(spec), "--apply", "--yes", "--force"],
                    {"INFOBIP_API_KEY": bad, "INFOBIP_BASE_URL": s.url}, tmp_path)
            assert r.exit_code == 2 and "INFOBIP_API_KEY holds" in r.output and KEY not in r.output, r.output
