"""``vibespec import BODY.json``: turn a request body into an idiomatic spec (YAML, or
TOML with ``--toml``). Registered by :mod:`vibespec.cli.app` as ``import``.

Exit codes: 0 written; 1 the body cannot be imported (bad JSON, structural errors, or a
body no spec compiles back to: diagnostics on stderr); 2 the file could not be read or
written. Tracebacks are never shown."""

from __future__ import annotations

import sys

import click

from ..diagnostics import VibespecError, sort_diagnostics


@click.command("import")
@click.argument("body", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--toml", "as_toml", is_flag=True, help="Write TOML instead of YAML.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the spec to this file (atomically) instead of stdout.")
def import_cmd(body, as_toml, output):
    """Turn a request body of POST /viber-bot/1/messages (JSON; '-' reads stdin) into a
    spec: shorthands, short forms, and the options every message shares in 'defaults'.

    The spec is compiled before it is written and must give back the body exactly;
    a body no spec can give back is refused with a diagnostic saying what to change."""
    from ..output import write_report  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    from ..files import read_capped, write_atomic  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers

    name = "<stdin>.json" if body == "-" else body
    from .app import Fatal, _config  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    try:
        limits = _config(None, [body]).limits  # [limits] apply as in lint
    except Fatal as e:
        click.echo(f"vibespec import: {e}", err=True)
        sys.exit(2)
    try:
        raw = read_capped(body, limits.max_bytes, dash_is_stdin=True)
    except OSError as e:
        click.echo(f"vibespec import: cannot read {name}: {e.strerror or e}", err=True)
        sys.exit(2)
    try:
        from ..app.importrun import import_text  # lazy: only `vibespec import` loads the importer

        text = import_text(raw, name, fmt="toml" if as_toml else "yaml", limits=limits)
    except VibespecError as e:
        write_report(sort_diagnostics(e.diagnostics), sys.stderr, "full",
                     sources={name: raw.decode("utf-8", "replace")})
        click.echo(f"vibespec import: {name} not imported", err=True)
        sys.exit(1)
    except Exception as e:  # a bug of ours: say so, never a traceback
        click.echo(f"vibespec import: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(2)
    if output:
        try:
            write_atomic(output, text)
        except OSError as e:
            click.echo(f"vibespec import: cannot write {output}: {e.strerror or e}", err=True)
            sys.exit(2)
    else:
        click.echo(text, nl=False)
    sys.exit(0)
