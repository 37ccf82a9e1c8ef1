"""The rule registry: an explicit list of rule modules, each exporting ``RULES``.

Adding a rule: write the class in the module of its area, add it to that module's
``RULES`` tuple, add fail/pass cases under ``tests/rules/cases/<CODE>/``, and regenerate
``docs/rules.md`` (``python -m vibespec.docsgen``)."""

from __future__ import annotations

from .base import Finding, Rule, RuleContext, validate_rule_class
from . import (  # noqa: F401  (explicit, greppable registry)
    builtin,
    structure,
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
    templates,
    wire,
    plan_rules,
)

_MODULES = (
    builtin,
    structure,
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
    templates,
    wire,
    plan_rules,
)


def _collect() -> tuple[type[Rule], ...]:
    out: list[type[Rule]] = []
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for mod in _MODULES:
        for cls in getattr(mod, "RULES", ()):
            validate_rule_class(cls)
            if cls.code in seen_codes:
                raise ValueError(f"duplicate rule code {cls.code}: {cls.__name__} and {seen_codes[cls.code]}")
            if cls.name in seen_names:
                raise ValueError(f"duplicate rule name {cls.name}: {cls.__name__} and {seen_names[cls.name]}")
            seen_codes[cls.code] = cls.__name__
            seen_names[cls.name] = cls.__name__
            out.append(cls)
    out.sort(key=lambda c: c.code)
    return tuple(out)


ALL_RULES: tuple[type[Rule], ...] = _collect()
BY_CODE: dict[str, type[Rule]] = {c.code: c for c in ALL_RULES}
BY_NAME: dict[str, type[Rule]] = {c.name: c for c in ALL_RULES}


def get(code_or_name: str) -> type[Rule]:
    """A rule class by code (``VB201``, case-insensitive) or name (``text-too-long``)."""
    key = code_or_name.strip()
    cls = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if cls is None:
        raise KeyError(f"no such rule: {code_or_name}")
    return cls


def payload_rules() -> tuple[type[Rule], ...]:
    return tuple(c for c in ALL_RULES if c.stage == "payload")


__all__ = ["ALL_RULES", "BY_CODE", "BY_NAME", "Finding", "Rule", "RuleContext", "get", "payload_rules"]
