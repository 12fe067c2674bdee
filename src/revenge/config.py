"""Typed settings: defaults < config file (`revenge.toml`) < environment (`REVENGE_*`).

Top-level connection settings keep flat names (`REVENGE_DATABASE_URL`, `REVENGE_REDIS_URL`,
`REVENGE_DATA_DIR`); grouped settings use `__` in the environment, e.g. `REVENGE_SERVER__PORT`,
and a `[server]` table in the config file.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

log = logging.getLogger(__name__)

CONFIG_FILE_NAME = "revenge.toml"


def default_data_dir() -> Path:
    """Per-user data location (e.g. ~/.local/share/revenge)."""
    return Path(platformdirs.user_data_dir("revenge", appauthor=False))


class ServerSettings(BaseModel):
    """HTTP server."""

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8096, ge=1, le=65535, description="TCP port to listen on.")
    name: str = Field("Revenge", min_length=1, max_length=100, description="Server display name.")
    max_body_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, description="Largest request body accepted (413 above)."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list, description="Proxy addresses/CIDRs whose X-Forwarded-For is read."
    )
    log_json: bool | None = Field(
        None, description="JSON logs; default is JSON when stderr is not a terminal."
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token a Prometheus scraper sends to read /metrics (admins may too).",
    )
    # uvicorn's 5 s default closes connections clients still hold in their pools; a request
    # sent on one as it closes fails with a reset. Players and proxies keep ~60 s (nginx 75 s).
    keepalive_seconds: int = Field(
        75, ge=1, le=3600, description="Idle keep-alive connections are closed after this."
    )


class DatabaseSettings(BaseModel):
    """PostgreSQL connection pool."""

    # Twenty kept and none extra, rather than ten and ten extra: the same ceiling, but an
    # extra connection is closed as soon as it is handed back while ten wait idle, so under
    # sustained load connections were opened and closed all the time (a PostgreSQL process
    # started for each, and its statements never prepared): saturated browse in
    # bench/catalog.py's load went from 674-699 pages/s to 727-734.
    pool_size: int = Field(
        20, ge=1, le=200, description="Connections kept per process for transactions."
    )
    # Its own pool: a reading connection stays in autocommit (`Database.reading`).
    read_pool_size: int = Field(
        20, ge=1, le=200, description="Connections kept per process for requests that only read."
    )
    max_overflow: int = Field(
        0, ge=0, le=200, description="Extra connections under load, closed once handed back."
    )
    pool_timeout: float = Field(5.0, gt=0, description="Seconds to wait for a free connection.")
    connect_timeout: int = Field(
        3, ge=2, le=60, description="Seconds to wait for a new connection (503 after)."
    )


class JobSettings(BaseModel):
    """Background job workers."""

    # 50, not 10: measured here ~2,500 no-op jobs/s at 10 and ~7,000/s at 50 (bench/jobs.py).
    batch_size: int = Field(50, ge=1, le=1000, description="Jobs taken per dequeue.")
    heartbeat_seconds: float = Field(
        30.0, gt=0, description="A running job with no heartbeat this long is retried."
    )
    grace_seconds: float = Field(
        30.0, ge=0, description="On SIGTERM, how long running jobs may take to finish."
    )
    max_attempts: int = Field(5, ge=1, le=100, description="Attempts before a job is failed.")
    retry_base_seconds: float = Field(2.0, gt=0, description="First retry delay; doubles.")
    poll_seconds: float = Field(
        5.0, gt=0, description="Longest an idle worker waits before looking for due retries."
    )
    extra_modules: list[str] = Field(
        default_factory=list, description="Plugin modules whose register(registry) adds jobs."
    )


class CacheSettings(BaseModel):
    """In-process cache tier."""

    local_max_entries: int = Field(10_000, ge=0, description="Entries kept in process.")
    local_ttl_seconds: float = Field(30.0, gt=0, description="Lifetime of an in-process entry.")
    redis_prefix: str = Field("revenge:", description="Prefix of every key kept in Redis.")


class AuthSettings(BaseModel):
    """Sessions and sign-in."""

    session_idle_timeout_seconds: int = Field(
        30 * 86400, ge=60, description="A session unused this long expires."
    )
    session_absolute_lifetime_seconds: int = Field(
        90 * 86400, ge=60, description="A session expires this long after sign-in."
    )
    session_max_per_user: int = Field(50, ge=1, description="Oldest sessions end beyond this.")
    argon2_memory_kib: int = Field(19 * 1024, ge=19 * 1024, description="argon2id memory (KiB).")
    argon2_time_cost: int = Field(2, ge=2, description="argon2id iterations.")
    # Two lanes, hashed side by side: the same memory and passes (an attacker's cost per
    # guess is unchanged), half the wait on two cores (a verification 15.6 ms with one lane,
    # 8.7 ms with two). RFC 9106's recommended settings use four.
    argon2_parallelism: int = Field(2, ge=1, description="argon2id lanes.")


class ScanningSettings(BaseModel):
    """Library scanning, file watching and media probing."""

    # Both are the starting values of the `scanning.realtime` and `scanning.interval_hours`
    # server settings, which administrators change at runtime.
    realtime: bool = Field(
        True, description="Watch library folders and rescan changed folders automatically."
    )
    interval_hours: float = Field(
        12.0, ge=0, description="Full rescan of every library this often; 0 turns it off."
    )
    debounce_seconds: float = Field(
        5.0, ge=0.05, description="Quiet time after a file change before its folder is scanned."
    )
    settle_seconds: float = Field(
        2.0, ge=0, le=600,
        description="A file is read only after its size has not changed for this long (a copy"
        " in progress is not catalogued from its partial size); 0 reads files at once.",
    )  # fmt: skip
    missing_grace_hours: float = Field(
        72.0, ge=0, description="A missing file's item is removed only after this long."
    )
    probe_timeout_seconds: float = Field(
        30.0, gt=0, description="A media probe running longer marks the file failed."
    )
    batch_size: int = Field(
        5000, ge=100, le=100_000, description="Files written per scan transaction."
    )


class MetadataSettings(BaseModel):
    """Metadata providers, matching and refresh."""

    movie_providers: list[str] = Field(
        default_factory=lambda: ["tmdb"], description="Remote providers for movies, in order."
    )
    tv_providers: list[str] = Field(
        default_factory=lambda: ["tmdb", "tvdb"], description="Remote providers for TV, in order."
    )
    music_providers: list[str] = Field(
        default_factory=lambda: ["musicbrainz"], description="Remote providers for music."
    )
    audiobook_providers: list[str] = Field(
        default_factory=lambda: ["musicbrainz"], description="Remote providers for audiobooks."
    )
    language: str = Field("en-US", description="Default metadata language (BCP 47).")
    match_threshold: float = Field(
        0.75, ge=0, le=1, description="Lowest confidence accepted as a match."
    )
    ambiguity_margin: float = Field(
        0.05, ge=0, le=1, description="Top matches closer than this are left for a person."
    )
    refresh_after_days: int = Field(30, ge=1, description="Items older than this are re-fetched.")
    refresh_batch_size: int = Field(20, ge=1, le=500, description="Items per refresh job.")
    refresh_max_items: int = Field(1000, ge=1, description="Items re-fetched per refresh run.")
    refresh_spread_seconds: int = Field(
        3000, ge=0, description="Refresh jobs of one run are spread over this many seconds."
    )
    cache_ttl_seconds: int = Field(86400, ge=0, description="Provider responses kept this long.")
    request_timeout_seconds: float = Field(
        10.0, gt=0, description="Longest one provider request may take, whole answer included."
    )
    max_retries: int = Field(3, ge=0, le=10, description="Retries on 429, 5xx and timeouts.")
    retry_base_seconds: float = Field(0.5, ge=0, description="First retry delay; doubles.")
    max_retry_after_seconds: float = Field(
        60.0, ge=0, description="Longest Retry-After honoured before giving up."
    )
    breaker_failures: int = Field(
        5,
        ge=0,
        description="Failed calls in a row (timeouts, connection errors, 5xx after retries)"
        " after which a provider is taken as down and not called for the cool-down; 0: never.",
    )
    breaker_cooldown_seconds: float = Field(
        60.0, gt=0, description="How long a provider taken as down is not called."
    )
    retry_later_seconds: float = Field(
        600.0,
        gt=0,
        description="Items of a batch whose provider was down are fetched again after this"
        " delay (doubling each round).",
    )
    # 32, not 8: measured in bench/pipeline.py (1,000 movies, TMDb at 40 requests/s, a
    # busy 2-core machine) 8 kept TMDb at 12-27 requests/s, 16 at 25-40 and 32 at 30-40.
    # Items waiting on a rate limit cost a coroutine each, nothing more.
    fetch_concurrency: int = Field(
        32,
        ge=1,
        le=64,
        description="Items one process identifies at once (across its metadata jobs): enough"
        " answers awaited side by side to keep the providers' rate limits busy.",
    )
    tmdb_base_url: str = Field("https://api.themoviedb.org/3", description="TMDb API v3.")
    tmdb_rate_per_second: float = Field(20.0, gt=0, description="TMDb requests per second.")
    tvdb_base_url: str = Field("https://api4.thetvdb.com/v4", description="TheTVDB API v4.")
    tvdb_rate_per_second: float = Field(10.0, gt=0, description="TheTVDB requests per second.")
    musicbrainz_base_url: str = Field(
        "https://musicbrainz.org/ws/2", description="MusicBrainz web service."
    )
    musicbrainz_rate_per_second: float = Field(
        1.0, gt=0, le=1.0, description="MusicBrainz allows one request per second."
    )
    coverart_base_url: str = Field("https://coverartarchive.org", description="Cover Art Archive.")
    contact: str = Field(
        "https://github.com/revenge-media/revenge",
        description="Contact URL or e-mail sent in the User-Agent (MusicBrainz requires one).",
    )


class ImageSettings(BaseModel):
    """Artwork download, storage and resizing."""

    max_download_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="Largest image accepted from a URL."
    )
    max_pixels: int = Field(
        50_000_000, ge=1, description="Images with more pixels are refused before decoding."
    )
    max_variant_size: int = Field(3840, ge=16, description="Largest resized width or height.")
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Deprecated: use http.outbound_allowlist (these entries are added to it).",
    )


class StorageSettings(BaseModel):
    """Stored files (artwork, backups, HLS segments): a local folder, or S3-compatible object
    storage."""

    backend: Literal["local", "s3"] = Field(
        "local", description="local: a folder (default the data directory); s3: a bucket."
    )
    path: Path | None = Field(
        None, description="Folder of the local backend; unset uses the data directory."
    )
    s3_bucket: str | None = Field(None, description="Bucket of the s3 backend.")
    s3_endpoint: str | None = Field(
        None, description="S3 API URL for MinIO, Ceph, Garage...; unset uses AWS."
    )
    s3_region: str = Field("us-east-1", description="Region of the bucket.")
    s3_access_key_id: str | None = Field(None, description="Access key id of the s3 backend.")
    s3_secret_access_key: SecretStr | None = Field(
        None, description="Secret access key of the s3 backend."
    )
    s3_prefix: str = Field("", description="Key prefix inside the bucket, e.g. revenge/.")
    s3_allow_http: bool = Field(
        False, description="Allow a plain-HTTP endpoint (a server on a trusted network only)."
    )

    @model_validator(mode="after")
    def _bucket_for_s3(self) -> StorageSettings:
        if self.backend == "s3" and not self.s3_bucket:
            raise ValueError("storage.s3_bucket is required with storage.backend = 's3'")
        return self


class HttpSettings(BaseModel):
    """Outbound HTTP to user-supplied URLs (webhooks, artwork)."""

    outbound_allowlist: list[str] = Field(
        default_factory=list,
        description=(
            "Host names (`nas.lan`, `*.lan`) and IP networks (`10.0.0.0/8`) user-supplied URLs"
            " may reach even when private; the admin setting of the same name overrides it."
        ),
    )

    @field_validator("outbound_allowlist")
    @classmethod
    def _entries(cls, value: list[str]) -> list[str]:
        return [validate_allowlist_entry(entry) for entry in value]


class NotificationSettings(BaseModel):
    """Delivery of notifications (webhook and email)."""

    max_attempts: int = Field(5, ge=2, le=50, description="Delivery attempts before giving up.")
    connect_timeout_seconds: float = Field(5.0, gt=0, description="Webhook connect timeout.")
    read_timeout_seconds: float = Field(10.0, gt=0, description="Webhook read timeout.")
    total_timeout_seconds: float = Field(20.0, gt=0, description="Webhook whole-request limit.")
    max_response_bytes: int = Field(
        64 * 1024, ge=1024, description="Webhook answers larger than this are cut off (error)."
    )
    smtp_timeout_seconds: float = Field(20.0, gt=0, description="SMTP conversation timeout.")


class EventSettings(BaseModel):
    """The event outbox relay and live updates (`GET /api/v1/events`)."""

    relay_poll_seconds: float = Field(
        2.0, gt=0, description="Longest a committed event waits if its wake-up was missed."
    )
    heartbeat_seconds: float = Field(
        15.0, gt=0, description="Live streams send a comment this often (and re-check access)."
    )
    replay_buffer: int = Field(
        1000, ge=10, le=100_000, description="Recent events each node keeps for Last-Event-ID."
    )
    stream_max_seconds: float = Field(
        3600.0, gt=0, description="A live stream ends after this long; clients reconnect."
    )


class ProviderSettings(BaseModel):
    """Base URLs of third-party services not covered by `metadata` (TMDb and TheTVDB live there)."""

    fanarttv_url: str = Field("https://webservice.fanart.tv", description="fanart.tv base URL.")


class ActivitySettings(BaseModel):
    """The buffered activity-log writer."""

    flush_interval_seconds: float = Field(0.5, gt=0, description="Longest an entry waits.")
    batch_size: int = Field(5000, ge=1, description="Entries written per COPY.")
    max_buffered: int = Field(
        200_000, ge=1000, description="Entries kept while the database is unreachable."
    )


class PlaybackSettings(BaseModel):
    """HLS sessions: segment length, read-ahead, idle reaping, encoder speed."""

    segment_seconds: float = Field(6.0, ge=2, le=20, description="Target HLS segment length.")
    read_ahead_segments: int = Field(3, ge=0, le=20, description="Segments made ahead of play.")
    idle_seconds: float = Field(
        90.0, gt=0, description="A session whose player was silent this long ends."
    )
    reap_interval_seconds: float = Field(10.0, gt=0, description="How often idle sessions end.")
    sessions_per_user: int = Field(
        3, ge=1, le=50, description="HLS sessions one user keeps; the oldest beyond end."
    )
    x264_preset: str = Field(
        "veryfast", description="libx264 preset: faster costs quality per bit (see README)."
    )
    first_segment_preset: str = Field(
        "ultrafast",
        description="libx264 preset of the segment a player waits for after a start or a seek:"
        " ready sooner, coarser for those seconds; empty: as x264_preset.",
    )
    workers: int = Field(
        4,
        ge=1,
        le=64,
        description="Segment worker processes of this node: one per playing HLS session (a"
        " waiting one uses no CPU); keep it above transcoding.max_concurrent.",
    )


class Settings(BaseSettings):
    """All settings of one Revenge process."""

    model_config = SettingsConfigDict(
        env_prefix="REVENGE_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    data_dir: Path = Field(default_factory=default_data_dir, description="Where state lives.")
    database_url: str | None = Field(
        None, description="PostgreSQL URL; unset starts an embedded PostgreSQL in data_dir."
    )
    redis_url: str | None = Field(None, description="Redis URL; unset keeps the cache in-process.")
    secret_key_file: Path | None = Field(
        None, description="Master key file for secrets; default <data_dir>/secret.key."
    )
    secret_keys: list[str] = Field(
        default_factory=list,
        description="Master keys (Fernet, newest first); unset uses the key file instead.",
    )
    runtime_settings: dict[str, Any] = Field(
        default_factory=dict,
        description="Server settings by key (e.g. maintenance.mode); the admin API still wins.",
    )
    server: ServerSettings = Field(default_factory=ServerSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    scanning: ScanningSettings = Field(default_factory=ScanningSettings)
    metadata: MetadataSettings = Field(default_factory=MetadataSettings)
    playback: PlaybackSettings = Field(default_factory=PlaybackSettings)
    images: ImageSettings = Field(default_factory=ImageSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    providers: ProviderSettings = Field(default_factory=ProviderSettings)
    activity: ActivitySettings = Field(default_factory=ActivitySettings)

    @property
    def key_file(self) -> Path:
        """Where the master key file lives."""
        return self.secret_key_file or self.data_dir / "secret.key"

    @field_validator("database_url", "redis_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _image_hosts_alias(self) -> Settings:
        """`images.allowed_hosts`, the old name, still adds to `http.outbound_allowlist`."""
        legacy = self.images.allowed_hosts
        if legacy:
            log.warning("images.allowed_hosts is deprecated; use http.outbound_allowlist")
            entries = [*self.http.outbound_allowlist, *map(validate_allowlist_entry, legacy)]
            self.http.outbound_allowlist = list(dict.fromkeys(entries))
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = _config_file_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


_config_override: Path | None = None


def _config_file_path() -> Path | None:
    """The config file in use: --config, else `revenge.toml` in the data directory."""
    if _config_override is not None:
        return _config_override
    data_dir = os.environ.get("REVENGE_DATA_DIR")
    candidate = (Path(data_dir) if data_dir else default_data_dir()) / CONFIG_FILE_NAME
    return candidate if candidate.is_file() else None


class ConfigError(Exception):
    """A configuration value is invalid; the message names the key."""


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings, turning validation errors into one readable line."""
    global _config_override
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file not found: {config_file}")
    _config_override = config_file
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    finally:
        _config_override = None


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "<root>"
    return f"invalid setting {key!r}: {first['msg']} (got {first.get('input')!r})"


def validate_allowlist_entry(entry: str) -> str:
    """Normalise one allowlist entry, raising ValueError when it is neither host nor network."""
    value = entry.strip().lower()
    if not value:
        raise ValueError("empty entry")
    try:
        return str(ipaddress.ip_network(value.strip("[]"), strict=False))
    except ValueError:
        pass
    name = value[2:] if value.startswith("*.") else value
    labels = name.rstrip(".").split(".")
    if not all(label and len(label) <= 63 and _is_label(label) for label in labels):
        raise ValueError(f"{entry!r} is not a host name, IP address or network")
    return value


def _is_label(label: str) -> bool:
    return all(c.isalnum() or c == "-" for c in label) and not label.startswith("-")
