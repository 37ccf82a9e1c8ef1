"""Configuration: ``[tool.vibespec]`` in pyproject.toml or a ``vibespec.toml``.

Keys (ruff's vocabulary): ``select``, ``extend-select``, ``ignore``, ``per-file-ignores``
(glob -> codes), ``severity`` (code -> error|warning|info), ``fail-on``, ``exclude`` (globs),
``[tool.vibespec.limits]`` (see :class:`vibespec.source.nodes.Limits`) and
``[tool.vibespec.rules.<rule-name>]`` per-rule settings, ``read-paths`` (folders outside the
project that specs may read audiences from). Codes may be prefixes (``VB2``) or ``ALL``; an
empty or blank selector is an error. The command line wins over files.

The configuration is looked up from the first path's folder upward, as ruff does, and the
search stops at the repository root (a folder holding ``.git``) and at the first
``pyproject.toml`` (used when it has ``[tool.vibespec]``): a ``vibespec.toml`` in a shared
parent folder (``/tmp``) never configures a checkout below it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from . import codes
from .diagnostics import Diagnostic, Severity, VibespecError
from .project import find_config, repo_root, search_config  # noqa: F401  (re-exported)
from .source.nodes import Limits


class ConfigError(VibespecError):
    """A configuration file or option is invalid (the CLI exits 2)."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    rule_settings: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    read_paths: tuple[str, ...] = ()  # absolute folders outside the project a spec may read from
    path: str | None = None  # the file it came from
    root: str | None = None  # the folder paths in per-file-ignores are relative to

    # -- queries ---------------------------------------------------------------
    def enabled(self, code: str, file: str | None = None) -> bool:
        if not _selected(self.select, self.extend_select, self.ignore, code):
            return False
        if file and self.per_file_ignores:
            rel = self._relative(file)
            for pattern, codes in self.per_file_ignores:
                if _glob(rel, pattern) and _matches(code, codes):
                    return False
        return True

    def severity_of(self, code: str, default: Severity) -> Severity:
        best = None
        for prefix, sev in self.severity:
            if _matches(code, (prefix,)) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, sev)
        return best[1] if best else default

    def settings(self) -> dict:
        return {name: dict(items) for name, items in self.rule_settings}

    def excluded(self, file: str) -> bool:
        rel = self._relative(file)
        return any(_glob(rel, p) for p in self.exclude)

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Drop unselected codes and apply severity overrides."""
        out = []
        for d in diagnostics:
            if not self.enabled(d.code, d.file):
                continue
            sev = self.severity_of(d.code, d.severity)
            out.append(d if sev is d.severity else d.with_severity(sev))
        return out

    def _relative(self, file: str) -> str:
        p = Path(file)
        if self.root and not file.startswith("<"):  # <stdin>: as given
            try:
                p = Path(os.path.abspath(file)).relative_to(os.path.abspath(self.root))
            except ValueError:
                p = Path(os.path.abspath(file))
        return PurePosixPath(*p.parts).as_posix() if p.parts else str(file)

    def merged(self, **overrides: Any) -> "Config":
        """This config with command-line values on top (None means "not given")."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **values)


@lru_cache(maxsize=4096)
def _selected(select: tuple, extend_select: tuple, ignore: tuple, code: str) -> bool:
    """select/extend-select minus ignore (cached: asked for every rule of every file; keyed on
    these tuples of text, not the Config, which holds rule settings that may be lists)."""
    return (_matches(code, select) or _matches(code, extend_select)) and not _matches(code, ignore)


def _matches(code: str, selectors: Iterable[str]) -> bool:
    for s in selectors:
        s = s.strip().upper()
        if s == "ALL" or code.upper().startswith(s):
            return True
    return False


def _glob(path: str, pattern: str) -> bool:
    """Whether ``path`` (relative to the configuration's folder, ``/``-separated) matches a
    ``per-file-ignores`` / ``exclude`` pattern, with gitignore semantics (as ruff's globs):
    a pattern without a ``/`` matches the file name at any depth; one with a ``/`` is anchored
    at the configuration's folder; ``*`` and ``?`` stop at ``/``; ``**`` is any number of
    folders, none included (``specs/**/*.yaml`` matches ``specs/c.yaml``); a folder
    (``legacy/``) matches every file below it; a leading ``!`` applies to the files the rest
    does not match. A file outside the configuration's folder is matched by its name only."""
    negate = pattern.startswith("!")
    if negate:
        pattern = pattern[1:]
    if path.startswith("/") or path.startswith("../") or ":" in path[:3]:  # outside the root
        path = path.rsplit("/", 1)[-1]
    return _spec(pattern).match_file(path) != negate


