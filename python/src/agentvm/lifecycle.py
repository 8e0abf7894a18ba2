"""What each command does, as one transaction over the registry and the state on disk.

Writers hold the registry directory's lock from reading the registry until the new one
is in place, key generation included, so concurrent commands never hand out one index
twice or lose an entry. Every check runs before the first change, and a failure after
it rolls back what was created: a command either completes or changes nothing.
"""

import os
import shutil
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from agentvm.atomicfile import Owner, directory_lock
from agentvm.errors import AgentvmError
from agentvm.keys import find_ssh_keygen
from agentvm.names import check_vm_name
from agentvm.network import address_of, lowest_free_index, mac_of, tap_of
from agentvm.registry import load, save
from agentvm.state import (
    DEFAULT_STATE_ROOT_NAME,
    create_state,
    default_workspace,
    remove_state,
    replace_host_key,
    ssh_config_path,
)
from agentvm.systemd import is_running, unit_name, unit_states
from agentvm.users import hands_files_to_user, invoking_user
from agentvm.vm import DEFAULT_MEM_MIB, DEFAULT_VCPU, Egress, Vm, check_vm, parse_egress


@dataclass(frozen=True)
class NewVm:
    """What `agentvm new` was asked for; None means the default."""

    name: str
    state_root: Path | None = None
    workspace: Path | None = None
    vcpu: int = DEFAULT_VCPU
    mem: int = DEFAULT_MEM_MIB
    egress: str = Egress.INTERNET.value
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class VmStatus:
    vm: Vm
    state: str | None  # of the microvm@NAME unit; None where systemd cannot be asked


def create_vm(registry_path: Path, request: NewVm) -> Vm:
    check_vm_name(request.name)
    egress = parse_egress(request.egress)
    ssh_keygen = find_ssh_keygen()
    user = invoking_user()
    state_dir = _absolute(request.state_root or user.home / DEFAULT_STATE_ROOT_NAME) / request.name
    workspace = _absolute(request.workspace) if request.workspace else default_workspace(state_dir)
    with directory_lock(_registry_directory(registry_path)):
        registry = load(registry_path)
        if request.name in registry.vms:
            raise AgentvmError(f"a VM named {request.name!r} is already registered")
        taken = {vm.index for vm in registry.vms.values()}
        index = lowest_free_index(registry.network, taken)
        vm = Vm(
            name=request.name,
            index=index,
            ip=address_of(registry.network, index),
            mac=mac_of(index),
            tap=tap_of(index),
            vcpu=request.vcpu,
            mem=request.mem,
            user=user.name,
            uid=user.uid,
            gid=user.gid,
            state_dir=state_dir,
            workspace=workspace,
            egress=egress,
            allow=request.allow,
        )
        check_vm(vm, registry.network)
        with ExitStack() as undo:
            create_state(vm, _files_owner(vm), ssh_keygen, undo)
            save(registry_path, registry.with_vm(vm), _files_owner(vm))
            undo.pop_all()
    return vm


def remove_vm(registry_path: Path, name: str, *, purge: bool, force: bool) -> list[Path]:
    """Unregister the VM and remove its state; return the paths that were kept."""
    with directory_lock(_registry_directory(registry_path)):
        registry = load(registry_path)
        vm = registry.get(name)
        if not force and is_running(name):
            raise AgentvmError(
                f"VM {name!r} is running ({unit_name(name)}): stop it first, or pass --force"
            )
        kept = remove_state(vm, purge)
        save(registry_path, registry.without_vm(name), _files_owner(vm))
    return kept


def rekey_vm(registry_path: Path, name: str) -> Vm:
    ssh_keygen = find_ssh_keygen()
    with directory_lock(_registry_directory(registry_path)):
        vm = load(registry_path).get(name)
        replace_host_key(vm, _files_owner(vm), ssh_keygen)
    return vm


def list_vms(registry_path: Path) -> list[VmStatus]:
    vms = sorted(load(registry_path).vms.values(), key=lambda vm: vm.name)
    states = unit_states([vm.name for vm in vms])
    return [VmStatus(vm, states[vm.name]) for vm in vms]


def show_vm(registry_path: Path, name: str) -> VmStatus:
    vm = load(registry_path).get(name)
    return VmStatus(vm, unit_states([name])[name])


def ssh_command(registry_path: Path, name: str, command: Sequence[str]) -> list[str]:
    """The argv that opens an SSH session (or runs ``command``) in the VM, verified."""
    vm = load(registry_path).get(name)
    ssh = shutil.which("ssh")
    if ssh is None:
        raise AgentvmError("ssh not found on PATH: install OpenSSH")
    return [ssh, "-F", str(ssh_config_path(vm)), vm.name, *command]


def _registry_directory(registry_path: Path) -> Path:
    return _absolute(registry_path).parent


def _absolute(path: Path) -> Path:
    """``path`` made absolute without resolving symlinks, which must stay visible to checks."""
    return Path(os.path.normpath(path.absolute()))


def _files_owner(vm: Vm) -> Owner | None:
    """Who must own new files: the VM's user when running as root (under sudo)."""
    return Owner(vm.uid, vm.gid) if hands_files_to_user() else None
