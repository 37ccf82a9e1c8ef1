"""Hostile input: nothing crashes, nothing runs, nothing is lost.

Every fixture in ``tests/hostile/files/`` (small, committed) and every generated one (big,
made at test time in a temporary folder: deep nesting, huge numbers, a 64 MiB file, a
10 MB line, binary garbage, a symlink to /dev/zero, a directory) goes through every
command -- ``lint``, ``compile`` (to stdout, ``-o`` and ``--out-dir``), ``check``,
``inbound``, ``reports`` -- as a real subprocess with a 20 s timeout and a 2 GiB
address-space limit. Each must exit 1 or 2 with a message, never print a traceback or an
"internal error", and never run anything (tags that would ``touch`` a marker file).

The library is held to the same contract in-process: ``vibespec.compile`` raises only
``VibespecError``; ``lint``, ``validate_payload``, ``inbound.validate`` and
``reports.validate`` return diagnostics; ``inbound.parse`` / ``reports.parse`` raise only
``VibespecError``.

To keep the folder fast, commands run on groups of files (one process per group and
command, two processes at a time) and ``compile -o`` runs alone on a sample of fixtures.
Set ``VIBESPEC_HOSTILE_FULL=1`` to run every fixture alone through every command.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import vibespec
from vibespec import api, inbound, reports
from vibespec.diagnostics import Diagnostic, Severity, VibespecError

HERE = Path(__file__).parent
FILES = HERE / "files"
MARKER = Path("/tmp/vibespec-hostile-PWNED")  # the committed tag fixtures would touch this
TIMEOUT = 20.0
MEMORY = 2 * 1024**3
FULL = os.environ.get("VIBESPEC_HOSTILE_FULL") == "1"

if (Path(vibespec.__file__).parent / "__main__.py").exists():
    CLI = [sys.executable, "-m", "vibespec"]
else:  # pragma: no cover - before vibespec/__main__.py existed
    CLI = [sys.executable, "-c", "from vibespec.cli.app import main; main()"]

COMMANDS = ("lint", "compile", "check", "inbound", "reports")
MiB = 1024 * 1024


# --------------------------------------------------------------------------- generated fixtures


def _deep(open_: bytes, close: bytes, n: int, inner: bytes = b"1", closed: bool = True) -> bytes:
    return open_ * n + inner + (close * n if closed else b"")


def _body_with(value: bytes) -> bytes:
    return (b'{"messages": [{"sender": "B", "destinations": [{"to": "u"}], '
            b'"content": {"type": "STICKER", "stickerId": ' + value + b"}}]}")


def _quadratic_string() -> bytes:
    big = b"a" * 100_000
    out = [b"vibespec: 1", b"messages:", b'  - {to: u0, sender: Bot, text: &big "' + big + b'"}']
    out += [b"  - {to: u%d, sender: Bot, text: *big}" % i for i in range(1, 3000)]
    return b"\n".join(out) + b"\nbogus_key: 1\n"


def _quadratic_list() -> bytes:
    items = b", ".join(b"x%d" % i for i in range(5000))
    out = [b"vibespec: 1", b"big: &big [" + items + b"]", b"refs:"]
    out += [b"  - *big"] * 5000
    return b"\n".join(out) + b"\nmessages: []\n"


def _deep_block_map(n: int) -> bytes:
    lines = [b"vibespec: 1", b"x:"]
    for i in range(1, n + 1):
        lines.append(b" " * i + b"k:")
    lines.append(b" " * (n + 1) + b"v")
    return b"\n".join(lines) + b"\nmessages: []\n"


def _long_line(n: int) -> bytes:
    # structurally wrong (unknown key) so that compile fails too, with one 10 MB line
    return (b"vibespec: 1\nmessages:\n  - to: u1\n    sender: Bot\n    text: hi\nnote: "
            + b"a" * n + b"\n")


GENERATED: dict[str, object] = {
    # deep nesting (the recursion limit is ~1000: 20,000 must be refused cleanly)
    "deep_flow_seq_20k.viber.yaml": lambda: b"vibespec: 1\nx: " + _deep(b"[", b"]", 20_000) + b"\nmessages: []\n",
    "deep_flow_seq_unclosed_20k.viber.yaml": lambda: b"vibespec: 1\nx: " + _deep(b"[", b"]", 20_000, closed=False),
    "deep_flow_map_20k.viber.yaml": lambda: b"vibespec: 1\nx: " + _deep(b"{a: ", b"}", 20_000) + b"\nmessages: []\n",
    "deep_flow_mixed_20k.viber.yaml": lambda: b"vibespec: 1\nx: " + _deep(b"[{a: ", b"}]", 10_000) + b"\n",
    "deep_block_seq_20k.viber.yaml": lambda: b"vibespec: 1\nx:\n" + b"- " * 20_000 + b"x\nmessages: []\n",
    "deep_block_map_2k.viber.yaml": lambda: _deep_block_map(2_000),
    # 100k unclosed brackets followed by a flow mapping with an unquoted time (quoting fixer path)
    "deep_flow_colon_100k.viber.yaml": lambda: b"vibespec: 1\nx: " + b"[" * 100_000 + b"\ny: {from: 08:00}\n",
    "deep_flow_seq_100k.viber.yaml": lambda: b"vibespec: 1\nx: " + _deep(b"[", b"]", 100_000) + b"\n",
    "deep_json_arrays_20k.json": lambda: b'{"messages": ' + _deep(b"[", b"]", 20_000) + b"}",
    "deep_json_objects_20k.json": lambda: b'{"messages": ' + _deep(b'{"a":', b"}", 20_000) + b"}",
    "deep_json_arrays_100k.json": lambda: b'{"results": ' + _deep(b"[", b"]", 100_000) + b"}",
    "deep_json_root_arrays_100k.json": lambda: _deep(b"[", b"]", 100_000, b""),
    "deep_json_unclosed_100k.json": lambda: b'{"messages": ' + b"[" * 100_000,
    "deep_toml_inline_20k.viber.toml": lambda: b"vibespec = 1\nx = " + _deep(b"{a = ", b"}", 20_000) + b"\n",
    "deep_toml_arrays_20k.viber.toml": lambda: b"vibespec = 1\nx = " + _deep(b"[", b"]", 20_000) + b"\n",
    "deep_toml_table_header_20k.viber.toml": lambda: b"vibespec = 1\n[" + b".".join([b"a"] * 20_000) + b"]\nx = 1\n",
    "deep_toml_dotted_key_20k.viber.toml": lambda: b"vibespec = 1\n" + b".".join([b"a"] * 20_000) + b" = 1\n",
    "deep_xml_100k.xml": lambda: b"<DeliveryReportResponse><results>" + b"<a>" * 100_000 + b"</a>" * 100_000
    + b"</results></DeliveryReportResponse>",
    # numbers
    "number_100k_digits.viber.yaml": lambda: b"vibespec: " + b"9" * 100_000 + b"\nmessages: []\n",
    "number_100k_digits_quoted_int_tag.viber.yaml": lambda: b"vibespec: !!int '" + b"9" * 100_000 + b"'\nmessages: []\n",
    "number_100k_digits.json": lambda: _body_with(b"9" * 100_000),
    "number_100k_fraction.json": lambda: _body_with(b"0." + b"0" * 100_000 + b"1"),
    "number_100k_exponent.json": lambda: _body_with(b"1e" + b"9" * 100_000),
    "number_100k_digits.viber.toml": lambda: b"vibespec = " + b"9" * 100_000 + b"\n",
    "number_100k_digits_inbound.json": lambda: b'{"results": [], "messageCount": ' + b"9" * 100_000 + b"}",
    # alias blow-ups
    "quadratic_blowup_string.viber.yaml": _quadratic_string,
    "quadratic_blowup_list.viber.yaml": _quadratic_list,
    # binary
    "binary_garbage.viber.yaml": lambda: random.Random(7).randbytes(65_536),
    "binary_garbage.viber.toml": lambda: random.Random(8).randbytes(65_536),
    "binary_garbage.json": lambda: random.Random(9).randbytes(65_536),
    "binary_garbage.xml": lambda: b"<" + random.Random(10).randbytes(65_536),
    # size
    "long_line_10mb.viber.yaml": lambda: _long_line(10_000_000),
    "over_size_limit.viber.yaml": lambda: b"vibespec: 1\n#" + b"a" * (64 * MiB),
    "over_size_limit.json": lambda: b'{"messages": "' + b"a" * (64 * MiB) + b'"}',
    # specials (made by _make)
    "dev_zero.viber.yaml": "symlink:/dev/zero",
    "dev_zero.json": "symlink:/dev/zero",
    "directory.viber.yaml": "dir",
    "directory.json": "dir",
    "dangling_symlink.viber.yaml": "symlink:/nonexistent/vibespec-hostile",
}
# Commands for which a fixture is not an error by design (still: no crash, no traceback).
# Request bodies are not webhook bodies: inbound/reports report their unknown fields as info.
_BODIES = {"escaped_surrogate.json", "float_exponent.json", "negative_exponent.json", "odd_keys.json",
           "wrong_content_type.json", "wrong_types.json", "wrong_types_deep.json"}
LENIENT: dict[str, set[str]] = {
    "inbound": _BODIES,
    "reports": _BODIES | {"xml_empty_root.xml"},
    "lint": set(),
    "check": set(),
    "compile": set(),
}
SPECIAL = {n for n, v in GENERATED.items() if isinstance(v, str)}
BIG = {"over_size_limit.viber.yaml", "over_size_limit.json", "long_line_10mb.viber.yaml"}


def _make(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name, how in GENERATED.items():
        p = folder / name
        if how == "dir":
            p.mkdir()
        elif isinstance(how, str) and how.startswith("symlink:"):
            try:
                os.symlink(how.split(":", 1)[1], p)
            except OSError:  # pragma: no cover - e.g. no symlinks on this system
                continue
        else:
            p.write_bytes(how())  # type: ignore[operator]
        out[name] = p
    # a tag that would touch a marker inside this test's own folder
    marker = folder / "PWNED"
    (folder / "tag_touch_here.viber.yaml").write_text(
        f'vibespec: 1\nmessages:\n  - to: u1\n    text: !!python/object/apply:os.system ["touch {marker}"]\n')
    (folder / "tag_subprocess_here.viber.yaml").write_text(
        f'vibespec: 1\nx: !!python/object/apply:subprocess.check_call [["touch", "{marker}"]]\nmessages: []\n')
    out["tag_touch_here.viber.yaml"] = folder / "tag_touch_here.viber.yaml"
    out["tag_subprocess_here.viber.yaml"] = folder / "tag_subprocess_here.viber.yaml"
    return out


STATIC = sorted(p.name for p in FILES.iterdir() if p.is_file() and not p.name.startswith((".", "README")))


@pytest.fixture(scope="module")
def gen(tmp_path_factory) -> dict[str, Path]:
    return _make(tmp_path_factory.mktemp("hostile-gen"))


@pytest.fixture(scope="module")
def fixtures(gen) -> dict[str, Path]:
    allf = {n: FILES / n for n in STATIC}
    allf.update(gen)
    return allf


@pytest.fixture(autouse=True)
def _no_marker():
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a YAML tag ran code: the marker file was created"


# --------------------------------------------------------------------------- running the CLI


def _limit() -> None:  # pragma: no cover - runs in the child
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    except (ValueError, OSError):
        pass


def run(args: list[str], cwd: Path, timeout: float = TIMEOUT, stdin: bytes | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VIBESPEC_"))}
    env["NO_COLOR"] = "1"
    env["PYTHONFAULTHANDLER"] = ""
    t = time.monotonic()
    try:
        p = subprocess.run(CLI + args, cwd=cwd, input=stdin if stdin is not None else b"", capture_output=True,
                           timeout=timeout, preexec_fn=_limit, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"vibespec {' '.join(args[:3])}... did not finish in {timeout:.0f} s")
    p.elapsed = time.monotonic() - t  # type: ignore[attr-defined]
    return p


def assert_clean_failure(p, what: str) -> str:
    """Exit 1 or 2, a message, no traceback, no internal error. Returns the output."""
    out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out, f"{what}: traceback\n{out[out.find('Traceback'):][:3000]}"
    bad = [ln for ln in out.splitlines() if "internal error" in ln.lower()]
    assert not bad, f"{what}: internal error\n" + "\n".join(ln[:300] for ln in bad)
    assert p.returncode in (1, 2), f"{what}: exit {p.returncode}\n{out[-1500:]}"
    assert out.strip(), f"{what}: exit {p.returncode} without a message"
    return out


def _groups(fixtures: dict[str, Path]) -> list[list[str]]:
    """Fixture names in groups: specials and big files alone, other generated ones by 6,
    the small committed ones by 45."""
    names = sorted(fixtures)
    alone = [n for n in names if n in SPECIAL or n in BIG]
    gen = [n for n in names if n in GENERATED and n not in alone]
    rest = [n for n in names if n not in alone and n not in gen]
    return ([[n] for n in alone] + [gen[i:i + 6] for i in range(0, len(gen), 6)]
            + [rest[i:i + 45] for i in range(0, len(rest), 45)])


def _cfg_dir(tmp_path: Path) -> Path:
    """A working folder whose vibespec.toml stops the config search (defaults only)."""
    d = tmp_path / "work"
    d.mkdir(exist_ok=True)
    (d / "vibespec.toml").write_text("# defaults\n")
    return d


def _check_group(cmd: str, names: list[str], fixtures: dict[str, Path], work: Path) -> list[str]:
    """Run one command on a group; return a list of problems (empty when fine)."""
    paths = [str(fixtures[n]) for n in names]
    problems: list[str] = []
    if cmd in ("lint", "check"):
        args = [cmd, "--format", "json", "--no-cache", *paths] if cmd == "lint" else [cmd, "--format", "json", *paths]
    elif cmd in ("inbound", "reports"):
        args = [cmd, "--format", "json", *paths]
    else:
        out_dir = work / f"out-{names[0]}"
        args = ["compile", "--out-dir", str(out_dir), *paths]
    try:
        p = run(args, work, timeout=TIMEOUT if len(names) == 1 else 2 * TIMEOUT)
    except pytest.fail.Exception as e:
        return [f"{cmd} {names}: {e}"]
    if len(names) == 1 and names[0] in LENIENT[cmd] and p.returncode == 0:
        p.returncode = 1  # allowed to pass; the other checks still apply
    try:
        out = assert_clean_failure(p, f"{cmd} on {names if len(names) < 4 else str(len(names)) + ' files'}")
    except AssertionError as e:
        return [str(e)]
    if cmd == "compile":
        if out_dir.exists() and any(out_dir.iterdir()):
            problems.append(f"compile --out-dir wrote {sorted(os.listdir(out_dir))} although specs failed")
        if len(names) > 1 or p.returncode == 1:
            err = p.stderr.decode("utf-8", "replace")
            for n, path in zip(names, paths):
                if path not in err and p.returncode == 1:
                    problems.append(f"compile --out-dir: no error reported for {n}")
        return problems
    # per-file: an error diagnostic, or a message naming the file on stderr
    try:
        diags = json.loads(p.stdout.decode("utf-8") or "[]")
    except ValueError:
        return [f"{cmd}: --format json printed no JSON:\n{out[-2000:]}"]
    err = p.stderr.decode("utf-8", "replace")
    for n, path in zip(names, paths):
        mine = [d for d in diags if d.get("file") == path and d.get("severity") == "error"]
        if not mine and path not in err and len(names) > 1 and n not in LENIENT[cmd]:
            problems.append(f"{cmd}: no error for {n}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_fixture_through_command(cmd, fixtures, tmp_path, gen):
    work = _cfg_dir(tmp_path)
    groups = [[n] for n in sorted(fixtures)] if FULL else _groups(fixtures)
    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(lambda g: _check_group(cmd, g, fixtures, work), groups))
    problems = [p for r in results for p in r]
    assert not (gen["tag_touch_here.viber.yaml"].parent / "PWNED").exists(), "a YAML tag ran code"
    assert not problems, "\n".join(problems)


SAMPLE_O = [
    "billion_laughs.viber.yaml", "tag_python_apply.viber.yaml", "tag_custom_ref.viber.yaml", "latin1.viber.yaml",
    "utf16_bom.viber.yaml", "empty.viber.yaml", "root_list.viber.yaml", "duplicate_keys.viber.yaml",
    "toml_syntax_error.viber.toml", "version_99.viber.yaml", "version_string.viber.yaml", "wrong_types.viber.yaml",
    "multi_document.viber.yaml", "png_header.viber.yaml", "deep_flow_seq_20k.viber.yaml",
    "deep_toml_inline_20k.viber.toml", "number_100k_digits.viber.yaml", "dev_zero.viber.yaml",
    "directory.viber.yaml", "null_content_image.viber.yaml", "quadratic_blowup_list.viber.yaml",
    "long_line_10mb.viber.yaml",
]


@pytest.mark.slow
def test_compile_dash_o(fixtures, tmp_path):
    """``compile SPEC -o out.json`` alone: fails cleanly, leaves the old output byte-identical."""
    work = _cfg_dir(tmp_path)
    names = sorted(fixtures) if FULL else [n for n in SAMPLE_O if n in fixtures]
    old = b'{"previous": "output"}\n'

    def one(n: str) -> list[str]:
        target = work / f"o-{n}.json"
        target.write_bytes(old)
        try:
            p = run(["compile", str(fixtures[n]), "-o", str(target)], work)
            assert_clean_failure(p, f"compile -o on {n}")
        except (AssertionError, pytest.fail.Exception) as e:
            return [str(e)]
        if target.read_bytes() != old:
            return [f"compile -o on {n}: the existing output was changed"]
        return []

    with ThreadPoolExecutor(max_workers=2) as ex:
        problems = [p for r in ex.map(one, names) for p in r]
    leftovers = [f for f in os.listdir(work) if f.endswith(".tmp") or f.startswith(".vibespec-")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_compile_stdout_each(fixtures, tmp_path):
    """``compile SPEC`` (to stdout) on a sample, one process each."""
    work = _cfg_dir(tmp_path)
    names = [n for n in SAMPLE_O if n in fixtures][::2]

    def one(n: str) -> list[str]:
        try:
            p = run(["compile", str(fixtures[n])], work)
            assert_clean_failure(p, f"compile {n}")
            if p.stdout.strip():
                return [f"compile {n}: printed a body although the spec failed"]
        except (AssertionError, pytest.fail.Exception) as e:
            return [str(e)]
        return []

    with ThreadPoolExecutor(max_workers=2) as ex:
        problems = [p for r in ex.map(one, names) for p in r]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("cmd", ["lint", "compile", "check", "inbound", "reports"])
def test_stdin(cmd, tmp_path):
    """Hostile bytes on stdin ('-')."""
    work = _cfg_dir(tmp_path)
    data = (FILES / "billion_laughs.viber.yaml").read_bytes() + b"\n" + random.Random(3).randbytes(512)
    p = run([cmd, "-"], work, stdin=data)
    assert_clean_failure(p, f"{cmd} -")


def test_no_tag_runs_code(fixtures, tmp_path):
    """Belt and braces: the tag fixtures through the library and the CLI create no marker."""
    tagged = [n for n in fixtures if n.startswith("tag_")]
    assert len(tagged) >= 8
    for n in tagged:
        diags = api.lint(fixtures[n])
        assert any(d.severity is Severity.ERROR for d in diags), n
        with pytest.raises(VibespecError):
            api.compile(fixtures[n])
    assert not MARKER.exists()
    assert not (fixtures["tag_touch_here.viber.yaml"].parent / "PWNED").exists()


# --------------------------------------------------------------------------- limits can be raised


@pytest.mark.slow
def test_long_line_under_a_raised_and_over_a_lowered_limit(fixtures, tmp_path):
    """The 10 MB line: over a lowered ``max_bytes`` it is VB007; under the (raised) default
    it loads and the unknown key is reported, within the time limit."""
    work = tmp_path / "low"
    work.mkdir()
    (work / "vibespec.toml").write_text("[limits]\nmax_bytes = 1000000\n")
    spec = work / "long.viber.yaml"
    shutil.copy(fixtures["long_line_10mb.viber.yaml"], spec)
    p = run(["lint", "--no-cache", "--format", "json", str(spec)], work)
    assert_clean_failure(p, "lint over a lowered limit")
    assert "VB007" in p.stdout.decode()

    high = tmp_path / "high"
    high.mkdir()
    (high / "vibespec.toml").write_text("[limits]\nmax_bytes = 100000000\n")
    spec2 = high / "long.viber.yaml"
    shutil.copy(fixtures["long_line_10mb.viber.yaml"], spec2)
    p = run(["lint", "--no-cache", "--format", "json", str(spec2)], high)
    out = assert_clean_failure(p, "lint under a raised limit")
    assert "VB007" not in out


def test_raised_alias_limit_lets_a_big_anchor_through(tmp_path):
    """``max_alias_nodes`` is a setting: a spec just over the default passes when raised."""
    items = ", ".join(f"x{i}" for i in range(1000))
    text = "vibespec: 1\nbig: &big [" + items + "]\nrefs: [" + ", ".join(["*big"] * 1001) + "]\nmessages: []\n"
    from vibespec.source import Limits

    with pytest.raises(VibespecError) as e:
        vibespec.source.load(text, "a.viber.yaml")
    assert any(d.code == "VB007" for d in e.value.diagnostics)
    doc = vibespec.source.load(text, "a.viber.yaml", limits=Limits(max_alias_nodes=10_000_000, max_aliases=10_000))
    assert len(doc.data["refs"]) == 1001


def test_billion_laughs_is_fast_and_small():
    import tracemalloc

    data = (FILES / "billion_laughs.viber.yaml").read_bytes()
    tracemalloc.start()
    t = time.process_time()
    diags = api.lint(data, filename="laughs.viber.yaml")
    dt = time.process_time() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert any(d.code == "VB007" for d in diags), diags
    assert dt < 0.5, f"billion laughs took {dt:.2f} s"
    assert peak < 8 * MiB, f"billion laughs peaked at {peak / MiB:.1f} MiB"


# --------------------------------------------------------------------------- the library


def _read(p: Path) -> bytes | None:
    if p.is_dir() or not p.exists():
        return None
    with open(p, "rb") as f:
        return f.read(64 * MiB + 1)


def _library_problems(name: str, path: Path) -> list[str]:
    problems = []

    def call(what, fn, *, may_raise=(VibespecError,), returns_list=False):
        try:
            r = fn()
        except may_raise:
            return
        except BaseException as e:  # noqa: BLE001
            problems.append(f"{what}({name}): {type(e).__name__}: {e}")
            return
        if returns_list and not (isinstance(r, list) and all(isinstance(d, Diagnostic) for d in r)):
            problems.append(f"{what}({name}) returned {type(r).__name__}, not a list of diagnostics")

    is_file = path.is_file()
    path_errors = (VibespecError,) if is_file else (VibespecError, OSError)
    # by path
    call("api.lint", lambda: api.lint(path), may_raise=() if is_file else (OSError,), returns_list=True)
    call("api.compile", lambda: api.compile(path), may_raise=path_errors)
    data = _read(path)
    if data is None:
        return problems
    # by bytes and text
    fn = "x.viber.toml" if name.endswith(".toml") else "x.viber.yaml"
    call("api.lint[bytes]", lambda: api.lint(data, filename=fn), may_raise=(), returns_list=True)
    call("api.compile[bytes]", lambda: api.compile(data, filename=fn))
    text = data.decode("utf-8", "replace")
    if "\n" in text:  # a one-line str could be taken for a path
        call("api.lint[str]", lambda: api.lint(text, filename=fn), may_raise=(), returns_list=True)
    call("api.validate_payload", lambda: api.validate_payload(data), may_raise=(), returns_list=True)
    call("inbound.validate", lambda: inbound.validate(data), may_raise=(), returns_list=True)
    call("inbound.parse", lambda: inbound.parse(data))
    call("reports.validate", lambda: reports.validate(data), may_raise=(), returns_list=True)
    call("reports.parse", lambda: reports.parse(data))
    return problems


# big inputs: one library call each (the subprocess tests cover every command)
HEAVY = {"deep_flow_colon_100k.viber.yaml", "quadratic_blowup_string.viber.yaml", "long_line_10mb.viber.yaml",
         "over_size_limit.viber.yaml", "over_size_limit.json", "deep_flow_seq_100k.viber.yaml", "dev_zero.viber.yaml",
         "dev_zero.json", "deep_block_map_2k.viber.yaml"}


@pytest.mark.slow
def test_library_raises_only_vibespec_error(fixtures):
    problems = []
    slow = []
    for name in sorted(fixtures):
        t = time.process_time()
        if name in HEAVY:
            try:
                r = api.lint(fixtures[name])
                assert isinstance(r, list) and r
            except BaseException as e:  # noqa: BLE001
                problems.append(f"api.lint({name}): {type(e).__name__}: {e}")
        else:
            problems += _library_problems(name, fixtures[name])
        dt = time.process_time() - t
        if dt > TIMEOUT:
            slow.append(f"{name}: {dt:.1f} s of CPU")
    assert not MARKER.exists()
    assert not problems and not slow, "\n".join(problems + slow)


def test_library_errors_carry_positions(fixtures):
    """Where the input has a position (syntax errors, tags, duplicates), the diagnostic says
    file:line:col past line 1."""
    cases = {
        "duplicate_keys.viber.yaml": 5, "tag_python_apply.viber.yaml": 4, "tag_custom_ref.viber.yaml": 5,
        "yaml_syntax_error.viber.yaml": 4, "toml_syntax_error.viber.toml": 2, "duplicate_keys.viber.toml": 2,
        "nul_in_middle.viber.yaml": 4, "latin1.viber.yaml": 2,
    }
    for name, line in cases.items():
        diags = [d for d in api.lint(fixtures[name]) if d.severity is Severity.ERROR]
        assert diags, name
        assert diags[0].file == str(fixtures[name]), name
        assert diags[0].line == line, f"{name}: {diags[0].format_short()}"


def test_version_diagnostics(fixtures):
    for name in ("version_99.viber.yaml", "version_string.viber.yaml", "version_99.viber.toml",
                 "version_string.viber.toml", "version_missing.viber.yaml"):
        diags = [d for d in api.lint(fixtures[name]) if d.severity is Severity.ERROR]
        assert diags, name
        assert any("vibespec" in d.message.lower() or "version" in d.message.lower() for d in diags), (name, diags)


# --------------------------------------------------------------------------- atomic writes

GOOD = "vibespec: 1\ndefaults: {{sender: Bot}}\nmessages:\n  - to: u1\n    text: Hello {n}\n"


def _leftovers(folder: Path) -> list[str]:
    return [f for f in os.listdir(folder) if f.endswith(".tmp") or f.startswith(".vibespec-")]


@pytest.mark.slow
def test_dash_o_failing_spec_leaves_output_byte_identical(tmp_path):
    work = _cfg_dir(tmp_path)
    good = work / "good.viber.yaml"
    good.write_text(GOOD.format(n=1))
    out = work / "out.json"
    p = run(["compile", str(good), "-o", str(out)], work)
    assert p.returncode == 0, p.stderr
    before = out.read_bytes()
    assert json.loads(before)["messages"][0]["content"]["text"] == "Hello 1"
    for bad in ("billion_laughs.viber.yaml", "duplicate_keys.viber.yaml", "toml_syntax_error.viber.toml"):
        p = run(["compile", str(FILES / bad), "-o", str(out)], work)
        assert_clean_failure(p, bad)
        assert out.read_bytes() == before, bad
    assert not _leftovers(work)


def test_dash_o_success_replaces_without_leftovers(tmp_path):
    work = _cfg_dir(tmp_path)
    good = work / "good.viber.yaml"
    out = work / "out.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    good.write_text(GOOD.format(n=2))
    p = run(["compile", str(good), "-o", str(out)], work)
    assert p.returncode == 0, p.stderr
    assert json.loads(out.read_text())["messages"][0]["content"]["text"] == "Hello 2"
    assert not _leftovers(work)


def test_out_dir_one_failing_spec_writes_nothing(tmp_path):
    work = _cfg_dir(tmp_path)
    specs = []
    for i in range(3):
        s = work / f"s{i}.viber.yaml"
        s.write_text(GOOD.format(n=i))
        specs.append(str(s))
    bad = work / "s3.viber.yaml"
    bad.write_bytes((FILES / "tag_python_apply.viber.yaml").read_bytes())
    specs.insert(1, str(bad))
    out_dir = work / "out"
    out_dir.mkdir()
    (out_dir / "s0.json").write_text("earlier s0\n")
    p = run(["compile", "--out-dir", str(out_dir), *specs], work)
    assert_clean_failure(p, "compile --out-dir with a failing spec")
    assert sorted(os.listdir(out_dir)) == ["s0.json"]
    assert (out_dir / "s0.json").read_text() == "earlier s0\n"
    assert not MARKER.exists()
    # and when all compile, all are written, nothing temporary left
    specs.remove(str(bad))
    p = run(["compile", "--out-dir", str(out_dir), *specs], work)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(out_dir)) == ["s0.json", "s1.json", "s2.json"]
    assert not _leftovers(out_dir)


def test_out_dir_unwritable_target_fails_cleanly(tmp_path):
    """A target that cannot be replaced (a directory in the way) is exit 2 with a message,
    no traceback, and no temporary file left; the blocked target is untouched."""
    work = _cfg_dir(tmp_path)
    specs = []
    for i in range(2):
        s = work / f"t{i}.viber.yaml"
        s.write_text(GOOD.format(n=i))
        specs.append(str(s))
    out_dir = work / "out"
    (out_dir / "t1.json").mkdir(parents=True)
    (out_dir / "t1.json" / "keep").write_text("x")
    p = run(["compile", "--out-dir", str(out_dir), *specs], work)
    out = p.stdout.decode() + p.stderr.decode()
    assert p.returncode == 2, out
    assert "Traceback" not in out and out.strip()
    assert (out_dir / "t1.json" / "keep").read_text() == "x"
    assert not _leftovers(out_dir)


SAMPLE_JSON = ["dev_zero.json", "duplicate_keys.json", "empty.json", "escaped_surrogate.json", "json_syntax_error.json",
               "latin1.json", "nan_infinity.json", "nul_in_middle.json", "root_list.json", "root_null.json"]


@pytest.mark.slow
@pytest.mark.parametrize("cmd", ["import", "plan", "trace"])
def test_other_commands_fail_cleanly(cmd, fixtures, tmp_path):
    """``import`` (bodies), ``plan`` and ``trace`` (specs) on hostile files: exit 1 or 2 with a
    message, no traceback, within the time limit."""
    work = _cfg_dir(tmp_path)
    names = SAMPLE_JSON if cmd == "import" else SAMPLE_O
    names = [n for n in names if n in fixtures][::1 if FULL else 2] + ["dev_zero.json" if cmd == "import" else
                                                                      "dev_zero.viber.yaml"]
    extra = ["/messages/0"] if cmd == "trace" else []

    def one(n: str) -> list[str]:
        try:
            p = run([cmd, str(fixtures[n]), *extra], work)
            assert_clean_failure(p, f"{cmd} {n}")
        except (AssertionError, pytest.fail.Exception) as e:
            return [str(e)]
        return []

    with ThreadPoolExecutor(max_workers=2) as ex:
        problems = [p for r in ex.map(one, dict.fromkeys(names)) for p in r]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("cmd", ["lint", "compile", "check", "inbound", "reports", "import", "plan"])
def test_dev_zero_on_stdin(cmd, tmp_path):
    """Endless bytes on stdin ('-'): every command reads at most one byte over the size limit
    and refuses the input (lint, check, import and plan used to read until memory ran out)."""
    work = _cfg_dir(tmp_path)
    with open("/dev/zero", "rb") as zero:
        try:
            p = subprocess.run(CLI + [cmd, "-"], cwd=work, stdin=zero, capture_output=True, timeout=TIMEOUT,
                               preexec_fn=_limit)
        except subprocess.TimeoutExpired:
            pytest.fail(f"vibespec {cmd} - < /dev/zero did not finish in {TIMEOUT:.0f} s")
    assert_clean_failure(p, f"{cmd} - < /dev/zero")
