"""list, show, ssh, rm and rekey, each through CliRunner and as a subprocess."""

import json
import os
import subprocess
from typing import NoReturn

import pytest
from cli_sandbox import Runner, Sandbox, run_in_process, snapshot

from agentvm.keys import HOST_KEY_FILE
from agentvm.state import HOME_DIR, HOST_KEYS_DIR, KNOWN_HOSTS_FILE, SSH_CONFIG_FILE

# Answers `systemctl is-active UNIT...` with one state per unit, like systemd.
SYSTEMCTL_SAYING = 'shift; for unit in "$@"; do echo {state}; done'


@pytest.fixture
def demo(sandbox: Sandbox) -> Sandbox:
    """A sandbox with the VMs `demo` (index 2) and `other` (index 3, allowlist)."""
    assert run_in_process("new", "demo").exit_code == 0
    other = ("new", "other", "--egress", "allowlist", "--allow", "github.com", "--mem", "512")
    assert run_in_process(*other).exit_code == 0
    return sandbox


@pytest.mark.usefixtures("demo")
def test_list_prints_a_table_with_unknown_state_without_systemctl(agentvm: Runner) -> None:
    outcome = agentvm("list")

    assert outcome.exit_code == 0, outcome.stderr
    assert [line.split() for line in outcome.stdout.splitlines()] == [
        ["NAME", "IP", "VCPU", "MEM", "EGRESS", "STATE"],
        ["demo", "192.168.83.2", "4", "4096M", "internet", "unknown"],
        ["other", "192.168.83.3", "4", "512M", "allowlist", "unknown"],
    ]


def test_list_json_has_every_field_and_the_unit_state(agentvm: Runner, demo: Sandbox) -> None:
    demo.fake_tool("systemctl", SYSTEMCTL_SAYING.format(state="active"))

    records = json.loads(agentvm("list", "--json").stdout)

    registry = demo.registry_document()["vms"]
    assert records == [
        {"name": name, **registry[name], "state": "active"} for name in ("demo", "other")
    ]


def test_list_of_an_empty_registry(agentvm: Runner, sandbox: Sandbox) -> None:
    assert json.loads(agentvm("list", "--json").stdout) == []
    assert not sandbox.registry.exists()  # reading never creates the registry


def test_show_prints_one_vm(agentvm: Runner, demo: Sandbox) -> None:
    text = agentvm("show", "other").stdout
    record = json.loads(agentvm("show", "other", "--json").stdout)

    assert "ip: 192.168.83.3" in text.splitlines()
    assert "allow: github.com" in text.splitlines()
    assert record == {"name": "other", **demo.registry_document()["vms"]["other"], "state": None}


