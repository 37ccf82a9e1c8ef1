"""vibespec import, text in and text out: a JSON request body -> spec text, checked (the body's
structure first, then the written spec compiled back and compared). The body -> spec
translation itself is :mod:`vibespec.compiler.importer`."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timezone
from typing import Any

from .. import codes
from ..api import validate_payload
from ..compiler.importer import NotImportable, first_difference, import_body
from ..compiler.specwriter import to_toml, to_yaml
from ..diagnostics import Diagnostic, Severity, VibespecError, pointer_from_path
from ..source import load


def _diag(code: codes.Code, message: str, doc, path: tuple, help: str | None, filename: str) -> Diagnostic:
    span = doc.locate(path) if doc is not None else None
    if span is None:
        return code.diagnostic(message, filename, help=help, pointer=pointer_from_path(path))
    return code.diagnostic(message, filename, span.line, span.column, span.end_line, span.end_column,
                           help, pointer_from_path(path))


def _check_round_trip(text: str, fmt: str, body: Any, doc, filename: str) -> None:
    from ..api import compile as compile_spec  # lazy: only verification compiles

    now = datetime(2000, 1, 1, tzinfo=timezone.utc)  # windows are written in UTC: nothing depends on it
    try:
        got = compile_spec(text, filename=f"<imported>.viber.{fmt}", fmt=fmt, now=now)
    except VibespecError as e:
        first = e.diagnostics[0] if e.diagnostics else None
        raise VibespecError([_diag(codes.VB115, "the imported spec does not compile: "
                                   + (first.message if first else "unknown error")
                                   + " (a bug in vibespec import; please report it)", doc, (), None, filename)]) from None
    where = first_difference(body, got)
    if where is not None:
        raise VibespecError([_diag(codes.VB115, f"the imported spec would not compile back to this body at "
                                   f"{pointer_from_path(where) or '/'} (a bug in vibespec import; please report it)",
                                   doc, where, None, filename)])


def import_document(doc, fmt: str = "yaml", *, verify: bool = True) -> tuple[dict, str]:
    """A loaded JSON :class:`~vibespec.source.nodes.Document` -> (spec data, spec text).

    Raises :class:`VibespecError` with located diagnostics when it cannot be imported."""

    fmt = fmt.lower()
    if fmt not in ("yaml", "toml"):
        raise ValueError(f"unknown spec format {fmt!r}: use yaml or toml")
    filename = doc.filename
    structural = [d for d in validate_payload(doc.text, filename=filename)
                  if d.severity is Severity.ERROR and d.code in (codes.VB004.code, codes.VB150.code, codes.VB151.code, codes.VB152.code, codes.VB153.code)]
    if structural:
        raise VibespecError(structural)
    try:
        spec = import_body(doc.data)
    except NotImportable as e:
        raise VibespecError([_diag(e.code, "cannot import: " + e.message, doc, e.path, e.help, filename)]) from None
    try:
        text = to_yaml(spec) if fmt == "yaml" else to_toml(spec)
    except ValueError as e:
        raise VibespecError([_diag(codes.VB115, f"cannot import: {e}", doc, (), None, filename)]) from None
    if verify:
        check_fmt = fmt
        if fmt == "toml" and not _have_toml_loader():
            check_fmt, check_text = "yaml", to_yaml(spec)
        else:
            check_text = text
        _check_round_trip(check_text, check_fmt, doc.data, doc, filename)
    return spec, text


def _have_toml_loader() -> bool:
    return importlib.util.find_spec("vibespec.source.toml") is not None


def import_text(text_or_bytes: str | bytes, filename: str = "<body>.json", fmt: str = "yaml", *,
                verify: bool = True, limits=None) -> str:
    """A JSON request body (text or bytes) -> spec text in ``fmt`` (``yaml`` or ``toml``).

    Raises :class:`VibespecError` for bad JSON, a body with structural errors, or a body no
    spec compiles to. With ``verify`` (the default) the written spec is compiled and
    compared with the body before it is returned."""

    doc = load(text_or_bytes, filename, fmt="json", limits=limits)
    return import_document(doc, fmt, verify=verify)[1]
