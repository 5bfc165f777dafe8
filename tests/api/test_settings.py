"""The service settings: the README's table documents each one with its default, and the environment round-trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modelatlas.api.http.settings import PREFIX, Settings, env_text

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(MODELATLAS_[A-Z_]+)` \| ([^|]+) \|", re.MULTILINE)


def documented() -> dict[str, str]:
    """Variable -> default cell of the README's settings table."""
    return {name: cell.strip() for name, cell in ROW.findall(README.read_text(encoding="utf-8"))}


def default_cell(name: str) -> str:
    text = env_text(Settings.model_fields[name].default)
    return f"`{text}`" if text else "(empty)"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default(name):
    table = documented()
    assert PREFIX + name.upper() in table, f"README.md's settings table has no row for {PREFIX}{name.upper()}"
    assert table[PREFIX + name.upper()] == default_cell(name)


def test_the_readme_lists_no_setting_that_does_not_exist():
    assert set(documented()) - {PREFIX + name.upper() for name in Settings.model_fields} == set()


def test_the_environment_round_trips(monkeypatch):
    given = Settings(port=9001, production=False, cors_origins="https://a.example,https://b.example",
                     today="2026-11-25", rate_limit="", data_dir="/srv/data", timeout_seconds=0.5)
    for name, value in given.to_env().items():
        monkeypatch.setenv(name, value)
    assert Settings.from_env() == given


@pytest.mark.parametrize(("variable", "value"), [
    ("MODELATLAS_PORT", "abc"), ("MODELATLAS_IMPORTS", "maybe"), ("MODELATLAS_TODAY", "yesterday"),
    ("MODELATLAS_RATE_LIMIT", "fast"), ("MODELATLAS_TIMEOUT_SECONDS", "soon"),
])
def test_a_bad_value_names_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"^{variable}='{value}': "):
        Settings.from_env()


def test_empty_keeps_the_default_except_for_text(monkeypatch):
    for name in ("MODELATLAS_PORT", "MODELATLAS_IMPORTS", "MODELATLAS_TODAY", "MODELATLAS_DATA_DIR",
                 "MODELATLAS_RATE_LIMIT", "MODELATLAS_CORS_ORIGINS"):
        monkeypatch.setenv(name, "")
    settings = Settings.from_env()
    assert (settings.port, settings.imports, settings.today, settings.data_dir) == (8000, True, None, None)
    assert (settings.rate_limit, settings.cors_origins) == ("", [])
