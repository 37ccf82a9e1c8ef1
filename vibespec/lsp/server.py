"""``vibespec server``: a Language Server (LSP over stdio, pygls) for ``*.viber.yaml|yml|toml``.

- Diagnostics on open and change (debounced), the same as ``vibespec lint`` gives for the same
  text and configuration: each document is linted by the CLI's own per-file function with the
  configuration found from the file's folder, reloaded when that file changes.
- Hover: what a key means (docs/language.md); on a diagnostic, its rule's documentation; on
  ``send_at`` and delivery windows, the conversion to UTC.
- Completion of keys and enum values at the cursor, from the language's model.
- Code actions: the "did you mean" fixes, and ``# vibespec: ignore[CODE]`` for a line.
- Document symbols: defaults, templates, audiences, messages.

Only this module imports pygls (the optional extra ``vibespec[lsp]``).
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer

from .. import __version__, codes
from ..api import read_source
from ..app.lintrun import lint_bytes
from ..compiler.lower import lower
from ..config import ConfigError, find_config, load_config
from ..diagnostics import Diagnostic, Severity
from ..rules import BY_CODE
from . import analysis as A

SUFFIXES = (".viber.yaml", ".viber.yml", ".viber.toml")
DOCS_URL = "https://github.com/vibespec/vibespec/blob/main/docs/rules.md#{anchor}"
#: seconds to wait after a change before linting (a burst of keystrokes is linted once)
DEBOUNCE = 0.02

_SEVERITY = {Severity.ERROR: T.DiagnosticSeverity.Error, Severity.WARNING: T.DiagnosticSeverity.Warning,
             Severity.INFO: T.DiagnosticSeverity.Information}


def uri_to_path(uri: str) -> str | None:
    p = urlparse(uri)
    if p.scheme != "file":
        return None
    return unquote(p.path)


def _fmt(path: str) -> str:
    return "toml" if path.lower().endswith(".toml") else "yaml"


def utf16_col(line: str, col0: int) -> int:
    """A 0-based code-point column as LSP's UTF-16 column."""
    return len(line[:col0].encode("utf-16-le")) // 2


def cp_col(line: str, utf16: int) -> int:
    """A UTF-16 column as a 0-based code-point column."""
    n = 0
    for i, ch in enumerate(line):
        if n >= utf16:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


@dataclass
class _Config:
    file: str | None
    stamp: Any
    config: Any
    error: str | None = None


@dataclass
class _State:
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)  # uri -> last lint
    results: dict[str, Any] = field(default_factory=dict)  # uri -> (text, LintResult | None)
    pending: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    configs: dict[str, _Config] = field(default_factory=dict)  # folder -> config


class VibespecServer(LanguageServer):
    def __init__(self):
        super().__init__("vibespec", __version__)
        self.state = _State()
        self.debounce = DEBOUNCE

    # -- configuration -------------------------------------------------------------
    def config_for(self, path: str):
        """The configuration ``vibespec lint`` would use for ``path``; re-read when the file
        it came from changes (its modification time and size are checked at each lint)."""

        folder = os.path.dirname(path)
        found = find_config(folder)
        stamp = None
        if found is not None:
            try:
                st = os.stat(found)
                stamp = (st.st_mtime_ns, st.st_size)
            except OSError:
                stamp = None
        cached = self.state.configs.get(folder)
        key = str(found) if found else None
        if cached is not None and cached.file == key and cached.stamp == stamp:
            return cached
        try:
            cfg = _Config(key, stamp, load_config(None, search_from=folder))
        except ConfigError as e:
            cfg = _Config(key, stamp, None, "; ".join(d.message for d in e.diagnostics))
        self.state.configs[folder] = cfg
        return cfg

    # -- linting --------------------------------------------------------------------
    def lint(self, uri: str) -> None:
        self.state.pending.pop(uri, None)
        doc = self.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        if path is None or not path.lower().endswith(SUFFIXES):
            return
        text = doc.source
        cfg = self.config_for(path)
        if cfg.config is None:
            diags = [codes.VB001.diagnostic(f"configuration {cfg.file}: {cfg.error}", path, 1, 1)]
        else:
            diags = lint_bytes(text.encode("utf-8"), path, cfg.config, None, False)
        self.state.diagnostics[uri] = diags
        self.state.results[uri] = text
        lines = text.split("\n")
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, version=doc.version, diagnostics=[to_lsp(d, lines) for d in diags]))

    def schedule(self, uri: str) -> None:
        handle = self.state.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.state.pending[uri] = loop.call_later(self.debounce, self.lint, uri)

    def relint_all(self) -> None:
        self.state.configs.clear()
        for uri in list(self.workspace.text_documents):
            self.lint(uri)


