#!/usr/bin/env python3
"""vibespec speed benchmark: vibespec beside its baselines, measured in the same run.

    python benchmarks/bench.py [--quick] [--skip-baselines] [--json] [--runs N]

Generates its corpus into ``benchmarks/.corpus/`` (fixed seed, so every run and machine
gets the same bytes):

* ``small/``  1,000 small specs (~30 lines) cycling through every content type and option;
  they all compile (checked every run);
* ``broken/`` 20 specs with errors, for the output-order check (``-j 1`` vs ``-j 2``);
* ``big/``    one spec with 100,000 destinations (~5 MB);
* ``audience/`` a 100,000-row audience CSV with a template spec, only when the compiler
  supports ``templates:``/``audience:`` (probed with a tiny spec).

Baselines, each installed once into its own venv under ``benchmarks/.venvs/`` the way
pre-commit installs a hook (default dependencies, nothing extra):

* ``check-jsonschema --schemafile schemas/vibespec.schema.json <1,000 files>``
* ``yamllint <1,000 files>``
* the *floor*: one Python process doing only C-backed YAML load (ruamel.yaml + libyaml) of
  every file, pydantic validation with ``vibespec.spec.model.Spec`` and ``json.dumps``; for the
  big spec, C-backed load with the garbage collector off and ``json.dumps``.

Everything is timed as a whole process (interpreter start-up included), cold (vibespec's
``--no-cache``), median of N runs. Peak memory is the child's ``ru_maxrss``, taken by GNU time where present
(see ``_gnu_time``), else from ``wait4``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, ".corpus")
VENVS = os.path.join(HERE, ".venvs")
SCHEMA = os.path.join(REPO, "schemas", "vibespec.schema.json")

SEED = 20260401
N_SMALL = 1000
N_BROKEN = 20
N_BIG = 100_000
N_AUDIENCE = 100_000
TODAY = date.today()

BASELINES = {
    # venv name -> (pip requirement, console script)
    "check-jsonschema": ("check-jsonschema", "check-jsonschema"),
    "yamllint": ("yamllint", "yamllint"),
}


# =========================================================================== corpus

CONTENT_TYPES = ("text", "image", "video", "file", "carousel", "location", "contact", "sticker", "url")
OPTIONS = ("validity", "window", "platform", "campaign_ref", "failover", "webhooks", "keyboard", "display",
           "send_at", "speed_limit")

WORDS = ("spring", "summer", "offer", "sale", "news", "reminder", "welcome", "update", "event", "promo",
         "coupon", "order", "delivery", "account", "support", "survey", "launch", "weekly", "vip", "club")


def _q(s: str) -> str:
    """A double-quoted YAML scalar."""
    return json.dumps(s, ensure_ascii=False)


def _content(kind: str, r: random.Random, i: int, ind: str) -> list[str]:
    w = r.choice(WORDS)
    if kind == "text":
        return [f"{ind}text: {_q(f'Hello from the {w} team! Message {i}: see what is new this week.')}"]
    if kind == "image":
        return [f"{ind}image:",
                f"{ind}  url: https://cdn.example.com/{w}/{i}.png",
                f"{ind}  caption: {_q(w.title() + ' sale')}",
                f"{ind}  thumbnail: https://cdn.example.com/{w}/{i}-t.jpg"]
    if kind == "video":
        return [f"{ind}video:",
                f"{ind}  url: https://cdn.example.com/{w}/{i}.mp4",
                f"{ind}  size: {r.choice(['5MiB', '12MB', '800KiB', 2500000])}",
                f"{ind}  duration: {r.choice(['30s', '2m', '1m30s', 45])}",
                f"{ind}  thumbnail: https://cdn.example.com/{w}/{i}-v.jpg"]
    if kind == "file":
        return [f"{ind}file: {{url: https://cdn.example.com/{w}/{i}.pdf, name: {w}-{i}.pdf, "
                f"size: {r.choice(['120KiB', '2MB', 51200])}}}"]
    if kind == "carousel":
        return [f"{ind}carousel:",
                f"{ind}  columns: 6",
                f"{ind}  rows: 7",
                f"{ind}  background: \"#FFFFFF\"",
                f"{ind}  buttons:",
                f"{ind}    - {{columns: 6, rows: 5, image: https://cdn.example.com/{w}/p{i}.jpg, "
                f"action: {{open_url: https://example.com/{w}/{i}}}}}",
                f"{ind}    - {{columns: 6, rows: 2, text: Buy now, action: {{reply: buy-{i}}}}}"]
    if kind == "location":
        return [f"{ind}location: {{lat: {r.uniform(-60, 60):.4f}, lon: {r.uniform(-170, 170):.4f}}}"]
    if kind == "contact":
        return [f"{ind}contact: {{name: {w.title()} Support, phone: \"+3859{r.randrange(10**7, 10**8)}\"}}"]
    if kind == "sticker":
        return [f"{ind}sticker: {r.choice([40133, 40132, 114406, 5800])}"]
    if kind == "url":
        return [f"{ind}url: https://example.com/{w}/{i}"]
    raise ValueError(kind)


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days(r: random.Random, weekday: int) -> str:
    """A ``days`` value in one of its forms that includes ``weekday`` (0 = Monday), so the
    window is open when the spec's ``send_at`` comes (no VB450 on the corpus)."""
    forms = ["daily", "mon-sun", "[" + ", ".join(sorted({DAY_NAMES[weekday], "mon", "wed"}, key=DAY_NAMES.index)) + "]",
             DAY_NAMES[weekday].upper(), "weekdays" if weekday < 5 else "weekends",
             "mon-fri" if weekday < 5 else "Saturday-Sunday"]
    return r.choice(forms)


