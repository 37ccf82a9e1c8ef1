"""The public paths that moved (issue 15) keep working for one release: the same module objects."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

MOVED = [
    ("vibespec.inbound", "vibespec.wire.inbound"),
    ("vibespec.reports", "vibespec.wire.reports"),
    ("vibespec.payload.request", "vibespec.wire.request"),
    ("vibespec.payload.inbound", "vibespec.wire.inbound_models"),
    ("vibespec.payload.reports", "vibespec.wire.report_models"),
]


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_old_path_is_the_new_module(old: str, new: str) -> None:
    assert importlib.import_module(old) is importlib.import_module(new)


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_old_path_first_in_a_fresh_interpreter(old: str, new: str) -> None:
    # Imported first (nothing else loaded), the old path still gives the module and its names.
    code = (f"import {old} as m, {new} as n, vibespec; "
            f"assert m is n; assert m.__name__ == {new!r}; print(sorted(vars(m))[:1])")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_public_attributes() -> None:
    import vibespec

    assert vibespec.inbound is importlib.import_module("vibespec.wire.inbound")
    assert vibespec.reports is importlib.import_module("vibespec.wire.reports")
    from vibespec.payload.request import Request
    from vibespec.wire.request import Request as R2

    assert Request is R2