@lru_cache(maxsize=1024)
def _spec(pattern: str):
    # imported only when a configuration has per-file-ignores or exclude (start-up stays fast)
    from pathspec import GitIgnoreSpec  # lazy: pathspec only for a configuration with per-file-ignores or exclude

    return GitIgnoreSpec.from_lines([pattern])


def load_config(path: str | Path | None = None, *, search_from: str | Path | None = None) -> Config:
    """Read a config file (or find one); no file means the defaults."""
    p = Path(path) if path else find_config(search_from)
    if p is None:
        return Config()
    import tomllib  # lazy: tomllib only when there is a configuration file

    try:
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as e:
        raise ConfigError([_diag(str(p), f"cannot read configuration: {e.strerror or e}")]) from None
    except ValueError as e:  # TOMLDecodeError, UnicodeDecodeError, an integer over 4,300 digits
        raise ConfigError([_diag(str(p), f"invalid TOML in configuration: {e}", _toml_error_line(e))]) from None
    except RecursionError:
        raise ConfigError([_diag(str(p), "invalid TOML in configuration: nested too deeply")]) from None
    prefix: tuple = ()
    table = data
    tool = data.get("tool")
    if p.name == "pyproject.toml" or (isinstance(tool, dict) and "vibespec" in tool):
        table = tool.get("vibespec", {}) if isinstance(tool, dict) else {}
        prefix = ("tool", "vibespec")
    if not isinstance(table, dict):
        raise ConfigError([_diag(str(p), "[tool.vibespec] must be a table", _Where(text, str(p), ()).line(prefix))])
    return from_mapping(table, path=str(p), root=str(p.parent.resolve()), _where=_Where(text, str(p), prefix))


def _toml_error_line(e: Exception) -> int:
    import re  # lazy: only to locate a TOML error

    m = re.search(r"at line (\d+)", str(e))
    return int(m.group(1)) if m else 1


#: the longest glob in per-file-ignores / exclude: translating a glob to a regular expression
#: takes time quadratic in its '[' count (10,000 took 2.7 s, asked for every file)
MAX_GLOB = 500


def _check_glob(pattern: str, where: str, err, keys: tuple) -> None:
    if len(pattern) > MAX_GLOB:
        raise err(f"{where}: a glob is at most {MAX_GLOB} characters, got {len(pattern)}", keys)


class _Where:
    """Lines of keys in a configuration file's text (parsed again only for an error)."""

    def __init__(self, text: str | None, file: str, prefix: tuple = ()):
        self.text, self.file, self.prefix, self._doc = text, file, prefix, None

    def line(self, keys: tuple, key: bool = False) -> int:
        if self.text is None:
            return 1
        if self._doc is None:
            try:
                from .source import load  # lazy: the loader only to locate an error in the configuration

                self._doc = load(self.text, self.file, "toml")
            except Exception:  # noqa: BLE001 - a position is a courtesy
                self.text = None
                return 1
        return self._doc.locate(self.prefix + tuple(keys), key=key).line


def _diag(file: str, message: str, line: int = 1) -> Diagnostic:
    return codes.VB001.diagnostic(message, file, line, 1)


_KNOWN = {"select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "exclude", "limits", "rules",
          "read-paths", "send"}  # [tool.vibespec.send] is read by vibespec.send.settings

#: the largest value a limit takes (a byte count of a petabyte; anything more is a typo)
MAX_LIMIT = 10**15


def _codes(value: Any, where: str, err, keys: tuple) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err(f"{where} must be a list of rule codes", keys)
    from .rules import BY_CODE, BY_NAME  # lazy: the rule registry only when the configuration names codes

    out = []
    for i, v in enumerate(value):
        u = v.strip().upper()
        at = keys + (i,) if len(value) > 1 or keys[-1:] != (v,) else keys
        if not u:  # "" is a prefix of every code: it would select (or ignore) everything
            raise err(f"{where}: an empty rule selector {v!r} would match every rule; "
                      "write a code, a prefix (VB2) or ALL", at)
        if u == "ALL" or any(c.startswith(u) for c in BY_CODE):
            out.append(u)
        elif v.strip().lower() in BY_NAME:
            out.append(BY_NAME[v.strip().lower()].code)
        else:
            raise err(f"{where}: unknown rule code {v!r}", at)
    return tuple(out)


