"""Python and Nix agree: what `agentvm new` writes is what the Nix side reads; the state
layout, schema and VM names are the same on both sides; and where Nix derives addresses
itself (VMs declared in Nix), it derives the CLI's."""

import json
from collections.abc import Callable
from ipaddress import IPv4Network
from pathlib import Path

import pytest
from nixeval import ROOT, agentvm_new, evaluate, nix_string

from agentvm import keys, names, network, registry, state
from agentvm.errors import AgentvmError

LIB = ROOT / "modules" / "lib"


def test_nix_reads_what_the_cli_wrote(tmp_path: Path) -> None:
    for name in ("demo", "demo2"):
        agentvm_new(tmp_path, name, tmp_path / "state")
    written = registry.load(tmp_path / "vms.toml")
    read = evaluate(f"(import {LIB}).registry.read {nix_string(tmp_path / 'vms.toml')}")

    assert sorted(read["vms"]) == ["demo", "demo2"]
    for vm in written.vms.values():
        nix_vm = read["vms"][vm.name]
        assert (nix_vm["index"], nix_vm["ip"], nix_vm["mac"], nix_vm["tap"]) == (
            vm.index,
            str(vm.ip),
            vm.mac,
            vm.tap,
        )
        assert nix_vm["stateDir"] == str(vm.state_dir)
        assert nix_vm["workspace"] == str(vm.workspace)
    assert read["vms"]["demo"]["ip"] != read["vms"]["demo2"]["ip"]


@pytest.mark.parametrize(
    ("subnet", "indexes"),
    [("192.168.83.0/24", [2, 3, 254]), ("10.20.0.0/16", [2, 255, 256, 300, 65534])],
)
def test_nix_derives_the_cli_addresses(subnet: str, indexes: list[int]) -> None:
    parsed = IPv4Network(subnet)
    net = network.Network(bridge="microbr", subnet=parsed, gateway=parsed.network_address + 1)
    derived = evaluate(
        f"let a = (import {LIB}).addressing; in map (i: {{ ip = a.ip {nix_string(subnet)} i; "
        f"mac = a.mac i; tap = a.tap i; }}) {nix_list(indexes)}"
    )
    expected = [
        {
            "ip": str(network.address_of(net, i)),
            "mac": network.mac_of(i),
            "tap": network.tap_of(i),
        }
        for i in indexes
    ]
    assert derived == expected


def nix_list(values: list[int]) -> str:
    return "[ " + " ".join(str(v) for v in values) + " ]"


def test_nix_and_the_cli_share_the_state_layout_and_schema() -> None:
    nix = evaluate(
        f"let lib = import {LIB}; in {{ schema = lib.registry.schema; layout = {{ "
        "inherit (lib.layout) workspaceDir homeDir hostKeysDir hostKeyFile; }; }"
    )
    layout = nix["layout"]
    assert (layout["workspaceDir"], layout["homeDir"], layout["hostKeysDir"]) == (
        state.WORKSPACE_DIR,
        state.HOME_DIR,
        state.HOST_KEYS_DIR,
    )
    assert layout["hostKeyFile"] == keys.HOST_KEY_FILE
    assert nix["schema"] == registry.SCHEMA


VM_NAMES = ["demo", "a", "a1", "web-2", "x" * 63, "x" * 64, "Demo", "1demo", "-a", "a-", "a_b", ""]
DOMAINS = ["example.com", "a.b.example", "x1-2.io", "localhost", "Example.com", "a..b", "-a.com"]
DOMAINS += ["a/b.com", "a.com/#/1.2.3.4", "a.com\nserver=/x/1.1.1.1", ("a" * 63 + ".") * 4 + "com"]


@pytest.mark.parametrize(
    ("nix_check", "cli_check", "samples"),
    [("isVmName", names.check_vm_name, VM_NAMES), ("isDomain", names.check_domain, DOMAINS)],
    ids=["vm names", "domains"],
)
def test_nix_and_the_cli_accept_the_same_names(
    nix_check: str, cli_check: Callable[[str], None], samples: list[str]
) -> None:
    by_nix = evaluate(f"map (import {LIB}).names.{nix_check} {nix_json(samples)}")
    by_cli = [accepts(cli_check, sample) for sample in samples]
    assert by_nix == by_cli
    assert True in by_cli
    assert False in by_cli


def accepts(check: Callable[[str], None], value: str) -> bool:
    try:
        check(value)
    except AgentvmError:
        return False
    return True


def nix_json(value: object) -> str:
    return f"(builtins.fromJSON {nix_string(json.dumps(value))})"
