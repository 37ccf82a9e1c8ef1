"""Configuration ([tool.vibespec] / vibespec.toml, command line on top) and inline suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.api import lint
from vibespec.cli.app import cli
from vibespec.config import ConfigError, from_mapping, load_config

SPEC = """vibespec: 1
defaults: {sender: DemoBot}
messages:
  - to: bot-user-1
    image: {url: "http://cdn.example.com/a.png", caption: Hi}
    validity: 72h
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.viber.yaml").write_text(SPEC)
    return tmp_path


def _codes(runner, *args):
    r = runner.invoke(cli, ["lint", "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return sorted({d["code"] for d in json.loads(r.output)}), r.exit_code


def test_defaults_report_everything(project):
    codes, code = _codes(CliRunner(), "specs")
    assert codes == ["VB262", "VB420"] and code == 1


def test_pyproject_ignore_and_severity(project):
    (project / "pyproject.toml").write_text('[tool.vibespec]\nignore = ["VB262"]\nseverity = {VB420 = "warning"}\n')
    r = CliRunner().invoke(cli, ["lint", "--format", "json", "specs"])
    diags = json.loads(r.output)
    assert [(d["code"], d["severity"]) for d in diags] == [("VB420", "warning")]
    assert r.exit_code == 0  # fail-on error, nothing left at error


def test_vibespec_toml_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.vibespec]\nignore = ["VB420"]\n')
    (project / "vibespec.toml").write_text('ignore = ["VB262"]\n')
    assert _codes(CliRunner(), "specs")[0] == ["VB420"]


def test_command_line_wins_over_files(project):
    (project / "vibespec.toml").write_text('select = ["VB2"]\nfail-on = "warning"\n')
    assert _codes(CliRunner(), "specs")[0] == ["VB262"]
    assert _codes(CliRunner(), "specs", "--select", "VB4")[0] == ["VB420"]
    assert _codes(CliRunner(), "specs", "--fail-on", "error", "--select", "VB2")[1] == 0


def test_per_file_ignores(project):
    (project / "vibespec.toml").write_text('[per-file-ignores]\n"specs/*.viber.yaml" = ["VB4"]\n')
    assert _codes(CliRunner(), "specs")[0] == ["VB262"]


def test_rule_names_work_as_codes():
    cfg = from_mapping({"ignore": ["validity-exceeds-48h"]})
    assert not cfg.enabled("VB420") and cfg.enabled("VB201")


@pytest.mark.parametrize("text", ['select = "nope"', 'ignore = ["XX999"]', 'severity = {VB201 = "fatal"}', "wat = 1",
                                  "limits = {max_bytes = -1}", "[broken"])
def test_bad_configuration_exits_2_with_the_file(project, text):
    (project / "vibespec.toml").write_text(text + "\n")
    r = CliRunner().invoke(cli, ["lint", "specs"])
    assert r.exit_code == 2
    assert "vibespec.toml" in r.output and "Traceback" not in r.output


def test_load_config_finds_the_nearest_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")  # no [tool.vibespec]: skipped
    (tmp_path / "sub").mkdir()
    assert load_config(search_from=tmp_path / "sub").path is None
    (tmp_path / "vibespec.toml").write_text('ignore = ["VB605"]\n')
    assert load_config(search_from=tmp_path / "sub").ignore == ("VB605",)
    with pytest.raises(ConfigError):
        from_mapping({"select": 3})


# --------------------------------------------------------------------------- suppressions


def test_inline_suppression_on_the_line_and_the_line_before():
    spec = SPEC.replace("    validity: 72h\n", "    validity: 72h  # vibespec: ignore[VB420]\n")
    assert [d.code for d in lint(spec)] == ["VB262"]
    spec = SPEC.replace("    image:", "    # vibespec: ignore[VB262]\n    image:")
    assert [d.code for d in lint(spec)] == ["VB420"]


def test_file_wide_and_blanket_suppressions():
    assert [d.code for d in lint("# vibespec: ignore-file[VB262, VB420]\n" + SPEC)] == []
    assert [d.code for d in lint("# vibespec: ignore-file\n" + SPEC)] == []


def test_toml_suppression():
    toml = ('vibespec = 1\n[defaults]\nsender = "B"\n[[messages]]\nto = "u1"\ntext = "hi"\n'
            'validity = "72h"  # vibespec: ignore[VB420]\n')
    assert [d.code for d in lint(toml, filename="x.viber.toml")] == []


def test_unused_and_unknown_suppressions_are_reported():
    spec = SPEC.replace("    validity: 72h\n", "    validity: 72h  # vibespec: ignore[VB420, VB201, VB9X9]\n")
    got = sorted((d.code, d.line) for d in lint(spec))
    assert got == [("VB262", 5), ("VB901", 6), ("VB902", 6)]


def test_stdin_with_filename(project):
    r = CliRunner().invoke(cli, ["lint", "-", "--stdin-filename", "from-stdin.viber.yaml", "--format", "concise"],
                           input=SPEC)
    assert r.exit_code == 1 and r.output.startswith("from-stdin.viber.yaml:5:")


def test_missing_path_exits_2(project):
    r = CliRunner().invoke(cli, ["lint", "nope.viber.yaml"])
    assert r.exit_code == 2 and "no such file" in r.output


def test_cache_returns_the_same_results(project):
    first = CliRunner().invoke(cli, ["lint", "--format", "json", "specs"]).output
    assert any((project / ".cache").rglob("*.json"))
    assert CliRunner().invoke(cli, ["lint", "--format", "json", "specs"]).output == first


def test_output_order_does_not_depend_on_jobs(project):
    for i in range(70):
        (project / "specs" / f"s{i:02d}.viber.yaml").write_text(SPEC if i % 3 else SPEC.replace("72h", "2h"))
    outs = {j: CliRunner().invoke(cli, ["lint", "--no-cache", "-j", j, "--format", "concise", "specs"]).output
            for j in ("1", "2")}
    assert outs["1"] == outs["2"] and outs["1"].count("VB420") == 47