def _option(opt: str, r: random.Random, i: int, ind: str, users: list[str], weekday: int = 0) -> list[str]:
    w = r.choice(WORDS)
    if opt == "validity":
        return [f"{ind}validity: {r.choice(['30m', '2h', '1h30m', '{amount: 90, unit: minutes}'])}"]
    if opt == "window":
        days = _days(r, weekday)
        return [f"{ind}window:", f"{ind}  days: {days}", f"{ind}  from: \"06:00\"", f"{ind}  to: 15:30"]
    if opt == "platform":
        return [f"{ind}platform: {{entity_id: entity-{w}, application_id: app-{i % 7}}}"]
    if opt == "campaign_ref":
        return [f"{ind}campaign_ref: {w}-{i}"]
    if opt == "failover":
        out = [f"{ind}failover:", f"{ind}  sms:", f"{ind}    sender: \"4179302{r.randrange(1000, 9999)}\"",
               f"{ind}    text: {_q(f'{w.title()}: open Viber to see your message')}", f"{ind}    validity: 2h",
               f"{ind}    destinations:"]
        out += [f"{ind}      {u}: \"4179{r.randrange(10**6, 10**7)}\"" for u in users]
        return out
    if opt == "webhooks":
        delivery = r.choice([f"https://hooks.example.com/{w}",
                             f"{{url: https://hooks.example.com/{w}, intermediate_report: true, notify: true}}"])
        return [f"{ind}webhooks:", f"{ind}  delivery: {delivery}", f"{ind}  seen: https://hooks.example.com/seen",
                f"{ind}  content_type: {r.choice(['json', 'xml'])}", f"{ind}  callback_data: {_q('c=' + w)}"]
    if opt == "keyboard":
        return [f"{ind}keyboard:", f"{ind}  buttons:",
                f"{ind}    - {{columns: 3, rows: 1, text: \"Yes\", action: {{reply: \"yes\"}}}}",
                f"{ind}    - {{columns: 3, rows: 1, text: \"No\", action: {{reply: \"no\"}}}}"]
    if opt == "display":
        return [f"{ind}display: {{name: {w.title()}Bot, avatar: https://cdn.example.com/avatar-{i % 10}.png}}"]
    raise ValueError(opt)


_FLOW_URL = re.compile(r"(: )(https://[^,}\s]+)")


def quote_flow_urls(text: str) -> str:
    """Quote URLs inside flow mappings (``{image: "https://..."}``): libyaml, being YAML 1.1,
    rejects a plain ``:`` inside a flow collection, so the C-backed floor needs them quoted."""
    return "\n".join(_FLOW_URL.sub(r'\1"\2"', ln) if "{" in ln else ln for ln in text.split("\n"))


def small_spec(i: int, r: random.Random, quote: bool = True) -> str:
    """Spec ``i``: content type ``i % 9`` (second message: ``(i + 4) % 9``); the message
    options rotate so that every option appears with every content type. ``quote=False``
    leaves URLs in flow mappings plain, as DSL.md writes them."""
    kind = CONTENT_TYPES[i % len(CONTENT_TYPES)]
    kind2 = CONTENT_TYPES[(i + 4) % len(CONTENT_TYPES)]
    n = len(OPTIONS)
    chosen = {OPTIONS[(i + k) % n] for k in range(0, 4)} | {OPTIONS[(i * 7 + 3) % n]}
    users = [f"bot-user-{r.randrange(10**5, 10**6)}" for _ in range(r.randint(1, 3))]
    w = r.choice(WORDS)
    out = [f"# benchmark spec {i:04d}: {kind} + {kind2}", "vibespec: 1", f"bulk_id: {w}-{i:04d}"]
    if "window" in chosen:  # a window without send_at depends on when the benchmark runs
        chosen.add("send_at")
    # relative to today: Infobip schedules at most 180 days ahead, and never in the past
    send_day = TODAY + timedelta(days=20 + i % 120)
    if "send_at" in chosen:
        day = send_day.isoformat()
        out.append(r.choice([f"send_at: {day}T09:30:00+01:00",
                             f"send_at: \"{day}T09:30:00\"\ntimezone: Europe/Zagreb"]))
    if "speed_limit" in chosen:
        out.append(f"speed_limit: {r.choice(['30/hour', '1000/day', '5/minute', '{amount: 200, per: hour}'])}")
    out.append("defaults:")
    out.append(f"  sender: {w.title()}Bot")
    for opt in ("validity", "window", "platform", "campaign_ref", "webhooks", "display"):
        if opt in chosen:
            out += _option(opt, r, i, "  ", users, send_day.weekday())
    out.append("messages:")
    to = users[0] if len(users) == 1 and i % 2 else "[" + ", ".join(users) + "]"
    out.append(f"  - id: {kind}-{i}")
    out.append(f"    to: {to}")
    out += _content(kind, r, i, "    ")
    for opt in ("failover", "keyboard"):
        if opt in chosen and not (opt == "keyboard" and kind in ("video", "file")):
            out += _option(opt, r, i, "    ", users)
    out.append(f"  - to: {{to: {users[-1]}, message_id: m-{i:04d}-2}}")
    out += _content(kind2, r, i, "    ")
    text = "\n".join(out) + "\n"
    return quote_flow_urls(text) if quote else text


