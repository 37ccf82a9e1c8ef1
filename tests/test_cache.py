"""The lint result cache: one file per cache folder, read once and written once per run, and
never a different answer than a lint without it."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import vibespec.app.cache as cache_mod
import vibespec.app.lintrun as lintrun
from vibespec.app.cache import Cache, Watch
from vibespec.cli.app import cli
from vibespec.config import Config
from vibespec.diagnostics import Diagnostic, Severity

SPEC = """vibespec: 1
defaults: {sender: DemoBot}
messages:
  - to: bot-user-1
    text: Hello
    validity: 72h
"""
CLEAN = SPEC.replace("72h", "24h")  # SPEC itself has VB420 (validity over 48 h)

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "specs").mkdir()
    for i in range(3):
        (tmp_path / "specs" / f"s{i}.viber.yaml").write_text(SPEC.replace("Hello", f"Hello {i}"))
    return tmp_path


@pytest.fixture
def clock(monkeypatch):
    """The time the cache sees (and hands to the lint): ``clock[0]``."""
    now = [T0]
    monkeypatch.setattr(cache_mod, "_utcnow", lambda: now[0])
    return now


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


def _codes(out) -> list[str]:
    return [d["code"] for d in out]


def _cache(tmp_path, secret=b"k" * 32, now=T0, base=None) -> Cache:
    return Cache(str(base or tmp_path), "salt", secret=secret, now=now)


def _diag(file="f.viber.yaml", code="VB201") -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, "m", file, 3, 5, 3, 9, "help", "/messages/0")


# --------------------------------------------------------------------------- basics


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
    old = _cache(tmp_path, now=T0 - timedelta(days=1))
    old.put("k-old", "f.viber.yaml", [])
    old.flush()
    today = _cache(tmp_path)
    assert today.get("k-old", "f.viber.yaml") is None
    today.put("k-new", "f.viber.yaml", [])
    today.flush()
    stored = json.loads((tmp_path / "v3" / "results.json").read_text())
    assert stored["day"] == "2026-11-25" and list(stored["entries"]) == ["k-new"]


def test_flush_merges_with_a_run_that_finished_meanwhile(tmp_path):
    d = _diag()
    a, b = _cache(tmp_path), _cache(tmp_path)
    assert a.get("x", d.file) is None and b.get("y", d.file) is None  # both started before either wrote
    assert a.put("x", d.file, [d])
    a.flush()
    b.put("y", d.file, [])
    b.flush()
    c = _cache(tmp_path)
    assert c.get("x", d.file) == [d] and c.get("y", d.file) == []
    assert not [p for p in (tmp_path / "v3").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"format": "3", "day": "2026-11-25", "entries": {"k": [1]}}',
                                     '{"format": "3", "day": "2026-11-25", "entries": {"k": ["a", "b"]}}'])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path, content):
    (tmp_path / "v3").mkdir()
    (tmp_path / "v3" / "results.json").write_text(content)
    c = _cache(tmp_path)
    assert c.get("k", "f") is None
    c.put("k", "f", [])
    c.flush()
    assert _cache(tmp_path).get("k", "f") == []


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    c = _cache(tmp_path, base=blocker / "cache")
    c.put("k", "f", [])
    c.flush()  # no exception
    assert c.get("k", "f") == []


# --------------------------------------------------------------------------- what a result depends on


def test_the_audience_csv_is_part_of_the_key(project, monkeypatch):
    spec = project / "specs" / "t.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: DemoBot}\ntemplates:\n  hello: {text: 'Hello {{ name }}'}\n"
                    "audience: people.csv\nmessages:\n  - {template: hello, to: audience}\n")
    csv = project / "specs" / "people.csv"
    csv.write_text("to,name\nu1,Ana\nu2,Ivo\n")
    assert _lint(str(spec)) == []
    csv.write_text("to,name\nu1,Ana\nu2,\n")  # the spec's bytes are unchanged
    assert "VB701" in _codes(_lint(str(spec)))
    csv.write_text("to,name\nu1,Ana\nu2,Ivo\n")
    calls = _count_work(monkeypatch)
    assert _lint(str(spec)) == [] and calls == []  # the first result again, from the cache
    csv.unlink()
    assert "VB705" in _codes(_lint(str(spec)))


def test_a_file_edited_while_the_run_reads_it_is_stored_under_what_was_linted(project, monkeypatch):
    """The parent hashes the file, then a worker reads it: an edit in between must not store the
    worker's result under the parent's key."""
    spec = project / "specs" / "s0.viber.yaml"
    bad, good = SPEC, CLEAN
    spec.write_text(bad)
    real = lintrun._work

    def edited_meanwhile(a):
        spec.write_text(good)
        try:
            return real(a)
        finally:
            spec.write_text(bad)

    monkeypatch.setattr(lintrun, "_work", edited_meanwhile)
    _lint(str(spec))
    monkeypatch.setattr(lintrun, "_work", real)
    assert spec.read_text() == bad
    assert _codes(_lint(str(spec))) == ["VB420"]  # the bad spec is not clean


def test_changed_rule_code_with_the_same_version_is_linted_again(project, monkeypatch):
    _lint("specs")
    calls = _count_work(monkeypatch)
    digest, codes = cache_mod.code_fingerprint()
    monkeypatch.setattr(cache_mod, "_CODE", ("0" * 64, codes))
    _lint("specs")
    assert len(calls) == 3


def test_the_code_fingerprint_covers_every_module(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.py").write_text('code = "VB123"\n')
    (tmp_path / "b.py").write_text("x = 1\n")
    one = cache_mod._fingerprint(str(tmp_path))
    (tmp_path / "rules" / "a.py").write_text('code = "VB124"\n')
    two = cache_mod._fingerprint(str(tmp_path))
    assert one[0] != two[0] and one[1] == {"VB123"} and two[1] == {"VB124"}
    real = cache_mod.code_fingerprint()[1]
    from vibespec.rules import _collect

    assert {r.code for r in _collect()} <= real and {"VB000", "VB001", "VB007"} <= real


# --------------------------------------------------------------------------- the time


def _send_at(project, dt: datetime):
    p = project / "specs" / "t.viber.yaml"
    p.write_text(CLEAN + f"send_at: {dt.isoformat()}\n")
    return str(p)


def test_send_at_15_seconds_ahead_is_cached_only_until_it_passes(project, clock, monkeypatch):
    spec = _send_at(project, T0 + timedelta(seconds=15))
    assert _lint(spec) == []
    calls = _count_work(monkeypatch)
    clock[0] = T0 + timedelta(seconds=10)
    assert _lint(spec) == [] and calls == []  # still before send_at: the cached result holds
    clock[0] = T0 + timedelta(seconds=20)
    assert _codes(_lint(spec)) == ["VB404"]  # send_at is in the past now
    assert len(calls) == 1


def test_a_result_that_quotes_the_time_is_not_cached(project, clock, monkeypatch):
    spec = _send_at(project, T0 - timedelta(hours=3))  # "... is 3 hours in the past"
    first = _lint(spec)
    assert _codes(first) == ["VB404"] and "3 hours" in first[0]["message"]
    calls = _count_work(monkeypatch)
    clock[0] = T0 + timedelta(hours=2)
    again = _lint(spec)
    assert len(calls) == 1 and "5 hours" in again[0]["message"]


def test_a_result_read_before_it_was_made_is_not_used(project, clock, monkeypatch):
    spec = _send_at(project, T0 + timedelta(seconds=15))
    _lint(spec)
    calls = _count_work(monkeypatch)
    clock[0] = T0 - timedelta(seconds=1)  # the clock went back
    _lint(spec)
    assert len(calls) == 1


@pytest.mark.parametrize("offset", [-86400 * 200, -3600, -1, 1, 15, 3600, 86400 * 179, 86400 * 180 - 5,
                                    86400 * 180 + 5, 86400 * 181])
@pytest.mark.parametrize("later", [0, 3, 10, 3600, 11 * 3600])
def test_cached_answer_equals_a_fresh_lint_at_any_time_of_the_day(project, clock, offset, later):
    spec = _send_at(project, T0 + timedelta(seconds=offset))
    cfg = Config()
    lintrun.run_lint([spec], cfg, jobs=1)  # fills the cache at T0
    clock[0] = T0 + timedelta(seconds=later)
    cached = lintrun.run_lint([spec], cfg, jobs=1).diagnostics
    fresh = lintrun.run_lint([spec], cfg, jobs=1, use_cache=False, now=clock[0]).diagnostics
    assert cached == fresh


def test_a_window_in_another_zone_without_send_at_is_not_cached(project, clock, monkeypatch):
    p = project / "specs" / "w.viber.yaml"
    p.write_text(SPEC + "    window: {days: weekdays, from: '06:00', to: '15:30'}\ntimezone: Asia/Tokyo\n")
    _lint(str(p))
    calls = _count_work(monkeypatch)
    _lint(str(p))
    assert len(calls) == 1  # its local date (and the plan from now) change during the UTC day


def test_watch_records_when_comparisons_flip():
    w = Watch(T0)
    now = w.now()
    send_at = T0 + timedelta(hours=1)
    assert not (send_at < now)
    ahead = send_at - now
    assert not (ahead > timedelta(days=180))
    assert w.until == T0 + timedelta(hours=1) and not w.opaque and w.cacheable()
    assert now.date() == T0.date() and not w.opaque  # the UTC date: covered by the key
    later = now + timedelta(days=2)
    assert later > T0 and w.until == T0 + timedelta(hours=1)
    later.date()
    assert w.opaque and not w.cacheable()


@pytest.mark.parametrize("use", [
    lambda n: str(n), lambda n: n.isoformat(), lambda n: n.hour, lambda n: n.timestamp(), lambda n: hash(n),
    lambda n: n.strftime("%H"), lambda n: f"{n}", lambda n: (n - T0).total_seconds(), lambda n: (T0 - n).days,
    lambda n: abs(n - T0), lambda n: (n - T0) * 2, lambda n: n.astimezone(timezone(timedelta(hours=9))),
    lambda n: n.weekday(), lambda n: n.replace(hour=1),
])
def test_watch_other_uses_make_the_result_uncacheable(use):
    w = Watch(T0)
    use(w.now())
    assert w.opaque


# --------------------------------------------------------------------------- forged and hostile caches


def test_a_cache_from_another_machine_matches_nothing(project, monkeypatch):
    """A committed or copied cache folder was keyed with another machine's secret."""
    spec = project / "specs" / "s0.viber.yaml"
    _lint(str(spec))
    good = (project / ".cache" / "v3" / "results.json").read_text()
    spec.write_text(SPEC.replace("72h", "49h"))  # VB420
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "elsewhere"))  # the "attacker" lints the bad spec clean...
    stored = json.loads(good)
    # ... and plants entries claiming "no findings" under every key of its own
    c = Cache.for_config(Config())
    key = c.key(str(spec), __import__("hashlib").sha256(spec.read_bytes()).hexdigest())
    c.put(key, str(spec), [])
    c.flush()
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "home-cache"))
    assert "VB420" in _codes(_lint(str(spec)))
    assert stored  # the victim's own cache was there all along


