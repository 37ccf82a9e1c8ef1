"""docs/language.md explains carousel cards with an example that lints as it says, and names
no file that is not in the repository (issue 14)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import vibespec

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "language.md"
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.index("\n### ", start)
    return text[start:end]


def test_carousel_cards_section_example():
    sec = _section("#### How buttons fill carousel cards")
    for word in ("columns` x `rows", "VB303", "VB305", "VB306", "6 x columns x rows"):
        assert word in sec
    spec = re.search(r"```yaml\n(.*?)```", sec, re.S).group(1)
    assert [d.code for d in vibespec.lint(spec, filename="c.viber.yaml", now=NOW)] == []
    lines = spec.splitlines()
    last = max(i for i, ln in enumerate(lines) if "buy-p2" in ln)
    short = "\n".join(lines[:last] + lines[last + 1:]) + "\n"
    (d,) = vibespec.lint(short, filename="c.viber.yaml", now=NOW)
    assert d.code == "VB306" and "3 of 24 cells empty" in d.message


def test_no_reference_to_files_outside_the_repository():
    text = DOC.read_text(encoding="utf-8")
    # file names the guide points the reader to: Markdown documents and repository paths
    named = set(re.findall(r"`([\w./-]+\.md)`", text))
    named |= {p for p in re.findall(r"`((?:docs|tests|schemas|examples|vibespec)/[\w./-]+)`", text)}
    assert "DSL.md" not in text
    for name in named:
        assert (ROOT / name).exists() or (DOC.parent / name).exists(), name
