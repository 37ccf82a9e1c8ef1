"""``vibespec compile``: compile, then print, write atomically, annotate, or check drift."""

from __future__ import annotations

import difflib
import json
import os
import sys
import tempfile
from datetime import datetime
from typing import Any, Callable, TextIO

from .diagnostics import Diagnostic, Severity, VibespecError, pointer_from_path, sort_diagnostics


def _read(spec: str, stdin_filename: str | None) -> tuple[str, bytes]:
    if spec == "-":
        return stdin_filename or "<stdin>.viber.yaml", sys.stdin.buffer.read()
    with open(spec, "rb") as f:
        return spec, f.read()


def compile_one(spec: str, *, stdin_filename: str | None = None, now: datetime | None = None,
                audience: str | None = None):
    """-> (Compiled or None, diagnostics, text). Raises OSError for unreadable files."""
    from .api import compile_spec

    name, data = _read(spec, stdin_filename)
    try:
        compiled = compile_spec(data, filename=name, now=now, audience=audience)
    except VibespecError as e:
        return None, list(e.diagnostics), data.decode("utf-8", "replace")
    return compiled, [d for d in compiled.diagnostics if d.severity is Severity.ERROR], compiled.document.text


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder + rename."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".vibespec-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def run_compile(specs: list[str], *, output: str | None, out_dir: str | None, indent: int, check_only: bool,
                annotate: bool, audience: str | None, stdin_filename: str | None, now: datetime | None,
                out_name: Callable[[str], str], out: TextIO, err: TextIO) -> int:
    from .compile.emit import dumps
    from .report import write_report

    results = []
    failed: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for spec in specs:
        try:
            compiled, errors, text = compile_one(spec, stdin_filename=stdin_filename, now=now, audience=audience)
        except OSError as e:
            err.write(f"vibespec: {spec}: {e.strerror or e}\n")
            return 2
        if errors:
            failed.extend(errors)
            sources[errors[0].file or spec] = text
            continue
        results.append((spec, compiled))
    if failed:
        write_report(sort_diagnostics(failed), err, "full", sources=sources, files_checked=len(specs))
        err.write("vibespec: nothing written: fix the errors above\n")
        return 1
    outputs = []
    for spec, compiled in results:
        target = output if output else (os.path.join(out_dir, out_name(spec)) if out_dir else None)
        outputs.append((spec, compiled, target, dumps(compiled.body, indent)))
    if check_only:
        return _check(outputs, out, indent)
    if annotate:
        for spec, compiled, _target, _text in outputs:
            out.write(annotate_body(compiled))
        return 0
    for spec, compiled, target, text in outputs:
        if target is None:
            out.write(text)
    for spec, compiled, target, text in outputs:
        if target is not None:
            write_atomic(target, text)
    return 0


# --------------------------------------------------------------------------- drift check


def diff_pointers(old: Any, new: Any, path: tuple = ()) -> list[tuple]:
    """Paths where two JSON values differ (deepest first-level difference per branch)."""
    if type(old) is not type(new) and not (isinstance(old, (int, float)) and isinstance(new, (int, float))
                                            and not isinstance(old, bool) and not isinstance(new, bool)):
        return [path]
    if isinstance(old, dict):
        out = []
        for k in list(dict.fromkeys(list(old) + list(new))):
            if k not in old or k not in new:
                out.append(path + (k,))
            else:
                out.extend(diff_pointers(old[k], new[k], path + (k,)))
        if not out and list(old) != list(new):
            out.append(path)  # same keys, different order
        return out
    if isinstance(old, list):
        out = []
        for i in range(max(len(old), len(new))):
            if i >= len(old) or i >= len(new):
                out.append(path + (i,))
                if len(out) > 20:
                    break
            else:
                out.extend(diff_pointers(old[i], new[i], path + (i,)))
        return out
    return [] if old == new else [path]


def _check(outputs, out: TextIO, indent: int) -> int:
    status = 0
    for spec, compiled, target, text in outputs:
        try:
            with open(target, encoding="utf-8") as f:
                disk = f.read()
        except FileNotFoundError:
            out.write(f"{target}: missing (compile {spec} to create it)\n")
            status = 1
            continue
        except (OSError, UnicodeDecodeError) as e:
            out.write(f"{target}: cannot read: {e}\n")
            status = 1
            continue
        if disk == text:
            continue
        status = 1
        out.write(f"{target}: differs from what {spec} compiles to\n")
        try:
            old = json.loads(disk)
        except ValueError:
            old = None
        if old is not None:
            paths = diff_pointers(old, compiled.body)
            for p in paths[:10]:
                span = compiled.source_map.span(p)
                where = f"{compiled.document.filename}:{span.line}:{span.column}"
                out.write(f"  {pointer_from_path(p) or '/'}: {_show(_get(old, p))} -> {_show(_get(compiled.body, p))}"
                          f"  ({where})\n")
            if len(paths) > 10:
                out.write(f"  ... and {len(paths) - 10} more\n")
            if not paths:
                out.write("  (same data; formatting or key order differs)\n")
        diff = list(difflib.unified_diff(disk.splitlines(), text.splitlines(), f"{target} (on disk)",
                                         f"{target} (from {spec})", lineterm="", n=2))
        for line in diff[:40]:
            out.write(line + "\n")
        if len(diff) > 40:
            out.write(f"... ({len(diff) - 40} more diff lines)\n")
    return status


_MISSING = object()


def _get(node: Any, path: tuple) -> Any:
    for p in path:
        if isinstance(node, dict) and p in node:
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            node = node[p]
        else:
            return _MISSING
    return node


def _show(v: Any) -> str:
    if v is _MISSING:
        return "(absent)"
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 60 else s[:57] + "..."


# --------------------------------------------------------------------------- annotate


def origin_of(compiled, path: tuple) -> str:
    """``file:line:col`` of the spec text behind a body path, with the defaults/template layer."""
    smap = compiled.source_map
    logical = smap.logical(path)
    if logical is None:
        return ""
    doc_path = smap.document_path(logical)
    span = compiled.document.locate(doc_path)
    layer = ""
    if doc_path and doc_path[0] in ("defaults", "templates"):
        layer = f" ({doc_path[0]})"
    return f"{compiled.document.filename}:{span.line}:{span.column}{layer}"


def annotate_body(compiled) -> str:
    """The body as indented JSON with ``// origin`` after each scalar line."""
    lines: list[str] = []

    def emit(v: Any, path: tuple, level: int, prefix: str, trailer: str) -> None:
        ind = "  " * level
        if isinstance(v, dict) and v:
            lines.append(f"{ind}{prefix}{{")
            items = list(v.items())
            for n, (k, x) in enumerate(items):
                emit(x, path + (k,), level + 1, json.dumps(k, ensure_ascii=False) + ": ", "," if n < len(items) - 1 else "")
            lines.append(f"{ind}}}{trailer}")
        elif isinstance(v, list) and v:
            lines.append(f"{ind}{prefix}[")
            for n, x in enumerate(v):
                emit(x, path + (n,), level + 1, "", "," if n < len(v) - 1 else "")
            lines.append(f"{ind}]{trailer}")
        else:
            text = f"{ind}{prefix}{json.dumps(v, ensure_ascii=False)}{trailer}"
            o = origin_of(compiled, path)
            lines.append(f"{text:<60}  // {o}" if o else text)

    emit(compiled.body, (), 0, "", "")
    return "\n".join(lines) + "\n"
