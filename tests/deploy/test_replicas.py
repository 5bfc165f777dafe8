"""The documented deployment, for real on 127.0.0.1: one ``redis-server`` (deploy/redis.conf), three ``modelatlas
serve`` replicas sharing it (``MODELATLAS_REDIS_URL``) and a data directory, and ``nginx`` in front of them
(deploy/nginx.conf.in), which the replicas trust as their proxy (``MODELATLAS_TRUSTED_PROXIES=127.0.0.1``).

Clients connect to nginx from other loopback addresses (127.0.x.y), so each has its own address as the replicas see
it through ``X-Forwarded-For``. The tests run in this order on one deployment: the rate limit across replicas, a
persisted query across replicas, a rolling reload under load, and a replica killed under load (the last one).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from modelatlas.bench.server import LiveServer, launch
from tests.live_server import PROBE_MODEL_TTL, copy_data, modelatlas_command, server_env
from tests.services import Balancer, RedisServer, start_nginx, start_redis

pytestmark = pytest.mark.slow

REPLICAS = 3
RATE_LIMIT = 50  # requests per minute and client
TOKEN = "test-admin-token-of-32-characters"
LOAD_QUERY = "query Load { dataVersion models(first: 100) { totalCount edges { node { slug } } } }"
PROBE = "reload-probe-1"
WORKERS = 16  # concurrent clients of a load phase
ADDRESSES = 250  # source addresses a load phase rotates over, each under its rate limit: 250 x 50 > MAX_REQUESTS
MAX_REQUESTS = 12000  # a load phase stops at this many requests whatever happens (bounded load)


@dataclass
class Deployment:
    redis: RedisServer
    replicas: list[LiveServer]
    balancer: Balancer
    data_dir: Path
    started_seconds: float


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("replicas")
    start = time.monotonic()
    with contextlib.ExitStack() as stack:
        redis = stack.enter_context(start_redis(tmp / "redis"))
        data = copy_data(tmp / "data")  # one data directory for all (a shared volume); one compiled cache too
        env = server_env(data, tmp / "cache", redis_url=redis.url, trusted_proxies="127.0.0.1", admin_token=TOKEN,
                         rate_limit=f"{RATE_LIMIT}/minute")
        replicas = [stack.enter_context(launch(lambda port: [*modelatlas_command(), "serve"], env,
                                               tmp / f"replica-{i}.log", cwd=tmp, deadline=90))
                    for i in range(REPLICAS)]  # the first writes the compiled cache, the others start from it
        balancer = stack.enter_context(start_nginx(tmp / "nginx", [f"127.0.0.1:{r.port}" for r in replicas]))
        yield Deployment(redis, replicas, balancer, data, time.monotonic() - start)


def client_at(address: str) -> httpx.Client:
    """A client whose connections leave from ``address`` (any of 127.0.0.0/8 is this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


def graphql(client: httpx.Client, url: str, body: dict[str, object], request_id: str | None = None) -> httpx.Response:
    headers = {"x-request-id": request_id} if request_id else {}
    return client.post(url + "/graphql", json=body, headers=headers)


def apq(query: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


# ------------------------------------------------------------------------------------------- (a) one rate limit


@pytest.mark.timeout(300)  # includes starting the deployment
def test_one_clients_rate_limit_holds_across_replicas(deployment: Deployment):
    lb = deployment.balancer
    sent = 3 * RATE_LIMIT
    with client_at("127.0.0.2") as client:
        answers = [graphql(client, lb.base_url, {"query": "{ dataVersion }"}, f"a-{n}") for n in range(sent)]
    with client_at("127.0.0.3") as other:
        other_status = graphql(other, lb.base_url, {"query": "{ dataVersion }"}).status_code
    statuses = Counter(a.status_code for a in answers)
    tried = lb.upstreams()
    by_status: dict[int, set[str]] = {}
    for n, answer in enumerate(answers):
        by_status.setdefault(answer.status_code, set()).add(tried[f"a-{n}"][-1])
    remaining = [int(a.headers["ratelimit-remaining"]) for a in answers if a.status_code == 200]
    print(f"\n(a) deployment of {REPLICAS} replicas + nginx + Redis ready in {deployment.started_seconds:.1f} s; "
          f"rate limit {RATE_LIMIT}/minute: one client sent {sent} requests: {statuses[200]} answered, "
          f"{statuses[429]} refused (429) across replicas; answered by {len(by_status.get(200, ()))} replicas, "
          f"refused by {len(by_status.get(429, ()))}")
    assert statuses == Counter({200: RATE_LIMIT, 429: sent - RATE_LIMIT}), statuses  # in process: 3 x 50 answered
    assert len(by_status[200]) == REPLICAS and len(by_status[429]) == REPLICAS, by_status
    assert remaining == list(range(RATE_LIMIT - 1, -1, -1))  # one count, whichever replica answers
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED" and refused.headers["retry-after"]
    assert other_status == 200  # the limit is the client's (its address through X-Forwarded-For), not nginx's


# ------------------------------------------------------------------------------------------ (b) one APQ registry


@pytest.mark.timeout(60)
def test_a_hash_registered_through_one_replica_is_served_by_the_others(deployment: Deployment):
    query = "query Shared { dataVersion models(first: 1) { totalCount } }  # %s" % uuid.uuid4().hex
    first, *others = deployment.replicas
    get = {"params": {"extensions": json.dumps(apq(query))}, "headers": {"apollo-require-preflight": "true"}}
    with client_at("127.0.0.4") as client:
        unknown = client.get(others[0].graphql_url, **get).json()
        registered = graphql(client, first.base_url, {"query": query, "extensions": apq(query)})
        direct = [client.get(r.graphql_url, **get) for r in others]
        through = [client.get(deployment.balancer.base_url + "/graphql", **get) for _ in range(2 * REPLICAS)]
        etag = through[0].headers["etag"]  # the same on every replica: data version and date
        revalidated = [client.get(deployment.balancer.base_url + "/graphql", params=get["params"],
                                  headers={**get["headers"], "if-none-match": etag}) for _ in range(REPLICAS)]
    print(f"\n(b) a hash registered on the replica at :{first.port} was served by the replicas at "
          f"{[f':{r.port}' for r in others]} ({[d.status_code for d in direct]}) and {len(through)} times through nginx; "
          f"its ETag revalidated on every replica: {[r.status_code for r in revalidated]}")
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND", unknown
    assert registered.status_code == 200 and "errors" not in registered.json(), registered.text
    for answer in direct + through:
        assert answer.status_code == 200 and answer.json()["data"] == registered.json()["data"], answer.text
    assert [r.status_code for r in revalidated] == [304] * REPLICAS


# ----------------------------------------------------------------------------------------------- the load phases


Answer = tuple[str, float, httpx.Response | None, str]  # request id, when it ended, response or None, error


@dataclass
class Load:
    answers: list[Answer]
    capped: bool  # it stopped at MAX_REQUESTS, not when told

    def statuses(self) -> Counter[str]:
        return Counter(str(r.status_code) if r is not None else f"error: {e}" for _, _, r, e in self.answers)


async def run_load(base_url: str, phase: int, stop: asyncio.Event) -> Load:
    """WORKERS clients send LOAD_QUERY through nginx until ``stop`` (at most MAX_REQUESTS in all); a quarter of them
    as persisted GETs. Each request leaves from the next of ADDRESSES source addresses 127.0.<phase>.*."""
    answers: list[Answer] = []
    clients = [httpx.AsyncClient(base_url=base_url, timeout=30,
                                 transport=httpx.AsyncHTTPTransport(local_address=f"127.0.{phase}.{i + 1}"))
               for i in range(ADDRESSES)]
    rotation = itertools.cycle(clients)
    numbers = itertools.count()
    get_params = {"extensions": json.dumps(apq(LOAD_QUERY))}

    async def worker(n: int) -> None:
        while not stop.is_set():
            number = next(numbers)
            if number >= MAX_REQUESTS:
                return
            request_id, http = f"p{phase}-{number}", next(rotation)
            headers = {"x-request-id": request_id, "apollo-require-preflight": "true"}
            try:
                if n % 4 == 3:
                    response = await http.get("/graphql", params=get_params, headers=headers)
                else:
                    response = await http.post("/graphql", json={"query": LOAD_QUERY}, headers=headers)
                answers.append((request_id, time.monotonic(), response, ""))
            except httpx.HTTPError as exc:
                answers.append((request_id, time.monotonic(), None, type(exc).__name__))

    try:
        async with clients[0] as first:  # the GETs need the hash registered (on any replica: they share it)
            (await first.post("/graphql", json={"query": LOAD_QUERY, "extensions": apq(LOAD_QUERY)})).raise_for_status()
            await asyncio.gather(*(worker(n) for n in range(WORKERS)))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients[1:]))
    return Load(answers, capped=not stop.is_set())


