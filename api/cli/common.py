"""What every ``modelatlas`` command shares: one way to fail, the settings, the ``--data`` and ``--imports``
options, and the one loader (``graph.load_graph``, as the service calls it).

>>> import typer
>>> try:
...     fail("--sizes 'abc': expected model counts")
... except typer.Exit as exit_:
...     exit_.exit_code
1
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from modelatlas.api.http.settings import Settings
from modelatlas.graph import KnowledgeGraph, KnowledgeGraphError, load_graph

__all__ = ["DataOption", "ImportsOption", "fail", "load", "require", "settings"]

#: ``--data``: data directories or files instead of the settings' (annotate a parameter defaulting to None).
DataOption = Annotated[list[Path] | None, typer.Option("--data", "-d", help=(
    "Data directory or files (default: MODELATLAS_DATA_DIR, else the shipped knowledge base)."))]
#: ``--imports/--no-imports``: with or without the imported catalogs (None: the settings').
ImportsOption = Annotated[bool | None, typer.Option("--imports/--no-imports", help=(
    "With or without the imported catalogs (models.dev, genai-prices; default: MODELATLAS_IMPORTS, on)."))]


def fail(problem: Exception | str) -> NoReturn:
    """Print ``error: <problem>`` to standard error and exit 1."""
    typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(code=1)


def settings(**overrides: Any) -> Settings:
    """The service's settings from ``MODELATLAS_*`` variables; a bad value fails naming the variable."""
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        fail(exc)


def load(data: list[Path] | None, imports: bool | None = None, *, config: Settings | None = None,
         **options: Any) -> KnowledgeGraph:
    """The graph the service would serve with ``config`` (default: the settings) for data, imports and compiled cache;
    ``data`` and ``imports`` override them when given, ``options`` go to ``load_graph``. Bad data fails naming its
    file and line."""
    config = config or settings()
    try:
        return load_graph(data or config.data_paths(), imports=config.imports if imports is None else imports,
                          cache=config.cache, cache_dir=config.cache_dir,
                          **{"catalog_dir": config.catalog_path(), **options})
    except KnowledgeGraphError as exc:
        fail(exc)


def require(module: str, extra: str, feature: str) -> None:
    """Fail with one line naming the extra to install when the optional ``module`` is missing."""
    try:
        importlib.import_module(module)
    except ImportError:
        fail(f"{feature} needs {module}, which is not installed: pip install 'modelatlas[{extra}]'")
