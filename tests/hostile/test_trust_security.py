"""Trust: a spec proposed in a pull request cannot read what it should not, and nothing it
holds can forge or restyle vibespec's output.

Every test runs the real command as a subprocess (``python -m vibespec``) in a folder made
for it, with a timeout: a spec that makes vibespec hang or run out of memory fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "vibespec"]
NOW = "2026-11-25T12:00:00Z"


def run(args, cwd, timeout=30, stdin=b""):
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["VIBESPEC_CACHE_DIR"] = str(Path(cwd) / ".cache-for-test")
    p = subprocess.run(CLI + list(args), cwd=cwd, input=stdin, capture_output=True, timeout=timeout, env=env)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err + out, err + out
    return p.returncode, out, err


def audience_spec(path: str) -> str:
    return ("vibespec: 1\ndefaults: {sender: Bot}\ntemplates:\n  t:\n    text: \"Hi {{ name }}\"\n"
            f"audience: {json.dumps(path)}\nmessages:\n  - template: t\n    to: audience\n")


@pytest.fixture
def project(tmp_path):
    """A repository (``.git``) holding a spec folder, with a secret file beside it."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "specs").mkdir()
    (repo / "data").mkdir()
    (repo / "data" / "people.csv").write_text("to,name\nu1,Ann\n")
    (tmp_path / "secret.txt").write_text("to,name\nTOP-SECRET-LINE,x\n")
    return repo


# --------------------------------------------------------------------------- 1. audience paths


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github"])
def test_audience_cannot_show_the_environment(project, fmt):
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("/proc/self/environ"))
    code, out, err = run(["lint", "--no-cache", "--format", fmt, str(spec)], project,)
    assert code == 1
    assert "PATH=" not in out and "HOME=" not in out, out
    assert "VB705" in out and "not a regular file inside the project" in out


def test_audience_cannot_climb_out_of_the_project(project):
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("../../secret.txt"))
    code, out, _ = run(["lint", "--no-cache", str(spec)], project)
    assert code == 1
    assert "TOP-SECRET" not in out and "s.viber.yaml:6" in out
    spec.write_text(audience_spec("../../../../../../../../etc/passwd"))
    code, out, _ = run(["lint", "--no-cache", str(spec)], project)
    assert code == 1 and "root:" not in out


@pytest.mark.slow
def test_outside_paths_do_not_say_whether_they_exist(project, tmp_path):
    spec = project / "specs" / "s.viber.yaml"
    answers = []
    for target in (str(tmp_path / "secret.txt"), str(tmp_path / "no-such-file.csv"), "/etc/passwd",
                   "/etc/no-such-file", "/dev/null"):
        spec.write_text(audience_spec(target))
        code, out, _ = run(["lint", "--no-cache", "--format", "concise", str(spec)], project)
        assert code == 1
        answers.append(out.replace(target, "PATH"))
    assert len(set(answers)) == 1, answers
    assert "No such file" not in answers[0]


def test_symlink_out_of_the_project_is_refused(project, tmp_path):
    (project / "specs" / "link.csv").symlink_to(tmp_path / "secret.txt")
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("link.csv"))
    code, out, _ = run(["compile", str(spec), "--now", NOW], project)
    assert code == 1 and "TOP-SECRET" not in out
    code, out, err = run(["lint", "--no-cache", str(spec), "--now", NOW], project)
    assert code == 1 and "TOP-SECRET" not in out and "not a regular file inside the project" in out


@pytest.mark.slow
def test_fifo_audience_does_not_hang(project):
    os.mkfifo(project / "specs" / "people.csv")
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("people.csv"))
    for cmd in (["lint", "--no-cache"], ["compile"], ["plan"]):
        code, out, err = run(cmd + [str(spec), "--now", NOW], project, timeout=20)
        assert code == 1, (cmd, out, err)
        assert "not a regular file" in out + err


def test_huge_sparse_audience_is_refused_without_reading_it(project):
    big = project / "data" / "big.csv"
    with open(big, "wb") as f:
        f.write(b"to,name\n")
        f.truncate(3 * 1024 ** 3)  # 3 GB, sparse: nothing on disk
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("../data/big.csv"))
    code, out, err = run(["lint", "--no-cache", str(spec), "--now", NOW], project, timeout=20)
    assert code == 1 and "larger than" in out and "MemoryError" not in out + err
    assert "s.viber.yaml:6" in out  # reported at the spec's line, not in a frame of the CSV


