"""benchmarks/fuzz.py imports the package's modules by their paths: run a few inputs of
each target so a move of a module cannot leave it broken unnoticed (it was, after the
layout work moved the cache and the batch runner into vibespec/app)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_fuzzer_runs_and_finds_no_crash(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "fuzz.py"), "--n", "120", "--seed", "7",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    out = r.stdout + r.stderr
    assert "crashes: 0 (0 distinct)" in out, out[-2000:]
