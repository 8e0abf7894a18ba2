"""A VM's record in the registry, and the rules every record obeys.

The same rules apply to a VM `agentvm new` is about to create and to one read back
from vms.toml, so a registry the CLI wrote always loads again.
"""

from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address
from pathlib import Path

from agentvm.errors import AgentvmError
from agentvm.names import check_domain, check_vm_name
from agentvm.network import Network, address_of, is_vm_index, mac_of, tap_of

DEFAULT_VCPU = 4
DEFAULT_MEM_MIB = 4096
# Below this a NixOS guest with a writable store overlay does not boot.
MIN_MEM_MIB = 256


class Egress(StrEnum):
    """What the VM may reach beyond DNS: the internet, listed domains, or nothing."""

    INTERNET = "internet"
    ALLOWLIST = "allowlist"
    NONE = "none"


def parse_egress(value: str) -> Egress:
    try:
        return Egress(value)
    except ValueError:
        choices = ", ".join(egress.value for egress in Egress)
        raise AgentvmError(f"unknown egress {value!r}: choose one of {choices}") from None


@dataclass(frozen=True)
class Vm:
    name: str
    index: int
    ip: IPv4Address
    mac: str
    tap: str
    vcpu: int
    mem: int  # MiB
    user: str
    uid: int
    gid: int
    state_dir: Path
    workspace: Path
    egress: Egress
    allow: tuple[str, ...]


def check_vm(vm: Vm, network: Network) -> None:
    check_vm_name(vm.name)
    if not is_vm_index(network, vm.index):
        raise AgentvmError(f"index {vm.index} is not a VM address in {network.subnet}")
    derived = {
        "ip": (vm.ip, address_of(network, vm.index)),
        "mac": (vm.mac, mac_of(vm.index)),
        "tap": (vm.tap, tap_of(vm.index)),
    }
    for field, (actual, expected) in derived.items():
        if actual != expected:
            raise AgentvmError(f"{field} {actual} does not match index {vm.index} ({expected})")
    if vm.vcpu < 1:
        raise AgentvmError(f"vcpu must be at least 1, got {vm.vcpu}")
    if vm.mem < MIN_MEM_MIB:
        raise AgentvmError(f"mem must be at least {MIN_MEM_MIB} MiB, got {vm.mem}")
    if vm.uid < 0 or vm.gid < 0:
        raise AgentvmError(f"uid and gid must not be negative, got {vm.uid} and {vm.gid}")
    if vm.uid == 0 or vm.user == "root":
        raise AgentvmError(
            "the VM's user is root: the agent would be root in the VM and could read its "
            "SSH host key; run agentvm as your user (or with sudo from your user)"
        )
    for field, path in (("state_dir", vm.state_dir), ("workspace", vm.workspace)):
        if not path.is_absolute():
            raise AgentvmError(f"{field} {path} must be an absolute path")
    if vm.allow and vm.egress is not Egress.ALLOWLIST:
        raise AgentvmError(
            f"allow needs egress {Egress.ALLOWLIST.value!r}, not {vm.egress.value!r}"
        )
    for domain in vm.allow:
        check_domain(domain)
