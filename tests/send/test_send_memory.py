"""A send plan holds the compiled body in compile's compact form: an audience row's
destination is its id, not a dict, so preparing a 100,000-row send costs the ids; the bytes
sent (and the hashes and bulkIds derived from them) are those of the plain body."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from vibespec.api import read_source
from vibespec.compiler.lower import lower
from vibespec.send import plan as P

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if ".viber." in p.name)

NOW = __import__("datetime").datetime(2026, 6, 1, 8, 0, tzinfo=__import__("datetime").timezone.utc)


def _plain_bytes(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_compact_bodies_encode_to_the_plain_bytes(spec):
    doc = read_source(str(spec))
    plain = lower(doc, now=NOW).body
    compact = lower(read_source(str(spec)), now=NOW, compact=True).body
    want = _plain_bytes(plain)
    assert P.encode(compact) == want == P.encode(plain)
    assert P.body_sha256(compact) == hashlib.sha256(want).hexdigest()
    for size in (1, 2, 1000):
        a, b = P.cut(compact, size), P.cut(plain, size)
        assert [(c.bulk_id, c.sha256) for c in a] == [(c.bulk_id, c.sha256) for c in b]
        assert all(P.encode(P.chunk_body(compact, c)) == P.encode(P.chunk_body(plain, c)) for c in a)


def test_encoding_in_pieces_matches_json_for_mixed_destinations():
    from vibespec.compiler.emit import CompactDestinations

    dests = CompactDestinations(["a", {"to": "b", "messageId": "m"}, "c\u00e9\"\n"] * 5000)
    body = {"messages": [{"sender": "X", "destinations": dests, "content": {"text": "hi", "type": "TEXT"}},
                         {"sender": "Y", "destinations": [{"to": "z"}], "content": {}}], "options": {}}
    plain = {"messages": [dict(m, destinations=[{"to": d} if isinstance(d, str) else d for d in m["destinations"]])
                          for m in body["messages"]], "options": {}}
    assert P.encode(body) == _plain_bytes(plain)


def _audience_spec(tmp_path: Path, n: int) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.vibespec]\n")
    (tmp_path / "people.csv").write_text("to,city\n" + "".join(f"user-{i:07d},Ljubljana\n" for i in range(n)))
    spec = tmp_path / "promo.viber.yaml"
    spec.write_text("vibespec: 1\nbulk_id: promo\ndefaults: {sender: AcmeBot}\naudience: people.csv\n"
                    "messages:\n  - id: hi\n    to: audience\n    text: 'Hi from {{ city }}'\n")
    return spec


def test_a_prepared_plan_holds_no_dict_per_destination(tmp_path):
    n = 50_000
    (tmp_path / "warm").mkdir()
    P.prepare(str(_audience_spec(tmp_path / "warm", 10)), chunk_size=1000)  # imports outside the measure
    spec = _audience_spec(tmp_path, n)
    tracemalloc.start()
    plan = P.prepare(str(spec), chunk_size=1000)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert plan.destinations == n and len(plan.chunks) == 50
    per_row = kept / n
    assert per_row < 80, f"{per_row:.0f} bytes a destination kept"  # the file, packed ids, line numbers; a dict a destination: over 300
    assert peak / n < 200, f"{peak / n:.0f} bytes a destination at the peak"
    body = json.loads(plan.chunk_bytes(plan.chunks[49]))
    assert body["messages"][0]["destinations"][-1] == {"to": f"user-{n - 1:07d}"}
    assert body["options"]["schedule"]["bulkId"] == "promo-0050"
