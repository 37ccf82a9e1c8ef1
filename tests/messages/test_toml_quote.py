"""TOML: the two mistakes the docs warn about (unquoted times and durations) say how to fix
them (issue 14)."""

from __future__ import annotations

import pytest

from vibespec.diagnostics import VibespecError
from vibespec.source.toml import load_toml


def _error(text: str):
    with pytest.raises(VibespecError) as e:
        load_toml(text, "a.viber.toml")
    (d,) = e.value.diagnostics
    return d


@pytest.mark.parametrize(
    "line,token",
    [
        ("validity = 24h", "24h"),
        ("validity = 1h30m", "1h30m"),
        ("speed_limit = 100/min", "100/min"),
        ("size = 1.5MB", "1.5MB"),
        ("from = 08:00", "08:00"),
        ("window = {from = 08:00, to = \"20:00\"}", "08:00"),
        ("window = { days = [\"mon\"], from = \"08:00\", to = 20:00 }", "20:00"),
        ("from = 8:00:00", "8:00:00"),
    ],
)
def test_unquoted_shorthand_says_quote_it(line, token):
    d = _error(f'vibespec = 1\n[[messages]]\n{line}\n')
    assert d.code == "VB001" and d.line == 3
    assert f'quote it: "{token}"' in d.message and f'quote it: "{token}"' in d.help
    src = line
    assert src[d.column - 1 : d.end_column - 1] == token  # the carets cover the value


def test_time_help_names_the_seconds_form():
    d = _error("vibespec = 1\nfrom = 08:00\n")
    assert "08:00:00" in d.help


@pytest.mark.parametrize("line", ["x = wrong", "x = [1, 2", "x = 2026-12-01T8:00"])
def test_other_syntax_errors_unchanged(line):
    d = _error(f"vibespec = 1\n{line}\n")
    assert d.code == "VB001" and "quote it" not in d.message
