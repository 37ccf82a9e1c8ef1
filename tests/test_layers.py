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