def test_a_tampered_entry_is_ignored(tmp_path):
    c = _cache(tmp_path)
    c.put("k", "f.viber.yaml", [_diag("f.viber.yaml")])
    c.flush()
    p = tmp_path / "v3" / "results.json"
    stored = json.loads(p.read_text())
    mac, payload = stored["entries"]["k"]
    entry = json.loads(payload)
    entry["d"] = []
    stored["entries"]["k"] = [mac, json.dumps(entry)]
    p.write_text(json.dumps(stored))
    assert _cache(tmp_path).get("k", "f.viber.yaml") is None


@pytest.mark.parametrize("row", [
    ["VB999", "warning", "m", 1, 1, 1, 2, None, None],  # no such code
    ["VB201", "fatal", "m", 1, 1, 1, 2, None, None],
    ["VB201", "warning", 5, 1, 1, 1, 2, None, None],
    ["VB201", "warning", "m", True, 1, 1, 2, None, None],
    ["VB201", "warning", "m", -1, 1, 1, 2, None, None],
    ["VB201", "warning", "m", 10**12, 1, 1, 2, None, None],
    ["VB201", "warning", "m" * 200_000, 1, 1, 1, 2, None, None],
    ["VB201", "warning", "m", 1, 1, 1, 2, None],
    {"code": "VB201"},
])
def test_an_entry_vibespec_could_not_have_written_is_ignored(tmp_path, row):
    c = _cache(tmp_path)
    payload = json.dumps({"since": T0.timestamp(), "until": None, "deps": [], "d": [row]})
    c._entries = {"k": [c._mac("k", payload), payload]}
    assert c.get("k", "f.viber.yaml") is None


