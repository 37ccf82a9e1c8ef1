"""Codes emitted outside rule classes are declared once, as data (vibespec/codes.py): the class
documenting each one carries the same code, name and severity, and no emitter writes one of
those codes as a string literal (it names the constant)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from vibespec import codes
from vibespec.rules import ALL_RULES

PKG = Path(codes.__file__).resolve().parent
DOC_MODULES = {"vibespec.rules.builtin", "vibespec.rules.structure", "vibespec.rules.templates",
               "vibespec.rules.wire"}


def test_every_documenting_class_is_its_constant() -> None:
    documented = {c.code: c for c in ALL_RULES if c.__module__ in DOC_MODULES}
    assert set(documented) == set(codes.BY_CODE)
    for code, cls in documented.items():
        assert (cls.code, cls.name, cls.severity) == tuple(codes.BY_CODE[code]), code


def test_no_rule_class_outside_them_redeclares_a_code() -> None:
    others = [c.code for c in ALL_RULES if c.__module__ not in DOC_MODULES]
    assert not set(others) & set(codes.BY_CODE)


@pytest.mark.slow
def test_emitters_name_the_constant() -> None:
    skip = {PKG / "codes.py"} | {PKG / "rules" / f"{m.rsplit('.', 1)[1]}.py" for m in DOC_MODULES}
    found = []
    for path in sorted(PKG.rglob("*.py")):
        if path in skip:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(m) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for m in ast.walk(n)}
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        found += [f"{path.relative_to(PKG)}:{n.lineno} {n.value}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and n.value in codes.BY_CODE
                  and id(n) not in in_fstring and id(n) not in docstrings]
    assert found == []
