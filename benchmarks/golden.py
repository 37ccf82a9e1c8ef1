"""Golden outputs: every user-visible output of vibespec, written into one folder.

    python benchmarks/golden.py OUT_DIR

Runs the ``vibespec`` command (as subprocesses, from the repository root, with a fixed
``--now``) over every example, rule case, hostile fixture, wire fixture and body case, and
``python -m vibespec.docsgen`` into a scratch root. Each run writes one file holding its
command line, exit code, stdout and stderr. Two runs (before and after a refactor) compared
with ``diff -r A B`` prove that the outputs are byte for byte the same.

Standard library only (plus the ``vibespec`` command being measured).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-25T12:00:00Z"
FORMATS = ("full", "concise", "json", "sarif", "github")
ENV = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR", "COLUMNS")}
ENV.update({"NO_COLOR": "1", "PYTHONHASHSEED": "0", "COLUMNS": "100", "TZ": "UTC"})


def _rel(paths) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in paths)


def _jobs() -> list[tuple[str, list[str]]]:
    vs = [sys.executable, "-m", "vibespec"]
    examples = _rel(p for p in (ROOT / "examples").glob("*") if p.name.endswith((".viber.yaml", ".viber.toml")))
    bodies = _rel((ROOT / "examples").glob("*.json"))
    cases = sorted((ROOT / "tests" / "rules" / "cases").glob("*/*"))
    case_specs = _rel(p for p in cases if p.name.endswith((".viber.yaml", ".viber.toml", ".yaml", ".toml")))
    case_json = _rel(p for p in cases if p.suffix == ".json")
    hostile = _rel(p for p in (ROOT / "tests" / "hostile" / "files").glob("*") if p.suffix != ".md")
    wire = sorted((ROOT / "tests" / "wire" / "fixtures").glob("*"))
    inbound = _rel([p for p in wire if p.name.startswith("inbound")] + [ROOT / "examples" / "inbound" / "webhook.json"])
    reports = _rel([p for p in wire if p.name.startswith("reports")] + list((ROOT / "examples" / "reports").glob("*")))

    jobs: list[tuple[str, list[str]]] = []
    for fmt in FORMATS:
        common = ["--no-cache", "--format", fmt, "--now", NOW, "--color", "never"]
        jobs.append((f"lint-examples.{fmt}", vs + ["lint", *common, *examples]))
        jobs.append((f"lint-hostile.{fmt}", vs + ["lint", *common, *hostile]))
        jobs.append((f"check-bodies.{fmt}", vs + ["check", "--format", fmt, "--now", NOW, "--color", "never", *bodies]))
        jobs.append((f"inbound.{fmt}", vs + ["inbound", "--format", fmt, *inbound]))
        jobs.append((f"reports.{fmt}", vs + ["reports", "check", "--format", fmt, *reports]))
        jobs.append((f"lint-cases.{fmt}", vs + ["lint", *common, *case_specs]))
        jobs.append((f"check-cases.{fmt}", vs + ["check", "--format", fmt, "--now", NOW, "--color", "never", *case_json]))
    for spec in examples:
        name = Path(spec).name
        jobs.append((f"compile-{name}", vs + ["compile", spec]))
        jobs.append((f"compile-annotate-{name}", vs + ["compile", "--annotate", spec]))
        jobs.append((f"plan-{name}", vs + ["plan", "--format", "json", "--now", NOW, spec]))
    for body in bodies:
        jobs.append((f"plan-{Path(body).name}", vs + ["plan", "--format", "json", "--now", NOW, body]))
    jobs.append(("rules.json", vs + ["rules", "--format", "json"]))
    jobs.append(("rules.text", vs + ["rules"]))
    return jobs


def _codes() -> list[str]:
    out = subprocess.run([sys.executable, "-m", "vibespec", "rules", "--format", "json"], cwd=ROOT, env=ENV,
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    items = data if isinstance(data, list) else data.get("rules", [])
    return sorted(r["code"] for r in items)


def _run(job: tuple[str, list[str]], out: Path) -> None:
    name, argv = job
    p = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True)
    shown = " ".join(a if a != sys.executable else "python" for a in argv)
    text = (f"$ {shown}\nexit {p.returncode}\n--- stdout\n".encode() + p.stdout
            + b"\n--- stderr\n" + p.stderr)
    (out / re.sub(r"[^A-Za-z0-9._-]", "_", name)).write_bytes(text)


def _docsgen(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        shutil.copyfile(ROOT / "docs" / "language.md", root / "docs" / "language.md")
        subprocess.run([sys.executable, "-m", "vibespec.docsgen", str(root)], cwd=ROOT, env=ENV,
                       capture_output=True, check=True)
        for f in sorted(root.rglob("*")):
            if f.is_file() and f.relative_to(root).parts != ("docs", "language.md"):
                # Named by what they hold, not where: the generated tables may move between packages.
                name = f.name
                if name == "_table.py":
                    first = f.read_text(encoding="utf-8").split("\n", 1)[0]
                    name = ("spec" if "spec models" in first else "request") + "_table.py"
                shutil.copyfile(f, out / ("docsgen-" + name))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    jobs = _jobs() + [(f"explain-{c}", [sys.executable, "-m", "vibespec", "explain", c]) for c in _codes()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda j: _run(j, out), jobs))
    _docsgen(out)
    print(f"{len(jobs)} runs and the docsgen outputs written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
