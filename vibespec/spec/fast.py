"""Validate spec values without pydantic: the hot path of ``vibespec lint`` and ``compile``.

Importing pydantic and building the spec models' validators costs about 150 ms per process,
more than parsing and checking a small spec. Most specs are valid, so the compiler first asks
this module, which interprets the table generated from the pydantic models
(:mod:`vibespec.spec._table`, rewritten by ``python -m vibespec.docsgen``; a test fails when
it is stale) with pydantic's strict-mode semantics:

* ``validate(model, value)`` returns an object with the model's attributes, or ``None``
  when the value is not plainly valid: an unknown key, a missing one, a wrong type, a
  converter that refuses, a union it cannot decide. Then the compiler asks pydantic, which
  either reports the problem (the diagnostics never come from here) or, rarely, accepts it.

So this module can make a valid spec fast, never an invalid one pass. The property test in
``tests/test_fast_model.py`` checks both directions on generated values of every model: what
it accepts pydantic accepts with equal values, and what pydantic accepts it accepts (giving up
is a slow path, never a wrong answer, but a valid spec should not take it)."""

from __future__ import annotations

from typing import Any, Callable

from ._table import MODELS


class _Bail(Exception):
    """The value is not plainly valid: let pydantic decide (and report)."""


_BAIL = _Bail()
_MISSING = object()


def _str(v):
    if isinstance(v, str):
        return v
    raise _BAIL


def _int(v):
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise _BAIL


def _bool(v):
    if v is True or v is False:
        return v
    raise _BAIL


def _float(v):
    if isinstance(v, float):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    raise _BAIL


def _any(v):
    return v


def _dict(v):
    if isinstance(v, dict):
        return dict(v)
    raise _BAIL


_SCALARS = {"str": (_str, str), "int": (_int, int), "bool": (_bool, bool), "float": (_float, float)}


class _Compiler:
    def __init__(self, table: dict):
        self.table = table
        self.classes: dict[str, type] = {}
        self.validators: dict[str, Callable] = {}

    def model(self, name: str) -> Callable:
        if name in self.validators:
            return self.validators[name]
        fields = self.table[name]
        cls = type(name, (_Obj,), {"__slots__": tuple(f[0] for f in fields)})
        self.classes[name] = cls
        compiled: list = []

        def validate(v):
            if not isinstance(v, dict):
                raise _BAIL
            obj = cls.__new__(cls)
            used = 0
            for attr, keys, required, check in compiled:
                found = _MISSING
                for k in keys:
                    if k in v:
                        if found is not _MISSING:
                            raise _BAIL  # two spellings of one key
                        found = v[k]
                        used += 1
                if found is _MISSING:
                    if required:
                        raise _BAIL
                    object.__setattr__(obj, attr, None)
                else:
                    object.__setattr__(obj, attr, check(found))
            if used != len(v):
                raise _BAIL  # an unknown key
            return obj

        self.validators[name] = validate  # before the fields: models may nest themselves
        compiled.extend((attr, keys, required, self.compile(spec)) for attr, keys, required, spec in fields)
        return validate

    def compile(self, spec: tuple) -> Callable:
        kind = spec[0]
        if kind in _SCALARS:
            return _SCALARS[kind][0]
        if kind == "any":
            return _any
        if kind == "dict":
            return _dict
        if kind == "model":
            return self.model(spec[1])
        if kind == "opt":
            inner = self.compile(spec[1])
            return lambda v: None if v is None else inner(v)
        if kind == "list":
            item = self.compile(spec[1])

            def list_of(v):
                if not isinstance(v, list):
                    raise _BAIL
                return [item(x) for x in v]

            return list_of
        if kind == "map":
            value = self.compile(spec[1])

            def map_of(v):
                if not isinstance(v, dict):
                    raise _BAIL
                out = {}
                for k, x in v.items():
                    if not isinstance(k, str):
                        raise _BAIL
                    out[k] = value(x)
                return out

            return map_of
        if kind == "plain":
            return _converter(spec[1])
        if kind == "before":
            before = spec[1]
            inner = self.compile(spec[2])

            def before_then(v):
                try:
                    v = before(v)
                except Exception:
                    raise _BAIL from None
                return inner(v)

            return before_then
        if kind == "union":
            return self._union(spec[1])
        raise ValueError(f"unknown type {kind!r} in the fast table")  # pragma: no cover - table is generated

    def _union(self, members: tuple) -> Callable:
        checks = [(self.compile(m), _SCALARS[m[0]][1] if m[0] in _SCALARS else None) for m in members]

        def union(v):
            # pydantic's smart union: the member of exactly the value's type wins; otherwise
            # it must be the only member that accepts the value.
            for check, exact in checks:
                if exact is not None and type(v) is exact:
                    return check(v)
            result = _MISSING
            for check, _ in checks:
                try:
                    r = check(v)
                except _Bail:
                    continue
                if result is not _MISSING:
                    raise _BAIL
                result = r
            if result is _MISSING:
                raise _BAIL
            return result

        return union


def _converter(fn: Callable) -> Callable:
    def convert(v):
        try:
            return fn(v)
        except Exception:
            raise _BAIL from None

    return convert


class _Obj:
    """A validated spec value: the model's fields as attributes, nothing else."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{a}={getattr(self, a)!r}" for a in self.__slots__ if getattr(self, a) is not None)
        return f"{type(self).__name__}({inner})"


_COMPILER = _Compiler(MODELS)


def validate(model: str, value: Any) -> Any | None:
    """``value`` validated as the spec model named ``model``, or ``None`` (ask pydantic)."""
    try:
        return _COMPILER.model(model)(value)
    except _Bail:
        return None
    except RecursionError:
        return None
