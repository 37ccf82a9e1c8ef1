"""Output formats: one formatter per format, each writing to a stream it is given.

>>> import io
>>> from vibespec.diagnostics import Diagnostic, Severity
>>> out = io.StringIO()
>>> write_report([Diagnostic("VB201", Severity.ERROR, "too long", "a.yaml", 3, 5)], out, "concise")
>>> print(out.getvalue(), end="")
a.yaml:3:5: VB201 [error] too long
Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file.

Formats (:data:`FORMATS`):

- ``full``: ruff/rustc-style header, location, code frame with carets, help (human);
  ends with :func:`summary_line`.
- ``concise``: ``file:line:col: CODE [severity] message`` per line; ends with the summary.
- ``json``: a JSON array of :meth:`Diagnostic.to_dict` objects plus the rule ``name``.
- ``sarif``: SARIF 2.1.0, one run, every rule described in ``tool.driver.rules``.
- ``github``: GitHub Actions workflow commands (``::error file=…::message``).

Machine formats (json, sarif, github) never carry a summary line or colour. Nothing here
prints to ``sys.stdout`` or imports click.
"""

from __future__ import annotations

from typing import Mapping, Sequence, TextIO

from .. import codes
from .. import __version__
from ..diagnostics import Diagnostic, Severity

FORMATS: tuple[str, ...] = ("full", "concise", "json", "sarif", "github")
MAX_FINDINGS = 1_000  # the default of [tool.vibespec.limits] max_findings
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}



def write_report(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    fmt: str,
    *,
    sources: Mapping[str, str] | None = None,
    color: bool = False,
    files_checked: int | None = None,
    tool_version: str = __version__,
    rules: Sequence[type] | None = None,
    summary: bool = True,
    max_findings: int | None = MAX_FINDINGS,
) -> None:
    """Write ``diagnostics`` (already sorted; their order is kept) to ``stream`` in ``fmt``.

    ``sources`` maps a file name (as in ``Diagnostic.file``) to its text, for the code
    frames of ``full`` and the snippets of ``sarif``. ``color`` adds ANSI colour to ``full`` and ``concise`` only.
    ``files_checked`` goes into the summary line; ``summary=False`` (``-q``) leaves the
    summary line out. ``rules`` (default: every registered
    rule) gives the rule metadata used by ``json`` (names) and ``sarif`` (descriptors).
    ``max_findings`` caps the findings shown per file (:func:`cap_findings`; None: no cap);
    the summary line still counts them all."""
    everything = list(diagnostics)
    diagnostics = cap_findings(everything, max_findings) if max_findings is not None else everything
    if fmt == "full":
        from . import full  # lazy: only the chosen format's reporter is loaded

        full.write(diagnostics, stream, sources=sources or {}, color=color,
                   summary=summary_line(everything, files_checked) if summary else None)
    elif fmt == "concise":
        from . import concise  # lazy: only the chosen format's reporter is loaded

        concise.write(diagnostics, stream, color=color,
                      summary=summary_line(everything, files_checked) if summary else None)
    elif fmt == "json":
        from . import json as json_fmt  # lazy: only the chosen format's reporter is loaded

        json_fmt.write(diagnostics, stream, rules=rules)
    elif fmt == "sarif":
        from . import sarif  # lazy: only the chosen format's reporter is loaded

        sarif.write(diagnostics, stream, tool_version=tool_version, rules=rules, sources=sources)
    elif fmt == "github":
        from . import github  # lazy: only the chosen format's reporter is loaded

        github.write(diagnostics, stream)
    else:
        raise ValueError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")