BROKEN = (
    ("two content keys", "  - to: bot-user-1\n    text: hi\n    url: https://example.com\n"),
    ("bad duration", "  - to: bot-user-1\n    text: hi\n    validity: 30 fortnights\n"),
    ("sticker not an id", "  - to: bot-user-1\n    sticker: smiley\n"),
    ("unknown key", "  - to: bot-user-1\n    txt: hi\n"),
    ("no content", "  - to: bot-user-1\n    validity: 2h\n"),
    ("bad speed limit", "  - to: bot-user-1\n    text: hi\nspeed_limit: fast\n"),
    ("latitude out of range", "  - to: bot-user-1\n    location: {lat: 123.5, lon: 15}\n"),
    ("yaml syntax", "  - to: [bot-user-1\n    text: hi\n"),
    ("bad time", "  - to: bot-user-1\n    text: hi\n    window: {days: weekdays, from: \"25:00\", to: \"26:00\"}\n"),
    ("no destination", "  - text: hi\n"),
)


def broken_spec(i: int) -> str:
    what, body = BROKEN[i % len(BROKEN)]
    return f"# broken spec {i:02d}: {what}\nvibespec: 1\ndefaults: {{sender: DemoBot}}\nmessages:\n" + body


def big_spec(n: int) -> str:
    buf = io.StringIO()
    buf.write(f"# benchmark: one message to {n:,} destinations\nvibespec: 1\nbulk_id: big-{n}\n"
              "messages:\n  - id: big\n    sender: DemoBot\n    text: \"Hello! This goes to everyone.\"\n"
              "    validity: 2h\n    to:\n")
    for k in range(1, n + 1):
        buf.write(f"      - {{to: bot-user-{k:06d}, message_id: m-{k:06d}}}\n")
    return buf.getvalue()


AUDIENCE_SPEC = """vibespec: 1
defaults: {{sender: AcmeBot}}
templates:
  reminder:
    text: "Hi {{{{ name }}}}, your appointment is on {{{{ day | default(\\"Monday\\") }}}}."
    validity: 2h
audience: {csv}
messages:
  - template: reminder
    to: audience
"""


def bare_spec(n: int) -> str:
    """100,000 destinations as bare ids, one per line: the densest common way to write them."""
    buf = io.StringIO()
    buf.write(f"# benchmark: {n:,} destinations written as bare ids\nvibespec: 1\nmessages:\n  - sender: DemoBot\n"
              "    text: \"Hello! This goes to everyone.\"\n    to:\n")
    for k in range(1, n + 1):
        buf.write(f"      - bot-user-{k:06d}\n")
    return buf.getvalue()


def audience_csv(n: int) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["to", "message_id", "name", "day"])
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "")
    names = ("Ana", "Ivo", "Marko", "Petra", "Luka", "Sara", "Tomislav", "Iva")
    for k in range(1, n + 1):
        w.writerow([f"bot-user-{k:06d}", f"m-{k:06d}", names[k % len(names)], days[k % len(days)]])
    return buf.getvalue()


