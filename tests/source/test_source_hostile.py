"""Hostile inputs: each is refused with the right code, quickly, never with a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vibespec.diagnostics import VibespecError
from vibespec.source import load, load_path
from vibespec.source.nodes import Limits
from vibespec.source.yaml import load_yaml

HOSTILE = Path(__file__).parent / "hostile"

CASES = [
    ("billion_laughs.yaml", "VB007", None),
    ("deep_brackets.yaml", "VB007", None),
    ("deep_brackets.json", "VB007", None),
    ("deep_arrays.toml", "VB007", None),
    ("binary.bin.yaml", "VB002", None),
    ("latin1.yaml", "VB002", None),
    ("utf16.yaml", "VB002", None),
    ("empty.yaml", "VB003", None),
    ("only_comments.yaml", "VB003", None),
    ("top_level_list.yaml", "VB004", None),
    ("duplicate_keys.yaml", "VB005", None),
    ("duplicate_keys.json", "VB005", None),
    ("python_tag.yaml", "VB006", None),
    ("long_number.yaml", "VB007", None),
    ("long_number.json", "VB007", None),
    ("multi_doc.yaml", "VB008", None),
    ("huge.yaml", "VB007", Limits(max_bytes=100_000)),
]


@pytest.mark.parametrize("name,code,limits", CASES, ids=[c[0] for c in CASES])
def test_hostile_file(name, code, limits):
    t0 = time.perf_counter()
    with pytest.raises(VibespecError) as ei:
        load_path(HOSTILE / name, limits=limits)
    assert time.perf_counter() - t0 < 2.0
    (d,) = ei.value.diagnostics
    assert d.code == code, d
    assert d.file == str(HOSTILE / name)
    assert d.line >= 1 and d.column >= 1


def test_billion_laughs_is_fast():
    src = (HOSTILE / "billion_laughs.yaml").read_text()
    for pure in (False, True):
        t0 = time.perf_counter()
        with pytest.raises(VibespecError) as ei:
            load_yaml(src, pure=pure)
        assert time.perf_counter() - t0 < 0.5
        assert ei.value.diagnostics[0].code == "VB007"


def test_deep_pure_parser():
    src = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(VibespecError) as ei:
        load_yaml(src, pure=True)
    assert ei.value.diagnostics[0].code == "VB007"


@pytest.mark.parametrize("fmt", ["yaml", "toml", "json"])
@pytest.mark.parametrize(
    "src",
    [
        "{" * 5000, "[" * 5000, '"' * 3, "\\", "a: [}", "{a: 1", "---\n...\n---", "*a", "&a",
        "? ? ?", "a = [1, 'x'", '{"a": 1e99999}', "a: 1e99999", "a = 1e99999",
        "a = " + "9" * 5000, '{"a": -' + "9" * 4400 + "}", "\ud800", "a: \x85\x1b",
        "x = {a = {b = {c = [[[[" * 50, "[[a]]\n[a]\n", "a: !!int 1" + "0" * 5000,
        "%YAML 9.9\n---\na: 1", "!<tag:x> a", "a: !!float nope",
    ],
)
def test_garbage_never_tracebacks(fmt, src):
    t0 = time.perf_counter()
    try:
        load(src, "x", fmt=fmt)
    except VibespecError as e:
        assert e.diagnostics and e.diagnostics[0].code.startswith("VB00")
    assert time.perf_counter() - t0 < 2.0
