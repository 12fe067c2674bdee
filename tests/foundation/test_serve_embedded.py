"""`revenge serve` on the embedded default: comes up ready, keeps its data across restarts."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import psycopg

from revenge.testing.processes import revenge_env, start_revenge, wait_for
from revenge.testing.services import free_port


def _get(port: int, path: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
            return resp.status, json.loads(resp.read())
    except OSError:
        return 0, {}


def _serve(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = revenge_env(REVENGE_DATA_DIR=str(data_dir))
    env.pop("REVENGE_DATABASE_URL", None)
    env.pop("REVENGE_REDIS_URL", None)
    proc = start_revenge(["serve", "--port", str(port)], env, log)
    wait_for(lambda: _get(port, "/health/ready")[0] == 200, 60, "server to be ready")
    return proc, port


def _embedded_url(data_dir: Path) -> str:
    return f"postgresql://postgres@/postgres?host={data_dir / 'pg'}"


def test_serve_starts_embedded_and_reuses_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    proc, port = _serve(data_dir, tmp_path / "serve1.log")
    try:
        status, info = _get(port, "/api/v1/system/info")
        assert status == 200 and info["setup_pending"] is True
        with psycopg.connect(_embedded_url(data_dir), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO server_settings (key, value) VALUES ('server.name', '\"Den\"')"
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    log = (tmp_path / "serve1.log").read_text()
    assert f"listening on http://127.0.0.1:{port}" in log and str(data_dir) in log

    proc, port = _serve(data_dir, tmp_path / "serve2.log")
    try:
        with psycopg.connect(_embedded_url(data_dir)) as conn:
            row = conn.execute("SELECT value FROM server_settings WHERE key = 'server.name'")
            assert row.fetchone() == ("Den",)
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    # The embedded PostgreSQL stopped with the server.
    assert not (data_dir / "pg" / "postmaster.pid").exists()


def test_serve_on_a_taken_port_says_so_and_names_the_setting(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen(1)
        env = revenge_env(REVENGE_DATA_DIR=str(tmp_path / "data"))
        env.pop("REVENGE_REDIS_URL", None)
        log = tmp_path / "serve.log"
        proc = start_revenge(["serve", "--port", str(port)], env, log)
        assert proc.wait(timeout=60) == 1
    out = log.read_text()
    assert f"cannot listen on 127.0.0.1:{port}" in out and "already in use" in out
    assert "REVENGE_SERVER__PORT" in out and "--port" in out
    assert "listening" not in out and "Errno" not in out and "Traceback" not in out
    # Nothing was started on the way to that answer.
    assert not (tmp_path / "data" / "pg").exists()