def _write(path: str, text: str) -> None:
    """Write only when different (keeps mtimes stable between runs)."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def generate_corpus() -> dict:
    r = random.Random(SEED)
    small = os.path.join(CORPUS, "small")
    r2 = random.Random(SEED)
    for i in range(N_SMALL):
        _write(os.path.join(small, f"spec-{i:04d}.viber.yaml"), small_spec(i, r))
        _write(os.path.join(CORPUS, "small-plain-urls", f"spec-{i:04d}.viber.yaml"), small_spec(i, r2, quote=False))
    for i in range(N_BROKEN):
        _write(os.path.join(CORPUS, "broken", f"broken-{i:02d}.viber.yaml"), broken_spec(i))
    big = os.path.join(CORPUS, "big", "big.viber.yaml")
    _write(big, big_spec(N_BIG))
    bare = os.path.join(CORPUS, "big", "bare.viber.yaml")
    _write(bare, bare_spec(N_BIG))
    files = sorted(os.path.join(small, f) for f in os.listdir(small) if f.endswith(".viber.yaml"))
    lines = [sum(1 for _ in open(f)) for f in files]
    return {"small_dir": small, "plain_dir": os.path.join(CORPUS, "small-plain-urls"), "small_files": files, "broken_dir": os.path.join(CORPUS, "broken"), "big": big,
            "big_bytes": os.path.getsize(big), "bare": bare, "bare_bytes": os.path.getsize(bare), "small_bytes": sum(os.path.getsize(f) for f in files),
            "small_lines_mean": statistics.mean(lines), "small_lines_max": max(lines)}


# =========================================================================== processes


def vibespec_cmd() -> list[str]:
    # the console script beside this interpreter: a version manager's shim on PATH (pyenv's is
    # a bash script that runs `pyenv exec`) would add its own start-up to every timing
    exe = os.path.join(os.path.dirname(sys.executable), "vibespec")
    if not os.path.exists(exe):
        exe = shutil.which("vibespec")
    return [exe] if exe else [sys.executable, "-m", "vibespec"]


def _gnu_time() -> str | None:
    """GNU time, if present: it forks its child from its own small process, so the child's peak
    RSS is its own. ``wait4`` on a child of this (larger) process would report at least this
    process's RSS: Linux records the pre-exec address space (a copy of ours) in the child's
    ``ru_maxrss``, which would raise every small figure and lower every "above start-up" one."""
    exe = "/usr/bin/time"
    if not os.path.exists(exe):
        return None
    try:
        with tempfile.NamedTemporaryFile("r") as f:
            ok = subprocess.run([exe, "-f", "%M", "-o", f.name, "true"], capture_output=True).returncode == 0
            return exe if ok and f.read().strip().isdigit() else None
    except OSError:
        return None


GNU_TIME = _gnu_time()


def run_once(cmd: list[str], env: dict | None = None, stdout=subprocess.DEVNULL, cwd: str | None = None):
    """Run ``cmd`` -> (seconds, peak RSS in bytes of it and its waited-for children, exit code)."""
    out = tempfile.NamedTemporaryFile("r", suffix=".rss") if GNU_TIME else None
    full = [GNU_TIME, "-f", "%M", "-o", out.name, *cmd] if out else cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if out is not None:
        with out:
            text = out.read().strip().splitlines()
        if text and text[-1].isdigit():
            return dt, int(text[-1]) * 1024, p.returncode
    return dt, ru.ru_maxrss * 1024, p.returncode


STAT = statistics.median


def summarize(cmd: list[str], times: list[float], mems: list[int], codes: list[int]) -> dict:
    return {"seconds": STAT(times), "median": statistics.median(times), "min": min(times),
            "all": [round(t, 4) for t in times], "peak_rss": int(statistics.median(mems)), "exit": codes[-1],
            "cmd": _show(cmd)}


def measure(cmd: list[str], runs: int, env: dict | None = None, before=None) -> dict:
    """Time and peak memory over ``runs`` runs (``before()`` runs untimed before each)."""
    times, mems, codes = [], [], []
    for _ in range(runs):
        if before is not None:
            before()
        dt, mem, rc = run_once(cmd, env=env)
        times.append(dt)
        mems.append(mem)
        codes.append(rc)
    return summarize(cmd, times, mems, codes)


def measure_round_robin(plan: list[tuple], runs: int, say) -> dict:
    """Run every task of ``plan`` once per round, ``runs`` rounds (at least ``min_runs`` for a
    task), so that a change in the machine's load hits baselines and vibespec alike.
    ``plan``: (name, cmd, env, before, min_runs)."""
    raw = {name: ([], [], []) for name, *_ in plan}
    rounds = max([runs] + [max(runs, m) for *_, m in plan])
    for k in range(rounds):
        say(f"  round {k + 1}/{rounds}")
        for name, cmd, env, before, min_runs in plan:
            if k >= max(runs, min_runs):
                continue
            if before is not None:
                before()
            dt, mem, rc = run_once(cmd, env=env)
            for lst, v in zip(raw[name], (dt, mem, rc)):
                lst.append(v)
    return {name: summarize(cmd, *raw[name]) for name, cmd, *_ in plan}


def _show(cmd: list[str]) -> str:
    out = []
    for c in cmd:
        if c.startswith(REPO + os.sep):
            c = os.path.relpath(c, REPO)
        elif c.startswith(VENVS):
            c = os.path.basename(c)
        out.append(c)
    if len(out) > 8:
        out = out[:6] + [f"... ({len(cmd) - 6} more)"]
    return " ".join(out)


# =========================================================================== baselines


def ensure_venv(name: str, requirement: str, script: str, log: list[str]) -> str | None:
    """The console script of a baseline in its own venv (created once), or None."""
    venv = os.path.join(VENVS, name)
    exe = os.path.join(venv, "bin", script)
    if os.path.exists(exe):
        return exe
    log.append(f"installing {requirement} into {os.path.relpath(venv, REPO)} ...")
    try:
        if os.path.exists(venv):
            shutil.rmtree(venv)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True)
        subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", requirement],
                       check=True, capture_output=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        err = getattr(e, "stderr", b"") or b""
        log.append(f"  could not install {requirement}: {err.decode(errors='replace').strip()[-300:] or e}")
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return exe if os.path.exists(exe) else None


def venv_versions(name: str) -> str:
    py = os.path.join(VENVS, name, "bin", "python")
    code = ("import importlib.metadata as m\n"
            "def v(n):\n"
            "    try: return m.version(n)\n"
            "    except Exception: return None\n"
            f"names=[{BASELINES[name][0]!r},'ruamel.yaml','ruamel.yaml.clib','PyYAML','jsonschema']\n"
            "print(', '.join(f'{n} {v(n)}' for n in names if v(n)))\n")
    try:
        return subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return "?"


# =========================================================================== the floor


def _c_loader():
    """ruamel.yaml's libyaml-backed safe loader (C scanner, parser and composer)."""
    from ruamel.yaml.cyaml import CSafeLoader

    return CSafeLoader


