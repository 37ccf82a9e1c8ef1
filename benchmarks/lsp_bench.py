"""Language server latency and memory: ``python benchmarks/lsp_bench.py``.

Starts ``vibespec server`` over stdio (LSP framing done here with the standard library), opens a
300-line spec and edits it: each edit changes one value and waits for the diagnostics of that
version. Prints the median time from a change to its published diagnostics (after the first,
which loads the rules; goal: under 50 ms), against a baseline measured in the same run: one
``vibespec lint`` process on the same text. Then 1,000 more edits, and the server's resident
memory after 100 and after 1,000 edits (goal: no growth).

Needs the ``lsp`` extra (``pip install '.[lsp]'``)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEBOUNCE_MS = 0  # measure the lint, not the wait; editors get the default debounce (20 ms)


def spec_300_lines() -> str:
    out = ["vibespec: 1", "bulk_id: bench", "timezone: Europe/Zagreb", "speed_limit: 500/hour",
           "defaults:", "  sender: DemoBot", "  validity: 24h",
           "  window: {days: weekdays, from: \"08:00\", to: \"20:00\"}", "messages:"]
    i = 0
    while len(out) < 290:
        out += [f"  - id: m{i}", f"    to: [user-{i}a, user-{i}b]", f"    text: Hello number {i}",
                "    keyboard:", "      buttons:",
                f"        - {{columns: 3, rows: 1, text: \"Yes {i}\", action: {{reply: y{i}}}}}",
                f"        - {{columns: 3, rows: 1, text: \"No {i}\", action: {{reply: n{i}}}}}"]
        i += 1
    return "\n".join(out) + "\n"


class Client:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, "-m", "vibespec", "server"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.id = 0

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self) -> dict:
        length = 0
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("server closed")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method: str, params: dict) -> dict:
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.id:
                return m

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> list:
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics":
                p = m["params"]
                if p["uri"] == uri and p.get("version") == version:
                    return p["diagnostics"]

    def rss_kib(self) -> int:
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.p.wait(timeout=5)
        except Exception:
            self.p.kill()


def main() -> int:
    text = spec_300_lines()
    folder = Path(tempfile.mkdtemp(prefix="vibespec-lsp-bench-"))
    (folder / ".git").mkdir()
    path = folder / "bench.viber.yaml"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    # baseline: the same text linted by one CLI process
    cli = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vibespec", "lint", "--no-cache", str(path)], capture_output=True)
        cli.append(time.perf_counter() - t)

    c = Client()
    c.request("initialize", {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {},
                             "initializationOptions": {"debounce": DEBOUNCE_MS}})
    c.notify("initialized", {})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    c.wait_diagnostics(uri, 1)

    def edit(version: int) -> float:
        new = text.replace("Hello number 0", f"Hello number {version}")
        if version % 2:
            new = new.replace("validity: 24h", "validity: 72h")  # a finding comes and goes
        t = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": new}]})
        c.wait_diagnostics(uri, version)
        return time.perf_counter() - t

    first = edit(2)
    times = [edit(v) for v in range(3, 103)]
    rss_100 = c.rss_kib()
    for v in range(103, 1003):
        edit(v)
    rss_1000 = c.rss_kib()
    c.close()
    med = statistics.median(times)
    base = statistics.median(cli)
    print(f"{'task':<44}{'seconds':>10}  {'baseline':<26}{'seconds':>9}  {'ratio':<12}{'goal':<12}result")
    print("-" * 125)
    print(f"{'change -> diagnostics, 300-line spec':<44}{med:>10.4f}  {'vibespec lint (process)':<26}{base:>9.3f}  "
          f"{med / base:<12.3f}{'< 50 ms':<12}{'PASS' if med < 0.050 else 'FAIL'}")
    print(f"{'  first change (rules loaded before)':<44}{first:>10.4f}")
    print(f"{'  p90 of 100 changes':<44}{sorted(times)[89]:>10.4f}")
    growth = (rss_1000 - rss_100) / 1024
    print(f"{'server RSS after 100 / 1,000 edits (MiB)':<44}{rss_100 / 1024:>10.1f}  {rss_1000 / 1024:>10.1f}   "
          f"growth {growth:+.1f} MiB  goal: no growth ({'PASS' if growth < 2 else 'FAIL'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
