"""Honest exits and clean shutdown: files that were not checked, signals, -j, output writes.

Signals and writes are tested on real processes and real file systems: SIGTERM/SIGINT are
sent to a running ``vibespec`` process, disk-full is ``/dev/full`` or a tiny tmpfs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import vibespec
from vibespec.cli.app import cli

CLI = [sys.executable, "-m", "vibespec"]
GOOD = "vibespec: 1\ndefaults: {{sender: Bot}}\nmessages:\n  - to: u{n}\n    text: Hello {n}\n"
FORMATS = ["full", "concise", "json", "sarif", "github"]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder with its own (empty) configuration, as the current directory."""
    (tmp_path / "vibespec.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _specs(folder: Path, n: int, start: int = 0) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        p = folder / f"s{i:04d}.viber.yaml"
        p.write_text(GOOD.format(n=i))
        out.append(str(p))
    return out


def _dangling(folder: Path, name: str = "gone.viber.yaml") -> Path:
    p = folder / name
    os.symlink(folder / "no-such-target", p)
    return p


# --------------------------------------------------------------------------- files not checked


def _not_checked_in_output(fmt: str, out: str, code: str, file: str) -> None:
    assert "All checks passed" not in out
    if fmt in ("full", "concise"):
        last = out.strip().splitlines()[-1]
        assert last.startswith("Could not check 1 of 2 files: "), last
        assert file in last
    elif fmt == "json":
        rows = json.loads(out)
        assert [(r["code"], r["file"]) for r in rows] == [(code, file)]
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert [r["ruleId"] for r in results] == [code]
        assert file in json.dumps(results)
    else:
        assert f"title={code}" in out and file in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_lint_unreadable_file_is_reported_in_every_format_and_exits_2(work, fmt):
    _specs(work / "specs", 1)
    _dangling(work / "specs")
    r = CliRunner().invoke(cli, ["lint", "specs", "--no-cache", "--format", fmt, "--color", "never"])
    assert r.exit_code == 2, r.output
    _not_checked_in_output(fmt, r.stdout, "VB009", os.path.join("specs", "gone.viber.yaml"))
    assert "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["concise", "json"])
def test_check_unreadable_body_is_reported(work, fmt):
    (work / "b").mkdir()
    (work / "b" / "ok.json").write_text('{"messages": []}')
    _dangling(work / "b", "gone.json")
    r = CliRunner().invoke(cli, ["check", "b", "--format", fmt, "--select", "VB009"])
    assert r.exit_code == 2, r.output
    _not_checked_in_output(fmt, r.stdout, "VB009", os.path.join("b", "gone.json"))


def test_not_checked_files_cannot_be_ignored_and_override_fail_on(work):
    _specs(work / "specs", 1)
    _dangling(work / "specs")
    for extra in (["--ignore", "VB009,VB0"], ["--select", "VB2"], ["--fail-on", "info"]):
        r = CliRunner().invoke(cli, ["lint", "specs", "--no-cache", "--format", "json", *extra])
        assert r.exit_code == 2, (extra, r.output)
        assert [d["code"] for d in json.loads(r.stdout)] == ["VB009"], extra


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lint_internal_error_is_vb000_in_the_output_and_exits_2(work, monkeypatch, jobs):
    """A bug on one file (VB000) is reported for that file; the others are still linted,
    also with worker processes (forked: they see the patched function)."""
    import vibespec.app.lintrun as lintrun

    real = lintrun.lint_bytes

    def buggy(data, filename, *a, **k):
        if filename.endswith("s0003.viber.yaml"):
            raise ZeroDivisionError("boom")
        return real(data, filename, *a, **k)

    monkeypatch.setattr(lintrun, "lint_bytes", buggy)
    monkeypatch.setattr(lintrun, "PARALLEL_THRESHOLD", 4)
    specs = [os.path.relpath(p) for p in _specs(work / "specs", 8)]
    (work / "specs" / "s0005.viber.yaml").write_text(GOOD.format(n=5) + "    validity: 72h\n")
    r = CliRunner().invoke(cli, ["lint", "specs", "--format", "json", "-j", jobs, "--now", "2026-11-25T12:00:00Z"])
    assert r.exit_code == 2, r.output
    rows = json.loads(r.stdout)
    assert ("VB000", specs[3]) in [(d["code"], d["file"]) for d in rows]
    assert ("VB420", specs[5]) in [(d["code"], d["file"]) for d in rows]
    assert "ZeroDivisionError: boom" in next(d["message"] for d in rows if d["code"] == "VB000")
    r = CliRunner().invoke(cli, ["lint", "specs", "--format", "concise", "-j", jobs, "--now", "2026-11-25T12:00:00Z"])
    assert r.exit_code == 2
    assert r.stdout.strip().splitlines()[-1].startswith(f"Could not check 1 of 8 files: {specs[3]} (internal error); "
                                                        "found 1 problem")


def test_internal_error_on_stdin_is_vb000(work, monkeypatch):
    import vibespec.app.lintrun as lintrun

    monkeypatch.setattr(lintrun, "lint_bytes", lambda *a, **k: 1 / 0)
    r = CliRunner().invoke(cli, ["lint", "-", "--format", "json", "--stdin-filename", "x.viber.yaml"],
                           input=GOOD.format(n=1))
    assert r.exit_code == 2, r.output
    assert [(d["code"], d["file"]) for d in json.loads(r.stdout)] == [("VB000", "x.viber.yaml")]


def test_internal_error_is_not_cached(work, monkeypatch):
    import vibespec.app.lintrun as lintrun

    _specs(work / "specs", 1)
    real = lintrun.lint_bytes
    monkeypatch.setattr(lintrun, "lint_bytes", lambda *a, **k: 1 / 0)
    assert CliRunner().invoke(cli, ["lint", "specs"]).exit_code == 2
    monkeypatch.setattr(lintrun, "lint_bytes", real)
    r = CliRunner().invoke(cli, ["lint", "specs"])
    assert r.exit_code == 0, r.output
    assert "All checks passed: 1 file" in r.stdout


@pytest.mark.parametrize("cmd", ["inbound", "reports"])
@pytest.mark.parametrize("fmt", ["concise", "json"])
def test_wire_commands_report_unreadable_files(work, cmd, fmt):
    (work / "ok.json").write_text('{"results": []}')
    gone = _dangling(work, "gone.json")
    r = CliRunner().invoke(cli, [cmd, "ok.json", str(gone), "--format", fmt])
    assert r.exit_code == 2, r.output
    assert "All checks passed" not in r.stdout
    if fmt == "json":
        assert ("VB009", str(gone)) in [(d["code"], d["file"]) for d in json.loads(r.stdout)]
    else:
        assert f"Could not check 1 of 2 files: {gone} (cannot read)" in r.stdout
    # -q leaves the summary line out, never the failure: it is a diagnostic, and the exit is 2
    r = CliRunner().invoke(cli, [cmd, "ok.json", str(gone), "--format", fmt, "--quiet"])
    assert r.exit_code == 2 and "VB009" in r.stdout and "All checks passed" not in r.stdout


# --------------------------------------------------------------------------- signals

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(d))
    return out


