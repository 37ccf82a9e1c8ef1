"""Every code is declared once. A code reported outside a rule's ``check`` (the loaders, the
compiler, the importer, the wire parsers) is data: its code, name and severity in
vibespec/codes.py, its documentation in vibespec/codedocs.py, keyed by the same constant. A
payload rule is a class whose ``check`` finds something: no rule class is a stub that only
carries a code. The registry (``vibespec rules``, ``explain``, select/ignore) sees both, and no
emitter writes a code as a string literal (it names the constant)."""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec import codes
from vibespec.api import compile_spec, read_source
from vibespec.cli.app import cli
from vibespec.codedocs import DOCS
from vibespec.rules import ALL_RULES, BY_CODE, EmittedCode, Rule, RuleContext, payload_rules

PKG = Path(codes.__file__).resolve().parent
CASES = Path(__file__).parent / "rules" / "cases"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_every_code_has_docs_and_every_docs_entry_a_code() -> None:
    """The texts document every code of codes.py but those a rule class documents (OF_RULES)."""
    assert set(DOCS) == set(codes.BY_CODE.values()) - codes.OF_RULES
    for key, text in DOCS.items():
        assert key is codes.BY_CODE[key.code], f"{key.code}: key the texts by the constant of vibespec/codes.py"
        doc = inspect.cleandoc(text)
        assert doc.split("\n\n", 1)[0].strip(), key.code
        assert "\nSource:" in doc, f"{key.code}: documentation without a Source: section"


def test_the_registry_entry_of_a_code_is_its_constant() -> None:
    for c in codes.BY_CODE.values():
        entry = BY_CODE[c.code]
        assert (entry.code, entry.name, entry.severity) == tuple(c)
        if c in codes.OF_RULES:  # the planner's: a rule class reports and documents it
            assert entry in payload_rules(), c.code
        else:
            assert isinstance(entry, EmittedCode), c.code
            assert entry.doc() == inspect.cleandoc(DOCS[c])


def test_no_rule_class_redeclares_an_emitted_code() -> None:
    assert {r.code for r in payload_rules()} & set(codes.BY_CODE) == {c.code for c in codes.OF_RULES}
    assert {r.code for r in ALL_RULES} == {r.code for r in payload_rules()} | set(codes.BY_CODE)


