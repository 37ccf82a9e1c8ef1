"""Docstrings rendered for people: plain terminal text (``vibespec explain``, ``vibespec rules``,
``--help``, SARIF text fields) and Markdown with linked citations (``docs/rules.md``, SARIF
``help.markdown``).

Rule docstrings are written with reStructuredText inline markup (````code````, ``**bold**``)
and indented example blocks. The terminal shows neither backticks nor asterisks; a summary is
the whole first paragraph, so it ends where its sentence ends. Core module: no click."""

from __future__ import annotations

import re
import textwrap

from . import sources

_CODE = re.compile(r"``(.+?)``", re.S)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ROLE = re.compile(r":[a-z]+:`([^`]+)`")
_SINGLE = re.compile(r"(?<![`\w])`([^`\n]+)`(?![`\w])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
#: words ending in a dot that do not end a sentence
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "no")


def plain(text: str) -> str:
    """``text`` without reStructuredText inline markup: ````x````, ```x```, ``**x**``,
    ``:role:`x``` become ``x``. Indented blocks (examples) are kept as they are."""
    text = _ROLE.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    return _SINGLE.sub(r"\1", text)


def first_paragraph(doc: str) -> str:
    """The first paragraph of a docstring, its lines joined with single spaces."""
    doc = doc.strip()
    if not doc:
        return ""
    return " ".join(line.strip() for line in _PARAGRAPH_BREAK.split(doc, 1)[0].splitlines())


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first paragraph: up to the first full stop that is
    followed by a space or the end, is outside parentheses and does not end an abbreviation
    such as ``e.g.``. The whole paragraph when no such stop exists."""
    para = first_paragraph(text)
    depth = 0
    for i, ch in enumerate(para):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch in ".!?" and depth == 0 and (i + 1 == len(para) or para[i + 1] == " "):
            word = re.split(r"[\s(]", para[:i])[-1].lower()
            if ch == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
            return para[: i + 1]
    return para


def summary(doc: str) -> str:
    """A rule's summary: the first paragraph of its docstring (complete sentences), plain."""
    return plain(first_paragraph(doc))


def explain_text(rule: type) -> str:
    """``vibespec explain``: the docstring without markup, then every source it cites with its
    title and where to read it."""
    doc = rule.doc()
    lines = [f"{rule.code} {rule.name} ({rule.severity.value}, {rule.area()})", "", plain(doc)]
    cited = sources.cited(doc)
    if cited:
        lines += ["", "Sources cited:"]
        width = max(len(s.label) for s in cited)
        for s in cited:
            where = s.url or f"{sources.RULES_DOC_URL}#{s.key}"
            title = f"{s.title}: " if s.title != s.label else ""
            lines.append(f"  {s.label:<{width}}  {title}{where}")
    lines += ["", f"Online: {sources.rule_url(rule)}"]
    return "\n".join(lines)


def link_citations(text: str) -> str:
    """Markdown prose with every citation linked: sources of the list to their entry in the
    "Sources" section of docs/rules.md, standards to their published text."""
    out: list[str] = []
    pos = 0
    for start, end, src in sources.citations(text):
        target = f"#{src.key}" if src.url == "" or src in sources.PUBLIC else src.url
        out += [text[pos:start], f"[{text[start:end]}]({target})"]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def markdown(body: str, *, links: bool = True) -> str:
    """Docstring sections -> Markdown: indented example blocks become fenced code (``json``
    when they start with ``{`` or ``"``, else ``yaml``); prose citations become links."""
    out: list[str] = []
    block: list[str] = []
    prose: list[str] = []

    def flush_prose() -> None:
        if prose:
            text = "\n".join(prose)
            out.append(link_citations(text) if links else text)
            prose.clear()

    def flush_block() -> None:
        if block:
            while block and not block[-1].strip():
                block.pop()
            code = textwrap.dedent("\n".join(block))
            lang = "json" if code.lstrip().startswith(("{", '"')) else "yaml"
            out.extend([f"```{lang}", code, "```", ""])
            block.clear()

    for line in body.split("\n"):
        if line.startswith("    ") or (block and not line.strip()):
            flush_prose()
            block.append(line)
            continue
        flush_block()
        prose.append(line)
    flush_prose()
    flush_block()
    return "\n".join(out).rstrip()