def _group_alive(pgid: int) -> list[int]:
    """Processes (not zombies) still in process group ``pgid``."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(d))
    return out


def _wait_for(cond, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


def _blocked_reading(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/wchan") as f:
            return "pipe" in f.read()
    except OSError:
        return False


@pytest.fixture(scope="module")
def many_specs(tmp_path_factory):
    """Enough specs that `lint -j 2` runs for seconds (so a signal finds it mid-run)."""
    folder = tmp_path_factory.mktemp("many")
    (folder / "vibespec.toml").write_text("")
    _specs(folder / "specs", 3000)
    return folder


def _start_lint_j2(folder: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(CLI + ["lint", "-j", "2", "--no-cache", "--format", "concise", "specs"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kw)


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_sigterm_to_lint_j2_stops_the_workers_and_exits_143(many_specs, delay):
    p = _start_lint_j2(many_specs)
    try:
        assert _wait_for(lambda: len(_children(p.pid)) >= 2 or p.poll() is not None), "no workers started"
        workers = _children(p.pid)
        assert p.poll() is None and len(workers) >= 2, "finished before the signal: make the corpus bigger"
        time.sleep(delay)
        os.kill(p.pid, signal.SIGTERM)
        out, err = p.communicate(timeout=30)  # hung here before: the orphaned workers held the pipes open
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert p.returncode == 143, err.decode()
    assert b"Traceback" not in err and b"ignored" not in err, err.decode()
    assert err.decode().strip().splitlines()[-1] == "vibespec: terminated"
    time.sleep(0.2)
    assert not [w for w in workers if os.path.exists(f"/proc/{w}") and w in _group_alive(p.pid)]
    assert not _group_alive(p.pid)


@pytest.mark.slow
@linux_only
def test_ctrl_c_on_lint_j2_process_group_exits_130_without_tracebacks(many_specs):
    """A terminal sends Ctrl-C to the whole process group: the workers must not print
    tracebacks, the parent stops them and exits 130."""
    p = _start_lint_j2(many_specs)
    try:
        assert _wait_for(lambda: len(_children(p.pid)) >= 2 or p.poll() is not None)
        assert p.poll() is None, "finished before the signal"
        time.sleep(0.2)
        os.killpg(p.pid, signal.SIGINT)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert p.returncode == 130, err.decode()
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()
    time.sleep(0.2)
    assert not _group_alive(p.pid)


STDIN_COMMANDS = [["lint", "-"], ["check", "-"], ["compile", "-"], ["inbound", "-"], ["reports", "-"],
                  ["import", "-"], ["plan", "-"], ["trace", "-", "/messages/0"]]


def _signal_while_reading_stdin(cmd: list[str], sig: int, cwd: Path, **kw) -> subprocess.Popen:
    p = subprocess.Popen(CLI + cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, **kw)
    if not _wait_for(lambda: _blocked_reading(p.pid) or p.poll() is not None, 10):
        time.sleep(1)  # no wchan on this kernel: give it time to reach the read
    assert p.poll() is None, p.communicate()
    os.kill(p.pid, sig)
    return p


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("cmd", STDIN_COMMANDS, ids=lambda c: c[0])
def test_ctrl_c_exits_130_in_every_command(work, cmd):
    p = _signal_while_reading_stdin(cmd, signal.SIGINT, work)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130, (cmd, p.returncode, err.decode())
    assert b"Traceback" not in err and b"Aborted" not in err, err.decode()
    assert err.decode().strip() == "vibespec: interrupted"


@linux_only
@pytest.mark.parametrize("cmd", [["lint", "-"], ["reports", "-"], ["compile", "-"]], ids=lambda c: c[0])
def test_sigterm_exits_143(work, cmd):
    p = _signal_while_reading_stdin(cmd, signal.SIGTERM, work)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 143, (cmd, err.decode())
    assert err.decode().strip() == "vibespec: terminated"


@linux_only
def test_an_ignored_sigint_stays_ignored(work):
    """`vibespec lint - &` from a script: the shell ignores SIGINT for it, and so do we."""
    p = _signal_while_reading_stdin(["lint", "-", "--stdin-filename", "x.viber.yaml"], signal.SIGINT, work,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    out, err = p.communicate(GOOD.format(n=1).encode(), timeout=30)
    assert p.returncode == 0, err.decode()
    assert b"All checks passed" in out


@pytest.mark.parametrize("jobs", ["0", "-1", "-8"])
def test_jobs_below_one_is_a_usage_error(work, jobs):
    _specs(work / "specs", 1)
    r = CliRunner().invoke(cli, ["lint", "specs", "-j", jobs])
    assert r.exit_code == 2
    assert "Invalid value for '-j'" in r.output


def test_jobs_is_capped_at_cores_and_files(work, monkeypatch):
    import vibespec.app.lintrun as lintrun

    seen = []
    monkeypatch.setattr(lintrun, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(lintrun, "_parallel", lambda args, workers, bar: seen.append(workers) or
                        [lintrun._work(a) for a in args])
    monkeypatch.setattr(lintrun, "cpu_count", lambda: 3)
    _specs(work / "specs", 5)
    for jobs, want in (("64", 3), ("2", 2)):
        r = CliRunner().invoke(cli, ["lint", "specs", "--no-cache", "-j", jobs])
        assert r.exit_code == 0, r.output
        assert seen.pop() == want
    monkeypatch.setattr(lintrun, "cpu_count", lambda: 16)
    r = CliRunner().invoke(cli, ["lint", "specs", "--no-cache", "-j", "64"])
    assert r.exit_code == 0 and seen.pop() == 5
    with pytest.raises(ValueError):
        lintrun.run_lint(["x"], None, jobs=0)


# --------------------------------------------------------------------------- compile --out-dir and writes


def _compile(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + ["compile", *args], cwd=cwd, capture_output=True, timeout=60)


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".vibespec-") or n.endswith(".tmp"))


@pytest.mark.slow
@pytest.mark.parametrize("names", [("de/promo.viber.yaml", "fr/promo.viber.yaml"),
                                   ("promo.viber.yaml", "promo.viber.toml"),
                                   ("Promo.viber.yaml", "x/promo.viber.yml")])
def test_out_dir_refuses_two_specs_with_one_output_name(work, names):
    toml = 'vibespec = 1\n[defaults]\nsender = "Bot"\n[[messages]]\nto = "u1"\ntext = "Hi"\n'
    for i, n in enumerate(names):
        (work / n).parent.mkdir(parents=True, exist_ok=True)
        (work / n).write_text(toml if n.endswith(".toml") else GOOD.format(n=i))
    out = work / "out"
    out.mkdir()
    (out / "promo.json").write_text("earlier\n")
    for check in ([], ["--check"]):
        p = _compile(["--out-dir", "out", *names, *check], work)
        err = p.stderr.decode()
        assert p.returncode == 2, err
        assert len(err.strip().splitlines()) == 1, err
        assert f"{names[0]} and {names[1]} would both be written to " in err
        assert os.listdir(out) == ["promo.json"] and (out / "promo.json").read_text() == "earlier\n"


def test_the_same_spec_named_twice_is_compiled_once(work):
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    p = _compile(["--out-dir", "out", "a.viber.yaml", "./a.viber.yaml"], work)
    assert p.returncode == 0, p.stderr
    assert os.listdir(work / "out") == ["a.json"]


@pytest.mark.skipif(not (os.path.exists("/dev/full") and not os.path.isfile("/dev/full")), reason="no /dev/full")
def test_disk_full_is_one_line_and_the_device_is_not_replaced():
    """-o /dev/full: every write fails with ENOSPC. Before, the body went to a temporary
    file in /dev that was then renamed over /dev/full (as root: the device was gone)."""
    import stat

    spec = Path(__file__).parent.parent / "examples" / "keyboard.viber.yaml"
    p = _compile([str(spec), "-o", "/dev/full"], Path(__file__).parent)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert err == "vibespec: cannot write /dev/full: No space left on device (no output file was changed)\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert not [n for n in os.listdir("/dev") if n.startswith(".vibespec-")]


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="no /dev/stdout link")
def test_dash_o_dev_stdout_writes_to_stdout(work):
    """-o /dev/stdout (a link to a pipe here) is written through, not replaced by a file."""
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    p = subprocess.run(CLI + ["compile", "a.viber.yaml", "-o", "/dev/stdout"], cwd=work, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["messages"][0]["content"]["text"] == "Hello 1"
    assert os.path.islink("/dev/stdout")


def test_dash_o_through_a_link_keeps_the_link(work):
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    (work / "real.json").write_text("old")
    os.symlink("real.json", work / "link.json")
    assert _compile(["a.viber.yaml", "-o", "link.json"], work).returncode == 0
    assert os.readlink(work / "link.json") == "real.json"
    assert json.loads((work / "real.json").read_text())["messages"][0]["content"]["text"] == "Hello 1"


def _mount_tmpfs(path: Path, options: str) -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.fixture
def tiny_fs(tmp_path):
    """A 16 KiB file system (root on Linux only): a real 'No space left on device'."""
    mnt = tmp_path / "tiny"
    if not _mount_tmpfs(mnt, "size=16k"):
        pytest.skip("needs root to mount a tmpfs")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _big_spec(path: Path, n: int = 3000) -> None:
    path.write_text("vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - text: Hi\n    to: ["
                    + ", ".join(f"user-{i:05d}" for i in range(n)) + "]\n")


def test_out_dir_disk_full_writes_nothing(work, tiny_fs):
    """The first body fits, the second does not: neither is written (they used to be
    written one by one, so the first was replaced and the second missing)."""
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    _big_spec(work / "b.viber.yaml")
    (tiny_fs / "a.json").write_text("earlier a\n")
    p = _compile(["--out-dir", str(tiny_fs), "a.viber.yaml", "b.viber.yaml"], work)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert err == f"vibespec: cannot write {tiny_fs}/b.json: No space left on device (no output file was changed)\n"
    assert sorted(os.listdir(tiny_fs)) == ["a.json"]
    assert (tiny_fs / "a.json").read_text() == "earlier a\n"


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder no file can be created in: a read-only tmpfs as root, else mode 0555."""
    ro = tmp_path / "ro"
    if os.geteuid() == 0:
        if not _mount_tmpfs(ro, "size=64k,ro"):
            pytest.skip("root, and no read-only file system to mount")
        yield ro, "Read-only file system"
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    else:
        ro.mkdir()
        ro.chmod(0o555)
        yield ro, "Permission denied"
        ro.chmod(0o755)


