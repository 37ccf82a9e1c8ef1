"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run as pre-commit would run them
(their ``entry`` + default ``args`` + file names, from the repository root) over the
example files in ``tests/hooks/positive`` (must pass) and ``tests/hooks/negative`` (must fail)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from vibespec.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "hooks"
HOOKS = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {h["id"]: h for h in HOOKS}


def examples(kind: str, hook: dict) -> list[Path]:
    rx = re.compile(hook["files"])
    return sorted(p for p in (EXAMPLES / kind).iterdir() if p.is_file() and rx.search(p.name))


def argv(hook: dict, files: list[Path]) -> list[str]:
    words = shlex.split(hook["entry"])
    assert words[0] == "vibespec"
    return words[1:] + list(hook.get("args", [])) + ([p.name for p in files] if hook.get("pass_filenames", True) else [])


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / "cache"))


def test_hook_definitions():
    assert list(BY_ID) == ["vibespec", "vibespec-compile-check", "vibespec-compile-orphans"]
    for h in HOOKS:
        assert h["language"] == "python"
        assert h["entry"].startswith("vibespec ")
        rx = re.compile(h["files"])
        for name in ("a.viber.yaml", "dir/b.viber.yml", "c.viber.toml"):
            assert rx.search(name), name
        for name in ("a.yaml", "a.viber.json", "viber.yaml.bak"):
            assert not rx.search(name), name
    assert BY_ID["vibespec"]["entry"] == "vibespec lint"
    assert BY_ID["vibespec-compile-check"]["entry"] == "vibespec compile --check"
    assert BY_ID["vibespec-compile-check"]["args"] == ["--out-dir", "compiled"]
    # the orphans hook needs every spec, not the staged ones: it names folders itself
    orph = BY_ID["vibespec-compile-orphans"]
    assert orph["entry"] == "vibespec compile --check --orphans"
    assert orph["args"] == ["--out-dir", "compiled", "."]
    assert orph["pass_filenames"] is False and orph["always_run"] is True


def _cases(kind: str):
    out = []
    for h in HOOKS:
        for p in examples(kind, h):
            out.append(pytest.param(h["id"], p, id=f"{h['id']}-{p.name}"))
    return out


def _run_hook(hook_id: str, files: list[Path], monkeypatch):
    monkeypatch.chdir(files[0].parent)
    r = CliRunner().invoke(cli, argv(BY_ID[hook_id], files))
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exc_info
    return r


@pytest.mark.parametrize("hook_id, path", _cases("positive"))
def test_positive_example_passes(hook_id: str, path: Path, monkeypatch):
    r = _run_hook(hook_id, [path], monkeypatch)
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("hook_id, path", _cases("negative"))
def test_negative_example_fails(hook_id: str, path: Path, monkeypatch):
    r = _run_hook(hook_id, [path], monkeypatch)
    assert r.exit_code == 1, r.output


def test_there_are_examples_of_every_kind():
    for h in HOOKS:
        pos = examples("positive", h)
        neg = examples("negative", h)
        assert len(pos) >= 2 and len(neg) >= 3
        assert any(p.suffix == ".toml" for p in pos) and any(p.suffix == ".toml" for p in neg)
    # every negative fails the compile check for a different reason
    compiled = EXAMPLES / "negative" / "compiled"
    assert (compiled / "stale-body.json").exists()
    assert not (compiled / "missing-body.json").exists()


def test_compile_check_writes_nothing(monkeypatch):
    folder = EXAMPLES / "negative"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    _run_hook("vibespec-compile-check", examples("negative", BY_ID["vibespec-compile-check"]), monkeypatch)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("kind, code", [("positive", 0), ("negative", 1)])
def test_hooks_through_the_installed_command(kind: str, code: int, tmp_path):
    """All files at once, in a real process, as pre-commit runs it."""
    exe = [sys.executable, "-m", "vibespec"]
    env = dict(os.environ, VIBESPEC_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("GITHUB_ACTIONS", None)
    for h in HOOKS:
        files = examples(kind, h)
        p = subprocess.run(exe + argv(h, files), cwd=EXAMPLES / kind, env=env, capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == code, (h["id"], p.stdout, p.stderr)
        assert "Traceback" not in p.stderr
