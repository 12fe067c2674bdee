"""`revenge user ...` (filled in by the accounts feature)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage user accounts.")
