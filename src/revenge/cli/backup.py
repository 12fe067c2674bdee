"""`revenge backup` and `revenge restore`: database and data directory in one archive."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from revenge.cli import stored_files
from revenge.cli.doctor import existing_database
from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.infra import backup as archive
from revenge.infra.db import migrate
from revenge.infra.embedded_pg import EmbeddedPostgres
from revenge.infra.storage import open_storage


def backup(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Archive to write (default: backups/ in the file storage)."
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write the database, the data directory and stored files to one .tar.gz archive."""
    settings = settings_or_exit(config)
    storage = open_storage(settings.storage, settings.data_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    key = f"backups/revenge-{stamp}.tar.gz"
    with (
        existing_database(settings) as url,
        tempfile.TemporaryDirectory(prefix="revenge-backup-files-") as scratch,
    ):
        if url is None:
            typer.echo("revenge: nothing to back up: the database has not been created", err=True)
            raise typer.Exit(1)
        target = output or storage.local_path(key) or Path(scratch) / Path(key).name
        try:
            stored = stored_files.folders_to_archive(storage, settings.data_dir, Path(scratch))
            manifest = archive.backup(url, settings.data_dir, target, stored)
        except archive.BackupError as exc:
            typer.echo(f"revenge: backup failed: {exc}", err=True)
            raise typer.Exit(1) from None
        size = target.stat().st_size / 1024**2
        where = str(target)
        if output is None and storage.local_path(key) is None:
            stored_files.upload_archive(storage, key, target)
            where = f"{key} in {storage.describe()}"
    typer.echo(f"backup written: {where} ({size:.1f} MiB, schema {manifest['schema']})")


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
        storage = open_storage(settings.storage, settings.data_dir)
        stored_files.move_restored_into_storage(storage, settings.data_dir)
    except archive.BackupError as exc:
        typer.echo(f"revenge: restore failed: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        if embedded is not None:
            embedded.stop()
    typer.echo(f"restored {source}: schema {done.schema}, {done.files} data file(s)")
    if done.schema != migrate.head_revision():
        typer.echo("the schema is older than this version: run `revenge migrate` next")