def _rule_anchor(code: str) -> str:
    """The heading anchor of a rule in docs/rules.md (``### VB420 validity-too-long``)."""

    rule = BY_CODE.get(code)
    return f"{code.lower()}-{rule.name}" if rule is not None else code.lower()


def to_lsp(d: Diagnostic, lines: list[str]) -> T.Diagnostic:
    line0 = max(0, d.line - 1)
    text = lines[line0] if line0 < len(lines) else ""
    start = utf16_col(text, max(0, d.column - 1))
    end_line0 = max(line0, (d.end_line or d.line) - 1)
    end_text = lines[end_line0] if end_line0 < len(lines) else ""
    end = utf16_col(end_text, max(0, (d.end_column or d.column + 1) - 1))
    if end_line0 == line0 and end <= start:
        end = start + 1
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    return T.Diagnostic(
        range=T.Range(T.Position(line0, start), T.Position(end_line0, end)),
        message=message, severity=_SEVERITY[d.severity], code=d.code, source="vibespec",
        code_description=T.CodeDescription(href=DOCS_URL.format(anchor=_rule_anchor(d.code))),
        data={"help": d.help, "pointer": d.pointer},
    )


server = VibespecServer()


@server.feature(T.INITIALIZE)
def _initialize(ls: VibespecServer, params: T.InitializeParams):
    opts = params.initialization_options or {}
    if isinstance(opts, dict) and isinstance(opts.get("debounce"), (int, float)):
        ls.debounce = max(0.0, float(opts["debounce"]) / 1000)


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: VibespecServer, params: T.DidOpenTextDocumentParams):
    ls.lint(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: VibespecServer, params: T.DidChangeTextDocumentParams):
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: VibespecServer, params: T.DidSaveTextDocumentParams):
    path = uri_to_path(params.text_document.uri) or ""
    if os.path.basename(path) in ("pyproject.toml", "vibespec.toml"):
        ls.relint_all()


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: VibespecServer, params: T.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    handle = ls.state.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.state.diagnostics.pop(uri, None)
    ls.state.results.pop(uri, None)
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: VibespecServer, params: T.DidChangeWatchedFilesParams):
    if any(os.path.basename(uri_to_path(c.uri) or "") in ("pyproject.toml", "vibespec.toml") for c in params.changes):
        ls.relint_all()


@server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)
def _config_changed(ls: VibespecServer, params: T.DidChangeConfigurationParams):
    ls.relint_all()


# --------------------------------------------------------------------------- hover


def _overlaps(d: Diagnostic, line0: int, ch_cp: int) -> bool:
    start = (d.line - 1, d.column - 1)
    end = ((d.end_line or d.line) - 1, (d.end_column or d.column + 1) - 1)
    return start <= (line0, ch_cp) < end or (d.line - 1 == line0 and d.column - 1 == ch_cp)


