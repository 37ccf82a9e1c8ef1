"""Every bundled example compiles to the body committed beside it (byte for byte: the
committed ``.json`` is the example's snapshot), lints clean; DSL.md's own example compiles
and its first message is exactly the JSON printed there."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vibespec.api import compile, lint
from vibespec.compiler.emit import dumps

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.name.endswith((".viber.yaml", ".viber.yml", ".viber.toml")))
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
DSL = ROOT.parent / "shared" / "DSL.md"


def _json_name(spec: Path) -> Path:
    return spec.with_name(re.sub(r"\.viber\.(ya?ml|toml)$", ".json", spec.name))


def test_there_is_an_example_per_content_type():
    text = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES)
    for key in ("text", "image", "video", "file", "carousel", "location", "contact", "sticker", "url", "keyboard",
                "display", "validity", "window", "platform", "campaign_ref", "failover", "webhooks", "send_at",
                "speed_limit", "bulk_id", "timezone"):
        assert re.search(rf"^\s*(- )?{key}\s*[:=]", text, re.M) or f"[{key}" in text or f"{key} =" in text, key


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_committed_body(spec):
    body = compile(spec, now=NOW)
    committed = _json_name(spec)
    assert committed.exists(), f"compile {spec.name} and commit {committed.name}"
    text = committed.read_text(encoding="utf-8")
    assert dumps(body) == text, f"{committed.name} is stale: recompile it"
    assert body == json.loads(text)  # and plain dicts and lists, as the JSON reads back


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_example_lints_clean(spec):
    assert [d.format_short() for d in lint(spec, now=NOW)] == []


@pytest.mark.skipif(not DSL.exists(), reason="DSL.md absent")
def test_dsl_example_first_message_is_exact():
    text = DSL.read_text(encoding="utf-8")
    spec = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    expected = json.loads(re.findall(r"```json\n(.*?)```", text, re.S)[0])
    body = compile(spec, now=NOW)
    assert json.dumps(body["messages"][0]) == json.dumps(expected)  # same keys, same order
    assert len(body["messages"]) == 9
    assert body["options"]["schedule"] == {"bulkId": "spring-promo-2026", "sendAt": "2026-12-01T09:00:00.000+0100",
                                           "sendingSpeedLimit": {"amount": 30, "timeUnit": "HOUR"}}


def test_cli_compile_writes_the_committed_bodies(tmp_path):
    """The CLI compiles with compact destinations (bare ids stay strings until emitted); its
    files are byte for byte the library's bodies, at every indent."""
    from click.testing import CliRunner

    from vibespec.cli.app import cli

    specs = [str(p) for p in EXAMPLES]
    for indent in ("2", "0", "4"):
        out = tmp_path / indent
        r = CliRunner().invoke(cli, ["compile", *specs, "--out-dir", str(out), "--indent", indent,
                                     "--now", NOW.isoformat()])
        assert r.exit_code == 0, r.output
        for spec in EXAMPLES:
            body = compile(spec, now=NOW)
            assert (out / _json_name(spec).name).read_text(encoding="utf-8") == dumps(body, int(indent)), spec.name
