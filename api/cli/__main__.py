"""``python -m modelatlas.api.cli``: the ``modelatlas`` command."""

from modelatlas.api.cli import app

app()
