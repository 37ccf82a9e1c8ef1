"""``vibespec init [DIR]``: a starter project that compiles and lints clean; never clobbers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from vibespec.cli.artifact_cmds import SCHEMA_FILE
from vibespec.cli.app import cli
from vibespec.config import load_config


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def yaml_load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def hook_ids(path: Path) -> list[str]:
    return [h["id"] for r in yaml_load(path)["repos"] for h in r.get("hooks", ())]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.mark.parametrize("toml", [False, True])
def test_init_in_an_empty_folder(tmp_path: Path, toml: bool):
    target = tmp_path / "new" / "project"  # created as needed
    r = run("init", str(target), *(["--toml"] if toml else []))
    assert r.exit_code == 0, r.output
    spec_name = "messages.viber.toml" if toml else "messages.viber.yaml"
    assert sorted(files(target)) == sorted([spec_name, SCHEMA_FILE, "vibespec.toml", ".pre-commit-config.yaml"])
    for name in files(target):
        assert f"created {target / name}" in r.stdout

    spec = target / spec_name
    first = spec.read_text(encoding="utf-8").splitlines()[0]
    assert first == (f"#:schema {SCHEMA_FILE}" if toml else f"# yaml-language-server: $schema={SCHEMA_FILE}")

    # compiles, with defaults and two messages
    c = run("compile", str(spec))
    assert c.exit_code == 0, c.output
    body = json.loads(c.stdout)
    assert len(body["messages"]) == 2
    assert {m["sender"] for m in body["messages"]} == {"DemoBot"}

    # lints clean: no diagnostic of any severity, with the written configuration
    lint = run("lint", "--format", "json", "--fail-on", "info", "--no-cache", str(spec))
    assert lint.exit_code == 0, lint.output
    assert json.loads(lint.stdout) == []

    cfg = load_config(search_from=target)
    assert cfg.path == str(target / "vibespec.toml")
    assert hook_ids(target / ".pre-commit-config.yaml") == ["vibespec", "vibespec-compile-check"]


def test_yaml_and_toml_starters_compile_to_the_same_body(tmp_path: Path):
    assert run("init", str(tmp_path / "y")).exit_code == 0
    assert run("init", "--toml", str(tmp_path / "t")).exit_code == 0
    y = run("compile", str(tmp_path / "y" / "messages.viber.yaml")).stdout
    t = run("compile", str(tmp_path / "t" / "messages.viber.toml")).stdout
    assert y == t


def test_starter_project_passes_its_own_hooks(tmp_path: Path, monkeypatch):
    assert run("init", str(tmp_path)).exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert run("compile", "--out-dir", "compiled", "messages.viber.yaml").exit_code == 0
    assert run("compile", "--check", "--out-dir", "compiled", "messages.viber.yaml").exit_code == 0
    assert run("lint", "messages.viber.yaml").exit_code == 0


def test_existing_files_are_not_overwritten(tmp_path: Path):
    (tmp_path / "messages.viber.yaml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "vibespec.toml").write_text("# mine too\n", encoding="utf-8")
    before = files(tmp_path)
    r = run("init", str(tmp_path))
    assert r.exit_code == 1
    assert str(tmp_path / "messages.viber.yaml") in r.stderr
    assert str(tmp_path / "vibespec.toml") in r.stderr
    assert "--force" in r.stderr
    assert files(tmp_path) == before  # nothing written at all, not even the hooks file


def test_force_overwrites(tmp_path: Path):
    (tmp_path / "messages.viber.yaml").write_text("# mine\n", encoding="utf-8")
    r = run("init", "--force", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert f"overwrote {tmp_path / 'messages.viber.yaml'}" in r.stdout
    assert "vibespec: 1" in (tmp_path / "messages.viber.yaml").read_text(encoding="utf-8")


def test_other_spec_format_does_not_conflict(tmp_path: Path):
    (tmp_path / "messages.viber.yaml").write_text("# mine\n", encoding="utf-8")
    r = run("init", "--toml", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "messages.viber.yaml").read_text(encoding="utf-8") == "# mine\n"


def test_existing_pyproject_gets_a_tool_vibespec_section(tmp_path: Path):
    original = '[project]\nname = "demo"\nversion = "1.0"\n\n[tool.black]\nline-length = 100\n'
    (tmp_path / "pyproject.toml").write_text(original, encoding="utf-8")
    r = run("init", str(tmp_path))
    assert r.exit_code == 0, r.output
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith(original)  # appended; nothing rewritten
    data = tomllib.loads(text)
    assert data["project"]["name"] == "demo" and data["tool"]["black"] == {"line-length": 100}
    assert "vibespec" in data["tool"]
    assert not (tmp_path / "vibespec.toml").exists()
    assert load_config(search_from=tmp_path).path == str(tmp_path / "pyproject.toml")
    assert f"added [tool.vibespec] to {tmp_path / 'pyproject.toml'}" in r.stdout


def test_pyproject_without_final_newline(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"', encoding="utf-8")
    assert run("init", str(tmp_path)).exit_code == 0
    data = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"] == {"name": "demo"} and "vibespec" in data["tool"]


def test_pyproject_with_tool_vibespec_is_left_alone(tmp_path: Path):
    original = '[project]\nname = "demo"\n\n[tool.vibespec]\nignore = ["VB262"]\n'
    (tmp_path / "pyproject.toml").write_text(original, encoding="utf-8")
    for args in ((), ("--force",)):
        r = run("init", *args, str(tmp_path))
        assert r.exit_code == 0, r.output
        assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == original
        assert "has [tool.vibespec] already, skipped" in r.stdout


PRECOMMIT = """\
# my hooks
repos:
- repo: https://github.com/pre-commit/pre-commit-hooks
  rev: v4.6.0
  hooks:
  - id: trailing-whitespace

