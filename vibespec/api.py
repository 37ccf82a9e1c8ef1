"""The library API: compile, lint, validate_payload. The CLI is a thin layer over these."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import codes
from .diagnostics import (
    Diagnostic,
    Severity,
    VibespecError,
    _replace,
    help_text,
    pointer_from_path,
    sort_diagnostics,
)
from .files import read_capped
from .source import load
from .source.nodes import Document, Limits
from .source._text import limit_help
from .compiler.sourcemap import IdentityMap
from .rules import BY_CODE, payload_rules
from .rules.base import RuleContext
from .rules import engine


class SourceTypeError(TypeError):
    """The source given to the library is neither a path, text nor bytes."""


def internal_error(exc: BaseException, filename: str | None) -> Diagnostic:
    """A bug reported as a diagnostic (VB000) instead of an escaping exception."""
    return codes.VB000.diagnostic(f"internal error: {type(exc).__name__}: {exc}"[:300], filename,
                      help="this is a bug in vibespec, not in your file: please report it with the file")


def unreadable(exc: OSError, filename: str | None) -> Diagnostic:
    """A file that could not be read, as a diagnostic (VB009)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return codes.VB009.diagnostic(f"cannot read this file: {reason}", filename,
                      help="nothing in it was checked; fix the path or its permissions and run again")


