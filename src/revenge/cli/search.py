"""`revenge search rebuild`."""

from __future__ import annotations

import asyncio
import time

import typer

from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.config import Settings

app = typer.Typer(help="Search index maintenance.", no_args_is_help=True)


async def _rebuild(settings: Settings) -> int:
    from revenge.runtime import Runtime
    from revenge.search.service import search_index

    runtime = await Runtime.create(settings)
    try:
        async with runtime.db.transaction() as session:
            return await search_index(runtime).rebuild(session)
    finally:
        await runtime.close()


@app.command()
def rebuild(config: ConfigOption = None) -> None:
    """Rebuild the whole search index from the catalogue, now, in this process."""
    settings = settings_or_exit(config)
    started = time.perf_counter()
    written = asyncio.run(_rebuild(settings))
    typer.echo(f"Indexed {written} items in {time.perf_counter() - started:.1f} s.")
