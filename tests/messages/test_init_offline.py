"""``vibespec init`` works offline: a ``repo: local`` pre-commit entry that runs the installed
vibespec pinned to this version, and an editor schema written beside the spec and named by
a relative path (issue 14). ``--hooks remote`` and ``--schema-url`` keep the old entries."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from vibespec import __version__
from vibespec.cli.app import cli
from vibespec.cli.artifact_cmds import HOOKS_REPO, SCHEMA_FILE, SCHEMA_URL

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    r = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in r.output
    return r


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _repos(folder: Path) -> list:
    return YAML(typ="safe", pure=True).load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]


def _vibespec_cmd() -> list[str]:
    return [sys.executable, "-m", "vibespec"]


def test_local_hooks_run_the_installed_vibespec(tmp_path: Path):
    assert run("init", str(tmp_path)).exit_code == 0
    (repo,) = _repos(tmp_path)
    assert repo["repo"] == "local" and "rev" not in repo
    hooks = {h["id"]: h for h in repo["hooks"]}
    assert set(hooks) == {"vibespec", "vibespec-compile-check"}
    spec = "messages.viber.yaml"
    assert run("compile", "--out-dir", str(tmp_path / "compiled"), str(tmp_path / spec)).exit_code == 0
    import re

    for h in hooks.values():
        assert h["language"] == "system" and re.search(h["files"], spec)
        argv = shlex.split(h["entry"])
        assert argv[:3] == ["vibespec", "--require-version", __version__]
        # what pre-commit runs: entry + args + the staged files, in the repository root
        cmd = _vibespec_cmd() + argv[1:] + list(h.get("args", [])) + [spec]
        p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True,
                           env={**os.environ, "NO_COLOR": "1"})
        assert p.returncode == 0, (h["id"], p.stdout, p.stderr)


def test_require_version_mismatch_exits_2(tmp_path: Path):
    r = run("--require-version", "0.0.0-other", "lint", str(ROOT / "examples" / "text.viber.yaml"))
    assert r.exit_code == 2
    assert f"pins vibespec 0.0.0-other, but {__version__} is installed" in r.output
    assert run("--require-version", f"v{__version__}", "rules").exit_code == 0


@pytest.mark.parametrize("toml", [False, True])
def test_schema_beside_the_spec(tmp_path: Path, toml: bool):
    assert run("init", str(tmp_path), *(["--toml"] if toml else [])).exit_code == 0
    spec = tmp_path / ("messages.viber.toml" if toml else "messages.viber.yaml")
    first = spec.read_text(encoding="utf-8").splitlines()[0]
    ref = first.split("$schema=")[-1] if not toml else first.removeprefix("#:schema ")
    assert ref == SCHEMA_FILE and not ref.startswith(("http", "/"))
    schema_path = spec.parent / ref
    assert schema_path.read_text(encoding="utf-8") == (ROOT / "schemas" / "vibespec.schema.json").read_text(
        encoding="utf-8")
    # the starter spec is valid against it
    from vibespec.source import load

    data = load(spec.read_text(encoding="utf-8"), str(spec)).data
    jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))


def test_rerun_keeps_an_identical_schema_and_refuses_a_changed_one(tmp_path: Path):
    assert run("init", str(tmp_path)).exit_code == 0
    r = run("init", "--force", str(tmp_path))
    assert r.exit_code == 0 and f"{tmp_path / SCHEMA_FILE}: up to date, skipped" in r.output
    (tmp_path / SCHEMA_FILE).write_text("{}\n", encoding="utf-8")
    (tmp_path / "messages.viber.yaml").unlink()
    (tmp_path / "vibespec.toml").unlink()
    r = run("init", str(tmp_path))
    assert r.exit_code == 1 and SCHEMA_FILE in r.output and "nothing written" in r.output
    assert not (tmp_path / "messages.viber.yaml").exists()


def test_remote_hooks_and_schema_url_on_request(tmp_path: Path):
    assert run("init", "--hooks", "remote", "--schema-url", str(tmp_path)).exit_code == 0
    (repo,) = _repos(tmp_path)
    assert repo["repo"] == HOOKS_REPO and repo["rev"] == f"v{__version__}"
    assert not (tmp_path / SCHEMA_FILE).exists()
    first = (tmp_path / "messages.viber.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_URL}"
