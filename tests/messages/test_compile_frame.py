"""``vibespec compile`` shows its errors in the same frame as ``lint``: header, location,
the source line with carets, and the help (issue 14)."""

from __future__ import annotations

from click.testing import CliRunner

from vibespec.cli.app import cli


def test_compile_errors_have_lint_frame(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    p = tmp_path / "a.viber.toml"
    p.write_text('vibespec = 1\n[[messages]]\nto = "b"\nsender = "S"\ntext = "hi"\nvalidity = 24h\n')
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["compile", str(p), "--out-dir", str(out)])
    assert r.exit_code == 1
    lint = CliRunner().invoke(cli, ["lint", "--no-cache", "--color", "never", str(p)])
    err = r.stderr
    assert "error[VB001]" in err and f"--> {p}:6:12" in err
    assert "6 | validity = 24h" in err and "^^^" in err
    assert '= help: quote it: "24h"' in err
    # the diagnostic block is exactly lint's
    block = lint.output.split("\n\nFound")[0]
    assert block in err
    assert "nothing written" in err and not out.exists()


def test_plan_errors_have_lint_frame(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    p = tmp_path / "a.viber.toml"
    p.write_text('vibespec = 1\n[[messages]]\nto = "b"\nsender = "S"\ntext = "hi"\nvalidity = 24h\n')
    r = CliRunner().invoke(cli, ["plan", str(p)])
    assert r.exit_code == 1
    err = r.stderr
    assert f"--> {p}:6:12" in err and "6 | validity = 24h" in err and '= help: quote it: "24h"' in err
    y = tmp_path / "b.viber.yaml"
    y.write_text("vibespec: 1\nmessages:\n  - {to: b, sender: S, text: hi, validity: 2x}\n")
    r = CliRunner().invoke(cli, ["plan", str(y)])
    assert r.exit_code == 1 and "error[VB106]" in r.stderr and "^^" in r.stderr and "= help:" in r.stderr
