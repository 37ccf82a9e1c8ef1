#!/usr/bin/env python3
"""Mutation fuzzer for vibespec's input paths (not part of the pytest suite).

Runs N generated inputs through ``vibespec.api.lint`` (YAML, TOML and JSON specs),
``vibespec.api.validate_payload`` (raw request bodies) and, for a share of the inputs,
``vibespec.inbound.validate`` / ``vibespec.reports.validate`` (webhook bodies, JSON and XML),
and through the files a lint reads besides the spec:

* ``cache``: a mutated, forged or replaced ``.vibespec_cache/v3/results.json`` (byte
  mutations of a real one; entries re-signed with the right secret after their payload was
  changed; random JSON; a symbolic link to ``/dev/zero``, a FIFO, a folder, 100,000 nested
  ``[``, an oversized file) and then ``lintrun.run_lint`` with the cache on. The answer must be
  exactly the one a lint without the cache gives (for entries signed with the real secret:
  no crash, and no diagnostic naming any file but the spec);
* ``config``: a mutated ``vibespec.toml`` / ``pyproject.toml`` through ``config.load_config``,
  then a lint with the configuration it gives;
* ``audience``: a mutated audience CSV beside a template spec, linted from disk.

Anything other than a list of diagnostics or a :class:`vibespec.diagnostics.VibespecError`
is a crash; an input taking more than ``--slow`` CPU seconds (default 2) is reported as slow
(CPU time, so that other load on the machine does not count).

Seeds are the valid example specs and bodies in the repository (``tests/rules/cases``,
``tests/wire/fixtures``) plus a few built in here. The generator is plain ``random``
(no hypothesis): byte flips, truncations, splices of two seeds, random YAML/JSON/TOML
tokens (``{[&*!:#``...), anchors and aliases, tags, deep nesting, huge numbers, odd
encodings, line duplication.

Usage::

    python benchmarks/fuzz.py --n 100000 --seed 1
    python benchmarks/fuzz.py --n 50000 --seed 1 & python benchmarks/fuzz.py --n 50000 --seed 2

Each distinct crash (exception type + innermost vibespec frame) is saved once (up to
``--keep`` reproducers per signature) to ``benchmarks/fuzz-crashes/``: the input as
``<sig>-<k>.<ext>`` and the traceback and target as ``<sig>-<k>.txt``. Exit status: 0 when
nothing crashed or hung, 1 otherwise.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import random
import resource
import signal
import sys
import time
import traceback
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import shutil  # noqa: E402
import tempfile  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from vibespec import api, inbound, reports  # noqa: E402
from vibespec.app import cache as cache_mod  # noqa: E402
from vibespec import config as config_mod  # noqa: E402
from vibespec.app import lintrun  # noqa: E402
from vibespec.diagnostics import Diagnostic, VibespecError  # noqa: E402

CRASH_DIR = os.path.join(ROOT, "benchmarks", "fuzz-crashes")

# --------------------------------------------------------------------------- seeds

BUILTIN_YAML = [
    b"""vibespec: 1
bulk_id: spring-promo-2026
send_at: 2026-12-01T09:00:00+01:00
speed_limit: 30/hour
timezone: Europe/Zagreb
defaults:
  sender: DemoBot
  validity: 30m
  window:
    days: weekdays
    from: "06:00"
    to: "15:30"
  platform: {entity_id: priorityCustomer, application_id: clientTestEnvironment}
  campaign_ref: spring-2026
  webhooks:
    delivery: https://www.example.com/viberbots
    seen: https://www.example.com/seen
    content_type: json
    callback_data: "campaign=spring"