def _schedule_hover(ls: VibespecServer, uri: str, path: str, text: str, ctx: A.Context, line0: int) -> str | None:
    keys = set(ctx.path) | ({ctx.key} if ctx.key else set())
    if not keys & {"send_at", "window", "from", "to", "days"}:
        return None
    if "window" not in keys and "send_at" not in keys:
        return None
    try:
        doc = read_source(text.encode("utf-8"), filename=path)
        compiled = lower(doc)
    except Exception:
        return None
    facts = compiled.facts
    if "send_at" in keys and "window" not in keys and facts.send_at is not None:
        utc = facts.send_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        zone = facts.timezone or "UTC"
        how = "" if facts.send_at_offset_given else f" (written without an offset: read in {zone})"
        return f"**send_at** is sent as `{compiled.body.get('options', {}).get('schedule', {}).get('sendAt')}` = {utc}{how}"
    if "window" in keys:
        out = []
        for m in facts.messages:
            w = m.window
            if w is None:
                continue
            span = doc.locate(("messages", m.spec_index))
            in_msg = ctx.path[:1] == ("messages",) and span.line - 1 <= line0 <= (span.end_line or span.line) - 1
            if ctx.path[:1] == ("messages",) and not in_msg:
                continue
            hm = lambda t: f"{t[0]:02d}:{t[1]:02d}" if t else "?"  # noqa: E731
            local = f"{','.join(w.local_days)} {hm(w.local_from)}-{hm(w.local_to)} {w.zone}"
            utc = f"{','.join(w.utc_days)} {hm(w.utc_from)}-{hm(w.utc_to)} UTC"
            when = f" on {w.date.isoformat()} ({w.date_source.replace('-', ' ')})" if w.date else ""
            name = m.id if m.id is not None else f"message {m.index + 1}"
            out.append(f"- `{name}`: {local} = **{utc}**{when}")
            if len(out) >= 10:
                break
        if out:
            return "**delivery window**, sent in UTC:\n" + "\n".join(out)
    return None


@server.feature(T.TEXT_DOCUMENT_HOVER)
def _hover(ls: VibespecServer, params: T.HoverParams):
    uri = params.text_document.uri
    path = uri_to_path(uri)
    if path is None:
        return None
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    lines = text.split("\n")
    line0 = params.position.line
    line_text = lines[line0] if line0 < len(lines) else ""
    ch = cp_col(line_text, params.position.character)
    parts = []
    for d in ls.state.diagnostics.get(uri, []):
        if _overlaps(d, line0, ch):
            rule = BY_CODE.get(d.code)
            doc_text = rule.doc() if rule is not None else ""
            parts.append(f"**{d.code}** {d.message}" + (f"\n\n{doc_text}" if doc_text else ""))
    ctx = A.context_at(text, line0, ch, _fmt(path))
    word = _word_at(line_text, ch)
    if ctx.key and (not ctx.in_value or word == ctx.key):
        kd = A.key_doc(ctx.path, ctx.key)
        if kd:
            parts.append(kd)
    sched = _schedule_hover(ls, uri, path, text, ctx, line0)
    if sched:
        parts.append(sched)
    if not parts:
        return None
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def _word_at(line: str, ch: int) -> str:
    for m in re.finditer(r"[\w-]+", line):
        if m.start() <= ch <= m.end():
            return m.group(0)
    return ""


# --------------------------------------------------------------------------- completion


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=[":", " ", "{", ","]))
def _completion(ls: VibespecServer, params: T.CompletionParams):
    uri = params.text_document.uri
    path = uri_to_path(uri) or ""
    text = ls.workspace.get_text_document(uri).source
    lines = text.split("\n")
    line0 = params.position.line
    line_text = lines[line0] if line0 < len(lines) else ""
    ch = cp_col(line_text, params.position.character)
    ctx = A.context_at(text, line0, ch, _fmt(path))
    model = A.model_at(ctx.path)
    items: list[T.CompletionItem] = []
    if model is None:
        return T.CompletionList(is_incomplete=False, items=items)
    if ctx.in_value and ctx.key:
        for v in A.enum_values(model, ctx.key):
            items.append(T.CompletionItem(label=v.lower() if v.isupper() else v, kind=T.CompletionItemKind.EnumMember,
                                          detail=f"{ctx.key} value"))
        return T.CompletionList(is_incomplete=False, items=items)
    present = _siblings(lines, line0, ctx)
    sep = " = " if _fmt(path) == "toml" else ": "
    for key, required, aliases in A.keys_of(model):
        if key in present or any(a in present for a in aliases):
            continue
        doc = A.key_doc(ctx.path, key)
        items.append(T.CompletionItem(
            label=key, kind=T.CompletionItemKind.Property, insert_text=key + sep,
            detail=("required" if required else "optional") + (f"; also {', '.join(aliases)}" if aliases else ""),
            documentation=T.MarkupContent(kind=T.MarkupKind.Markdown, value=doc) if doc else None,
            sort_text=("0" if required else "1") + key))
    return T.CompletionList(is_incomplete=False, items=items)


