"""`agentvm new`: the registry entry, the state layout, the host key and its pins."""

import json
import os
import subprocess

import pytest
from cli_sandbox import Runner, Sandbox, run_in_process, snapshot

from agentvm.keys import HOST_KEY_FILE
from agentvm.registry import load
from agentvm.state import (
    HOME_DIR,
    HOST_KEYS_DIR,
    KNOWN_HOSTS_FILE,
    SSH_CONFIG_FILE,
    WORKSPACE_DIR,
)
from agentvm.users import User


def test_new_registers_the_vm_with_the_design_defaults(agentvm: Runner, sandbox: Sandbox) -> None:
    outcome = agentvm("new", "demo")

    assert outcome.exit_code == 0, outcome.stderr
    user = sandbox.user
    state_dir = sandbox.state_dir("demo")
    assert sandbox.registry_document() == {
        "schema": 1,
        "network": {"bridge": "microbr", "subnet": "192.168.83.0/24", "gateway": "192.168.83.1"},
        "vms": {
            "demo": {
                "index": 2,
                "ip": "192.168.83.2",
                "mac": "02:00:00:00:00:02",
                "tap": "agentvm2",
                "vcpu": 4,
                "mem": 4096,
                "user": user.pw_name,
                "uid": user.pw_uid,
                "gid": user.pw_gid,
                "state_dir": str(state_dir),
                "workspace": str(state_dir / WORKSPACE_DIR),
                "egress": "internet",
                "allow": [],
            }
        },
    }
    assert sandbox.registry.stat().st_mode & 0o777 == 0o644


def test_new_prints_the_next_steps(agentvm: Runner) -> None:
    outcome = agentvm("new", "demo")

    assert "nixos-rebuild switch" in outcome.stdout
    assert "sudo systemctl start microvm@demo" in outcome.stdout
    assert "agentvm ssh demo" in outcome.stdout


def test_new_json_prints_the_registered_vm(agentvm: Runner, sandbox: Sandbox) -> None:
    record = json.loads(agentvm("new", "demo", "--json").stdout)

    assert record == {"name": "demo", **sandbox.registry_document()["vms"]["demo"], "state": None}


def test_new_creates_the_state_layout_with_private_modes(agentvm: Runner, sandbox: Sandbox) -> None:
    agentvm("new", "demo")

    state_dir = sandbox.state_dir("demo")
    modes = {
        str(path.relative_to(state_dir)): path.stat().st_mode & 0o777
        for path in [state_dir, *state_dir.rglob("*")]
    }
    assert modes == {
        ".": 0o700,
        HOST_KEYS_DIR: 0o700,
        f"{HOST_KEYS_DIR}/{HOST_KEY_FILE}": 0o600,
        f"{HOST_KEYS_DIR}/{HOST_KEY_FILE}.pub": 0o644,
        WORKSPACE_DIR: 0o700,
        HOME_DIR: 0o700,
        KNOWN_HOSTS_FILE: 0o600,
        SSH_CONFIG_FILE: 0o600,
    }
    assert [path.name for path in sandbox.state_root.iterdir()] == ["demo"]  # no staging left