@pytest.mark.slow
def test_read_only_output_is_one_line(work, read_only_dir):
    folder, reason = read_only_dir
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    for args in (["-o", str(folder / "a.json")], ["--out-dir", str(folder)]):
        p = _compile(["a.viber.yaml", *args], work)
        assert p.returncode == 2
        assert p.stderr.decode() == f"vibespec: cannot write {folder}/a.json: {reason} (no output file was changed)\n"


def test_out_dir_below_a_file_is_one_line(work):
    (work / "a.viber.yaml").write_text(GOOD.format(n=1))
    (work / "plain").write_text("x")
    p = _compile(["a.viber.yaml", "--out-dir", "plain/sub"], work)
    assert p.returncode == 2
    assert p.stderr.decode() == "vibespec: cannot write plain/sub/a.json: Not a directory (no output file was changed)\n"


KILLED_WRITER = """
import sys, time
from vibespec.files import write_atomic

def slow(f):
    f.write("half a body")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)

write_atomic(sys.argv[1], slow)
"""


def _killed_writer(target: Path, kill: bool = True) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE)
    assert p.stdout.readline() == b"writing\n"
    assert _leftovers(target.parent), "the writer made no temporary file"
    if kill:
        p.kill()
        p.wait()
    return p


@pytest.mark.slow
@pytest.mark.parametrize("how", ["-o", "--out-dir", "--out-dir, a spec fails"])
def test_a_killed_write_leaves_no_temporary_file_next_time(work, how):
    out = work / "out"
    out.mkdir()
    _killed_writer(out / "a.json")
    (work / "a.viber.yaml").write_text(GOOD.format(n=1) if "fails" not in how else "vibespec: 1\nmessages: 3\n")
    args = ["-o", "out/a.json"] if how == "-o" else ["--out-dir", "out"]
    p = _compile(["a.viber.yaml", *args], work)
    assert p.returncode == (1 if "fails" in how else 0), p.stderr
    assert _leftovers(out) == []


