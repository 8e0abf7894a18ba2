"""The pin holds against a real sshd: `agentvm ssh` verifies the key `agentvm new` made
and refuses any other. The "VM" is the real OpenSSH server, serving that key at the VM's
address inside a network namespace of the test's own (needs root, ip and sshd)."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "python" / "src"
SSHD = "/usr/sbin/sshd"
VM_ADDRESS = "192.168.83.2"  # what `agentvm new` gives the first VM
HOST_KEY_MISMATCH = "Host key verification failed"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("ip") is None or not Path(SSHD).exists(),
    reason="needs root, iproute2 and OpenSSH's sshd (Debian: openssh-server)",
)


def agentvm(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI, as alice would run it under sudo (root may not own a VM)."""
    return subprocess.run(
        [sys.executable, "-m", "agentvm", *args, "--registry", str(directory / "vms.toml")],
        env=dict(os.environ, PYTHONPATH=str(SOURCE), SUDO_USER="nobody"),
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def in_namespace(namespace: str, *argv: str) -> list[str]:
    return ["ip", "netns", "exec", namespace, *argv]


@pytest.fixture
def vm(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A VM made by `agentvm new`, its host key served by sshd in a namespace."""
    assert agentvm(tmp_path, "new", "demo", "--state-dir", str(tmp_path / "state")).returncode == 0
    # The VM copies its key from the share at boot, as this does: a later rekey on the
    # host changes the pin, not the key the running VM presents.
    host_key = tmp_path / "vm_host_key"
    shutil.copy(tmp_path / "state" / "demo" / "ssh-host-keys" / "ssh_host_ed25519_key", host_key)
    namespace = f"agentvm-ssh-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    sshd = None
    try:
        subprocess.run(["ip", "-n", namespace, "link", "set", "lo", "up"], check=True)
        subprocess.run(
            ["ip", "-n", namespace, "addr", "add", f"{VM_ADDRESS}/32", "dev", "lo"], check=True
        )
        # No configuration file: only this key, only public-key authentication.
        options = [f"HostKey={host_key}", f"ListenAddress={VM_ADDRESS}", "PidFile=none"]
        options += ["PasswordAuthentication=no", "KbdInteractiveAuthentication=no"]
        sshd = subprocess.Popen(
            [*in_namespace(namespace, SSHD, "-D", "-e", "-f", "/dev/null")]
            + [f"-o{option}" for option in options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(namespace)
        yield tmp_path, namespace
    finally:
        if sshd is not None:
            sshd.terminate()
            sshd.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", namespace], check=False)


def wait_for_port(namespace: str) -> None:
    probe = f"import socket; socket.create_connection(({VM_ADDRESS!r}, 22), timeout=1)"
    for _ in range(50):
        reached = subprocess.run(in_namespace(namespace, sys.executable, "-c", probe), check=False)
        if reached.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("sshd did not start")


def ssh(directory: Path, namespace: str) -> str:
    """`agentvm ssh demo -- true` from inside the namespace; its stderr."""
    result = subprocess.run(
        in_namespace(
            namespace,
            sys.executable,
            "-m",
            "agentvm",
            "ssh",
            "demo",
            "--registry",
            str(directory / "vms.toml"),
            "--",
            "true",
        ),
        env=dict(os.environ, PYTHONPATH=str(SOURCE)),
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert result.returncode != 0  # nobody may log in here; what matters is why
    return result.stderr


def test_the_pinned_key_is_accepted_without_a_prompt(vm: tuple[Path, str]) -> None:
    stderr = ssh(*vm)
    # Key exchange and host verification passed; only the user's authentication failed.
    assert "Permission denied (publickey)" in stderr, stderr
    assert HOST_KEY_MISMATCH not in stderr


def test_a_key_other_than_the_pinned_one_is_refused(vm: tuple[Path, str]) -> None:
    directory, _ = vm
    # The pin moves to a new key while the server still presents the old one.
    assert agentvm(directory, "rekey", "demo").returncode == 0
    stderr = ssh(*vm)
    assert HOST_KEY_MISMATCH in stderr, stderr
    assert "Permission denied" not in stderr
