"""The registry of every code: the payload rules (an explicit list of rule modules, each
exporting ``RULES``) and the codes emitted outside a rule (:mod:`vibespec.codes`, documented in
:mod:`vibespec.codedocs`), sorted by code. Everything that lists, documents or selects codes
(``vibespec rules``, ``explain``, docs/rules.md, SARIF, select/ignore, hover) reads it.

Adding a rule: write the class in the module of its area, add it to that module's
``RULES`` tuple, add fail/pass cases under ``tests/rules/cases/<CODE>/``, and regenerate
``docs/rules.md`` (``python -m vibespec.docsgen``)."""

from __future__ import annotations

from .base import EMITTED, EmittedCode, Entry, Finding, Rule, RuleContext, validate_rule_class
from . import (  # noqa: F401  (explicit, greppable registry)
    content_text,
    content_media,
    content_misc,
    carousel,
    keyboard,
    buttons,
    schedule,
    options,
    failover,
    webhooks,
    urls,
    addressing,
    plan_rules,
)

_MODULES = (
    content_text,
    content_media,
    content_misc,
    carousel,
    keyboard,
    buttons,
    schedule,
    options,
    failover,
    webhooks,
    urls,
    addressing,
    plan_rules,
)


def _collect() -> tuple[Entry, ...]:
    out: list[Entry] = []
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    rules = [cls for mod in _MODULES for cls in getattr(mod, "RULES", ())]
    for cls in [*rules, *EMITTED]:
        validate_rule_class(cls)
        label = cls.__name__ if isinstance(cls, type) else repr(cls)
        if cls.code in seen_codes:
            raise ValueError(f"duplicate rule code {cls.code}: {label} and {seen_codes[cls.code]}")
        if cls.name in seen_names:
            raise ValueError(f"duplicate rule name {cls.name}: {label} and {seen_names[cls.name]}")
        seen_codes[cls.code] = label
        seen_names[cls.name] = label
        out.append(cls)
    out.sort(key=lambda c: c.code)
    return tuple(out)


#: every code, sorted: the payload rule classes and the emitted codes
ALL_RULES: tuple[Entry, ...] = _collect()
BY_CODE: dict[str, Entry] = {c.code: c for c in ALL_RULES}
BY_NAME: dict[str, Entry] = {c.name: c for c in ALL_RULES}


def get(code_or_name: str) -> Entry:
    """A registry entry by code (``VB201``, case-insensitive) or name (``text-too-long``)."""
    key = code_or_name.strip()
    cls = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if cls is None:
        raise KeyError(f"no such rule: {code_or_name}")
    return cls


def payload_rules() -> tuple[type[Rule], ...]:
    """The rule classes, the codes a ``check`` finds (sorted by code)."""
    return _PAYLOAD


_PAYLOAD: tuple[type[Rule], ...] = tuple(c for c in ALL_RULES if not isinstance(c, EmittedCode))

__all__ = ["ALL_RULES", "BY_CODE", "BY_NAME", "EmittedCode", "Entry", "Finding", "Rule", "RuleContext", "get",
           "payload_rules"]