def test_ssh_execs_ssh_with_the_vms_config(
    agentvm: Runner, demo: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv_file = demo.root / "ssh-argv"
    demo.fake_tool("ssh", f'printf "%s\\n" "$@" > {argv_file}; exit 7')
    monkeypatch.setattr(os, "execv", _run_and_exit)

    outcome = agentvm("ssh", "demo", "--", "ls", "-la")

    assert outcome.exit_code == 7
    config = demo.state_dir("demo") / SSH_CONFIG_FILE
    assert argv_file.read_text().splitlines() == ["-F", str(config), "demo", "ls", "-la"]


def _run_and_exit(_path: str, argv: list[str]) -> NoReturn:
    """In process, exec would replace pytest: run the (fake) ssh and exit with its status."""
    raise SystemExit(subprocess.run(argv, check=False).returncode)


def test_rekey_replaces_the_key_and_its_pin(agentvm: Runner, demo: Sandbox) -> None:
    key_dir = demo.state_dir("demo") / HOST_KEYS_DIR
    old_public_key = (key_dir / f"{HOST_KEY_FILE}.pub").read_text()
    old_private_key = (key_dir / HOST_KEY_FILE).read_bytes()
    old_pin = (demo.state_dir("demo") / KNOWN_HOSTS_FILE).read_text()
    others = snapshot(demo.state_dir("other"), demo.registry)

    outcome = agentvm("rekey", "demo")

    assert outcome.exit_code == 0, outcome.stderr
    key_type, key_data, _comment = (key_dir / f"{HOST_KEY_FILE}.pub").read_text().split()
    pin = (demo.state_dir("demo") / KNOWN_HOSTS_FILE).read_text()
    assert pin == f"demo,192.168.83.2 {key_type} {key_data}\n" != old_pin
    assert old_public_key.split()[1] != key_data
    assert (key_dir / HOST_KEY_FILE).read_bytes() != old_private_key
    assert sorted(path.name for path in key_dir.iterdir()) == [
        HOST_KEY_FILE,
        f"{HOST_KEY_FILE}.pub",
    ]
    assert sorted(path.name for path in demo.state_dir("demo").iterdir()) == sorted(
        [HOST_KEYS_DIR, HOME_DIR, "workspace", KNOWN_HOSTS_FILE, SSH_CONFIG_FILE]
    )  # no scratch directory, no old key left
    assert (key_dir / HOST_KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert snapshot(demo.state_dir("other"), demo.registry) == others


def test_rm_keeps_the_workspace_by_default(agentvm: Runner, demo: Sandbox) -> None:
    workspace = demo.state_dir("demo") / "workspace"
    (workspace / "work.txt").write_text("keep me\n")

    outcome = agentvm("rm", "demo")

    assert outcome.exit_code == 0, outcome.stderr
    assert f"kept {workspace}" in outcome.stdout
    assert [path.name for path in demo.state_dir("demo").iterdir()] == ["workspace"]
    assert (workspace / "work.txt").read_text() == "keep me\n"
    assert list(demo.registry_document()["vms"]) == ["other"]


def test_rm_purge_leaves_nothing(agentvm: Runner, demo: Sandbox) -> None:
    (demo.state_dir("demo") / "workspace" / "work.txt").write_text("scratch\n")

    assert agentvm("rm", "demo", "--purge").exit_code == 0

    assert not demo.state_dir("demo").exists()
    assert list(demo.registry_document()["vms"]) == ["other"]


def test_rm_purge_never_deletes_a_workspace_agentvm_did_not_create(
    agentvm: Runner, sandbox: Sandbox
) -> None:
    project = sandbox.project()
    (project / "src.py").write_text("print()\n")
    assert run_in_process("new", "demo", "--workspace", str(project)).exit_code == 0

    outcome = agentvm("rm", "demo", "--purge")

    assert outcome.exit_code == 0, outcome.stderr
    assert f"kept {project}" in outcome.stdout
    assert (project / "src.py").read_text() == "print()\n"
    assert not sandbox.state_dir("demo").exists()


def test_rm_refuses_while_the_vm_runs_unless_forced(agentvm: Runner, demo: Sandbox) -> None:
    demo.fake_tool("systemctl", SYSTEMCTL_SAYING.format(state="active"))
    before = snapshot(demo.root)

    refused = agentvm("rm", "demo")

    assert refused.exit_code == 1
    assert refused.error_lines == [
        "error: VM 'demo' is running (microvm@demo): stop it first, or pass --force"
    ]
    assert snapshot(demo.root) == before
    assert agentvm("rm", "demo", "--force").exit_code == 0
    assert list(demo.registry_document()["vms"]) == ["other"]


def test_rm_proceeds_when_the_vm_is_stopped(agentvm: Runner, demo: Sandbox) -> None:
    demo.fake_tool("systemctl", SYSTEMCTL_SAYING.format(state="inactive") + "; exit 3")

    assert agentvm("rm", "demo").exit_code == 0


def test_new_after_rm_purge_reuses_the_name_and_index(agentvm: Runner, demo: Sandbox) -> None:
    agentvm("rm", "demo", "--purge")

    assert agentvm("new", "demo").exit_code == 0

    assert demo.registry_document()["vms"]["demo"]["index"] == 2


def test_rm_refuses_a_symlinked_state_dir(agentvm: Runner, demo: Sandbox) -> None:
    moved = demo.root / "moved"
    demo.state_dir("demo").rename(moved)
    demo.state_dir("demo").symlink_to(moved)
    before = snapshot(demo.root)

    outcome = agentvm("rm", "demo", "--purge")

    assert outcome.exit_code == 1
    assert "is a symlink" in outcome.error_lines[0]
    assert snapshot(demo.root) == before


def test_commands_without_arguments_print_help(agentvm: Runner) -> None:
    outcome = agentvm()

    assert "Usage" in outcome.stdout + outcome.stderr
    for command in ("new", "list", "show", "ssh", "rm", "rekey"):
        assert agentvm(command, "--help").exit_code == 0
