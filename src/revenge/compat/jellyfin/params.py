"""Query parameters read without regard to the case of their names (`searchTerm`, `SearchTerm`)."""

from __future__ import annotations

from starlette.requests import Request

MAX_VALUE = 2048


class Query:
    def __init__(self, request: Request) -> None:
        self._values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            self._values.setdefault(key.lower(), value[:MAX_VALUE])

    def get(self, name: str) -> str | None:
        value = self._values.get(name.lower())
        return value if value not in (None, "") else None

    def flag(self, name: str) -> bool | None:
        """`True`/`true`/`1` as clients send booleans; None when absent or not a boolean."""
        value = (self.get(name) or "").lower()
        return True if value in ("true", "1") else False if value in ("false", "0") else None

    def integer(self, name: str, default: int, low: int = 0, high: int = 10_000_000) -> int:
        try:
            number = int(float(self.get(name) or default))
        except (ValueError, OverflowError):
            return default
        return max(low, min(high, number))

    def words(self, name: str) -> list[str]:
        """A comma (or pipe) separated list, lower-cased: `IncludeItemTypes=Movie,Series`."""
        raw = (self.get(name) or "").replace("|", ",")
        return [w.strip().lower() for w in raw.split(",") if w.strip()][:50]
