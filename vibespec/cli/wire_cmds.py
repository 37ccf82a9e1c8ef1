"""``vibespec inbound`` and ``vibespec reports``: validate webhook bodies Infobip sends you.

Registered by :mod:`vibespec.cli.app` with ``cli.add_command(inbound_cmd, "inbound")`` and
``cli.add_command(reports_cmd, "reports")``.

Exit codes: 0 no finding at error severity; 1 at least one error; 2 could not run (a file
could not be read, or an internal error). Tracebacks are never shown.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Sequence

import click

from ..diagnostics import Diagnostic, Severity, sort_diagnostics

FORMATS = ("full", "concise", "json", "sarif", "github")
TEXT_FORMATS = ("full", "concise")


def _read(path: str, max_bytes: int | None = None) -> bytes:
    from ..files import read_capped  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    return read_capped(path, max_bytes, dash_is_stdin=True)


def _rules() -> list | None:
    """Every registered code (the VB8xx codes among them), for the formatters' rule metadata."""
    try:
        from ..rules import ALL_RULES  # lazy: `vibespec lint` imports this module to register the command; the rules load only when this command runs

        return list(ALL_RULES)
    except Exception:  # the formatter falls back to its own default
        return None


def _run(kind: str, files: Sequence[str], fmt: str, quiet: bool) -> int:
    from ..output import write_report  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    if kind == "inbound":
        from ..wire import inbound as mod  # lazy: `vibespec lint` imports this module to register the command; the webhook models (pydantic) load only for `vibespec inbound`
    else:
        from ..wire import reports as mod  # lazy: `vibespec lint` imports this module to register the command; the report models (pydantic) load only for `vibespec reports`  # type: ignore[no-redef]

    from .app import Fatal, _config  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    try:
        limits = _config(None, files).limits  # [limits] apply as in lint
    except Fatal as e:
        click.echo(f"vibespec {kind}: {e}", err=True)
        return 2
    diags: list[Diagnostic] = []
    sources: dict[str, str] = {}
    summaries: list[str] = []
    status = 0
    for path in files:
        name = "<stdin>" if path == "-" else path
        # a file not checked is a diagnostic (VB009, VB000) in every format and in the
        # summary line, and exit 2; stderr says so too for the machine formats
        try:
            raw = _read(path, limits.max_bytes)
        except OSError as e:
            from ..api import unreadable  # lazy: `vibespec lint` imports this module to register the command; a cached lint does not load the API

            if fmt not in TEXT_FORMATS:
                click.echo(f"vibespec {kind}: cannot read {name}: {e.strerror or e}", err=True)
            diags.append(unreadable(e, name))
            status = 2
            continue
        try:
            analysis = mod.analyze(raw, name, limits=limits)
        except Exception as e:  # a bug of ours: say so, never a traceback
            from ..api import internal_error  # lazy: `vibespec lint` imports this module to register the command; a cached lint does not load the API

            if fmt not in TEXT_FORMATS:
                click.echo(f"vibespec {kind}: internal error while checking {name}: {type(e).__name__}: {e}", err=True)
            diags.append(internal_error(e, name))
            status = 2
            continue
        diags.extend(analysis.diagnostics)
        sources[name] = analysis.text if analysis.text is not None else raw.decode("utf-8", "replace")
        if analysis.batch is not None:
            summaries.append(mod.format_summary(mod.summarize(analysis.batch), name))

    diags = sort_diagnostics(diags)
    out = io.StringIO()
    color = fmt in TEXT_FORMATS and "NO_COLOR" not in os.environ and _isatty()
    write_report(diags, out, fmt, sources=sources, color=color, files_checked=len(files), rules=_rules(),
                 summary=not quiet)
    if fmt in TEXT_FORMATS and not quiet:
        from ..output._source import escape_controls  # lazy: `vibespec lint` imports this module to register the command; `vibespec compile` does not load the escaping helpers

        for line in summaries:  # event and content types come from the body
            out.write(escape_controls(line, newlines=False) + "\n")
    click.echo(out.getvalue(), nl=False)
    if status:
        return status
    return 1 if any(Severity.parse(d.severity) == Severity.ERROR for d in diags) else 0


def _isatty() -> bool:
    try:
        return sys.stdout.isatty()
    except Exception:
        return False


def _main(kind: str, files: Sequence[str], fmt: str, quiet: bool) -> None:
    try:
        code = _run(kind, files, fmt, quiet)
    except Exception as e:  # never a traceback
        click.echo(f"vibespec {kind}: {type(e).__name__}: {e}", err=True)
        code = 2
    click.get_current_context().exit(code)


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="full",
    show_default=True,
    help="Output format.",
)
_quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print only the diagnostics: no summary line, no per-file counts.")
_files_argument = click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))


@click.command("inbound")
@_files_argument
@_format_option
@_quiet_option
def inbound_cmd(files: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """Validate Viber Bot inbound webhook bodies (JSON; FILE may be - for stdin).

    Checks the body against Infobip's schema (required fields, types, event and message
    types, dates) and prints counts by event and content type.
    Exit 0: no errors; 1: errors found; 2: could not run."""
    _main("inbound", files, fmt, quiet)


@click.command("reports")
@_files_argument
@_format_option
@_quiet_option
def reports_cmd(files: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """Validate Viber Bot delivery reports (JSON or XML; FILE may be - for stdin).

    Checks the webhook / GET /viber-bot/1/reports body against Infobip's schema (types,
    dates, status and error groups; XML with a DTD is refused) and prints counts by status
    group. Exit 0: no errors; 1: errors found; 2: could not run."""
    _main("reports", files, fmt, quiet)


__all__ = ["inbound_cmd", "reports_cmd"]
