"""A CSV audience costs memory for what the body must hold (the ids), not for the rows: the
file is checked once and read again a row at a time, and rows that render to one message
keep their ids and line numbers only (a 1,000,000-row audience: 873 MB peak for the whole
compile at first, 352 MB with slotted rows, 80 MB now; parse_csv keeps nothing per row)."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest

from vibespec.compiler import templates as T


def _csv(n: int) -> bytes:
    return ("to,message_id,name\n" + "".join(f"bot-user-{i},mid-{i},Ana\n" for i in range(n))).encode()


@pytest.mark.slow
def test_parsing_keeps_nothing_per_row_and_no_copy_of_the_text():
    data = _csv(100_000)  # 3.3 MB
    tracemalloc.start()
    aud = T.parse_csv(data, "a.csv")
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(aud) == 100_000 and aud.data is data
    assert cur < 20_000, f"{cur} bytes kept after checking 100,000 rows"  # 30 MB with a row object a row
    assert peak < len(data) / 2, "checking decoded the whole text at once"


def test_each_pass_reads_the_rows_again():
    aud = T.parse_csv(_csv(3), "a.csv")
    first, second = [r.values["to"] for r in aud], [r.values["to"] for r in aud]
    assert first == second == ["bot-user-0", "bot-user-1", "bot-user-2"]


def test_row_values_behave_like_the_dict_they_were():
    aud = T.parse_csv(b"to,message_id,name\nbot-1,m1,Ana\nbot-2\n", "a.csv")
    r1, r2 = aud
    assert r1.values == {"to": "bot-1", "message_id": "m1", "name": "Ana"}
    assert r1.values["name"] == "Ana" and r1.to == "bot-1" and r1.values.get("x", "d") == "d"
    assert r2.values.get("name") is None and "name" not in r2.values and "to" in r2.values
    with pytest.raises(KeyError):
        r2.values["name"]
    assert (r1.line, r2.line, r1.file) == (2, 3, "a.csv")
    assert T.render(T.parse("Hi {{ name }}"), r1.values) == ("Hi Ana", [])
    assert T.render(T.parse("Hi {{ name }}"), r2.values) == ("Hi ", ["name"])


@pytest.mark.parametrize("text", [
    "to,name\r\nbot-1,Ana\r\nbot-2,Ben\r\n",
    "to,name\rbot-1,Ana\rbot-2,Ben",
    'to,name\nbot-1,"two\nlines"\nbot-2,"a\r\nb"\n',
    "to,name\n\nbot-1,Ana\n\n\nbot-2,Ben",
    'to,name\nbot-1,"unclosed\n',
])
def test_lines_read_as_before(text):
    """Same records and line numbers as csv.reader over io.StringIO(text, newline="")."""
    def records(reader):
        try:
            return [(tuple(r), reader.line_num) for r in reader]
        except csv.Error as e:
            return str(e)

    old = records(csv.reader(io.StringIO(text, newline=""), strict=True))
    old = old if isinstance(old, str) else [(r, n) for r, n in old[1:] if r and r != ("",)]
    try:
        new = [(rec, line + (rec[1].count("\n") + rec[1].count("\r") - rec[1].count("\r\n") if len(rec) > 1 else 0))
               for rec, line in T._records(None, text.encode(), 0, "a.csv")]
    except T.AudienceError as e:
        new = e.message.removeprefix("CSV syntax error: ")
    assert new == old


def test_compile_keeps_no_dict_or_tuple_per_audience_row(tmp_path):
    """compile's body (compact) holds each row's destination as its bare id, and the facts
    hold the rows' line numbers as one array (a million rows: 602 MB before, 352 MB with
    the rows as facts, 80 MB now)."""
    from vibespec.api import read_source
    from vibespec.compiler.emit import dumps
    from vibespec.compiler.lower import lower

    (tmp_path / "p.csv").write_text("to,name\n" + "".join(f"u{i},Ann\n" for i in range(50)), encoding="utf-8")
    spec = tmp_path / "a.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\ntemplates:\n  hi: {text: 'Hi {{ name }}'}\n"
                    "audience: p.csv\nmessages:\n  - template: hi\n    to: audience\n", encoding="utf-8")
    compact = lower(read_source(str(spec)), compact=True)
    plain = lower(read_source(str(spec)))
    dests = compact.body["messages"][0]["destinations"]
    assert all(type(d) is str for d in dests)
    assert dumps(compact.body) == dumps(plain.body)  # the same bytes
    rows = compact.facts.messages[0].rows
    assert type(rows) is T.Places and len(rows) == 50
    file, line, column = rows[3]
    assert (file.endswith("p.csv"), line, column) == (True, 5, 1)
    assert list(rows)[3] == rows[3] and rows[3:5] == [rows[3], rows[4]]


@pytest.mark.slow
def test_rows_rendering_one_message_cost_their_id(tmp_path):
    """What a compile keeps per row of an audience whose rows render to one message: the id
    string, its slot in the destinations list and a line number; nothing that grows with the
    row's other columns."""
    from vibespec.api import read_source
    from vibespec.compiler.lower import lower

    n = 60_000
    (tmp_path / "p.csv").write_text("to,city,note\n" + "".join(f"user-{i:07d},Ljubljana,{'x' * 40}\n" for i in range(n)),
                                    encoding="utf-8")
    spec = tmp_path / "a.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\naudience: p.csv\n"
                    "messages:\n  - text: 'Hi from {{ city }}'\n    to: audience\n", encoding="utf-8")
    doc = read_source(str(spec))
    tracemalloc.start()
    compiled = lower(doc, compact=True)
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(compiled.body["messages"]) == 1 and len(compiled.body["messages"][0]["destinations"]) == n
    size = (tmp_path / "p.csv").stat().st_size
    kept = (cur - size) / n
    assert kept < 40, f"{kept:.0f} bytes kept a row"  # 300 with a row object and a tuple a row, 75 with an id string a row
    transient = (peak - size) / n
    assert transient < 80, f"{transient:.0f} bytes a row at the peak"


