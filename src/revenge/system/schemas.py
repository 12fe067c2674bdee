"""Health and system info payloads."""

from __future__ import annotations

from pydantic import BaseModel


class Live(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    database: str
    job_queue: str
    cache: str


class SystemInfo(BaseModel):
    name: str
    version: str
    setup_pending: bool
