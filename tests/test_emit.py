"""The emitter writes exactly what json.dumps(indent=N, ensure_ascii=False) writes, plus a
newline, whether it returns a string or streams to a file."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vibespec.compiler.emit import CompactDestinations, dump, dumps, expand

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=40,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(value=json_values, indent=st.sampled_from([0, 1, 2, 4]))
def test_same_bytes_as_json_dumps(value, indent):
    if indent:
        want = json.dumps(value, indent=indent, ensure_ascii=False) + "\n"
    else:
        want = json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert dumps(value, indent) == want
    buf = io.StringIO()
    dump(value, buf, indent)
    assert buf.getvalue() == want


def test_large_lists_stream_in_pieces():
    body = {"messages": [{"destinations": [{"to": f"u{i}", "messageId": f"m{i}"} for i in range(20000)]}]}
    writes = []

    class Sink:
        def write(self, s):
            writes.append(s)

    dump(body, Sink(), 2)
    assert len(writes) > 5 and "".join(writes) == json.dumps(body, indent=2) + "\n"


destination_lists = st.lists(
    st.text(max_size=10) | st.fixed_dictionaries({"to": st.text(max_size=6)}, optional={"messageId": st.text(max_size=4)}),
    max_size=6)


@settings(max_examples=200, deadline=None)
@given(dests=destination_lists, indent=st.sampled_from([0, 1, 2, 4]))
def test_compact_destinations_emit_as_dicts(dests, indent):
    """``vibespec compile`` keeps bare ids as strings (CompactDestinations); the bytes are those
    of the plain body."""
    plain = {"messages": [{"sender": "s", "destinations": [{"to": d} if isinstance(d, str) else d for d in dests],
                           "content": {"text": "t", "type": "TEXT"}}]}
    compact = {"messages": [{"sender": "s", "destinations": CompactDestinations(dests),
                             "content": {"text": "t", "type": "TEXT"}}]}
    assert expand(compact) == plain
    assert dumps(compact, indent) == dumps(plain, indent)
    buf = io.StringIO()
    dump(compact, buf, indent)
    assert buf.getvalue() == dumps(plain, indent)
