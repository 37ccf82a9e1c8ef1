"""What benchmarks/fuzz.py found in the cache, config and audience paths, each kept as a test."""

from __future__ import annotations

import time

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


import pytest  # noqa: E402

from vibespec.diagnostics import VibespecError  # noqa: E402


@pytest.mark.parametrize("name,text", [
    ("vibespec.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n"),  # RecursionError in tomllib
    ("pyproject.toml", "[tool]\nvibespec = 5\n"),
    ("vibespec.toml", "tool = 'vibespec'\n"),  # 'vibespec' in 'vibespec' -> str indices
    ("vibespec.toml", "[limits]\nmax_bytes = " + "9" * 4500 + "\n"),  # int(): over 4,300 digits (ValueError)
])
def test_a_config_that_is_not_a_table_of_settings_is_a_config_error(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text)
    with pytest.raises(VibespecError) as e:
        load_config(f)
    assert e.value.diagnostics and e.value.diagnostics[0].file == str(f)


def test_a_pyproject_whose_tool_is_not_a_table_has_no_vibespec_settings(tmp_path):
    f = tmp_path / "pyproject.toml"
    f.write_text("tool = 5\n")  # was AttributeError: 'int' object has no attribute 'get'
    assert load_config(f).select == ("ALL",)


def test_a_huge_size_limit_is_only_a_limit(tmp_path):
    """max_bytes = 10**30 made every read f.read(10**30 + 1): OverflowError (and 10**12 MemoryError)."""
    f = tmp_path / "vibespec.toml"
    spec = tmp_path / "t.viber.yaml"
    spec.write_bytes(SPEC)
    for n in (10**12, 10**15):
        f.write_text(f"[limits]\nmax_bytes = {n}\n")
        diags = api.lint(str(spec), load_config(f))
        assert [d.code for d in diags if d.code == "VB000"] == []
    # past a petabyte it is a typo: a configuration error with its line, not a crash
    f.write_text("[limits]\nmax_bytes = " + str(10**30) + "\n")
    with pytest.raises(VibespecError) as e:
        load_config(f)
    assert e.value.diagnostics[0].line == 2 and "whole number from 1 to" in e.value.diagnostics[0].message


@pytest.mark.parametrize("table", ['per-file-ignores = {"legacy/*.%s" = ["VB2"]}', 'exclude = ["legacy/*.%s"]'])
def test_a_glob_too_long_to_match_quickly_is_a_config_error(tmp_path, table):
    """10,000 '[' in a per-file-ignores glob took 2.7 s per file in fnmatch.translate (found as
    'slow' by the config fuzz target)."""
    f = tmp_path / "vibespec.toml"
    f.write_text(table % ("[" * 10_000) + "\n")
    t = time.process_time()
    with pytest.raises(VibespecError) as e:
        load_config(f)
    assert time.process_time() - t < 0.5 and "at most 500 characters" in e.value.diagnostics[0].message
