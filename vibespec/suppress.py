"""Inline suppressions in YAML and TOML specs.

- ``# vibespec: ignore[VB201, VB202]`` at the end of a line suppresses those codes on that
  line; on a line of its own, on the next line that is not a comment. Without ``[...]`` it
  suppresses every code there.
- ``# vibespec: ignore-file[VB604]`` anywhere suppresses the codes in the whole file
  (``# vibespec: ignore-file`` alone: everything).

A suppression that suppresses nothing is reported as VB901; an unknown code as VB902."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import codes
from .diagnostics import Diagnostic

_MARK = "vibespec:"
_RE = re.compile(r"(?:^|\s)#\s*vibespec:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")
_CODE = re.compile(r"^VB\d{3}$")


@dataclass
class Suppression:
    line: int  # the line it applies to (0 = whole file)
    comment_line: int
    column: int
    codes: tuple[str, ...] | None  # None = all
    used: set = field(default_factory=set)
    end_column: int = 0


def parse(text: str) -> list[Suppression]:
    if _MARK not in text or not _RE.search(text):  # every spec starts "vibespec: 1": look for the comment
        return []
    out: list[Suppression] = []
    lines = text.splitlines()
    for i, line in enumerate(lines, start=1):
        if _MARK not in line:
            continue
        m = _RE.search(line)
        if not m:
            continue
        kind, codes = m.group(1), m.group(2)
        code_list = None if codes is None else tuple(c.strip().upper() for c in codes.split(",") if c.strip())
        col = m.start() + (1 if m.group(0)[:1].isspace() else 0) + 1
        if kind == "ignore-file":
            target = 0
        elif line[: m.start()].strip():
            target = i
        else:  # own-line comment: applies to the next non-comment, non-blank line
            target = i + 1
            while target <= len(lines) and (not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")):
                target += 1
        out.append(Suppression(target, i, col, code_list, end_column=len(line) + 1))
    return out


def apply(diagnostics: list[Diagnostic], text: str, file: str | None, known_codes: set[str]) -> list[Diagnostic]:
    """Remove suppressed diagnostics; add VB901/VB902 for unused and invalid suppressions."""
    sups = parse(text)
    if not sups:
        return diagnostics
    kept = []
    for d in diagnostics:
        hit = None
        for s in sups:
            if s.line not in (0, d.line):
                continue
            if s.codes is None or d.code in s.codes:
                hit = s
                break
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.code if hit.codes is not None else "*")
    for s in sups:
        named = s.codes
        if named is not None:
            for c in named:
                if not _CODE.match(c) or c not in known_codes:
                    kept.append(codes.VB902.diagnostic(f"suppression names unknown code '{c}'", file,
                                           s.comment_line, s.column, s.comment_line, s.end_column,
                                           "use a code listed by 'vibespec rules'"))
            unused = [c for c in named if c not in s.used and c in known_codes]
            if unused:
                kept.append(codes.VB901.diagnostic(f"unused suppression: {', '.join(unused)} not reported "
                                       + ("in this file" if s.line == 0 else f"on line {s.line}"),
                                       file, s.comment_line, s.column, s.comment_line, s.end_column,
                                       "remove the suppression (or the codes it no longer needs)"))
        elif not s.used:
            kept.append(codes.VB901.diagnostic("unused suppression: nothing is reported "
                                   + ("in this file" if s.line == 0 else f"on line {s.line}"),
                                   file, s.comment_line, s.column, s.comment_line, s.end_column,
                                   "remove the suppression"))
    return kept