def test_a_result_never_names_another_file(project, tmp_path):
    c = _cache(tmp_path)
    assert not c.put("k", "f.viber.yaml", [_diag("/proc/self/environ")])
    assert c.put("k", "f.viber.yaml", [_diag("f.viber.yaml")])
    # the stored rows carry no file name at all: it is the linted file's
    payload = json.loads(c._new["k"][1])
    assert "/proc" not in json.dumps(payload) and "f.viber.yaml" not in json.dumps(payload["d"])


def _planted(project, make):
    """Put something in place of the cache file, then lint: the result must be the real one."""
    v3 = project / ".cache" / "v3"
    v3.mkdir(parents=True, exist_ok=True)
    target = v3 / "results.json"
    make(target)
    t = time.monotonic()
    out = _lint("specs")
    assert time.monotonic() - t < 15
    assert out == _lint("--no-cache", "specs") and len(out) == 3
    return target


def test_a_symlink_to_dev_zero_is_not_read(project):
    target = _planted(project, lambda t: t.symlink_to("/dev/zero"))
    assert target.is_file() and not target.is_symlink()  # the link itself was replaced, never written through


def test_a_fifo_does_not_hang(project):
    target = _planted(project, lambda t: os.mkfifo(t))
    assert target.is_file()


def test_a_deeply_nested_cache_is_ignored(project):
    _planted(project, lambda t: t.write_text("[" * 100_000))
    assert json.loads((project / ".cache" / "v3" / "results.json").read_text())["format"] == "3"


