"""Send settings: ``[tool.vibespec.send]`` (or ``[send]`` in vibespec.toml) and the environment.

Keys: ``base-url``, ``receipts`` (folder, default ``.vibespec/receipts``), ``reports``
(folder for pulled report pages, default ``.vibespec/reports``), ``chunk-size``
(destinations per request, default 1000), ``concurrency`` (requests in flight, default 4),
``timeout`` (seconds, default 30), ``attempts`` (tries per request, default 6),
``backoff`` (first backoff in seconds, default 0.5), ``unknown-checks`` and
``unknown-wait`` (how often and how long apart the logs are asked after an unknown
outcome, default 3 and 10 s). Folders are relative to the configuration file's folder.

Credentials come from the environment only: ``INFOBIP_API_KEY`` (``Authorization: App
<key>``) or ``INFOBIP_TOKEN`` (``Authorization: Bearer <token>``); the base URL from
``INFOBIP_BASE_URL``, else ``base-url``."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..config import find_config
from .client import Client, ConfigurationError


class SettingsError(Exception):
    """A bad ``[tool.vibespec.send]`` value (the CLI exits 2)."""


@dataclass(frozen=True)
class SendSettings:
    base_url: str | None = None
    receipts: str = ".vibespec/receipts"
    reports: str = ".vibespec/reports"
    chunk_size: int = 1000
    concurrency: int = 4
    timeout: float = 30.0
    attempts: int = 6
    backoff: float = 0.5
    unknown_checks: int = 3
    unknown_wait: float = 10.0

    def merged(self, **over: Any) -> "SendSettings":
        return replace(self, **{k: v for k, v in over.items() if v is not None})


_INT = {"chunk_size": (1, 100_000), "concurrency": (1, 64), "attempts": (1, 100), "unknown_checks": (1, 100)}
_FLOAT = {"timeout": (0.001, 3600.0), "backoff": (0.0, 600.0), "unknown_wait": (0.0, 3600.0)}


def from_table(table: dict, root: str | None = None, file: str = "<config>") -> SendSettings:
    if not isinstance(table, dict):
        raise SettingsError(f"{file}: [tool.vibespec.send] must be a table")
    names = {f.name for f in fields(SendSettings)}
    kw: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in names:
            raise SettingsError(f"{file}: unknown [tool.vibespec.send] key {key!r} (known: "
                                + ", ".join(sorted(n.replace('_', '-') for n in names)) + ")")
        if name in _INT:
            lo, hi = _INT[name]
            if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
                raise SettingsError(f"{file}: send.{key} must be an integer from {lo} to {hi}")
        elif name in _FLOAT:
            lo, hi = _FLOAT[name]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not lo <= value <= hi:
                raise SettingsError(f"{file}: send.{key} must be a number from {lo:g} to {hi:g}")
            value = float(value)
        elif not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{file}: send.{key} must be a non-empty string")
        elif name in ("receipts", "reports") and root and not os.path.isabs(value):
            value = os.path.join(root, value)
        kw[name] = value
    return SendSettings(**kw)


def load(config_path: str | None = None, search_from: str | None = None) -> SendSettings:
    """Settings from the nearest configuration file (the one ``vibespec lint`` uses)."""

    p = Path(config_path) if config_path else find_config(search_from)
    if p is None:
        return SendSettings()

    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"{p}: cannot read configuration: {e}") from None
    table = data.get("tool", {}).get("vibespec", {}) if p.name == "pyproject.toml" else data
    if p.name != "pyproject.toml" and "vibespec" in data.get("tool", {}):
        table = data["tool"]["vibespec"]
    return from_table(table.get("send", {}), str(p.parent.resolve()), str(p))


def credentials(env: dict | None = None) -> tuple[str | None, str | None]:
    """``(api_key, token)`` from the environment."""
    env = os.environ if env is None else env
    key = (env.get("INFOBIP_API_KEY") or "").strip() or None
    token = (env.get("INFOBIP_TOKEN") or "").strip() or None
    return key, token


def base_url(settings: SendSettings, env: dict | None = None) -> str | None:
    env = os.environ if env is None else env
    return (env.get("INFOBIP_BASE_URL") or "").strip() or settings.base_url


def make_client(settings: SendSettings, env: dict | None = None):
    """A :class:`~vibespec.send.client.Client` from the environment and settings."""

    key, token = credentials(env)
    url = base_url(settings, env)
    if not url:
        raise ConfigurationError("no base URL: set INFOBIP_BASE_URL (your account's https://xxxxx.api.infobip.com) "
                                 "or base-url in [tool.vibespec.send]")
    if not (key or token):
        raise ConfigurationError("no credentials: set INFOBIP_API_KEY (or INFOBIP_TOKEN for a Bearer token)")
    return Client(url, key, token=token, timeout=settings.timeout)
