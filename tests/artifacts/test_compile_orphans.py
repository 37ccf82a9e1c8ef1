"""Orphaned bodies: a ``*.json`` in the out dir that no spec compiles to any more (its spec was
deleted or renamed). ``compile --check --orphans`` lists them, ``compile --prune`` deletes them,
and the ``vibespec-compile-orphans`` pre-commit hook (all specs, not the staged ones) fails on them."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from vibespec.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
HOOKS = {h["id"]: h for h in YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())}

SPEC = "vibespec: 1\nmessages:\n  - {to: bot-user-1, sender: DemoBot, text: Hello}\n"


def run(*args: str):
    r = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in r.output
    return r


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / ".cache"))
    (tmp_path / "specs" / "sub").mkdir(parents=True)
    for name in ("a.viber.yaml", "b.viber.yaml", "sub/c.viber.toml"):
        text = SPEC if name.endswith("yaml") else 'vibespec = 1\n[[messages]]\nto = "u"\nsender = "B"\ntext = "Hi"\n'
        (tmp_path / "specs" / name).write_text(text)
    assert run("compile", "--out-dir", "compiled", "specs").exit_code == 0  # a folder: every spec below it
    assert sorted(p.name for p in (tmp_path / "compiled").iterdir()) == ["a.json", "b.json", "c.json"]
    return tmp_path


def test_check_alone_cannot_see_an_orphan(repo: Path):
    (repo / "specs" / "b.viber.yaml").unlink()
    r = run("compile", "--check", "--out-dir", "compiled", "specs")
    assert r.exit_code == 0 and r.output == ""


def test_check_orphans_lists_them_and_writes_nothing(repo: Path):
    (repo / "specs" / "b.viber.yaml").unlink()
    (repo / "compiled" / "README.txt").write_text("not a body")
    (repo / "compiled" / "old").mkdir()
    before = sorted(p.name for p in (repo / "compiled").iterdir())
    r = run("compile", "--check", "--orphans", "--out-dir", "compiled", "specs")
    assert r.exit_code == 1
    assert r.stdout == ("compiled/b.json: orphan: none of the given specs compiles to it (spec deleted or renamed?)\n"
                        "1 orphaned body in compiled; delete it, or recompile with --prune to remove it\n")
    assert sorted(p.name for p in (repo / "compiled").iterdir()) == before


def test_orphans_and_drift_together(repo: Path):
    (repo / "specs" / "b.viber.yaml").rename(repo / "specs" / "renamed.viber.yaml")
    r = run("compile", "--check", "--orphans", "--out-dir", "compiled", "specs")
    assert r.exit_code == 1
    assert "compiled/renamed.json: missing" in r.stdout and "compiled/b.json: orphan" in r.stdout


def test_prune_deletes_only_orphaned_json(repo: Path):
    (repo / "specs" / "b.viber.yaml").unlink()
    (repo / "compiled" / "README.txt").write_text("not a body")
    r = run("compile", "--prune", "--out-dir", "compiled", "specs")
    assert r.exit_code == 0, r.output
    assert "removed compiled/b.json" in r.stderr
    assert sorted(p.name for p in (repo / "compiled").iterdir()) == ["README.txt", "a.json", "c.json"]
    assert run("compile", "--check", "--orphans", "--out-dir", "compiled", "specs").exit_code == 0


def test_prune_deletes_nothing_when_a_spec_does_not_compile(repo: Path):
    (repo / "specs" / "b.viber.yaml").unlink()
    (repo / "specs" / "a.viber.yaml").write_text("vibespec: 1\nmessages: [{to: u, text: no sender or content: x}]\n")
    r = run("compile", "--prune", "--out-dir", "compiled", "specs")
    assert r.exit_code == 1
    assert (repo / "compiled" / "b.json").exists()


@pytest.mark.parametrize("args, msg", [
    (["--orphans", "--out-dir", "compiled", "specs"], "--orphans goes with --check"),
    (["--check", "--prune", "--out-dir", "compiled", "specs"], "--check writes nothing"),
    (["--check", "--orphans", "-o", "x.json", "specs/a.viber.yaml"], "--orphans needs --out-dir"),
    (["--check", "--orphans", "--out-dir", "compiled", "-"], "not stdin"),
])
def test_bad_combinations_exit_2(repo: Path, args, msg):
    r = run("compile", *args)
    assert r.exit_code == 2 and msg in r.stderr


def test_the_orphans_hook_as_pre_commit_runs_it(repo: Path):
    hook = HOOKS["vibespec-compile-orphans"]
    argv = shlex.split(hook["entry"])[1:] + hook["args"]  # pass_filenames: false
    assert run(*argv).exit_code == 0
    (repo / "specs" / "sub" / "c.viber.toml").unlink()
    r = run(*argv)
    assert r.exit_code == 1 and "compiled/c.json: orphan" in r.stdout
