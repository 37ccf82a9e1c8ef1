"""Where a project is: the repository root and the configuration file that applies to a
path (the search rule is described in :mod:`vibespec.config`). Below the compiler, which
needs the project's folders to read audiences; reading the configuration is config.py's."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root(start: str | Path) -> Path | None:
    """The nearest folder from ``start`` upward that holds ``.git`` (a folder, or a file in
    a worktree or submodule), or None."""
    cur = Path(start).resolve()
    for folder in (cur, *cur.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def search_config(start: str | Path | None = None) -> tuple[Path | None, str]:
    """(the configuration file for ``start``, or None; a sentence saying how it was found
    or where the search stopped). See the module docstring for the rule."""
    import tomllib  # lazy: tomllib only when a pyproject.toml mentions vibespec

    cur = Path(start or Path.cwd()).resolve()
    if cur.is_file():
        cur = cur.parent
    for folder in (cur, *cur.parents):
        v = folder / "vibespec.toml"
        if v.is_file():
            return v, f"configuration: {v}"
        p = folder / "pyproject.toml"
        if p.is_file():
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            # no [tool.vibespec] without the word (or an escape spelling it): skip parsing
            if "vibespec" in text or "\\u" in text or "\\U" in text:
                try:
                    if "vibespec" in tomllib.loads(text).get("tool", {}):
                        return p, f"configuration: {p} [tool.vibespec]"
                except tomllib.TOMLDecodeError:
                    if "vibespec" in text:
                        return p, f"configuration: {p}"  # load_config reports the TOML error
            return None, (f"configuration: none (stopped at {p}, which has no [tool.vibespec]); "
                          "using the defaults")
        if os.path.lexists(folder / ".git"):
            return None, (f"configuration: none (searched {cur} up to the repository root {folder}); "
                          "using the defaults")
    return None, f"configuration: none (searched {cur} up to {cur.anchor}); using the defaults"


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest vibespec.toml, or pyproject.toml with a [tool.vibespec] table, from
    ``start`` (a folder) upward, stopping at the repository root and the first pyproject.toml."""
    return search_config(start)[0]
