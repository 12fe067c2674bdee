"""`revenge doctor`, and `revenge backup` / `revenge restore` round trips."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import socket
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from revenge.cli.main import register_commands
from revenge.infra.db import migrate
from revenge.infra.storage import open_storage
from tests.support.object_storage import s3_server
from tests.support.services import free_port, fresh_database

runner = CliRunner()


def revenge(args: list[str], **env: str) -> tuple[int, str]:
    # A free port and unreachable providers unless a test says otherwise: the machine's own
    # port 8096 or Internet access must not decide a test.
    nowhere = f"http://127.0.0.1:{free_port()}"
    defaults = {
        "REVENGE_REDIS_URL": "", "REVENGE_SERVER__PORT": str(free_port()),
        **{f"REVENGE_METADATA__{p}_BASE_URL": nowhere for p in ("TMDB", "TVDB", "MUSICBRAINZ")},
    }  # fmt: skip
    result = runner.invoke(register_commands(), args, env={**defaults, **env})
    return result.exit_code, result.output


def _line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f"] {name} " in line)


@pytest.fixture
def empty_database(pg_server_url: str) -> Iterator[str]:
    with fresh_database(pg_server_url) as url:
        yield url


def test_doctor_reports_a_healthy_setup(database_url: str, redis_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out = revenge(
        ["doctor"], REVENGE_DATABASE_URL=database_url, REVENGE_REDIS_URL=redis_url,
        REVENGE_DATA_DIR=str(data),
    )  # fmt: skip
    assert code == 0, out
    for name in ("database reachable", "schema migrations", "job queue schema", "redis",
                 "data directory writable", "free disk space", "media probing (PyAV)"):  # fmt: skip
        assert "[ ok ]" in _line(out, name), out
    assert f"at {migrate.head_revision()}" in _line(out, "schema migrations")
    assert "[warn]" in _line(out, "secret key file") and "fix:" in out
    key = data / "secret.key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o600)
    code, out = revenge(["doctor"], REVENGE_DATABASE_URL=database_url, REVENGE_DATA_DIR=str(data))
    assert code == 0 and "[ ok ]" in _line(out, "secret key file")
    assert "[info]" in _line(out, "redis") and "in-process cache only" in out


def test_doctor_names_what_is_missing_with_the_fix(empty_database: str, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    code, out = revenge(
        ["doctor"], REVENGE_DATABASE_URL=empty_database, REVENGE_DATA_DIR=str(not_a_dir),
        REVENGE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
    )  # fmt: skip
    assert code == 1
    assert "[FAIL]" in _line(out, "data directory writable")
    assert "[FAIL]" in _line(out, "schema migrations") and "revenge migrate" in out
    assert "[FAIL]" in _line(out, "job queue schema")
    assert "[FAIL]" in _line(out, "redis") and "REVENGE_REDIS_URL" in out
    code, out = revenge(
        ["doctor"], REVENGE_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/x",
        REVENGE_DATA_DIR=str(tmp_path / "d"),
    )  # fmt: skip
    assert code == 1 and "[FAIL]" in _line(out, "database reachable")
    assert "Check REVENGE_DATABASE_URL" in out


def test_backup_then_restore_into_an_empty_database(pg_server_url: str, tmp_path: Path) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    (source_dir / "images").mkdir(parents=True)
    (source_dir / "images" / "poster.jpg").write_bytes(b"\xff\xd8jpeg")
    (source_dir / "pg").mkdir()  # an embedded cluster's files are never archived
    (source_dir / "pg" / "PG_VERSION").write_text("16")
    archive = tmp_path / "out" / "backup.tar.gz"
    with fresh_database(pg_server_url) as source, fresh_database(pg_server_url) as target:
        migrate.upgrade(source)
        with psycopg.connect(source) as conn:
            conn.execute(
                "INSERT INTO server_settings (key, value) VALUES ('server.name', '\"Den\"')"
            )
        code, out = revenge(
            ["backup", "--output", str(archive)],
            REVENGE_DATABASE_URL=source, REVENGE_DATA_DIR=str(source_dir),
        )  # fmt: skip
        assert code == 0, out
        assert "backup written" in out and archive.is_file()
        # The archive holds the secret key: only its owner may read it.
        assert archive.stat().st_mode & 0o777 == 0o600
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
        assert {"manifest.json", "database.dump", "data/images/poster.jpg"} <= names
        assert not any(n.startswith("data/pg") for n in names)

        code, out = revenge(
            ["restore", str(archive)], REVENGE_DATABASE_URL=target,
            REVENGE_DATA_DIR=str(target_dir),
        )  # fmt: skip
        assert code == 0, out
        with psycopg.connect(target) as conn:
            row = conn.execute("SELECT value FROM server_settings WHERE key = 'server.name'")
            assert row.fetchone() == ("Den",)
        assert migrate.current_revision(target) == migrate.head_revision()
        assert (target_dir / "images" / "poster.jpg").read_bytes() == b"\xff\xd8jpeg"
        assert not (target_dir / "pg").exists()

        # A second restore would mix two servers' data: it is refused.
        code, out = revenge(
            ["restore", str(archive)], REVENGE_DATABASE_URL=target,
            REVENGE_DATA_DIR=str(target_dir),
        )  # fmt: skip
        assert code == 1 and "not empty" in out


def test_backup_and_restore_with_files_in_object_storage(
    pg_server_url: str, tmp_path: Path
) -> None:
    """Artwork in a bucket is archived, the archive goes to the bucket, restore puts it back."""
    poster = "images/originals/ab/abcdef.jpg"
    with (
        s3_server() as s3, fresh_database(pg_server_url) as source,
        fresh_database(pg_server_url) as target,
    ):  # fmt: skip
        migrate.upgrade(source)
        bucket = open_storage(s3.settings(), tmp_path)
        asyncio.run(bucket.put(poster, b"\xff\xd8jpeg"))
        code, out = revenge(
            ["backup"], REVENGE_DATABASE_URL=source, REVENGE_DATA_DIR=str(tmp_path / "source"),
            **s3.env(),
        )  # fmt: skip
        assert code == 0, out
        backups = [k for k in s3.object_keys() if k.startswith("backups/")]
        assert len(backups) == 1 and f"{backups[0]} in bucket {s3.bucket}" in out
        assert not (tmp_path / "source" / "backups").exists()
        archive = tmp_path / "backup.tar.gz"
        assert asyncio.run(bucket.download(backups[0], archive))
        with tarfile.open(archive) as tar:
            assert f"data/{poster}" in tar.getnames()

        asyncio.run(bucket.delete(poster))
        code, out = revenge(
            ["restore", str(archive)], REVENGE_DATABASE_URL=target,
            REVENGE_DATA_DIR=str(tmp_path / "target"), **s3.env(),
        )  # fmt: skip
        assert code == 0, out
        assert asyncio.run(bucket.get(poster)) == b"\xff\xd8jpeg"
        assert not (tmp_path / "target" / "images").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(database_url: str, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    code, out = revenge(
        ["restore", str(bogus)], REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "d"),
    )  # fmt: skip
    assert code == 1 and "not a Revenge backup" in out


def test_doctor_checks_the_port_providers_and_library_folders(
    pg_server_url: str, tmp_path: Path
) -> None:
    good, gone, empty = tmp_path / "films", tmp_path / "unmounted", tmp_path / "empty"
    good.mkdir()
    (good / "Heat (1995).mkv").write_bytes(b"x")
    empty.mkdir()
    with fresh_database(pg_server_url) as url, socket.socket() as taken:
        migrate.upgrade(url)
        with psycopg.connect(url) as conn:
            for name, folder in (("Films", good), ("Shows", gone), ("Music", empty)):
                conn.execute(
                    "WITH l AS (INSERT INTO libraries (name, type) VALUES (%s, 'movie')"
                    " RETURNING id) INSERT INTO library_paths (library_id, path)"
                    " SELECT id, %s FROM l", (name, str(folder)),
                )  # fmt: skip
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with _provider() as musicbrainz:
            code, out = revenge(
                ["doctor"], REVENGE_DATABASE_URL=url, REVENGE_DATA_DIR=str(tmp_path / "d"),
                REVENGE_SERVER__PORT=str(port), REVENGE_METADATA__MUSICBRAINZ_BASE_URL=musicbrainz,
            )  # fmt: skip
        _, offline = revenge(["doctor"], REVENGE_DATABASE_URL=url, REVENGE_DATA_DIR=str(tmp_path))
    assert code == 1, out
    port_line = _line(out, "listen port")
    assert "[FAIL]" in port_line and f"{port}" in port_line and "another program" in port_line
    assert "REVENGE_SERVER__PORT" in out
    assert "[warn]" in _line(out, "provider tmdb") and "no API key" in _line(out, "provider tmdb")
    assert "/api/v1/admin/credentials/tvdb" in out
    assert "[ ok ]" in _line(out, "provider musicbrainz")
    assert "[warn]" in _line(offline, "provider musicbrainz")
    assert "unreachable" in _line(offline, "provider musicbrainz")
    assert "[ ok ]" in _line(offline, "listen port") and "is free" in offline
    folders = [line for line in out.splitlines() if "] library folders" in line]
    assert any("Shows" in f and "is missing" in f for f in folders), out
    assert any("Music" in f and "is empty" in f for f in folders), out
    assert not any("Films" in f for f in folders)


@contextlib.contextmanager
def _provider() -> Iterator[str]:
    """A reachable provider: any HTTP answer."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
