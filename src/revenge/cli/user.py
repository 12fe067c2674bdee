"""`revenge user create|list`: manage accounts from the shell."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from revenge.accounts.service import NewUser
from revenge.cli.main import ConfigOption, settings_or_exit
from revenge.config import Settings
from revenge.errors import AppError

app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="The new account's username.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="REVENGE_NEW_USER_PASSWORD",
            help="Prompted for when not given (or REVENGE_NEW_USER_PASSWORD).",
        ),
    ],
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
    email: Annotated[str | None, typer.Option(help="Email address.")] = None,
    config: ConfigOption = None,
) -> None:
    """Create a user (with --admin, an administrator; works before first-run setup too)."""
    settings = settings_or_exit(config)
    new = NewUser(
        username=username, password=password, role="admin" if admin else "user", email=email
    )
    try:
        user_id = asyncio.run(_create(settings, new))
    except AppError as exc:
        typer.echo(f"revenge: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {'administrator' if admin else 'user'} {username} ({user_id})")


@app.command("list")
def list_users(config: ConfigOption = None) -> None:
    """List every account: username, role, state."""
    settings = settings_or_exit(config)
    for line in asyncio.run(_list(settings)):
        typer.echo(line)


async def _create(settings: Settings, new: NewUser) -> str:
    from revenge.runtime import Runtime

    runtime = await Runtime.create(settings)
    try:
        async with runtime.db.transaction() as session:
            user = await runtime.accounts.users.create(session, new)
            return str(user.id)
    finally:
        await runtime.close()


async def _list(settings: Settings) -> list[str]:
    from revenge.runtime import Runtime

    runtime = await Runtime.create(settings)
    try:
        async with runtime.db.transaction() as session:
            users, _ = await runtime.accounts.users.list_users(session, 10_000, 0)
        return [
            f"{u.username}\t{u.role}\t{'disabled' if u.disabled else 'enabled'}\t{u.id}"
            for u in users
        ]
    finally:
        await runtime.close()
