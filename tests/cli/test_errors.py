"""Bad input: one line on stderr, exit status 1, and nothing on disk changed."""

import os
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from cli_sandbox import Runner, Sandbox, run_in_process, snapshot

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
OTHER_UID = 54321


class BadInput(NamedTuple):
    args: list[str]
    error: str  # expected in the one error line
    setup: Callable[[Sandbox], object] = lambda _sandbox: None


def _symlinked_state_root(sandbox: Sandbox) -> None:
    elsewhere = sandbox.root / "elsewhere"
    elsewhere.mkdir()
    sandbox.state_root.rename(elsewhere / "microvm")
    sandbox.state_root.symlink_to(elsewhere / "microvm")


def _symlinked_state_dir(sandbox: Sandbox) -> None:
    (sandbox.root / "target").mkdir()
    sandbox.state_dir("x").symlink_to(sandbox.root / "target")


def _foreign_state_root(sandbox: Sandbox) -> None:
    os.chown(sandbox.state_root, OTHER_UID, OTHER_UID)


def _non_empty_unregistered_state_dir(sandbox: Sandbox) -> None:
    sandbox.state_dir("x").mkdir()
    os.chown(sandbox.state_dir("x"), sandbox.user.pw_uid, sandbox.user.pw_gid)
    (sandbox.state_dir("x") / "notes.txt").write_text("precious\n")


def _symlinked_workspace(sandbox: Sandbox) -> None:
    (sandbox.root / "link").symlink_to(sandbox.project())


def _foreign_workspace(sandbox: Sandbox) -> None:
    os.chown(sandbox.project(), OTHER_UID, OTHER_UID)


def _hide_ssh_keygen(sandbox: Sandbox) -> None:
    (sandbox.bin / "ssh-keygen").unlink()


def _tiny_subnet(sandbox: Sandbox) -> None:
    """A /30 has two host addresses: the gateway's and the one taken by `demo`."""

    def shrink(document: dict[str, Any]) -> None:
        document["network"].update(subnet="10.0.0.0/30", gateway="10.0.0.1")
        document["vms"]["demo"].update(ip="10.0.0.2")

    sandbox.rewrite_registry(shrink)


BAD_NEW = {
    "upper-case name": BadInput(["new", "Demo"], "invalid VM name 'Demo'"),
    "name starting with a digit": BadInput(["new", "1vm"], "invalid VM name '1vm'"),
    "name too long": BadInput(["new", "a" * 64], "invalid VM name"),
    "duplicate name": BadInput(["new", "demo"], "a VM named 'demo' is already registered"),
    "subnet exhausted": BadInput(["new", "x"], "subnet 10.0.0.0/30 is exhausted", _tiny_subnet),
    "no vcpu": BadInput(["new", "x", "--vcpu", "0"], "vcpu must be at least 1, got 0"),
    "too little memory": BadInput(["new", "x", "--mem", "10"], "mem must be at least 256 MiB"),
    "unknown egress": BadInput(["new", "x", "--egress", "lan"], "unknown egress 'lan'"),
    "allow without allowlist": BadInput(
        ["new", "x", "--allow", "github.com"], "allow needs egress 'allowlist'"
    ),
    "invalid allowed domain": BadInput(
        ["new", "x", "--egress", "allowlist", "--allow", "not a domain"], "invalid domain"
    ),
    "symlinked state root": BadInput(["new", "x"], "is a symlink", _symlinked_state_root),
    "symlinked state dir": BadInput(["new", "x"], "is a symlink", _symlinked_state_dir),
    "foreign state root": pytest.param(
        BadInput(["new", "x"], f"is owned by uid {OTHER_UID}", _foreign_state_root),
        marks=needs_root,
    ),
    "unregistered state dir": BadInput(
        ["new", "x"],
        "is not empty and belongs to no registered VM",
        _non_empty_unregistered_state_dir,
    ),
    "symlinked workspace": BadInput(
        ["new", "x", "--workspace", "../link"], "is a symlink", _symlinked_workspace
    ),
    "foreign workspace": pytest.param(
        BadInput(["new", "x", "--workspace", "../project"], "is owned by uid", _foreign_workspace),
        marks=needs_root,
    ),
    "workspace holding the host key": BadInput(
        ["new", "x", "--workspace", "../home"], "contains the VM's state directory"
    ),
    "ssh-keygen missing": BadInput(["new", "x"], "ssh-keygen not found on PATH", _hide_ssh_keygen),
    "registry directory missing": BadInput(
        ["new", "x", "--registry", "nowhere/vms.toml"], "does not exist"
    ),
}
BAD_NAMES = {
    "show unknown VM": BadInput(["show", "nope"], "no VM named 'nope'"),
    "rm unknown VM": BadInput(["rm", "nope"], "no VM named 'nope'"),
    "rekey unknown VM": BadInput(["rekey", "nope"], "no VM named 'nope'"),
    "ssh unknown VM": BadInput(["ssh", "nope"], "no VM named 'nope'"),
}


def assert_refused(agentvm: Runner, sandbox: Sandbox, bad: BadInput) -> None:
    bad.setup(sandbox)
    before = snapshot(sandbox.root)

    outcome = agentvm(*bad.args)

    assert (outcome.exit_code, outcome.stdout) == (1, "")
    [line] = outcome.error_lines
    assert line.startswith("error: ")
    assert bad.error in line
    assert snapshot(sandbox.root) == before


@pytest.mark.parametrize(
    "bad", [*BAD_NEW.values(), *BAD_NAMES.values()], ids=[*BAD_NEW, *BAD_NAMES]
)
def test_bad_input_is_refused_and_changes_nothing(
    agentvm: Runner, with_demo: Sandbox, bad: BadInput
) -> None:
    assert_refused(agentvm, with_demo, bad)


def test_new_without_a_registry_leaves_no_trace_when_refused(
    agentvm: Runner, sandbox: Sandbox
) -> None:
    assert_refused(agentvm, sandbox, BadInput(["new", "x", "--mem", "10"], "mem must be"))


def test_failure_after_the_state_was_made_rolls_it_back(
    with_demo: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry write is the last step; if it fails, the new state goes away again."""

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device", str(with_demo.registry))

    monkeypatch.setattr("agentvm.lifecycle.save", full_disk)
    before = snapshot(with_demo.root)

    outcome = run_in_process("new", "x")

    assert outcome.error_lines == [f"error: No space left on device: {with_demo.registry}"]
    assert snapshot(with_demo.root) == before


def test_usage_errors_exit_2(agentvm: Runner, sandbox: Sandbox) -> None:
    before = snapshot(sandbox.root)

    assert agentvm("new").exit_code == 2
    assert agentvm("new", "x", "--vcpu", "many").exit_code == 2
    assert agentvm("frobnicate").exit_code == 2
    assert snapshot(sandbox.root) == before
