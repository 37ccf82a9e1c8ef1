"""``vibespec compile`` says on stderr when the spec has lint errors (count, the first one, and
``vibespec lint`` for the rest); ``--strict`` makes them fail the compile and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from vibespec.cli.app import cli

SPEC = """\
vibespec: 1
defaults:
  sender: DemoBot
  validity: 72h
messages:
  - to: bot-user-1
    text: Hello
"""

TWO = SPEC.replace("    text: Hello\n", "    text: Hello\n    campaign_ref: " + "x" * 300 + "\n")

CLEAN = SPEC.replace("72h", "48h")


def run(*args: str):
    r = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in r.output
    return r


def test_lint_error_is_reported_and_the_body_still_written(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "v.json"
    r = run("compile", str(spec), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["messages"][0]["options"]["validityPeriod"] == {"amount": 72, "timeUnit": "HOURS"}
    assert f"{spec}: 1 lint error; compiled anyway" in r.stderr
    assert f"{spec}:4:13: VB420 [error]" in r.stderr
    assert f"run 'vibespec lint {spec}'" in r.stderr
    assert r.stdout == ""


def test_count_and_first_finding_with_several(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(TWO)
    r = run("compile", str(spec))
    assert r.exit_code == 0
    assert json.loads(r.stdout)["messages"][0]["destinations"] == [{"to": "bot-user-1"}]
    assert "2 lint errors" in r.stderr and "for all of them" in r.stderr
    assert r.stderr.count("[error]") == 1  # only the first


def test_strict_fails_and_writes_nothing(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "v.json"
    r = run("compile", "--strict", str(spec), "-o", str(out))
    assert r.exit_code == 1
    assert not out.exists()
    assert "VB420" in r.stderr and "nothing written" in r.stderr


def test_clean_spec_says_nothing(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(CLEAN)
    r = run("compile", "--strict", str(spec))
    assert r.exit_code == 0 and r.stderr == ""


def test_configuration_and_suppressions_apply(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(SPEC.replace("validity: 72h", "validity: 72h  # vibespec: ignore[VB420]"))
    r = run("compile", "--strict", str(spec))
    assert r.exit_code == 0 and "VB420" not in r.stderr
    spec.write_text(SPEC)
    (tmp_path / "pyproject.toml").write_text('[tool.vibespec]\nignore = ["VB420"]\n')
    r = run("compile", "--strict", str(spec))
    assert r.exit_code == 0 and "VB420" not in r.stderr


def test_bare_ids_are_linted_like_lint_does(tmp_path: Path):
    """compile lowers bare ids compactly; the addressing rules still see them."""
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(CLEAN.replace("  - to: bot-user-1\n", "  - to: [bot-user-1, '', bot-user-2]\n"))
    r = run("compile", str(spec), "-o", str(tmp_path / "v.json"))
    assert r.exit_code == 0
    assert "VB601" in r.stderr


def test_check_does_not_lint(tmp_path: Path):
    spec = tmp_path / "v.viber.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "v.json"
    assert run("compile", str(spec), "-o", str(out)).exit_code == 0
    r = run("compile", "--check", str(spec), "-o", str(out))
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""
