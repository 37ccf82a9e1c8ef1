"""``vibespec compile --check``: compare compiled bodies with the files on disk, write nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec.cli.app import cli

SPEC = """\
vibespec: 1
bulk_id: spring-2027
defaults:
  sender: DemoBot
  validity: 30m
  campaign_ref: spring
messages:
  - id: welcome
    to: [bot-user-1, bot-user-2]
    text: Welcome to Demo!
  - id: offer
    to: bot-user-3
    validity: 2h
    image: {url: https://cdn.example.com/p.png, caption: Sale}
"""

OTHER = """\
vibespec = 1

[[messages]]
to = "bot-user-9"
sender = "OtherBot"
text = "Hello from TOML"
"""


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def pos(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column where ``needle`` first appears in ``text``."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "promo.viber.yaml").write_text(SPEC, encoding="utf-8")
    r = run("compile", str(tmp_path / "promo.viber.yaml"), "-o", str(tmp_path / "promo.json"))
    assert r.exit_code == 0, r.output
    return tmp_path


def test_equal_outputs_exit_zero_and_print_nothing(project: Path):
    before = snapshot(project)
    r = run("compile", "--check", str(project / "promo.viber.yaml"), "-o", str(project / "promo.json"))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert snapshot(project) == before


def test_drift_in_one_field_reports_pointer_and_spec_line(project: Path):
    spec = project / "promo.viber.yaml"
    edited = SPEC.replace("validity: 2h", "validity: 3h")
    spec.write_text(edited, encoding="utf-8")
    before = snapshot(project)
    r = run("compile", "--check", str(spec), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    out = r.stdout
    line, col = pos(edited, "3h")
    assert f"/messages/1/options/validityPeriod/amount: 2 -> 3  at {spec}:{line}:{col}" in out
    # only that field differs: no other pointer is reported
    assert re.findall(r"^  (/\S+):", out, re.M) == ["/messages/1/options/validityPeriod/amount"]
    # and a short unified diff follows
    assert "--- " in out and "+++ " in out
    assert '-          "amount": 2,' in out and '+          "amount": 3,' in out
    assert snapshot(project) == before  # writes nothing


def test_drift_through_defaults_points_at_the_defaults_line(project: Path):
    spec = project / "promo.viber.yaml"
    edited = SPEC.replace("sender: DemoBot", "sender: DemoBot2")
    spec.write_text(edited, encoding="utf-8")
    r = run("compile", "--check", str(spec), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    line, col = pos(edited, "DemoBot2")
    for i in (0, 1):
        assert f'/messages/{i}/sender: "DemoBot" -> "DemoBot2"  at {spec}:{line}:{col} (defaults)' in r.stdout


def test_drift_from_an_edited_body_on_disk(project: Path):
    out = project / "promo.json"
    body = json.loads(out.read_text(encoding="utf-8"))
    body["messages"][0]["content"]["text"] = "Hand-edited"
    out.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    r = run("compile", "--check", str(project / "promo.viber.yaml"), "-o", str(out))
    assert r.exit_code == 1
    line, col = pos(SPEC, "Welcome to Demo!")
    assert f'/messages/0/content/text: "Hand-edited" -> "Welcome to Demo!"  at {project / "promo.viber.yaml"}:{line}:{col}' \
        in r.stdout


def test_top_level_field_drift(project: Path):
    spec = project / "promo.viber.yaml"
    edited = SPEC.replace("bulk_id: spring-2027", "bulk_id: spring-2028")
    spec.write_text(edited, encoding="utf-8")
    r = run("compile", "--check", str(spec), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    line, col = pos(edited, "spring-2028")
    assert f'/options/schedule/bulkId: "spring-2027" -> "spring-2028"  at {spec}:{line}:{col}' in r.stdout


def test_added_message_is_reported_at_its_spec_line(project: Path):
    spec = project / "promo.viber.yaml"
    edited = SPEC + "  - id: extra\n    to: bot-user-4\n    text: One more\n"
    spec.write_text(edited, encoding="utf-8")
    r = run("compile", "--check", str(spec), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    assert "/messages/2: (absent) -> {" in r.stdout
    line, _ = pos(edited, "id: extra")
    assert f"at {spec}:{line}:" in r.stdout


def test_missing_output_file(tmp_path: Path):
    (tmp_path / "promo.viber.yaml").write_text(SPEC, encoding="utf-8")
    target = tmp_path / "out" / "promo.json"
    r = run("compile", "--check", str(tmp_path / "promo.viber.yaml"), "-o", str(target))
    assert r.exit_code == 1
    assert f"{target}: missing" in r.stdout
    assert not target.exists() and not (tmp_path / "out").exists()


def test_out_dir_with_several_specs(tmp_path: Path):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.viber.yaml").write_text(SPEC, encoding="utf-8")
    (specs / "b.viber.yaml").write_text(SPEC.replace("Welcome to Demo!", "Hi"), encoding="utf-8")
    (specs / "c.viber.toml").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "compiled"
    paths = [str(specs / n) for n in ("a.viber.yaml", "b.viber.yaml", "c.viber.toml")]
    r = run("compile", "--out-dir", str(out), *paths)
    assert r.exit_code == 0, r.output
    assert sorted(os.listdir(out)) == ["a.json", "b.json", "c.json"]

    r = run("compile", "--check", "--out-dir", str(out), *paths)
    assert r.exit_code == 0, r.output

    (specs / "b.viber.yaml").write_text(SPEC.replace("Welcome to Demo!", "Hello"), encoding="utf-8")
    (out / "c.json").unlink()
    before = snapshot(tmp_path)
    r = run("compile", "--check", "--out-dir", str(out), *paths)
    assert r.exit_code == 1
    assert f"{out / 'a.json'}" not in r.stdout
    assert f"{out / 'b.json'}: differs" in r.stdout
    assert '/messages/0/content/text: "Hi" -> "Hello"' in r.stdout
    assert f"{out / 'c.json'}: missing" in r.stdout
    assert "2 compiled bodies are out of date" in r.stdout
    assert snapshot(tmp_path) == before


def test_crlf_checkout_counts_as_equal(project: Path):
    out = project / "promo.json"
    out.write_bytes(out.read_bytes().replace(b"\n", b"\r\n"))
    r = run("compile", "--check", str(project / "promo.viber.yaml"), "-o", str(out))
    assert r.exit_code == 0, r.output


def test_invalid_json_on_disk(project: Path):
    (project / "promo.json").write_text("{not json", encoding="utf-8")
    r = run("compile", "--check", str(project / "promo.viber.yaml"), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    assert "not valid JSON" in r.stdout


def test_indent_must_match(project: Path):
    r = run("compile", "--check", "--indent", "0", str(project / "promo.viber.yaml"), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    assert "same data; formatting or key order differs" in r.stdout


def test_spec_that_does_not_compile(project: Path):
    (project / "promo.viber.yaml").write_text(SPEC.replace("text: Welcome", "txet: Welcome"), encoding="utf-8")
    before = snapshot(project)
    r = run("compile", "--check", str(project / "promo.viber.yaml"), "-o", str(project / "promo.json"))
    assert r.exit_code == 1
    assert "VB101" in r.stderr
    assert snapshot(project) == before


def test_check_needs_a_target(project: Path):
    r = run("compile", "--check", str(project / "promo.viber.yaml"))
    assert r.exit_code == 2
    assert "-o FILE or --out-dir DIR" in r.stderr


def test_written_files_get_normal_permissions(tmp_path: Path):
    if os.name != "posix":
        pytest.skip("file modes")
    (tmp_path / "promo.viber.yaml").write_text(SPEC, encoding="utf-8")
    r = run("compile", str(tmp_path / "promo.viber.yaml"), "-o", str(tmp_path / "promo.json"))
    assert r.exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "promo.json").stat().st_mode & 0o777 == 0o666 & ~umask
