"""One wording for values in messages (vibespec.words): every layer says ``true``, ``null``,
``a list`` the same way, and never repeats a password."""

from __future__ import annotations

import pytest

from vibespec import words


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (5, "5"),
        (2.5, "2.5"),
        ("abc", "'abc'"),
        ([1, "a"], '[1, "a"]'),
        ({"a": None}, '{"a": null}'),
        ("x" * 100, "'" + "x" * 36 + "..."),
        ("https://user:secret@example.com/a", "'https://***@example.com/a'"),
        (["https://u:secret@h.example/"], '["https://***@h.example/"]'),
    ],
)
def test_describe(value, shown):
    assert words.describe(value) == shown
    assert len(words.describe(value)) <= words.WIDTH


@pytest.mark.parametrize(
    ("value", "kind", "json_kind"),
    [
        (None, "null", "null"),
        (True, "a boolean", "a boolean"),
        (3, "an integer", "an integer"),
        (3.5, "a number", "a number"),
        ("s", "a string", "a string"),
        ([], "a list", "an array"),
        ({}, "a mapping", "an object"),
    ],
)
def test_kind_of(value, kind, json_kind):
    assert words.kind_of(value) == kind
    assert words.kind_of(value, json_terms=True) == json_kind


def test_rules_word_a_boolean_alike():
    """The issue's example: a carousel rule said ``columns is True`` where a media rule said
    ``fileName true``; both now say ``true``."""
    import json
    from pathlib import Path

    from vibespec.api import validate_payload

    body = json.loads((Path(__file__).parents[1] / "examples" / "carousel.json").read_text())
    body["messages"][0]["content"]["buttonGrid"]["buttons"][0]["columns"] = True
    msgs = [d.message for d in validate_payload(body)]
    assert any("columns is true;" in m for m in msgs), msgs
    assert not any("True" in m for m in msgs), msgs
