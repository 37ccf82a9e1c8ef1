"""What benchmarks/fuzz.py found in the cache, config and audience paths, each kept as a test."""

from __future__ import annotations

from vibespec import api
from vibespec.config import load_config

SPEC = b"vibespec: 1\ndefaults: {sender: DemoBot}\nmessages:\n  - {to: bot-user-1, text: Hi}\n"


def test_a_rule_setting_that_is_a_list_does_not_break_the_lint(tmp_path):
    """Config objects were hashed for a cache of select/ignore; a list value in
    [tool.vibespec.rules.<name>] made every lint an internal error (TypeError: unhashable)."""
    cfg_file = tmp_path / "vibespec.toml"
    cfg_file.write_text('[rules.validity-exceeds-48h]\nselect = ["ALL"]\nlimits = {a = [1]}\n')
    cfg = load_config(cfg_file)
    diags = api.lint(SPEC, cfg, filename="t.viber.yaml")
    assert [d.code for d in diags if d.code == "VB000"] == []
