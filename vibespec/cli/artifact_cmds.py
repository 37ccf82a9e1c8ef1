"""``vibespec trace`` (where a body field comes from) and ``vibespec init`` (a starter project).

Both are thin: ``trace`` asks :func:`vibespec.app.compilerun.origins`, ``init`` writes text
through :func:`vibespec.files.write_atomic`."""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import sys
from typing import Any
from urllib.parse import unquote

import click

from .. import __version__
from ..diagnostics import pointer_from_path, sort_diagnostics


# ``vibespec.cli.app`` imports this module while it registers commands; importing app here
# at import time would hand it a half-built module when this one is imported first.


def _guard(fn):
    """main's ``_guard`` (exit codes, no tracebacks), looked up when the command runs."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .app import _guard as guard  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

        return guard(fn)(*args, **kwargs)

    return wrapper


def _fatal(message: str) -> Exception:
    from .app import Fatal  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    return Fatal(message)


def _now(value: str | None):
    from .app import _now as now  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    return now(value)


def _config(config_path, paths):
    """The configuration for ``paths`` (its [limits] and read-paths apply), as lint finds it."""
    from .app import _config as config  # lazy: cli/app.py imports this module while it is being imported (to register the command); its helpers are read at call time

    return config(config_path, paths)

# --------------------------------------------------------------------------- trace


def _parse_pointer(pointer: str) -> tuple:
    """RFC 6901 pointer (also ``#/a/b`` and ``a/b``) -> path; list indices resolved later."""
    p = pointer.strip()
    if p.startswith("#"):
        p = unquote(p[1:])
    if p in ("", "/"):
        return ()
    if not p.startswith("/"):
        p = "/" + p
    return tuple(seg.replace("~1", "/").replace("~0", "~") for seg in p[1:].split("/"))


def _resolve(body: Any, parts: tuple) -> tuple[tuple, Any, bool]:
    """Follow ``parts`` into ``body`` -> (existing path prefix, value there, complete?)."""
    node = body
    done: list = []
    for seg in parts:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
            done.append(seg)
        elif isinstance(node, list) and re.fullmatch(r"0|[1-9][0-9]*", seg) and int(seg) < len(node):
            node = node[int(seg)]
            done.append(int(seg))
        else:
            return tuple(done), node, False
    return tuple(done), node, True


def _all_pointers(node: Any, path: tuple = ()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _all_pointers(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _all_pointers(v, path + (i,))


def nearest_pointers(body: Any, parts: tuple, n: int = 6) -> list[str]:
    """Pointers in ``body`` closest to the (missing) one: close spellings first, then what
    exists under the deepest existing prefix."""

    wanted = "/" + "/".join(parts)
    prefix, node, _ = _resolve(body, parts)
    base = pointer_from_path(prefix)
    everything = [pointer_from_path(p) for p in _all_pointers(body) if p]
    close = difflib.get_close_matches(wanted, everything, n=3 * n, cutoff=0.6)
    # same branch first (under the deepest existing prefix), then the rest of the body
    local = [p for p in close if p.startswith(base + "/")]
    children: list[str] = []
    if isinstance(node, dict):
        children = [pointer_from_path(prefix + (k,)) for k in node]
    elif isinstance(node, list):
        children = [pointer_from_path(prefix + (i,)) for i in range(len(node))]
    out = list(dict.fromkeys(local[:2] + children + local + ([base] if base else []) + close))
    return out[:n]


def _frame(text: str, span, gutter: int) -> list[str]:
    from ..output._source import RenderedLine, caret_span, line_at  # lazy: `vibespec lint` imports this module to register the command; `vibespec compile` does not load the source-frame helpers

    line = line_at(text, span.line)
    if line is None:
        return []
    r = RenderedLine(line)
    off, width = caret_span(line, span.column, span.end_line, span.line, span.end_column)
    pad = " " * gutter
    return [f"    {span.line:>{gutter}} | {r.text}", f"    {pad} | {' ' * off}{'^' * width}"]


def _audience_rows(compiled, path: tuple) -> list[tuple]:
    """(file, line, column) of the audience rows behind body message ``path[1]`` (all of
    them, or the one behind ``/messages/i/destinations/j``); [] for other messages."""
    if len(path) < 2 or path[0] != "messages" or not isinstance(path[1], int):
        return []
    for f in getattr(compiled.facts, "messages", None) or ():
        if getattr(f, "index", None) == path[1]:
            rows = [tuple(r) for r in (getattr(f, "rows", None) or ())]  # (file, line, column) each
            if len(path) >= 4 and path[2] == "destinations" and isinstance(path[3], int):
                return [tuple(rows[path[3]])] if path[3] < len(rows) else []
            return [tuple(r) for r in rows]
    return []


def _say(text: str) -> None:
    """A line of trace's text output; names, labels and CSV rows come from the spec and its
    audience, so control characters are shown escaped."""
    from ..output._source import escape_controls  # lazy: `vibespec lint` imports this module to register the command; `vibespec compile` does not load the source-frame helpers

    click.echo(escape_controls(text, newlines=False))


def _row_text(file: str, line: int, cache: dict, base: str) -> str:
    if file not in cache:
        from ..output._source import read_frame_source  # lazy: `vibespec lint` imports this module to register the command; `vibespec compile` does not load the source-frame helpers

        cache[file] = []
        for cand in (file, os.path.join(base, file)):
            text = read_frame_source(cand)  # a regular file, capped in size
            if text is not None:
                cache[file] = text.lstrip("\ufeff").splitlines()
                break
    lines = cache[file]
    return lines[line - 1] if 0 < line <= len(lines) else ""


_ROLE_TEXT = {"wins": "<- wins", "overridden": "overridden", "merged": "merged under the one above"}


@click.command("trace")
@click.argument("spec", type=click.Path())
@click.argument("pointer")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--stdin-filename", default=None, help="File name to report for '-' (stdin).")
@click.option("--now", "now", default=None, hidden=True)
@_guard
def trace_cmd(spec, pointer, fmt, stdin_filename, now):
    """Show where the value at POINTER of SPEC's compiled body comes from.

    POINTER is a JSON pointer into the body, e.g. /messages/0/options/validityPeriod.
    Prints the value, then every spec layer holding it (message, template, defaults),
    most specific first, with the line and a caret; the first one wins."""
    from ..output import write_report  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers
    from ..app.compilerun import compile_one, origins  # lazy: `vibespec lint` imports this module to register the command; only `vibespec trace` loads the compile runner (and the compiler)

    try:
        compiled, errors, text = compile_one(spec, stdin_filename=stdin_filename, now=_now(now),
                                             config=_config(None, [spec]))
    except OSError as e:
        raise _fatal(f"{spec}: {e.strerror or e}") from None
    if errors:
        write_report(sort_diagnostics(errors), sys.stderr, "full", sources={errors[0].file or spec: text},
                     files_checked=1)
        click.echo(f"vibespec: {spec} does not compile; fix the errors above to trace it", err=True)
        return 1
    parts = _parse_pointer(pointer)
    path, value, complete = _resolve(compiled.body, parts)
    if not complete:
        near = nearest_pointers(compiled.body, parts)
        wanted = "/" + "/".join(parts)
        click.echo(f"vibespec: {wanted} is not in the body compiled from {spec}", err=True)
        if near:
            click.echo("nearest existing pointers:", err=True)
            for p in near:
                click.echo(f"  {p}", err=True)
        return 1
    chain = origins(compiled, path)
    filename = compiled.document.filename
    ptr = pointer_from_path(path) or "/"
    rows = _audience_rows(compiled, path)
    conversion = None
    if len(path) >= 4 and path[0] == "messages" and path[2:4] == ("options", "deliveryTimeWindow"):
        from ..app.compilerun import describe_conversion, window_conversion  # lazy: `vibespec lint` imports this module to register the command; only `vibespec trace` loads the compile runner (and the compiler)

        conversion = window_conversion(compiled, path[1])
    if fmt == "json":
        out = {"pointer": pointer_from_path(path), "value": value, "file": filename, "origins": [
            {"layer": o.layer, "template": o.name, "label": o.label, "role": o.role, "wins": o.role == "wins",
             "spec_path": pointer_from_path(o.doc_path), "line": o.span.line, "column": o.span.column,
             "end_line": o.span.end_line, "end_column": o.span.end_column,
             "source": compiled.document.line_text(o.span.line)} for o in chain]}
        if conversion:
            out["window_conversion"] = conversion
        if rows:
            out["audience_rows"] = [{"file": r[0], "line": r[1], "column": r[2] if len(r) > 2 else 1} for r in rows]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 200:
        shown = shown[:197] + "..."
    _say(ptr)
    _say(f"  value: {shown}" + ("  (UTC)" if conversion else ""))
    if conversion:
        _say(f"  converted: {describe_conversion(conversion)}")
    gutter = max(len(str(o.span.line)) for o in chain) if chain else 1
    for o in chain:
        _say(f"  {o.where(filename)}  ({o.label})  {_ROLE_TEXT.get(o.role, o.role)}")
        for line in _frame(compiled.document.text, o.span, gutter):
            _say(line)
    if len(chain) > 1:
        win = chain[0]
        others = ", ".join(o.label for o in chain[1:])
        how = "its keys win over" if any(o.role == "merged" for o in chain[1:]) else "it overrides"
        _say(f"  {win.label} wins: {how} {others}")
    if rows:
        cache: dict = {}
        _say(f"  rendered for audience row{'s' if len(rows) > 1 else ''}:")
        for r in rows[:5]:
            text = _row_text(str(r[0]), int(r[1]), cache, os.path.dirname(os.path.abspath(filename)))
            _say(f"    {r[0]}:{r[1]}" + (f"  {text}" if text else ""))
        if len(rows) > 5:
            _say(f"    ... and {len(rows) - 5} more")
    return 0


# --------------------------------------------------------------------------- init

SCHEMA_URL = "https://raw.githubusercontent.com/vibespec/vibespec/main/schemas/vibespec.schema.json"
HOOKS_REPO = "https://github.com/vibespec/vibespec"
OUT_DIR = "compiled"

SCHEMA_FILE = "vibespec.schema.json"

STARTER_YAML = """\
# yaml-language-server: $schema={schema}
#
# A vibespec spec: compiles to the body of Infobip's POST /viber-bot/1/messages.
#   vibespec lint messages.viber.yaml                       check it
#   vibespec compile messages.viber.yaml                    print the JSON body
#   vibespec trace messages.viber.yaml /messages/0/sender   where a field comes from
vibespec: 1

bulk_id: welcome-series

defaults:                        # merged into every message; a message's own keys win
  sender: DemoBot                # your Viber bot's name, as registered with Infobip
  validity: 30m                  # -> options.validityPeriod
  campaign_ref: welcome-series   # -> options.campaignReferenceId
  webhooks:
    delivery: https://www.example.com/viber/delivery-reports
    content_type: json

messages:
  - id: welcome                  # your name for the message (diagnostics, trace); never sent
    to: [bot-user-1, bot-user-2]
    text: Welcome to DemoBot! Reply HELP at any time to reach our support team.

  - id: spring-offer
    to: bot-user-3
    validity: 2h                 # overrides the default
    image:
      url: https://cdn.example.com/spring-offer.png
      caption: This week only - 20% off everything
"""

STARTER_TOML = """\
#:schema {schema}
#
# A vibespec spec: compiles to the body of Infobip's POST /viber-bot/1/messages.
#   vibespec lint messages.viber.toml                       check it
#   vibespec compile messages.viber.toml                    print the JSON body
#   vibespec trace messages.viber.toml /messages/0/sender   where a field comes from
vibespec = 1
bulk_id = "welcome-series"

# Merged into every message; a message's own keys win.
[defaults]
sender = "DemoBot"               # your Viber bot's name, as registered with Infobip
validity = "30m"                 # -> options.validityPeriod
campaign_ref = "welcome-series"  # -> options.campaignReferenceId

[defaults.webhooks]
delivery = "https://www.example.com/viber/delivery-reports"
content_type = "json"

[[messages]]
id = "welcome"                   # your name for the message (diagnostics, trace); never sent
to = ["bot-user-1", "bot-user-2"]
text = "Welcome to DemoBot! Reply HELP at any time to reach our support team."

[[messages]]
id = "spring-offer"
to = "bot-user-3"
validity = "2h"                  # overrides the default

[messages.image]
url = "https://cdn.example.com/spring-offer.png"
caption = "This week only - 20% off everything"
"""

CONFIG_BODY = """\
# `vibespec rules` lists every rule; `vibespec explain VB201` documents one.
select = ["ALL"]
ignore = []
fail-on = "error"                # lowest severity that fails `vibespec lint`
exclude = []
"""

PYPROJECT_SECTION = "[tool.vibespec]\n" + CONFIG_BODY
VIBESPEC_TOML = "# vibespec configuration (the same keys go under [tool.vibespec] in pyproject.toml)\n" + CONFIG_BODY


def _precommit_entry(indent: str, hooks: str = "local") -> str:
    """The ``repos:`` item for our hooks: ``local`` runs the vibespec installed here (no
    network, pinned to this version with --require-version), ``remote`` fetches the hooks
    published in vibespec's repository at this version's tag."""

    if hooks == "remote":
        lines = [
            f"- repo: {HOOKS_REPO}",
            f"  rev: v{__version__}",
            "  hooks:",
            "    - id: vibespec                # vibespec lint on every *.viber.yaml|yml|toml",
            "    - id: vibespec-compile-check  # compiled bodies in compiled/ are up to date",
            f"      args: [--out-dir, {OUT_DIR}]",
        ]
    else:
        pin = f"vibespec --require-version {__version__}"
        lines = [
            "- repo: local                    # runs the vibespec installed here: no network needed",
            "  hooks:",
            "    - id: vibespec               # vibespec lint on every *.viber.yaml|yml|toml",
            "      name: vibespec lint",
            f"      entry: {pin} lint",
            "      language: system",
            "      files: \\.viber\\.(ya?ml|toml)$",
            "      require_serial: true",
            "    - id: vibespec-compile-check # compiled bodies in compiled/ are up to date",
            "      name: vibespec compile --check",
            f"      entry: {pin} compile --check",
            "      language: system",
            "      files: \\.viber\\.(ya?ml|toml)$",
            f"      args: [--out-dir, {OUT_DIR}]",
        ]
    return "".join(indent + line + "\n" for line in lines)


def _precommit_file(hooks: str = "local") -> str:
    return "repos:\n" + _precommit_entry("  ", hooks)


def _has_vibespec_hooks(data: Any) -> bool:
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list):
        return False
    for r in repos:
        if not isinstance(r, dict):
            continue
        if "vibespec/vibespec" in str(r.get("repo", "")):
            return True
        for h in r.get("hooks") or ():
            if isinstance(h, dict) and h.get("id") in ("vibespec", "vibespec-compile-check"):
                return True
    return False


def _yaml_load(text: str) -> Any:
    from ruamel.yaml import YAML  # lazy: a cached `lint` does not load ruamel.yaml; only `vibespec init` reads .pre-commit-config.yaml here

    return YAML(typ="safe", pure=True).load(text)


def _append_precommit(text: str, hooks: str = "local") -> str | None:
    """``text`` with our repo entry added at the end of its ``repos:`` list, or None when the
    file's layout is one we do not dare edit by text (the caller prints the snippet)."""
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in text else "\n"
    start = next((i for i, ln in enumerate(lines) if re.match(r"repos:\s*(#.*)?$", ln.rstrip("\r\n"))), None)
    if start is None:
        if re.search(r"^repos\s*:", text, re.M):
            return None  # repos: [ ... ] in flow style
        sep = "" if not text or text.endswith("\n") else nl
        new = text + sep + "repos:" + nl + _precommit_entry("  ", hooks).replace("\n", nl)
    else:
        item_indent = None
        last = start
        for i in range(start + 1, len(lines)):
            s = lines[i].rstrip("\r\n")
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            if not s[0].isspace() and not s.startswith("-"):
                break  # the next top-level key
            if item_indent is None:
                m = re.match(r"(\s*)- ", s)
                if m:
                    item_indent = m.group(1)
            last = i
        if item_indent is None:
            item_indent = "  "
        entry = _precommit_entry(item_indent, hooks).replace("\n", nl)
        head = lines[: last + 1]
        if head and not head[-1].endswith("\n"):
            head[-1] += nl
        new = "".join(head) + entry + "".join(lines[last + 1:])
    # check the edit by reading both versions: everything kept, exactly one repo added
    try:
        before = _yaml_load(text) if text.strip() else None
        after = _yaml_load(new)
    except Exception:
        return None
    before = before if before is not None else {}
    if not isinstance(before, dict) or not isinstance(after, dict) or not _has_vibespec_hooks(after):
        return None
    old_repos = before.get("repos") or []
    new_repos = after.get("repos")
    if not isinstance(old_repos, list) or not isinstance(new_repos, list):
        return None
    if new_repos[:-1] != old_repos or len(new_repos) != len(old_repos) + 1:
        return None
    if {k: v for k, v in after.items() if k != "repos"} != {k: v for k, v in before.items() if k != "repos"}:
        return None
    return new


def _schema_text() -> str:
    """The spec language's JSON schema, exactly as schemas/vibespec.schema.json."""

    from ..docsgen import spec_schema  # lazy: only `vibespec init` writes the schema (pydantic and the spec models); lint must not load them

    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--toml", "use_toml", is_flag=True, help="Write the starter spec as TOML (messages.viber.toml).")
@click.option("--force", is_flag=True,
              help="Overwrite existing files; add the hooks to an existing .pre-commit-config.yaml.")
@click.option("--hooks", type=click.Choice(["local", "remote"]), default="local", show_default=True,
              help="local: pre-commit runs the vibespec installed here (no network; pinned to this version). "
                   "remote: pre-commit fetches the hooks from vibespec's repository.")
@click.option("--schema-url", is_flag=True,
              help=f"Point the spec's editor-schema comment at {SCHEMA_URL} instead of writing {SCHEMA_FILE} "
                   "beside the spec.")
@_guard
def init_cmd(directory, use_toml, force, hooks, schema_url):
    """Start a vibespec project in DIRECTORY (default: here).

    Writes a starter spec that compiles and lints clean, the JSON schema editors read for it
    (vibespec.schema.json, named by a path relative to the spec), configuration
    ([tool.vibespec] in an existing pyproject.toml, else vibespec.toml) and a
    .pre-commit-config.yaml running the vibespec hooks. Never overwrites a file without
    --force."""
    import tomllib  # lazy: only `vibespec init` reads TOML here; `vibespec --help` does not load tomllib
    from ..files import write_atomic  # lazy: `vibespec --help`, `rules` and `explain` load this module but not the configuration, the reporters or the file readers

    if os.path.exists(directory) and not os.path.isdir(directory):
        raise _fatal(f"{directory}: not a folder")
    spec_name = "messages.viber.toml" if use_toml else "messages.viber.yaml"
    j = lambda name: os.path.join(directory, name)  # noqa: E731
    show = lambda name: os.path.normpath(j(name))  # noqa: E731

    # plan everything first: nothing is written unless every step can go ahead
    plan: list[tuple[str, str, str]] = []  # (file name, text, what we say)
    notes: list[str] = []
    conflicts: list[str] = []

    spec_path = j(spec_name)
    if os.path.exists(spec_path) and not force:
        conflicts.append(spec_name)
    else:
        starter = STARTER_TOML if use_toml else STARTER_YAML
        plan.append((spec_name, starter.format(schema=SCHEMA_URL if schema_url else SCHEMA_FILE),
                     "overwrote" if os.path.exists(spec_path) else "created"))

    if not schema_url:
        schema_text = _schema_text()
        schema_path = j(SCHEMA_FILE)
        if os.path.exists(schema_path):
            try:
                same = _read_text(schema_path) == schema_text
            except (OSError, UnicodeDecodeError):
                same = False
            if same:
                notes.append(f"{show(SCHEMA_FILE)}: up to date, skipped")
            elif not force:
                conflicts.append(SCHEMA_FILE)
            else:
                plan.append((SCHEMA_FILE, schema_text, "overwrote"))
        else:
            plan.append((SCHEMA_FILE, schema_text, "created"))

    pyproject = j("pyproject.toml")
    if os.path.isfile(pyproject):
        try:
            text = _read_text(pyproject)
            has_table = "vibespec" in tomllib.loads(text).get("tool", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise _fatal(f"{show('pyproject.toml')}: cannot read it as TOML ({e}); fix it or add [tool.vibespec] "
                        "yourself") from None
        if has_table:
            notes.append(f"{show('pyproject.toml')}: has [tool.vibespec] already, skipped")
        else:
            nl = "\r\n" if "\r\n" in text else "\n"
            if not text.strip() or text.endswith(("\n\n", "\r\n\r\n")):
                sep = ""
            elif text.endswith("\n"):
                sep = nl  # one blank line before the new table
            else:
                sep = nl + nl
            plan.append(("pyproject.toml", text + sep + PYPROJECT_SECTION.replace("\n", nl),
                         "added [tool.vibespec] to"))
    else:
        cfg_path = j("vibespec.toml")
        if os.path.exists(cfg_path) and not force:
            conflicts.append("vibespec.toml")
        else:
            plan.append(("vibespec.toml", VIBESPEC_TOML, "overwrote" if os.path.exists(cfg_path) else "created"))

    pc_name = ".pre-commit-config.yaml"
    pc_path = j(pc_name)
    if not os.path.exists(pc_path):
        plan.append((pc_name, _precommit_file(hooks), "created"))
    else:
        try:
            text = _read_text(pc_path)
            data = _yaml_load(text) if text.strip() else None
        except Exception as e:  # unreadable or not YAML: leave it alone
            notes.append(f"{show(pc_name)}: exists and cannot be read as YAML ({type(e).__name__}), skipped")
            data, text = None, None
        if text is None:
            pass
        elif _has_vibespec_hooks(data):
            notes.append(f"{show(pc_name)}: has the vibespec hooks already, skipped")
        elif not force:
            notes.append(f"{show(pc_name)}: exists, skipped (--force adds the vibespec hooks to it)")
        else:
            new = _append_precommit(text, hooks)
            if new is None:
                notes.append(f"{show(pc_name)}: exists and its layout is not one we edit, skipped; add this under "
                             "'repos:' yourself:\n" + _precommit_entry("  ", hooks).rstrip("\n"))
            else:
                plan.append((pc_name, new, "added the vibespec hooks to"))

    if conflicts:
        click.echo("vibespec: these files exist already (use --force to overwrite them):", err=True)
        for name in conflicts:
            click.echo(f"  {show(name)}", err=True)
        click.echo("nothing written", err=True)
        return 1

    os.makedirs(directory, exist_ok=True)
    for name, text, verb in plan:
        write_atomic(j(name), text)
        click.echo(f"{verb} {show(name)}")
    for note in notes:
        click.echo(note)
    spec_shown = show(spec_name)
    click.echo("next:")
    click.echo(f"  vibespec lint {spec_shown}")
    click.echo(f"  vibespec compile --out-dir {os.path.normpath(j(OUT_DIR))} {spec_shown}"
               "   # the bodies the compile-check hook compares with")
    click.echo("  pre-commit install")
    return 0
