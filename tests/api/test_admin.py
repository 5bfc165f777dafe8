"""``POST /admin/reload``: a long token or no start, a lockout after failed attempts, an audit line for each attempt."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from modelatlas.api.http import Settings, create_app
from modelatlas.graph.load import default_data_dir
from tests.live_server import run_serve

TOKEN = "an-admin-token-of-forty-characters-long!"
GOOD = {"authorization": f"Bearer {TOKEN}"}
BAD = {"authorization": "Bearer guess-guess-guess-guess-guess-guess"}


@pytest.fixture
def admin(kg):
    app = create_app(Settings(admin_token=TOKEN, imports=False, cache=False, trusted_proxies="10.0.0.1"), kg=kg)
    with TestClient(app, client=("10.0.0.1", 50000)) as client:  # as if through a trusted proxy on 10.0.0.1
        yield client


@pytest.fixture
def audit(caplog):
    """The audit log's lines so far, parsed."""
    caplog.set_level(logging.INFO, logger="modelatlas.audit")

    def lines() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "modelatlas.audit"]

    return lines


def attempt(client: TestClient, headers: dict[str, str], forwarded_for: str = "203.0.113.7"):
    return client.post("/admin/reload", headers={**headers, "x-forwarded-for": forwarded_for})


def test_five_failures_lock_the_client_out_even_with_the_right_token(admin, audit):
    assert [attempt(admin, BAD).status_code for _ in range(5)] == [401] * 5
    locked = attempt(admin, GOOD)
    assert locked.status_code == 429, locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 60
    # the client cannot escape by writing another address left of the one the proxy appended
    assert attempt(admin, GOOD, forwarded_for="198.51.100.1, 203.0.113.7").status_code == 429
    assert attempt(admin, GOOD, forwarded_for="203.0.113.8").status_code == 200  # another client is not locked out
    assert [(line["client"], line["outcome"]) for line in audit()] == \
        [("203.0.113.7", "denied")] * 5 + [("203.0.113.7", "locked")] * 2 + [("203.0.113.8", "ok")]


def test_a_success_clears_the_failures(admin):
    assert [attempt(admin, BAD).status_code for _ in range(4)] == [401] * 4
    assert attempt(admin, GOOD).status_code == 200
    assert [attempt(admin, BAD).status_code for _ in range(4)] == [401] * 4
    assert attempt(admin, GOOD).status_code == 200


def test_the_audit_line_names_the_outcome_never_the_token(admin, audit, caplog):
    attempt(admin, BAD)
    attempt(admin, GOOD)
    assert [line["outcome"] for line in audit()] == ["denied", "ok"]
    assert all(line["request_id"] and line["event"] == "admin_reload" for line in audit())
    assert "guess" not in caplog.text and TOKEN not in caplog.text


@pytest.mark.timeout(60)
def test_serve_refuses_a_short_token_naming_the_variable(tmp_path: Path):
    short = "only-31-characters-long-token!!"
    assert len(short) == 31
    result = run_serve(tmp_path, default_data_dir(), admin_token=short)
    assert result.returncode == 1 and not result.listened, result
    assert "MODELATLAS_ADMIN_TOKEN" in result.output and "32" in result.output, result.output
    assert short not in result.output, result.output
