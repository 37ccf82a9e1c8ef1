"""The command line. ``main`` answers ``--version`` without importing click or anything
else, so that the commonest probe of a tool stays fast; every other call goes to
:mod:`vibespec.cli.app`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from .. import __version__

        sys.stdout.write(f"vibespec {__version__}\n")
        return
    from .app import main as _main

    _main(args)