ci:
  autofix_prs: false
"""


def test_existing_precommit_config_is_skipped_without_force(tmp_path: Path):
    (tmp_path / ".pre-commit-config.yaml").write_text(PRECOMMIT, encoding="utf-8")
    r = run("init", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == PRECOMMIT
    assert f"{tmp_path / '.pre-commit-config.yaml'}: exists, skipped" in r.stdout
    assert (tmp_path / "messages.viber.yaml").exists()  # the rest is still written


def test_force_appends_the_repo_entry_once(tmp_path: Path):
    pc = tmp_path / ".pre-commit-config.yaml"
    pc.write_text(PRECOMMIT, encoding="utf-8")
    r = run("init", "--force", str(tmp_path))
    assert r.exit_code == 0, r.output
    text = pc.read_text(encoding="utf-8")
    assert text.startswith("# my hooks\nrepos:\n- repo: https://github.com/pre-commit/pre-commit-hooks")
    data = yaml_load(pc)
    assert data["ci"] == {"autofix_prs": False}
    assert [r_["repo"] for r_ in data["repos"]] == ["https://github.com/pre-commit/pre-commit-hooks", "local"]
    assert hook_ids(pc) == ["trailing-whitespace", "vibespec", "vibespec-compile-check"]
    # a second run finds the hooks and leaves the file alone
    r = run("init", "--force", str(tmp_path))
    assert r.exit_code == 0
    assert pc.read_text(encoding="utf-8") == text
    assert "has the vibespec hooks already, skipped" in r.stdout


def test_force_appends_to_a_config_without_repos(tmp_path: Path):
    pc = tmp_path / ".pre-commit-config.yaml"
    pc.write_text("default_language_version:\n  python: python3.11\n", encoding="utf-8")
    assert run("init", "--force", str(tmp_path)).exit_code == 0
    data = yaml_load(pc)
    assert data["default_language_version"] == {"python": "python3.11"}
    assert hook_ids(pc) == ["vibespec", "vibespec-compile-check"]


def test_force_leaves_a_flow_style_config_alone(tmp_path: Path):
    pc = tmp_path / ".pre-commit-config.yaml"
    original = "repos: [{repo: local, hooks: [{id: x, name: x, entry: x, language: system}]}]\n"
    pc.write_text(original, encoding="utf-8")
    r = run("init", "--force", str(tmp_path))
    assert r.exit_code == 0
    assert pc.read_text(encoding="utf-8") == original
    assert "add this under 'repos:' yourself" in r.stdout


def test_init_into_a_file_is_an_error(tmp_path: Path):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    r = run("init", str(f))
    assert r.exit_code == 2


def test_init_defaults_to_the_current_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("init")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "messages.viber.yaml").exists()