def test_an_oversized_cache_is_not_read(project, monkeypatch):
    _lint("specs")
    monkeypatch.setattr(cache_mod, "MAX_BYTES", 10)
    calls = _count_work(monkeypatch)
    _lint("specs")
    assert len(calls) == 3


def test_symlinked_folders_inside_the_cache_are_not_followed(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".cache").mkdir()
    (project / ".cache" / "v3").symlink_to(elsewhere, target_is_directory=True)
    assert len(_lint("specs")) == 3
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_the_default_cache_folder_may_not_be_a_symlink(project, tmp_path_factory, monkeypatch):
    monkeypatch.delenv("VIBESPEC_CACHE_DIR")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".vibespec_cache").symlink_to(elsewhere, target_is_directory=True)
    assert len(_lint("specs")) == 3
    assert list(elsewhere.iterdir()) == []


def test_a_gitignore_link_is_not_written_through(project, tmp_path_factory):
    victim = tmp_path_factory.mktemp("v") / "victim"
    (project / ".cache").mkdir()
    (project / ".cache" / ".gitignore").symlink_to(victim)  # dangling: open(..., "w") would create it
    _lint("specs")
    assert not victim.exists()


def test_no_secret_no_cache(project, monkeypatch):
    (project / "home-cache").write_text("a file where the folder should be")
    _lint("specs")
    assert not (project / ".cache").exists()


def test_the_secret_is_private_and_stable(project):
    a = cache_mod.machine_secret()
    key = project / "home-cache" / "vibespec" / "key"
    assert a and cache_mod.machine_secret() == a
    assert oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_edits_during_concurrent_runs_never_leave_a_wrong_cached_answer(project):
    """Four processes lint 30 specs while every spec flips between clean and bad; once the
    edits stop (all bad), a run with the cache must report every spec, as one without it does."""
    import subprocess
    import sys
    import threading

    files = []
    for i in range(30):
        p = project / "specs" / f"storm{i}.viber.yaml"
        p.write_text(CLEAN.replace("Hello", f"Hi {i}"))
        files.append(p)
    stop = threading.Event()

    def flip():
        k = 0
        while not stop.is_set():
            for p in files:
                p.write_text((SPEC if k % 2 else CLEAN).replace("Hello", f"Hi {files.index(p)}"))
            k += 1
        for p in files:
            p.write_text(SPEC.replace("Hello", f"Hi {files.index(p)}"))

    cmd = [sys.executable, "-m", "vibespec", "lint", "-j", "1", "--format", "json", str(project / "specs")]
    t = threading.Thread(target=flip)
    t.start()
    try:
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(4)]
        for p in procs:
            p.wait(timeout=120)
    finally:
        stop.set()
        t.join()
    with_cache = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    without = subprocess.run(cmd[:4] + ["--no-cache"] + cmd[4:], capture_output=True, text=True, timeout=120)
    assert json.loads(with_cache.stdout) == json.loads(without.stdout)
    assert sum(1 for d in json.loads(with_cache.stdout) if "storm" in d["file"]) == 30


