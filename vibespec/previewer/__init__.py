"""``vibespec preview``: each message of a spec drawn as a Viber user will see it, as one
self-contained HTML page (inline CSS, no script, nothing fetched).

The page is drawn from the compiled request body (what Infobip will receive), with the lint
findings of the same run placed beside the element each one's JSON pointer names. Messages
that an audience renders identically are one message in the body, so they are drawn once,
with the number of recipients and the first few ids.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from .. import codes
from ..api import check_document, lint_compiled, read_source
from ..compiler.lower import SpecFacts, lower
from ..diagnostics import Diagnostic, Severity, VibespecError, sort_diagnostics
from .html import MessageView, PageInfo, page

#: recipients listed by id under each message
SHOWN_RECIPIENTS = 5
#: distinct messages drawn by default (the rest are counted)
MAX_MESSAGES = 100


class RowError(ValueError):
    """``row`` names no audience row of the spec."""


def preview(source: Any, *, filename: str | None = None, fmt: str | None = None, now: datetime | None = None,
            audience: str | None = None, row: int | None = None, config=None,
            max_messages: int = MAX_MESSAGES) -> str:
    """The preview page (HTML text) of a spec: a path, spec text or bytes.

    ``row`` (1-based, the header not counted) draws only the messages that audience row
    receives. Raises :class:`VibespecError` when the spec does not compile (syntax or
    structural errors: a picture of a partial body would mislead); :class:`RowError` when
    ``row`` names no audience row."""

    limits = config.limits if config is not None else None
    doc = read_source(source, filename=filename, fmt=fmt, limits=limits)
    if doc.format == "json":
        return _preview_body(doc, config=config, now=now, max_messages=max_messages, row=row)
    # audience messages past the ones drawn are counted, not built (100,000 distinct renders)
    compiled = lower(doc, now=now, audience=audience, config=config,
                     message_limit=max_messages + 1 if row is None else None)
    errors = [d for d in sort_diagnostics(compiled.diagnostics) if d.severity is Severity.ERROR]
    if errors:
        raise VibespecError(errors)
    body = compiled.body
    messages = body.get("messages") if isinstance(body.get("messages"), list) else []
    total = len(messages) + compiled.facts.hidden_messages
    partial = None
    if row is None and len(messages) > max_messages:
        # the rules run on the messages drawn (the page shows no others), not on all of them
        partial = {**body, "messages": messages[:max_messages]}
    diagnostics = lint_compiled(compiled, config=config, now=now, body=partial)
    note = None
    if partial is not None:
        note = (f"Lint findings are shown for the {max_messages} messages drawn; "
                f"run vibespec lint for all {total}.")
    return render(compiled, diagnostics, row=row, max_messages=max_messages, note=note)


def render(compiled, diagnostics: list[Diagnostic], *, row: int | None = None,
           max_messages: int = MAX_MESSAGES, note: str | None = None) -> str:
    """The page for a compiled spec (:class:`vibespec.compiler.lower.Compiled`) and its findings."""

    body = compiled.body
    facts = compiled.facts
    messages = body.get("messages") if isinstance(body.get("messages"), list) else []
    by_index = {m.index: m for m in facts.messages}
    per_message: dict[int, list[Diagnostic]] = {}
    general: list[Diagnostic] = []
    for d in diagnostics:
        idx = _message_index(d.pointer)
        if idx is not None and idx < len(messages):
            per_message.setdefault(idx, []).append(d)
        else:
            general.append(d)

    selected: dict[int, list[int]] | None = None
    if row is not None:
        selected, note = _select_row(facts, row, compiled.document.filename)

    views = []
    hidden = 0
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            continue
        if selected is not None and i not in selected:
            continue
        if len(views) >= max_messages:
            hidden += 1
            continue
        mf = by_index.get(i)
        dests = m.get("destinations") if isinstance(m.get("destinations"), list) else []
        if selected is not None:
            picked = [dests[k] for k in selected[i] if k < len(dests)]
            shown = [str(d.get("to", "")) for d in picked if isinstance(d, dict)]
            recipients = len(picked)
        else:
            shown = [str(d.get("to", "")) for d in dests[:SHOWN_RECIPIENTS] if isinstance(d, dict)]
            recipients = len(dests)
        spec_line = None
        if mf is not None:
            try:
                spec_line = compiled.document.locate(("messages", mf.spec_index)).line
            except Exception:  # a spec without a messages list (a template-only body): no line
                spec_line = None
        views.append(MessageView(
            index=i, message=m, spec_id=getattr(mf, "id", None), template=getattr(mf, "template", None),
            spec_line=spec_line, recipients=recipients, shown_to=shown,
            window=getattr(mf, "window", None), findings=per_message.get(i, []),
        ))
    hidden += getattr(facts, "hidden_messages", 0)
    info = PageInfo(filename=compiled.document.filename, body=body, views=views, general=general,
                    timezone=facts.timezone, send_at=facts.send_at, hidden_messages=hidden, note=note,
                    uncounted_destinations=getattr(facts, "hidden_destinations", 0),
                    uncounted_messages=getattr(facts, "hidden_messages", 0))
    return page(info)


def _preview_body(doc, *, config, now, max_messages: int, row: int | None) -> str:
    """A raw request body (``.json``) drawn as it is, with the findings of ``vibespec check``."""


    if not isinstance(doc.data, dict):
        raise VibespecError([codes.VB004.diagnostic("a request body is a JSON object", doc.filename)])
    if row is not None:
        raise RowError(f"{doc.filename}: --row needs a spec with an audience, not a request body")
    diagnostics = check_document(doc, config=config, now=now)
    compiled = SimpleNamespace(body=doc.data, facts=SpecFacts(), document=doc)
    return render(compiled, diagnostics, max_messages=max_messages)


def _message_index(pointer: str | None) -> int | None:
    if not pointer or not pointer.startswith("/messages/"):
        return None
    head = pointer[len("/messages/"):].split("/", 1)[0]
    return int(head) if head.isdigit() else None


def _select_row(facts, row: int, filename: str) -> tuple[dict[int, list[int]], str]:
    """Messages (and their destination indexes) that audience data row ``row`` receives."""
    lines = sorted({(r[0], r[1]) for m in facts.messages for r in (m.rows or [])})
    if not lines:
        raise RowError(f"{filename}: --row needs a spec whose messages go to an audience")
    if row < 1 or row > len(lines):
        raise RowError(f"{filename}: --row {row} is out of range: the audience has {len(lines)} "
                       f"row{'s' if len(lines) != 1 else ''} (numbered from 1, the header not counted)")
    want = lines[row - 1]
    out: dict[int, list[int]] = {}
    for m in facts.messages:
        for k, r in enumerate(m.rows or []):
            if (r[0], r[1]) == want:
                out.setdefault(m.index, []).append(k)
    return out, f"audience row {row} ({want[0]}:{want[1]})"
