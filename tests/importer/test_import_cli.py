"""``vibespec import``: stdout or -o, YAML or --toml, stdin, exit codes, no tracebacks."""

from __future__ import annotations

import json
import tomllib

from click.testing import CliRunner

from vibespec.api import compile
from vibespec.cli.app import cli
from vibespec.compiler.emit import dumps
from vibespec.source import load

from importer_cases import HAND_WRITTEN

BODY = dumps(HAND_WRITTEN["lifted-defaults"])


def _run(args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def test_yaml_to_stdout(tmp_path):
    p = tmp_path / "body.json"
    p.write_text(BODY, encoding="utf-8")
    r = _run(["import", str(p)])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# yaml-language-server: $schema=")
    assert dumps(compile(r.stdout, filename="x.viber.yaml")) == BODY


def test_toml_to_file(tmp_path):
    p = tmp_path / "body.json"
    p.write_text(BODY, encoding="utf-8")
    out = tmp_path / "out" / "spec.viber.toml"
    r = _run(["import", str(p), "--toml", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)["defaults"]["sender"] == "DemoBot"
    assert not [f for f in out.parent.iterdir() if f.name.startswith(".vibespec-")]


def test_stdin():
    r = _run(["import", "-"], input=BODY)
    assert r.exit_code == 0
    assert load(r.stdout, "x.viber.yaml").data["defaults"]["validity"] == "30m"


def test_not_importable_exit_1():
    body = json.loads(BODY)
    body["messages"][0]["options"]["validityPeriod"] = {"amount": 30}
    r = _run(["import", "-"], input=dumps(body))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "error[VB115]" in r.stderr and "timeUnit" in r.stderr and "<stdin>.json:" in r.stderr
    assert "Traceback" not in r.stderr


def test_structural_error_exit_1():
    r = _run(["import", "-"], input='{"messages": [{"sender": "a", "destinations": [{"to": "b"}], '
                                     '"content": {"type": "AUDIO"}}]}')
    assert r.exit_code == 1
    assert "VB153" in r.stderr


def test_bad_json_exit_1():
    r = _run(["import", "-"], input='{"messages": [')
    assert r.exit_code == 1
    assert "VB001" in r.stderr


def test_missing_file_exit_2(tmp_path):
    r = _run(["import", str(tmp_path / "nope.json")])
    assert r.exit_code == 2
    assert "cannot read" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_output_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = _run(["import", "-", "-o", str(blocker / "sub" / "spec.yaml")], input=BODY)
    assert r.exit_code == 2
    assert "cannot write" in r.stderr


def test_failed_import_writes_nothing(tmp_path):
    out = tmp_path / "spec.viber.yaml"
    r = _run(["import", "-", "-o", str(out)], input='{"messages": [], "options": {}}')
    assert r.exit_code == 1
    assert not out.exists()


def test_help():
    r = _run(["import", "--help"])
    assert r.exit_code == 0 and "--toml" in r.stdout
