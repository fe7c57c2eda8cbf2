"""Which addresses and ports a server-side request may reach, decided after resolving the host.

The host is resolved here and every address it resolves to must be public: one private answer
refuses the host (a name that resolves to both is how rebinding attacks start). Numeric forms
(``2130706433``, ``0x7f.1``, ``[::1]``) reach the same check because the resolver turns them
into the address they mean. IPv6 forms that embed an IPv4 address (IPv4-mapped, 6to4, NAT64,
Teredo) are judged by the address they carry.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Ranges Python's ``is_global`` lets through in some versions but that are never a public host.
_NEVER_PUBLIC = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",  # IETF protocol assignments
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


class AddressRefused(Exception):
    """The host is not a public address (or resolves to one that is not); not to be contacted."""


@dataclass(frozen=True)
class AddressPolicy:
    """What a server-side request may reach.

    ``ports`` empty means any port; ``allow_private`` lifts the address rule (intranets, tests).
    """

    allow_private: bool = False
    ports: frozenset[int] = frozenset({80, 443})

    def allows_port(self, port: int) -> bool:
        return not self.ports or port in self.ports


def is_public_address(address: IPAddress) -> bool:
    """True only for a globally routable unicast address, looking inside embedding forms."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_public_address(embedded)
    if any(address in network for network in _NEVER_PUBLIC if network.version == address.version):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4, NAT64 or Teredo IPv6 address."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        return client if is_public_address(server) else server
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver; replaced in tests)."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in answers))


def vetted_addresses(host: str, port: int, policy: AddressPolicy) -> list[str]:
    """The addresses of ``host`` that may be connected to, in the resolver's order.

    :raises AddressRefused: a disallowed port, an unresolvable host, or any address not public.
    """
    if not policy.allows_port(port):
        raise AddressRefused(f"port {port} is not allowed")
    name = host.strip("[]").rstrip(".").lower()
    if not policy.allow_private and (name in _LOCAL_NAMES or name.endswith(".localhost")):
        raise AddressRefused(f"{name} is a local name")
    try:
        addresses = resolve(name, port)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"{name} could not be resolved: {error}") from None
    if not addresses:
        raise AddressRefused(f"{name} has no address")
    if not policy.allow_private:
        for text in addresses:
            if not is_public_address(ipaddress.ip_address(text.split("%", 1)[0])):
                raise AddressRefused(f"{name} resolves to a non-public address")
    return addresses
