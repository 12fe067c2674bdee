"""`revenge doctor` checks of the running system: the listen port, metadata providers and
library folders. Each is bounded by short timeouts, like the other checks."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import httpx
import psycopg

from revenge.config import Settings
from revenge.infra.db.engine import libpq_url
from revenge.system.doctor import Check

PORT_FIX = (
    "Stop the program holding it, or give Revenge another port: `revenge serve --port N`,"
    " REVENGE_SERVER__PORT=N, or `port = N` under [server] in revenge.toml."
)
_TIMEOUT = 3.0
# Providers that need an API key an administrator stores (PUT /api/v1/admin/credentials/...).
_KEYED = ("tmdb", "tvdb")


def _probe_host(host: str) -> str:
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


def check_port(settings: Settings) -> Check:
    """Whether the configured port is free, served by Revenge, or taken by something else."""
    host, port = _probe_host(settings.server.host), settings.server.port
    try:
        with socket.create_connection((host, port), timeout=1.0):
            pass
    except OSError:
        return Check("listen port", "ok", f"{port} on {settings.server.host} is free")
    base = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    try:
        info = httpx.get(f"{base}/api/v1/system/info", timeout=_TIMEOUT).json()
        version = info["version"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return Check(
            "listen port", "fail", f"{port} on {settings.server.host} is in use by another"
            " program: `revenge serve` cannot start", PORT_FIX,
        )  # fmt: skip
    return Check("listen port", "ok", f"in use by Revenge {version} at {base} (running)")


def _stored_keys(database_url: str) -> set[str] | None:
    try:
        with psycopg.connect(libpq_url(database_url), connect_timeout=5) as conn:
            rows = conn.execute("SELECT service FROM provider_credentials").fetchall()
    except psycopg.Error:
        return None  # no schema yet: the database checks already say so
    return {r[0] for r in rows}


def _used_providers(settings: Settings) -> list[str]:
    m = settings.metadata
    chosen = [*m.movie_providers, *m.tv_providers, *m.music_providers, *m.audiobook_providers]
    return list(dict.fromkeys(chosen))


def _base_url(settings: Settings, provider: str) -> str | None:
    url = getattr(settings.metadata, f"{provider}_base_url", None)
    return url if isinstance(url, str) else None


def check_providers(settings: Settings, database_url: str | None) -> list[Check]:
    """Each metadata provider in use: a key stored where one is needed, and reachable."""
    stored = _stored_keys(database_url) if database_url else None
    checks = []
    for provider in _used_providers(settings):
        name = f"provider {provider}"
        if provider in _KEYED and stored is not None and provider not in stored:
            fix = f'Store a key: PUT /api/v1/admin/credentials/{provider} {{"value": ...}}.'
            checks.append(Check(name, "warn", "no API key stored: items stay unmatched", fix))
            continue
        url = _base_url(settings, provider)
        if url is None:
            continue
        try:
            # Any HTTP answer (even 401 without a key) shows the service is reachable.
            httpx.get(url, timeout=_TIMEOUT)
        except httpx.HTTPError as exc:
            fix = (
                f"Check this server's network access (DNS, proxy, firewall) to {url}, or"
                f" the metadata.{provider}_base_url setting."
            )
            reason = str(exc) or type(exc).__name__
            checks.append(Check(name, "warn", f"unreachable: {reason}", fix))
            continue
        checks.append(Check(name, "ok", f"reachable at {url}"))
    return checks


def _folders(database_url: str) -> list[tuple[str, str]] | None:
    try:
        with psycopg.connect(libpq_url(database_url), connect_timeout=5) as conn:
            rows = conn.execute(
                "SELECT l.name, p.path FROM libraries l JOIN library_paths p"
                " ON p.library_id = l.id WHERE l.enabled ORDER BY l.name, p.path"
            ).fetchall()
    except psycopg.Error:
        return None
    return [(r[0], r[1]) for r in rows]


def _folder_problem(path: Path) -> str | None:
    if not path.is_dir():
        return "is missing (an unmounted disk or a moved folder?)"
    if not os.access(path, os.R_OK | os.X_OK):
        return "is not readable by the user running Revenge"
    if not any(path.iterdir()):
        return "is empty (an unmounted disk?)"
    return None


def check_library_folders(database_url: str | None) -> list[Check]:
    """Every enabled library folder exists, is readable and holds something."""
    found = _folders(database_url) if database_url else None
    if found is None:
        return []
    if not found:
        return [Check("library folders", "info", "no libraries yet")]
    problems = []
    for library, folder in found:
        problem = _folder_problem(Path(folder))
        if problem is not None:
            fix = "Mount or restore it, fix its permissions, or change the library's folders."
            problems.append(Check("library folders", "warn", f"{library}: {folder} {problem}", fix))
    return problems or [Check("library folders", "ok", f"{len(found)} folder(s) readable")]
