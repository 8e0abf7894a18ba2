"""What every agentvm test script starts with: the test host creates VMs the way a user
does (`agentvm new`, then start `microvm@NAME`) and reaches them only through
`agentvm ssh`, with the pinned host key. The .nix files prepend this file to their
script. Like every script here it uses the globals the test driver injects (the machines,
`start_all`, `subtest`); tests/nix/test_nixos_tests.py has mypy check each whole script
against a typed stub of the driver, as the driver itself does before it runs one."""

import shlex
import time

BOOT_TIMEOUT = 600


def as_alice(command: str) -> str:
    """A shell command line running `command` as alice, the VMs' owner, in her home."""
    return f"su - alice -c {shlex.quote(command)}"


def create_vm(name: str, address: str) -> None:
    """`agentvm new NAME`, then alice's key in the VM's home so that she can log in."""
    # microvm.nix's tmpfiles rules made the share directories, owned by root, when the
    # host booted; a user runs `agentvm new` before the rebuild, so there are none.
    host.succeed(
        f"rm -rf /home/alice/microvm/{name}",
        "install -d /home/alice/microvm",
        "chown alice:users /home/alice/microvm",
    )
    host.succeed(as_alice(f"agentvm new {name} --registry ~/vms.toml"))
    registry = host.succeed(as_alice("cat ~/vms.toml"))
    assert f'ip = "{address}"' in registry, f"the CLI gave {name} another address:\n{registry}"
    ssh_dir = f"~/microvm/{name}/home/.ssh"
    host.succeed(
        as_alice(
            "test -f ~/.ssh/id_ed25519 || ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519"
        ),
        as_alice(f"install -d -m 0700 {ssh_dir}"),
        as_alice(f"install -m 0600 ~/.ssh/id_ed25519.pub {ssh_dir}/authorized_keys"),
    )


def wait_for_ssh(name: str) -> None:
    host.wait_until_succeeds(as_alice(f"agentvm ssh {name} -- true"), timeout=BOOT_TIMEOUT)


def start_vm(name: str) -> float:
    """Starts microvm@NAME and returns the seconds until SSH with the pinned key works."""
    started = time.monotonic()
    host.succeed(f"systemctl start microvm@{name}.service")
    wait_for_ssh(name)
    return time.monotonic() - started


def in_vm(name: str, command: str) -> str:
    """Runs `command` in the VM as its agent user and returns its output; must succeed."""
    return host.succeed(as_alice(f"agentvm ssh {name} -- {shlex.quote(command)}"))


def reaches(name: str, command: str) -> bool:
    """Whether `command` succeeds in the VM; the SSH session itself must work either way."""
    verdict = in_vm(name, f"if {command}; then echo reached; else echo refused; fi")
    return verdict.strip().splitlines()[-1] == "reached"


def tcp(address: str, port: int) -> str:
    """A command that succeeds when a TCP connection to address:port opens within 5 s."""
    return f"timeout 5 bash -c '</dev/tcp/{address}/{port}'"