def test_a_running_writers_temporary_file_is_kept(work):
    out = work / "out"
    out.mkdir()
    writer = _killed_writer(out / "slow.json", kill=False)
    try:
        (work / "a.viber.yaml").write_text(GOOD.format(n=1))
        assert _compile(["a.viber.yaml", "--out-dir", "out"], work).returncode == 0
        assert len(_leftovers(out)) == 1  # still being written by a live process
    finally:
        writer.kill()
        writer.wait()


def test_sigterm_during_a_write_removes_the_temporary_file(work):
    out = work / "out"
    out.mkdir()
    script = "import signal, sys; signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))\n" + KILLED_WRITER
    p = subprocess.Popen([sys.executable, "-c", script, str(out / "a.json")], stdout=subprocess.PIPE)
    assert p.stdout.readline() == b"writing\n"
    p.terminate()
    assert p.wait(timeout=30) == 143
    assert _leftovers(out) == [] and not (out / "a.json").exists()


def test_write_all_atomic_puts_back_what_it_replaced_when_a_rename_fails(tmp_path):
    """A rename that fails after others succeeded (here: a folder appears where the last
    body goes, after the checks) undoes the earlier renames."""
    from vibespec.files import WriteError, write_all_atomic

    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    a.write_text("old a")

    def sneaky(f):
        f.write("new c")
        c.mkdir()
        (c / "keep").write_text("x")

    with pytest.raises(WriteError) as e:
        write_all_atomic([(str(a), "new a"), (str(b), "new b"), (str(c), sneaky)])
    assert str(e.value).startswith(f"cannot write {c}: ")
    assert a.read_text() == "old a" and not b.exists() and (c / "keep").read_text() == "x"
    assert _leftovers(tmp_path) == []
    write_all_atomic([(str(a), "new a"), (str(b), "new b")])
    assert a.read_text() == "new a" and b.read_text() == "new b" and _leftovers(tmp_path) == []


