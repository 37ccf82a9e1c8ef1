"""Shared fixtures for the inbound-webhook and delivery-report tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO.parent / "shared" / "reference" / "infobip-viber-openapi.json"


@pytest.fixture
def fixture_bytes():
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read


@pytest.fixture
def fixture_json():
    def read(name: str):
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    return read


def _has_json_positions() -> bool:
    """Whether vibespec.source can load JSON with positions (it is written in parallel)."""
    try:
        from vibespec.source import load

        doc = load('{\n  "a": 1\n}', "x.json", fmt="json")
        return doc.locate(("a",)).line == 2
    except Exception:
        return False


needs_json_positions = pytest.mark.skipif(
    not _has_json_positions(), reason="vibespec.source JSON loader with positions not available yet"
)


@pytest.fixture(scope="session")
def openapi():
    if not OPENAPI.exists():
        pytest.skip(f"{OPENAPI} not present")
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


def codes(diags) -> list[str]:
    return [d.code for d in diags]