def test_a_repeated_recipient_names_its_first_row_across_messages(tmp_path):
    from vibespec.api import lint

    (tmp_path / "p.csv").write_text("to,city\nu1,A\nu2,B\nu3,A\nu2,A\nu3,B\n", encoding="utf-8")
    spec = tmp_path / "a.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\naudience: p.csv\n"
                    "messages:\n  - text: 'Hi from {{ city }}'\n    to: audience\n", encoding="utf-8")
    found = [(d.line, d.message) for d in lint(str(spec)) if d.code == "VB703"]
    assert found == [(5, f"recipient 'u2' appears again (first at {tmp_path / 'p.csv'}:3)"),
                     (6, f"recipient 'u3' appears again (first at {tmp_path / 'p.csv'}:4)")]


@pytest.mark.parametrize("to, csv_text", [
    ("[u1, u2, u1]", None),
    ("[u1, ' ', u2]", None),
    ("[{to: u1, message_id: m}, {to: u2, message_id: m}]", None),
    ("audience", "to,city\nu1,A\nu2,A\nu1,A\n"),
    ("audience", "to,city\nu1,A\nu2,B\nu1,B\n"),
    ("audience", "to,city\nu1,A\nu2,B\nu3,A\n"),
])
def test_compile_finds_what_lint_finds_with_the_compilers_distinct_ids(tmp_path, to, csv_text):
    """compile's body (compact) lets the addressing rules skip their set of ids when the
    compiler found them distinct; it must find exactly what lint finds on the plain body."""
    from vibespec.api import lint_compiled, read_source
    from vibespec.compiler.lower import lower

    spec = tmp_path / "a.viber.yaml"
    head = "vibespec: 1\ndefaults: {sender: Bot}\n"
    if csv_text is not None:
        (tmp_path / "p.csv").write_text(csv_text, encoding="utf-8")
        head += "audience: p.csv\n"
    spec.write_text(head + f"messages:\n  - text: 'Hi {{{{ city | default(\"x\") }}}}'\n    to: {to}\n", encoding="utf-8")
    plain = lint_compiled(lower(read_source(str(spec))))
    compact = lint_compiled(lower(read_source(str(spec)), compact=True))
    assert [(d.code, d.line, d.message) for d in compact] == [(d.code, d.line, d.message) for d in plain]
    assert plain or csv_text == "to,city\nu1,A\nu2,B\nu3,A\n"


def test_packed_ids_read_as_the_list_they_stand_for(tmp_path):
    """An audience of 10,000 rows in two messages, message ids from row 5,000 on (past a
    block of 4,096 ids): compile's packed destinations read, slice, index and emit exactly
    as the plain destinations."""
    import json

    from vibespec.api import read_source
    from vibespec.compiler.emit import PackedIds, dumps
    from vibespec.compiler.lower import lower

    rows = "".join(f"u{i},{'A' if i % 3 else 'B'},{f'm{i}' if i >= 5000 else ''}\n" for i in range(10_000))
    (tmp_path / "p.csv").write_text("to,city,message_id\n" + rows, encoding="utf-8")
    spec = tmp_path / "a.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\naudience: p.csv\n"
                    "messages:\n  - text: 'Hi from {{ city }}'\n    to: audience\n", encoding="utf-8")
    compact = lower(read_source(str(spec)), compact=True)
    plain = lower(read_source(str(spec)))
    assert dumps(compact.body) == dumps(plain.body)
    for cm, pm in zip(compact.body["messages"], plain.body["messages"]):
        packed, dicts = cm["destinations"], pm["destinations"]
        assert type(packed) is PackedIds and len(packed) == len(dicts)
        want = [d["to"] if len(d) == 1 else d for d in dicts]
        assert list(packed) == want and packed == want
        for s, e in ((0, 1), (4090, 4200), (8000, 9000), (len(want) - 3, len(want) + 5), (-5, None)):
            assert packed[s:e] == want[s:e]
        assert packed[len(want) // 2] == want[len(want) // 2] and packed[-1] == want[-1]
        with pytest.raises(IndexError):
            packed[len(want)]
    with pytest.raises(TypeError):  # not a list: what does not know it fails instead of seeing []
        json.dumps(compact.body)
