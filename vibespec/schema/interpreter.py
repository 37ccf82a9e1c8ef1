"""Validate values against generated model tables, without pydantic.

Importing pydantic and building validators costs about 150 ms per process, more than parsing
and checking a small spec or body. So the models declared with pydantic
(:mod:`vibespec.spec.model` for specs, :mod:`vibespec.wire.request` for request bodies) are
written out as tables by ``python -m vibespec.docsgen`` (``vibespec/spec/_table.py``,
``vibespec/wire/_table.py``; a test fails when they are stale), and a :class:`Schema`
interprets a table with pydantic's strict-mode semantics:

* ``validate(model, value)``: an object with the model's attributes, or ``None`` when the
  value is not valid (an unknown key, a missing one, a wrong type, a converter that refuses).
* ``explain(model, value)``: the errors pydantic would raise for it, in the form of
  ``ValidationError.errors()`` (types, locations, inputs, converter messages); ``None`` for the
  few cases it does not model (a converter failing with an unexpected exception, a union of
  non-scalars), and only then does the caller import pydantic and ask it.

Table types are nested tuples: ``("str",)``, ``("int",)``, ``("bool",)``, ``("float",)``,
``("any",)``, ``("dict",)``, ``("list", T)``, ``("map", T)`` (string keys), ``("opt", T)``,
``("union", (T, ...))``, ``("model", NAME)``, ``("plain", converter)``, ``("before",
converter, T)``, ``("literal", (value, ...))`` and ``("tagged", KEY, {tag: NAME})`` (a union
discriminated by ``KEY``).

``tests/test_fast_model.py`` and ``tests/test_fast_payload.py`` hold the tables' interpreter to
pydantic on generated values of every model: it accepts exactly what pydantic accepts, with
equal values, and its errors give the same diagnostics as pydantic's."""

from __future__ import annotations

from typing import Any, Callable

from .errors import ShorthandError


