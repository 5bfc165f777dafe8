"""Startup with a missing or corrupt data file is a clear error and a non-zero exit, never a half-loaded
graph. ``modelatlas serve`` runs as a real process; its port is probed the whole time it runs, so "never starts
listening" is checked, not assumed. ``modelatlas validate`` must agree."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.live_server import PROBE_MODEL_TTL, copy_data, run_serve, start_server

pytestmark = pytest.mark.timeout(60)

SYNTAX_ERROR = """\
@prefix ma:     <https://modelatlas.dev/ns#> .
@prefix schema: <https://schema.org/> .
@prefix model:  <https://modelatlas.dev/id/model/> .

model:broken a ma:Model ;
    schema:name "Broken" ;;; this is not Turtle
"""


def assert_refused_to_start(result, *needles: str, line: int | None = None) -> None:
    print(f"\nexit {result.returncode}: {result.output.strip()[-400:]}")
    assert not result.timed_out, "still running at the deadline"
    assert not result.listened, "it listened on its port"
    assert result.returncode not in (0, None), result.output
    assert "Traceback" not in result.output, result.output
    assert "serving on" not in result.output, result.output
    for needle in needles:
        assert needle in result.output, (needle, result.output)
    if line is not None:
        assert re.search(rf"(:{line}\b|line {line}\b)", result.output), (f"line {line}", result.output)


def test_missing_data_dir(tmp_path: Path):
    missing = tmp_path / "no-such-data"
    for command in ("serve", "validate"):
        assert_refused_to_start(run_serve(tmp_path / command, missing, command=command), str(missing))


def test_empty_data_dir(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_refused_to_start(run_serve(tmp_path / "serve", empty), str(empty))


def test_syntax_error_names_file_and_line(tmp_path: Path):
    data = copy_data(tmp_path / "data")
    (data / "models" / "broken.ttl").write_text(SYNTAX_ERROR, encoding="utf-8")
    for command in ("serve", "validate"):
        assert_refused_to_start(run_serve(tmp_path / command, data, command=command), "broken.ttl", line=6)


def test_truncated_file(tmp_path: Path):
    data = copy_data(tmp_path / "data")
    target = data / "models" / "mistral" / "mistral-small.ttl"
    text = target.read_text(encoding="utf-8")
    cut = text.index('schema:name "', len(text) // 2) + len('schema:name "Mis')  # inside a string literal
    target.write_text(text[:cut], encoding="utf-8")
    result = run_serve(tmp_path / "serve", data)
    assert_refused_to_start(result, "mistral-small.ttl", line=text[:cut].count("\n") + 1)


def test_shape_violation(tmp_path: Path):
    data = copy_data(tmp_path / "data")
    (data / "models" / "bad-status.ttl").write_text(PROBE_MODEL_TTL.replace('"active"', '"sleeping"'), encoding="utf-8")
    for command in ("serve", "validate"):
        assert_refused_to_start(run_serve(tmp_path / command, data, command=command), "reload-probe-1")


def test_unreadable_bytes(tmp_path: Path):
    data = copy_data(tmp_path / "data")
    (data / "models" / "binary.ttl").write_bytes(b"\xff\xfe\x00garbage\x00\x80\x81")
    assert_refused_to_start(run_serve(tmp_path / "serve", data), "binary.ttl")


def test_corrupt_file_after_a_good_start_is_not_served_from_the_cache(tmp_path: Path):
    """The compiled cache of a good start must not let a later start with a corrupt file through."""
    data = copy_data(tmp_path / "data")
    with start_server(tmp_path / "good", data_dir=data) as server:  # fills tmp_path/good/cache
        assert httpx.get(server.url("/readyz"), timeout=10).status_code == 200
    (data / "models" / "broken.ttl").write_text(SYNTAX_ERROR, encoding="utf-8")
    # same cache directory as the good start
    assert_refused_to_start(run_serve(tmp_path / "good", data), "broken.ttl", line=6)
    # and an edit that breaks an existing file, same size, same mtime
    (data / "models" / "broken.ttl").unlink()
    target = data / "models" / "google" / "gemma.ttl"
    text = target.read_text(encoding="utf-8")
    stat = target.stat()
    broken = text.replace(" ;\n", " ,\n", 1)
    assert len(broken) == len(text) and broken != text
    target.write_text(broken, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert_refused_to_start(run_serve(tmp_path / "good", data), "gemma.ttl")


def test_bad_setting(tmp_path: Path):
    data = copy_data(tmp_path / "data")
    assert_refused_to_start(run_serve(tmp_path / "serve", data, max_cost="lots"), "MODELATLAS_MAX_COST")
