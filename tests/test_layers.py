"""The layers of docs/DEVELOPING.md hold: the import-linter contracts of pyproject.toml
(`[tool.importlinter]`) are kept, and no module of vibespec imports, directly or through
others, a module that imports it back (every import counts, those inside functions too)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_contracts_are_kept() -> None:
    r = _lint_imports("--config", str(ROOT / "pyproject.toml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_a_broken_contract_fails(tmp_path: Path) -> None:
    # The checker is real: a layering the code contradicts (source imports diagnostics) is refused.
    cfg = tmp_path / "contracts.toml"
    cfg.write_text('[tool.importlinter]\nroot_package = "vibespec"\n\n[[tool.importlinter.contracts]]\n'
                   'name = "upside down"\ntype = "layers"\ncontainers = ["vibespec"]\n'
                   'layers = ["diagnostics", "source"]\n', encoding="utf-8")
    r = _lint_imports("--config", str(cfg))
    assert r.returncode == 1 and "BROKEN" in r.stdout
    assert "vibespec.diagnostics is not allowed to import vibespec.source" not in r.stdout
    assert "vibespec.source is not allowed to import vibespec.diagnostics" in r.stdout


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_circle_among_the_modules() -> None:
    grimp = pytest.importorskip("grimp")  # installed with import-linter
    g = grimp.build_graph("vibespec", cache_dir=None)
    graph = {m: {t for t in g.find_modules_directly_imported_by(m) if t.startswith("vibespec")}
             for m in g.modules if m.startswith("vibespec")}
    # A package's __init__ importing its own submodules is not a circle of layers.
    for m, targets in graph.items():
        graph[m] = {t for t in targets if not t.startswith(m + ".")}
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.slow
def test_function_level_imports_say_why() -> None:
    import ast

    pkg = ROOT / "vibespec"
    missing = []
    for path in sorted(pkg.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for f in ast.walk(tree):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                missing += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(f)
                            if isinstance(n, (ast.Import, ast.ImportFrom)) and "# lazy: " not in lines[n.lineno - 1]]
    assert missing == [], "a function-level import needs a '# lazy: <reason>' comment (or move it to the top)"


def test_no_module_imports_a_private_name_of_the_api() -> None:
    # What the commands and app/ need from vibespec.api has a public name there.
    import ast

    pkg = ROOT / "vibespec"
    private = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        package = ["vibespec", *rel.parts[:-1]]
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(n, ast.ImportFrom):
                base = package[: len(package) - n.level + 1] if n.level else []
                target = ".".join(base + ([n.module] if n.module else []))
                names = [a.name for a in n.names]
                if target == "vibespec" and "api" in names:
                    continue
                if target == "vibespec.api":
                    private += [f"{rel}:{n.lineno} {x}" for x in names if x.startswith("_")]
    assert private == []


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every module that ``path`` (a module of vibespec) imports, a name
    imported from a package counted as its submodule when there is one."""
    import ast

    pkg = ROOT / "vibespec"
    rel = path.relative_to(pkg)
    package = ["vibespec", *rel.parts[:-1]]
    out = []
    for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(n, ast.Import):
            out += [(n.lineno, a.name) for a in n.names]
        elif isinstance(n, ast.ImportFrom):
            base = package[: len(package) - n.level + 1] if n.level else []
            target = ".".join(base + ([n.module] if n.module else []))
            out.append((n.lineno, target))
            for a in n.names:
                sub = f"{target}.{a.name}"
                if (ROOT / Path(*sub.split("."))).with_suffix(".py").exists():
                    out.append((n.lineno, sub))
    return out


def _tables_imported_across_packages() -> list[str]:
    found = []
    for path in sorted((ROOT / "vibespec").rglob("*.py")):
        own = ".".join(("vibespec", *path.relative_to(ROOT / "vibespec").parts[:-1]))
        for line, module in _imported_modules(path):
            *package, name = module.split(".")
            if name == "_table" and ".".join(package) != own:
                found.append(f"{path.relative_to(ROOT)}:{line} {module}")
    return found


def test_no_module_imports_the_generated_table_of_another_package() -> None:
    # A generated table (spec/_table.py, wire/_table.py) is private to its package; the
    # compiler, the rules and the language server read it through the public module beside it
    # (vibespec.spec.fast, vibespec.wire.fast).
    assert _tables_imported_across_packages() == []


def test_the_table_check_finds_a_table_imported_across_packages(tmp_path: Path, monkeypatch) -> None:
    bad = ROOT / "vibespec" / "compiler" / "lower.py"
    text = bad.read_text(encoding="utf-8")
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: text + "\nfrom ..spec import _table\n"
                        if self == bad else real(self, *a, **k))
    assert _tables_imported_across_packages() == ["vibespec/compiler/lower.py:%d vibespec.spec._table"
                                                  % (text.count("\n") + 2)]
