"""A VM's state directory on the host: what `new` creates, `rekey` renews, `rm` removes.

Layout of ``<state root>/NAME`` (the Nix side derives the same sub-paths from
``state_dir``, so the names below are the contract)::

    ssh-host-keys/      0700  ssh_host_ed25519_key (0600) + .pub, shared with the guest sshd
    workspace/          0700  the agent's working tree, unless --workspace names another
    home/               0700  the guest user's per-VM home: agent config and credentials
    known_hosts         0600  "NAME,IP TYPE KEY": the host key, pinned
    ssh_config          0600  Host NAME with that known_hosts and StrictHostKeyChecking yes
"""

import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

from agentvm.atomicfile import Owner, write_atomically
from agentvm.errors import AgentvmError
from agentvm.keys import generate_host_key, known_hosts_line
from agentvm.sshconfig import render_ssh_config
from agentvm.vm import Vm

DEFAULT_STATE_ROOT_NAME = "microvm"  # under the user's home
HOST_KEYS_DIR = "ssh-host-keys"
WORKSPACE_DIR = "workspace"
HOME_DIR = "home"
KNOWN_HOSTS_FILE = "known_hosts"
SSH_CONFIG_FILE = "ssh_config"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def default_workspace(state_dir: Path) -> Path:
    return state_dir / WORKSPACE_DIR


def check_directory(path: Path, uid: int, what: str) -> bool:
    """Whether ``path`` exists, refusing it unless it is a real directory owned by ``uid``.

    A symlink or someone else's directory could redirect the VM's keys or workspace
    elsewhere, so neither is followed, written into or deleted.
    """
    try:
        status = path.lstat()
    except FileNotFoundError:
        return False
    if path.is_symlink():
        raise AgentvmError(f"{what} {path} is a symlink; refusing to follow it")
    if not path.is_dir():
        raise AgentvmError(f"{what} {path} is not a directory")
    if status.st_uid != uid:
        raise AgentvmError(f"{what} {path} is owned by uid {status.st_uid}, not {uid}")
    return True


def create_state(vm: Vm, owner: Owner | None, ssh_keygen: str, undo: ExitStack) -> None:
    """Create everything the VM needs on the host, registering its removal on ``undo``.

    The state is assembled in a hidden directory beside its final place and renamed into
    it, so a failure never leaves a half-made VM; ``owner`` (when running as root) gets
    every file created.
    """
    _check_workspace_location(vm)
    root = vm.state_dir.parent
    _ensure_directory(root, vm.uid, "state directory", owner, undo)
    replaces_empty_directory = check_directory(vm.state_dir, vm.uid, "VM state directory")
    if replaces_empty_directory and any(vm.state_dir.iterdir()):
        raise AgentvmError(
            f"{vm.state_dir} exists, is not empty and belongs to no registered VM; "
            "refusing to overwrite it"
        )
    if vm.workspace != default_workspace(vm.state_dir):
        _ensure_directory(vm.workspace, vm.uid, "workspace", owner, undo)

    staging = Path(tempfile.mkdtemp(prefix=f".{vm.name}.", suffix=".tmp", dir=root))
    undo.callback(shutil.rmtree, staging, ignore_errors=True)
    _populate(staging, vm, ssh_keygen)
    if owner is not None:
        _chown_tree(staging, owner)
    if replaces_empty_directory:
        _remove_empty_directory(vm.state_dir, undo)
    staging.rename(vm.state_dir)
    undo.callback(shutil.rmtree, vm.state_dir)


def replace_host_key(vm: Vm, owner: Owner | None, ssh_keygen: str) -> None:
    """Give the VM a new host key and pin it; the old key pair is deleted.

    The new pair is made in a scratch directory and swapped in; on failure the old pair
    and its pin are back in place.
    """
    _require_state_dir(vm)
    key_dir = vm.state_dir / HOST_KEYS_DIR
    has_old_key = check_directory(key_dir, vm.uid, "host key directory")
    with ExitStack() as cleanup:
        scratch = Path(tempfile.mkdtemp(prefix=".rekey.", suffix=".tmp", dir=vm.state_dir))
        cleanup.callback(shutil.rmtree, scratch)  # with the old key pair, once retired
        new_keys = _private_directory(scratch / "new")
        private_key = generate_host_key(ssh_keygen, new_keys, vm.name)
        if owner is not None:
            _chown_tree(new_keys, owner)
        with ExitStack() as undo:
            if has_old_key:
                old_keys = key_dir.rename(scratch / "old")
                undo.callback(old_keys.rename, key_dir)
            new_keys.rename(key_dir)
            undo.callback(key_dir.rename, new_keys)
            pin = known_hosts_line(vm.name, vm.ip, key_dir / private_key.name)
            write_atomically(vm.state_dir / KNOWN_HOSTS_FILE, pin, PRIVATE_FILE_MODE, owner)
            undo.pop_all()