def floor_small(folder: str, detail: bool = False) -> dict:
    """In a fresh process: C-backed load + pydantic model + json.dumps for every file."""
    t0 = time.perf_counter()
    from pydantic import ValidationError

    from vibespec.spec.model import Spec

    loader = _c_loader()
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".viber.yaml"))
    t1 = time.perf_counter()
    invalid = 0
    out = 0
    t_load = t_val = t_dump = 0.0
    for path in files:
        a = time.perf_counter()
        with open(path, "rb") as f:
            data = loader(f.read().decode("utf-8")).get_single_data()
        b = time.perf_counter()
        try:
            Spec.model_validate(data)
        except ValidationError:
            invalid += 1
        c = time.perf_counter()
        out += len(json.dumps(data, default=str))
        t_load += b - a
        t_val += c - b
        t_dump += time.perf_counter() - c
    t2 = time.perf_counter()
    res = {"files": len(files), "invalid": invalid, "import_s": t1 - t0, "work_s": t2 - t1,
           "load_ms_per_file": 1000 * t_load / len(files), "validate_ms_per_file": 1000 * t_val / len(files),
           "dump_ms_per_file": 1000 * t_dump / len(files)}
    if detail:  # the parts of a load: C compose alone, and the event stream alone
        from ruamel.yaml import CParser

        texts = [open(p, "rb").read().decode("utf-8") for p in files]
        a = time.perf_counter()
        for t in texts:
            loader(t).get_single_node()
        b = time.perf_counter()
        for t in texts:
            get = CParser(t).get_event
            while type(get()).__name__ != "StreamEndEvent":
                pass
        c = time.perf_counter()
        res["compose_ms_per_file"] = 1000 * (b - a) / len(files)
        res["events_ms_per_file"] = 1000 * (c - b) / len(files)
    return res


def floor_big(path: str) -> dict:
    """In a fresh process: C-backed load with the collector off + json.dumps."""
    import gc

    t0 = time.perf_counter()
    loader = _c_loader()
    t1 = time.perf_counter()
    gc.disable()
    with open(path, "rb") as f:
        data = loader(f.read().decode("utf-8")).get_single_data()
    t2 = time.perf_counter()
    text = json.dumps(data)
    with open(os.devnull, "w") as f:
        f.write(text)
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "load_s": t2 - t1, "dump_s": t3 - t2}