def _guarded(fn):
    """Library entry points return diagnostics or raise VibespecError, never anything else."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (VibespecError, OSError, SourceTypeError, KeyboardInterrupt, MemoryError):
            raise  # documented: bad input (VibespecError), unreadable file, wrong argument type
        except Exception as e:  # a bug (RecursionError included): report it as a diagnostic
            diag = internal_error(e, kwargs.get("filename"))
            if fn.__name__ in ("lint", "validate_payload"):
                return [diag]
            raise VibespecError([diag]) from e

    return wrapper


def _is_path(source: Any) -> bool:
    """A ``PathLike``, or a one-line ``str`` that ends in ``.yaml``/``.yml``/``.toml``/``.json``
    or names something that exists (a file, or a folder: an error to read, not spec text)."""
    if isinstance(source, os.PathLike):
        return True
    if isinstance(source, str) and "\n" not in source and len(source) < 4096:
        s = source.strip()
        return bool(s) and (s.endswith((".yaml", ".yml", ".toml", ".json")) or os.path.exists(s))
    return False


def read_source(source: Any, *, filename: str | None = None, fmt: str | None = None,
                limits: Limits | None = None) -> Document:
    """A path (a ``PathLike``, or a one-line ``str`` that ends in ``.yaml``, ``.yml``,
    ``.toml`` or ``.json`` or names an existing file or folder), spec text, or bytes -> Document.

    Raises VibespecError (bad input) or OSError (a path that cannot be read)."""
    if isinstance(source, Document):
        return source
    if _is_path(source):
        path = os.fspath(source)
        return load(read_capped(path, (limits or Limits()).max_bytes), filename or path, fmt, limits)
    if isinstance(source, (str, bytes, bytearray)):
        return load(bytes(source) if isinstance(source, bytearray) else source, filename or "<input>", fmt, limits)
    raise SourceTypeError(f"expected a path, spec text or bytes, got {type(source).__name__}")


# --------------------------------------------------------------------------- compile


def compile_spec(source: Any, *, filename: str | None = None, fmt: str | None = None, now: datetime | None = None,
                 limits: Limits | None = None, audience: Any = None):
    """Compile a spec and return the :class:`~vibespec.compiler.lower.Compiled` result
    (body, source map, facts, structural diagnostics) without raising on findings."""
    from .compiler.lower import lower  # lazy: `check` of a raw body does not load the compiler

    doc = read_source(source, filename=filename, fmt=fmt, limits=limits)
    return lower(doc, now=now, audience=audience)


@_guarded
def compile(source: Any, *, filename: str | None = None, fmt: str | None = None, now: datetime | None = None,
            limits: Limits | None = None, audience: str | None = None) -> dict:
    """Compile a spec (path or text) to the request body of ``POST /viber-bot/1/messages``.

    Raises :class:`VibespecError` carrying the diagnostics when the spec has structural
    errors (limits are checked by :func:`lint`, not here)."""
    c = compile_spec(source, filename=filename, fmt=fmt, now=now, limits=limits, audience=audience)
    errors = [d for d in sort_diagnostics(c.diagnostics) if d.severity is Severity.ERROR]
    if errors:
        raise VibespecError(errors)
    return c.body


# --------------------------------------------------------------------------- lint


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    document: Document | None
    compiled: Any = None


def _findings_to_diagnostics(findings, smap, document: Document, spec_mode: bool, facts=None) -> list[Diagnostic]:
    rows_by_msg = {m.index: m.rows for m in facts.messages if m.rows} if facts is not None else {}
    out = []
    for cls, f in findings:
        file = document.filename
        in_spec = spec_mode and document.format != "json"
        help_ = help_text(f.help, in_spec)
        message = help_text(f.message, in_spec)  # a message may name keys too (see Help)
        p = f.path
        rows = rows_by_msg.get(p[1]) if len(p) >= 2 and p[0] == "messages" and rows_by_msg else None
        if rows and len(p) >= 4 and p[2] == "destinations" and isinstance(p[3], int) and p[3] < len(rows):
            # a destination rendered from an audience row: point at the row
            file, line, col = rows[p[3]]
            out.append(Diagnostic(cls.code, cls.severity, message, file, line, col, line, col + 1, help_,
                                  pointer_from_path(p)))
            continue
        if spec_mode and f.spec_path is not None:
            span = document.locate(f.spec_path, key=f.key)
        else:
            span = smap.span(p, key=f.key)
        if rows:
            rf, rl, _ = rows[0]
            note = f"rendered for audience row {rf}:{rl}" + (f" and {len(rows) - 1} more" if len(rows) > 1 else "")
            help_ = f"{help_} ({note})" if help_ else note
        out.append(Diagnostic(cls.code, cls.severity, message, file, span.line, span.column,
                              span.end_line, span.end_column, help_, pointer_from_path(p)))
    return out


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per code, place and message: a value inherited from ``defaults`` by ten
    messages is one problem on one line, not ten."""
    seen = set()
    out = []
    for d in diags:
        k = (d.code, d.file, d.line, d.column, d.end_line, d.end_column, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out


def finish_diagnostics(diags: list[Diagnostic], document: Document | None, config) -> list[Diagnostic]:
    """The last step of every lint and check: drop duplicates, apply the configuration's
    severities and ignores and the document's ``# vibespec: ignore`` comments, sort."""

    diags = _dedupe(diags)
    if config is not None:
        diags = config.apply(diags)
    if document is not None and document.format in ("yaml", "toml"):
        from . import suppress  # lazy: only YAML/TOML carry suppression comments; `check` of a JSON body does not load them

        diags = suppress.apply(diags, document.text, document.filename, set(BY_CODE))
        if config is not None:
            diags = config.apply(diags)
    return sort_diagnostics(diags)


_RULES_FOR: dict = {}


def _enabled_rules(config) -> tuple:
    """The payload rules a configuration selects (computed once per configuration)."""

    key = id(config)
    hit = _RULES_FOR.get(key)
    if hit is not None and hit[0] is config:
        return hit[1]
    rules = payload_rules()
    rules = rules if config is None else tuple(r for r in rules if config.enabled(r.code))
    _RULES_FOR[key] = (config, rules)
    return rules


def lint_document(document: Document, *, config=None, now: datetime | None = None,
                  audience: str | None = None, compact: bool = False) -> LintResult:
    """Compile and lint ``document``. ``compact=True`` keeps the body's destinations as
    :class:`vibespec.compiler.emit.CompactDestinations` (a bare id for ``{"to": id}``), for
    callers that only emit or send it (``vibespec send``); library callers get plain dicts."""
    from .compiler.lower import lower  # lazy: `check` of a raw body does not load the compiler

    compiled = lower(document, now=now, audience=audience, config=config, compact=compact)
    return LintResult(lint_compiled(compiled, config=config, now=now), document, compiled)


def lint_compiled(compiled, *, config=None, now: datetime | None = None, body: dict | None = None) -> list[Diagnostic]:
    """Every diagnostic for a spec already compiled (``lower``): the compiler's and the rules'.

    ``body`` runs the rules on another body than ``compiled.body`` with the same source map
    (the preview passes the messages it draws, a prefix of the body's)."""

    document = compiled.document
    diags = list(compiled.diagnostics)
    settings = config.settings() if config is not None else {}
    ctx = RuleContext(body=compiled.body if body is None else body, origin="spec", facts=compiled.facts,
                      settings=settings, **({"now": now} if now is not None else {}))
    rules = _enabled_rules(config)
    diags += _findings_to_diagnostics(engine.run_rules(ctx, rules), compiled.source_map, document, True, compiled.facts)
    return finish_diagnostics(diags, document, config)


@_guarded
def lint(source: Any, config=None, *, filename: str | None = None, fmt: str | None = None,
         now: datetime | None = None) -> list[Diagnostic]:
    """Every diagnostic for a spec (path, text or bytes): syntax, structure and rules.

    Bad input is reported as diagnostics, not raised: a path that cannot be read (missing,
    a folder, no permission) is one VB009 diagnostic. ``config`` is a
    :class:`vibespec.config.Config` (or None for the defaults)."""
    limits = config.limits if config is not None else None
    try:
        doc = read_source(source, filename=filename, fmt=fmt, limits=limits)
    except VibespecError as e:
        return finish_diagnostics(list(e.diagnostics), None, config)
    except OSError as e:  # only a path raises it (read_source)
        return [unreadable(e, filename or os.fspath(source))]
    return lint_document(doc, config=config, now=now).diagnostics


# --------------------------------------------------------------------------- raw bodies


def check_document(document: Document, *, config=None, now: datetime | None = None) -> list[Diagnostic]:
    from .rules.shape import structure_findings  # lazy: only `check` of a raw body needs the shape findings

    settings = config.settings() if config is not None else {}
    ctx = RuleContext(body=document.data, origin="payload", settings=settings,
                      **({"now": now} if now is not None else {}))
    rules = _enabled_rules(config)
    smap = IdentityMap(document)
    ruled = engine.run_rules(ctx, rules)
    covered = {f.path for _, f in ruled}
    # a rule that explains the same spot says it better than the generic shape check
    findings = [x for x in structure_findings(document.data) if x[1].path not in covered] + ruled
    diags = _findings_to_diagnostics(findings, smap, document, False)
    return finish_diagnostics(diags, document, config)


def _not_json_tree(body: dict, max_depth: int, filename: str) -> Diagnostic | None:
    """A dict that cannot be JSON text: one that contains itself (VB102), or nested deeper
    than the loader's limit (VB007, as for JSON text). Walked without recursion."""
    leave = object()
    # (node, depth, link): link = (key, parent node, parent's link), the path read backwards
    stack: list[tuple] = [(body, 0, None)]
    ancestors: set[int] = set()
    while stack:
        node, depth, link = stack.pop()
        if node is leave:
            ancestors.discard(depth)
            continue
        if id(node) in ancestors:
            at, again = _path(link), _path(link, until=node)
            return codes.VB102.diagnostic(f"body is not JSON data: {pointer_from_path(at)} refers back to "
                              f"{pointer_from_path(again) or '/'}, which contains it (a circular reference)",
                              filename, pointer=pointer_from_path(at),
                              help="JSON text is a tree: copy the value instead of referring to it")
        if depth >= max_depth:
            return codes.VB007.diagnostic(f"the data is nested more than {max_depth} levels deep",
                              filename, pointer=pointer_from_path(_path(link)), help=limit_help("max_depth"))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        kids = [(k, v) for k, v in items if isinstance(v, (dict, list))]
        if kids:
            ancestors.add(id(node))
            stack.append((leave, id(node), None))
            stack.extend((v, depth + 1, (k, node, link)) for k, v in reversed(kids))
    return None


def _path(link, until: Any = None) -> tuple:
    """The path a link chain stands for; with ``until``, the path of that ancestor."""
    keys = []
    while link is not None:
        key, parent, link = link
        if until is not None and parent is until:
            keys.clear()  # everything read so far lies below it
            break
        keys.append(key)
    if until is not None:
        keys = []
        while link is not None:
            key, _parent, link = link
            keys.append(key)
    return tuple(reversed(keys))


@_guarded
def validate_payload(body: Any, config=None, *, filename: str = "<body>", now: datetime | None = None) -> list[Diagnostic]:
    """Run the rules on a raw request body (dict, JSON text or bytes). Positions come from
    the JSON text. A dict was never text: its findings carry a JSON ``pointer`` and no line
    or column (``line == 0``, see :class:`Diagnostic`)."""
    from .compiler.emit import dumps  # lazy: only validate_payload serializes; `check` does not load the emitter

    limits = config.limits if config is not None else None
    if isinstance(body, dict):
        try:
            text = dumps(body)
        except RecursionError:  # a dict that contains itself, or absurdly deep: say which and where
            problem = _not_json_tree(body, (limits or Limits()).max_depth, filename)
            if problem is None:
                raise
            return [problem]
        except (TypeError, ValueError) as e:
            return [codes.VB102.diagnostic(f"body is not JSON data: {e}", filename)]
        source: Any = text
    elif isinstance(body, (str, bytes, bytearray)):
        source = bytes(body) if isinstance(body, bytearray) else body
    else:
        return [codes.VB004.diagnostic(f"a request body is a JSON object, got {type(body).__name__}", filename)]
    try:
        doc = load(source, filename, "json", limits)
    except VibespecError as e:
        diags = finish_diagnostics(list(e.diagnostics), None, config)
    else:
        diags = check_document(doc, config=config, now=now)
    if isinstance(body, dict):
        diags = sort_diagnostics(_replace(d, line=0, column=0, end_line=None, end_column=None,
                                          pointer=d.pointer if d.pointer is not None else "") for d in diags)
    return diags


def plan(source: Any, *, now: datetime | None = None, filename: str | None = None, fmt: str | None = None,
         config: Any = None) -> "Plan":
    """Plan a spec (path, text or bytes; a ``.json`` file is read as a raw request body).
    ``config`` (a :class:`vibespec.config.Config`): its limits and read-paths apply.

    Raises :class:`~vibespec.diagnostics.VibespecError` with the diagnostics when the spec
    does not compile (syntax or structural errors): a plan of a partial body would mislead."""
    from .compiler.lower import lower  # lazy: the compiler is not needed to read a body
    from .planner import plan_body, plan_compiled  # lazy: only plan needs the simulation

    now = now or datetime.now(timezone.utc)
    doc = read_source(source, filename=filename, fmt=fmt, limits=config.limits if config is not None else None)
    if doc.format == "json":
        return plan_body(doc.data, None, now=now, filename=doc.filename)
    compiled = lower(doc, now=now, config=config)
    errors = [d for d in sort_diagnostics(compiled.diagnostics) if d.severity is Severity.ERROR]
    if errors:
        raise VibespecError(errors)
    return plan_compiled(compiled, now=now)
