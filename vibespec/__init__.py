"""vibespec: lint and compile Viber bot message specs to Infobip request bodies.

Public API (imported lazily so that ``vibespec --version`` stays fast):

- :func:`compile` ``(source) -> dict``: a spec (path or text) to the request body.
- :func:`lint` ``(source, config=None) -> list[Diagnostic]``.
- :func:`validate_payload` ``(body) -> list[Diagnostic]``: rules on a raw request body.
- :func:`plan` ``(source) -> Plan``: the delivery simulation.
- :func:`preview` ``(source) -> str``: an HTML page drawing each message as Viber shows it.
- :mod:`vibespec.inbound`, :mod:`vibespec.reports`: webhook and delivery-report parsing.
- :mod:`vibespec.send`: send a spec through Infobip, receipts, report pulling, logs (docs/send.md).
- :class:`Diagnostic`, :class:`Severity`, :class:`VibespecError`.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "compile": ("vibespec.api", "compile"),
    "compile_spec": ("vibespec.api", "compile_spec"),
    "lint": ("vibespec.api", "lint"),
    "validate_payload": ("vibespec.api", "validate_payload"),
    "plan": ("vibespec.api", "plan"),
    "preview": ("vibespec.previewer", "preview"),
    "Diagnostic": ("vibespec.diagnostics", "Diagnostic"),
    "Severity": ("vibespec.diagnostics", "Severity"),
    "Span": ("vibespec.diagnostics", "Span"),
    "VibespecError": ("vibespec.diagnostics", "VibespecError"),
}

__all__ = sorted(_LAZY) + ["__version__", "inbound", "reports", "send"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib  # lazy: the public names load on first use (vibespec --version stays fast)

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(mod), attr)
        globals()[name] = value
        return value
    if name in ("inbound", "reports", "send"):
        import importlib  # lazy: the public names load on first use (vibespec --version stays fast)

        return importlib.import_module(f"vibespec.{name}")
    raise AttributeError(f"module 'vibespec' has no attribute {name!r}")