def test_audiences_inside_the_project_still_work(project):
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("../data/people.csv"))  # the repository is the project
    code, out, err = run(["compile", str(spec), "--now", NOW], project)
    assert code == 0, err
    assert json.loads(out)["messages"][0]["destinations"] == [{"to": "u1"}]


@pytest.mark.slow
def test_read_paths_allows_a_folder_outside_the_project(project, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "all.csv").write_text("to,name\nu9,Zed\n")
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec(str(shared / "all.csv")))
    assert run(["compile", str(spec), "--now", NOW], project)[0] == 1
    (project / "vibespec.toml").write_text('read-paths = ["../shared"]\n')
    code, out, err = run(["compile", str(spec), "--now", NOW], project)
    assert code == 0, err
    assert "u9" in out
    code, out, _ = run(["lint", "--no-cache", str(spec), "--now", NOW], project)
    assert code == 0, out


def test_command_line_audience_is_trusted(project, tmp_path):
    outside = tmp_path / "mine.csv"
    outside.write_text("to,name\nu7,Me\n")
    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec("people.csv"))
    code, out, err = run(["compile", "--audience", str(outside), str(spec), "--now", NOW], project)
    assert code == 0, err
    assert "u7" in out


def test_library_refuses_outside_audiences(project, tmp_path):
    import vibespec

    spec = project / "specs" / "s.viber.yaml"
    spec.write_text(audience_spec(str(tmp_path / "secret.txt")))
    with pytest.raises(vibespec.VibespecError) as e:
        vibespec.compile(str(spec))
    assert "TOP-SECRET" not in str([d.message for d in e.value.diagnostics])
    assert [d.code for d in e.value.diagnostics] == ["VB705"]


# --------------------------------------------------------------------------- 2. output escaping

EVIL_ID = "</text><script>alert(1)</script><text>"


def test_svg_chart_escapes_message_ids(tmp_path):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(
        "vibespec: 1\nsend_at: 2026-11-26T08:00:00Z\nspeed_limit: 1/hour\n"
        f"defaults: {{sender: Bot, validity: 30m}}\nmessages:\n  - id: {json.dumps(EVIL_ID + chr(1))}\n"
        "    to: [a1, a2, a3]\n    text: hi\n")
    code, out, err = run(["plan", str(spec), "--chart", "c.svg", "--now", NOW], tmp_path)
    assert code == 0, err
    svg = (tmp_path / "c.svg").read_text()
    root = ET.fromstring(svg)  # well-formed XML (no raw control character either)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert any("<script>" in (e.text or "") for e in root.iter())  # shown as text


def test_svg_chart_escapes_the_file_name(tmp_path):
    spec = tmp_path / 'a"<b>&.viber.yaml'
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - {to: a1, text: hi}\n")
    code, _, err = run(["plan", str(spec), "--chart", "c.svg", "--now", NOW], tmp_path)
    assert code == 0, err
    ET.fromstring((tmp_path / "c.svg").read_text())


CONTROL_SPEC = ('vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n'
                '  - id: "m\\e]0;pwned\\a\\e[2J\\u202e"\n    to: a1\n    text: hi\n    "x\\e[31mred\\r\\u202e": 1\n')


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_control_characters_are_shown_escaped(tmp_path, fmt):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(CONTROL_SPEC)
    code, out, _ = run(["lint", "--no-cache", "--color", "never", "--format", fmt, str(spec)], tmp_path)
    assert code == 1
    for raw in ("\x1b", "\r", "\u202e", "\x07"):
        assert raw not in out, (raw, out)
    assert "\\x1b[31mred" in out


def test_json_output_escapes_invisible_characters(tmp_path):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(CONTROL_SPEC)
    code, out, _ = run(["lint", "--no-cache", "--format", "json", str(spec)], tmp_path)
    assert code == 1
    assert "\u202e" not in out and "\x1b" not in out
    data = json.loads(out)
    assert any("\x1b[31mred\r\u202e" in d["message"] for d in data)  # the values are unchanged


