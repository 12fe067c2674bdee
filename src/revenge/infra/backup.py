"""Backup and restore: the database (pg_dump custom format) and the data directory, one archive.

The archive is a gzip'd tar holding `manifest.json`, `database.dump` and `data/...`. The
embedded PostgreSQL cluster (`<data_dir>/pg`) is never copied as files: the dump holds its
contents, and copying a running cluster's files would not be consistent. `pg_dump` and
`pg_restore` come from the pgserver wheel (PostgreSQL 16 client tools, which read servers
15+), so no system package is needed; a PATH copy is used only when the wheel has none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from revenge import __version__
from revenge.infra.db import migrate
from revenge.infra.db.engine import libpq_url

FORMAT = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
# Inside the data directory, never archived as files: the live embedded cluster, and backups.
EXCLUDED = frozenset({"pg", "backups"})


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    schema: str | None
    files: int


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client tool: the pgserver wheel's, else one on PATH."""
    try:
        from pgserver._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return found


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(args[0]).name
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup(
    database_url: str, data_dir: Path, output: Path, stored: dict[str, Path] | None = None
) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest.

    `stored` names folders kept outside the data directory (stored files in another folder or
    fetched from object storage) that are archived as if they were in it, e.g. `images`."""
    stored = stored or {}
    url = libpq_url(database_url)
    manifest = {
        "format": FORMAT,
        "revenge_version": __version__,
        "schema": migrate.current_revision(url),
        "created": datetime.now(UTC).isoformat(),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="revenge-backup-") as scratch:
        dump = Path(scratch) / DUMP_NAME
        dump_args = ["--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"]
        _run([pg_tool("pg_dump"), *dump_args, f"--dbname={url}"])
        manifest_file = Path(scratch) / MANIFEST_NAME
        manifest_file.write_text(json.dumps(manifest, indent=2))
        # The archive holds the secret key and every stored credential: only its owner may
        # read it, from the first byte written (the mode is set at creation, not afterwards).
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_file, MANIFEST_NAME)
            tar.add(dump, DUMP_NAME)
            for entry in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
                skip = EXCLUDED | stored.keys()
                if entry.name not in skip and entry.resolve() != partial.resolve():
                    tar.add(entry, f"data/{entry.name}")
            for name, folder in sorted(stored.items()):
                tar.add(folder, f"data/{name}")
    # Renamed only when complete: a crash never leaves a truncated archive under the name.
    partial.replace(output)
    return manifest


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise KeyError(MANIFEST_NAME)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} is not a Revenge backup ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has backup format {manifest.get('format')}, not {FORMAT}")
    return manifest


def database_is_empty(database_url: str) -> bool:
    with psycopg.connect(libpq_url(database_url), connect_timeout=10) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public'"
        ).fetchone()
    return row is not None and row[0] == 0


def restore(archive: Path, database_url: str, data_dir: Path) -> Restored:
    """Load the archive into an empty database and the data directory."""
    read_manifest(archive)
    url = libpq_url(database_url)
    if not database_is_empty(url):
        raise BackupError(
            "the database is not empty; restore into a new, empty database"
            " (create one and point REVENGE_DATABASE_URL at it)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="revenge-restore-") as scratch,
        tarfile.open(archive, "r:gz") as tar,
    ):
        tar.extract(DUMP_NAME, scratch, filter="data")
        restore_args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        dump = str(Path(scratch) / DUMP_NAME)
        _run([pg_tool("pg_restore"), *restore_args, f"--dbname={url}", dump])
        files = _extract_data(tar, data_dir)
    return Restored(schema=migrate.current_revision(url), files=files)


def _extract_data(tar: tarfile.TarFile, data_dir: Path) -> int:
    """Unpack `data/...` into the data directory; the `data` filter refuses unsafe paths."""
    members = []
    for member in tar.getmembers():
        if not member.name.startswith("data/"):
            continue
        member.name = member.name.removeprefix("data/")
        if member.name.split("/", 1)[0] in EXCLUDED:
            continue
        members.append(member)
    tar.extractall(data_dir, members=members, filter="data")
    return sum(1 for m in members if m.isfile())
