"""vms.toml, schema 1: parsing, checking and serialising the registry.

The registry is the one source of truth Nix reads (``builtins.fromTOML``). Reading is
strict: unknown keys, wrong types and inconsistent entries are errors, because the CLI
rewrites the whole file and must never drop or repeat what it does not understand.
"""

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

import tomli_w

from agentvm.atomicfile import Owner, write_atomically
from agentvm.errors import AgentvmError
from agentvm.names import check_vm_name
from agentvm.network import DEFAULT_NETWORK, Network, check_network
from agentvm.vm import Vm, check_vm, parse_egress

SCHEMA = 1
REGISTRY_MODE = 0o644  # Nix evaluation reads it, possibly as another user

# Every field of a [vms.NAME] table with its TOML type, in the order they are written.
_VM_FIELDS: dict[str, type] = {
    "index": int,
    "ip": str,
    "mac": str,
    "tap": str,
    "vcpu": int,
    "mem": int,
    "user": str,
    "uid": int,
    "gid": int,
    "state_dir": str,
    "workspace": str,
    "egress": str,
    "allow": list,
}
_NETWORK_FIELDS: dict[str, type] = {"bridge": str, "subnet": str, "gateway": str}
_TOP_LEVEL_FIELDS = {"schema", "network", "vms"}
_TOML_TYPE_NAMES = {int: "an integer", str: "a string", list: "an array"}


@dataclass(frozen=True)
class Registry:
    network: Network = DEFAULT_NETWORK
    vms: Mapping[str, Vm] = field(default_factory=dict)

    def with_vm(self, vm: Vm) -> "Registry":
        return replace(self, vms={**self.vms, vm.name: vm})

    def without_vm(self, name: str) -> "Registry":
        return replace(self, vms={key: vm for key, vm in self.vms.items() if key != name})

    def get(self, name: str) -> Vm:
        try:
            return self.vms[name]
        except KeyError:
            raise AgentvmError(f"no VM named {name!r} in the registry") from None


def load(path: Path) -> Registry:
    """The registry at ``path``; an empty one with the default network if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Registry()
    try:
        return parse(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise AgentvmError(f"{path}: malformed TOML: {error}") from None
    except AgentvmError as error:
        raise AgentvmError(f"{path}: {error}") from None


def save(path: Path, registry: Registry, new_file_owner: Owner | None) -> None:
    write_atomically(path, dumps(registry), REGISTRY_MODE, new_file_owner)


def parse(document: Mapping[str, Any]) -> Registry:
    _check_keys(document, required={"schema", "network"}, allowed=_TOP_LEVEL_FIELDS, where="")
    schema = document["schema"]
    if schema != SCHEMA or isinstance(schema, bool):
        raise AgentvmError(f"unsupported schema {schema!r}: this agentvm reads schema {SCHEMA}")
    network = _parse_network(_table(document, "network", where=""))
    vm_tables = _table(document, "vms", where="") if "vms" in document else {}
    vms = {
        name: _parse_vm(name, _table(vm_tables, name, where="vms."), network) for name in vm_tables
    }
    _check_unique(vms.values())
    return Registry(network, vms)


def dumps(registry: Registry) -> str:
    network = registry.network
    vms = sorted(registry.vms.values(), key=lambda vm: vm.index)
    return tomli_w.dumps(
        {
            "schema": SCHEMA,
            "network": {
                "bridge": network.bridge,
                "subnet": str(network.subnet),
                "gateway": str(network.gateway),
            },
            "vms": {vm.name: vm_table(vm) for vm in vms},
        }
    )


def vm_table(vm: Vm) -> dict[str, Any]:
    """The VM's [vms.NAME] table: plain TOML (and JSON) values, in ``_VM_FIELDS`` order."""
    return {
        "index": vm.index,
        "ip": str(vm.ip),
        "mac": vm.mac,
        "tap": vm.tap,
        "vcpu": vm.vcpu,
        "mem": vm.mem,
        "user": vm.user,
        "uid": vm.uid,
        "gid": vm.gid,
        "state_dir": str(vm.state_dir),
        "workspace": str(vm.workspace),
        "egress": vm.egress.value,
        "allow": list(vm.allow),
    }


def _parse_network(table: Mapping[str, Any]) -> Network:
    where = "network."
    _check_keys(table, required=_NETWORK_FIELDS.keys(), allowed=_NETWORK_FIELDS.keys(), where=where)
    _check_types(table, _NETWORK_FIELDS, where)
    try:
        network = Network(
            bridge=table["bridge"],
            subnet=IPv4Network(table["subnet"]),
            gateway=IPv4Address(table["gateway"]),
        )
        check_network(network)
    except (AgentvmError, ValueError) as error:  # ipaddress raises ValueErrors
        raise AgentvmError(f"network: {error}") from None
    return network


def _parse_vm(name: str, table: Mapping[str, Any], network: Network) -> Vm:
    check_vm_name(name)
    where = f"vms.{name}."
    _check_keys(table, required=_VM_FIELDS.keys(), allowed=_VM_FIELDS.keys(), where=where)
    _check_types(table, _VM_FIELDS, where)
    if not all(isinstance(domain, str) for domain in table["allow"]):
        raise AgentvmError(f"{where}allow: expected a list of strings")
    try:
        vm = Vm(
            name=name,
            index=table["index"],
            ip=IPv4Address(table["ip"]),
            mac=table["mac"],
            tap=table["tap"],
            vcpu=table["vcpu"],
            mem=table["mem"],
            user=table["user"],
            uid=table["uid"],
            gid=table["gid"],
            state_dir=Path(table["state_dir"]),
            workspace=Path(table["workspace"]),
            egress=parse_egress(table["egress"]),
            allow=tuple(table["allow"]),
        )
        check_vm(vm, network)
    except (AgentvmError, ValueError) as error:
        raise AgentvmError(f"vms.{name}: {error}") from None
    return vm


def _check_unique(vms: Iterable[Vm]) -> None:
    """No two VMs share an index (hence an IP, MAC or tap, all derived from it) or state."""
    owners: dict[tuple[str, object], str] = {}
    for vm in vms:
        for key in (("index", vm.index), ("state_dir", vm.state_dir)):
            if key in owners:
                raise AgentvmError(f"VMs {owners[key]!r} and {vm.name!r} share {key[0]} {key[1]}")
            owners[key] = vm.name


def _table(document: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = document[key]
    if not isinstance(value, dict):
        raise AgentvmError(f"{where}{key}: expected a table")
    return value


def _check_keys(
    table: Mapping[str, Any], required: Collection[str], allowed: Collection[str], where: str
) -> None:
    place = where.rstrip(".") or "top level"
    if missing := sorted(set(required) - table.keys()):
        raise AgentvmError(f"{place}: missing {', '.join(missing)}")
    if unknown := sorted(table.keys() - set(allowed)):
        raise AgentvmError(f"{place}: unknown {', '.join(unknown)}")


def _check_types(table: Mapping[str, Any], types: Mapping[str, type], where: str) -> None:
    for key, expected in types.items():
        value = table[key]
        # TOML booleans are Python bools, which are also ints: refuse them explicitly.
        if not isinstance(value, expected) or isinstance(value, bool):
            raise AgentvmError(
                f"{where}{key}: expected {_TOML_TYPE_NAMES[expected]}, got {value!r}"
            )
