"""`revenge doctor`: print what is configured, reachable and missing, with the fix for each."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer

from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.config import Settings
from revenge.infra.embedded_pg import EmbeddedPostgres
from revenge.system.doctor import Check, run_all
from revenge.system.doctor_live import check_library_folders, check_port, check_providers

_LABELS = {"ok": " ok ", "info": "info", "warn": "warn", "fail": "FAIL"}


@contextlib.contextmanager
def existing_database(settings: Settings) -> Iterator[str | None]:
    """The configured database, the embedded one if it exists (started meanwhile), or None."""
    if settings.database_url:
        yield settings.database_url
        return
    if not (settings.data_dir / "pg" / "PG_VERSION").exists():
        yield None
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        url = embedded.start()
    except Exception as exc:
        log_file = settings.data_dir / "pg" / "log"
        raise typer.BadParameter(
            f"the embedded PostgreSQL did not start ({exc}); see {log_file}"
        ) from None
    try:
        yield url
    finally:
        embedded.stop()


def _print(check: Check) -> None:
    typer.echo(f"  [{_LABELS[check.status]}] {check.name:<26} {check.detail}")
    if check.fix and check.status != "ok":
        typer.echo(f"         {'':<26} fix: {check.fix}")


def doctor(config: ConfigOption = None) -> None:
    """Check configuration, database, job queue, Redis, disk and media tools."""
    settings = settings_or_exit(config)
    typer.echo("Revenge doctor")
    with existing_database(settings) as url:
        checks = run_all(settings, url)
        checks += check_library_folders(url)
        checks += check_providers(settings, url)
    checks.append(check_port(settings))
    for check in checks:
        _print(check)
    failed = [c for c in checks if c.status == "fail"]
    warned = [c for c in checks if c.status == "warn"]
    if failed:
        typer.echo(f"{len(failed)} problem(s) to fix, {len(warned)} warning(s).")
        raise typer.Exit(1)
    typer.echo(f"Ready to serve ({len(warned)} warning(s)).")