def version_and_count(deployment: Deployment) -> tuple[str, int]:
    with client_at("127.0.0.5") as client:
        body = graphql(client, deployment.balancer.base_url, {"query": "{ dataVersion models { totalCount } }"}).json()
    return body["data"]["dataVersion"], body["data"]["models"]["totalCount"]


# ------------------------------------------------------------------------------------------ (c) a rolling reload


@pytest.mark.timeout(240)
def test_a_rolling_reload_never_mixes_data_versions(deployment: Deployment):
    version_a, count_a = version_and_count(deployment)
    assert {r.ready()["dataVersion"] for r in deployment.replicas} == {version_a}
    reloads: list[dict[str, object]] = []
    swapped_at: list[float] = []  # when each replica's reload answered

    async def controller(stop: asyncio.Event) -> None:
        await asyncio.sleep(1.5)
        probe = deployment.data_dir / "models" / "probe" / "probe.ttl"  # version B: one model more
        probe.parent.mkdir(exist_ok=True)
        probe.write_text(PROBE_MODEL_TTL, encoding="utf-8")
        async with httpx.AsyncClient(timeout=120, headers={"authorization": f"Bearer {TOKEN}"}) as admin:
            for replica in deployment.replicas:  # one after the other, straight to each replica
                response = await admin.post(replica.url("/admin/reload"))
                assert response.status_code == 200, response.text
                reloads.append(response.json())
                swapped_at.append(time.monotonic())
                await asyncio.sleep(1.0)
        await asyncio.sleep(0.5)
        stop.set()

    async def main() -> Load:
        stop = asyncio.Event()
        load, _ = await asyncio.gather(run_load(deployment.balancer.base_url, 3, stop), controller(stop))
        return load

    load = asyncio.run(main())
    versions = {outcome["dataVersion"] for outcome in reloads}
    assert [o["status"] for o in reloads] == ["swapped"] * REPLICAS and len(versions) == 1, reloads
    version_b = versions.pop()
    expected = {version_a: (count_a, False), version_b: (count_a + 1, True)}
    mixes: list[str] = []
    per_version: Counter[str] = Counter()
    during_roll: Counter[str] = Counter()  # answers while some replicas served A and others B
    for request_id, ended, response, _ in load.answers:
        if response is None or response.status_code != 200:
            continue
        body = response.json()
        if "errors" in body or not body.get("data"):
            mixes.append(f"{request_id}: not an answer: {response.text[:200]}")
            continue
        data = body["data"]
        header, body_version = response.headers.get("x-data-version"), data["dataVersion"]
        slugs = [edge["node"]["slug"] for edge in data["models"]["edges"]]
        per_version[body_version] += 1
        if swapped_at[0] < ended < swapped_at[-1] - 0.1:
            during_roll[body_version] += 1
        seen = (data["models"]["totalCount"], PROBE in slugs)
        if header != body_version or body_version not in expected or seen != expected[body_version] \
                or len(slugs) != seen[0]:
            mixes.append(f"{request_id}: header {header}, body {body_version}, {seen}")
    statuses = load.statuses()
    print(f"\n(c) rolling reload {version_a} -> {version_b} over {REPLICAS} replicas under load: "
          f"{len(load.answers)} requests, {dict(statuses)}, per version {dict(per_version)} (while the replicas "
          f"were split: {dict(during_roll)}), mixed versions: {len(mixes)}")
    assert not mixes, mixes[:5]
    assert statuses == Counter({"200": len(load.answers)}), statuses
    assert not load.capped, "the load stopped before the roll ended"
    assert during_roll[version_a] > 0 and during_roll[version_b] > 0, during_roll
    assert {r.ready()["dataVersion"] for r in deployment.replicas} == {version_b}


