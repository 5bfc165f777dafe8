"""``modelatlas bench-explorer``: the explorer's page times in a real browser (the harness is
``modelatlas.bench.explorer``).

    modelatlas bench-explorer [--repeats 5] [-o bench-results/explorer.json]
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from modelatlas.api.cli.common import fail

__all__ = ["bench_explorer"]


def bench_explorer(
    repeats: Annotated[int, typer.Option(min=1, help="Cold-browser runs (each a fresh chromium process).")] = 5,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the figures are written (JSON).")
                      ] = Path("bench-results/explorer.json"),
) -> None:
    """Model page interactive time from a cold browser and for the next page, and the compressed asset size,
    against a production server with trusted documents on loopback (needs chromium and the playwright package)."""
    try:
        from modelatlas.bench.explorer import report, run
    except ImportError as exc:
        fail(f"{exc}: install the test extra (pip install -e '.[test]')")
    try:
        figures = run(repeats=repeats, out=output)
    except (RuntimeError, OSError) as exc:
        fail(exc)
    for line in report(figures):
        typer.echo(line)
    typer.echo(f"figures written to {output}")
