"""The spec models' validator without pydantic: :class:`vibespec.schema.interpreter.Schema` over the
table generated from :mod:`vibespec.spec.model` (``_table.py``). The hot path of ``vibespec
lint`` and ``compile``; see :mod:`vibespec.schema.interpreter` and docs/DEVELOPING.md, "The fast path".

* ``validate(model, value)``: the validated value, or ``None``;
* ``explain(model, value)``: the errors pydantic would raise, or ``None`` (only pydantic can tell);
* ``check(model, value)``: ``(validated, [])`` or ``(None, errors)``, asking pydantic only then.

The table itself is public here, for the compiler and the language server (``_table.py`` is
generated and private to this package): ``MODELS`` (model -> its fields: attribute, accepted
keys, required, type), ``KNOWN_KEYS`` (model -> every spelling it accepts, canonical first),
``ALIASES`` (canonical key -> its other spellings) and ``MESSAGE_KEYS`` (a message's keys)."""

from __future__ import annotations

from ..schema.interpreter import Schema, _Obj  # noqa: F401  (_Obj: the validated objects' base, for tests)
from ._table import ALIASES, KNOWN_KEYS, MESSAGE_KEYS, MODELS

__all__ = ["validate", "explain", "check", "MODELS", "KNOWN_KEYS", "ALIASES", "MESSAGE_KEYS"]

_SCHEMA = Schema(MODELS, "vibespec.spec.model")
validate, explain, check = _SCHEMA.validate, _SCHEMA.explain, _SCHEMA.check
