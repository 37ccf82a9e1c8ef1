"""The ``vibespec`` command. Thin: parse arguments, call the library, pick a reporter.

Exit codes everywhere: 0 clean, 1 findings at or above ``--fail-on`` (or a compile that
failed), 2 could not run (bad arguments, unreadable file, bad configuration). No
traceback ever reaches the user."""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from datetime import timezone

import click

from .. import __version__
from ..app import Fatal  # noqa: F401  (re-exported: the other commands import it from here)
from ..app.discovery import SPEC_SUFFIXES, discover as _discover  # noqa: F401
from ..diagnostics import VibespecError

FORMATS = ("full", "concise", "json", "sarif", "github")


def _safe(text: str, *, newlines: bool = False) -> str:
    """Text for the terminal that may quote a spec or name a file (a PR can put ESC in either),
    with control characters escaped; ``newlines`` keeps line breaks (multi-line reports)."""
    from ..output._source import escape_controls  # lazy: `vibespec compile` does not load the escaping helpers

    return escape_controls(text, newlines=newlines)


def _guard(fn):
    """Run a command body; map every failure to a message and exit 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..files import WriteError  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
        try:
            code = fn(*args, **kwargs)
        except Fatal as e:
            click.echo(_safe(f"vibespec: {e}"), err=True)
            sys.exit(2)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("vibespec: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(1)
        except OSError as e:  # a file that cannot be read or written: the user's to fix, not a bug

            if isinstance(e, WriteError) or not e.strerror:
                msg = str(e)
            else:
                msg = f"{e.filename}: {e.strerror}" if e.filename else e.strerror
            click.echo(f"vibespec: {msg}", err=True)
            sys.exit(2)
        except Exception as e:  # never a traceback

            if isinstance(e, VibespecError):
                from ..output._source import escape_controls  # lazy: `vibespec compile` does not load the escaping helpers

                for d in e.diagnostics:
                    click.echo(escape_controls(d.format_short(), newlines=False), err=True)
            else:
                click.echo(f"vibespec: internal error: {type(e).__name__}: {e}", err=True)
            sys.exit(2)
        sys.exit(code or 0)

    return wrapper


class _Group(click.Group):
    """Lists each command with the whole first sentence of its help, wrapped (click's default
    cuts it at 45 characters or at an abbreviation such as "e.g.")."""

    def format_commands(self, ctx, formatter):
        from ..doctext import first_sentence, plain  # lazy: only `vibespec --help` formats the command list; lint/compile/check do not load doctext

        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, plain(first_sentence(cmd.short_help or cmd.help or ""))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="vibespec", message="%(prog)s %(version)s")
@click.option("--require-version", metavar="VERSION", default=None,
              help="Exit 2 unless this is vibespec VERSION (the pin in the local pre-commit hooks of 'vibespec init').")
def cli(require_version: str | None = None) -> None:
    """Lint and compile Viber bot message specs (YAML/TOML) to exact Infobip
    POST /viber-bot/1/messages bodies."""
    if require_version is not None:
        wanted = require_version.strip().removeprefix("v")
        if wanted != __version__:
            click.echo(f"vibespec: this project pins vibespec {wanted}, but {__version__} is installed: "
                       f"pip install 'vibespec=={wanted}', or update the pin (--require-version) in "
                       ".pre-commit-config.yaml", err=True)
            sys.exit(2)


# --------------------------------------------------------------------------- helpers


def _config(config_path: str | None, paths, select=(), ignore=(), extend_select=(), fail_on=None,
            per_file_ignores=None, verbose: bool = False):

    from ..config import ConfigError, from_mapping, load_config, search_config  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    start = None
    for p in paths or ():
        if p != "-":
            start = os.path.dirname(os.path.abspath(p)) if os.path.isfile(p) else os.path.abspath(p)
            break
    try:
        if verbose:
            click.echo(f"vibespec: configuration: {config_path} (--config)" if config_path
                       else f"vibespec: {search_config(start)[1]}", err=True)
        cfg = load_config(config_path, search_from=start)
        over: dict = {}

        cli_table: dict = {}
        if select:
            cli_table["select"] = _split(select)
        if ignore:
            cli_table["ignore"] = _split(ignore)
        if extend_select:
            cli_table["extend-select"] = _split(extend_select)
        if fail_on:
            cli_table["fail-on"] = fail_on
        if cli_table:
            c2 = from_mapping(cli_table)
            if select:
                over["select"] = c2.select
            if ignore:
                over["ignore"] = cfg.ignore + c2.ignore
            if extend_select:
                over["extend_select"] = cfg.extend_select + c2.extend_select
            if fail_on:
                over["fail_on"] = c2.fail_on
        return cfg.merged(**over)
    except ConfigError as e:
        raise Fatal("; ".join(f"{d.file}{'' if d.file == '<config>' else f':{d.line}'}: {d.message}"
                              for d in e.diagnostics)) from None


def _split(values) -> list[str]:
    out = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _report(diags, fmt, sources, files_checked, color, quiet: bool = False, max_findings=None) -> None:
    from ..output import MAX_FINDINGS, format_for_environment, write_report  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    fmt = format_for_environment(fmt, os.environ)
    write_report(diags, sys.stdout, fmt, sources=sources, color=color and fmt in ("full", "concise"),
                 files_checked=files_checked, summary=not quiet, max_findings=max_findings or MAX_FINDINGS)


def _now(value: str | None):
    if not value:
        return None

    from ..spec.shorthand import ShorthandError, parse_datetime  # lazy: only --now parses a date; a cached `lint` does not load the spec layer

    try:
        p = parse_datetime(value)
    except ShorthandError as e:
        raise Fatal(f"--now: {e.message}") from None
    if p.offset is None:
        return p.wall.replace(tzinfo=timezone.utc)
    return p.wall.replace(tzinfo=timezone(p.offset)).astimezone(timezone.utc)


def _exit_code(diags, fail_on) -> int:
    return 1 if any(d.severity.rank >= fail_on.rank for d in diags) else 0


_common_lint = [
    click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                 help="Output format [default: full; github when GITHUB_ACTIONS is set]."),
    click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
                 help="Lowest severity that makes the exit code 1 [default: error]."),
    click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated; ALL)."),
    click.option("--ignore", multiple=True, help="Skip these codes or prefixes."),
    click.option("--extend-select", multiple=True, help="Add codes to the selection."),
    click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                 help="A vibespec.toml or pyproject.toml to use instead of the nearest one."),
    click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True),
    click.option("--now", "now", default=None, hidden=True, help="Pretend the current time is this (tests)."),
    click.option("-q", "--quiet", is_flag=True, help="Print only the diagnostics, no summary."),
    click.option("-v", "--verbose", is_flag=True, help="Say on stderr which configuration file is used."),
]


def _apply(options):
    def deco(f):
        for o in reversed(options):
            f = o(f)
        return f

    return deco


# --------------------------------------------------------------------------- lint


@cli.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--stdin-filename", default=None, help="File name to report for '-' (stdin); picks YAML/TOML by suffix.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers for many files, at least 1 (capped at the cores and files) [default: all cores].")
@_apply(_common_lint)
@_guard
def lint_cmd(paths, stdin_filename, no_cache, jobs, fmt, fail_on, select, ignore, extend_select, config_path, color,
             now, quiet, verbose):
    """Lint spec files (folders are searched for *.viber.yaml|yml|toml; '-' reads stdin).

    A .json file named on the command line is checked as a raw request body."""
    from ..app.lintrun import run_lint  # lazy: `vibespec compile` does not load the lint runner

    if not paths:
        paths = (".",)
    cfg = _config(config_path, paths, select, ignore, extend_select, fail_on, verbose=verbose)
    files = [f for f in _discover(paths) if f == "-" or not cfg.excluded(f)]
    if not files:
        raise Fatal("no spec files found (looked for *.viber.yaml, *.viber.yml, *.viber.toml)")
    result = run_lint(files, cfg, stdin_filename=stdin_filename, now=_now(now), use_cache=not no_cache, jobs=jobs,
                      progress=sys.stderr.isatty() and (fmt in (None, "full", "concise")))
    return _finish_lint(result, fmt, files, quiet, color, cfg)


def _finish_lint(result, fmt, files, quiet, color, cfg) -> int:
    """Report a lint/check run. A file that could not be read or hit an internal error is a
    diagnostic in the report (VB009/VB000), in the summary, and exit 2; machine formats also
    say so on stderr, as their stdout goes to a program."""
    from ..output import format_for_environment  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers

    if result.fatal and format_for_environment(fmt, os.environ) not in ("full", "concise"):
        for msg in result.fatal:
            click.echo(_safe(f"vibespec: {msg}"), err=True)
    _report(result.diagnostics, fmt, result.sources, len(files), _color(color), quiet, cfg.limits.max_findings)
    if result.fatal:
        return 2
    return _exit_code(result.diagnostics, cfg.fail_on)


# --------------------------------------------------------------------------- check


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--stdin-filename", default=None, help="File name to report for '-' (stdin).")
@_apply(_common_lint)
@_guard
def check_cmd(paths, stdin_filename, fmt, fail_on, select, ignore, extend_select, config_path, color, now, quiet,
              verbose):
    """Run the rules on raw request bodies (JSON) for POST /viber-bot/1/messages."""
    from ..app.lintrun import run_lint  # lazy: `vibespec compile` does not load the lint runner

    cfg = _config(config_path, paths, select, ignore, extend_select, fail_on, verbose=verbose)
    files = _discover(paths, suffixes=(".json",))
    if not files:
        raise Fatal("no request bodies found (looked for *.json)")
    result = run_lint(files, cfg, stdin_filename=stdin_filename or "<stdin>.json", now=_now(now), use_cache=False,
                      jobs=1, force_body=True)
    return _finish_lint(result, fmt, files, quiet, color, cfg)


# --------------------------------------------------------------------------- compile


def _out_name(spec: str, ext: str = ".json") -> str:
    """``NAME.viber.yaml`` -> ``NAME.json`` (compile) or ``NAME.html`` (preview)."""
    base = os.path.basename(spec)
    for suf in (".viber.yaml", ".viber.yml", ".viber.toml", ".yaml", ".yml", ".toml"):
        if base.lower().endswith(suf):
            return base[: -len(suf)] + ext
    return base + ext


@cli.command("compile")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the body to this file.")
@click.option("--out-dir", type=click.Path(file_okay=False), default=None,
              help="Write NAME.json for each NAME.viber.yaml into this folder.")
@click.option("--indent", type=click.IntRange(0, 8), default=2, show_default=True, help="0 gives one compact line.")
@click.option("--check", "check_only", is_flag=True,
              help="Compare with the files on disk instead of writing; exit 1 when one differs or is missing.")
@click.option("--orphans", is_flag=True,
              help="With --check --out-dir: the specs given are all of them; also report *.json in the out dir "
                   "that none of them compiles to (exit 1).")
@click.option("--prune", is_flag=True,
              help="With --out-dir: the specs given are all of them; delete *.json in the out dir that none of "
                   "them compiles to.")
@click.option("--annotate", is_flag=True, help="Print the body with each field's spec origin (for humans).")
@click.option("--audience", type=click.Path(dir_okay=False), default=None,
              help="Use this CSV audience instead (read as given: it may lie outside the project, or be a pipe).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="A vibespec.toml or pyproject.toml to use instead of the nearest one ([limits], read-paths, "
                   "the rules of the lint summary).")
@click.option("--stdin-filename", default=None, help="File name to report for '-' (stdin).")
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr (e.g. how local windows were converted).")
@click.option("-v", "--verbose", is_flag=True, help="Notes on stderr even when it is not a terminal.")
@click.option("--strict", is_flag=True,
              help="Exit 1 and write nothing when lint finds errors (default: say so on stderr, write, exit 0).")
@click.option("--now", "now", default=None, hidden=True)
@_guard
def compile_cmd(specs, output, out_dir, indent, check_only, orphans, prune, annotate, audience, config_path,
                stdin_filename, quiet, verbose, strict, now):
    """Compile specs to the exact JSON body of POST /viber-bot/1/messages.

    One spec prints to stdout (or -o FILE); several need --out-dir. A folder stands for every
    spec below it. Writes are atomic: nothing is written unless every spec compiles. Lint
    errors (what Infobip would reject or silently change) are summed up on stderr; --strict
    makes them fail the compile."""
    from ..app.compilerun import run_compile  # lazy: only `vibespec compile` loads the compile runner (and the compiler)

    if (orphans or prune) and not out_dir:
        raise Fatal(f"--{'orphans' if orphans else 'prune'} needs --out-dir DIR")
    if orphans and not check_only:
        raise Fatal("--orphans goes with --check; to delete orphaned bodies, compile with --prune")
    if prune and check_only:
        raise Fatal("--check writes nothing; use --orphans to list orphaned bodies")
    if (orphans or prune) and "-" in specs:
        raise Fatal("--orphans and --prune need the spec files (all of them), not stdin")
    if any(p != "-" and os.path.isdir(p) for p in specs):
        specs = tuple(f for p in specs for f in (_discover([p]) if p != "-" and os.path.isdir(p) else [p]))
        if not specs:
            raise Fatal("no spec files (*.viber.yaml, *.viber.yml, *.viber.toml) in the folders given")
    if output and len(specs) > 1:
        raise Fatal("-o takes one spec; use --out-dir for several")
    if output and out_dir:
        raise Fatal("use either -o or --out-dir")
    if len(specs) > 1 and not out_dir and not check_only:
        raise Fatal("several specs need --out-dir DIR")
    if check_only and not (output or out_dir):
        raise Fatal("--check compares with files on disk: give -o FILE or --out-dir DIR")
    cfg = _config(config_path, specs, verbose=verbose)
    return run_compile(list(specs), output=output, out_dir=out_dir, indent=indent, check_only=check_only,
                       annotate=annotate, audience=audience, stdin_filename=stdin_filename, now=_now(now),
                       out_name=_out_name, out=sys.stdout, err=sys.stderr,
                       quiet=quiet or not (verbose or sys.stderr.isatty()), config=cfg,
                       lint="strict" if strict else "warn", orphans=orphans, prune=prune)


# --------------------------------------------------------------------------- rules / explain


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def rules_cmd(fmt):
    """List every rule: code, severity, name and summary."""
    from ..rules import ALL_RULES  # lazy: a cached `lint` does not load the rules

    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity.value, "area": r.area(),
                 "summary": r.summary()} for r in ALL_RULES]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in ALL_RULES:
        click.echo(f"{r.code}  {r.severity.value:<7}  {r.name:<40}  {r.summary()}")
    return 0


@cli.command("explain")
@click.argument("code")
@_guard
def explain_cmd(code):
    """Print the documentation of a rule (by code, e.g. VB201, or name)."""
    from ..rules import get  # lazy: a cached `lint` does not load the rules

    try:
        r = get(code)
    except KeyError:
        raise Fatal(f"no such rule: {code} (see 'vibespec rules')") from None
    from ..doctext import explain_text  # lazy: only `vibespec explain` loads the doc text helpers

    click.echo(explain_text(r))
    return 0


def _register_optional() -> None:
    """Commands that live in their own modules."""

    for mod, names in (
        ("vibespec.cli.wire_cmds", (("inbound_cmd", "inbound"), ("reports_cmd", "reports"))),
        # replaces "reports" by a group: `reports FILE...` as before, plus `reports pull`
        ("vibespec.cli.send_cmd", (("send_cmd", "send"), ("reports_group", "reports"), ("logs_cmd", "logs"))),
        ("vibespec.cli.plan_cmd", (("plan_cmd", "plan"),)),
        ("vibespec.cli.preview_cmd", (("preview_cmd", "preview"),)),
        ("vibespec.cli.server_cmd", (("server_cmd", "server"),)),
        ("vibespec.cli.import_cmd", (("import_cmd", "import"),)),
        ("vibespec.cli.artifact_cmds", (("trace_cmd", "trace"), ("init_cmd", "init"))),
    ):
        try:
            m = importlib.import_module(mod)
        except ImportError:
            continue
        for attr, name in names:
            cmd = getattr(m, attr, None)
            if cmd is not None:
                cli.add_command(cmd, name)


_register_optional()


def main(argv=None) -> None:
    cli.main(args=argv, prog_name="vibespec")


if __name__ == "__main__":  # pragma: no cover
    main()