# --------------------------------------------------------------------------- library


def test_validate_payload_on_a_dict_that_contains_itself_returns_a_diagnostic():
    body = {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}], "content": {"type": "TEXT"}}]}
    body["messages"][0]["content"]["text"] = body["messages"][0]
    diags = vibespec.validate_payload(body)
    assert [(d.code, d.pointer) for d in diags] == [("VB102", "/messages/0/content/text")]
    assert "refers back to /messages/0" in diags[0].message
    loop: dict = {}
    loop["x"] = loop
    assert [(d.code, d.pointer) for d in vibespec.validate_payload(loop)] == [("VB102", "/x")]
    items: list = []
    items.append(items)
    assert [d.code for d in vibespec.validate_payload({"messages": items})] == ["VB102"]


def test_validate_payload_on_a_very_deep_dict_is_the_depth_limit():
    deep: dict = {}
    node = deep
    for _ in range(50_000):
        node["a"] = {}
        node = node["a"]
    diags = vibespec.validate_payload(deep)
    assert [d.code for d in diags] == ["VB007"]
    assert diags[0].pointer == "/a" * 200
    shared = {"to": "u1"}  # the same object twice is not a cycle
    body = {"messages": [{"sender": "Bot", "destinations": [shared, shared], "content": {"type": "TEXT", "text": "Hi"}}]}
    assert "VB102" not in [d.code for d in vibespec.validate_payload(body)]


def test_lint_on_a_path_that_cannot_be_read_returns_vb009(tmp_path, monkeypatch):
    """Documented (README, Library): lint reports an unreadable path as a diagnostic;
    compile raises OSError."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    for source, name in (("missing.viber.yaml", "missing.viber.yaml"), (tmp_path / "nope", str(tmp_path / "nope")),
                         ("folder", "folder")):
        diags = vibespec.lint(source)
        assert [(d.code, d.file) for d in diags] == [("VB009", name)], source
    assert [d.file for d in vibespec.lint("missing.viber.yaml", filename="shown.yaml")] == ["shown.yaml"]
    with pytest.raises(FileNotFoundError):
        vibespec.compile("missing.viber.yaml")
    with pytest.raises(IsADirectoryError):
        vibespec.compile("folder")