messages:
  - id: welcome
    to: [bot-user-1, bot-user-2]
    text: Welcome to Demo!
    failover:
      sms:
        sender: "41793026726"
        text: Failover message text
        validity: 2h
        destinations: {bot-user-1: "41793026727"}
  - to: bot-user-3
    image: {url: "https://cdn.example.com/promo.png", caption: Spring sale, thumbnail: "https://cdn.example.com/t.jpg"}
  - to: bot-user-3
    video: {url: "https://cdn.example.com/a.mp4", size: 5MiB, duration: 30s, thumbnail: "https://cdn.example.com/v.jpg", caption: Watch}
  - to: bot-user-3
    file: {url: "https://cdn.example.com/r.pdf", name: report.pdf, size: 120KiB}
  - to: bot-user-3
    location: {lat: 45.815, lon: 15.982}
  - to: bot-user-3
    contact: {name: Support, phone: "+385911234567"}
  - to: bot-user-3
    sticker: 40133
  - to: bot-user-3
    url: https://example.com/offer
  - to: bot-user-3
    display: {name: Demo, avatar: "https://cdn.example.com/a.png"}
    carousel:
      columns: 6
      rows: 7
      background: "#FFFFFF"
      height_scale: 100
      buttons:
        - {columns: 6, rows: 5, image: "https://cdn.example.com/p1.jpg", action: {open_url: "https://example.com/p1"}}
        - {columns: 6, rows: 2, text: Buy now, action: {reply: buy-p1}}
    keyboard:
      buttons:
        - {columns: 3, rows: 1, text: "Yes", action: {reply: "yes"}}
        - {columns: 3, rows: 1, text: "No", action: {reply: "no"}}
""",
    b"""vibespec: 1
defaults: &d {sender: DemoBot, validity: 30m}
messages:
  - <<: *d
    to: bot-user-1
    text: "Hi"
  - to: [bot-user-2, {to: bot-user-3, message_id: m-3}]
    text: "Hello"
    sender: Other
""",
]

BUILTIN_TOML = [
    b"""vibespec = 1
bulk_id = "spring"
speed_limit = "30/hour"

[defaults]
sender = "DemoBot"
validity = "30m"

[defaults.window]
days = ["mon", "tue"]
from = "06:00"
to = "15:30"

[[messages]]
to = ["bot-user-1", "bot-user-2"]
text = "Welcome"

[[messages]]
to = "bot-user-3"
image = {url = "https://cdn.example.com/promo.png", caption = "Spring"}

[[messages]]
to = "bot-user-3"
location = {lat = 45.815, lon = 15.982}
""",
]

BUILTIN_JSON = [
    json.dumps({"messages": [{"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}, {"to": "bot-user-2"}],
                              "content": {"text": "Welcome to Demo!", "type": "TEXT"},
                              "options": {"validityPeriod": {"amount": 30, "timeUnit": "MINUTES"},
                                          "smsFailover": {"sender": "41793026726", "text": "x",
                                                          "destinationMatching": [{"initial": "bot-user-1",
                                                                                   "failover": "41793026727"}]}},
                              "webhooks": {"delivery": {"url": "https://www.example.com/v"},
                                           "contentType": "application/json"}}]}, indent=2).encode(),
    json.dumps({"messages": [{"sender": "B", "destinations": [{"to": "u"}],
                              "content": {"type": "IMAGE", "mediaUrl": "https://x.example/a.png"}}]}).encode(),
]

BUILTIN_INBOUND = [
    json.dumps({"results": [{"sender": "u1", "to": "DemoBot", "integrationType": "VIBER_BOTS",
                             "receivedAt": "2026-11-25T12:00:00.000+0000", "messageId": "m1",
                             "message": {"type": "TEXT", "text": "hi"}, "price": {"pricePerMessage": 0,
                                                                                  "currency": "EUR"}}],
                "messageCount": 1, "pendingMessageCount": 0}).encode(),
]

BUILTIN_REPORTS = [
    json.dumps({"results": [{"bulkId": "b", "messageId": "m", "to": "u", "sentAt": "2026-11-25T12:00:00.000+0000",
                             "doneAt": "2026-11-25T12:00:01.000+0000", "messageCount": 1,
                             "price": {"pricePerMessage": 0, "currency": "EUR"},
                             "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5,
                                        "name": "DELIVERED_TO_HANDSET", "description": "d"},
                             "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR",
                                       "description": "No Error", "permanent": False}}]}).encode(),
    b"""<?xml version="1.0" encoding="UTF-8"?>
<DeliveryReportResponse><results><result><messageId>m</messageId><to>u</to>
<status><groupId>3</groupId><groupName>DELIVERED</groupName><id>5</id><name>D</name></status>
</result></results></DeliveryReportResponse>
""",
]


BUILTIN_CONFIG = [
    b"""[tool.vibespec]
