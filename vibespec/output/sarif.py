"""``sarif``: a SARIF 2.1.0 log with one run (for GitHub code scanning and other viewers).

- ``tool.driver`` describes every rule (``rules``, default all registered rules): ``id`` is
  the code, ``name`` the rule name, ``shortDescription`` the summary (the docstring's first
  paragraph), ``fullDescription`` the paragraph after it, ``help.text`` the whole docstring
  without reStructuredText markup and ``help.markdown`` the same as docs/rules.md renders it
  (citations linked), ``helpUri`` the rule's section of docs/rules.md in the repository
  (:data:`vibespec.sources.RULES_DOC_URL`), and ``defaultConfiguration.level`` the default
  severity (``info`` is SARIF ``note``). A code that appears in the results but no rule
  describes gets a minimal descriptor at the end.
- Each result has ``ruleId``, ``ruleIndex``, ``level``, ``message.text`` (the message
  only) and, when the diagnostic has a file, one physical location: the path as given with
  forward slashes, relative to ``%SRCROOT%`` (an absolute path becomes a ``file:`` URI; bytes
  of a file name that are not UTF-8 are percent-encoded), and the region. Columns count
  Unicode code points (``run.columnKind``) and the end column is exclusive, as in SARIF.
  When the text of the file is known (``sources``), ``region.snippet`` holds the text of the
  region and ``contextRegion`` the whole lines around it (with user information in URLs
  masked, and at most :data:`SNIPPET_MAX` characters). ``help`` and ``pointer`` go to
  ``result.properties``.
- Every string is valid Unicode: lone surrogates (from a file name that is not UTF-8, or a
  ``\\ud800`` escape in a JSON input) become U+FFFD; JSON escaping does the rest.
- ``partialFingerprints["vibespec/v1"]`` hashes code, file, pointer (or line) and message,
  so a finding keeps its identity when unrelated lines move.

Output is deterministic: two-space indented JSON, key order fixed by construction.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Mapping, Sequence, TextIO
from urllib.parse import quote

from ..diagnostics import Diagnostic, Severity
from ..doctext import first_paragraph, markdown, plain, summary
from ..rules.common import mask_credentials
from ..sources import REPOSITORY_URL, RULES_DOC_URL, rule_url
from ._source import line_at, split_lines

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
INFORMATION_URI = REPOSITORY_URL
SRCROOT = "%SRCROOT%"
#: the longest snippet written (characters); a longer region is cut and ends with "…"
SNIPPET_MAX = 400

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def level(severity: Severity | str) -> str:
    return LEVEL[Severity.parse(severity)]


def full_description(rule: type) -> str:
    """The first paragraph after the summary line, joined into one line (or the summary)."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(rule.doc().strip()) if p.strip()]
    if len(paragraphs) >= 2:
        return plain(first_paragraph(paragraphs[1]))
    return summary(rule.doc()) or rule.code


def help_markdown(doc: str) -> str:
    """The docstring as docs/rules.md shows it, with every link absolute (a SARIF viewer does
    not show docs/rules.md around it)."""
    text = markdown(doc)
    return re.sub(r"\]\(#", "](" + RULES_DOC_URL + "#", text)


def rule_descriptor(rule: type) -> dict:
    doc = rule.doc()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary(doc) or rule.code},
        "fullDescription": {"text": full_description(rule)},
        "helpUri": rule_url(rule),
        "help": {"text": plain(doc), "markdown": help_markdown(doc)},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": [rule.area()]},
    }


def artifact_location(file: str) -> dict:
    """``{uri, uriBaseId}`` for a path as given: forward slashes, percent-encoded."""
    path = file.replace("\\", "/")
    if path.startswith("/") or _WINDOWS_ABS.match(file):
        if not path.startswith("/"):
            path = "/" + path
        return {"uri": "file://" + _quote(path, "/:")}
    while path.startswith("./"):
        path = path[2:]
    return {"uri": _quote(path, "/"), "uriBaseId": SRCROOT}


def _quote(path: str, safe: str) -> str:
    """Percent-encoded UTF-8; the bytes of a file name that is not UTF-8 (surrogate escapes)
    are encoded as themselves."""
    try:
        return quote(path, safe=safe, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe=safe, errors="replace")


def region(d: Diagnostic) -> dict:
    start_line = max(d.line, 1)
    start_col = max(d.column, 1)
    end_line = max(d.end_line if d.end_line is not None else start_line, start_line)
    end_col = d.end_column if d.end_column is not None else start_col + 1
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": max(end_col, 1)}


def _clip(text: str) -> str:
    text = mask_credentials(text)
    return text if len(text) <= SNIPPET_MAX else text[: SNIPPET_MAX - 1] + "\u2026"


def snippets(reg: dict, source: str | None) -> tuple[dict, dict] | None:
    """(``region.snippet``, ``contextRegion``) for a region of ``source``, or None when the
    text or its lines are not known."""
    if source is None or line_at(source, reg["endLine"]) is None:
        return None
    lines = split_lines(source)[reg["startLine"] - 1: reg["endLine"]]
    if len(lines) == 1:
        text = lines[0][reg["startColumn"] - 1: reg["endColumn"] - 1]
    else:
        text = "\n".join([lines[0][reg["startColumn"] - 1:], *lines[1:-1], lines[-1][: reg["endColumn"] - 1]])
    context = {"startLine": reg["startLine"], "endLine": reg["endLine"], "snippet": {"text": _clip("\n".join(lines))}}
    return {"text": _clip(text)}, context


def fingerprint(d: Diagnostic) -> str:
    where = d.pointer if d.pointer is not None else f"line {d.line}"
    key = "\x00".join((d.code, d.file or "", where, d.message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build(diagnostics: Sequence[Diagnostic], *, tool_version: str, rules: Sequence[type] | None = None,
          sources: Mapping[str, str] | None = None) -> dict:
    if rules is None:
        from ..rules import ALL_RULES as rules  # lazy: a cached `lint` does not load the rules  # noqa: N811
    descriptors = [rule_descriptor(r) for r in rules]
    index = {r.code: i for i, r in enumerate(rules)}

    results = []
    for d in diagnostics:
        if d.code not in index:
            index[d.code] = len(descriptors)
            descriptors.append({"id": d.code, "shortDescription": {"text": d.code}})
        result: dict = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": level(d.severity),
            "message": {"text": d.message},
        }
        if d.file is not None:
            physical: dict = {"artifactLocation": artifact_location(d.file)}
            if d.positioned:
                reg = region(d)
                physical["region"] = reg
                got = snippets(reg, (sources or {}).get(d.file))
                if got is not None:
                    reg["snippet"], physical["contextRegion"] = got
            result["locations"] = [{"physicalLocation": physical}]
        result["partialFingerprints"] = {"vibespec/v1": fingerprint(d)}
        props = {k: v for k, v in (("help", d.help), ("pointer", d.pointer)) if v is not None}
        if props:
            result["properties"] = props
        results.append(result)

    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vibespec",
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def write(
    diagnostics: Sequence[Diagnostic], stream: TextIO, *, tool_version: str, rules: Sequence[type] | None = None,
    sources: Mapping[str, str] | None = None,
) -> None:
    log = build(diagnostics, tool_version=tool_version, rules=rules, sources=sources)
    text = json.dumps(log, indent=2, ensure_ascii=False)
    stream.write(_SURROGATE.sub("\ufffd", text) + "\n")
