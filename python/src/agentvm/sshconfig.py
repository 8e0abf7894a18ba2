"""The per-VM ssh_config that makes `ssh -F <state>/ssh_config NAME` verified from the start."""

from ipaddress import IPv4Address
from pathlib import Path

from agentvm.errors import AgentvmError


def render_ssh_config(name: str, ip: IPv4Address, user: str, known_hosts: Path) -> str:
    return (
        "# Written by agentvm: the VM's host key is pinned in UserKnownHostsFile.\n"
        f"Host {name}\n"
        f"  HostName {ip}\n"
        f"  User {user}\n"
        f"  UserKnownHostsFile {_quoted_path(known_hosts)}\n"
        "  StrictHostKeyChecking yes\n"
    )


def _quoted_path(path: Path) -> str:
    """A path as one ssh_config argument: quoted, and with ssh's `%` tokens escaped."""
    text = str(path)
    if '"' in text or not text.isprintable():
        raise AgentvmError(f"path {text!r} cannot be written in an ssh_config")
    return '"' + text.replace("%", "%%") + '"'
