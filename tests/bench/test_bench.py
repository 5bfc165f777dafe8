"""The HTTP bench without wrk: its queries, its ceiling app, the wrk report parser, the verdicts and the reports."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from modelatlas.api.cli import app as cli
from modelatlas.api.http import Settings, create_app
from modelatlas.bench.ceiling import (
    CEILING_PREFIX,
    asgi_post,
    server_command,
    server_env,
    with_ceiling,
)
from modelatlas.bench.query import ORDER, default_queries_dir, load_queries
from modelatlas.bench.report import (
    TARGETS,
    Row,
    render_markdown,
    render_table,
    update_benchmarks_doc,
)
from modelatlas.bench.wrk import SAMPLE, WrkResult, median_of, parse_wrk
from tests.conftest import TODAY

QUERIES = load_queries(default_queries_dir())


def test_the_committed_queries_are_the_representative_pages():
    assert [q.name for q in QUERIES] == list(ORDER)
    assert [q.operation_name for q in QUERIES] == ["ModelPage", "ModelList", "Lineage", "MigrationPath", "Alternatives"]


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_each_query_answers_without_errors(client, query):
    response = client.post("/graphql", content=query.body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload
    assert all(value for value in payload["data"].values())


def test_the_list_page_has_20_models(client):
    query = next(q for q in QUERIES if q.name == "model_list")
    page = client.post("/graphql", content=query.body, headers={"content-type": "application/json"}).json()
    assert len(page["data"]["models"]["edges"]) == 20


@pytest.fixture(scope="module")
def ceiling_client(kg):
    app = with_ceiling(create_app(Settings(today=TODAY.isoformat(), rate_limit="", response_cache=False), kg=kg), QUERIES)
    with TestClient(app) as c:  # the lifespan precomputes the ceiling bytes
        yield c


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_the_ceiling_returns_the_same_bytes_as_graphql(ceiling_client, query):
    headers = {"content-type": "application/json"}
    graphql = ceiling_client.post("/graphql", content=query.body, headers=headers)
    ceiling = ceiling_client.post(CEILING_PREFIX + query.name, content=query.body, headers=headers)
    assert (ceiling.status_code, ceiling.headers["content-type"]) == (200, "application/json")
    assert ceiling.content == graphql.content


def test_asgi_post_drives_the_app_without_a_client(ceiling_client):
    status, body = asyncio.run(asgi_post(ceiling_client.app, CEILING_PREFIX + "lineage", b"{}"))
    assert status == 200 and json.loads(body)["data"]["lineage"]["root"]["slug"] == "mistral-small-2402"


def test_a_failing_query_stops_the_ceiling_app_from_starting(kg):
    broken = load_queries(default_queries_dir(), ["model_page"])[0]
    broken = type(broken)("broken", "query Broken { model(id: \"no-such-model\") { slug } }")
    app = with_ceiling(create_app(Settings(today=TODAY.isoformat(), rate_limit=""), kg=kg), [broken])
    with pytest.raises(RuntimeError, match="bench query broken"), TestClient(app):
        pass


def test_parse_wrk_reads_the_latency_distribution():
    result = parse_wrk(SAMPLE)
    assert result == WrkResult(1176.66, 1.7, 2.04, 2.38, 3.13, 2354)
    assert result.clean


def test_parse_wrk_converts_units_and_counts_failures():
    text = (SAMPLE.replace("50%    1.70ms", "50%  850.00us").replace("99%    3.13ms", "99%    1.20s")
            .replace("Requests/sec:", "  Socket errors: connect 0, read 2, write 0, timeout 3\n"
                     "  Non-2xx or 3xx responses: 17\nRequests/sec:"))
    result = parse_wrk(text)
    assert (result.p50_ms, result.p99_ms, result.non_2xx, result.socket_errors) == (0.85, 1200.0, 17, 5)
    assert not result.clean


def test_several_runs_give_medians_and_summed_failures():
    runs = [WrkResult(100, 1, 2, 3, 9, 1000), WrkResult(300, 3, 4, 5, 7, 3000, non_2xx=1), WrkResult(200, 2, 3, 4, 8, 2000)]
    assert median_of(runs) == WrkResult(200, 2, 3, 4, 8, 6000, non_2xx=1)


def test_parse_wrk_refuses_a_report_without_latency_distribution():
    with pytest.raises(ValueError, match="not a wrk --latency report"):
        parse_wrk("Running 2s test @ http://127.0.0.1/\nRequests/sec: 10\n")


def _wrk(rps: float, p99: float = 5.0, non_2xx: int = 0) -> WrkResult:
    return WrkResult(rps, 1.0, 1.5, 2.0, p99, 1000, non_2xx)


@pytest.mark.parametrize(("query", "mode", "rps", "p99", "verdict", "workers"), [
    ("model_page", "off", 250, 500.0, "pass", 1),
    ("model_page", "off", 249, 5.0, "miss", 1),
    ("model_page", "off", 800, 25.0, "miss", 2),
    ("model_page", "off", 800, 20.0, "pass", 2),
    ("model_page", "on", 899, 5.0, "miss", 1),
    ("model_page", "on", 900, 20.0, "pass", 1),
    ("lineage", "off", 300, 500.0, "pass", 1),
    ("lineage", "on", 10, 500.0, "-", 1),
    ("model_list", "off", 10, 500.0, "-", 1),
])
def test_verdicts_follow_the_targets(query, mode, rps, p99, verdict, workers):
    assert Row(query, mode, _wrk(rps, p99), _wrk(1000), workers=workers).verdict() == verdict


def test_the_reference_executor_rows_are_the_baseline():
    assert Row("model_page", "off", _wrk(10), _wrk(1000), executor="reference").verdict() == "-"


def test_errors_or_different_bytes_make_a_row_invalid():
    assert Row("model_page", "on", _wrk(1000, non_2xx=3), _wrk(1000)).verdict() == "invalid"
    assert Row("lineage", "on", _wrk(1000), _wrk(1000), same_bytes=False).verdict() == "invalid"


def test_the_targets_are_the_agreed_ones():
    inf = float("inf")
    assert TARGETS == {("model_page", "off", 1): (0.25, inf), ("lineage", "off", 1): (0.3, inf),
                       ("migration_path", "off", 1): (0.3, inf), ("alternatives", "off", 1): (0.3, inf),
                       ("model_page", "on", 1): (0.9, 20.0), ("model_page", "off", 2): (0.25, 20.0)}


def _results() -> dict:
    return {"when": "2026-11-25T01:00:00+00:00", "seconds": 100.0, "loadavg_after": [0.1, 0.1, 0.1],
            "machine": {"git": "abc1234", "cpus": 2, "cpu": "Test CPU", "memory_gib": 24.0, "python": "3.11.7",
                        "wrk": "wrk 4.1.0", "loadavg": [0.2, 0.1, 0.1]},
            "data": {"version": "v1", "models": 36},
            "options": {"threads": 2, "connections": 20, "warmup": 2.0, "duration": 10.0, "pinned": True},
            "commands": {"bench": "make bench", "server_env": "MODELATLAS_PRODUCTION=true", "server": "uvicorn ...",
                         "wrk": "wrk ..."}}


def test_the_reports_show_every_row():
    rows = [Row("model_page", "off", _wrk(300, 90.0), _wrk(3000)), Row("model_page", "on", _wrk(2900), _wrk(3000))]
    table = render_table(rows)
    assert "ceiling req/s" in table and "0.100" in table and "miss (>= 0.25x)" in table
    markdown = render_markdown(_results(), rows)
    assert "| model_page | POST | on | compiled | 1 | 2900 |" in markdown and "2 CPUs (Test CPU)" in markdown
    assert "noisy" not in markdown
    busy = _results()
    busy["machine"]["loadavg"] = [2.5, 2.0, 1.0]
    assert "Other work was running (load average 2.50 on 2 CPUs)" in render_markdown(busy, rows)


def test_update_benchmarks_doc_touches_only_the_generated_block(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\n## HTTP\n\nhow it works\n\n## Scale\n\nscale table\n", encoding="utf-8")
    update_benchmarks_doc(doc, "table 1\n")
    assert doc.read_text(encoding="utf-8") == ("# Benchmarks\n\n## HTTP\n\nhow it works\n\n<!-- make bench: start -->\n"
                                               "table 1\n<!-- make bench: end -->\n\n## Scale\n\nscale table\n")
    update_benchmarks_doc(doc, "table 2\n")
    assert "table 1" not in doc.read_text(encoding="utf-8")
    assert doc.read_text(encoding="utf-8").count("table 2") == 1 and "how it works" in doc.read_text(encoding="utf-8")


def test_the_server_runs_with_production_settings_and_no_rate_limit(tmp_path):
    env = server_env(response_cache=True, queries_dir=tmp_path, environ={"MODELATLAS_DATA_DIR": "/data"})
    assert env["MODELATLAS_DATA_DIR"] == "/data"
    assert (env["MODELATLAS_PRODUCTION"], env["MODELATLAS_RESPONSE_CACHE"], env["MODELATLAS_RATE_LIMIT"]) == \
        ("true", "true", "")
    command = server_command(8123, cpus="0")
    assert command[:3] == ["taskset", "-c", "0"]
    assert command[-7:] == ["--port", "8123", "--workers", "1", "--no-access-log", "--log-level", "warning"]


def test_bench_refuses_an_unknown_executor():
    result = CliRunner().invoke(cli, ["bench", "--executor", "jit"])
    assert result.exit_code == 1
    assert "--executor must be compiled, reference or compiled,reference" in result.output


def test_the_bench_server_runs_the_executor_and_workers_asked_for(tmp_path):
    env = server_env(response_cache=False, queries_dir=tmp_path, environ={}, executor="reference", workers=2)
    assert (env["MODELATLAS_EXECUTOR"], env["MODELATLAS_WORKERS"]) == ("reference", "2")
    assert server_command(8123, workers=2)[-5:-3] == ["--workers", "2"]


def test_bench_refuses_an_unknown_cache_mode():
    result = CliRunner().invoke(cli, ["bench", "--cache", "sometimes"])
    assert result.exit_code == 1
    assert "--cache must be off, on or off,on" in result.output


def test_profile_without_the_bench_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyinstrument", None)  # what `import pyinstrument` meets when it is not installed
    result = CliRunner().invoke(cli, ["bench", "--profile"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: modelatlas bench --profile needs pyinstrument, which is not installed: pip install 'modelatlas[bench]'"]


def test_the_bench_runs_without_the_test_extra():
    """httpx and pyinstrument come with the test and bench extras: the harness and `bench` need neither."""
    program = ("import sys; sys.modules['httpx'] = sys.modules['pyinstrument'] = None\n"
               "import modelatlas.bench.http, modelatlas.bench.ceiling, modelatlas.bench.profile, modelatlas.bench.scale\n"
               "from modelatlas.api.cli import app\n"
               "app(['bench', '--cache', 'sometimes'])\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == "error: --cache must be off, on or off,on, not 'sometimes'"


def test_compile_times_are_measured_per_bench_query():
    from modelatlas.bench.profile import compile_times

    times = compile_times(QUERIES[:2], runs=3)
    assert list(times) == [q.name for q in QUERIES[:2]]
    assert all(0 < low <= median for median, low in times.values())


def test_the_deadline_figures_show_each_executor_stopped(kg):
    from modelatlas.bench.deadline import deadline_figures, render

    rows = deadline_figures(kg, timeout=0.0, repeat=1, aliases=2)  # spent at once: the figures, not the timing
    assert [r["executor"].split(":")[0] for r in rows] == ["before", "reference", "compiled"]
    assert all(r["outcome"] in ("TimeoutExceeded", "AbortedGraphQLExecutionError", "completed") for r in rows)
    assert rows[1]["outcome"] == rows[2]["outcome"] == "TimeoutExceeded"
    assert "| compiled: plan, check per list item | 2 copies |" in render(rows, 0.0)
