"""lower and importer read the spec <-> wire names from one map (compiler/fieldmap.py)."""

from __future__ import annotations

from vibespec.compiler import fieldmap, importer, lower


def test_both_directions_use_the_one_map():
    assert importer._CONTENT_KEY is fieldmap.CONTENT_KEY_OF
    assert importer._ACTION_TYPES is fieldmap.ACTION_TYPES
    assert importer.SHORT is fieldmap.STRING_FORMS
    assert importer._CONTENT_TYPES is fieldmap.HTTP_CONTENT_SHORT
    assert lower._STRING_FORMS == {p[-1]: k for p, k in fieldmap.STRING_FORMS.items()}


def test_each_backward_table_inverts_the_forward_one():
    for key, wire in fieldmap.CONTENT_TYPE_OF.items():
        assert fieldmap.CONTENT_KEY_OF[wire] == key
    assert len(fieldmap.CONTENT_KEY_OF) == len(fieldmap.CONTENT_TYPE_OF)
    assert fieldmap.ACTION_TYPES == tuple(fieldmap.ACTION_TYPE_OF.values())
