"""Rule documentation a user can act on: every citation in docs/rules.md links to the published
source list, `vibespec explain` names each cited source with where to read it, and the
terminal shows neither reStructuredText markup nor sentences cut at "e.g."."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vibespec import doctext, sources
from vibespec.cli.app import cli
from vibespec.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)
_LINK = re.compile(r"\[([^\]]*(?:\[[^\]]*\][^\]]*)*)\]\(([^)\s]+)\)")
_CODE = re.compile(r"``.+?``|`[^`\n]+`", re.S)
_CITATION = re.compile(r"\bS\d{1,2}\b|constraints(?:\.md)?\s+§|wire-format|\bRFC\s\d+|\[D3\]")


def _rules_part() -> str:
    return DOCS[DOCS.index("\n## ", DOCS.index("| Code | Name |")): DOCS.index("\n## Sources")]


def test_every_citation_in_the_rule_docs_is_a_link():
    prose = _FENCE.sub("", _rules_part())
    prose = _LINK.sub("", prose)
    prose = _CODE.sub("", prose)
    left = sorted({m.group(0) for m in _CITATION.finditer(prose)})
    assert not left, f"citations without a link in docs/rules.md: {left}"
    assert len(_LINK.findall(_rules_part())) > 400


def test_every_internal_link_has_its_target():
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', DOCS))
    anchors |= {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^#+ (.+)$", DOCS, re.M)}
    targets = {t[1:] for _, t in _LINK.findall(DOCS) if t.startswith("#")}
    assert targets and targets <= anchors, sorted(targets - anchors)
    assert {"s1", "s6", "s13", "s22", "constraints-3", "constraints-2-1", "wire-format"} <= anchors


def test_the_source_list_is_published_with_titles_and_urls():
    part = DOCS[DOCS.index("\n## Sources"):]
    for s in sources.PUBLIC:
        assert f'<a id="{s.key}"></a>{s.label} | [{s.title}]({s.url}) |' in part
        assert s.url.startswith("https://")
    for s in sources.NOTES:
        assert f'<a id="{s.key}"></a>{s.label} | {s.title} |' in part
    # what it says, in our words: no table of the notes is copied
    assert "| ID | Source | Notes |" not in DOCS


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_cited_source_is_known(rule):
    doc = rule.doc()
    code_free = _CODE.sub("", doc)
    for m in re.finditer(r"\bS(\d{1,2})\b", code_free):
        assert sources._BY_LABEL.get(f"S{m.group(1)}"), f"{rule.code} cites unknown S{m.group(1)}"
    for m in re.finditer(r"constraints(?:\.md)?\s+§(\d+(?:\.\d+)?)", code_free):
        assert sources.note(m.group(1)), f"{rule.code} cites unknown constraints §{m.group(1)}"


def test_citations_resolve_bare_sections_and_skip_code():
    text = "Source: constraints.md §2 and §2.1 (S6, ``S7``); RFC 8259 §8.1; wire-format §3; OpenAPI Foo."
    got = [(text[a:b], s.key) for a, b, s in sources.citations(text)]
    assert got == [("constraints.md §2", "constraints-2"), ("§2.1", "constraints-2-1"), ("S6", "s6"),
                   ("RFC 8259", "rfc8259"), ("wire-format §3", "wire-format"), ("OpenAPI", "s6")]
    md = doctext.link_citations("See S13 and RFC 3986.")
    assert md == "See [S13](#s13) and [RFC 3986](https://www.rfc-editor.org/rfc/rfc3986)."


def _run(*args):
    r = CliRunner().invoke(cli, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_explain_is_plain_text_and_names_its_sources():
    out = _run("explain", "VB201")
    assert "``" not in out and "**" not in out
    assert "maxLength: 4000" in out
    assert "Sources cited:" in out
    assert "S6" in out and "https://www.infobip.com/docs/api/channels/viber/viber-bot" in out
    assert "constraints.md §2.1" in out and sources.RULES_DOC_URL + "#constraints-2-1" in out
    assert out.rstrip().endswith(sources.RULES_DOC_URL + "#vb201-text-too-long")
    for rule in ALL_RULES:
        text = doctext.explain_text(rule)
        assert "``" not in text, rule.code


def test_rules_list_shows_whole_sentences_without_markup():
    out = _run("rules")
    lines = out.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line in lines:
        assert "``" not in line and line.endswith("."), line
    # a summary written over two docstring lines is not cut at the line break
    vb354 = next(ln for ln in lines if ln.startswith("VB354"))
    assert vb354.endswith("is not VIDEO, so Viber ignores the player settings.")


def test_help_lists_each_command_with_its_whole_first_sentence():
    out = _run("--help")
    assert "explain  Print the documentation of a rule (by code, e.g. VB201, or name)." in out
    assert "..." not in out.split("Commands:")[1]


@pytest.mark.parametrize("text,first", [
    ("Print a rule (by code, e.g. VB201, or name). More.", "Print a rule (by code, e.g. VB201, or name)."),
    ("Use e.g. this form. Then more.", "Use e.g. this form."),
    ("Version 1.2 is out. Next.", "Version 1.2 is out."),
    ("No stop at all", "No stop at all"),
    ("Two\nlines here. Rest.\n\nSecond paragraph.", "Two lines here."),
])
def test_first_sentence(text, first):
    assert doctext.first_sentence(text) == first


def test_plain_strips_inline_markup_but_keeps_examples():
    doc = "A ``url`` is **not** set.\n\nFails:\n\n    text: ``x``\n"
    assert doctext.plain(doc) == "A url is not set.\n\nFails:\n\n    text: x\n"
