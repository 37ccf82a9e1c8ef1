"""``vibespec compile``: compile, then print, write atomically, annotate, or check drift."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Any, Callable, TextIO

from ..api import lint_compiled, read_source
from ..compiler.emit import dump, dumps
from ..compiler.lower import lower
from ..compiler.sourcemap import walk
from ..diagnostics import Diagnostic, Severity, Span, VibespecError, get_path, pointer_from_path, sort_diagnostics
from ..files import WriteError, clean_stale_temps, read_capped, write_all_atomic
from ..output import write_report
from ..spec.coerce import CONTENT_KEYS
from ..spec.zones import get_zone


def _read(spec: str, stdin_filename: str | None, max_bytes: int | None = None) -> tuple[str, bytes]:
    """(name to report, the spec's bytes, capped: see files.read_capped)."""
    return (stdin_filename or "<stdin>.viber.yaml") if spec == "-" else spec, read_capped(spec, max_bytes,
                                                                                          dash_is_stdin=True)


def compile_one(spec: str, *, stdin_filename: str | None = None, now: datetime | None = None,
                audience: str | None = None, compact: bool = False, config=None):
    """-> (Compiled or None, diagnostics, text). Raises OSError for unreadable files.
    ``compact``: the body only goes to the emitter (see ``lower(compact=True)``).
    ``config``: its ``[limits]`` and ``read-paths`` apply (as in lint)."""

    limits = config.limits if config is not None else None
    name, data = _read(spec, stdin_filename, limits.max_bytes if limits is not None else None)
    try:
        document = read_source(data, filename=name, limits=limits)
    except VibespecError as e:
        return None, list(e.diagnostics), data.decode("utf-8", "replace")
    del data  # the document holds the text; a bulk spec's bytes need not stay alive while it compiles
    compiled = lower(document, now=now, audience=audience, compact=compact, config=config)
    return compiled, [d for d in compiled.diagnostics if d.severity is Severity.ERROR], compiled.document.text


def run_compile(specs: list[str], *, output: str | None, out_dir: str | None, indent: int, check_only: bool,
                annotate: bool, audience: str | None, stdin_filename: str | None, now: datetime | None,
                out_name: Callable[[str], str], out: TextIO, err: TextIO, quiet: bool = False, config=None,
                lint: str = "warn", orphans: bool = False, prune: bool = False) -> int:
    """``config``: the project's configuration: its ``[limits]`` and ``read-paths`` apply to
    compiling, its rule selection to the lint summary.

    ``lint``: after compiling, run the lint rules (with ``config``) and, when they find
    errors, say so on stderr ("warn": the bodies are still written, exit 0), refuse to write
    ("strict": exit 1), or do not lint ("off"). ``--check`` never lints (the lint hook does).

    ``orphans`` (with ``check_only``) and ``prune`` (when writing) treat ``specs`` as every spec
    compiled into ``out_dir``: a ``*.json`` there that none of them produces is an orphan (its
    spec was deleted or renamed); ``orphans`` lists them (exit 1), ``prune`` deletes them."""

    if out_dir:
        specs = _distinct(specs)
        clash = output_clash(specs, out_dir, out_name)
        if clash:
            err.write(f"vibespec: {clash}\n")
            return 2
    if not check_only and not annotate and (output or out_dir):
        clean_stale_temps(out_dir or os.path.dirname(os.path.abspath(output)))  # left by a killed run
    results = []
    failed: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for spec in specs:
        try:
            compiled, errors, text = compile_one(spec, stdin_filename=stdin_filename, now=now, audience=audience,
                                                 compact=not (check_only or annotate), config=config)
        except OSError as e:
            err.write(f"vibespec: {spec}: {e.strerror or e}\n")
            return 2
        if errors:
            failed.extend(errors)
            sources[errors[0].file or spec] = text
            continue
        results.append((spec, compiled))
    if failed:
        # the same frame as lint: header, file:line:col, the line with carets, help
        write_report(sort_diagnostics(failed), err, "full", sources=sources, files_checked=len(specs),
                     color=_isatty(err) and not os.environ.get("NO_COLOR"))
        err.write("vibespec: nothing written: fix the errors above\n")
        return 1
    if lint != "off" and not check_only:
        found = []
        for spec, compiled in results:
            errors = lint_errors(compiled, config, now)
            if errors:
                found.append((spec, errors))
        if found:
            write_lint_summary(found, err, strict=lint == "strict")
            if lint == "strict":
                return 1
    outputs = []
    for spec, compiled in results:
        target = output if output else (os.path.join(out_dir, out_name(spec)) if out_dir else None)
        outputs.append((spec, compiled, target))
    if check_only:
        rc = _check([(s_, c, t, dumps(c.body, indent)) for s_, c, t in outputs], out, indent)
        if orphans and out_dir:
            found = find_orphans(out_dir, {out_name(s_) for s_ in specs})
            for path in found:
                out.write(f"{path}: orphan: none of the given specs compiles to it (spec deleted or renamed?)\n")
            if found:
                n = len(found)
                out.write(f"{n} orphaned bod{'y' if n == 1 else 'ies'} in {out_dir}; delete "
                          f"{'it' if n == 1 else 'them'}, or recompile with --prune to remove "
                          f"{'it' if n == 1 else 'them'}\n")
                rc = 1
        return rc
    if annotate:
        for spec, compiled, _target in outputs:
            from ..output._source import escape_controls  # lazy: only --annotate, --check and window notes escape text; a plain `compile` does not load it

            out.write(escape_controls(annotate_body(compiled, indent)))  # for humans: no raw ESC
        return 0
    for spec, compiled, target in outputs:
        if target is None:
            dump(compiled.body, out, indent)
    writes = [(target, lambda f, body=compiled.body: dump(body, f, indent))
              for _spec, compiled, target in outputs if target is not None]
    try:
        write_all_atomic(writes)  # all or none
    except WriteError as e:
        err.write(f"vibespec: {e} (no output file was changed)\n")
        return 2
    if prune and out_dir:
        for path in find_orphans(out_dir, {out_name(s_) for s_ in specs}):
            try:
                os.remove(path)
            except OSError as e:
                err.write(f"vibespec: cannot remove {path}: {e.strerror or e}\n")
                return 2
            err.write(f"removed {path} (none of the given specs compiles to it)\n")
    if not quiet:
        for spec, compiled, _target in outputs:
            for note in window_notes(compiled):
                from ..output._source import escape_controls  # lazy: only --annotate, --check and window notes escape text; a plain `compile` does not load it

                err.write(escape_controls(note, newlines=False) + "\n")  # message ids come from the spec
    return 0


def _distinct(specs: list[str]) -> list[str]:
    """The specs, each file once (the same file named twice compiles to the same body)."""
    seen: set[str] = set()
    out = []
    for spec in specs:
        key = spec if spec == "-" else os.path.realpath(spec)
        if key not in seen:
            seen.add(key)
            out.append(spec)
    return out


def output_clash(specs: list[str], out_dir: str, out_name: Callable[[str], str]) -> str | None:
    """Why ``--out-dir`` cannot take these specs, or None: two of them map to the same
    output name (``de/promo.viber.yaml`` and ``fr/promo.viber.yaml``, or
    ``promo.viber.yaml`` and ``promo.viber.toml``), which would silently keep the last.
    Names that differ only in case clash too: they are one file on macOS and Windows."""
    first: dict[str, str] = {}
    for spec in specs:
        name = out_name(spec)
        other = first.setdefault(name.casefold(), spec)
        if other != spec:
            return (f"{other} and {spec} would both be written to {os.path.join(out_dir, name)}; "
                    "rename one, or compile them into different --out-dir folders (nothing was written)")
    return None


def find_orphans(out_dir: str, produced: set[str]) -> list[str]:
    """``*.json`` files directly in ``out_dir`` whose names are not in ``produced`` (sorted).
    Only regular files: folders, links and other names are never touched."""
    try:
        names = sorted(os.listdir(out_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    for name in names:
        if not name.endswith(".json") or name in produced:
            continue
        path = os.path.join(out_dir, name)
        if os.path.isfile(path) and not os.path.islink(path):
            out.append(path)
    return out


def lint_errors(compiled, config: Any = None, now: datetime | None = None) -> list[Diagnostic]:
    """The lint errors of a compiled spec (the rules of ``vibespec lint``, with its configuration
    and inline suppressions): what Infobip would reject or silently change."""

    return [d for d in lint_compiled(compiled, config=config, now=now) if d.severity is Severity.ERROR]


MAX_SUMMARY_SPECS = 5


def write_lint_summary(found: list[tuple[str, list[Diagnostic]]], err: TextIO, *, strict: bool = False) -> None:
    """Per spec: how many lint errors, the first one, and the command that shows them all."""
    import shlex  # lazy: only a failed compile's summary quotes commands

    for spec, errors in found[:MAX_SUMMARY_SPECS]:
        n = len(errors)
        what = f"{n} lint error{'s' if n != 1 else ''}"
        if strict:
            err.write(f"vibespec: {spec}: {what}:\n")
        else:
            err.write(f"vibespec: {spec}: {what}; compiled anyway, but Infobip would reject "
                      "it or not send it as written:\n")
        err.write(f"  {errors[0].format_short()}\n")
        rest = "all of them" if n > 1 else "the help"
        err.write(f"  run 'vibespec lint {shlex.quote(spec)}' for {rest}\n")
    if len(found) > MAX_SUMMARY_SPECS:
        k = len(found) - MAX_SUMMARY_SPECS
        err.write(f"vibespec: and {k} more spec{'s' if k != 1 else ''} with lint errors ('vibespec lint' lists them)\n")
    if strict:
        err.write("vibespec: nothing written: --strict refuses specs with lint errors\n")


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def _hm(t) -> str:
    return f"{t[0]:02d}:{t[1]:02d}" if t else "--:--"


def window_notes(compiled) -> list[str]:
    """What the compiler did to windows written in a local zone (printed to stderr), one note
    per distinct conversion."""
    groups: dict[str, list[str]] = {}
    seen = set()
    for m in compiled.facts.messages:
        w = m.window
        if w is None or w.zone == "UTC" or w.date is None or m.spec_index in seen:
            continue
        seen.add(m.spec_index)
        days = ""
        if w.day_shift:
            days = f", days {','.join(d[:3] for d in w.local_days)} -> {','.join(d[:3] for d in w.utc_days)}"
        when = "send_at" if w.date_source == "send_at" else "today, as there is no send_at"
        text = (f"window {_hm(w.local_from)}-{_hm(w.local_to)} {w.zone} is sent as {_hm(w.utc_from)}-{_hm(w.utc_to)} "
                f"UTC{days} (the offset on {w.date.isoformat()}, from {when})")
        groups.setdefault(text, []).append(f"'{m.id}'" if m.id is not None else f"#{m.spec_index + 1}")
    out = []
    for text, names in groups.items():
        who = names[0] if len(names) == 1 else f"{len(names)} messages"
        out.append(f"note: {who}: {text}")
    return out


def window_conversion(compiled, index: int) -> dict | None:
    """How body message ``index``'s delivery window was converted from the spec's local time
    to UTC (for ``vibespec trace``): zone, its UTC offset on the date used, that date and where
    it came from, and the times and days before and after. None when no conversion happened."""


    for m in compiled.facts.messages:
        if m.index != index:
            continue
        w = m.window
        if w is None or w.zone == "UTC" or w.date is None:
            return None
        offset = ""
        try:
            local = datetime.combine(w.date, time(*(w.local_from or w.local_to or (0, 0))), tzinfo=get_zone(w.zone))
            total = int(local.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
            sign = "+" if total >= 0 else "-"
            offset = f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
        except Exception:  # the zone compiled, so this does not happen; say less rather than fail
            pass
        return {"zone": w.zone, "offset": offset, "date": w.date.isoformat(), "date_source": w.date_source,
                "local_from": _hm(w.local_from) if w.local_from else None,
                "local_to": _hm(w.local_to) if w.local_to else None,
                "utc_from": _hm(w.utc_from) if w.utc_from else None,
                "utc_to": _hm(w.utc_to) if w.utc_to else None,
                "local_days": list(w.local_days), "utc_days": list(w.utc_days), "day_shift": w.day_shift}
    return None


def describe_conversion(c: dict) -> str:
    """One line for :func:`window_conversion`'s result."""
    when = "the send_at date" if c["date_source"] == "send_at" else "the compile date, as there is no send_at"
    zone = f"{c['zone']} ({c['offset']} on {c['date']})" if c["offset"] else f"{c['zone']} on {c['date']}"
    span = f"{c['local_from'] or '--:--'}-{c['local_to'] or '--:--'}"
    uspan = f"{c['utc_from'] or '--:--'}-{c['utc_to'] or '--:--'}"
    days = ""
    if c["day_shift"]:
        days = (f", days {','.join(d[:3].lower() for d in c['local_days'])} -> "
                f"{','.join(d[:3].lower() for d in c['utc_days'])}")
    return f"the spec's {span} is local time in {zone}, sent as {uspan} UTC{days}; the date is {when}"


# --------------------------------------------------------------------------- drift check

MAX_POINTERS = 10
MAX_DIFF_LINES = 40


def diff_pointers(old: Any, new: Any, path: tuple = ()) -> list[tuple]:
    """Paths where two JSON values differ (the shallowest differing node per branch)."""
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


def _same(disk: str, text: str) -> bool:
    """Equal, or equal but for CRLF line ends (a checkout with core.autocrlf)."""
    return disk == text or ("\r\n" in disk and disk.replace("\r\n", "\n") == text)


def _check(outputs, out: TextIO, indent: int) -> int:
    from ..output._source import escape_controls  # lazy: only --annotate, --check and window notes escape text; a plain `compile` does not load it

    write = out.write
    out = _Escaped(write, escape_controls)  # file names, keys and the on-disk text come from the PR
    stale: list[tuple[str, str]] = []
    for spec, compiled, target, text in outputs:
        try:
            with open(target, encoding="utf-8", newline="") as f:
                disk = f.read()
        except FileNotFoundError:
            out.write(f"{target}: missing (compiled from {spec})\n")
            stale.append((spec, target))
            continue
        except (OSError, UnicodeDecodeError) as e:
            out.write(f"{target}: cannot read: {getattr(e, 'strerror', None) or e}\n")
            stale.append((spec, target))
            continue
        if _same(disk, text):
            continue
        stale.append((spec, target))
        out.write(f"{target}: differs from what {spec} compiles to\n")
        try:
            old = json.loads(disk)
        except ValueError:
            old = _MISSING
            out.write("  (not valid JSON on disk)\n")
        if old is not _MISSING:
            paths = diff_pointers(old, compiled.body)
            for p in paths[:MAX_POINTERS]:
                out.write(f"  {pointer_from_path(p) or '/'}: {_show(get_path(old, p, _MISSING))} -> {_show(get_path(compiled.body, p, _MISSING))}"
                          f"  at {origin_of(compiled, p, short=True)}\n")
            if len(paths) > MAX_POINTERS:
                out.write(f"  ... and {len(paths) - MAX_POINTERS} more\n")
            if not paths:
                out.write("  (same data; formatting or key order differs)\n")
        diff = list(difflib.unified_diff(disk.replace("\r\n", "\n").splitlines(), text.splitlines(),
                                         f"{target} (on disk)", f"{target} (from {spec})", lineterm="", n=2))
        for line in diff[:MAX_DIFF_LINES]:
            out.write(line + "\n")
        if len(diff) > MAX_DIFF_LINES:
            out.write(f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)\n")
    if stale:
        n = len(stale)
        out.write(f"{n} compiled bod{'y is' if n == 1 else 'ies are'} out of date; recompile to update "
                  f"({'indent ' + str(indent) if indent != 2 else 'same options, without --check'})\n")
        return 1
    return 0


_MISSING = object()


class _Escaped:
    """A stream that shows control characters escaped (see ``report._source.escape_controls``)."""

    def __init__(self, write, escape):
        self._write, self._escape = write, escape

    def write(self, text: str) -> None:
        self._write(self._escape(text))


def _show(v: Any) -> str:
    if v is _MISSING:
        return "(absent)"
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 60 else s[:57] + "..."


# --------------------------------------------------------------------------- origins


@dataclass
class Origin:
    """One layer of the spec that holds (part of) the value behind a body path."""

    layer: str  # "message" | "defaults" | "template" | "spec"
    name: str | None  # the template's name
    doc_path: tuple  # where in the document
    span: Span
    role: str  # "wins" | "overridden" | "merged" (a mapping whose keys fill in the winner's)
    value: Any = None  # the spec value there

    @property
    def label(self) -> str:
        return f"template {self.name}" if self.layer == "template" and self.name is not None else self.layer

    def where(self, filename: str) -> str:
        return f"{filename}:{self.span.line}:{self.span.column}"


def _layer_of(label: str, prefix: tuple) -> tuple[str, str | None]:
    """("template reminder", ...) / ("template", ("templates", "reminder")) -> ("template", "reminder")."""
    if label.startswith("template"):
        name = label[len("template"):].strip() or None
        if name is None and len(prefix) >= 2 and prefix[0] == "templates":
            name = str(prefix[1])
        return "template", name
    return label, None


def _fallback_logical(compiled, path: tuple) -> tuple:
    """A spec path for a body path the source map does not know (e.g. a whole message)."""
    if len(path) >= 2 and path[0] == "messages" and isinstance(path[1], int):
        for f in getattr(compiled.facts, "messages", ()):
            if f.index == path[1]:
                return ("messages", f.spec_index)
        return ("messages",)
    return ()


def origins(compiled, path: tuple) -> list[Origin]:
    """Every spec layer that holds the value behind body ``path``, most specific first.

    The first one wins. A mapping in a less specific layer (``defaults``, a template) is
    merged key by key under the winner's; anything else there is overridden."""

    smap = compiled.source_map
    doc = compiled.document
    path = tuple(path)
    logical = smap.logical(path) if hasattr(smap, "logical") else path
    if logical is None:
        logical = _fallback_logical(compiled, path)
    layers = getattr(smap, "layers", None) or {}
    aliases = getattr(smap, "aliases", None) or {}
    holders: list[tuple[str, str | None, tuple]] = []
    if len(logical) >= 2 and logical[0] == "messages" and logical[1] in layers:
        rest = logical[2:]
        content_keys = _content_keys()
        content_taken = False
        for label, prefix in layers[logical[1]]:
            node = doc.get(prefix)
            if not isinstance(node, dict) and prefix != ("messages", logical[1]):
                continue
            if rest and rest[0] in content_keys and content_taken:
                continue  # a message's own content replaces the defaults' content whole
            if isinstance(node, dict) and any(k in node for k in content_keys):
                content_taken = True
            depth, actual = walk(node, rest, aliases)
            if depth == len(rest) or (depth >= 1 and not isinstance(doc.get(prefix + actual), (dict, list))):
                # the whole value, or a shorthand standing for it ("validity: 2h" for validityPeriod.amount)
                holders.append((*_layer_of(label, prefix), prefix + actual))
        if not holders:
            dp = smap.document_path(logical)
            lay = "message"
            for label, prefix in layers[logical[1]]:
                if dp[:len(prefix)] == prefix:
                    lay = label
                    break
            holders.append((*_layer_of(lay, ()), dp))
    else:
        dp = smap.document_path(logical) if hasattr(smap, "document_path") else logical
        if dp[:1] == ("messages",) and len(dp) >= 2:
            holders.append(("message", None, dp))
        elif dp[:1] == ("defaults",):
            holders.append(("defaults", None, dp))
        elif dp[:1] == ("templates",) and len(dp) >= 2:
            holders.append(("template", str(dp[1]), dp))
        else:
            holders.append(("spec" if compiled.document.format != "json" else "body", None, dp))
    out = []
    win_value = doc.get(holders[0][2])
    for n, (layer, name, dp) in enumerate(holders):
        value = doc.get(dp)
        if n == 0:
            role = "wins"
        elif isinstance(value, dict) and isinstance(win_value, dict):
            role = "merged"
        else:
            role = "overridden"
        # a mapping or list is shown at its key ("webhooks:"), a scalar at its value
        span = doc.locate(dp, key=bool(dp) and isinstance(value, (dict, list)))
        out.append(Origin(layer, name, dp, span, role, value))
    return out


def _content_keys() -> tuple[str, ...]:
    return CONTENT_KEYS


def origin_of(compiled, path: tuple, *, short: bool = False) -> str:
    """``file:line:col`` of the spec text behind a body path, with the layer it came through
    and the layers it overrides: ``a.viber.yaml:18:15 (message; overrides defaults 6:13)``."""
    try:
        chain = origins(compiled, path)
    except Exception:  # never let a lookup break the output
        return ""
    if not chain:
        return ""
    win = chain[0]
    file = compiled.document.filename
    where = win.where(file)
    notes = []
    if win.layer not in ("message", "spec", "body"):
        notes.append(win.label)
    elif not short and len(chain) > 1:
        notes.append(win.label)
    if not short:
        over = [o for o in chain[1:] if o.role == "overridden"]
        merged = [o for o in chain[1:] if o.role == "merged"]
        if over:
            notes.append("overrides " + ", ".join(f"{o.label} {o.span.line}:{o.span.column}" for o in over))
        if merged:
            notes.append("merged with " + ", ".join(f"{o.label} {o.span.line}:{o.span.column}" for o in merged))
    elif len(chain) > 1:
        notes.append("overrides " + ", ".join(o.label for o in chain[1:]))
    return where + (f" ({'; '.join(notes)})" if notes else "")


# --------------------------------------------------------------------------- annotate


def annotate_body(compiled, indent: int = 2) -> str:
    """The body as indented JSON with ``// origin`` after each scalar line (not JSON: for humans)."""
    lines: list[str] = []
    step = " " * max(indent, 1)

    def emit(v: Any, path: tuple, level: int, prefix: str, trailer: str) -> None:
        ind = step * level
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
