#!/usr/bin/env python3
"""Audience memory: ``vibespec compile`` of one message to a CSV audience of 10,000, 100,000
and 1,000,000 rows that all render to the same message, as whole processes.

    python benchmarks/audience_bench.py [--runs N] [--sizes 10000,100000,1000000] [--distinct]

Baseline, measured in the same run: the same command on a one-row audience (the process
itself). For each size it prints wall time and peak RSS (``wait4``'s ``ru_maxrss`` of the
child), the RSS above the baseline, that growth per row, and the growth against the
audience file's size. ``--distinct`` also runs audiences whose rows render to as many
different messages (each row its own text), where the body itself grows with the rows.

Goal: rows that render to the same message cost the memory of the file and a few bytes a
row (their packed id and line number), not an object per row."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SPEC = """vibespec: 1
defaults: {{sender: AcmeBot}}
audience: people.csv
messages:
  - id: hello
    to: audience
    text: "{text}"
"""


def make(folder: str, n: int, distinct: bool) -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "pyproject.toml"), "w") as f:
        f.write("[tool.vibespec]\n")
    with open(os.path.join(folder, "people.csv"), "w") as f:
        f.write("to,city,name\n")
        for i in range(n):
            f.write(f"bot-user-{i:07d},{'Ljubljana' if i % 2 else 'Maribor'},Ana {i}\n")
    spec = os.path.join(folder, "promo.viber.yaml")
    text = "Hello {{ name }}" if distinct else "Hello from the coast"
    with open(spec, "w") as f:
        f.write(SPEC.format(text=text))
    return spec


def run(spec: str) -> tuple[float, float]:
    t = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen([sys.executable, "-m", "vibespec", "compile", spec], stdout=null,
                             stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    err = p.stderr.read().decode() if p.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compile of {spec} failed:\n{err}")
    return dt, usage.ru_maxrss / 1024  # MiB (ru_maxrss is KiB on Linux)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--distinct", action="store_true", help="also rows rendering distinct messages")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    tmp = tempfile.mkdtemp(prefix="vibespec-audience-bench-")
    kinds = [False, True] if a.distinct else [False]
    print(f"load {os.getloadavg()[0]:.2f}; median of {a.runs}", file=sys.stderr)
    try:
        base_spec = make(os.path.join(tmp, "base"), 1, False)
        cases = [(d, n, make(os.path.join(tmp, f"{'d' if d else 's'}{n}"), n, d)) for d in kinds for n in sizes]
        runs: dict = {"base": []} | {(d, n): [] for d, n, _ in cases}
        for _ in range(a.runs):  # round robin: a change of load hits every case
            runs["base"].append(run(base_spec))
            for d, n, spec in cases:
                runs[(d, n)].append(run(spec))
        base_t = statistics.median(t for t, _ in runs["base"])
        base_m = statistics.median(m for _, m in runs["base"])
        lines = ["| rows | rendering | file | compile | peak RSS | above one row | a row | growth / file size |",
                 "|---|---|---|---|---|---|---|---|",
                 f"| 1 | (baseline) | | {base_t:.2f} s | {base_m:.1f} MiB | | | |"]
        for d, n, spec in cases:
            t = statistics.median(x for x, _ in runs[(d, n)])
            m = statistics.median(y for _, y in runs[(d, n)])
            size = os.path.getsize(os.path.join(os.path.dirname(spec), "people.csv")) / 2**20
            grow = m - base_m
            lines.append(f"| {n:,} | {'distinct messages' if d else 'one message'} | {size:.1f} MiB | {t:.2f} s | "
                         f"{m:.1f} MiB | {grow:.1f} MiB | {grow * 2**20 / n:.0f} B | {grow / size:.2f}x |")
        print("\n".join(lines))
        print(f"load at the end {os.getloadavg()[0]:.2f}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
