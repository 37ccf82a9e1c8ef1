"""The lint result cache: one file per cache folder, read once and written once per run."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import vibespec.lintrun as lintrun
from vibespec.cache import Cache
from vibespec.cli.app import cli
from vibespec.diagnostics import Diagnostic, Severity

SPEC = """vibespec: 1
defaults: {sender: DemoBot}
messages:
  - to: bot-user-1
    text: Hello
    validity: 72h
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "specs").mkdir()
    for i in range(3):
        (tmp_path / "specs" / f"s{i}.viber.yaml").write_text(SPEC.replace("Hello", f"Hello {i}"))
    return tmp_path


def _lint(*args):
    r = CliRunner().invoke(cli, ["lint", "--format", "json", "-j", "1", *args])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.output)


def _count_work(monkeypatch) -> list:
    calls: list = []
    real = lintrun._work

    def counting(a):
        calls.append(a[1])
        return real(a)

    monkeypatch.setattr(lintrun, "_work", counting)
    return calls


def test_second_run_reads_everything_from_one_file(project, monkeypatch):
    first = _lint("specs")
    files = [p for p in (project / ".cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert [p.name for p in files] == ["results.json"]
    calls = _count_work(monkeypatch)
    assert _lint("specs") == first
    assert calls == []  # nothing linted again


def test_a_changed_file_is_linted_again(project, monkeypatch):
    _lint("specs")
    (project / "specs" / "s1.viber.yaml").write_text(SPEC.replace("72h", "2h"))
    calls = _count_work(monkeypatch)
    out = _lint("specs")
    assert [c.rsplit("/", 1)[-1] for c in calls] == ["s1.viber.yaml"]
    assert not [d for d in out if d["file"].endswith("s1.viber.yaml")]  # the new result, not the cached one


def test_no_cache_neither_reads_nor_writes(project, monkeypatch):
    _lint("--no-cache", "specs")
    assert not (project / ".cache").exists()


def test_entries_from_another_day_are_dropped(tmp_path):
    d = Diagnostic("VB201", Severity.ERROR, "m", "f.viber.yaml", 1, 1, 1, 2)
    old = Cache(str(tmp_path), "salt", day="2026-11-24")
    old.put("k-old", [d])
    old.flush()
    today = Cache(str(tmp_path), "salt", day="2026-11-25")
    assert today.get("k-old") is None
    today.put("k-new", [])
    today.flush()
    stored = json.loads((tmp_path / "results.json").read_text())
    assert stored == {"day": "2026-11-25", "entries": {"k-new": []}}


def test_flush_merges_with_a_run_that_finished_meanwhile(tmp_path):
    d = Diagnostic("VB201", Severity.WARNING, "m", "f.viber.yaml", 3, 5, 3, 9, "help", "/messages/0")
    a = Cache(str(tmp_path), "salt", day="2026-11-25")
    b = Cache(str(tmp_path), "salt", day="2026-11-25")
    assert a.get("x") is None and b.get("y") is None  # both started before either wrote
    a.put("x", [d])
    a.flush()
    b.put("y", [])
    b.flush()
    c = Cache(str(tmp_path), "salt", day="2026-11-25")
    assert c.get("x") == [d] and c.get("y") == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"day": "2026-11-25", "entries": {"k": [{"x": 1}]}}'])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path, content):
    (tmp_path / "results.json").write_text(content)
    c = Cache(str(tmp_path), "salt", day="2026-11-25")
    assert c.get("k") is None
    c.put("k", [])
    c.flush()
    assert Cache(str(tmp_path), "salt", day="2026-11-25").get("k") == []


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    c = Cache(str(blocker / "v2"), "salt", day="2026-11-25")
    c.put("k", [])
    c.flush()  # no exception
    assert c.get("k") == []
