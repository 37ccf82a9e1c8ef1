"""``vibespec server``: the Language Server over stdio, for editors.

Registered by :mod:`vibespec.cli.app` as ``server``. Needs the optional extra
``vibespec[lsp]`` (pygls); no other command imports it."""

from __future__ import annotations

import sys

import click


@click.command("server")
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default and only transport).")
def server_cmd(stdio):
    """Run the vibespec Language Server over stdio: live diagnostics (the same as vibespec lint),
    hover docs, completion, quick fixes and an outline for *.viber.yaml|yml|toml files.

    Editors start it themselves; see docs/editors.md."""
    try:
        from ..lsp.server import main  # lazy: the optional 'lsp' extra (pygls); only `vibespec server` loads it
    except ImportError as e:
        click.echo(f"vibespec: the language server needs the 'lsp' extra: pip install 'vibespec[lsp]' ({e})",
                   err=True)
        sys.exit(2)
    main()
