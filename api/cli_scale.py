"""Scale commands: ``modelatlas synth`` and ``modelatlas bench-scale`` (issue 6)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``modelatlas`` app."""