def test_github_annotation_properties_cannot_be_forged(tmp_path):
    folder = tmp_path / "a,title=X:b%"
    folder.mkdir()
    spec = folder / "s.viber.yaml"
    spec.write_text("vibespec: 1\nmessages:\n  - {to: a1, text: hi, \"k%0A::error::x\\n::warning::y\": 1}\n")
    code, out, _ = run(["lint", "--no-cache", "--format", "github", str(spec)], tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert lines and all(ln.startswith("::error ") for ln in lines), out
    assert "a%2Ctitle=X%3Ab%25" in out
    assert "%250A::error" in out


@pytest.mark.slow
def test_plan_and_compile_messages_escape_control_characters(tmp_path):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text('vibespec: 1\nsend_at: 2026-11-26T08:00:00Z\ndefaults: {sender: Bot}\nmessages:\n'
                    '  - id: "m\\e[2J"\n    to: a1\n    text: hi\n'
                    '    window: {from: "09:00", to: "17:00", timezone: Europe/Berlin}\n')
    code, out, err = run(["plan", str(spec), "--now", NOW], tmp_path)
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b[2J" in out
    code, out, err = run(["compile", "-v", str(spec), "--now", NOW], tmp_path)
    assert code == 0, err
    assert "\x1b" not in err and "\\x1b[2J" in err
    code, out, err = run(["trace", str(spec), "/messages/0/content/text", "--now", NOW], tmp_path)
    assert code == 0, err
    bad = tmp_path / "bad.viber.yaml"
    bad.write_text('vibespec: 1\nmessages:\n  - {to: a1, text: hi, "\\e[2J": 1}\n')
    for cmd in (["plan"], ["compile"], ["trace", str(bad), "/messages"]):
        args = cmd + ([str(bad)] if cmd[0] != "trace" else []) + ["--now", NOW]
        code, out, err = run(args, tmp_path)
        assert code == 1
        assert "\x1b" not in out + err, (cmd, err)


# --------------------------------------------------------------------------- 3. configuration lookup

BAD_SPEC = "vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - {to: a1, text: hi, validity: 72h}\n"


def test_config_lookup_stops_at_the_repository_root(tmp_path):
    (tmp_path / "vibespec.toml").write_text('ignore = ["ALL"]\n')  # e.g. in a shared /tmp
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    (repo / "specs").mkdir()
    spec = repo / "specs" / "s.viber.yaml"
    spec.write_text(BAD_SPEC)
    env_cache = {k: v for k, v in os.environ.items() if k != "VIBESPEC_CACHE_DIR"}
    p = subprocess.run(CLI + ["lint", "-v", str(spec)], cwd=repo, capture_output=True, timeout=30, env=env_cache)
    out, err = p.stdout.decode(), p.stderr.decode()
    assert p.returncode == 1, out + err
    assert "VB420" in out
    assert "configuration: none" in err and str(repo) in err
    assert not (tmp_path / ".vibespec_cache").exists()  # the cache stays in the checkout too


def test_config_lookup_stops_at_the_first_pyproject(tmp_path):
    (tmp_path / "vibespec.toml").write_text('ignore = ["ALL"]\n')
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    spec = proj / "s.viber.yaml"
    spec.write_text(BAD_SPEC)
    code, out, err = run(["lint", "--no-cache", "-v", str(spec)], proj)
    assert code == 1 and "VB420" in out
    assert "pyproject.toml" in err and "configuration: none" in err


def test_verbose_names_the_configuration_used(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text('ignore = ["VB420"]\n')
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(BAD_SPEC)
    code, out, err = run(["lint", "--no-cache", "-v", str(spec)], tmp_path)
    assert code == 0
    assert f"configuration: {tmp_path / 'vibespec.toml'}" in err
    code, out, err = run(["compile", "-v", str(spec), "--now", NOW], tmp_path)
    assert f"configuration: {tmp_path / 'vibespec.toml'}" in err


# --------------------------------------------------------------------------- 4. empty selectors


@pytest.mark.parametrize("toml, line", [
    ('ignore = [""]\n', 1),
    ('select = ["ALL"]\nignore = ["VB1", " "]\n', 2),
    ('[per-file-ignores]\n"*.yaml" = [""]\n', 2),
    ('fail-on = "error"\n\n[severity]\n"" = "info"\n', 4),
    ('extend-select = ["  "]\n', 1),
])
def test_empty_selector_is_a_configuration_error(tmp_path, toml, line):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text(toml)
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(BAD_SPEC)
    code, out, err = run(["lint", "--no-cache", str(spec)], tmp_path)
    assert code == 2, out + err
    assert f"vibespec.toml:{line}:" in err and "empty rule selector" in err


def test_empty_selector_in_pyproject_names_its_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.vibespec]\nignore = ["VB4", ""]\n')
    spec = tmp_path / "s.viber.yaml"
    spec.write_text(BAD_SPEC)
    code, _, err = run(["lint", "--no-cache", str(spec)], tmp_path)
    assert code == 2 and "pyproject.toml:5:" in err


# --------------------------------------------------------------------------- 5. limits


@pytest.mark.slow
def test_a_large_max_bytes_does_not_allocate_it(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_bytes = 1_000_000_000_000\n")
    spec = tmp_path / "s.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - {to: a1, text: hi}\n")
    for cmd in (["lint", "--no-cache", str(spec)], ["compile", str(spec)], ["plan", str(spec)],
                ["lint", "--no-cache", "-"]):
        code, out, err = run(cmd + ["--now", NOW], tmp_path, stdin=spec.read_bytes())
        assert code == 0, (cmd, out, err)


@pytest.mark.slow
@pytest.mark.parametrize("value, line", [("1" + "0" * 40, 3), ("0", 3), ("-5", 3), ("2.5", 3), ('"big"', 3),
                                         ("true", 3)])
def test_bad_limit_values_are_refused_with_their_line(tmp_path, value, line):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text(f"[limits]\nmax_depth = 50\nmax_bytes = {value}\n")
    spec = tmp_path / "s.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - {to: a1, text: hi}\n")
    for cmd in (["lint", "--no-cache"], ["compile"], ["plan"], ["trace"]):
        args = cmd + [str(spec)] + (["/messages"] if cmd == ["trace"] else []) + ["--now", NOW]
        code, out, err = run(args, tmp_path)
        assert code == 2, (cmd, out, err)
        assert f"vibespec.toml:{line}:" in err and "max_bytes" in err


@pytest.mark.slow
def test_every_spec_command_honours_limits(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_depth = 3\n")
    spec = tmp_path / "s.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - to: a1\n    text: hi\n"
                    "    keyboard: {buttons: [{columns: 6, rows: 1, text: A, action: {reply: a}}]}\n")
    body = tmp_path / "b.json"
    body.write_text('{"messages": [{"sender": "Bot", "destinations": [{"to": "a1"}], '
                    '"content": {"text": "hi", "type": "TEXT"}}]}')
    for cmd in (["lint", "--no-cache", str(spec)], ["compile", str(spec)], ["plan", str(spec)],
                ["trace", str(spec), "/messages"], ["check", str(body)]):
        code, out, err = run(cmd + ["--now", NOW], tmp_path)
        assert code == 1, (cmd, out, err)
        assert "nested more than 3 levels deep" in out + err, (cmd, out, err)


@pytest.mark.parametrize("suffix, text", [
    (".json", '{"messages": ' + "[" * 30000 + "]" * 30000 + "}"),
    (".viber.toml", "vibespec = 1\nmessages = " + "[" * 30000 + "]" * 30000 + "\n"),
])
def test_depth_beyond_the_parser_is_reported_truthfully(tmp_path, suffix, text):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_depth = 1000000\n")
    f = tmp_path / ("b" + suffix)
    f.write_text(text)
    code, out, err = run(["lint", "--no-cache", "--format", "concise", str(f)], tmp_path)
    assert code == 1, out + err
    assert "nested 30001 levels deep" in out, out
    assert "more than 1000000" not in out


@pytest.mark.slow
def test_body_commands_honour_limits(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_bytes = 40\n")
    body = tmp_path / "b.json"
    body.write_text('{"results": [], "messageCount": 0, "pendingMessageCount": 0, "padding": "' + "x" * 60 + '"}')
    for cmd in (["inbound"], ["reports"], ["import"], ["check"]):
        code, out, err = run(cmd + [str(body)], tmp_path)
        assert code in (1, 2), (cmd, out, err)
        assert "limit of 40 bytes" in out + err or "larger than 40" in out + err, (cmd, out, err)
    (tmp_path / "vibespec.toml").write_text("[limits]\nmax_bytes = 0\n")
    for cmd in (["inbound"], ["reports"], ["import"]):
        code, out, err = run(cmd + [str(body)], tmp_path)
        assert code == 2 and "vibespec.toml:2:" in err, (cmd, out, err)


@pytest.mark.slow
def test_drift_check_and_annotate_escape_control_characters(tmp_path):
    spec = tmp_path / "s.viber.yaml"
    spec.write_text('vibespec: 1\ndefaults: {sender: Bot}\nmessages:\n  - {to: a1, text: "hi\\e[2J\\u202e"}\n')
    (tmp_path / "s.json").write_text('{"messages": "\x1b]0;title\x07\u202e"}\n')
    code, out, err = run(["compile", "--check", "-o", "s.json", str(spec)], tmp_path)
    assert code == 1
    assert "\x1b" not in out + err and "\u202e" not in out + err and "\\x1b]0;title" in out
    code, out, err = run(["compile", "--annotate", str(spec)], tmp_path)
    assert code == 0 and "\u202e" not in out


def test_webhook_summaries_escape_control_characters(tmp_path):
    body = tmp_path / "in.json"
    body.write_text(json.dumps({"results": [{"event": "X\x1b[2J\u202e", "from": "u", "to": "b",
                                             "integrationType": "VIBER_BOT", "receivedAt": "2026-11-25T12:00:00.000+0000",
                                             "messageId": "m", "pairedMessageId": None, "callbackData": None,
                                             "message": {"type": "TEXT\x1b[2J", "text": "hi"}, "price": None}],
                                "messageCount": 1, "pendingMessageCount": 0}, ensure_ascii=False))
    code, out, err = run(["inbound", "--format", "full", str(body)], tmp_path)
    assert "\x1b" not in out + err and "\u202e" not in out + err, out


@pytest.mark.slow
def test_file_names_with_control_characters_are_escaped(tmp_path):
    (tmp_path / ".git").mkdir()
    name = "a\x1b[2J\u202e.viber.yaml"
    (tmp_path / name).write_text("vibespec: 1\nmessages:\n  - {to: a1, text: hi, validity: 72h}\n")
    (tmp_path / ("b\x1b[2J.viber.yaml")).mkdir()  # a folder named like a spec: cannot be read
    for fmt in ("full", "concise", "github"):
        code, out, err = run(["lint", "--no-cache", "--format", fmt, "."], tmp_path)
        assert code in (1, 2), out + err
        assert "\x1b" not in out + err and "\u202e" not in out + err, (fmt, out, err)
        assert "a\\x1b[2J\\u202e.viber.yaml" in out


@pytest.mark.slow
def test_send_dry_run_and_preview_errors_escape_control_characters(tmp_path):
    """send and preview (built beside the escaping work) print spec values like every other
    command: an ESC in a bulk_id or a message id reaches the terminal as \\x1b."""
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    spec = tmp_path / "s.viber.yaml"
    spec.write_text('vibespec: 1\nbulk_id: "b\\e[31m"\nmessages:\n  - id: "m\\e[2J"\n    sender: Bot\n'
                    '    to: u1\n    text: hi\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "vibespec", "send", str(spec)], capture_output=True, text=True,
                       cwd=tmp_path, env={**__import__("os").environ, "INFOBIP_BASE_URL": "https://example.invalid"})
    assert "\x1b" not in r.stdout + r.stderr and "\\x1b" in r.stdout + r.stderr, (r.returncode, r.stdout, r.stderr)
    bad = tmp_path / "bad.viber.yaml"
    bad.write_text('vibespec: 1\nmessages:\n  - to: u1\n    sender: Bot\n    "te\\ext": hi\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "vibespec", "preview", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1 and "\x1b" not in r.stderr and "\\x1b" in r.stderr, r.stderr
