"""``modelatlas bench``: HTTP load against the service and its own ceiling (issue 6)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``modelatlas`` app."""
