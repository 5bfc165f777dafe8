"""The wheel installs under one namespace (modelatlas.*), so it sits beside PyPI's ``schema`` package in one venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.mark.slow
def test_the_wheel_installs_beside_pypi_schema(tmp_path: Path) -> None:
    """Bounded (one wheel build and one venv; pip takes the dependencies from its cache when it has them)."""
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("modelatlas-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", wheel, "schema", cwd=tmp_path)

    assert "valid:" in run(venv / "bin" / "modelatlas", "validate", cwd=tmp_path)
    assert run(python, "-c", "import schema; print(schema.Schema.__module__)", cwd=tmp_path).strip() == "schema"
    where = run(python, "-c", "import modelatlas.graph, modelatlas.schema; print(modelatlas.schema.__file__)",
                cwd=tmp_path)
    assert "site-packages/modelatlas/schema" in where
    top = run(python, "-c", "import importlib.util as u; print([n for n in ('graph', 'api', 'data', 'bench') "
              "if u.find_spec(n)])", cwd=tmp_path)
    assert top.strip() == "[]", "the wheel must not install top-level graph/api/data/bench packages"
