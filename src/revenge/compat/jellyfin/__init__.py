"""A Jellyfin-compatible API at the paths Jellyfin's apps call (mounted at the root).

Paths and query names match without regard to case, as Jellyfin's own server does; booleans
arrive as `True`. Callers sign in by name (`/Users/AuthenticateByName`) and get a Revenge
session token as `AccessToken`; later requests carry it in the `Authorization: MediaBrowser
..., Token="..."` header, `X-Emby-Token`, `X-MediaBrowser-Token` or an `ApiKey` query
parameter (stream and image URLs that players open themselves). Personal access keys work
in the same places. Ids are Revenge ids in Jellyfin's 32-hex GUID form with the item's kind
written into the UUID version digit (see `ids`), so no table maps them. Anything this server
does not do answers as Jellyfin answers an empty result, never a server error.
"""
