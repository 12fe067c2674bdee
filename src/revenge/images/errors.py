"""Why an image was refused; the code is recorded with the source."""

from __future__ import annotations

from typing import Literal

RefusalCode = Literal[
    "svg",
    "not_image",
    "corrupt",
    "too_large",
    "too_many_pixels",
    "private_address",
    "bad_url",
    "too_many_redirects",
    "http_error",
    "unreachable",
    "unresolvable",
    "not_found",
    "outside_library",
]
# Outcomes worth retrying later; the rest are properties of the content or the URL.
TRANSIENT_CODES = frozenset({"unreachable", "http_error"})


class ImageRefused(Exception):
    """An image (or its URL) was refused: `code` is stable, `reason` is for people."""

    def __init__(self, code: RefusalCode, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_CODES
