"""How every ``modelatlas`` command reports a failure: one line on standard error, exit status 1, no traceback.

>>> import typer
>>> try:
...     fail("--sizes 'abc': expected model counts")
... except typer.Exit as exit_:
...     exit_.exit_code
1
"""

from __future__ import annotations

from typing import NoReturn

import typer

__all__ = ["fail"]


def fail(problem: Exception | str) -> NoReturn:
    """Print ``error: <problem>`` to standard error and exit 1."""
    typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(code=1)
