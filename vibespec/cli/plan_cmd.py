"""``vibespec plan SPEC``: simulate the send (speed limit, windows, validity) and print when
messages leave, how many per day, and which would expire.

Registered by :mod:`vibespec.cli.app` as ``plan``. Exit codes: 0 planned (warnings do not
change the exit code; ``vibespec lint`` reports them too); 1 the spec has syntax or structural
errors (printed to stderr); 2 could not run (unreadable file, bad arguments, chart not
writable)."""

from __future__ import annotations

import json
import os
import sys

import click

from ..diagnostics import VibespecError, sort_diagnostics


@click.command("plan")
@click.argument("spec", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a compact summary and timeline; json: the whole plan.")
@click.option("--chart", type=click.Path(dir_okay=False), default=None,
              help="Also write an SVG chart of messages sent per hour to this file.")
@click.option("--now", "now", default=None, hidden=True, help="Pretend the current time is this (tests).")
def plan_cmd(spec, fmt, chart, now):
    """Simulate sending SPEC: first and last send, messages per day, expiries.

    Sending starts at send_at (or now), at most speed_limit per unit for the whole request,
    only inside each message's delivery window (UTC), and a destination not sent within its
    validity (48h by default) expires. A .json file is planned as a raw request body."""
    from ..output import write_report  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    from ..files import read_capped  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    from ..output._source import escape_controls  # lazy: `vibespec lint` imports this module to register the command; `vibespec compile` does not load the escaping helpers
    from .app import Fatal, _now  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    try:
        now_dt = _now(now)
        from .app import _config  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

        cfg = _config(None, [spec])  # its [limits] and read-paths apply, as in lint; bad: exit 2
    except Fatal as e:
        click.echo(f"vibespec: {e}", err=True)
        sys.exit(2)
    raw: bytes | None = None
    name = "<stdin>.viber.yaml" if spec == "-" else spec
    try:
        from ..api import read_source  # lazy: `vibespec lint` imports this module to register the command; a cached lint does not load the API
        from ..api import plan as make_plan  # lazy: `vibespec lint` imports this module to register the command; a cached lint does not load the API

        raw = read_capped(spec, cfg.limits.max_bytes, dash_is_stdin=True)
        doc = read_source(raw, filename=name, limits=cfg.limits)
        p = make_plan(doc, now=now_dt, config=cfg)
    except VibespecError as e:
        # the same frame as lint and compile: the line, carets, help (control characters escaped)

        sources = {name: raw.decode("utf-8", "replace")} if raw is not None else {}
        write_report(sort_diagnostics(e.diagnostics), sys.stderr, "full", sources=sources,
                     color=sys.stderr.isatty() and not os.environ.get("NO_COLOR"))
        sys.exit(1)
    except OSError as e:
        click.echo(f"vibespec: {spec}: {e.strerror or e}", err=True)
        sys.exit(2)
    except Exception as e:  # never a traceback
        click.echo(f"vibespec: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(2)

    if chart:
        from ..planner.svg import write_svg  # lazy: only `plan --chart` draws the SVG

        try:
            write_svg(p, chart)
        except OSError as e:
            click.echo(f"vibespec: cannot write {chart}: {e.strerror or e}", err=True)
            sys.exit(2)
    try:
        if fmt == "json":
            from ..output.json import _RAW  # lazy: the JSON reporter loads only for `plan --format json`

            text = json.dumps(p.to_dict(), indent=2, ensure_ascii=False, default=str)
            click.echo(_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))
        else:
            from ..planner.render import to_text  # lazy: `vibespec lint` imports this module to register the command; the planner loads only for `vibespec plan`

            click.echo(escape_controls(to_text(p)), nl=False)  # ids from the spec: no raw ESC
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(0)
