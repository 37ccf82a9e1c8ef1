"""The library never lets an unexpected exception escape: a bug becomes VB000."""

from __future__ import annotations

from unittest import mock

import pytest

import vibespec
from vibespec.api import SourceTypeError


def test_a_bug_in_lowering_is_a_vb000_diagnostic_not_a_traceback():
    with mock.patch("vibespec.compiler.lower.Lowerer.run", side_effect=AttributeError("boom")):
        diags = vibespec.lint("vibespec: 1\nmessages: []\n", filename="x.viber.yaml")
        assert [(d.code, d.file) for d in diags] == [("VB000", "x.viber.yaml")]
        with pytest.raises(vibespec.VibespecError) as e:
            vibespec.compile("vibespec: 1\nmessages: []\n")
        assert e.value.diagnostics[0].code == "VB000"


def test_a_bug_in_a_rule_is_a_vb000_diagnostic():
    with mock.patch("vibespec.rules.engine.run_rules", side_effect=KeyError("x")):
        assert [d.code for d in vibespec.validate_payload({"messages": []})] == ["VB000"]


def test_wrong_argument_type_stays_a_type_error():
    with pytest.raises(SourceTypeError):
        vibespec.lint(12345)