# =========================================================================== main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one run per timing instead of three")
    ap.add_argument("--skip-baselines", action="store_true", help="no check-jsonschema / yamllint")
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--runs", type=int, default=None, help="runs per timing [3; 1 with --quick]")
    ap.add_argument("--stat", choices=("median", "min"), default="median",
                    help="statistic of the runs used in the table [median]; min is steadier on a busy machine")
    ap.add_argument("--_floor", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._floor:
        kind, target = args._floor
        print(json.dumps(floor_small(target, kind.endswith("+")) if kind.startswith("small") else floor_big(target)))
        return 0

    runs = args.runs or (1 if args.quick else 3)
    global STAT
    STAT = min if args.stat == "min" else statistics.median
    log: list[str] = []
    say = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else (lambda *a: print(*a, flush=True))

    def note(msg: str) -> None:
        log.append(msg)
        say(msg)

    say(f"vibespec benchmark: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}, runs per timing: {runs} ({args.stat}), load average "
        f"{_load()}")
    t0 = time.perf_counter()
    corpus = generate_corpus()
    say(f"corpus: {N_SMALL} small specs ({corpus['small_bytes'] / 1e3:.0f} kB, "
        f"{corpus['small_lines_mean']:.0f} lines on average), {N_BROKEN} broken, "
        f"big spec {corpus['big_bytes'] / 1e6:.1f} MB ({N_BIG:,} destinations) "
        f"in {os.path.relpath(CORPUS, REPO)}/ [{time.perf_counter() - t0:.1f}s]")

    vs = vibespec_cmd()
    tmp = tempfile.mkdtemp(prefix="vibespec-bench-")
    results: dict = {"python": platform.python_version(), "cores": os.cpu_count(), "runs": runs, "stat": args.stat,
                     "load_average_start": _load(),
                     "corpus": {k: v for k, v in corpus.items() if k != "small_files"}, "tasks": {}, "notes": log}
    tasks = results["tasks"]
    env_nocache = dict(os.environ, VIBESPEC_CACHE_DIR=os.path.join(tmp, "unused-cache"), NO_COLOR="1")
    # an installed package has its bytecode compiled at install time; an editable checkout under
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module in every process instead
    env_nocache.pop("PYTHONDONTWRITEBYTECODE", None)
    # warm the bytecode cache
    run_once(vs + ["compile", corpus["small_files"][0], "-o", os.path.join(tmp, "warm.json")], env=env_nocache)

    # -- the corpus compiles ---------------------------------------------------------------
    outdir = os.path.join(tmp, "compiled")
    p = subprocess.run(vs + ["compile", *corpus["small_files"], "--out-dir", outdir], capture_output=True, text=True,
                       env=env_nocache)
    n_out = len(os.listdir(outdir)) if os.path.isdir(outdir) else 0
    results["corpus"]["compiles"] = p.returncode == 0 and n_out == N_SMALL
    if not results["corpus"]["compiles"]:
        note(f"WARNING: the small corpus does not compile cleanly (exit {p.returncode}, {n_out} bodies): "
             f"{p.stderr.strip()[:800]}")
    else:
        say(f"corpus check: all {N_SMALL} small specs compile (vibespec compile ... --out-dir)")

    # -- audience probe ------------------------------------------------------------------------
    aud_dir = os.path.join(CORPUS, "audience")
    _write(os.path.join(aud_dir, "probe.csv"), "to,name,day\nbot-user-1,Ana,Tuesday\nbot-user-2,Ivo,\n")
    _write(os.path.join(aud_dir, "probe.viber.yaml"), AUDIENCE_SPEC.format(csv="probe.csv"))
    p = subprocess.run(vs + ["compile", os.path.join(aud_dir, "probe.viber.yaml")], capture_output=True, text=True,
                       env=env_nocache)
    audience_ok = p.returncode == 0 and "Hi Ana, your appointment is on Tuesday." in p.stdout
    if audience_ok:
        _write(os.path.join(aud_dir, "people.csv"), audience_csv(N_AUDIENCE))
        _write(os.path.join(aud_dir, "audience.viber.yaml"), AUDIENCE_SPEC.format(csv="people.csv"))
    else:
        why = (p.stderr.strip().splitlines() or ["wrong output"])[0][:200]
        note(f"audience: skipped - the compiler does not support templates/audience yet (probe: exit "
             f"{p.returncode}: {why})")

    # -- baselines -------------------------------------------------------------------------------
    files = corpus["small_files"]
    broken_one = os.path.join(corpus["broken_dir"], "broken-03.viber.yaml")  # an unknown key: pydantic reports it
    schema = SCHEMA
    plan: list[tuple] = []  # (name, cmd, env, before, min_runs)
    if not args.skip_baselines:
        if not os.path.exists(schema):
            schema = os.path.join(CORPUS, "vibespec.schema.json")
            from vibespec.spec.model import Spec

            _write(schema, json.dumps(Spec.model_json_schema(), indent=2) + "\n")
            note(f"check-jsonschema: {os.path.relpath(SCHEMA, REPO)} is missing; using "
                 f"Spec.model_json_schema() written to {os.path.relpath(schema, REPO)}")
        for name, (req, script) in BASELINES.items():
            exe = ensure_venv(name, req, script, log)
            if exe is None:
                note(f"{name}: skipped (could not install; no network?)")
                continue
            results.setdefault("baseline_versions", {})[name] = venv_versions(name)
            cmd = [exe, "--schemafile", schema, *files] if name == "check-jsonschema" else [exe, *files]
            plan.append((name, cmd, None, None, 0))
    else:
        note("baselines: skipped (--skip-baselines)")

    # -- floor ------------------------------------------------------------------------------------
    me = [sys.executable, os.path.abspath(__file__), "--_floor"]
    plan.append(("floor: small corpus", me + ["small", corpus["small_dir"]], None, None, 0))
    plan.append(("floor: big spec", me + ["big", corpus["big"]], None, None, 0))
    results["floor_small"] = json.loads(subprocess.run(me + ["small+", corpus["small_dir"]], capture_output=True,
                                                       text=True, check=True).stdout)
    results["floor_big"] = json.loads(subprocess.run(me + ["big", corpus["big"]], capture_output=True, text=True,
                                                     check=True).stdout)

    # -- vibespec ---------------------------------------------------------------------------------
    cache_dir = os.path.join(tmp, "cache")
    env_cache = dict(env_nocache, VIBESPEC_CACHE_DIR=cache_dir)

    def fill_cache():
        if not os.path.isdir(cache_dir):
            run_once(vs + ["lint", corpus["small_dir"]], env=env_cache)

    plan += [
        ("vibespec --version", vs + ["--version"], env_nocache, None, 5),
        ("lint 1,000 specs", vs + ["lint", "--no-cache", corpus["small_dir"]], env_nocache, None, 0),
        ("lint 1,000 specs -j 1", vs + ["lint", "--no-cache", "-j", "1", corpus["small_dir"]], env_nocache, None, 0),
        ("lint 1,000 specs, plain flow URLs", vs + ["lint", "--no-cache", corpus["plain_dir"]], env_nocache, None, 0),
        ("lint one spec", vs + ["lint", "--no-cache", files[4]], env_nocache, None, 5),
        ("compile one spec", vs + ["compile", files[4], "-o", os.path.join(tmp, "one.json")], env_nocache, None, 5),
        ("compile 100k destinations", vs + ["compile", corpus["big"], "-o", os.path.join(tmp, "big.json")],
         env_nocache, None, 0),
        ("lint 100k destinations", vs + ["lint", "--no-cache", corpus["big"]], env_nocache, None, 0),
        ("compile 100k bare ids", vs + ["compile", corpus["bare"], "-o", os.path.join(tmp, "bare.json")],
         env_nocache, None, 0),
        ("lint one spec with an error", vs + ["lint", "--no-cache", broken_one], env_nocache, None, 5),
    ]
    one_body = os.path.join(tmp, "warm.json")  # spec 0000 compiled while warming the bytecode cache
    if os.path.exists(one_body):
        plan.append(("check one body", vs + ["check", one_body], env_nocache, None, 5))
    if audience_ok:
        plan.append(("compile 100k-row audience", vs + ["compile", os.path.join(aud_dir, "audience.viber.yaml"), "-o",
                                                        os.path.join(tmp, "aud.json")], env_nocache, None, 0))
    plan += [
        ("lint 1,000 specs, cold cache", vs + ["lint", corpus["small_dir"]], env_cache,
         lambda: shutil.rmtree(cache_dir, ignore_errors=True), 0),
        ("re-lint 1,000 unchanged (warm cache)", vs + ["lint", corpus["small_dir"]], env_cache, fill_cache, 0),
    ]
    say(f"timing {len(plan)} tasks, round robin ...")
    tasks.update(measure_round_robin(plan, runs, say))

    # -- output order ------------------------------------------------------------------------------
    order = {}
    for fmt in ("full", "json"):
        outs = []
        for j in ("1", "2"):
            # --now pins "today": some rules (e.g. VB450) depend on the clock
            cp = subprocess.run(vs + ["lint", "--no-cache", "-j", j, "--format", fmt, "--now", f"{TODAY}T12:00:00Z",
                                      corpus["small_dir"],
                                      corpus["broken_dir"]], capture_output=True, env=env_nocache)
            outs.append((cp.returncode, cp.stdout))
        order[fmt] = outs[0] == outs[1]
        order[fmt + "_bytes"] = len(outs[0][1])
        order[fmt + "_exit"] = outs[0][0]
    order_ok = order["full"] and order["json"]
    results["order_independent"] = order_ok
    results["order_detail"] = order

    shutil.rmtree(tmp, ignore_errors=True)
    results["load_average_end"] = _load()
    results["seconds_total"] = round(time.perf_counter() - t0, 1)
    report(results, tasks, corpus, say)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


# =========================================================================== report


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def report(results: dict, tasks: dict, corpus: dict, say) -> None:
    def sec(name):
        return tasks[name]["seconds"] if name in tasks else None

    rows = []  # task, seconds, baseline name, baseline seconds, goal text, pass

    def ratio_row(task, base, goal_ratio, goal_text, faster=True):
        s, b = sec(task), sec(base)
        if s is None:
            return
        if b is None:
            rows.append((task, s, base, None, None, goal_text, None))
            return
        if faster:  # baseline / vibespec must be >= goal_ratio
            r = b / s
            rows.append((task, s, base, b, f"{r:.1f}x faster", goal_text, r >= goal_ratio))
        else:  # vibespec / baseline must be <= goal_ratio
            r = s / b
            label = "x floor" if base.startswith("floor") else "x"
            rows.append((task, s, base, b, f"{r:.2f}{label}", goal_text, r <= goal_ratio))

    def abs_row(task, limit, goal_text):
        s = sec(task)
        if s is not None:
            rows.append((task, s, "", None, "", goal_text, s < limit))

    ratio_row("lint 1,000 specs", "check-jsonschema", 5, ">= 5x faster")
    ratio_row("lint 1,000 specs", "yamllint", 5, ">= 5x faster")
    ratio_row("lint 1,000 specs", "floor: small corpus", 1.5, "<= 1.5x floor", faster=False)
    ratio_row("lint 1,000 specs -j 1", "floor: small corpus", 1.5, "(info) <= 1.5x", faster=False)
    ratio_row("lint 1,000 specs, plain flow URLs", "lint 1,000 specs", 0, "(info) vs quoted", faster=False)
    ratio_row("compile 100k destinations", "floor: big spec", 1.5, "<= 1.5x floor", faster=False)
    ratio_row("lint 100k destinations", "floor: big spec", 1.5, "(info) <= 1.5x", faster=False)
    if "compile 100k-row audience" in tasks:
        abs_row("compile 100k-row audience", 2.0, "< 2 s")
    abs_row("vibespec --version", 0.100, "< 100 ms")
    abs_row("lint one spec", 0.250, "< 250 ms")
    abs_row("lint one spec with an error", 0.250, "(info) < 250 ms")
    abs_row("check one body", 0.250, "(info) < 250 ms")
    ratio_row("lint 1,000 specs, cold cache", "lint 1,000 specs", 0, "(info) cold, cache on", faster=False)
    abs_row("re-lint 1,000 unchanged (warm cache)", 0.300, "< 0.3 s")

    say("")
    head = f"{'task':<38} {'seconds':>8}  {'baseline':<21} {'seconds':>8}  {'ratio':<15} {'goal':<17} result"
    say(head)
    say("-" * len(head))
    for task, s, base, b, r, goal, ok in rows:
        res = "" if ok is None else ("PASS" if ok else "FAIL")
        if goal.startswith("(info)"):
            res = "info"
        bs = "" if b is None else f"{b:8.3f}"
        if base and b is None:
            bs, res = "     n/a", "skip"
        say(f"{task:<38} {s:8.3f}  {base:<21} {bs:>8}  {r or '':<15} {goal:<17} {res}")
    results["table"] = [{"task": t, "seconds": s, "baseline": bn, "baseline_seconds": b, "ratio": r, "goal": g,
                         "pass": ok} for t, s, bn, b, r, g, ok in rows]

    say("")
    say("baselines alone:")
    for name in ("check-jsonschema", "yamllint", "floor: small corpus", "floor: big spec"):
        if name in tasks:
            t = tasks[name]
            say(f"  {name:<22} {t['seconds']:7.3f} s  peak {_mb(t['peak_rss']):>10}  exit {t['exit']}  runs {t['all']}")
    for name, v in results.get("baseline_versions", {}).items():
        say(f"  {name} venv: {v}")
    fs, fb = results.get("floor_small"), results.get("floor_big")
    if fs:
        say(f"  floor small, in process: imports {fs['import_s']:.3f} s, work {fs['work_s']:.3f} s "
            f"(load {fs['load_ms_per_file']:.3f} + validate {fs['validate_ms_per_file']:.3f} + dump "
            f"{fs['dump_ms_per_file']:.3f} ms/spec; C compose alone {fs['compose_ms_per_file']:.3f}, C event "
            f"stream alone {fs['events_ms_per_file']:.3f} ms/spec), invalid per Spec model: {fs['invalid']}/{fs['files']}")
    if fb:
        say(f"  floor big, in process: imports {fb['import_s']:.3f} s, load {fb['load_s']:.3f} s, "
            f"json.dumps {fb['dump_s']:.3f} s")

    say("all vibespec runs (seconds, in order):")
    for name, t in tasks.items():
        if not name.startswith(("check-jsonschema", "yamllint", "floor")):
            say(f"  {name:<38} {t['all']}")

    say("")
    say("memory (peak RSS of the whole process tree):")
    # start-up = a process that has imported what compiling needs: compiling one small spec
    # (`--version` imports almost nothing, so it would count the imports as the big file's cost)
    base = tasks.get("compile one spec", {}).get("peak_rss")
    if "vibespec --version" in tasks:
        say(f"  vibespec --version                     {_mb(tasks['vibespec --version']['peak_rss']):>10}")
    if base:
        say(f"  compile one spec (start-up)            {_mb(base):>10}")
    for name in ("lint one spec", "lint 1,000 specs", "lint 1,000 specs -j 1", "compile 100k destinations",
                 "lint 100k destinations", "compile 100k bare ids", "compile 100k-row audience", "floor: big spec"):
        if name in tasks and base:
            peak = tasks[name]["peak_rss"]
            line = f"  {name:<38} {_mb(peak):>10}  above start-up {_mb(peak - base):>10}"
            if "100k destinations" in name or "big" in name or "bare" in name:
                size = corpus["bare_bytes"] if "bare" in name else corpus["big_bytes"]
                over = (peak - base) / size
                line += f"  = {over:.1f}x the file ({size / 1e6:.1f} MB)"
                if name == "compile 100k bare ids":
                    line += f"  goal < 10x: {'PASS' if over < 10 else 'FAIL'}"
                    results["compile_bare_memory_ratio"] = over
                if name == "compile 100k destinations":
                    line += f"  goal < 10x: {'PASS' if over < 10 else 'FAIL'}"
                    results["compile_big_memory_ratio"] = over
            say(line)

    say("")
    od = results["order_detail"]
    say(f"order independent (-j 1 vs -j 2, {N_SMALL} + {N_BROKEN} broken specs, full and json output): "
        f"{'yes' if results['order_independent'] else 'no'} (full {od['full_bytes']} bytes, json "
        f"{od['json_bytes']} bytes, exit {od['full_exit']})")
    say(f"corpus compiles cleanly: {'yes' if results['corpus'].get('compiles') else 'NO'}")
    say(f"load average at the end: {results['load_average_end']} (other processes on the machine skew timings); "
        f"benchmark took {results['seconds_total']} s")
    for n in results["notes"]:
        if not n.startswith("installing"):
            say(f"note: {n}")
    say("")
    say("commands (vibespec timed as whole processes, --no-cache unless noted):")
    for name, t in tasks.items():
        say(f"  {name:<38} {t['cmd']}")


if __name__ == "__main__":
    sys.exit(main())
