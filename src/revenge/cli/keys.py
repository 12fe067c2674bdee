"""`revenge keys rotate|status`: master-key rotation for stored secrets."""

from __future__ import annotations

import asyncio

import typer

from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.config import Settings

app = typer.Typer(help="Manage the master key that seals stored secrets.")


async def _with_runtime_db(settings: Settings, rotate: bool) -> None:
    from revenge.infra import secret_rotation
    from revenge.infra.db.engine import Database
    from revenge.infra.embedded_pg import EmbeddedPostgres
    from revenge.infra.secrets import SecretBox

    embedded = None
    url = settings.database_url
    if url is None:
        embedded = EmbeddedPostgres(settings.data_dir)
        url = await asyncio.to_thread(embedded.start)
    db = Database(url, settings.database)
    box = SecretBox.from_config(settings.secret_keys, settings.key_file)
    try:
        if rotate:
            new_id, counts, retired = await secret_rotation.rotate(db, box)
            typer.echo(f"primary key is now {new_id}")
            for name, count in counts.items():
                typer.echo(f"  re-sealed {count} value(s) in {name}")
            if retired:
                typer.echo(f"retired key(s): {', '.join(retired)}")
            elif not box.file_backed and len(settings.secret_keys) > 1:
                typer.echo("all values use the first configured key; remove the others now")
        else:
            typer.echo(f"primary key: {box.key_id} ({'file' if box.file_backed else 'config'})")
            typer.echo(f"known keys: {', '.join(box.key_ids)}")
    finally:
        await db.dispose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


@app.command()
def rotate(config: ConfigOption = None) -> None:
    """Make a new master key and re-seal every stored secret under it (no downtime)."""
    asyncio.run(_with_runtime_db(settings_or_exit(config), rotate=True))


@app.command()
def status(config: ConfigOption = None) -> None:
    """Show which master keys are known and which one seals new values."""
    asyncio.run(_with_runtime_db(settings_or_exit(config), rotate=False))
