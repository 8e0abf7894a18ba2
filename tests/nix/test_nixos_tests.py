"""What can be checked here of the NixOS VM tests in nixos-tests/ (they need KVM): each
states what it proves, its script is the shared prelude plus its own file and compiles,
the whole script passes mypy --strict against a typed stub of the test driver with its
nodes declared as machines (what the driver checks before it runs a script), and its test
host evaluates as a NixOS module against the real option declarations."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from nixeval import ROOT, evaluate, harness, nix_string

TESTS_DIR = ROOT / "nixos-tests"
TESTS = ["networking", "store-overlay", "shutdown", "home", "isolation"]
PRELUDE = TESTS_DIR / "common.py"


def test_every_test_is_a_check() -> None:
    checks = evaluate(
        f"builtins.attrNames (import {TESTS_DIR / 'default.nix'} {{ pkgs = {{ }}; self = {{ }}; }})"
    )
    assert checks == sorted(f"nixos-{name}" for name in TESTS)


@pytest.mark.parametrize("name", TESTS)
def test_states_what_it_proves(name: str) -> None:
    assert (TESTS_DIR / f"{name}.nix").read_text().startswith("# Proves")


@pytest.mark.parametrize("name", TESTS)
def test_script_is_the_prelude_and_its_own_file_and_compiles(name: str) -> None:
    script = evaluate(f"(import {nix_string(TESTS_DIR / f'{name}.nix')}).testScript")
    assert script == PRELUDE.read_text() + (TESTS_DIR / f"{name}.py").read_text()
    compile(script, f"{name} testScript", "exec")


@pytest.mark.parametrize("name", TESTS)
def test_script_type_checks_against_the_driver(name: str, tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed in this Python, so the scripts were not checked")
    test = nix_string(TESTS_DIR / f"{name}.nix")
    nodes = evaluate(f"builtins.attrNames (import {test}).nodes")
    # As the driver prepends its symbols and one typed name per node.
    prelude = "from nixos_test_driver import *\nfrom nixos_test_driver import Machine\n"
    prelude += "".join(f"{node}: Machine\n" for node in nodes)
    script = tmp_path / f"{name.replace('-', '_')}_script.py"
    script.write_text(prelude + evaluate(f"(import {test}).testScript"))
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        env={"MYPYPATH": str(TESTS_DIR / "stubs"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def host_of(name: str, summary: str) -> dict[str, object]:
    result: dict[str, object] = evaluate(
        f"""let
          h = {harness()};
          test = import {nix_string(TESTS_DIR / f"{name}.nix")};
          config = (h.evalTestNode test.nodes.host).config;
          guest = vm: config.microvm.vms.${{vm}}.config.config;
        in {{ failed = h.failedAssertions config; }} // ({summary})"""
    )
    return result


@pytest.mark.parametrize("name", TESTS)
def test_host_node_evaluates_with_both_vms_small(name: str) -> None:
    host = host_of(
        name,
        """{
          vms = builtins.mapAttrs (vm: _: { inherit ((guest vm).microvm) vcpu mem; })
            config.microvm.vms;
          nat = config.networking.nat.externalInterface;
        }""",
    )
    assert host["failed"] == []
    assert host["vms"] == {"demo": {"vcpu": 1, "mem": 1024}, "other": {"vcpu": 1, "mem": 1024}}
    assert host["nat"] == "eth1"


def test_home_host_installs_the_agents() -> None:
    host = host_of(
        "home",
        """{ programs = builtins.mapAttrs (_: p: p.enable) {
          inherit ((guest "demo").home-manager.users.alice.programs) claude-code codex;
        }; }""",
    )
    assert host["programs"] == {"claude-code": True, "codex": True}


def test_isolation_host_seals_other() -> None:
    host = host_of(
        "isolation",
        """{
          nameservers = (guest "other").agentvm.guest.nameservers;
          rules = config.networking.nftables.tables.agentvm.content;
        }""",
    )
    assert host["nameservers"] == []
    assert "ip saddr { 192.168.83.2 } accept" in str(host["rules"])


def test_every_script_file_belongs_to_a_test() -> None:
    scripts = sorted(path.stem for path in TESTS_DIR.glob("*.py"))
    assert scripts == sorted([*TESTS, "common"])
