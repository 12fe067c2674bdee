"""Server settings of the integrations feature (changeable at run time by an admin)."""

from __future__ import annotations

from revenge.server_settings.registry import REGISTRY, SettingDef, register

MIB = 1024 * 1024

HOOK_DEBOUNCE = "integrations.hook_debounce_seconds"
KEEP_EPISODES = "podcasts.keep_episodes"
MAX_FEED_BYTES = "podcasts.max_feed_bytes"
MAX_EPISODE_BYTES = "podcasts.max_episode_bytes"

_DEFS = (
    SettingDef(HOOK_DEBOUNCE, float, 10.0,
               "Seconds an *arr hook waits for more hooks before its folders are scanned"
               " (hooks in that time share one scan).", 0, 3600),
    SettingDef(KEEP_EPISODES, int, 10,
               "Downloaded episodes kept per podcast feed, newest first (0 keeps all).",
               0, 10_000),
    SettingDef(MAX_FEED_BYTES, int, 10 * MIB,
               "Largest podcast feed document accepted, in bytes.", 64 * 1024, 200 * MIB),
    SettingDef(MAX_EPISODE_BYTES, int, 2048 * MIB,
               "Largest podcast episode downloaded, in bytes.", 1024, 64 * 1024 * MIB),
)  # fmt: skip

for _setting in _DEFS:
    if _setting.key not in REGISTRY:
        register(_setting)
