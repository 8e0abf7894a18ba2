"""The VM's SSH host key, made on the host by the real ssh-keygen and pinned for ssh."""

import shutil
import subprocess
from ipaddress import IPv4Address
from pathlib import Path

from agentvm.errors import AgentvmError

HOST_KEY_FILE = "ssh_host_ed25519_key"


def find_ssh_keygen() -> str:
    ssh_keygen = shutil.which("ssh-keygen")
    if ssh_keygen is None:
        raise AgentvmError("ssh-keygen not found on PATH: install OpenSSH")
    return ssh_keygen


def generate_host_key(ssh_keygen: str, key_dir: Path, vm_name: str) -> Path:
    """Write a new ed25519 key pair into ``key_dir``; return the private key's path."""
    private_key = key_dir / HOST_KEY_FILE
    result = subprocess.run(
        [ssh_keygen, "-q", "-t", "ed25519", "-N", "", "-C", f"root@{vm_name}", "-f", private_key],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise AgentvmError(f"ssh-keygen failed: {detail[-1] if detail else result.returncode}")
    return private_key


def public_key_path(private_key: Path) -> Path:
    return private_key.with_name(private_key.name + ".pub")


def known_hosts_line(vm_name: str, ip: IPv4Address, private_key: Path) -> str:
    """Pin the key for the VM's name and address: "NAME,IP TYPE BASE64"."""
    key_type, key_data, *_comment = public_key_path(private_key).read_text().split()
    return f"{vm_name},{ip} {key_type} {key_data}\n"
