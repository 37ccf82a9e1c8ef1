"""No dead module-level names in the package: every function, class and constant defined at the
top of a module under vibespec/ is named somewhere in the package (called, imported, read as an
attribute, or spelt in a string: ``_LAZY``, ``__all__``, entry points). A decorated function is
registered by its decorator (click commands, language-server handlers) and counts as used.

A narrow, always-on relative of a vulture scan (docs/DEVELOPING.md): methods, attributes and
model fields are out of its reach and are read by hand."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vibespec"

# name -> why it stays although nothing in the package names it
KEPT = {
    "check_body": "rules/engine.py: the rules' unit tests run every payload rule over a body through it",
    "is_international_phone": "rules/common.py: unused; left for the owner of rules/ to delete with this line",
    "CONTENT_MODELS": "wire/request.py: public at the deprecated path vibespec.payload.request; goes with the alias",
}


def dead_names(package: Path) -> list[str]:
    defined: list[tuple[str, int, str]] = []
    named: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(package.parent).as_posix()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if not node.decorator_list:
                    defined.append((rel, node.lineno, node.name))
            elif isinstance(node, ast.Assign):
                defined += [(rel, node.lineno, t.id) for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined.append((rel, node.lineno, node.target.id))
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Store):
                named.add(n.id)
            elif isinstance(n, ast.Attribute):
                named.add(n.attr)
            elif isinstance(n, ast.alias):
                named.add(n.name.rsplit(".", 1)[-1])
            elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                named.add(n.value)
    return [f"{rel}:{line} {name}" for rel, line, name in defined
            if name not in named and not name.startswith("__") and name not in KEPT]


def test_every_module_level_name_is_used():
    assert dead_names(PACKAGE) == []


def test_the_kept_names_still_exist():
    # an entry outlives its name only by mistake: delete the entry with the name
    text = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    assert [n for n in KEPT if f"def {n}(" not in text and f"{n} =" not in text] == []


def test_a_dead_constant_is_found(tmp_path):
    pkg = tmp_path / "vibespec"
    pkg.mkdir()
    (pkg / "a.py").write_text("USED = 1\nDEAD = 2\n\n\ndef f():\n    return USED\n\n\ndef _g():\n    pass\n")
    (pkg / "b.py").write_text("from .a import f\n\nf()\n")
    assert dead_names(pkg) == ["vibespec/a.py:2 DEAD", "vibespec/a.py:9 _g"]
