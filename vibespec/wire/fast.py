"""The request models' validator without pydantic: :class:`vibespec.schema.interpreter.Schema` over
the table generated from :mod:`vibespec.wire.request` (``_table.py``), as :mod:`vibespec.spec.fast`
is for the spec models. ``vibespec check``'s shape check (:mod:`vibespec.rules.shape`) reads it.

* ``validate(model, value)``, ``explain(model, value)``, ``check(model, value)``: see
  :mod:`vibespec.spec.fast`;
* ``SCHEMA``: the interpreter itself; ``MODELS``: the table (``_table.py`` is generated and
  private to this package)."""

from __future__ import annotations

from ..schema.interpreter import Schema
from ._table import MODELS

__all__ = ["validate", "explain", "check", "SCHEMA", "MODELS"]

SCHEMA = Schema(MODELS, "vibespec.wire.request")
validate, explain, check = SCHEMA.validate, SCHEMA.explain, SCHEMA.check
