"""Every rule's fail/pass cases under tests/rules/cases/<CODE>/, run through the real pipeline.

- ``fail*.viber.yaml|yml|toml`` (specs) and ``fail*.json`` (raw bodies) must produce the code on
  exactly the marked lines (``# expect: VB201`` comments; for JSON a ``.expect`` sidecar with
  ``LINE CODE`` rows), with the rule's default severity, and on no other line.
- ``pass*`` files must not produce the code.
- Every payload rule has at least one failing and one passing case.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vibespec.api import lint, validate_payload
from vibespec.rules import ALL_RULES, BY_CODE

CASES = Path(__file__).parent / "cases"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def _case_files():
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for f in sorted(folder.iterdir()):
            if f.name.startswith(("fail", "pass")) and f.suffix in (".yaml", ".yml", ".toml", ".json"):
                yield pytest.param(folder.name, f, id=f"{folder.name}/{f.name}")


def _expected(path: Path) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    side = path.with_suffix(".expect")
    if path.suffix == ".json" or side.exists():
        if side.exists():
            for row in side.read_text().split("\n"):
                row = row.strip()
                if row and not row.startswith("#"):
                    line, code = row.split()[:2]
                    out.setdefault(int(line), set()).add(code)
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _EXPECT.search(line)
        if m:
            out.setdefault(n, set()).update(c.strip() for c in m.group(1).split(",") if c.strip())
    return out


def _diagnostics(path: Path):
    if path.suffix == ".json":
        return validate_payload(path.read_bytes(), filename=str(path), now=NOW)
    return lint(path, now=NOW)


@pytest.mark.parametrize("code,path", list(_case_files()))
def test_case(code, path):
    assert code in BY_CODE, f"case folder {code} names no registered rule"
    rule = BY_CODE[code]
    diags = _diagnostics(path)
    got_lines = {d.line for d in diags if d.code == code}
    if path.name.startswith("pass"):
        assert not got_lines, f"{code} reported on lines {sorted(got_lines)}: " + "; ".join(
            d.message for d in diags if d.code == code)
        return
    expected = _expected(path)
    want_lines = {line for line, codes in expected.items() if code in codes}
    assert want_lines, f"{path} marks no line with {code}"
    detail = "\n".join(d.format_short() for d in diags)
    assert got_lines == want_lines, f"{code}: expected lines {sorted(want_lines)}, got {sorted(got_lines)}\n{detail}"
    for d in diags:
        if d.code == code:
            assert d.severity is rule.severity, f"{code} has severity {d.severity}, rule says {rule.severity}"


def test_every_payload_rule_has_cases():
    missing = []
    for rule in ALL_RULES:
        if rule.code.startswith("VB8"):  # inbound/report codes: tests/wire
            continue
        if rule.code == "VB000":  # internal error: no input is known to fail (tests/test_api_guard.py)
            continue
        if rule.code == "VB009":  # unreadable file: not a file that can be committed (tests/test_exits.py)
            continue
        if rule.code == "VB010":  # the findings cap of the report (tests/bounded/test_findings_cap.py)
            continue
        folder = CASES / rule.code
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        if not any(n.startswith("fail") for n in names) or not any(n.startswith("pass") for n in names):
            missing.append(rule.code)
    assert not missing, f"rules without a fail and a pass case: {missing}"
