"""The client's address behind trusted reverse proxies: the right-most ``X-Forwarded-For`` hop no trusted proxy added.

Nothing is trusted by default (``MODELATLAS_TRUSTED_PROXIES`` empty): the client is the TCP peer and the header is
ignored, so no client can choose its own rate-limit key. Each trusted proxy appends the address it received the
request from; walking the header from the right past trusted proxies gives the first address that no trusted party
vouches for, the client. The left-most hop is whatever the client wrote, so it is never taken on its own word.

>>> trusted = trusted_networks(["127.0.0.1", "10.0.0.0/8"])
>>> client_address("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", trusted)
'203.0.113.7'
>>> client_address("127.0.0.1", "6.6.6.6", ())
'127.0.0.1'
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

__all__ = ["Network", "client_address", "trusted_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses and CIDR ranges as networks (an address is a network of one); a bad entry is a ValueError.

    >>> trusted_networks(["127.0.0.1", "fd00::/8"])
    (IPv4Network('127.0.0.1/32'), IPv6Network('fd00::/8'))
    """
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def client_address(peer: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client of a request from ``peer`` with this ``X-Forwarded-For`` (several headers joined by commas).

    ``peer`` itself unless it is a trusted proxy; else the right-most hop that is not a trusted proxy; when every hop
    is trusted, the left-most (the farthest proxy seen).

    >>> trusted = trusted_networks(["127.0.0.1"])
    >>> client_address("127.0.0.1", "1.1.1.1, 2.2.2.2", trusted)
    '2.2.2.2'
    >>> client_address("192.0.2.9", "1.1.1.1", trusted)   # not from a trusted proxy: the header is the client's word
    '192.0.2.9'
    >>> client_address("127.0.0.1", "127.0.0.1, 127.0.0.1", trusted)
    '127.0.0.1'
    """
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # "unknown", an obfuscated identifier, garbage: no proxy of ours
        return False
    return any(ip in network for network in trusted)