def _limits(lim: Any, err) -> Limits:
    names = sorted(f.name for f in fields(Limits))
    if not isinstance(lim, dict):
        raise err("limits takes positive integers for: " + ", ".join(names), ("limits",))
    values = {}
    for k, v in lim.items():
        if k not in names:
            raise err(f"limits: unknown limit {k!r} (known: {', '.join(names)})", ("limits", k), key=True)
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_LIMIT:
            got = f"{v!r}" if not isinstance(v, int) or len(str(v)) <= 30 else f"a {len(str(v))}-digit number"
            raise err(f"limits.{k} must be a whole number from 1 to {MAX_LIMIT:_}, not {got}", ("limits", k))
        values[k] = v
    return Limits(**values)


def from_mapping(table: dict, *, path: str | None = None, root: str | None = None, _where: _Where | None = None) -> Config:
    """A :class:`Config` from a ``[tool.vibespec]`` table. Errors raise :class:`ConfigError`
    with the file (``path``) and, when ``_where`` has the file's text, the line."""
    file = path or "<config>"
    where = _where or _Where(None, file)

    def err(message: str, keys: tuple = (), key: bool = False) -> ConfigError:
        return ConfigError([_diag(file, message, where.line(keys, key))])

    unknown = set(table) - _KNOWN - {k.replace("-", "_") for k in _KNOWN}
    if unknown:
        bad = sorted(unknown)[0]
        raise err(f"unknown [tool.vibespec] key {bad!r}", (bad,), key=True)

    def g(k: str) -> tuple[Any, str]:
        name = k if k in table else k.replace("-", "_")
        return table.get(name), name

    kw: dict[str, Any] = {"path": path, "root": root}
    for key, attr in (("select", "select"), ("extend-select", "extend_select"), ("ignore", "ignore")):
        v, name = g(key)
        if v is not None:
            kw[attr] = _codes(v, key, err, (name,))
    pfi, name = g("per-file-ignores")
    if pfi is not None:
        if not isinstance(pfi, dict):
            raise err("per-file-ignores must be a table of glob = [codes]", (name,))
        for k in pfi:
            _check_glob(k, "per-file-ignores", err, (name, k))
        kw["per_file_ignores"] = tuple((k, _codes(v, f"per-file-ignores[{k!r}]", err, (name, k))) for k, v in pfi.items())
    sev, name = g("severity")
    if sev is not None:
        if not isinstance(sev, dict):
            raise err("severity must be a table of code = \"error|warning|info\"", (name,))
        items = []
        for k, v in sev.items():
            codes = _codes(k, "severity", err, (name, k))
            try:
                items.append((codes[0], Severity.parse(v)))
            except ValueError as e:
                raise err(f"severity[{k!r}]: {e}", (name, k)) from None
        kw["severity"] = tuple(items)
    fo, name = g("fail-on")
    if fo is not None:
        try:
            kw["fail_on"] = Severity.parse(fo)
        except ValueError as e:
            raise err(f"fail-on: {e}", (name,)) from None
    ex, name = g("exclude")
    if ex is not None:
        if not isinstance(ex, list) or not all(isinstance(x, str) for x in ex):
            raise err("exclude must be a list of globs", (name,))
        for x in ex:
            _check_glob(x, "exclude", err, (name,))
        kw["exclude"] = tuple(ex)
    lim, name = g("limits")
    if lim is not None:
        kw["limits"] = _limits(lim, lambda m, keys, key=False: err(m, (name,) + tuple(keys[1:]), key))
    rp, name = g("read-paths")
    if rp is not None:
        if not isinstance(rp, list) or not all(isinstance(x, str) and x.strip() for x in rp):
            raise err("read-paths must be a list of folders (relative to the configuration file)", (name,))
        base = root or os.getcwd()
        kw["read_paths"] = tuple(os.path.realpath(os.path.join(base, os.path.expanduser(x))) for x in rp)
    rs, name = g("rules")
    if rs is not None:
        if not isinstance(rs, dict) or not all(isinstance(v, dict) for v in rs.values()):
            raise err("[tool.vibespec.rules.<name>] tables hold per-rule settings", (name,))
        kw["rule_settings"] = tuple((k, tuple(v.items())) for k, v in rs.items())
    return Config(**kw)
