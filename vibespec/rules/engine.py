"""Run the payload rules over a request body and collect findings (no positions here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from .base import Finding, Rule, RuleContext


_INSTANCES: dict[type[Rule], Rule] = {}


def run_rules(ctx: RuleContext, rules: Iterable[type[Rule]]) -> list[tuple[type[Rule], Finding]]:
    """Every finding of every given rule that applies to ``ctx.origin``, in rule order.
    Rules hold no state, so one instance of each serves every body."""
    out: list[tuple[type[Rule], Finding]] = []
    for cls in rules:
        if ctx.origin not in cls.inputs:
            continue
        rule = _INSTANCES.get(cls)
        if rule is None:
            rule = _INSTANCES[cls] = cls()
        for f in rule.check(ctx):
            out.append((cls, f))
    return out


def check_body(body: Any, *, origin: str = "payload", now: datetime | None = None,
               facts: Any = None, settings: dict | None = None) -> list[tuple[str, Finding]]:
    """Convenience for tests: ``[(code, finding), ...]`` for all registered payload rules."""
    from . import payload_rules  # lazy: the whole registry only for this helper of the tests

    kw: dict = {"body": body, "origin": origin, "facts": facts, "settings": settings or {}}
    if now is not None:
        kw["now"] = now
    return [(cls.code, f) for cls, f in run_rules(RuleContext(**kw), payload_rules())]