def test_the_registry_refuses_a_class_that_redeclares_a_code() -> None:
    from vibespec.rules.base import validate_rule_class

    class Copy(Rule):
        """A summary."""

        code, name, severity = "VB450", "expires-before-window", codes.Severity.ERROR  # not the constant's

        def check(self, ctx):
            yield from ()

    with pytest.raises(ValueError, match="declared in vibespec/codes.py"):
        validate_rule_class(Copy)


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def _check_can_find(fn) -> bool:
    """Whether a ``check`` can produce a finding at all: it yields, or returns something other
    than an empty literal (``return ()``, ``return []``, ``return None``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, ast.Return) and node.value is not None:
            v = node.value
            empty = (isinstance(v, ast.Constant) and v.value in (None, (), "")) or (
                isinstance(v, (ast.Tuple, ast.List, ast.Set, ast.Dict)) and not getattr(v, "elts", getattr(v, "keys", None)))
            if not empty:
                return True
    return False


def test_no_rule_class_without_a_check() -> None:
    """Every Rule subclass that carries a code overrides ``check`` with one that can yield."""
    ours = [c for c in _subclasses(Rule) if c.__module__.startswith("vibespec.") and c.code]  # not tests' own
    stubs = [cls.__name__ for cls in ours if cls.check is Rule.check or not _check_can_find(cls.check)]
    assert stubs == []
    assert set(ours) == set(payload_rules())


def test_the_stub_criterion_sees_a_stub() -> None:
    class Stub(Rule):
        def check(self, ctx):
            return ()

    class Generator(Rule):
        def check(self, ctx):
            yield from ()

    class Returns(Rule):
        def check(self, ctx):
            return [x for x in ctx.body]

    assert not _check_can_find(Stub.check)
    assert _check_can_find(Generator.check) and _check_can_find(Returns.check)


def _fail_cases(code: str) -> list[Path]:
    folder = CASES / code
    return sorted(p for p in folder.iterdir() if p.name.startswith("fail") and p.suffix in (".yaml", ".yml", ".toml", ".json"))


@pytest.mark.parametrize("rule", payload_rules(), ids=lambda r: r.code)
def test_every_rule_class_finds_its_own_fail_cases(rule) -> None:
    """The real criterion: run alone on the bodies of its fail cases, the class's ``check``
    reports something (a class whose code comes from elsewhere would find nothing)."""
    found = 0
    for path in _fail_cases(rule.code):
        if path.suffix == ".json":
            ctx = RuleContext(body=read_source(path).data, origin="payload", now=NOW)
        else:
            compiled = compile_spec(path, now=NOW)
            ctx = RuleContext(body=compiled.body, origin="spec", facts=compiled.facts, now=NOW)
        if ctx.origin in rule.inputs:
            found += len(list(rule().check(ctx)))
    assert found, f"{rule.code}: its check finds nothing on tests/rules/cases/{rule.code}/fail*"


def test_every_code_is_listed_and_explainable() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["rules", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["code"]: r for r in json.loads(listed.output)}
    for c in codes.BY_CODE.values():
        assert rows[c.code]["name"] == c.name and rows[c.code]["severity"] == c.severity.value, c.code
        assert rows[c.code]["summary"] and rows[c.code]["summary"] != c.name, c.code
        shown = runner.invoke(cli, ["explain", c.code])
        assert shown.exit_code == 0, shown.output
        assert shown.output.startswith(f"{c.code} {c.name} ({c.severity.value}, "), shown.output[:80]
        assert "Source:" in shown.output
    assert set(rows) == {r.code for r in ALL_RULES}


@pytest.mark.slow
def test_emitters_name_the_constant() -> None:
    skip = {PKG / "codes.py", PKG / "codedocs.py"}
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


# what may still name a severity itself: the data, the Diagnostic type's own methods, and the
# send command's report of Infobip's own HTTP rejection (E400: Infobip's status, not a vibespec code)
_OWN_SEVERITY = {PKG / "codes.py", PKG / "diagnostics.py"}
_NOT_A_CODE = {(PKG / "send" / "run.py", "E400")}


def _builds_a_diagnostic(fn: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and (getattr(n.func, "id", None) == "Diagnostic"
                                            or getattr(n.func, "attr", None) == "diagnostic")
               for n in ast.walk(fn))


def test_emitters_never_choose_a_severity() -> None:
    """A diagnostic's severity comes from its Code (``codes.VB702.diagnostic(...)``) or its rule
    class: no call in the package passes ``Severity.ERROR`` & co., and no helper that builds a
    diagnostic takes a ``severity`` parameter."""
    found = []
    for path in sorted(PKG.rglob("*.py")):
        if path in _OWN_SEVERITY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                first = n.args[0] if n.args else None
                if isinstance(first, ast.Constant) and (path, first.value) in _NOT_A_CODE:
                    continue
                for a in [*n.args, *(k.value for k in n.keywords)]:
                    if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "Severity":
                        found.append(f"{path.relative_to(PKG)}:{n.lineno} passes {ast.unparse(a)}")
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and _builds_a_diagnostic(n):
                params = [a.arg for a in (*n.args.posonlyargs, *n.args.args, *n.args.kwonlyargs)]
                if "severity" in params:
                    found.append(f"{path.relative_to(PKG)}:{n.lineno} {n.name}() takes a severity")
    assert found == []


def test_a_code_builds_its_diagnostic_at_its_severity() -> None:
    for c in codes.BY_CODE.values():
        d = c.diagnostic("m", "f.yaml", 3, 4)
        assert (d.code, d.severity, d.message, d.file, d.line, d.column) == (c.code, c.severity, "m", "f.yaml", 3, 4)


def test_configuration_selects_every_code_by_code_and_name() -> None:
    from vibespec.config import from_mapping

    every = [*codes.BY_CODE.values()]
    cfg = from_mapping({"ignore": [c.code for c in every], "severity": {c.name: "info" for c in every}})
    assert set(cfg.ignore) == set(codes.BY_CODE)
    assert not any(cfg.enabled(c.code) for c in every)
    assert all(cfg.severity_of(c.code, c.severity).value == "info" for c in every)
