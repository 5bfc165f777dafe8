"""Live reload (SIGHUP and POST /admin/reload) and a bounded load test against a real server.

The server's data directory is a temporary copy of the shipped data. Version A is that copy; version B adds one
valid model file (``reload-probe-1``), so B has exactly one model more than A. Every answer carries its data version
twice, in the body (``dataVersion``) and in the ``x-data-version`` header, and the rest of the body must be the data
of that version: the model count and whether the probe model is listed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.live_server import PROBE_MODEL_TTL, LiveServer, start_server

TOKEN = "test-admin-token-of-32-characters"
CLIENTS = 32
DURATION = 21.0  # seconds of load; the reloads happen at about 1/3 and 2/3 of it
LOAD_QUERY = "query Load { dataVersion models(first: 100) { totalCount edges { node { slug } } } }"
PROBE = "reload-probe-1"


def probe_file(server: LiveServer) -> Path:
    return server.data_dir / "models" / "probe" / "probe.ttl"


def add_probe(server: LiveServer) -> None:
    probe_file(server).parent.mkdir(exist_ok=True)
    probe_file(server).write_text(PROBE_MODEL_TTL, encoding="utf-8")


def remove_probe(server: LiveServer) -> None:
    probe_file(server).unlink()
    probe_file(server).parent.rmdir()


def admin_reload(server: LiveServer, token: str | None = TOKEN) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(server.url("/admin/reload"), headers=headers, timeout=60)


def version_and_count(server: LiveServer) -> tuple[str, int]:
    body = httpx.post(server.graphql_url, json={"query": "{ dataVersion models { totalCount } }"}, timeout=20).json()
    return body["data"]["dataVersion"], body["data"]["models"]["totalCount"]


def reloads_metric(server: LiveServer, status: str) -> float:
    text = httpx.get(server.url("/metrics"), timeout=10).text
    match = re.search(r'^modelatlas_reloads_total\{status="%s"\} ([0-9.e+]+)$' % status, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


@pytest.fixture
def server(tmp_path: Path):
    with start_server(tmp_path, admin_token=TOKEN) as live:
        yield live


# ----------------------------------------------------------------------------------------------------- the load test


@pytest.mark.timeout(120)
def test_load_with_two_reloads(server: LiveServer):
    version_a, count_a = version_and_count(server)
    expected: dict[str, tuple[int, bool]] = {version_a: (count_a, False)}  # version -> (models, probe listed)
    stats: Counter[str] = Counter()
    per_version: Counter[str] = Counter()
    mixes: list[str] = []
    others: list[str] = []  # the first few answers that were not 200
    apq_hash = hashlib.sha256(LOAD_QUERY.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": apq_hash}}
    httpx.post(server.graphql_url, json={"query": LOAD_QUERY, "extensions": apq}, timeout=20).raise_for_status()
    rss: dict[str, int] = {}
    reloads: list[str] = []

    answers: list[tuple[str | None, str, int, bool, int]] = []  # header version, body version, count, probe, listed

    def check(response: httpx.Response) -> None:
        stats[f"HTTP {response.status_code}"] += 1
        if response.status_code != 200:
            if len(others) < 5:
                others.append(f"HTTP {response.status_code}: {response.text[:200]}")
            return
        body = response.json()
        data = body["data"]
        slugs = [e["node"]["slug"] for e in data["models"]["edges"]]
        answers.append((response.headers.get("x-data-version"), data["dataVersion"], data["models"]["totalCount"],
                        PROBE in slugs, len(slugs)))
        if "errors" in body or not isinstance((body.get("extensions") or {}).get("cost"), dict):
            stats["errors or no extensions.cost"] += 1

    async def client(n: int, http: httpx.AsyncClient, end: float) -> None:
        use_get = n % 4 == 3  # a quarter of the clients use persisted GETs (the response cache and ETag path)
        while time.monotonic() < end:
            if use_get:
                response = await http.get("/graphql", params={"extensions": json.dumps(apq)},
                                          headers={"apollo-require-preflight": "true"})
            else:
                response = await http.post("/graphql", json={"query": LOAD_QUERY, "operationName": "Load"})
            check(response)

    async def controller(start: float) -> None:
        await asyncio.sleep(2.0)
        rss["before"] = server.rss_bytes()
        await asyncio.sleep(max(0.0, start + DURATION / 3 - time.monotonic()))
        add_probe(server)  # version B: one model more, by SIGHUP
        expected_b = (count_a + 1, True)
        server.hup()
        version_b = await asyncio.to_thread(server.wait_for_version, version_a)
        expected[version_b] = expected_b
        reloads.append(f"SIGHUP {version_a} -> {version_b}")
        await asyncio.sleep(max(0.0, start + 2 * DURATION / 3 - time.monotonic()))
        remove_probe(server)  # back to version A, by the admin endpoint
        response = await asyncio.to_thread(admin_reload, server)
        assert response.status_code == 200, response.text
        outcome = response.json()
        assert outcome["status"] == "swapped" and outcome["dataVersion"] == version_a, outcome
        reloads.append(f"admin {version_b} -> {outcome['dataVersion']}")

    async def main() -> None:
        start = time.monotonic()
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as http:
            await asyncio.gather(controller(start), *(client(n, http, start + DURATION) for n in range(CLIENTS)))

    asyncio.run(main())
    rss["after"] = server.rss_bytes()
    for header, version, count, probe, listed in answers:  # checked once every version is known
        per_version[version] += 1
        if header != version:
            mixes.append(f"header {header} != body {version}")
        elif version not in expected:
            mixes.append(f"unknown version {version} (known: {sorted(expected)})")
        elif (count, probe) != expected[version] or listed != count:
            mixes.append(f"version {version}: {count} models, {listed} listed, probe {probe}; expected {expected[version]}")
    total = sum(n for key, n in stats.items() if key.startswith("HTTP"))
    print(f"\nload: {CLIENTS} clients, {DURATION:.0f} s, {total} requests ({total / DURATION:.0f}/s), {dict(stats)}; "
          f"per version {dict(per_version)}; reloads {reloads}; version mixes {len(mixes)}; RSS before "
          f"{rss['before'] / 2**20:.1f} MiB, after {rss['after'] / 2**20:.1f} MiB")
    assert not mixes, f"{len(mixes)} bad answers, e.g. {mixes[:5]}"
    assert stats == Counter({"HTTP 200": total}), (stats, others)
    assert len(reloads) == 2 and len(per_version) == 2, (reloads, per_version)
    assert all(n >= CLIENTS for n in per_version.values()), per_version  # both versions really served under load
    growth = rss["after"] - rss["before"]
    assert growth < max(64 * 2**20, rss["before"] // 4), f"RSS grew by {growth / 2**20:.1f} MiB"
    assert server.ready()["dataVersion"] == version_a


# ------------------------------------------------------------------------------------------- reload: the admin side


@pytest.mark.timeout(90)
def test_admin_reload_auth_rejection_and_swap(server: LiveServer):
    version_a, count_a = version_and_count(server)
    for token in (None, TOKEN + "x", TOKEN[:-1]):  # four failures: a fifth would lock this client out (test_admin)
        response = admin_reload(server, token)
        assert response.status_code in (401, 403), (token, response.status_code, response.text)
    assert httpx.post(server.url("/admin/reload"), headers={"authorization": TOKEN}, timeout=20).status_code in (401, 403)

    unchanged = admin_reload(server)
    assert unchanged.status_code == 200 and unchanged.json()["status"] == "unchanged", unchanged.text
    assert unchanged.json()["dataVersion"] == version_a

    # an ETag of version A, to show it stops matching once B is served
    apq = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(LOAD_QUERY.encode()).hexdigest()}}
    httpx.post(server.graphql_url, json={"query": LOAD_QUERY, "extensions": apq}, timeout=20)
    get = {"params": {"extensions": json.dumps(apq)}, "headers": {"apollo-require-preflight": "true"}, "timeout": 20}
    etag_a = httpx.get(server.graphql_url, **get).headers["etag"]

    bad = server.data_dir / "models" / "broken.ttl"
    corruptions = {
        "syntax": "@prefix ma: <https://modelatlas.dev/ns#> .\nma:x a ma:Model ;\n    ma:status \"active\" ;;; oops\n",
        "shape": PROBE_MODEL_TTL.replace('"active"', '"sleeping"'),
        "undefined-prefix": "model:x a ma:Model .\n",
    }
    for kind, text in corruptions.items():
        bad.write_text(text, encoding="utf-8")
        rejected = admin_reload(server)
        print(f"\nreload with a {kind} error: HTTP {rejected.status_code} {rejected.text[:300]}")
        assert rejected.status_code == 422, (kind, rejected.status_code, rejected.text)
        outcome = rejected.json()
        assert outcome["status"] == "rejected" and outcome["reason"], outcome
        if kind != "shape":
            assert "broken.ttl" in outcome["reason"], outcome
        else:
            assert "sleeping" in outcome["reason"] or "status" in outcome["reason"], outcome
        assert server.ready()["dataVersion"] == version_a
        assert version_and_count(server) == (version_a, count_a)

    # SIGHUP with the broken file: rejected too, the process keeps serving version A
    before = reloads_metric(server, "rejected")
    server.hup()
    deadline = time.monotonic() + 20
    while reloads_metric(server, "rejected") <= before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reloads_metric(server, "rejected") == before + 1
    assert server.alive() and version_and_count(server) == (version_a, count_a)

    # the data directory gone: rejected
    moved = server.data_dir.with_name("data-moved")
    server.data_dir.rename(moved)
    try:
        gone = admin_reload(server)
        assert gone.status_code == 422 and gone.json()["status"] == "rejected", gone.text
        assert version_and_count(server) == (version_a, count_a)
    finally:
        moved.rename(server.data_dir)

    bad.unlink()
    add_probe(server)
    swapped = admin_reload(server)
    assert swapped.status_code == 200, swapped.text
    outcome = swapped.json()
    assert outcome["status"] == "swapped" and outcome["dataVersion"] != version_a, outcome
    version_b = outcome["dataVersion"]
    assert server.ready()["dataVersion"] == version_b
    assert version_and_count(server) == (version_b, count_a + 1)
    after = httpx.get(server.graphql_url, **{**get, "headers": {**get["headers"], "if-none-match": etag_a}})
    assert after.status_code == 200 and after.headers["x-data-version"] == version_b, (after.status_code, after.headers)
    assert after.headers["etag"] != etag_a
    assert PROBE in [e["node"]["slug"] for e in after.json()["data"]["models"]["edges"]]


@pytest.mark.timeout(30)
def test_admin_reload_off_without_token(live_prod):
    for headers in ({}, {"authorization": "Bearer anything"}):
        response = httpx.post(live_prod.url("/admin/reload"), headers=headers, timeout=20)
        assert response.status_code == 404, (response.status_code, response.text)
