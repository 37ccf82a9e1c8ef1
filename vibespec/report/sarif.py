"""``sarif``: a SARIF 2.1.0 log with one run (for GitHub code scanning and other viewers).

- ``tool.driver`` describes every rule (``rules``, default all registered rules): ``id`` is
  the code, ``name`` the rule name, ``shortDescription`` the summary line,
  ``fullDescription`` the first paragraph after it, ``help`` the whole docstring, and
  ``defaultConfiguration.level`` the default severity (``info`` is SARIF ``note``). A code
  that appears in the results but no rule describes gets a minimal descriptor at the end.
- Each result has ``ruleId``, ``ruleIndex``, ``level``, ``message.text`` (the message
  only) and, when the diagnostic has a file, one physical location: the path as given with
  forward slashes, relative to ``%SRCROOT%`` (an absolute path becomes a ``file:`` URI), and
  the region. Columns count Unicode code points (``run.columnKind``) and the end column is
  exclusive, as in SARIF. ``help`` and ``pointer`` go to ``result.properties``.
- ``partialFingerprints["vibespec/v1"]`` hashes code, file, pointer (or line) and message,
  so a finding keeps its identity when unrelated lines move.

Output is deterministic: two-space indented JSON, key order fixed by construction.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Sequence, TextIO
from urllib.parse import quote

from ..diagnostics import Diagnostic, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/vibespec/vibespec"
SRCROOT = "%SRCROOT%"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def level(severity: Severity | str) -> str:
    return LEVEL[Severity.parse(severity)]


def full_description(rule: type) -> str:
    """The first paragraph after the summary line, joined into one line (or the summary)."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(rule.doc().strip()) if p.strip()]
    if len(paragraphs) >= 2:
        return " ".join(ln.strip() for ln in paragraphs[1].splitlines())
    return rule.summary()


def rule_descriptor(rule: type) -> dict:
    doc = rule.doc()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": [rule.area()]},
    }


def artifact_location(file: str) -> dict:
    """``{uri, uriBaseId}`` for a path as given: forward slashes, percent-encoded."""
    path = file.replace("\\", "/")
    if path.startswith("/") or _WINDOWS_ABS.match(file):
        if not path.startswith("/"):
            path = "/" + path
        return {"uri": "file://" + quote(path, safe="/:")}
    while path.startswith("./"):
        path = path[2:]
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def region(d: Diagnostic) -> dict:
    start_line = max(d.line, 1)
    start_col = max(d.column, 1)
    end_line = max(d.end_line if d.end_line is not None else start_line, start_line)
    end_col = d.end_column if d.end_column is not None else start_col + 1
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": max(end_col, 1)}


def fingerprint(d: Diagnostic) -> str:
    where = d.pointer if d.pointer is not None else f"line {d.line}"
    key = "\x00".join((d.code, d.file or "", where, d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def build(diagnostics: Sequence[Diagnostic], *, tool_version: str, rules: Sequence[type] | None = None) -> dict:
    if rules is None:
        from ..rules import ALL_RULES as rules  # noqa: N811
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
                physical["region"] = region(d)
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
    diagnostics: Sequence[Diagnostic], stream: TextIO, *, tool_version: str, rules: Sequence[type] | None = None
) -> None:
    log = build(diagnostics, tool_version=tool_version, rules=rules)
    stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
