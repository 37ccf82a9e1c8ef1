"""Import then compile is the identity: every example body, every request-body fixture,
Infobip's published request examples and hand-written bodies covering every content
type, button field and option, in YAML and in TOML (byte-exact through ``dumps``)."""

from __future__ import annotations

import json
import tomllib

import pytest

from vibespec.compiler.emit import dumps
from vibespec.app.importrun import import_text
from vibespec.compiler.importer import import_body, to_toml, to_yaml
from vibespec.source import load

from importer_cases import HAND_WRITTEN, compile_text, example_bodies, fixture_bodies, openapi_examples

FORMATS = ("yaml", "toml")


def _round_trip(body: dict, fmt: str, *, same_key_order: bool = True) -> None:
    spec = import_body(body)
    text = to_yaml(spec) if fmt == "yaml" else to_toml(spec)
    # the written text holds exactly the imported data
    if fmt == "yaml":
        assert load(text, "x.viber.yaml").data == spec
    else:
        assert tomllib.loads(text) == spec
    if same_key_order:
        assert dumps(compile_text(text, fmt)) == dumps(body)
    else:  # hand-written fixtures may order keys their own way; the compiler uses Infobip's order
        assert compile_text(text, fmt) == body


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", example_bodies(), ids=lambda p: p.name)
def test_example_bodies(path, fmt):
    body = json.loads(path.read_text(encoding="utf-8"))
    _round_trip(body, fmt)
    # and through the text API (validation, JSON loading, verification)
    import_text(path.read_bytes(), str(path), fmt=fmt)


def test_there_are_example_bodies():
    assert example_bodies(), "examples/*.json is empty"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", fixture_bodies(), ids=lambda p: p.name)
def test_fixture_request_bodies(path, fmt):
    _round_trip(json.loads(path.read_text(encoding="utf-8")), fmt, same_key_order=False)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name,body", openapi_examples() or [pytest.param("absent", None, marks=pytest.mark.skip(
    reason="../shared/reference/infobip-viber-openapi.json not present"))])
def test_infobip_published_examples(name, body, fmt):
    _round_trip(body, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_hand_written_bodies(name, fmt):
    _round_trip(HAND_WRITTEN[name], fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_import_text_verifies(name, fmt):
    text = import_text(dumps(HAND_WRITTEN[name]), "body.json", fmt=fmt)
    assert text.startswith("# yaml-language-server: $schema=" if fmt == "yaml" else "#:schema ")
