"""How the commands present VMs: JSON records, the list table, details, next steps."""

from pathlib import Path
from typing import Any

from agentvm.lifecycle import VmStatus
from agentvm.registry import vm_table
from agentvm.systemd import unit_name
from agentvm.vm import Vm

UNKNOWN_STATE = "unknown"


def vm_record(status: VmStatus) -> dict[str, Any]:
    """The VM as JSON: its registry fields, plus its name and unit state (null if unknown)."""
    return {"name": status.vm.name, **vm_table(status.vm), "state": status.state}


def vm_list_table(statuses: list[VmStatus]) -> str:
    header = ("NAME", "IP", "VCPU", "MEM", "EGRESS", "STATE")
    rows = [header] + [
        (
            status.vm.name,
            str(status.vm.ip),
            str(status.vm.vcpu),
            f"{status.vm.mem}M",
            status.vm.egress.value,
            status.state or UNKNOWN_STATE,
        )
        for status in statuses
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def vm_details(status: VmStatus) -> str:
    fields = {**vm_record(status), "state": status.state or UNKNOWN_STATE}
    fields["allow"] = ", ".join(status.vm.allow)
    return "\n".join(f"{key}: {value}" for key, value in fields.items())


def next_steps(vm: Vm, registry_path: Path) -> str:
    return (
        f"Created VM {vm.name!r}: {vm.ip}, tap {vm.tap}, MAC {vm.mac}, state in {vm.state_dir}\n"
        "Next:\n"
        f"  1. rebuild the host so it reads {registry_path}, e.g. `sudo nixos-rebuild switch`\n"
        f"  2. start the VM: `sudo systemctl start {unit_name(vm.name)}`\n"
        f"  3. log in: `agentvm ssh {vm.name}`"
    )