select = ["ALL"]
ignore = ["VB605"]
extend-select = []
per-file-ignores = {"legacy/*.viber.yaml" = ["VB2"]}
severity = {VB420 = "warning", "VB2" = "info"}
fail-on = "warning"
exclude = ["build/**", "*.tmp.viber.yaml"]

[tool.vibespec.limits]
max_bytes = 200_000_000
max_depth = 1000
max_aliases = 50
max_alias_nodes = 10_000_000
max_number_digits = 30

[tool.vibespec.rules.validity-exceeds-48h]
max = "24h"
""",
    b"""select = ["VB2", "VB4"]
ignore = ["VB201"]
fail_on = "info"
[limits]
max_depth = 20
""",
]

BUILTIN_CSV = [
    b"to,name,city\nu1,Ana,Zagreb\nu2,Ivo,Split\n",
    b"\xef\xbb\xbfto,message_id,phone,name\r\nu1,m-1,385911234567,\"Ana, Jr\"\r\nu2,m-2,,\"Ivo \"\"the\"\" B\"\r\n",
    b"name,to\n\nAna,u1\n,u2\nIvo,u1\n",
]

AUDIENCE_SPEC = b"""vibespec: 1
defaults: {sender: AcmeBot}
templates:
  hello: {text: "Hello {{ name | default(\"there\") }} from {{ city }}"}
audience: people.csv
messages:
  - {template: hello, to: audience}
"""


def load_seeds() -> dict[str, list[bytes]]:
    seeds = {"yaml": list(BUILTIN_YAML), "toml": list(BUILTIN_TOML), "json": list(BUILTIN_JSON),
             "inbound": list(BUILTIN_INBOUND), "reports": list(BUILTIN_REPORTS),
             "config": list(BUILTIN_CONFIG), "audience": list(BUILTIN_CSV)}
    cases = os.path.join(ROOT, "tests", "rules", "cases")
    for path in sorted(glob.glob(os.path.join(cases, "*", "*"))):
        name = os.path.basename(path)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if len(data) > 200_000:
            continue
        if name.endswith((".viber.yaml", ".viber.yml")):
            seeds["yaml"].append(data)
        elif name.endswith(".viber.toml"):
            seeds["toml"].append(data)
        elif name.endswith(".json"):
            seeds["json"].append(data)
    fx = os.path.join(ROOT, "tests", "wire", "fixtures")
    for path in sorted(glob.glob(os.path.join(fx, "*"))):
        name = os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        if name.startswith("inbound"):
            seeds["inbound"].append(data)
        elif name.startswith("reports"):
            seeds["reports"].append(data)
    return seeds


# --------------------------------------------------------------------------- mutations

TOKENS = [
    b"{", b"}", b"[", b"]", b"&a ", b"*a", b"&b ", b"*b", b"!", b"!!", b"!!python/object:os.system ",
    b"!!str ", b"!!int ", b"!!float ", b"!!binary ", b"!!set ", b"!!omap ", b"!Ref ", b"!<tag:x> ",
    b":", b": ", b"#", b"# ", b"- ", b"? ", b"|", b">", b"|-", b">+", b"'", b'"', b"\\", b",", b"\n",
    b"\r\n", b"\t", b"  ", b"---\n", b"...\n", b"%YAML 1.1\n", b"%TAG ! tag:x:\n", b"<<: ", b"<<: *a",
    b"null", b"~", b"true", b"yes", b"no", b"on", b".nan", b"-.inf", b"1e99999", b"-0", b"0x1F", b"0o17",
    b"0b101", b"1_000", b"9" * 120, b"12:30", b"2026-02-30", b"2026-12-01T25:00:00", b"\x00", b"\xff",
    b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"\xe2\x80\xae", b"=", b" = ", b"[[", b"]]",
    b"[messages]", b"[[messages]]", b'"""', b"'''", b"\\u0000", b"\\ud800", b"NaN", b"Infinity",
    b"-Infinity", b"1.5e308", b"1e-400", b"true,", b"{\"a\":", b"{{ name }}", b"{{", b"}}", b"{%",
    b"vibespec: 99\n", b"vibespec: \"1\"\n", b"messages: []\n", b"messages: null\n", b"text: ",
    b"to: ", b"sender: ", b"columns: 7", b"rows: 0", b"send_at: ", b"days: mon-sun", b"validity: 0s",
    b"https://", b"\"content\": ", b"\"type\": \"CAROUSEL\"", b"\"destinations\": []",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"<![CDATA[", b"]]>", b"<", b">", b"</", b"/>",
]

