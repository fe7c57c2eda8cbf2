"""The address rule: only globally routable unicast addresses, whatever form they come in."""
from __future__ import annotations

import ipaddress

import pytest

from newsroom.outbound import AddressPolicy, AddressRefused, is_public_address
from newsroom.outbound.addresses import vetted_addresses

NOT_PUBLIC = {
    "loopback": ["127.0.0.1", "127.8.9.10", "::1"],
    "private": ["10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "fc00::1", "fd12::1"],
    "link-local": ["169.254.169.254", "fe80::1"],
    "cgnat": ["100.64.0.1", "100.127.255.254"],
    "multicast": ["224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1"],
    "reserved": ["240.0.0.1", "255.255.255.255", "192.0.0.8", "198.18.0.1", "fec0::1"],
    "unspecified": ["0.0.0.0", "0.1.2.3", "::"],
    "documentation": ["192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1"],
    "ipv4-mapped": ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254"],
    "6to4": ["2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::"],
    "nat64": ["64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::a00:1"],
}
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
          "2002:808:808::1", "64:ff9b::808:808"]


@pytest.mark.parametrize(
    "text", [text for group in NOT_PUBLIC.values() for text in group],
)
def test_addresses_that_are_not_public(text):
    assert not is_public_address(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses(text):
    assert is_public_address(ipaddress.ip_address(text))


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST.", "feeds.localhost", "127.0.0.1", "[::1]", "2130706433",
     "0x7f.1", "0x7f000001", "017700000001", "127.1", "[::ffff:127.0.0.1]", "0.0.0.0",
     "169.254.169.254", "[fe80::1]"],
)
def test_hosts_that_mean_a_local_address_are_refused(host):
    with pytest.raises(AddressRefused):
        vetted_addresses(host, 80, AddressPolicy())


def test_a_disallowed_port_is_refused_before_any_lookup():
    with pytest.raises(AddressRefused, match="port 6379"):
        vetted_addresses("93.184.215.14", 6379, AddressPolicy())
    assert vetted_addresses("93.184.215.14", 8080, AddressPolicy(ports=frozenset({8080})))


def test_the_switch_lifts_the_address_rule_only():
    policy = AddressPolicy(allow_private=True)
    assert vetted_addresses("127.0.0.1", 80, policy) == ["127.0.0.1"]
    assert "127.0.0.1" in vetted_addresses("localhost", 443, policy)
    with pytest.raises(AddressRefused, match="port 22"):
        vetted_addresses("127.0.0.1", 22, policy)


def test_an_unresolvable_name_is_refused():
    with pytest.raises(AddressRefused, match="could not be resolved"):
        vetted_addresses("no-such-host.invalid", 80, AddressPolicy())
