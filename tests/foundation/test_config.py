"""Settings layering and the one-line error for a bad value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from revenge.config import ConfigError, load_settings


def test_defaults_file_and_environment_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVENGE_DATA_DIR", str(tmp_path))
    assert load_settings().server.port == 8096
    (tmp_path / "revenge.toml").write_text('[server]\nport = 9000\nname = "Den"\n')
    assert load_settings().server.port == 9000
    monkeypatch.setenv("REVENGE_SERVER__PORT", "9100")
    settings = load_settings()
    assert settings.server.port == 9100
    assert settings.server.name == "Den"


def test_explicit_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "other.toml"
    cfg.write_text('redis_url = "redis://example:6379/0"\n[jobs]\nbatch_size = 50\n')
    settings = load_settings(cfg)
    assert settings.redis_url == "redis://example:6379/0"
    assert settings.jobs.batch_size == 50


def test_bad_value_names_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REVENGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REVENGE_SERVER__PORT", "99999")
    with pytest.raises(ConfigError, match=r"server\.port"):
        load_settings()


def test_bad_value_stops_cli_with_one_line(tmp_path: Path) -> None:
    env = {"REVENGE_DATA_DIR": str(tmp_path), "REVENGE_JOBS__BATCH_SIZE": "lots", "PATH": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "revenge", "migrate", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "jobs.batch_size" in lines[0]
    assert "Traceback" not in proc.stderr


def test_outbound_allowlist_and_its_deprecated_image_alias(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("REVENGE_DATA_DIR", str(tmp_path))
    (tmp_path / "revenge.toml").write_text(
        '[http]\noutbound_allowlist = ["hooks.example.org", "10.0.0.0/8"]\n'
        '[images]\nallowed_hosts = ["NAS.lan", "10.0.0.0/8", "192.168.1.20"]\n'
    )
    settings = load_settings()
    assert settings.http.outbound_allowlist == [
        "hooks.example.org",
        "10.0.0.0/8",
        "nas.lan",
        "192.168.1.20/32",
    ]
    assert "images.allowed_hosts is deprecated" in caplog.text
    monkeypatch.setenv("REVENGE_HTTP__OUTBOUND_ALLOWLIST", '["bad host!"]')
    with pytest.raises(ConfigError, match=r"http\.outbound_allowlist"):
        load_settings()