def remove_state(vm: Vm, purge: bool) -> list[Path]:
    """Remove what `create_state` made; return what was kept.

    The workspace stays unless ``purge``. A workspace outside the state directory is
    never removed, even with ``purge``: `--workspace` names the user's own directory,
    typically an existing project, which agentvm shares but does not own.
    """
    if check_directory(vm.state_dir, vm.uid, "VM state directory"):
        _remove_state_contents(vm, purge)
    kept = [vm.workspace] if vm.workspace.exists() else []
    if vm.state_dir.exists() and any(entry != vm.workspace for entry in vm.state_dir.iterdir()):
        kept.append(vm.state_dir)  # it holds files agentvm did not put there
    return kept


def ssh_config_path(vm: Vm) -> Path:
    _require_state_dir(vm)
    path = vm.state_dir / SSH_CONFIG_FILE
    if not path.is_file():
        raise AgentvmError(f"{path} is missing; recreate the VM with `agentvm new`")
    return path


def _populate(staging: Path, vm: Vm, ssh_keygen: str) -> None:
    private_key = generate_host_key(
        ssh_keygen, _private_directory(staging / HOST_KEYS_DIR), vm.name
    )
    _private_directory(staging / HOME_DIR)
    if vm.workspace == default_workspace(vm.state_dir):
        _private_directory(staging / WORKSPACE_DIR)
    _private_file(staging / KNOWN_HOSTS_FILE, known_hosts_line(vm.name, vm.ip, private_key))
    ssh_config = render_ssh_config(vm.name, vm.ip, vm.user, vm.state_dir / KNOWN_HOSTS_FILE)
    _private_file(staging / SSH_CONFIG_FILE, ssh_config)


def _remove_state_contents(vm: Vm, purge: bool) -> None:
    for name in (HOST_KEYS_DIR, HOME_DIR):
        if check_directory(vm.state_dir / name, vm.uid, name):
            shutil.rmtree(vm.state_dir / name)
    for name in (KNOWN_HOSTS_FILE, SSH_CONFIG_FILE):
        (vm.state_dir / name).unlink(missing_ok=True)
    workspace = default_workspace(vm.state_dir)
    if purge and check_directory(workspace, vm.uid, "workspace"):
        shutil.rmtree(workspace)
    if not any(vm.state_dir.iterdir()):
        vm.state_dir.rmdir()


def _check_workspace_location(vm: Vm) -> None:
    if vm.workspace == default_workspace(vm.state_dir):
        return
    if vm.workspace.is_relative_to(vm.state_dir):
        raise AgentvmError(
            f"workspace {vm.workspace} is inside the VM's state directory; "
            "leave out --workspace to use its workspace/"
        )
    if vm.state_dir.is_relative_to(vm.workspace):
        raise AgentvmError(
            f"workspace {vm.workspace} contains the VM's state directory, "
            "which would share the VM's private host key with the agent"
        )


def _require_state_dir(vm: Vm) -> None:
    if not check_directory(vm.state_dir, vm.uid, "VM state directory"):
        raise AgentvmError(f"state directory {vm.state_dir} of VM {vm.name!r} is missing")


def _ensure_directory(
    path: Path, uid: int, what: str, owner: Owner | None, undo: ExitStack
) -> None:
    if check_directory(path, uid, what):
        return
    try:
        _private_directory(path)
    except FileNotFoundError:
        raise AgentvmError(f"{what} {path}: its parent directory does not exist") from None
    undo.callback(path.rmdir)
    if owner is not None:
        os.chown(path, *owner)


def _remove_empty_directory(path: Path, undo: ExitStack) -> None:
    """Remove an empty directory the VM's state will replace; ``undo`` puts it back."""
    status = path.lstat()
    path.rmdir()

    def restore() -> None:
        path.mkdir()
        path.chmod(status.st_mode & 0o7777)
        os.chown(path, status.st_uid, status.st_gid)

    undo.callback(restore)


def _private_directory(path: Path) -> Path:
    path.mkdir()
    path.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask; this is not
    return path


def _private_file(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE_MODE)
        file.write(text)


def _chown_tree(root: Path, owner: Owner) -> None:
    for directory, _subdirectories, files in os.walk(root):
        os.chown(directory, *owner)
        for name in files:
            os.chown(Path(directory) / name, *owner, follow_symlinks=False)
