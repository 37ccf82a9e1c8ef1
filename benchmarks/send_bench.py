#!/usr/bin/env python3
"""vibespec send benchmark: a 100,000-destination send to a local fake Infobip, beside the
same requests sent by a bare ``http.client`` loop, in the same run.

    python benchmarks/send_bench.py [--runs N] [--sizes 10000,100000] [--chunk-size 1000] [--stat min] [--json]

The server is tests/send/infobip_server.py in its own process on 127.0.0.1, with schema
validation off and nothing recorded (so the server's cost stays small, and the same for
every run and both sides). For each audience
size it measures, round robin, median of N:

* ``apply``: :func:`vibespec.send.apply` of a prepared plan (building each chunk's bytes,
  write-ahead and final receipts, parsing each answer), concurrency 1 and 4;
* ``bare``: a loop over the very same bodies (encoded before the clock starts) doing
  ``conn.request("POST", ...)``, ``getresponse().read()`` on one kept-alive connection;
* ``cli``: ``vibespec send SPEC --apply --yes`` as a whole process (compile, lint, plan,
  send), and its peak RSS (``ru_maxrss``);
* ``apply peak``: the Python heap peak (tracemalloc) during ``apply`` alone;
* ``client CPU``: the CPU time (all threads) the bare loop and ``apply`` spend: unlike wall
  time, it hardly moves with the load of the machine.

Goals: ``apply`` (concurrency 1) within 1.2x of ``bare``; the apply peak flat from 10,000
to 100,000 destinations."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SERVER = os.path.join(REPO, "tests", "send", "infobip_server.py")
KEY = "bench-key-0123456789"

CHILD = r'''
import json, os, sys, time, tracemalloc
import vibespec.send as S
spec, receipts, url, mode, conc, chunk = sys.argv[1:7]
plan = S.prepare(spec, chunk_size=int(chunk))
if mode == "bare":
    import http.client
    from urllib.parse import urlsplit
    bodies = [plan.chunk_bytes(c) for c in plan.chunks]
    del plan
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    headers = {"Authorization": "App " + os.environ["INFOBIP_API_KEY"], "Content-Type": "application/json"}
    t, cpu = time.perf_counter(), time.process_time()
    for b in bodies:
        conn.request("POST", "/viber-bot/1/messages", body=b, headers=headers)
        r = conn.getresponse()
        r.read()
        assert r.status == 200, r.status
    dt = time.perf_counter() - t
    print(json.dumps({"seconds": dt, "cpu": time.process_time() - cpu}))
    sys.exit(0)
client = S.Client(url, os.environ["INFOBIP_API_KEY"])
if mode == "mem":
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
t, cpu = time.perf_counter(), time.process_time()
res = S.apply(plan, client, S.Store(receipts), concurrency=int(conc))
dt = time.perf_counter() - t
assert res.ok, res.counts()
out = {"seconds": dt, "cpu": time.process_time() - cpu}
if mode == "mem":
    out["peak_mib"] = (tracemalloc.get_traced_memory()[1] - base) / 2**20
print(json.dumps(out))
'''


def make_spec(folder: str, n: int) -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "people.csv"), "w") as f:
        f.write("to,name\n")
        for i in range(n):
            f.write(f"user-{i:06d},N{i % 7}\n")
    path = os.path.join(folder, "bench.viber.yaml")
    with open(path, "w") as f:
        f.write("vibespec: 1\nbulk_id: bench\ndefaults: {sender: AcmeBot}\ntemplates:\n  t:\n"
                "    text: \"Hi {{ name }}\"\naudience: people.csv\nmessages:\n  - template: t\n    to: audience\n")
    return path


def child(args: list[str], env: dict) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"benchmark child failed: {r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def cli(spec: str, env: dict, workdir: str) -> tuple[float, float]:
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "vibespec", "send", spec, "--apply", "--yes", "--force"],
                         cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"vibespec send failed: {p.stderr.read().decode()[-2000:]}")
    p.stderr.close()
    return dt, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--chunk-size", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--stat", choices=["median", "min"], default="median",
                    help="median of the runs, or the best (on a busy machine)")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    tmp = tempfile.mkdtemp(prefix="vibespec-send-bench-")
    srv = subprocess.Popen([sys.executable, SERVER, KEY, "--no-validate", "--no-record"], stdout=subprocess.PIPE, text=True)
    try:
        url = srv.stdout.readline().strip()
        env = os.environ | {"INFOBIP_API_KEY": KEY, "INFOBIP_BASE_URL": url}
        print(f"statistic: {a.stat} of {a.runs}; server {url}; load {os.getloadavg()[0]:.2f}; chunk size {a.chunk_size}; runs {a.runs}",
              file=sys.stderr)
        results: dict = {}
        for n in sizes:
            folder = os.path.join(tmp, str(n))
            spec = make_spec(folder, n)
            with open(os.path.join(folder, "pyproject.toml"), "w") as f:
                f.write(f"[tool.vibespec]\n\n[tool.vibespec.send]\nchunk-size = {a.chunk_size}\nconcurrency = 4\n")
            runs: dict = {k: [] for k in ("bare", "apply1", "apply4", "cli", "cli_rss", "apply_peak", "bare_cpu",
                                          "apply1_cpu")}
            for i in range(a.runs):
                rc = os.path.join(folder, f"r{i}")
                b = child([spec, rc + "b", url, "bare", "1", str(a.chunk_size)], env)
                a1 = child([spec, rc + "1", url, "apply", "1", str(a.chunk_size)], env)
                runs["bare"].append(b["seconds"])
                runs["bare_cpu"].append(b["cpu"])
                runs["apply1"].append(a1["seconds"])
                runs["apply1_cpu"].append(a1["cpu"])
                runs["apply4"].append(child([spec, rc + "4", url, "apply", "4", str(a.chunk_size)], env)["seconds"])
                runs["apply_peak"].append(child([spec, rc + "m", url, "mem", "1", str(a.chunk_size)], env)["peak_mib"])
                dt, rss = cli(spec, env, folder)
                runs["cli"].append(dt)
                runs["cli_rss"].append(rss)
                print(f"  {n}: run {i + 1}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in runs.items()),
                      file=sys.stderr)
            pick = statistics.median if a.stat == "median" else min
            results[n] = {k: pick(v) for k, v in runs.items()}
            results[n]["runs"] = runs
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    lines = ["| destinations | bare http.client loop | apply, 1 in flight | ratio | apply, 4 in flight | ratio |"
             " client CPU: bare / apply 1 | ratio | `vibespec send --apply` (whole process) | its peak RSS |"
             " apply heap peak |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        lines.append(f"| {n:,} | {r['bare']:.2f} s | {r['apply1']:.2f} s | {r['apply1'] / r['bare']:.2f}x | "
                     f"{r['apply4']:.2f} s | {r['apply4'] / r['bare']:.2f}x | "
                     f"{r['bare_cpu']:.2f} s / {r['apply1_cpu']:.2f} s | {r['apply1_cpu'] / r['bare_cpu']:.2f}x | "
                     f"{r['cli']:.2f} s | {r['cli_rss']:.0f} MiB | {r['apply_peak']:.2f} MiB |")
    print(f"load at the end {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if a.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
