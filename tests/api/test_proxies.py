"""Forwarded headers: trusted from the listed proxies only, and then only the right-most hop they did not add.

The live tests run a real ``modelatlas serve`` with a low rate limit and send, from 127.0.0.1, requests whose
``X-Forwarded-For`` claims a fresh address each time, as a local proxy passing the client's header through would.
"""

from __future__ import annotations

import ipaddress
import json
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given, strategies as st

from modelatlas.api.http.proxies import client_address, trusted_networks
from tests.live_server import start_server

LIMIT = 5
QUERY = {"query": "{ dataVersion }"}

# a small pool, so trusted and untrusted addresses meet often; plus garbage a client may write
ADDRESSES = st.sampled_from(["127.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "192.0.2.1", "192.0.2.2", "::1",
                             "2001:db8::1", "unknown", "1.2.3.4:80", ""]) | st.ip_addresses().map(str)
NETWORKS = st.lists(st.sampled_from(["127.0.0.1", "10.0.0.0/31", "10.0.0.0/8", "192.0.2.2", "::1", "2001:db8::/32"]),
                    max_size=4)
HOPS = st.lists(ADDRESSES, max_size=6)


def trusted_ip(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n) for n in networks)


@given(ADDRESSES, HOPS, NETWORKS)
def test_the_client_is_the_peer_or_a_hop_of_the_header(peer, hops, networks):
    header = ", ".join(hops)
    assert client_address(peer, header, trusted_networks(networks)) in {peer, *(h.strip() for h in hops)}


@given(ADDRESSES, HOPS)
def test_without_trusted_proxies_the_client_is_the_peer(peer, hops):
    assert client_address(peer, ", ".join(hops), ()) == peer


@given(ADDRESSES, HOPS, NETWORKS)
def test_an_untrusted_peer_is_the_client_whatever_it_claims(peer, hops, networks):
    if not trusted_ip(peer, networks):
        assert client_address(peer, ", ".join(hops), trusted_networks(networks)) == peer


@given(HOPS, HOPS, NETWORKS)
def test_what_the_client_writes_left_of_an_untrusted_hop_changes_nothing(spoofed, hops, networks):
    """The key property: a client controls the left of the header; past the right-most untrusted hop nothing counts."""
    peer = "127.0.0.1"
    networks = [*networks, peer]
    trusted = trusted_networks(networks)
    honest = [h for h in hops if h]
    if any(not trusted_ip(h, networks) for h in honest):
        expected = next(h for h in reversed(honest) if not trusted_ip(h, networks))
        assert client_address(peer, ", ".join([*spoofed, *honest]), trusted) == expected
        assert client_address(peer, ", ".join(honest), trusted) == expected


def test_several_headers_read_as_one_list():
    assert client_address("127.0.0.1", "6.6.6.6,203.0.113.7, 127.0.0.1", trusted_networks(["127.0.0.1"])) == \
        "203.0.113.7"


# ------------------------------------------------------------------------------------------------ a real server


def spoofed_statuses(server, forwarded: list[str]) -> list[int]:
    with httpx.Client(base_url=server.base_url, timeout=20) as client:
        return [client.post("/graphql", json=QUERY, headers={"x-forwarded-for": f}).status_code for f in forwarded]


def access_clients(server, expected: int) -> set[str]:
    """The clients of the access log's /graphql lines, once `expected` of them are written (within 10 s).

    The server writes a request's access line after sending its response, so the last line may lag the answer.
    """
    give_up = time.monotonic() + 10
    while True:
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{") and '"path"' in line]
        hits = [line for line in lines if line["path"] == "/graphql"]
        if len(hits) >= expected or time.monotonic() > give_up:
            return {line["client"] for line in hits}
        time.sleep(0.05)


@pytest.mark.timeout(60)
def test_by_default_a_forwarded_header_does_not_choose_the_rate_limit_key(tmp_path: Path):
    with start_server(tmp_path, rate_limit=f"{LIMIT}/minute", response_cache="false") as server:
        statuses = spoofed_statuses(server, [f"198.51.100.{i}" for i in range(LIMIT + 3)])
        assert statuses == [200] * LIMIT + [429] * 3, statuses
        assert access_clients(server, LIMIT + 3) == {"127.0.0.1"}


@pytest.mark.timeout(60)
def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_key(tmp_path: Path):
    with start_server(tmp_path, rate_limit=f"{LIMIT}/minute", response_cache="false",
                      trusted_proxies="127.0.0.1") as server:
        # the client writes a fresh left-most address each time; the proxy appends the client's real one
        statuses = spoofed_statuses(server, [f"198.51.100.{i}, 203.0.113.7" for i in range(LIMIT + 2)])
        assert statuses == [200] * LIMIT + [429] * 2, statuses
        assert spoofed_statuses(server, ["203.0.113.8"]) == [200]  # another client: its own key
        assert access_clients(server, LIMIT + 3) == {"203.0.113.7", "203.0.113.8"}
