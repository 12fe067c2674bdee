"""Re-seal every stored secret under the current primary key (`revenge keys rotate`).

Each sealed column is walked in small batches, each in its own short transaction with
`FOR UPDATE SKIP LOCKED`, so running servers keep reading and writing meanwhile; passes
repeat until no value sealed with an older key is left. Features add their columns to
`SEALED_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from revenge.infra import secrets_repository as repo
from revenge.infra.db.engine import Database
from revenge.infra.secrets import SecretBox


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    is_text: bool = False
    key_id_column: str | None = None
    pk: str = "id"


SEALED_COLUMNS: list[SealedColumn] = [
    SealedColumn("provider_credentials", "encrypted_value", key_id_column="key_id"),
    SealedColumn("notification_channels", "secret_encrypted"),
    SealedColumn("oidc_providers", "client_secret_encrypted", is_text=True),
    SealedColumn("users", "totp_secret_encrypted", is_text=True),
    SealedColumn("app_passwords", "secret_encrypted", is_text=True),
]


async def _reseal_batch(db: Database, box: SecretBox, col: SealedColumn, batch: int) -> int:
    prefix = box.key_id + ":"
    marker: str | bytes = prefix if col.is_text else prefix.encode()
    async with db.transaction() as session:
        rows = await repo.lock_stale(
            session, col.table, col.column, col.pk, col.is_text, marker, batch
        )
        for pk, sealed in rows:
            raw = sealed.encode("ascii") if isinstance(sealed, str) else bytes(sealed)
            fresh = box.encrypt(box.decrypt(raw))
            value: str | bytes = fresh.decode("ascii") if col.is_text else fresh
            await repo.store(
                session, col.table, col.column, col.pk, col.key_id_column, pk, value, box.key_id
            )
    return len(rows)


async def _table_exists(db: Database, table: str) -> bool:
    async with db.sessions() as session:
        return await repo.table_exists(session, table)


async def reseal_all(db: Database, box: SecretBox, batch: int = 200) -> dict[str, int]:
    """Re-seal every value not sealed with the primary key; counts per table."""
    counts: dict[str, int] = {}
    for col in SEALED_COLUMNS:
        if not await _table_exists(db, col.table):
            continue
        total = 0
        while True:
            done = await _reseal_batch(db, box, col, batch)
            total += done
            if done == 0:
                break
        counts[f"{col.table}.{col.column}"] = total
    return counts


async def rotate(db: Database, box: SecretBox) -> tuple[str, dict[str, int], list[str]]:
    """New primary key (key file), re-seal everything, retire old keys.

    With keys from the config the operator has already put the new key first; then only
    the re-sealing runs and retiring the old keys is left to them.
    """
    new_id = box.start_rotation() if box.file_backed else box.key_id
    counts = await reseal_all(db, box)
    # A second pass catches values written under the old key by nodes that had not yet
    # noticed the new key file.
    for name, extra in (await reseal_all(db, box)).items():
        counts[name] = counts.get(name, 0) + extra
    retired = box.finish_rotation()
    return new_id, counts, retired