def test_new_host_key_is_a_real_ed25519_key_pinned_in_known_hosts(
    agentvm: Runner, sandbox: Sandbox
) -> None:
    agentvm("new", "demo")

    key_dir = sandbox.state_dir("demo") / HOST_KEYS_DIR
    fingerprint = subprocess.run(
        [sandbox.host_tool("ssh-keygen"), "-l", "-f", key_dir / HOST_KEY_FILE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert fingerprint.rstrip().endswith("root@demo (ED25519)")
    key_type, key_data, _comment = (key_dir / f"{HOST_KEY_FILE}.pub").read_text().split()
    known_hosts = (sandbox.state_dir("demo") / KNOWN_HOSTS_FILE).read_text()
    assert known_hosts == f"demo,192.168.83.2 {key_type} {key_data}\n"


def test_new_writes_an_ssh_config_that_pins_the_key(agentvm: Runner, sandbox: Sandbox) -> None:
    agentvm("new", "demo")

    state_dir = sandbox.state_dir("demo")
    # ssh reads only config files owned by whoever runs it: check a copy of ours.
    copy = sandbox.root / "ssh_config"
    copy.write_text((state_dir / SSH_CONFIG_FILE).read_text())
    config = subprocess.run(
        [sandbox.host_tool("ssh"), "-G", "-F", copy, "demo"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert "hostname 192.168.83.2" in config
    assert f"user {sandbox.user.pw_name}" in config
    assert f"userknownhostsfile {state_dir / KNOWN_HOSTS_FILE}" in config
    assert "stricthostkeychecking true" in config


def test_two_vms_get_distinct_addresses_and_keys(sandbox: Sandbox, agentvm: Runner) -> None:
    assert agentvm("new", "demo").exit_code == 0
    assert agentvm("new", "demo2").exit_code == 0

    vms = load(sandbox.registry).vms
    assert (vms["demo2"].index, str(vms["demo2"].ip), vms["demo2"].tap) == (
        3,
        "192.168.83.3",
        "agentvm3",
    )
    keys = {
        (sandbox.state_dir(name) / HOST_KEYS_DIR / f"{HOST_KEY_FILE}.pub").read_text().split()[1]
        for name in vms
    }
    assert len(keys) == 2


def test_new_takes_resources_egress_and_allowlist(agentvm: Runner, sandbox: Sandbox) -> None:
    outcome = agentvm(
        "new", "demo", "--vcpu", "2", "--mem", "256", "--egress", "allowlist",
        "--allow", "github.com", "--allow", "api.anthropic.com",
    )  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    entry = sandbox.registry_document()["vms"]["demo"]
    assert (entry["vcpu"], entry["mem"], entry["egress"]) == (2, 256, "allowlist")
    assert entry["allow"] == ["github.com", "api.anthropic.com"]


def test_new_shares_a_given_workspace_and_creates_no_other(
    agentvm: Runner, sandbox: Sandbox
) -> None:
    project = sandbox.project()

    outcome = agentvm("new", "demo", "--workspace", str(project), "--state-dir", "states")

    assert outcome.exit_code == 0, outcome.stderr
    state_dir = sandbox.flake / "states" / "demo"  # relative paths become absolute
    entry = sandbox.registry_document()["vms"]["demo"]
    assert (entry["state_dir"], entry["workspace"]) == (str(state_dir), str(project))
    assert not (state_dir / WORKSPACE_DIR).exists()


def test_new_creates_a_missing_workspace(agentvm: Runner, sandbox: Sandbox) -> None:
    project = sandbox.root / "project"

    assert agentvm("new", "demo", "--workspace", str(project)).exit_code == 0

    assert project.is_dir()
    assert project.stat().st_mode & 0o777 == 0o700


def test_new_hands_everything_to_the_vms_user(agentvm: Runner, sandbox: Sandbox) -> None:
    """As root (the tests then act as sudo) this proves the chown to the real user."""
    outcome = agentvm("new", "demo", "--workspace", "../project")

    assert outcome.exit_code == 0, outcome.stderr
    owned = [sandbox.registry, sandbox.root / "project", sandbox.state_root]
    owned += sandbox.state_root.rglob("*")
    assert {(path.stat().st_uid, path.stat().st_gid) for path in owned} == {
        (sandbox.user.pw_uid, sandbox.user.pw_gid)
    }


def test_default_state_root_is_microvm_in_the_users_home(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User(sandbox.user.pw_name, sandbox.user.pw_uid, sandbox.user.pw_gid, sandbox.home)
    monkeypatch.setattr("agentvm.lifecycle.invoking_user", lambda: user)
    monkeypatch.delenv("AGENTVM_STATE_DIR")

    assert run_in_process("new", "demo").exit_code == 0

    assert (sandbox.home / "microvm" / "demo" / KNOWN_HOSTS_FILE).is_file()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can be refused as the VM's owner")
def test_new_refuses_root_as_the_vms_user(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUDO_USER")
    before = snapshot(sandbox.root)

    outcome = run_in_process("new", "demo")

    assert outcome.exit_code == 1
    assert outcome.error_lines[0].startswith("error: the VM's user is root")
    assert snapshot(sandbox.root) == before


def test_new_fills_the_lowest_free_index(agentvm: Runner, sandbox: Sandbox) -> None:
    for name in ("one", "two", "three"):
        agentvm("new", name)
    agentvm("rm", "two")

    agentvm("new", "four")

    assert sandbox.registry_document()["vms"]["four"]["index"] == 3


def test_registry_reads_back_in_nix(sandbox: Sandbox, agentvm: Runner) -> None:
    nix_instantiate = sandbox.host_tool("nix-instantiate")
    agentvm("new", "demo")
    agentvm("new", "demo2", "--egress", "allowlist", "--allow", "github.com")

    evaluated = subprocess.run(
        [nix_instantiate, "--eval", "--strict", "--json", "--expr",
         f"builtins.fromTOML (builtins.readFile {sandbox.registry})"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    assert json.loads(evaluated) == sandbox.registry_document()