def cap_findings(diagnostics: Sequence[Diagnostic], max_per_file: int) -> list[Diagnostic]:
    """At most ``max_per_file`` diagnostics of each file, the most severe first (earliest
    first among equals), in their given order, each capped file closed by one VB010 note:
    ``N more findings not shown``, placed at the first finding not shown.

    >>> ds = [Diagnostic("VB202", Severity.INFO, "note", "a.yaml", 1),
    ...       Diagnostic("VB201", Severity.ERROR, "too long", "a.yaml", 2),
    ...       Diagnostic("VB202", Severity.INFO, "note", "a.yaml", 3)]
    >>> [(d.code, d.line, d.message) for d in cap_findings(ds, 1)]
    [('VB201', 2, 'too long'), ('VB010', 1, '2 more findings not shown (limit: 1 per file)')]
    """
    max_per_file = max(0, int(max_per_file))
    by_file: dict[str | None, list[int]] = {}
    for i, d in enumerate(diagnostics):
        by_file.setdefault(d.file, []).append(i)
    if all(len(ix) <= max_per_file for ix in by_file.values()):
        return list(diagnostics)
    keep: set[int] = set()
    notes: dict[int, Diagnostic] = {}  # index of a file's last shown finding -> its note
    for file, ix in by_file.items():
        if len(ix) <= max_per_file:
            keep.update(ix)
            continue
        ranked = sorted(ix, key=lambda i: (_RANK.get(Severity.parse(diagnostics[i].severity), 3), i))
        shown = set(ranked[:max_per_file])
        keep |= shown
        hidden = [i for i in ix if i not in shown]
        first = diagnostics[hidden[0]]
        n = len(hidden)
        note = codes.VB010.diagnostic(
            f"{n} more finding{'s' if n != 1 else ''} not shown (limit: {max_per_file} per file)",
            file=file, line=first.line, column=first.column, end_line=first.end_line,
            end_column=first.end_column,
            help="fix the findings shown and run again, or raise [tool.vibespec.limits] max_findings",
        )
        notes[max(shown) if shown else ix[-1]] = note
    out = []
    for i, d in enumerate(diagnostics):
        if i in keep:
            out.append(d)
        if i in notes:
            out.append(notes[i])
    return out


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


#: codes that mean a file was not checked, and what the summary line says about it
NOT_CHECKED: dict[str, str] = {codes.VB009.code: "cannot read", codes.VB000.code: "internal error"}


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int | None = None) -> str:
    """The closing line of the human formats, without a line break.

    ``Found 3 problems (2 errors, 1 warning, 0 infos) in 2 of 5 files.`` (files with
    problems, of files checked) or ``All checks passed: 5 files, no problems.`` A file
    that could not be read (VB009) or hit an internal error (VB000) was not checked, and
    the line starts with that: ``Could not check 1 of 5 files: a.viber.yaml (cannot read);
    found 2 problems (...) in 1 file.``"""
    failed: dict[str, str] = {}
    for d in diagnostics:
        if d.code in NOT_CHECKED:
            failed.setdefault(d.file or "<input>", NOT_CHECKED[d.code])
    if failed:
        rest = [d for d in diagnostics if d.code not in NOT_CHECKED]
        names = [f"{f} ({why})" for f, why in list(failed.items())[:3]]
        if len(failed) > 3:
            names.append(f"and {len(failed) - 3} more")
        n = len(failed)
        total = files_checked if files_checked is not None and files_checked > n else None
        which = _plural(n, "file") if total is None else f"{n} of {_plural(total, 'file')}"
        head = f"Could not check {which}: " + ", ".join(names)
        if rest:
            return f"{head}; {_found(rest, None, 'found')}"
        if total is not None:
            others = total - n
            return f"{head}; no problems in the other {'file' if others == 1 else _plural(others, 'file')}."
        return head + "."
    if not diagnostics:
        if files_checked is None:
            return "All checks passed: no problems."
        return f"All checks passed: {_plural(files_checked, 'file')}, no problems."
    return _found(diagnostics, files_checked)


def _found(diagnostics: Sequence[Diagnostic], files_checked: int | None, verb: str = "Found") -> str:
    counts = {s: 0 for s in Severity}
    for d in diagnostics:
        counts[Severity.parse(d.severity)] += 1
    files = len({d.file for d in diagnostics})
    where = _plural(files, "file")
    if files_checked is not None and files_checked > files:
        where = f"{files} of {_plural(files_checked, 'file')}"
    detail = ", ".join(
        (
            _plural(counts[Severity.ERROR], "error"),
            _plural(counts[Severity.WARNING], "warning"),
            _plural(counts[Severity.INFO], "info"),
        )
    )
    return f"{verb} {_plural(len(diagnostics), 'problem')} ({detail}) in {where}."


def format_for_environment(requested: str | None, env: Mapping[str, str]) -> str:
    """The format to use: ``requested`` when given, else ``github`` inside GitHub Actions
    (``GITHUB_ACTIONS=true``), else ``full``."""
    if requested:
        return requested
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "full"


__all__ = ["FORMATS", "MAX_FINDINGS", "NOT_CHECKED", "cap_findings", "format_for_environment", "summary_line",
           "write_report"]
