"""Configuration: ``[tool.vibespec]`` in pyproject.toml or a ``vibespec.toml``.

Keys (ruff's vocabulary): ``select``, ``extend-select``, ``ignore``, ``per-file-ignores``
(glob -> codes), ``severity`` (code -> error|warning|info), ``fail-on``, ``exclude`` (globs),
``[tool.vibespec.limits]`` (see :class:`vibespec.source.nodes.Limits`) and
``[tool.vibespec.rules.<rule-name>]`` per-rule settings. Codes may be prefixes (``VB2``)
or ``ALL``. The command line wins over files."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from .diagnostics import Diagnostic, Severity, VibespecError
from .source.nodes import Limits

CONFIG_FILES = ("vibespec.toml", "pyproject.toml")


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
        if self.root and p.is_absolute():
            try:
                p = p.relative_to(self.root)
            except ValueError:
                pass
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
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern) or \
        PurePosixPath(path).match(pattern)


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest vibespec.toml, or pyproject.toml with a [tool.vibespec] table, from
    ``start`` (a folder) upward."""
    import tomllib

    cur = Path(start or Path.cwd()).resolve()
    if cur.is_file():
        cur = cur.parent
    for folder in (cur, *cur.parents):
        v = folder / "vibespec.toml"
        if v.is_file():
            return v
        p = folder / "pyproject.toml"
        if p.is_file():
            try:
                text = p.read_text(encoding="utf-8")
                # no [tool.vibespec] without the word (or an escape spelling it): skip parsing
                if "vibespec" not in text and "\\u" not in text and "\\U" not in text:
                    continue
                if "vibespec" in tomllib.loads(text).get("tool", {}):
                    return p
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
    return None


def load_config(path: str | Path | None = None, *, search_from: str | Path | None = None) -> Config:
    """Read a config file (or find one); no file means the defaults."""
    p = Path(path) if path else find_config(search_from)
    if p is None:
        return Config()
    import tomllib

    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError([_diag(str(p), f"cannot read configuration: {e.strerror or e}")]) from None
    except ValueError as e:  # TOMLDecodeError, UnicodeDecodeError, an integer over 4,300 digits
        raise ConfigError([_diag(str(p), f"invalid TOML in configuration: {e}")]) from None
    except RecursionError:
        raise ConfigError([_diag(str(p), "invalid TOML in configuration: nested too deeply")]) from None
    tool = data.get("tool")
    if p.name == "pyproject.toml":
        table = tool.get("vibespec", {}) if isinstance(tool, dict) else {}
    else:
        table = tool["vibespec"] if isinstance(tool, dict) and "vibespec" in tool else data
    if not isinstance(table, dict):
        raise ConfigError([_diag(str(p), "[tool.vibespec] must be a table")])
    return from_mapping(table, path=str(p), root=str(p.parent.resolve()))


#: the longest glob in per-file-ignores / exclude: translating a glob to a regular expression
#: takes time quadratic in its '[' count (10,000 took 2.7 s, asked for every file)
MAX_GLOB = 500


def _check_glob(pattern: str, where: str, file: str) -> None:
    if len(pattern) > MAX_GLOB:
        raise ConfigError([_diag(file, f"{where}: a glob is at most {MAX_GLOB} characters, got {len(pattern)}")])


def _diag(file: str, message: str) -> Diagnostic:
    return Diagnostic("VB001", Severity.ERROR, message, file, 1, 1)


_KNOWN = {"select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "exclude", "limits", "rules"}


def _codes(value: Any, where: str, file: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError([_diag(file, f"{where} must be a list of rule codes")])
    from .rules import BY_CODE, BY_NAME

    out = []
    for v in value:
        u = v.strip().upper()
        if u == "ALL" or any(c.startswith(u) for c in BY_CODE):
            out.append(u)
        elif v.strip().lower() in BY_NAME:
            out.append(BY_NAME[v.strip().lower()].code)
        else:
            raise ConfigError([_diag(file, f"{where}: unknown rule code {v!r}")])
    return tuple(out)


def from_mapping(table: dict, *, path: str | None = None, root: str | None = None) -> Config:
    file = path or "<config>"
    unknown = set(table) - _KNOWN - {k.replace("-", "_") for k in _KNOWN}
    if unknown:
        raise ConfigError([_diag(file, f"unknown [tool.vibespec] key {sorted(unknown)[0]!r}")])
    g = lambda k: table.get(k, table.get(k.replace("-", "_")))  # noqa: E731
    kw: dict[str, Any] = {"path": path, "root": root}
    if g("select") is not None:
        kw["select"] = _codes(g("select"), "select", file)
    if g("extend-select") is not None:
        kw["extend_select"] = _codes(g("extend-select"), "extend-select", file)
    if g("ignore") is not None:
        kw["ignore"] = _codes(g("ignore"), "ignore", file)
    if g("per-file-ignores") is not None:
        pfi = g("per-file-ignores")
        if not isinstance(pfi, dict):
            raise ConfigError([_diag(file, "per-file-ignores must be a table of glob = [codes]")])
        for k in pfi:
            _check_glob(k, "per-file-ignores", file)
        kw["per_file_ignores"] = tuple((k, _codes(v, f"per-file-ignores[{k!r}]", file)) for k, v in pfi.items())
    if g("severity") is not None:
        sev = g("severity")
        if not isinstance(sev, dict):
            raise ConfigError([_diag(file, "severity must be a table of code = \"error|warning|info\"")])
        items = []
        for k, v in sev.items():
            codes = _codes(k, "severity", file)
            try:
                items.append((codes[0], Severity.parse(v)))
            except ValueError as e:
                raise ConfigError([_diag(file, f"severity[{k!r}]: {e}")]) from None
        kw["severity"] = tuple(items)
    if g("fail-on") is not None:
        try:
            kw["fail_on"] = Severity.parse(g("fail-on"))
        except ValueError as e:
            raise ConfigError([_diag(file, f"fail-on: {e}")]) from None
    if g("exclude") is not None:
        ex = g("exclude")
        if not isinstance(ex, list) or not all(isinstance(x, str) for x in ex):
            raise ConfigError([_diag(file, "exclude must be a list of globs")])
        for x in ex:
            _check_glob(x, "exclude", file)
        kw["exclude"] = tuple(ex)
    if g("limits") is not None:
        lim = g("limits")
        names = {f.name for f in fields(Limits)}
        if not isinstance(lim, dict) or set(lim) - names or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in lim.values()):
            raise ConfigError([_diag(file, "limits takes positive integers for: " + ", ".join(sorted(names)))])
        kw["limits"] = Limits(**lim)
    if g("rules") is not None:
        rs = g("rules")
        if not isinstance(rs, dict) or not all(isinstance(v, dict) for v in rs.values()):
            raise ConfigError([_diag(file, "[tool.vibespec.rules.<name>] tables hold per-rule settings")])
        kw["rule_settings"] = tuple((k, tuple(v.items())) for k, v in rs.items())
    return Config(**kw)