class _Bail(Exception):
    """The value is not valid (Schema.explain then says why)."""


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
        if kind == "literal":
            values = spec[1]

            def literal(v):
                for x in values:
                    if type(v) is type(x) and v == x:
                        return x
                raise _BAIL

            return literal
        if kind == "tagged":
            key, tags = spec[1], spec[2]
            models = {tag: self.model(name) for tag, name in tags.items()}

            def tagged(v):
                if not isinstance(v, dict):
                    raise _BAIL
                check = models.get(v.get(key)) if isinstance(v.get(key), str) else None
                if check is None:
                    raise _BAIL
                return check(v)

            return tagged
        raise ValueError(f"unknown type {kind!r} in a generated table")  # pragma: no cover - table is generated

    def _union(self, members: tuple) -> Callable:
        exact_types = {"map": dict, "dict": dict, "list": list}
        checks = [(self.compile(m), _SCALARS[m[0]][1] if m[0] in _SCALARS else exact_types.get(m[0]))
                  for m in members]

        def union(v):
            # pydantic's smart union: a member that takes the value as exactly its own type
            # (str for a str, dict[str, str] for a dict, not a model built from it) wins;
            # otherwise the value must fit exactly one member.
            result = _MISSING
            fits = 0
            for check, exact in checks:
                try:
                    r = check(v)
                except _Bail:
                    continue
                if exact is not None and type(v) is exact:
                    return r
                fits += 1
                result = r
            if fits != 1:
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
    """A validated value: the model's fields as attributes, nothing else."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{a}={getattr(self, a)!r}" for a in self.__slots__ if getattr(self, a) is not None)
        return f"{type(self).__name__}({inner})"


class Schema:
    """One generated table (``MODELS``: model name -> fields) and its compiled validators;
    ``declared_in`` names the module of the pydantic models it was generated from."""

    def __init__(self, models: dict, declared_in: str):
        self.models = models
        self.declared_in = declared_in
        self.compiler = _Compiler(models)

    def check(self, model: str, value: Any) -> tuple[Any, list[dict]]:
        """``(validated, [])`` or ``(None, errors)``, errors as ``ValidationError.errors()``.
        :meth:`validate` and :meth:`explain` decide almost every case; pydantic, imported only
        then, decides the rest."""
        validated = self.validate(model, value)
        if validated is not None:
            return validated, []
        errors = self.explain(model, value)
        if errors:
            return None, errors
        import importlib  # lazy: pydantic only for what the explainer does not model

        from pydantic import ValidationError  # lazy: pydantic only for what the explainer does not model

        declared = getattr(importlib.import_module(self.declared_in), model)
        try:
            return declared.model_validate(value), []
        except ValidationError as e:
            return None, e.errors(include_url=False)

    def validate(self, model: str, value: Any) -> Any | None:
        """``value`` validated as ``model``, or ``None`` (see :meth:`explain`)."""
        try:
            return self.compiler.model(model)(value)
        except _Bail:
            return None
        except RecursionError:
            return None

    def explain(self, model: str, value: Any) -> list[dict] | None:
        """Why ``value`` is not a valid ``model``: the errors pydantic would give, as
        ``ValidationError.errors()`` dicts (type, loc, msg, input, ctx) in its order; ``[]``
        when it is valid; ``None`` when only pydantic can tell (then ask it)."""
        errors: list[dict] = []
        try:
            _Explainer(self).value(("model", model), value, (), errors)
        except (_Unknown, RecursionError):
            return None
        return errors


# --------------------------------------------------------------------------- errors


class _Unknown(Exception):
    """A case :meth:`Schema.explain` does not model (a converter failing with something other
    than ShorthandError, a union of non-scalars, a non-string tag): pydantic reports it."""


_TYPE_ERRORS = {
    "str": ("string_type", "Input should be a valid string"),
    "int": ("int_type", "Input should be a valid integer"),
    "bool": ("bool_type", "Input should be a valid boolean"),
    "float": ("float_type", "Input should be a valid number"),
}


def _error(errors: list, type_: str, loc: tuple, msg: str, value: Any, ctx: dict | None = None) -> None:
    e = {"type": type_, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        e["ctx"] = ctx
    errors.append(e)


class _Explainer:
    """Walks a value the way pydantic does and records the errors it would report."""

    def __init__(self, schema: Schema):
        self.schema = schema

    def value(self, spec: tuple, v: Any, loc: tuple, errors: list) -> None:
        kind = spec[0]
        if kind in _SCALARS:
            try:
                _SCALARS[kind][0](v)
            except _Bail:
                _error(errors, _TYPE_ERRORS[kind][0], loc, _TYPE_ERRORS[kind][1], v)
        elif kind == "any":
            return
        elif kind == "dict":
            if not isinstance(v, dict):
                _error(errors, "dict_type", loc, "Input should be a valid dictionary", v)
        elif kind == "opt":
            if v is not None:
                self.value(spec[1], v, loc, errors)
        elif kind == "list":
            if not isinstance(v, list):
                _error(errors, "list_type", loc, "Input should be a valid list", v)
                return
            for j, x in enumerate(v):
                self.value(spec[1], x, loc + (j,), errors)
        elif kind == "map":
            if not isinstance(v, dict):
                _error(errors, "dict_type", loc, "Input should be a valid dictionary", v)
                return
            for k, x in v.items():
                if not isinstance(k, str):
                    _error(errors, "string_type", loc + (k, "[key]"), "Input should be a valid string", k)
                self.value(spec[1], x, loc + (k,), errors)
        elif kind == "plain":
            try:
                spec[1](v)
            except ShorthandError as e:
                _error(errors, e.code, loc, e.message, v, {"help": e.help, "message": e.message})
            except Exception:
                raise _Unknown from None
        elif kind == "before":
            try:
                v = spec[1](v)
            except Exception:
                raise _Unknown from None
            self.value(spec[2], v, loc, errors)
        elif kind == "union":
            members = spec[1]
            if not all(m[0] in _SCALARS for m in members):
                raise _Unknown
            if any(self._accepts(m, v) for m in members):
                return
            for m in members:  # pydantic tags each member's error with its type
                self.value(m, v, loc + (m[0],), errors)
        elif kind == "literal":
            if not self._accepts(spec, v):
                expected = " or ".join(repr(x) for x in spec[1])
                _error(errors, "literal_error", loc, f"Input should be {expected}", v, {"expected": expected})
        elif kind == "tagged":
            self._tagged(spec[1], spec[2], v, loc, errors)
        elif kind == "model":
            self.model(spec[1], v, loc, errors)
        else:  # pragma: no cover - the table is generated
            raise _Unknown

    def _accepts(self, spec: tuple, v: Any) -> bool:
        try:
            self.schema.compiler.compile(spec)(v)
        except _Bail:
            return False
        return True

    def _tagged(self, key: str, tags: dict, v: Any, loc: tuple, errors: list) -> None:
        if not isinstance(v, dict):
            _error(errors, "model_attributes_type", loc, "Input should be a valid dictionary or object to extract "
                   "fields from", v)
            return
        quoted = f"'{key}'"
        if key not in v:
            _error(errors, "union_tag_not_found", loc, f"Unable to extract tag using discriminator {quoted}", v,
                   {"discriminator": quoted})
            return
        tag = v[key]
        if not isinstance(tag, str):
            raise _Unknown  # pydantic's text for a non-string tag: let it say
        if tag not in tags:
            expected = ", ".join(f"'{t}'" for t in tags)
            _error(errors, "union_tag_invalid", loc, f"Input tag {tag!r} found using {quoted} does not match any of "
                   f"the expected tags: {expected}", v, {"discriminator": quoted, "tag": tag, "expected_tags": expected})
            return
        self.model(tags[tag], v, loc + (tag,), errors)

    def model(self, name: str, v: Any, loc: tuple, errors: list) -> None:
        if not isinstance(v, dict):
            _error(errors, "model_type", loc, f"Input should be a valid dictionary or instance of {name}", v)
            return
        used: set = set()
        for attr, keys, required, spec in self.schema.models[name]:
            key = next((k for k in keys if k in v), None)
            if key is None:
                if required:
                    _error(errors, "missing", loc + (keys[0],), "Field required", v)
                continue
            used.add(key)
            self.value(spec, v[key], loc + (key,), errors)
        for k, x in v.items():
            if not isinstance(k, str):
                _error(errors, "invalid_key", loc + (k,), "Keys should be strings", k)
            elif k not in used:
                _error(errors, "extra_forbidden", loc + (k,), "Extra inputs are not permitted", x)
