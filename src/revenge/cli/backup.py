"""`revenge backup` and `revenge restore`: database and data directory in one archive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from revenge.cli.doctor import existing_database
from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.infra import backup as archive
from revenge.infra.db import migrate
from revenge.infra.embedded_pg import EmbeddedPostgres


def backup(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Archive to write (default: <data dir>/backups/)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write the database and the data directory to one .tar.gz archive."""
    settings = settings_or_exit(config)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = output or settings.data_dir / "backups" / f"revenge-{stamp}.tar.gz"
    with existing_database(settings) as url:
        if url is None:
            typer.echo("revenge: nothing to back up: the database has not been created", err=True)
            raise typer.Exit(1)
        try:
            manifest = archive.backup(url, settings.data_dir, target)
        except archive.BackupError as exc:
            typer.echo(f"revenge: backup failed: {exc}", err=True)
            raise typer.Exit(1) from None
    size = target.stat().st_size / 1024**2
    typer.echo(f"backup written: {target} ({size:.1f} MiB, schema {manifest['schema']})")


def restore(
    source: Annotated[Path, typer.Argument(help="Archive written by `revenge backup`.")],
    config: ConfigOption = None,
) -> None:
    """Restore an archive into an empty database and the data directory."""
    settings = settings_or_exit(config)
    embedded = None
    url = settings.database_url
    try:
        archive.read_manifest(source)
        if url is None:
            embedded = EmbeddedPostgres(settings.data_dir)
            url = embedded.start()
        done = archive.restore(source, url, settings.data_dir)
    except archive.BackupError as exc:
        typer.echo(f"revenge: restore failed: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        if embedded is not None:
            embedded.stop()
    typer.echo(f"restored {source}: schema {done.schema}, {done.files} data file(s)")
    if done.schema != migrate.head_revision():
        typer.echo("the schema is older than this version: run `revenge migrate` next")
