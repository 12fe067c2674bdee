"""The `revenge` command line."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from revenge.config import ConfigError, Settings, load_settings
from revenge.infra.jobs.registry import QUEUES

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Revenge media server.")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Config file (default: <data dir>/revenge.toml).")
]


def settings_or_exit(config: Path | None) -> Settings:
    """Load settings; a bad value stops with one line naming the key."""
    try:
        return load_settings(config)
    except ConfigError as exc:
        typer.echo(f"revenge: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="Do not run jobs here.")] = False,
) -> None:
    """Run the HTTP API (and by default a job worker) until SIGINT/SIGTERM."""
    from revenge.infra import heap, logs

    heap.tune_allocator()  # before anything starts a thread
    from revenge.app import create_app
    from revenge.streaming.direct import over_uvicorn

    settings = settings_or_exit(config)
    if host:
        settings.server.host = host
    if port:
        settings.server.port = port
    logs.configure(settings.server.log_json)
    sock = _listen_or_exit(settings.server.host, settings.server.port)
    where = (settings.database_url and "external PostgreSQL") or "embedded PostgreSQL"
    typer.echo(
        f"Revenge listening on http://{settings.server.host}:{settings.server.port} "
        f"(data: {settings.data_dir}, database: {where})"
    )
    # uvicorn re-raises the stop signal after its graceful shutdown; exiting 0 then tells
    # supervisors the stop was clean.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _exit_cleanly)
    app = heap.SettledOnStart(over_uvicorn(create_app(settings, run_worker=not no_worker)))
    server = _server(app, settings)
    server.run(sockets=[sock])
    if not server.started:
        raise typer.Exit(1)


def _server(app: Any, settings: Settings) -> Any:
    import uvicorn

    from revenge.infra.eager_http import eager_protocol
    from revenge.streaming import direct

    config = uvicorn.Config(
        app,
        # Said, not guessed: uvicorn takes an app whose `__call__` is no coroutine function
        # for ASGI2, and `heap.SettledOnStart` hands each request on without one of its own.
        interface="asgi3",
        http=eager_protocol(direct.eligible),
        host=settings.server.host,
        port=settings.server.port,
        log_config=None,
        timeout_keep_alive=settings.server.keepalive_seconds,
        # logs.configure silences uvicorn.access anyway; off, uvicorn skips building each line.
        access_log=False,
        timeout_graceful_shutdown=int(settings.jobs.grace_seconds) + 5,
        # uvicorn would otherwise take X-Forwarded-For/-Proto from any loopback peer (its
        # FORWARDED_ALLOW_IPS default), so a same-host tunnel could pick its own address.
        # The app reads forwarded headers itself, from `server.trusted_proxies` only.
        proxy_headers=False,
        forwarded_allow_ips=[],
    )
    return uvicorn.Server(config)


def _listen_or_exit(host: str, port: int) -> socket.socket:
    """Bind the listen socket before anything says "listening"; a taken port ends with one
    line saying so and which setting changes it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        why = {
            errno.EADDRINUSE: "the port is already in use (another Revenge or another program)",
            errno.EACCES: "ports below 1024 need extra privileges",
            errno.EADDRNOTAVAIL: "that address does not belong to this machine",
        }.get(exc.errno or 0, exc.strerror or str(exc))
        typer.echo(
            f"revenge: cannot listen on {host}:{port}: {why}. Choose another port with"
            " `revenge serve --port N`, REVENGE_SERVER__PORT=N or `port = N` under [server]"
            " in revenge.toml (the address: --host, REVENGE_SERVER__HOST).",
            err=True,
        )
        raise typer.Exit(1) from None
    return sock


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def worker(
    config: ConfigOption = None,
    queues: Annotated[
        str, typer.Option(help=f"Comma-separated queues to work: {','.join(QUEUES)}.")
    ] = ",".join(QUEUES),
) -> None:
    """Run job workers only (scale out on more machines)."""
    from revenge.infra import heap, logs

    heap.tune_allocator()
    settings = settings_or_exit(config)
    logs.configure(settings.server.log_json)
    chosen = tuple(q.strip() for q in queues.split(",") if q.strip())
    unknown = set(chosen) - set(QUEUES)
    if unknown:
        typer.echo(f"revenge: unknown queue(s): {', '.join(sorted(unknown))}", err=True)
        raise typer.Exit(2)
    asyncio.run(_run_worker(settings, chosen))


async def _run_worker(settings: Settings, queues: tuple[str, ...]) -> None:
    from revenge.infra.jobs.worker import Worker
    from revenge.runtime import Runtime

    runtime = await Runtime.create(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    from revenge.events.runner import start_events

    stop_events = await start_events(runtime, live=False)
    worker = Worker(runtime, queues)
    await worker.start()
    typer.echo(f"Revenge worker running queues: {', '.join(queues)}")
    try:
        await stop.wait()
    finally:
        await worker.stop()
        await stop_events()
        await runtime.close()


_registered = False


def register_commands() -> typer.Typer:
    """Attach the commands that live in their own modules (once); returns the app."""
    global _registered
    if not _registered:
        from revenge.cli import backup as backup_cli
        from revenge.cli import doctor as doctor_cli
        from revenge.cli import keys as keys_cli
        from revenge.cli import migrate as migrate_cli
        from revenge.cli import search as search_cli
        from revenge.cli import user as user_cli

        app.add_typer(migrate_cli.app, name="migrate")
        app.add_typer(user_cli.app, name="user")
        app.add_typer(keys_cli.app, name="keys")
        app.add_typer(search_cli.app, name="search")
        app.command()(doctor_cli.doctor)
        app.command()(backup_cli.backup)
        app.command()(backup_cli.restore)
        _registered = True
    return app


def main() -> None:
    register_commands()
    app(prog_name="revenge")


if __name__ == "__main__":
    main()