def _siblings(lines: list[str], line0: int, ctx: A.Context) -> set[str]:
    """Keys already written in the mapping the cursor is in (not offered again)."""

    cur = lines[line0] if line0 < len(lines) else ""
    indent = len(cur) - len(cur.lstrip(" "))
    m = re.match(r"^(\s*)((?:-\s+)*)", cur)
    col = len(m.group(1)) + len(m.group(2)) if m else indent
    out = set()
    for step in (-1, 1):
        k = line0 + step
        while 0 <= k < len(lines):
            raw = lines[k]
            if not raw.strip() or raw.lstrip().startswith("#"):
                k += step
                continue
            mm = re.match(r"^(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)\s*:", raw)
            ind = len(raw) - len(raw.lstrip(" "))
            if mm:
                kc = len(mm.group(1)) + len(mm.group(2))
                if kc == col:
                    out.add(mm.group(3))
                    if mm.group(2) and step == -1:
                        break  # the first key of this list item
                elif kc < col:
                    break
            elif ind < col:
                break
            k += step
    return out


# --------------------------------------------------------------------------- code actions


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION)
def _code_action(ls: VibespecServer, params: T.CodeActionParams):
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    lines = text.split("\n")
    actions = []
    for lsp_diag in params.context.diagnostics:
        if lsp_diag.source != "vibespec" or not lsp_diag.code:
            continue
        code = str(lsp_diag.code)
        r = lsp_diag.range
        data = lsp_diag.data if isinstance(lsp_diag.data, dict) else {}
        if r.start.line == r.end.line and r.start.line < len(lines):
            lt = lines[r.start.line]
            s, e = cp_col(lt, r.start.character), cp_col(lt, r.end.character)
            new = A.suggested_fix(lsp_diag.message.split("\nhelp: ")[0], data.get("help"), lt[s:e])
            if new is not None:
                actions.append(T.CodeAction(
                    title=f"Replace with {new}", kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                    is_preferred=True,
                    edit=T.WorkspaceEdit(changes={uri: [T.TextEdit(range=r, new_text=new)]})))
        line0 = r.start.line
        if line0 < len(lines):
            lt = lines[line0]
            at, new_text = A.ignore_comment_edit(lt, code)
            if at >= 0:
                pos = T.Position(line0, utf16_col(lt, at))
                actions.append(T.CodeAction(
                    title=f"Ignore {code} on this line", kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                    edit=T.WorkspaceEdit(changes={uri: [T.TextEdit(range=T.Range(pos, pos), new_text=new_text)]})))
    return actions


# --------------------------------------------------------------------------- outline


_KIND = {"message": T.SymbolKind.Object, "template": T.SymbolKind.Class, "audience": T.SymbolKind.Array,
         "defaults": T.SymbolKind.Namespace}


@server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: VibespecServer, params: T.DocumentSymbolParams):
    uri = params.text_document.uri
    path = uri_to_path(uri) or "<spec>"
    text = ls.workspace.get_text_document(uri).source
    try:
        doc = read_source(text.encode("utf-8"), filename=path)
    except Exception:
        return []
    lines = text.split("\n")
    out = []
    for s in A.symbols(doc.data):
        span = doc.locate(s.path)
        key_span = doc.locate(s.path, key=True) if not isinstance(s.path[-1], int) else span
        start_line = min(span.line, key_span.line) - 1
        end_line = max(0, (span.end_line or span.line) - 1)
        sel_line = key_span.line - 1
        lt = lines[sel_line] if sel_line < len(lines) else ""
        end_text = lines[end_line] if end_line < len(lines) else ""
        rng = T.Range(T.Position(start_line, 0), T.Position(end_line, utf16_col(end_text, len(end_text))))
        sel = T.Range(T.Position(sel_line, utf16_col(lt, key_span.column - 1)),
                      T.Position(sel_line, utf16_col(lt, max(key_span.column, (key_span.end_column or 1) - 1))))
        if not (rng.start.line <= sel.start.line <= rng.end.line):
            rng = T.Range(sel.start, T.Position(max(end_line, sel_line), rng.end.character))
        out.append(T.DocumentSymbol(name=s.name, detail=s.detail, kind=_KIND[s.kind], range=rng,
                                    selection_range=sel))
    return out


def main() -> None:
    server.start_io()
