"""The reverse proxy in front of ``pmo serve``: which peers' forwarding headers are believed.

waitress believes ``X-Forwarded-*`` only from one exact address and drops them from every
other peer. PMO Hub accepts a list of addresses and networks (``PMO_TRUSTED_PROXY``, ADR
0017): :func:`parse_trusted_proxies` reads it, :func:`trust_proxies` wraps the WSGI
application so a request from one of them has its scheme, host and client address taken
from the headers (by waitress's own parser), and any other peer's headers are removed.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "DEFAULT_PROXY_HEADERS",
    "KNOWN_PROXY_HEADERS",
    "is_trusted",
    "parse_proxy_headers",
    "parse_trusted_proxies",
    "trust_proxies",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

KNOWN_PROXY_HEADERS = (
    "x-forwarded-proto",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-by",
    "forwarded",
)
DEFAULT_PROXY_HEADERS = ("x-forwarded-proto", "x-forwarded-for", "x-forwarded-host")


def parse_trusted_proxies(text: str) -> tuple[str, ...]:
    """The proxies in ``text``: addresses or networks, comma-separated, or ``*`` for any peer.

    Each comes back normalised (``10.0.0.0/8``, ``127.0.0.1/32``, ``::1/128``); a bad entry is
    a ``ValueError`` naming it.

    >>> parse_trusted_proxies(" 127.0.0.1, 10.0.0.0/8 ,::1")
    ('127.0.0.1/32', '10.0.0.0/8', '::1/128')
    >>> parse_trusted_proxies("*")
    ('*',)
    """
    entries = [entry.strip() for entry in text.split(",") if entry.strip()]
    if entries == ["*"]:
        return ("*",)
    networks: list[str] = []
    for entry in entries:
        try:
            networks.append(str(ipaddress.ip_network(entry.strip("[]"), strict=False)))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (give addresses like 127.0.0.1 "
                "or 10.0.0.0/8, comma-separated, or * alone for any peer)"
            ) from None
    return tuple(networks)


def parse_proxy_headers(text: str) -> tuple[str, ...]:
    """The forwarding headers to believe, comma-separated, in lower case.

    >>> parse_proxy_headers("X-Forwarded-Proto, x-forwarded-for")
    ('x-forwarded-proto', 'x-forwarded-for')
    """
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in KNOWN_PROXY_HEADERS:
            raise ValueError(f"{name!r} is not one of {', '.join(KNOWN_PROXY_HEADERS)}")
    if "forwarded" in names and len(names) > 1:
        raise ValueError("forwarded cannot be combined with the x-forwarded-* headers")
    return tuple(dict.fromkeys(names))


def is_trusted(address: str, proxies: Iterable[str]) -> bool:
    """Whether a peer at ``address`` is one of ``proxies`` (as :func:`parse_trusted_proxies`)."""
    proxies = tuple(proxies)
    if "*" in proxies:
        return True
    try:
        peer = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped is not None:
        peer = peer.ipv4_mapped
    return any(peer in network for network in _networks(proxies))


@functools.lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """``proxies`` parsed once (every request asks :func:`is_trusted`)."""
    return tuple(ipaddress.ip_network(network) for network in proxies)


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def trust_proxies(
    app: WSGIApp, proxies: Iterable[str], headers: Iterable[str], count: int = 1
) -> WSGIApp:
    """``app`` believing ``headers`` from the peers in ``proxies`` only, ``count`` hops deep.

    From any other peer every forwarding header is removed before the app sees the request,
    so a client talking to the server directly cannot claim https or another address.
    """
    from waitress.proxy_headers import proxy_headers_middleware

    proxies = tuple(proxies)
    believing = proxy_headers_middleware(
        app,
        trusted_proxy="*",  # the peer was checked below
        trusted_proxy_count=count,
        trusted_proxy_headers=set(headers),
        clear_untrusted=True,
    )
    clearing = proxy_headers_middleware(app, trusted_proxy=None, clear_untrusted=True)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        trusted = is_trusted(str(environ.get("REMOTE_ADDR", "")), proxies)
        return (believing if trusted else clearing)(environ, start_response)

    return application