def test_a_mac_with_non_ascii_text_is_a_mismatch_not_an_error(tmp_path):
    """hmac.compare_digest refuses str with non-ASCII characters (TypeError); found by the cache fuzz target."""
    c = _cache(tmp_path)
    c._entries = {"k": ["é" * 64, "{}"], "k2": ["\ud800", "{}"]}
    assert c.get("k", "f") is None and c.get("k2", "f") is None


def test_a_file_linted_as_a_body_and_as_a_spec_has_two_entries(project):
    spec = str(project / "specs" / "s0.viber.yaml")
    cfg = Config()
    as_spec = lintrun.run_lint([spec], cfg, jobs=1).diagnostics
    as_body = lintrun.run_lint([spec], cfg, jobs=1, force_body=True).diagnostics
    assert as_body == lintrun.run_lint([spec], cfg, jobs=1, force_body=True, use_cache=False).diagnostics
    assert as_spec != as_body and lintrun.run_lint([spec], cfg, jobs=1).diagnostics == as_spec


@pytest.mark.parametrize("dep", [["/dev/zero", 2**40, "x"], ["/dev/zero", 10, "x"], ["FIFO", 10, "x"]])
def test_a_stored_dependency_is_read_only_if_it_is_a_bounded_regular_file(tmp_path, dep):
    """An entry (even one signed with the secret) naming /dev/zero with a huge cap was a
    MemoryError, a FIFO a hang; found by the cache fuzz target."""
    if dep[0] == "FIFO":
        dep[0] = str(tmp_path / "fifo")
        os.mkfifo(dep[0])
    c = _cache(tmp_path)
    payload = json.dumps({"since": T0.timestamp(), "until": None, "deps": [dep], "d": []})
    c._entries = {"k": [c._mac("k", payload), payload]}
    t = time.monotonic()
    assert c.get("k", "f.viber.yaml") is None and time.monotonic() - t < 5


def test_a_stored_dependency_matches_what_read_capped_noted(tmp_path):
    from vibespec.files import read_capped, recording

    csv = tmp_path / "a.csv"
    csv.write_text("to\nu1\n")
    missing, folder = tmp_path / "none.csv", tmp_path
    with recording() as reads:
        read_capped(csv, 100)
        for p in (missing, folder):
            with pytest.raises(OSError):
                read_capped(p, 100)
    assert [cache_mod._digest_of(p, cap) for p, cap, _ in reads] == [d for _, _, d in reads]


def test_an_audience_refused_or_reached_through_a_link_is_never_cached(tmp_path):
    """The audience reader keeps paths inside the project; what it answers for a path outside,
    or reached through a link, depends on the file system, so such results are not reused."""
    import os

    from vibespec.files import recording
    from vibespec.compiler.templates import AudienceError, read_contained

    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.csv").write_text("to\nu1\n", encoding="utf-8")
    os.symlink(root / "a.csv", root / "link.csv")
    with recording() as reads:
        read_contained(str(root / "a.csv"), (str(root),), 1000, "a.csv")
        read_contained(str(root / "link.csv"), (str(root),), 1000, "link.csv")
        try:
            read_contained("/etc/hostname", (str(root),), 1000, "/etc/hostname")
        except AudienceError:
            pass
    digests = [d for _p, _c, d in reads]
    assert len(digests[0]) == 64 and "!link" in digests and "!refused" in digests
