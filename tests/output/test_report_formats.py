"""Snapshots of every output format over one fixed list of diagnostics, plus focused checks."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

import vibespec
from vibespec.diagnostics import Diagnostic, Severity
from vibespec.output import FORMATS, format_for_environment, summary_line, write_report
from vibespec.output._source import RenderedLine, caret_span, split_lines
from vibespec.output.github import escape_data, escape_property
from vibespec.output.sarif import artifact_location
from vibespec.rules import ALL_RULES, Rule

# -- fixed rule metadata (ALL_RULES grows while the project does; snapshots must not) ----


class _TextTooLong(Rule):
    """The text is longer than Infobip accepts.

    Why: Infobip rejects a TEXT message over 4000 characters.
    The whole request fails.

    Source: Infobip API reference.

    Fails:

        text: <4001 characters>
    """

    code = "VB201"
    name = "text-too-long"
    severity = Severity.ERROR


class _TabIndent(Rule):
    """A tab is used for indentation."""

    code = "VB010"
    name = "tab-indentation"
    severity = Severity.WARNING


class _UnusedButton(Rule):
    """A note about something Viber ignores.

    Why: Viber ignores it."""

    code = "VB305"
    name = "ignored-field"
    severity = Severity.INFO


RULES = (_TabIndent, _TextTooLong, _UnusedButton)

PROMO = (
    "vibespec: 1\n"
    "messages:\n"
    "  - to: user-1\n"
    '    text: "Lorem ipsum dolor sit amet"\n'
    "  - to: user-2\n"
    "\ttext: tabbed\n"
    "  - to: user-3\n"
    "    text: 「日本語のテキストです」\n"
    "  - to: user-4\n"
    "    text: >\n"
    "      folded\n"
    "      lines\n"
)
SOURCES = {"promo.viber.yaml": PROMO, "other.viber.toml": 'text = "x"\n'}

DIAGNOSTICS = [
    Diagnostic(
        "VB201",
        Severity.ERROR,
        "text is 4012 characters; Infobip accepts at most 4000",
        "promo.viber.yaml",
        4,
        11,
        4,
        39,
        help="shorten the text or split it into two messages",
        pointer="/messages/0/content/text",
    ),
    Diagnostic("VB010", Severity.WARNING, "a tab indents this line", "promo.viber.yaml", 6, 1, 6, 2),
    Diagnostic("VB201", Severity.ERROR, "text is too long", "promo.viber.yaml", 8, 11, 8, 16),
    Diagnostic("VB305", Severity.INFO, "folded text spans lines", "promo.viber.yaml", 10, 11, 12, 12),
    Diagnostic("VB201", Severity.ERROR, "no source for this file", "other.viber.toml", 40, 3, 40, 9),
    Diagnostic("VB999", Severity.WARNING, "configuration: 50% of rules, key a:b, disabled\nsecond line"),
]


def render(fmt: str, diagnostics=DIAGNOSTICS, **kw) -> str:
    out = io.StringIO()
    kw.setdefault("sources", SOURCES)
    kw.setdefault("files_checked", 3)
    kw.setdefault("tool_version", "9.9.9")
    kw.setdefault("rules", RULES)
    write_report(diagnostics, out, fmt, **kw)
    return out.getvalue()


# -- snapshots -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_snapshot(fmt, snapshot):
    assert render(fmt) == snapshot


def test_snapshot_full_color(snapshot):
    assert render("full", DIAGNOSTICS[:2], color=True) == snapshot


def test_snapshot_sarif_default_rules_not_listed_verbatim():
    # with the default rules, every registered rule is described (checked, not snapshotted)
    log = json.loads(render("sarif", rules=None))
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids[: len(ALL_RULES)] == [r.code for r in ALL_RULES]


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown output format"):
        render("xml")


# -- full: frames and carets --------------------------------------------------------------


def _frame(d: Diagnostic, source: str) -> tuple[str, str]:
    """(source line, caret line) of the frame, gutters stripped."""
    lines = render("full", [d], sources={"f": source}).splitlines()
    src = next(i for i, ln in enumerate(lines) if re.match(r"^\s*\d+ \|", ln))
    strip = lines[src].index("|") + 2
    return lines[src][strip:], lines[src + 1][strip:]


def _under(src: str, carets: str) -> str:
    """The characters of the rendered source line under the carets (cells -> chars)."""
    start = carets.index("^")
    end = start + carets.count("^")
    out, cell = [], 0
    for ch in src:
        w = 2 if ch in "日本語のテキストです「」" else 1
        if cell >= start and cell < end:
            out.append(ch)
        cell += w
    return "".join(out)


def test_caret_under_span_plain():
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 7, 1, 12), "text: hello world\n")
    assert src == "text: hello world"
    assert _under(src, carets) == "hello"


def test_caret_after_tabs():
    line = "\tkey:\tvalue\n"
    # column 7 is "v" (1-based: \t=1, k=2, e=3, y=4, :=5, \t=6, v=7)
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 7, 1, 12), line)
    assert "\t" not in src and "\t" not in carets
    assert src == "    key:    value"
    assert _under(src, carets) == "value"


def test_caret_under_a_tab_covers_its_cells():
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 1, 1, 2), "\tx\n")
    assert carets == "^^^^"


def test_caret_after_wide_characters():
    line = "text: 「日本語のテキストです」 end"
    # span "テキスト": 1-based columns 11..14 (end exclusive 15)
    col = line.index("テ") + 1
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, col, 1, col + 4), line)
    assert _under(src, carets) == "テキスト"
    assert carets.count("^") == 8  # four wide characters, two cells each


def test_caret_tab_then_wide():
    line = "\t日本\tabc"
    col = line.index("a") + 1
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, col, 1, col + 3), line)
    # tab -> 4 cells, 日本 -> 4 cells (cell 8), tab to the next stop (12)
    assert src == "    日本    abc"
    assert carets.index("^") == 12 and carets.count("^") == 3


def test_multiline_span_underlines_to_end_of_first_line():
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 7, 3, 2), "text: >\n  a\n  b\n")
    assert src == "text: >"
    assert carets == "      ^"
    src, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 1, 2, 2), "abc\nd\n")
    assert carets == "^^^"


def test_at_least_one_caret_and_past_end_of_line():
    _, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 3, 1, 3), "abcdef")
    assert carets == "  ^"
    # a point at the end of the line (e.g. a missing value) still gets a caret
    _, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 5, 1, 6), "key:")
    assert carets == "    ^"
    # no end given: one character
    _, carets = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 1, 2), "abc")
    assert carets == " ^"


def test_gutter_width_follows_line_number():
    text = "x\n" * 120
    out = render("full", [Diagnostic("X", Severity.ERROR, "m", "f", 120, 1)], sources={"f": text})
    lines = out.splitlines()
    assert lines[1] == "   --> f:120:1"
    assert lines[2] == "    |"
    assert lines[3] == "120 | x"
    assert lines[4] == "    | ^"


def test_control_characters_are_made_visible():
    out = render("full", [Diagnostic("X", Severity.ERROR, "m", "f", 1, 3)], sources={"f": "a\x1b[31mb"})
    assert "\x1b" not in out
    assert "a\u241b[31mb" in out


def test_crlf_and_cr_line_breaks():
    assert split_lines("a\r\nb\rc\n") == ["a", "b", "c", ""]
    src, _ = _frame(Diagnostic("X", Severity.ERROR, "m", "f", 2, 1), "a\r\nbc\r\n")
    assert src == "bc"


def test_no_frame_without_source_or_line():
    out = render("full", [Diagnostic("X", Severity.ERROR, "m", "f", 9, 1)], sources={"f": "one line"})
    assert " | " not in out and out.startswith("error[X]: m\n --> f:9:1\n\n")
    out = render("full", [Diagnostic("X", Severity.ERROR, "m", "g", 1, 1)], sources={})
    assert "|" not in out


def test_color_only_when_asked():
    for fmt in FORMATS:
        assert "\x1b[" not in render(fmt)
    colored = render("full", color=True)
    assert "\x1b[31m" in colored and "\x1b[33m" in colored and "\x1b[34m" in colored
    assert "\x1b[" in render("concise", color=True)
    for fmt in ("json", "sarif", "github"):
        assert "\x1b[" not in render(fmt, color=True)


def test_rendered_line_cells():
    r = RenderedLine("a\tb日c\u0301d")
    assert r.text == "a   b日c\u0301d"
    assert r.starts == [0, 1, 4, 5, 7, 8, 8]
    assert r.width == 9
    assert caret_span("a\tb", 2, 1, 1, 3) == (1, 3)


# -- summary line ---------------------------------------------------------------------


def test_summary_line():
    e = Diagnostic("X", Severity.ERROR, "m", "a")
    w = Diagnostic("X", Severity.WARNING, "m", "b")
    i = Diagnostic("X", Severity.INFO, "m", "b")
    assert summary_line([], 5) == "All checks passed: 5 files, no problems."
    assert summary_line([], 1) == "All checks passed: 1 file, no problems."
    assert summary_line([], None) == "All checks passed: no problems."
    assert summary_line([e], 1) == "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file."
    assert summary_line([e, e, w], None) == "Found 3 problems (2 errors, 1 warning, 0 infos) in 2 files."
    assert summary_line([e, w, i], 5) == "Found 3 problems (1 error, 1 warning, 1 info) in 2 of 5 files."


def test_summary_only_in_human_formats():
    for fmt in ("full", "concise"):
        assert render(fmt).endswith("(3 errors, 2 warnings, 1 info) in 3 files.\n")
    assert render("concise", files_checked=7).endswith(" in 3 of 7 files.\n")
    for fmt in ("json", "sarif", "github"):
        assert "Found" not in render(fmt)
    assert render("concise", []) == "All checks passed: 3 files, no problems.\n"
    assert render("full", []) == "All checks passed: 3 files, no problems.\n"
    assert render("github", []) == ""
    assert render("json", []) == "[]\n"


def test_order_is_kept():
    rev = list(reversed(DIAGNOSTICS))
    lines = render("concise", rev).splitlines()[:-1]
    assert [ln.split(": ", 1)[1].split(" ")[0] for ln in lines] == [d.code for d in rev]


# -- json -----------------------------------------------------------------------------


def test_json_round_trips():
    out = render("json")
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    objs = json.loads(out)
    assert [o["name"] for o in objs] == ["text-too-long", "tab-indentation", "text-too-long",
                                         "ignored-field", "text-too-long", None]
    for o, d in zip(objs, DIAGNOSTICS):
        assert set(o) == {"code", "name", "severity", "message", "file", "line", "column",
                          "end_line", "end_column", "help", "pointer"}
        back = Diagnostic.from_dict(o)
        assert back.to_dict() == d.to_dict()
        if d.end_line is not None and d.end_column is not None:
            assert back == d


def test_json_keeps_non_ascii():
    assert "日本語" in render("json", [Diagnostic("X", Severity.ERROR, "日本語", "f")])


# -- github ---------------------------------------------------------------------------


def test_github_escaping():
    assert escape_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert escape_property("50% a\r\nb:c,d") == "50%25 a%0D%0Ab%3Ac%2Cd"
    d = Diagnostic("VB201", Severity.WARNING, "100% done,\nreally: yes", "dir/a,b:c.yaml", 3, 4, 3, 9,
                   help="try 50%")
    out = render("github", [d])
    assert out == (
        "::warning file=dir/a%2Cb%3Ac.yaml,line=3,col=4,endLine=3,endColumn=9,title=VB201"
        "::100%25 done,%0Areally: yes%0Ahelp: try 50%25\n"
    )


def test_github_commands_per_severity_and_location():
    lines = render("github").splitlines()
    assert len(lines) == len(DIAGNOSTICS)
    assert [ln.split(" ", 1)[0] for ln in lines] == ["::error", "::warning", "::error", "::notice",
                                                     "::error", "::warning"]
    assert "endLine=12,title=VB305" in lines[3] and "col=" not in lines[3]  # multi-line span
    assert lines[5].startswith("::warning title=VB999::")  # no file: no location
    for ln in lines:
        assert "\n" not in ln and "\r" not in ln


# -- sarif ----------------------------------------------------------------------------

# The whole OASIS SARIF 2.1.0 schema (Draft 7; source and licence in tests/fixtures/*.NOTICE.md).
SARIF_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _sarif(**kw) -> dict:
    return json.loads(render("sarif", **kw))


def test_sarif_structure():
    log = _sarif()
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vibespec" and driver["version"] == "9.9.9"
    assert driver["informationUri"] == "https://github.com/vibespec/vibespec"
    rules = driver["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        for loc in res.get("locations", []):
            reg = loc["physicalLocation"]["region"]
            assert reg["endLine"] >= reg["startLine"]
            if reg["endLine"] == reg["startLine"]:
                assert reg["endColumn"] >= reg["startColumn"]
    assert [r["level"] for r in run["results"]] == ["error", "warning", "error", "note", "error", "warning"]
    assert "locations" not in run["results"][-1]  # no file


def test_sarif_rule_descriptors():
    rules = _sarif()["runs"][0]["tool"]["driver"]["rules"]
    r = {x["id"]: x for x in rules}
    assert r["VB201"]["name"] == "text-too-long"
    assert r["VB201"]["shortDescription"]["text"] == "The text is longer than Infobip accepts."
    assert r["VB201"]["fullDescription"]["text"] == (
        "Why: Infobip rejects a TEXT message over 4000 characters. The whole request fails."
    )
    assert r["VB201"]["help"]["text"] == _TextTooLong.doc()  # no markup to strip
    assert r["VB201"]["help"]["markdown"].startswith("The text is longer than Infobip accepts.\n\nWhy:")
    assert r["VB201"]["helpUri"].endswith("/docs/rules.md#vb201-text-too-long")
    assert r["VB010"]["fullDescription"]["text"] == "A tab is used for indentation."  # summary only
    assert r["VB201"]["defaultConfiguration"]["level"] == "error"
    assert r["VB010"]["defaultConfiguration"]["level"] == "warning"
    assert r["VB305"]["defaultConfiguration"]["level"] == "note"
    assert r["VB999"] == {"id": "VB999", "shortDescription": {"text": "VB999"}}  # unknown code


def test_sarif_all_registered_rules_validate():
    log = _sarif(rules=None)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == "9.9.9"
    by_id = {x["id"]: x for x in driver["rules"]}
    for rule in ALL_RULES:
        d = by_id[rule.code]
        assert d["name"] == rule.name and d["shortDescription"]["text"] == rule.summary()
        assert d["fullDescription"]["text"]
    assert _sarif(rules=None, tool_version=vibespec.__version__)["runs"][0]["tool"]["driver"]["version"] \
        == vibespec.__version__


def test_sarif_is_deterministic():
    assert render("sarif") == render("sarif")


def test_sarif_uris():
    assert artifact_location("specs\\promo.viber.yaml") == {"uri": "specs/promo.viber.yaml", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("./a b.yaml") == {"uri": "a%20b.yaml", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("/home/u/a.yaml") == {"uri": "file:///home/u/a.yaml"}
    assert artifact_location("C:\\work\\a.yaml") == {"uri": "file:///C:/work/a.yaml"}


# -- environment ----------------------------------------------------------------------


def test_format_for_environment():
    assert format_for_environment("json", {"GITHUB_ACTIONS": "true"}) == "json"
    assert format_for_environment(None, {"GITHUB_ACTIONS": "true"}) == "github"
    assert format_for_environment(None, {"GITHUB_ACTIONS": "false"}) == "full"
    assert format_for_environment(None, {}) == "full"
    assert format_for_environment("concise", {}) == "concise"


def test_module_doctest():
    import doctest

    import vibespec.output

    assert doctest.testmod(vibespec.output).failed == 0
