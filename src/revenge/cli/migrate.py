"""`revenge migrate [up|down N|status]`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.infra.db import migrate
from revenge.infra.embedded_pg import EmbeddedPostgres

app = typer.Typer(help="Apply or revert schema migrations.", invoke_without_command=True)


@contextlib.contextmanager
def database_url(config: Path | None) -> Iterator[str]:
    """The configured database, or the embedded one started for the command's duration."""
    settings = settings_or_exit(config)
    if settings.database_url:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        yield embedded.start()
    finally:
        embedded.stop()


@app.callback()
def default(ctx: typer.Context, config: ConfigOption = None) -> None:
    """With no subcommand, apply all migrations."""
    if ctx.invoked_subcommand is None:
        up(config)


@app.command()
def up(config: ConfigOption = None) -> None:
    """Apply every pending migration."""
    with database_url(config) as url:
        migrate.upgrade(url)
        typer.echo(f"schema at {migrate.current_revision(url)}")


@app.command()
def down(
    steps: Annotated[int, typer.Argument(min=1, help="How many migrations to revert.")] = 1,
    config: ConfigOption = None,
) -> None:
    """Revert the last N migrations."""
    with database_url(config) as url:
        migrate.downgrade(url, f"-{steps}")
        typer.echo(f"schema at {migrate.current_revision(url) or 'base'}")


@app.command()
def status(config: ConfigOption = None) -> None:
    """List migrations and whether each is applied."""
    with database_url(config) as url:
        for revision, doc, applied in migrate.status(url):
            typer.echo(f"[{'x' if applied else ' '}] {revision}  {doc.strip()}")
