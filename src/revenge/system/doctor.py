"""`revenge doctor` checks: what is configured, what is reachable, what is missing, and the fix.

Every check is synchronous and bounded by short timeouts, so the command answers in seconds
even when a service is down.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

import psycopg

from revenge.config import Settings
from revenge.infra.db import migrate
from revenge.infra.db.engine import libpq_url

Status = Literal["ok", "info", "warn", "fail"]

MIN_SERVER_VERSION = 150000
LOW_DISK_BYTES = 2 * 1024**3
CRITICAL_DISK_BYTES = 200 * 1024**2
JOB_QUEUE_TABLES = ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules")


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str | None = None


def secret_key_path(settings: Settings) -> Path:
    return settings.secret_key_file or settings.data_dir / "secret.key"


def check_configuration(settings: Settings) -> list[Check]:
    """What this process would use: no connections made."""
    database = (
        f"external PostgreSQL at {_where(settings.database_url)}"
        if settings.database_url
        else f"embedded PostgreSQL in {settings.data_dir / 'pg'}"
    )
    redis = (
        "Redis (REVENGE_REDIS_URL)"
        if settings.redis_url
        else "not configured: in-process cache only (fine for a single node)"
    )
    return [
        Check("data directory", "info", str(settings.data_dir)),
        Check("database", "info", database),
        Check("cache", "info", redis),
        Check("listen", "info", f"http://{settings.server.host}:{settings.server.port}"),
    ]


def _where(url: str) -> str:
    """Host, port and database of a URL, never its password."""
    parts = urlsplit(url)
    host = parts.hostname or dict(parse_qsl(parts.query)).get("host", "local socket")
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"


def check_data_dir(data_dir: Path) -> Check:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check(
            "data directory writable",
            "fail",
            f"{data_dir}: {exc.strerror or exc}",
            "Create it and give the user running Revenge write access, or set"
            " REVENGE_DATA_DIR to a writable directory.",
        )
    return Check("data directory writable", "ok", str(data_dir))


def check_disk_space(data_dir: Path) -> Check:
    existing = next((p for p in (data_dir, *data_dir.parents) if p.exists()), Path("/"))
    free = shutil.disk_usage(existing).free
    detail = f"{free / 1024**3:.1f} GiB free on the data directory's disk"
    fix = "Free up space, or move REVENGE_DATA_DIR to a larger disk."
    if free < CRITICAL_DISK_BYTES:
        return Check("free disk space", "fail", detail, fix)
    if free < LOW_DISK_BYTES:
        return Check("free disk space", "warn", detail, fix)
    return Check("free disk space", "ok", detail)


def check_secret_key(settings: Settings) -> Check:
    path = secret_key_path(settings)
    if not path.is_file():
        return Check(
            "secret key file",
            "warn",
            f"missing: {path}",
            "If this server stored secrets before (provider keys, OIDC), restore this file from"
            " your backup: they cannot be read without it. Otherwise it is created when first"
            " needed.",
        )
    if path.stat().st_mode & 0o077:
        return Check(
            "secret key file", "warn", f"{path} is readable by others", f"chmod 600 {path}"
        )
    return Check("secret key file", "ok", str(path))


def check_pyav() -> Check:
    try:
        import av
    except ImportError as exc:
        return Check(
            "media probing (PyAV)",
            "fail",
            f"cannot import av: {exc}",
            "pip install av (its wheels include FFmpeg; no system ffprobe is needed).",
        )
    return Check("media probing (PyAV)", "ok", f"av {av.__version__}")


def check_redis(url: str | None) -> Check:
    if url is None:
        return Check("redis", "info", "not configured")
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        version = client.info("server").get("redis_version", "?")
    except (redis.RedisError, OSError) as exc:
        return Check(
            "redis",
            "fail",
            f"unreachable: {exc}",
            "Start Redis (or Valkey/Dragonfly) or fix REVENGE_REDIS_URL; without it the"
            " server runs but every node falls back to the database.",
        )
    finally:
        client.close()
    return Check("redis", "ok", f"reachable, version {version}")


def check_provider_breakers(settings: Settings) -> Check:
    """Metadata providers taken as down by their circuit breaker (shared through Redis)."""
    name = "metadata providers"
    if settings.redis_url is None:
        return Check(name, "info", "breakers are kept per process without Redis; not shown here")
    import redis

    from revenge.metadata.breaker import read_breakers

    try:
        states = read_breakers(settings.redis_url, settings.cache.redis_prefix)
    except (redis.RedisError, OSError):
        return Check(name, "info", "breaker state unreadable: Redis is unreachable")
    down = [s for s in states if s.state != "closed"]
    if not down:
        return Check(name, "ok", "none taken as down")
    detail = "; ".join(
        f"{s.provider} {s.state} after {s.failures} failed calls in a row"
        + (f", {s.seconds_left:.0f}s left" if s.seconds_left > 0 else "")
        for s in down
    )
    return Check(
        name,
        "warn",
        detail,
        "Check the provider's status page and this server's network access to it (the"
        " metadata.*_base_url settings). Calls resume by themselves after the cool-down;"
        " items left unfetched are retried.",
    )


def check_database(url: str) -> list[Check]:
    """Reachable, recent enough, migrations current, job queue installed."""
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=5, autocommit=True) as conn:
            version = conn.info.server_version
            present = {
                t
                for t in JOB_QUEUE_TABLES
                if conn.execute("SELECT to_regclass(%s)", (t,)).fetchone() != (None,)
            }
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [
            Check(
                "database reachable",
                "fail",
                reason,
                "Check REVENGE_DATABASE_URL (host, port, user, password, database name) and"
                " that PostgreSQL 15+ is running and accepts connections from this host.",
            )
        ]
    shown = f"PostgreSQL {version // 10000}.{version % 10000}"
    checks = [Check("database reachable", "ok", shown)]
    if version < MIN_SERVER_VERSION:
        checks.append(Check("database version", "fail", shown, "Upgrade to PostgreSQL 15+."))
    checks.append(_check_migrations(url))
    missing = [t for t in JOB_QUEUE_TABLES if t not in present]
    if missing:
        checks.append(
            Check(
                "job queue schema",
                "fail",
                f"missing: {', '.join(missing)}",
                "Run `revenge migrate`.",
            )
        )
    else:
        checks.append(Check("job queue schema", "ok", "installed"))
    return checks


def _check_migrations(url: str) -> Check:
    current = migrate.current_revision(url)
    head = migrate.head_revision()
    if current == head:
        return Check("schema migrations", "ok", f"at {head}")
    if current is None or current in migrate.revisions_before(head):
        return Check(
            "schema migrations",
            "fail",
            f"at {current or 'nothing'}, this version needs {head}",
            "Run `revenge migrate` (or start `revenge serve`, which migrates on start).",
        )
    return Check(
        "schema migrations",
        "fail",
        f"at {current}, unknown to this version (newest known: {head})",
        "The database was migrated by a newer Revenge: upgrade Revenge, or restore a backup.",
    )


def run_all(settings: Settings, database_url: str | None) -> list[Check]:
    """Every check; `database_url` is None when there is no database to look at yet."""
    steps: list[Callable[[], list[Check] | Check]] = [
        lambda: check_configuration(settings),
        lambda: check_data_dir(settings.data_dir),
        lambda: check_disk_space(settings.data_dir),
        lambda: check_secret_key(settings),
    ]
    if database_url is not None:
        steps.append(lambda: check_database(database_url))
    else:
        steps.append(
            lambda: Check(
                "database",
                "info",
                "the embedded PostgreSQL has not been created yet",
                "Start `revenge serve` once; it creates and migrates it.",
            )
        )
    steps += [
        lambda: check_redis(settings.redis_url),
        lambda: check_provider_breakers(settings),
        check_pyav,
    ]
    found: list[Check] = []
    for step in steps:
        result = step()
        found.extend(result if isinstance(result, list) else [result])
    return found