KEYS = [b"vibespec", b"messages", b"defaults", b"to", b"text", b"image", b"video", b"file", b"carousel",
        b"keyboard", b"buttons", b"action", b"sender", b"validity", b"window", b"days", b"from", b"send_at",
        b"speed_limit", b"timezone", b"failover", b"sms", b"webhooks", b"display", b"location", b"contact",
        b"sticker", b"url", b"template", b"templates", b"audience", b"bulk_id", b"platform", b"id",
        b"content", b"type", b"destinations", b"options", b"results", b"status", b"error", b"message"]


def _rand_bytes(r: random.Random, n: int) -> bytes:
    return bytes(r.getrandbits(8) for _ in range(n))


def mutate(r: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """One to a few random mutations."""
    for _ in range(r.choice((1, 1, 1, 2, 2, 3, 5))):
        n = len(data)
        op = r.randrange(17)
        pos = r.randrange(n + 1) if n else 0
        if op == 0 and n:  # flip bits
            b = bytearray(data)
            for _ in range(r.randint(1, 4)):
                i = r.randrange(n)
                b[i] ^= 1 << r.randrange(8)
            data = bytes(b)
        elif op == 1 and n:  # random byte
            b = bytearray(data)
            b[r.randrange(n)] = r.randrange(256)
            data = bytes(b)
        elif op == 2:  # truncate
            data = data[:pos]
        elif op == 3 and n:  # delete a span
            end = min(n, pos + r.randint(1, 40))
            data = data[:pos] + data[end:]
        elif op == 4:  # insert tokens
            ins = b"".join(r.choice(TOKENS) for _ in range(r.randint(1, 6)))
            data = data[:pos] + ins + data[pos:]
        elif op == 5:  # splice with another seed
            other = r.choice(pool)
            j = r.randrange(len(other) + 1)
            data = data[:pos] + other[j:]
        elif op == 6:  # duplicate a line
            lines = data.split(b"\n")
            i = r.randrange(len(lines))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif op == 7:  # swap two lines
            lines = data.split(b"\n")
            if len(lines) > 1:
                i, j = r.randrange(len(lines)), r.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == 8:  # deep nesting
            d = r.choice((10, 100, 250, 1000, 5000))
            o, c = r.choice(((b"[", b"]"), (b"{a: ", b"}"), (b'{"a":', b"}"), (b"a = {b=", b"}")))
            inner = o * d + b"1" + (c * d if r.random() < 0.7 else b"")
            data = data[:pos] + inner + data[pos:]
        elif op == 9:  # aliases
            k = r.randint(2, 12)
            lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
            for i in range(1, k):
                lines.append(b"a%d: &a%d [" % (i, i) + b", ".join(b"*a%d" % (i - 1) for _ in range(10)) + b"]")
            data = b"\n".join(lines) + b"\n" + data
        elif op == 10:  # huge number / number-ish
            num = r.choice((b"9" * r.randint(50, 5000), b"1e" + b"9" * r.randint(3, 12), b"0." + b"0" * 400 + b"1",
                            b"-" + b"1" * 300, b"1" + b"_0" * 200, b"0x" + b"f" * 300))
            data = data[:pos] + num + data[pos:]
        elif op == 11:  # random key: value line
            line = b"\n" + b" " * r.choice((0, 0, 2, 4, 6)) + r.choice(KEYS) + b": " + r.choice(TOKENS + KEYS) + b"\n"
            data = data[:pos] + line + data[pos:]
        elif op == 12:  # random garbage
            data = data[:pos] + _rand_bytes(r, r.randint(1, 16)) + data[pos:]
        elif op == 13:  # re-encode
            try:
                t = data.decode("utf-8")
                data = t.encode(r.choice(("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252")), "replace")
            except UnicodeError:
                pass
        elif op == 14:  # indentation change
            lines = data.split(b"\n")
            i = r.randrange(len(lines))
            lines[i] = (b" " * r.randint(0, 8)) + lines[i].lstrip() if r.random() < 0.7 else b"\t" + lines[i]
            data = b"\n".join(lines)
        elif op == 15:  # repeat a span
            end = min(n, pos + r.randint(1, 80))
            data = data[:end] + data[pos:end] * r.randint(2, 50) + data[end:]
        else:  # long line
            data = data[:pos] + r.choice(b"ax [{'\"") .to_bytes(1, "big") * r.choice((100, 10_000, 100_000)) + data[pos:]
        if len(data) > 2_000_000:
            data = data[:2_000_000]
    return data


def generate_json(r: random.Random, depth: int = 0) -> object:
    """A random JSON value, biased towards request-body shapes."""
    x = r.random()
    if depth > 6 or x < 0.3:
        return r.choice([None, True, False, 0, -1, 2**64, 1.5, float("1e308"), "", "x", "TEXT", "IMAGE", "CAROUSEL",
                         "https://a.example/x.png", "2026-12-01T09:00:00.000+0100", "bot-user-1", "a" * 1000,
                         "\u202e", "\ud83d\ude00", 30, 7, 6, "MINUTES", "HOURS"])
    if x < 0.65:
        keys = [k.decode() for k in KEYS] + ["mediaUrl", "timeUnit", "amount", "actionType", "actionBody",
                                             "buttonsGroupColumns", "validityPeriod", "smsFailover", "hour"]
        return {r.choice(keys): generate_json(r, depth + 1) for _ in range(r.randint(0, 6))}
    return [generate_json(r, depth + 1) for _ in range(r.randint(0, 4))]


# --------------------------------------------------------------------------- targets


def _check_result(res) -> None:
    if not isinstance(res, list) or not all(isinstance(d, Diagnostic) for d in res):
        raise AssertionError(f"expected a list of diagnostics, got {type(res).__name__}")
    for d in res:  # the library's safety net turns bugs into VB000: still a crash to us
        if d.code == "VB000":
            raise AssertionError(d.message)


# --------------------------------------------------------------------------- files besides the spec

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


class Files:
    """A scratch project: specs, a cache folder (with its secret), a config file, an audience."""

    def __init__(self, yaml_seeds: list[bytes]):
        self.root = tempfile.mkdtemp(prefix="vibespec-fuzz-")
        os.environ["XDG_CACHE_HOME"] = os.path.join(self.root, "home")
        os.environ["VIBESPEC_CACHE_DIR"] = os.path.join(self.root, "cache")
        cache_mod._utcnow = lambda: NOW  # a fixed clock: the cached answer is compared with a lint at NOW
        cache_mod.MAX_BYTES = 4 * 1024 * 1024  # an oversized cache file without writing 256 MiB
        self.results = os.path.join(self.root, "cache", "v" + cache_mod.CACHE_FORMAT, "results.json")
        self.cfg = config_mod.Config()
        self.specs: list[str] = []
        self.fresh: list[list[Diagnostic]] = []
        small = sorted((s for s in yaml_seeds if len(s) < 4000), key=len)
        for i, data in enumerate(small[:: max(1, len(small) // 24)][:24]):
            path = os.path.join(self.root, "specs", f"s{i:02d}.viber.yaml")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            self.specs.append(path)
            self.fresh.append(lintrun.run_lint([path], self.cfg, use_cache=False, now=NOW, jobs=1).diagnostics)
        run = lintrun.run_lint(self.specs, self.cfg, jobs=1)  # a real cache with every entry
        assert not run.fatal and run.diagnostics == [d for f in self.fresh for d in f], "cache differs at start"
        with open(self.results, "rb") as f:
            self.valid_cache = f.read()
        self.secret = cache_mod.machine_secret()
        self.aud_dir = os.path.join(self.root, "aud")
        os.makedirs(self.aud_dir)
        self.aud_spec = os.path.join(self.aud_dir, "t.viber.yaml")
        with open(self.aud_spec, "wb") as f:
            f.write(AUDIENCE_SPEC)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- cache
    def cache_input(self, r: random.Random) -> tuple:
        """(how, bytes or None): what to put where the cache file is."""
        x = r.random()
        if x < 0.55:
            return "bytes", mutate(r, self.valid_cache, [self.valid_cache])
        if x < 0.8:
            return "signed", self._resigned(r)
        if x < 0.9:
            return "bytes", json.dumps(generate_json(r) if r.random() < 0.5 else
                                       {"format": "3", "day": NOW.date().isoformat(),
                                        "entries": {k: generate_json(r) for k in self._keys(r)}}).encode()
        return r.choice(("symlink", "fifo", "folder", "deep", "huge", "gone")), None

    def _keys(self, r: random.Random) -> list[str]:
        stored = json.loads(self.valid_cache)["entries"]
        return r.sample(sorted(stored), min(len(stored), r.randint(1, 3)))

    def _resigned(self, r: random.Random) -> bytes:
        """A forger who knows the secret: entries with changed payloads and valid MACs."""
        stored = json.loads(self.valid_cache)
        c = cache_mod.Cache(os.environ["VIBESPEC_CACHE_DIR"], "", secret=self.secret, now=NOW)
        for key in self._keys(r):
            _mac, payload = stored["entries"][key]
            if r.random() < 0.5:
                entry = json.loads(payload)
                field = r.choice(["since", "until", "deps", "d", "extra"])
                if field == "d" and entry["d"] and r.random() < 0.7:
                    row = r.choice(entry["d"])
                    row[r.randrange(len(row))] = generate_json(r)
                elif field == "deps" and r.random() < 0.5:
                    entry["deps"] = [[r.choice(["/dev/zero", "/proc/self/environ", self.specs[0], "no/such"]),
                                      r.choice([0, 10, -1, 2**70]), generate_json(r)]]
                else:
                    entry[field] = generate_json(r)
                payload = json.dumps(entry)
            else:
                payload = mutate(r, payload.encode(), [payload.encode()]).decode("utf-8", "replace")
            stored["entries"][key] = [c._mac(key, payload), payload]
        return json.dumps(stored).encode()

    def run_cache(self, how: str, data: bytes | None, pick: list[int]) -> None:
        target = self.results
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.unlink(target)
        if how in ("bytes", "signed"):
            with open(target, "wb") as f:
                f.write(data or b"")
        elif how == "symlink":
            os.symlink("/dev/zero", target)
        elif how == "fifo":
            os.mkfifo(target)
        elif how == "folder":
            os.mkdir(target)
        elif how == "deep":
            with open(target, "wb") as f:
                f.write(b"[" * 100_000)
        elif how == "huge":
            with open(target, "wb") as f:
                f.write(b" " * (cache_mod.MAX_BYTES + 1))
        files = [self.specs[i] for i in pick]
        run = lintrun.run_lint(files, self.cfg, jobs=1)
        if run.fatal:
            raise AssertionError(f"fatal: {run.fatal}")
        got = run.diagnostics
        _check_result(got)
        if any(d.file not in files for d in got):
            raise AssertionError(f"a diagnostic names another file: {[d.file for d in got if d.file not in files]}")
        if how != "signed":
            want = [d for i in pick for d in self.fresh[i]]
            if got != want:
                raise AssertionError(f"the cached answer differs from a fresh lint: {got!r} != {want!r}")

    # -- config and audience
    def run_config(self, data: bytes, name: str) -> None:
        folder = os.path.join(self.root, "cfg")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data if name == "vibespec.toml" or b"[tool.vibespec" in data else b"[tool.vibespec]\n" + data)
        try:
            cfg = config_mod.load_config(path)
        except VibespecError as e:
            if not e.diagnostics or not all(isinstance(d, Diagnostic) for d in e.diagnostics):
                raise AssertionError("ConfigError without diagnostics") from e
            return
        _check_result(api.lint(self.specs[0], cfg))
        _check_result(api.lint(BUILTIN_YAML[0], cfg, filename="fuzz.viber.yaml"))
        cache_mod.Cache.for_config(cfg)  # its key material (repr) is computed without error

    def run_audience(self, data: bytes) -> None:
        with open(os.path.join(self.aud_dir, "people.csv"), "wb") as f:
            f.write(data)
        got = api.lint(self.aud_spec)
        _check_result(got)
        allowed = {self.aud_spec, os.path.join(self.aud_dir, "people.csv")}
        if any(d.file not in allowed for d in got):
            raise AssertionError(f"a diagnostic names another file: {[d.file for d in got]}")


FILES: Files | None = None


def run_target(kind: str, data: bytes | object) -> None:
    try:
        if kind == "cache":
            how, raw, pick = data  # type: ignore[misc]
            FILES.run_cache(how, raw, pick)
        elif kind == "config":
            name, raw = data  # type: ignore[misc]
            FILES.run_config(raw, name)
        elif kind == "audience":
            FILES.run_audience(data)  # type: ignore[arg-type]
        elif kind == "yaml":
            _check_result(api.lint(data, filename="fuzz.viber.yaml"))
        elif kind == "toml":
            _check_result(api.lint(data, filename="fuzz.viber.toml"))
        elif kind == "json":
            _check_result(api.validate_payload(data))
        elif kind == "inbound":
            _check_result(inbound.validate(data))
        elif kind == "reports":
            _check_result(reports.validate(data))
        elif kind == "compile-yaml":
            api.compile(data, filename="fuzz.viber.yaml")
        else:
            raise ValueError(kind)
    except VibespecError as e:
        if not e.diagnostics or not all(isinstance(d, Diagnostic) for d in e.diagnostics):
            raise AssertionError("VibespecError without diagnostics") from e
        _check_result(list(e.diagnostics))


EXT = {"yaml": "viber.yaml", "toml": "viber.toml", "json": "json", "inbound": "inbound.json",
       "reports": "reports.txt", "compile-yaml": "viber.yaml", "cache": "results.json", "config": "toml",
       "audience": "csv"}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def signature(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = "?"
    for fr in reversed(tb):
        if "/vibespec/" in fr.filename.replace(os.sep, "/"):
            where = f"{os.path.basename(fr.filename)}:{fr.lineno}"
            break
    return f"{type(exc).__name__}@{where}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of inputs [10000]")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--slow", type=float, default=2.0, help="report inputs taking more CPU seconds than this [2]")
    ap.add_argument("--hang", type=float, default=20.0, help="abort an input after this many CPU seconds [20]")
    ap.add_argument("--keep", type=int, default=2, help="reproducers kept per crash signature [2]")
    ap.add_argument("--memory", type=int, default=2048, help="address-space limit in MiB [2048; 0: none]")
    ap.add_argument("--progress", type=int, default=10_000, help="print progress every N inputs")
    ap.add_argument("--out", default=CRASH_DIR, help="folder for reproducers")
    ap.add_argument("--files", type=int, default=10,
                    help="weight of each of the cache, config and audience targets beside the spec "
                         "targets' 100 [10; 0: specs and bodies only]")
    args = ap.parse_args(argv)

    if args.memory:
        try:
            lim = args.memory * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGPROF, _alarm)
    r = random.Random(args.seed)
    seeds = load_seeds()
    pools = {k: v for k, v in seeds.items() if v}
    kinds = ["yaml"] * 40 + ["toml"] * 15 + ["json"] * 25 + ["inbound"] * 7 + ["reports"] * 8 + ["compile-yaml"] * 5
    if args.files:
        kinds += ["cache"] * args.files + ["config"] * args.files + ["audience"] * args.files
    all_pool = [s for v in pools.values() for s in v]
    global FILES
    if args.files:
        FILES = Files(pools["yaml"])

    crashes: Counter = Counter()
    kept: Counter = Counter()
    by_kind: Counter = Counter()
    slow: list[tuple[float, str, str]] = []
    max_t, max_where, max_wall = 0.0, "", 0.0
    total_t = 0.0
    start = time.time()
    for i in range(args.n):
        kind = r.choice(kinds)
        pool = pools.get(kind.replace("compile-", ""), all_pool)
        if kind == "cache":
            how, raw = FILES.cache_input(r)
            data = (how, raw, sorted(r.sample(range(len(FILES.specs)), r.choice((1, 1, 2, 5)))))
        elif kind == "config":
            data = (r.choice(("vibespec.toml", "pyproject.toml")),
                    mutate(r, r.choice(pool), pool if r.random() < 0.9 else all_pool))
        elif kind == "audience":
            data = mutate(r, r.choice(pool), pool if r.random() < 0.9 else all_pool)
        elif kind in ("json", "inbound", "reports") and r.random() < 0.15:
            data: object = json.dumps(generate_json(r)).encode() if r.random() < 0.5 else generate_json(r)
        else:
            data = mutate(r, r.choice(pool), pool if r.random() < 0.8 else all_pool)
            if kind != "json" and r.random() < 0.1 and isinstance(data, bytes):
                data = data.decode("utf-8", "replace")  # the text (str) path too
                if "\n" not in data:
                    data += "\n"  # a one-line str ending in .yaml would be taken for a path
        by_kind[kind] += 1
        t0 = time.process_time()  # CPU time: other load on the machine does not count
        w0 = time.perf_counter()
        exc = None
        try:
            signal.setitimer(signal.ITIMER_PROF, args.hang)
            try:
                run_target(kind, data)
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except BaseException as e:  # noqa: BLE001 - that is the point
            if isinstance(e, KeyboardInterrupt):
                raise
            exc = e
        dt = time.process_time() - t0
        max_wall = max(max_wall, time.perf_counter() - w0)
        total_t += dt
        if dt > max_t:
            max_t, max_where = dt, f"input #{i} ({kind})"
        if dt > args.slow:
            slow.append((dt, kind, _save(args.out, f"slow-{kind}", kind, data, f"{dt:.2f}s", kept, args.keep)))
        if exc is not None:
            sig = f"{kind}:{signature(exc)}"
            crashes[sig] += 1
            tb = "".join(traceback.format_exception(exc))
            _save(args.out, sig, kind, data, tb, kept, args.keep)
        if args.progress and (i + 1) % args.progress == 0:
            print(f"[seed {args.seed}] {i + 1}/{args.n} inputs, {sum(crashes.values())} crashes, "
                  f"{len(slow)} slow, {time.time() - start:.0f}s", flush=True)

    elapsed = time.time() - start
    if FILES is not None:
        FILES.close()
    print()
    print(f"vibespec fuzz: seed {args.seed}, {args.n} inputs in {elapsed:.1f}s "
          f"({args.n / max(elapsed, 1e-9):.0f}/s)")
    print("  by target: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
    print(f"  mean CPU time per input: {1000 * total_t / max(args.n, 1):.2f} ms; max {max_t:.3f}s ({max_where}); "
          f"max wall time {max_wall:.3f}s")
    print(f"  slower than {args.slow}s: {len(slow)}")
    for dt, kind, path in sorted(slow, reverse=True)[:10]:
        print(f"    {dt:.2f}s {kind} {path}")
    print(f"  crashes: {sum(crashes.values())} ({len(crashes)} distinct)")
    for sig, n in crashes.most_common():
        print(f"    {n:6d}  {sig}")
    if crashes or slow:
        print(f"  reproducers in {os.path.relpath(args.out, os.getcwd())}/")
    return 1 if crashes or slow else 0


def _save(folder: str, sig: str, kind: str, data, note: str, kept: Counter, keep: int) -> str:
    if kept[sig] >= keep:
        return "(not saved)"
    kept[sig] += 1
    os.makedirs(folder, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in sig)[:100]
    if kind in ("cache", "config") and isinstance(data, tuple):
        note = f"{data[0]}" + (f" specs {data[2]}" if kind == "cache" else "") + "\n\n" + note
        data = data[1] if data[1] is not None else b""
    if isinstance(data, (bytes, str)):
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        ext = EXT[kind]
    else:
        raw = json.dumps(data).encode()
        ext = "pyobj.json"
    h = hashlib.sha1(raw).hexdigest()[:8]
    base = os.path.join(folder, f"{safe}-{h}")
    with open(f"{base}.{ext}", "wb") as f:
        f.write(raw)
    with open(f"{base}.txt", "w", encoding="utf-8") as f:
        f.write(f"target: {kind}\ninput type: {type(data).__name__}\n\n{note}\n")
    return f"{base}.{ext}"


if __name__ == "__main__":
    sys.exit(main())
