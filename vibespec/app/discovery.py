"""Which files a command works on: the files named, and the spec files found below named folders."""

from __future__ import annotations

import os

from . import Fatal

SPEC_SUFFIXES = (".viber.yaml", ".viber.yml", ".viber.toml")


def discover(paths, suffixes=SPEC_SUFFIXES) -> list[str]:
    """Files named on the command line, and spec files found below named folders."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
        elif os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for f in files:
                    if f.lower().endswith(suffixes):
                        found.append(os.path.join(root, f))
            out.extend(sorted(found))
        elif os.path.exists(p):
            out.append(p)
        else:
            raise Fatal(f"{p}: no such file or directory")
    return out
