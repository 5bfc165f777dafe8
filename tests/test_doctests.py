"""Every module's docstring examples run (they are the first documentation a reader meets)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import modelatlas.api
import modelatlas.bench
import modelatlas.graph
import modelatlas.schema

MODULES = sorted(
    info.name
    for package in (modelatlas.graph, modelatlas.schema, modelatlas.api, modelatlas.bench)
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    if not info.name.endswith(".__main__")  # running it is running the command line
)


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{module}: {result.failed} of {result.attempted} examples failed"


def test_the_examples_are_many() -> None:
    assert len(MODULES) > 60
    assert sum(doctest.testmod(importlib.import_module(m)).attempted > 0 for m in MODULES) > 50
