"""Whether a VM's ``microvm@NAME`` unit runs, asked of systemctl where there is one."""

import shutil
import subprocess
from collections.abc import Sequence

# States in which the VM's hypervisor may be running (systemctl is-active vocabulary).
RUNNING_STATES = frozenset({"active", "activating", "deactivating", "reloading", "refreshing"})


def unit_name(vm_name: str) -> str:
    return f"microvm@{vm_name}"


def unit_states(vm_names: Sequence[str]) -> dict[str, str | None]:
    """Each VM's unit state ("active", "inactive", "failed", …), or None if unknown.

    One systemctl call answers for every VM, so `agentvm list` stays fast with many VMs.
    Unknown: no systemctl on PATH, or a systemctl that cannot talk to systemd.
    """
    unknown: dict[str, str | None] = dict.fromkeys(vm_names)
    systemctl = shutil.which("systemctl")
    if systemctl is None or not vm_names:
        return unknown
    # is-active exits non-zero when any unit is not active; its stdout still says which.
    result = subprocess.run(
        [systemctl, "is-active", *map(unit_name, vm_names)],
        capture_output=True,
        text=True,
        check=False,
    )
    states = result.stdout.split()
    if len(states) != len(vm_names):
        return unknown
    return dict(zip(vm_names, states, strict=True))


def is_running(vm_name: str) -> bool:
    return unit_states([vm_name])[vm_name] in RUNNING_STATES
