"""The VM network, and the addresses and names each VM derives from its index.

A VM's index is its host offset in the subnet: everything per-VM that must not collide
(IP, MAC, tap name) is a function of it, so one unique index means no collision.
"""

from collections.abc import Collection
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from agentvm.errors import AgentvmError

# Linux interface names have at most 15 characters (IFNAMSIZ - 1).
MAX_INTERFACE_NAME_LENGTH = 15
TAP_PREFIX = "agentvm"
# A /8 has fewer than 10**8 indexes, so "agentvm" + index fits in 15 characters;
# a /30 is the smallest subnet with a host address left beside the gateway.
_SHORTEST_PREFIX = 8
_LONGEST_PREFIX = 30


@dataclass(frozen=True)
class Network:
    bridge: str
    subnet: IPv4Network
    gateway: IPv4Address


DEFAULT_NETWORK = Network(
    bridge="microbr",
    subnet=IPv4Network("192.168.83.0/24"),
    gateway=IPv4Address("192.168.83.1"),
)


def check_network(network: Network) -> None:
    """Refuse a network that cannot give every VM a valid address, MAC and tap name."""
    if not 0 < len(network.bridge) <= MAX_INTERFACE_NAME_LENGTH:
        raise AgentvmError(
            f"bridge name {network.bridge!r} must have 1 to {MAX_INTERFACE_NAME_LENGTH} characters"
        )
    prefix = network.subnet.prefixlen
    if not _SHORTEST_PREFIX <= prefix <= _LONGEST_PREFIX:
        raise AgentvmError(
            f"subnet {network.subnet} must have a prefix length from "
            f"/{_SHORTEST_PREFIX} to /{_LONGEST_PREFIX}"
        )
    if network.gateway not in network.subnet or network.gateway in (
        network.subnet.network_address,
        network.subnet.broadcast_address,
    ):
        raise AgentvmError(f"gateway {network.gateway} must be a host address in {network.subnet}")


def is_vm_index(network: Network, index: int) -> bool:
    """True for host offsets in the subnet other than the gateway's."""
    return (
        0 < index < network.subnet.num_addresses - 1
        and address_of(network, index) != network.gateway
    )


def address_of(network: Network, index: int) -> IPv4Address:
    return network.subnet.network_address + index


def mac_of(index: int) -> str:
    """A locally administered unicast MAC: 02:00 followed by the index as 4 bytes."""
    return ":".join(f"{byte:02x}" for byte in bytes([0x02, 0x00]) + index.to_bytes(4, "big"))


def tap_of(index: int) -> str:
    return f"{TAP_PREFIX}{index}"


def lowest_free_index(network: Network, taken: Collection[int]) -> int:
    for index in range(1, network.subnet.num_addresses - 1):
        if index not in taken and is_vm_index(network, index):
            return index
    raise AgentvmError(f"subnet {network.subnet} is exhausted: every VM address is taken")