# ---------------------------------------------------------------------------------------- (d) a replica killed


@pytest.mark.timeout(120)
def test_killing_a_replica_under_load_loses_no_request(deployment: Deployment):
    victim = deployment.replicas[-1]
    killed_at: list[float] = []

    async def controller(stop: asyncio.Event) -> None:
        await asyncio.sleep(2.0)
        victim.process.kill()  # SIGKILL: no graceful shutdown, connections reset mid-request
        killed_at.append(time.monotonic())
        await asyncio.sleep(4.0)
        stop.set()

    async def main() -> Load:
        stop = asyncio.Event()
        load, _ = await asyncio.gather(run_load(deployment.balancer.base_url, 4, stop), controller(stop))
        return load

    load = asyncio.run(main())
    victim.process.wait(timeout=10)
    tried = deployment.balancer.upstreams()
    phase = {rid: tried[rid] for rid, _, _, _ in load.answers if rid in tried}
    after_kill = sum(ended > killed_at[0] for _, ended, _, _ in load.answers)
    served_by_victim = sum(hops[-1].endswith(f":{victim.port}") for hops in phase.values())
    retried = sum(len(hops) > 1 for hops in phase.values())
    statuses = load.statuses()
    noticed = [line for line in deployment.balancer.error_log().splitlines() if f":{victim.port}" in line]
    print(f"\n(d) nginx noticed: {noticed[0][:240] if noticed else '(nothing)'} ... ({len(noticed)} lines)")
    print(f"(d) replica :{victim.port} killed (SIGKILL) under load: {len(load.answers)} requests, {dict(statuses)}; "
          f"{served_by_victim} answered by it before the kill, {after_kill} after the kill, {retried} retried by nginx "
          f"on another replica; "
          f"lost: {len(load.answers) - statuses['200']}")
    assert statuses == Counter({"200": len(load.answers)}), statuses
    assert not load.capped and after_kill > 0, (load.capped, after_kill)
    assert served_by_victim > 0, "the killed replica never took a request: the test proved nothing"
    assert len(phase) == len(load.answers)  # nginx logged every request of the phase
