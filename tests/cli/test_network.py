"""Addresses, MACs and tap names derived from the index, the way Nix reads them."""

from ipaddress import IPv4Address, IPv4Network

import pytest

from agentvm.errors import AgentvmError
from agentvm.network import (
    DEFAULT_NETWORK,
    MAX_INTERFACE_NAME_LENGTH,
    Network,
    address_of,
    check_network,
    is_vm_index,
    lowest_free_index,
    mac_of,
    tap_of,
)


@pytest.mark.parametrize(
    ("index", "mac"),
    [(2, "02:00:00:00:00:02"), (255, "02:00:00:00:00:ff"), (300, "02:00:00:00:01:2c")],
)
def test_mac_is_locally_administered_unicast_with_the_index(index: int, mac: str) -> None:
    assert mac_of(index) == mac
    first_octet = int(mac_of(index)[:2], 16)
    assert first_octet & 0b10, "locally administered"
    assert not first_octet & 0b01, "unicast"


def test_address_is_the_host_offset_in_the_subnet() -> None:
    assert address_of(DEFAULT_NETWORK, 2) == IPv4Address("192.168.83.2")
    wide = Network("microbr", IPv4Network("10.20.0.0/16"), IPv4Address("10.20.0.1"))
    assert address_of(wide, 300) == IPv4Address("10.20.1.44")


def test_tap_names_fit_in_an_interface_name_for_the_widest_subnet() -> None:
    widest = Network("microbr", IPv4Network("10.0.0.0/8"), IPv4Address("10.0.0.1"))
    check_network(widest)
    assert len(tap_of(widest.subnet.num_addresses - 2)) <= MAX_INTERFACE_NAME_LENGTH


def test_network_gateway_and_broadcast_are_no_vm_indexes() -> None:
    assert [index for index in (0, 1, 2, 254, 255) if is_vm_index(DEFAULT_NETWORK, index)] == [
        2,
        254,
    ]


def test_lowest_free_index_skips_the_gateway_and_taken_indexes() -> None:
    high_gateway = Network("microbr", IPv4Network("192.168.83.0/24"), IPv4Address("192.168.83.254"))
    assert lowest_free_index(DEFAULT_NETWORK, set()) == 2
    assert lowest_free_index(DEFAULT_NETWORK, {2, 3, 5}) == 4
    assert lowest_free_index(high_gateway, set()) == 1


def test_exhausted_subnet_is_an_error() -> None:
    with pytest.raises(AgentvmError, match="exhausted"):
        lowest_free_index(DEFAULT_NETWORK, set(range(2, 255)))


@pytest.mark.parametrize(
    ("subnet", "gateway", "error"),
    [
        ("10.0.0.0/7", "10.0.0.1", "prefix length"),
        ("10.0.0.0/31", "10.0.0.1", "prefix length"),
        ("10.0.0.0/24", "10.0.1.1", "must be a host address"),
        ("10.0.0.0/24", "10.0.0.255", "must be a host address"),
    ],
)
def test_networks_that_cannot_address_vms_are_refused(
    subnet: str, gateway: str, error: str
) -> None:
    with pytest.raises(AgentvmError, match=error):
        check_network(Network("microbr", IPv4Network(subnet), IPv4Address(gateway)))
