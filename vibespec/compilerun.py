"""``vibespec compile``: compile, then print, write atomically, annotate, or check drift."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, TextIO

from .files import read_capped, write_atomic
from .diagnostics import Diagnostic, Severity, Span, VibespecError, get_path, pointer_from_path, sort_diagnostics


def _read(spec: str, stdin_filename: str | None) -> tuple[str, bytes]:
    """(name to report, the spec's bytes, capped: see files.read_capped)."""
    return (stdin_filename or "<stdin>.viber.yaml") if spec == "-" else spec, read_capped(spec, dash_is_stdin=True)


def compile_one(spec: str, *, stdin_filename: str | None = None, now: datetime | None = None,
                audience: str | None = None, compact: bool = False):
    """-> (Compiled or None, diagnostics, text). Raises OSError for unreadable files.
    ``compact``: the body only goes to the emitter (see ``lower(compact=True)``)."""
    from .api import read_source
    from .compiler.lower import lower

    name, data = _read(spec, stdin_filename)
    try:
        document = read_source(data, filename=name)
    except VibespecError as e:
        return None, list(e.diagnostics), data.decode("utf-8", "replace")
    del data  # the document holds the text; a bulk spec's bytes need not stay alive while it compiles
    compiled = lower(document, now=now, audience=audience, compact=compact)
    return compiled, [d for d in compiled.diagnostics if d.severity is Severity.ERROR], compiled.document.text


def run_compile(specs: list[str], *, output: str | None, out_dir: str | None, indent: int, check_only: bool,
                annotate: bool, audience: str | None, stdin_filename: str | None, now: datetime | None,
                out_name: Callable[[str], str], out: TextIO, err: TextIO, quiet: bool = False) -> int:
    from .compiler.emit import dump, dumps
    from .report import write_report

    results = []
    failed: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for spec in specs:
        try:
            compiled, errors, text = compile_one(spec, stdin_filename=stdin_filename, now=now, audience=audience,
                                                 compact=not (check_only or annotate))
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
    outputs = []
    for spec, compiled in results:
        target = output if output else (os.path.join(out_dir, out_name(spec)) if out_dir else None)
        outputs.append((spec, compiled, target))
    if check_only:
        return _check([(s_, c, t, dumps(c.body, indent)) for s_, c, t in outputs], out, indent)
    if annotate:
        for spec, compiled, _target in outputs:
            out.write(annotate_body(compiled, indent))
        return 0
    for spec, compiled, target in outputs:
        if target is None:
            dump(compiled.body, out, indent)
    for spec, compiled, target in outputs:
        if target is not None:
            body = compiled.body
            write_atomic(target, lambda f, body=body: dump(body, f, indent))
    if not quiet:
        for spec, compiled, _target in outputs:
            for note in window_notes(compiled):
                err.write(note + "\n")
    return 0


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
    from datetime import time, timezone

    from .spec.zones import get_zone

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
    from .compiler.sourcemap import walk

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
    from .spec.coerce import CONTENT_KEYS

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
