"""``vibespec preview SPEC...``: each spec as one self-contained HTML page drawn like a Viber chat.

Registered by :mod:`vibespec.cli.app` as ``preview``. Exit codes: 0 every page was written (lint
findings are drawn on the page, they do not change the exit code); 1 a spec has syntax or
structural errors (printed to stderr, nothing written); 2 could not run (bad arguments, an
unreadable file, an output that cannot be written)."""

from __future__ import annotations

import os
import sys

import click

from ..diagnostics import VibespecError


def _page_name(spec: str) -> str:
    from .app import _out_name  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    return _out_name(spec, ".html")


@click.command("preview")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the page to this file.")
@click.option("--out-dir", type=click.Path(file_okay=False), default=None,
              help="Write NAME.html for each NAME.viber.yaml into this folder.")
@click.option("--audience", type=click.Path(dir_okay=False), default=None, help="Use this CSV audience instead.")
@click.option("--row", type=click.IntRange(min=1), default=None,
              help="Draw only what this audience row receives (1 is the first row after the header).")
@click.option("--max-messages", type=click.IntRange(min=1), default=100, show_default=True,
              help="Distinct messages drawn; the rest are counted.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: looked up from the spec's folder).")
@click.option("--now", "now", default=None, hidden=True, help="Pretend the current time is this (tests).")
def preview_cmd(specs, output, out_dir, audience, row, max_messages, config_path, now):
    """Draw each message of SPEC as a Viber user will see it, as an HTML page.

    Carousels and keyboards are laid out cell by cell as Viber fills them, with each
    button's colours, text, image placeholder and action; lint findings appear beside the
    element they concern. Media is never fetched. One spec prints the page to stdout (or
    -o FILE); several need --out-dir. Nothing is written unless every spec renders."""
    from ..files import write_atomic  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    from .app import Fatal, _config, _now, _safe  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    try:
        if output and len(specs) > 1:
            raise Fatal("-o takes one spec; use --out-dir for several")
        if output and out_dir:
            raise Fatal("use either -o or --out-dir")
        if len(specs) > 1 and not out_dir:
            raise Fatal("several specs need --out-dir DIR")
        if "-" in specs:
            raise Fatal("preview reads spec files, not stdin")
        names = [_page_name(s) for s in specs]
        if out_dir:
            seen: dict[str, str] = {}
            for s, n in zip(specs, names):
                if n in seen:
                    raise Fatal(f"{seen[n]} and {s} would both be written to {os.path.join(out_dir, n)}")
                seen[n] = s
        now_dt = _now(now)
        config = _config(config_path, list(specs))
    except Fatal as e:
        click.echo(f"vibespec: {e}", err=True)
        sys.exit(2)

    from ..previewer import RowError, preview  # lazy: only `vibespec preview` loads the previewer

    pages = []
    failed = False
    for spec in specs:
        try:
            pages.append(preview(spec, now=now_dt, audience=audience, row=row, config=config,
                                 max_messages=max_messages))
        except VibespecError as e:
            failed = True
            for d in e.diagnostics:  # messages quote the spec: control characters escaped, as in lint
                click.echo(_safe(d.format_short()), err=True)
        except RowError as e:
            click.echo(f"vibespec: {e}", err=True)
            sys.exit(2)
        except OSError as e:
            click.echo(f"vibespec: {spec}: {e.strerror or e}", err=True)
            sys.exit(2)
        except Exception as e:  # never a traceback
            click.echo(f"vibespec: internal error: {type(e).__name__}: {e}", err=True)
            sys.exit(2)
    if failed:
        sys.exit(1)

    try:
        if out_dir:
            for n, html in zip(names, pages):
                write_atomic(os.path.join(out_dir, n), html)
        elif output:
            write_atomic(output, pages[0])
        else:
            click.echo(pages[0], nl=False)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as e:
        click.echo(f"vibespec: cannot write: {e.strerror or e}", err=True)
        sys.exit(2)
    sys.exit(0)
