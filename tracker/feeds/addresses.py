"""Decide which IP addresses the feed poller may connect to (the SSRF rule).

Only globally reachable addresses (`ipaddress`'s is_global) pass. Pure standard library:
`transport` calls `resolve_global` from inside its network backend, at the moment a
connection is opened, and then connects to one of the addresses returned here, so the
address checked is the address connected to.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits: 64:ff9b::7f00:1 is 127.0.0.1.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Order matters: 127.0.0.1 is also "private", and the most specific name is the clearest.
_CATEGORIES = (
    ("is_unspecified", "an unspecified"),
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_multicast", "a multicast"),
    ("is_private", "a private"),
    ("is_reserved", "a reserved"),
)


class AddressRefused(Exception):
    """Raised when a host is, or resolves to, an address the poller must not reach."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address carried inside an IPv6 one (mapped, 6to4, NAT64, Teredo)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def refusal_reason(address: str) -> str | None:
    """Return what kind of non-global address `address` is, or None when it is global."""
    # A zone id ("fe80::1%eth0") only ever comes with link-local addresses.
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    embedded = _embedded_ipv4(ip)
    if embedded is not None and (inner := refusal_reason(str(embedded))) is not None:
        return inner
    for attribute, label in _CATEGORIES:
        if getattr(ip, attribute):
            return f"{label} address"
    # is_global also rules out shared address space (100.64.0.0/10) and similar ranges.
    if not ip.is_global:
        return "a non-global address"
    return None


def _literal(host: str) -> str | None:
    """Return `host` without brackets when it is an IP literal, or None for a name."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        return None
    return bare


def resolve_global(host: str, port: int) -> list[str]:
    """Resolve `host` and return its addresses, refusing it if any one is not global."""
    literal = _literal(host)
    if literal is not None:
        reason = refusal_reason(literal)
        if reason is not None:
            raise AddressRefused(f"refused: {literal} is {reason}")
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"could not resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    # Refuse the whole name when any answer is not global: a name that mixes global and
    # private answers is either misconfigured or an attempt to race the check.
    for address in addresses:
        reason = refusal_reason(address)
        if reason is not None:
            raise AddressRefused(f"refused: {host} resolves to {address}, {reason}")
    if not addresses:
        raise OSError(f"could not resolve {host}: no addresses")
    return addresses
