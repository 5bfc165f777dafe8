"""The Redis-backed stores (api/http/redis_stores.py) against a real ``redis-server``: two instances stand for two
replicas (each its own connection pool and in-process layer), and a Redis that is down or stalled must leave every
request answered from the in-process fallback, with one log line."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import limits
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from modelatlas.api.http import Settings, create_app
from modelatlas.api.http.persisted import sha256_hex
from modelatlas.api.http.ratelimit import Lockout, RateLimiter
from modelatlas.api.http.redis_stores import (
    PREFIX,
    SharedLockout,
    SharedPersistedQueries,
    SharedRateLimiter,
    SharedRedis,
    SharedResponseCache,
)
from modelatlas.bench.server import free_port
from tests.services import RedisServer, start_redis

QUERY = "{ dataVersion }"
TOKEN = "test-admin-token-of-32-characters"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with start_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def fresh(redis_server: RedisServer) -> RedisServer:
    redis_server.client().flushdb()
    return redis_server


def redis_events(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [json.loads(r.getMessage())["event"] for r in caplog.records if r.name == "modelatlas.redis"]


# ------------------------------------------------------------------------------------------------ persisted queries


def test_a_hash_registered_through_one_replica_is_served_by_another(fresh: RedisServer):
    one, two = SharedPersistedQueries(SharedRedis(fresh.url)), SharedPersistedQueries(SharedRedis(fresh.url))
    sha = sha256_hex(QUERY)
    assert two.get(sha) is None
    one.register(sha, QUERY)
    assert two.get(sha) == QUERY
    assert two.local.get(sha) == QUERY  # now in the second replica's near cache
    key = f"{PREFIX}apq:{sha}"
    assert 0 < fresh.client().ttl(key) <= 30 * 24 * 3600


def test_a_wrong_hash_is_refused_and_nothing_is_written(fresh: RedisServer):
    store = SharedPersistedQueries(SharedRedis(fresh.url))
    with pytest.raises(ValueError, match="does not match"):
        store.register("0" * 64, QUERY)
    assert fresh.client().dbsize() == 0


def test_a_text_in_redis_that_does_not_match_its_hash_is_never_served(fresh: RedisServer, caplog):
    sha = sha256_hex(QUERY)
    fresh.client().set(f"{PREFIX}apq:{sha}", b"{ models { totalCount } }")
    with caplog.at_level(logging.INFO, logger="modelatlas.redis"):
        assert SharedPersistedQueries(SharedRedis(fresh.url)).get(sha) is None
    assert redis_events(caplog) == ["redis_bad_value"]


# ------------------------------------------------------------------------------------------------- response cache


def test_a_body_cached_by_one_replica_is_read_by_another_under_its_data_version(fresh: RedisServer):
    one, two = SharedResponseCache(SharedRedis(fresh.url)), SharedResponseCache(SharedRedis(fresh.url))
    key = ("v1", "2026-11-25", "POST", hashlib.blake2b(b"q", digest_size=16).digest())
    one.put(key, b'{"data":{}}')
    assert two.get(key) == b'{"data":{}}'
    assert two.get(("v2", *key[1:])) is None  # another data version: another key
    redis_key = f"{PREFIX}rc:v1:2026-11-25:POST:{key[3].hex()}"
    assert 0 < fresh.client().ttl(redis_key) <= 3600
    two.clear()  # a swap empties the near cache only: the bodies of v1 stay for the replicas still serving v1
    assert two.local.get(key) is None and two.get(key) == b'{"data":{}}'


def test_a_body_over_the_size_limit_is_not_kept(fresh: RedisServer):
    cache = SharedResponseCache(SharedRedis(fresh.url))
    cache.put("big", b"x" * (cache.local.max_bytes + 1))
    assert cache.get("big") is None and fresh.client().dbsize() == 0


# ---------------------------------------------------------------------------------------------------- rate limits


@FAST
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["10.0.0.1", "10.0.0.2", "2001:db8::1"])),
                max_size=30))
def test_three_replicas_count_like_one_process(fresh: RedisServer, hits: list[tuple[int, str]]):
    """Differential: hits spread over three shared limiters give the verdicts one in-process limiter gives."""
    fresh.client().flushdb()
    item = limits.parse("7/minute")
    replicas = [SharedRateLimiter(item, SharedRedis(fresh.url)) for _ in range(3)]
    alone = RateLimiter(item)
    for replica, client in hits:
        shared, local = replicas[replica].check(client), alone.check(client)
        assert (shared.allowed, shared.remaining, shared.limit) == (local.allowed, local.remaining, local.limit)


@FAST
@given(st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["fail", "fail", "fail", "succeed"]),
                          st.sampled_from(["10.0.0.1", "10.0.0.2"])), max_size=25))
def test_two_replicas_lock_out_like_one_process(fresh: RedisServer, steps: list[tuple[int, str, str]]):
    fresh.client().flushdb()
    replicas = [SharedLockout(SharedRedis(fresh.url), failures=3) for _ in range(2)]
    alone = Lockout(failures=3)
    for replica, action, client in steps:
        getattr(replicas[replica], action)(client)
        getattr(alone, action)(client)
        for other in ("10.0.0.1", "10.0.0.2"):
            assert all((r.retry_after(other) > 0) == (alone.retry_after(other) > 0) for r in replicas), (other, steps)


def test_a_lockout_lasts_its_duration_in_redis(fresh: RedisServer):
    one, two = SharedLockout(SharedRedis(fresh.url), failures=2), SharedLockout(SharedRedis(fresh.url), failures=2)
    one.fail("10.0.0.9")
    two.fail("10.0.0.9")  # the second failure, on another replica: locked everywhere
    assert 55 <= one.retry_after("10.0.0.9") <= 60 and 55 <= two.retry_after("10.0.0.9") <= 60
    assert 55 <= fresh.client().pttl(f"{PREFIX}lockout:lock:10.0.0.9") / 1000 <= 60


# --------------------------------------------------------------------------------------------- Redis down, stalled


def test_with_redis_down_every_store_answers_from_this_process_and_logs_once(tmp_path: Path, caplog):
    port = free_port()
    shared = SharedRedis(f"redis://127.0.0.1:{port}/0", pause=0.0)  # no pause: every call tries Redis again
    limiter = SharedRateLimiter(limits.parse("2/minute"), shared)
    apq, cache, lockout = SharedPersistedQueries(shared), SharedResponseCache(shared), SharedLockout(shared, failures=2)
    with caplog.at_level(logging.INFO, logger="modelatlas.redis"):
        assert [limiter.check("10.0.0.1").allowed for _ in range(3)] == [True, True, False]  # per replica now
        apq.register(sha256_hex(QUERY), QUERY)
        assert apq.get(sha256_hex(QUERY)) == QUERY and apq.get("f" * 64) is None
        cache.put("k", b"body")
        assert cache.get("k") == b"body" and cache.get("other") is None
        lockout.fail("10.0.0.1")
        lockout.fail("10.0.0.1")
        assert lockout.retry_after("10.0.0.1") > 0
        assert redis_events(caplog) == ["redis_down"]
        down = next(json.loads(r.getMessage()) for r in caplog.records if r.name == "modelatlas.redis")
        assert down["redis"] == f"redis://127.0.0.1:{port}/0" and down["fallback"] and "Connection" in down["error"]
        assert shared.failures >= 8
        with start_redis(tmp_path, port=port):  # Redis comes (back): the shared state is used again
            assert limiter.check("10.0.0.7").remaining == 1
            assert redis_events(caplog) == ["redis_down", "redis_up"]
            apq.register(sha256_hex(QUERY), QUERY)
            assert SharedPersistedQueries(SharedRedis(f"redis://127.0.0.1:{port}/0")).get(sha256_hex(QUERY)) == QUERY


def test_a_stalled_redis_times_out_into_the_fallback(fresh: RedisServer, caplog):
    shared = SharedRedis(fresh.url, pause=60.0)
    cache = SharedResponseCache(shared)
    cache.put("k", b"body")  # connected while Redis answers
    os.kill(fresh.process.pid, signal.SIGSTOP)
    try:
        with caplog.at_level(logging.INFO, logger="modelatlas.redis"):
            assert cache.get("other") is None  # times out (250 ms), then paused: no further call waits
            assert [cache.get("other") for _ in range(50)] == [None] * 50
            assert shared.failures == 1 and redis_events(caplog) == ["redis_down"]
            down = [json.loads(r.getMessage()) for r in caplog.records if r.name == "modelatlas.redis"]
            assert "Timeout" in down[0]["error"], down
    finally:
        os.kill(fresh.process.pid, signal.SIGCONT)


# ------------------------------------------------------------------------------------------- two apps, one Redis


def replica(kg, **overrides: str) -> TestClient:
    config = Settings(imports=False, production=True, today="2026-11-25", admin_token=TOKEN,
                      trusted_proxies="10.0.0.1", **overrides)
    return TestClient(create_app(config, kg=kg), client=("10.0.0.1", 50000))  # behind the balancer on 10.0.0.1


def post(client: TestClient, body: dict[str, object], who: str = "203.0.113.7") -> tuple[int, dict[str, object]]:
    response = client.post("/graphql", json=body, headers={"x-forwarded-for": who})
    return response.status_code, response.json()


def test_two_apps_share_one_limit_one_registry_and_one_lockout(fresh: RedisServer, kg):
    with replica(kg, redis_url=fresh.url, rate_limit="4/minute") as one, \
            replica(kg, redis_url=fresh.url, rate_limit="4/minute") as two:
        statuses = [post((one, two)[i % 2], {"query": QUERY})[0] for i in range(8)]
        assert statuses == [200] * 4 + [429] * 4  # without Redis: eight 200s (four per replica)
        apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(QUERY)}}
        assert post(one, {"query": QUERY, "extensions": apq}, "203.0.113.8")[0] == 200
        status, body = post(two, {"extensions": apq}, "203.0.113.8")
        assert status == 200 and body["data"] == {"dataVersion": one.app.state.snapshots.current.version}, body
        for client in (one, two, one, two, one):  # five failed logins across the replicas lock the client out
            client.post("/admin/reload", headers={"authorization": "Bearer wrong", "x-forwarded-for": "203.0.113.9"})
        locked = two.post("/admin/reload", headers={"authorization": f"Bearer {TOKEN}", "x-forwarded-for": "203.0.113.9"})
        assert locked.status_code == 429, locked.text
        assert "modelatlas_redis_up 1.0" in one.get("/metrics").text


def test_an_app_with_redis_down_serves_every_request(kg, caplog):
    with caplog.at_level(logging.INFO, logger="modelatlas.redis"), \
            replica(kg, redis_url=f"redis://127.0.0.1:{free_port()}/0", rate_limit="3/minute") as app:
        statuses = [post(app, {"query": QUERY})[0] for _ in range(5)]
        apq = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(QUERY)}}
        registered = post(app, {"query": QUERY, "extensions": apq}, "203.0.113.20")
        served = post(app, {"extensions": apq}, "203.0.113.20")
        metrics = app.get("/metrics").text
    assert statuses == [200, 200, 200, 429, 429]  # the limit holds per replica while Redis is down
    assert registered[0] == served[0] == 200 and "data" in served[1], served
    assert redis_events(caplog) == ["redis_down"]  # one line, then the pause: no storm of lines or of errors
    failed = re.search(r"^modelatlas_redis_failed_calls ([0-9.]+)$", metrics, re.MULTILINE)
    assert "modelatlas_redis_up 0.0" in metrics and failed and float(failed.group(1)) >= 1, metrics


def test_a_bad_redis_url_names_the_variable_and_hides_the_value():
    with pytest.raises(ValueError, match=r"^MODELATLAS_REDIS_URL=\(\d+ characters, hidden\): .*redis://"):
        Settings.from_env(redis_url="http://user:secret@cache:6379")
    assert Settings.from_env(redis_url=" redis://cache:6379/1 ").redis_url == "redis://cache:6379/1"
    assert Settings.from_env().redis_url == ""


@pytest.mark.timeout(60)
def test_serve_refuses_a_bad_redis_url_naming_the_variable_never_its_password(tmp_path: Path):
    from tests.live_server import run_serve

    result = run_serve(tmp_path, tmp_path, redis_url="http://user:hunter2@cache:6379")
    assert result.returncode == 1 and not result.listened, result
    assert "MODELATLAS_REDIS_URL=(" in result.output and "redis://" in result.output, result.output
    assert "hunter2" not in result.output
