"""The spec models' validator without pydantic: :class:`vibespec.validation.Schema` over the
table generated from :mod:`vibespec.spec.model` (``_table.py``). The hot path of ``vibespec
lint`` and ``compile``; see :mod:`vibespec.validation` and docs/DEVELOPING.md, "The fast path"."""

from __future__ import annotations

from ..validation import Schema, _Obj  # noqa: F401  (_Obj: the validated objects' base, for tests)
from ._table import MODELS

_SCHEMA = Schema(MODELS)


def validate(model: str, value):
    """``value`` validated as the spec model ``model``, or ``None`` (then see :func:`explain`)."""
    return _SCHEMA.validate(model, value)


def explain(model: str, value):
    """The errors pydantic would raise for ``value`` as ``model``; ``None``: ask pydantic."""
    return _SCHEMA.explain(model, value)
