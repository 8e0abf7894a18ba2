"""vms.toml: a registry that is malformed, newer or inconsistent is refused, untouched."""

from collections.abc import Callable
from typing import Any

import pytest
from cli_sandbox import Runner, Sandbox, run_in_process, snapshot

from agentvm.registry import dumps, load, parse

Document = dict[str, Any]


def _second_vm_sharing(field: str) -> Callable[[Document], None]:
    """Register `other` as a copy of `demo` that differs only where ``field`` is not."""

    def change(document: Document) -> None:
        other = dict(document["vms"]["demo"])
        if field != "index":
            other.update(index=3, ip="192.168.83.3", mac="02:00:00:00:00:03", tap="agentvm3")
        other[field] = document["vms"]["demo"][field]
        other["state_dir"] = other["state_dir"] + "-other"
        document["vms"]["other"] = other

    return change


def _set(table: str, key: str, value: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target = document["vms"]["demo"] if table == "demo" else document
        target[key] = value

    return change


def _drop(key: str) -> Callable[[Document], None]:
    return lambda document: document["vms"]["demo"].pop(key)


BAD_REGISTRIES: dict[str, tuple[Callable[[Document], object], str]] = {
    "newer schema": (_set("top", "schema", 2), "unsupported schema 2"),
    "schema missing": (lambda document: document.pop("schema"), "top level: missing schema"),
    "unknown top-level key": (_set("top", "extra", 1), "top level: unknown extra"),
    "field missing": (_drop("mac"), "vms.demo: missing mac"),
    "unknown field": (_set("demo", "color", "red"), "vms.demo: unknown color"),
    "wrong type": (_set("demo", "vcpu", "4"), "vms.demo.vcpu: expected an integer"),
    "boolean for integer": (_set("demo", "mem", True), "vms.demo.mem: expected an integer"),
    "ip not matching index": (_set("demo", "ip", "192.168.83.9"), "does not match index 2"),
    "mac not matching index": (_set("demo", "mac", "02:00:00:00:00:09"), "does not match index"),
    "tap not matching index": (_set("demo", "tap", "agentvm9"), "does not match index"),
    "index of the gateway": (_set("demo", "index", 1), "index 1 is not a VM address"),
    "invalid name": (lambda document: document["vms"].update(Bad={}), "invalid VM name 'Bad'"),
    "relative state_dir": (_set("demo", "state_dir", "state"), "must be an absolute path"),
    "allow without allowlist": (_set("demo", "allow", ["github.com"]), "allow needs egress"),
    "two VMs on one index": (_second_vm_sharing("index"), "share index 2"),
    "two VMs on one ip": (_second_vm_sharing("ip"), "does not match index 3"),
    "two VMs on one mac": (_second_vm_sharing("mac"), "does not match index 3"),
    "two VMs on one tap": (_second_vm_sharing("tap"), "does not match index 3"),
    "gateway outside the subnet": (
        lambda document: document["network"].update(gateway="10.0.0.1"),
        "gateway 10.0.0.1 must be a host address",
    ),
}


@pytest.mark.parametrize(("change", "error"), BAD_REGISTRIES.values(), ids=BAD_REGISTRIES.keys())
def test_inconsistent_registry_is_refused_and_never_rewritten(
    agentvm: Runner, with_demo: Sandbox, change: Callable[[Document], object], error: str
) -> None:
    with_demo.rewrite_registry(change)
    before = snapshot(with_demo.root)

    for command in (["new", "x"], ["list"], ["rm", "demo"]):
        outcome = agentvm(*command)
        assert outcome.exit_code == 1
        [line] = outcome.error_lines
        assert line.startswith("error: vms.toml: ")
        assert error in line
    assert snapshot(with_demo.root) == before


def test_malformed_toml_is_refused(agentvm: Runner, with_demo: Sandbox) -> None:
    with_demo.registry.write_text("schema = 1\n[network\n")
    before = snapshot(with_demo.root)

    outcome = agentvm("new", "x")

    assert outcome.exit_code == 1
    assert outcome.error_lines[0].startswith("error: vms.toml: malformed TOML")
    assert snapshot(with_demo.root) == before


def test_registry_round_trips(with_demo: Sandbox) -> None:
    run_in_process("new", "other", "--egress", "allowlist", "--allow", "example.com")
    text = with_demo.registry.read_text()

    assert dumps(load(with_demo.registry)) == text
    assert parse({"schema": 1, "network": with_demo.registry_document()["network"]}).vms == {}


def test_rewriting_keeps_the_registry_mode(with_demo: Sandbox) -> None:
    with_demo.registry.chmod(0o640)

    run_in_process("new", "other")

    assert with_demo.registry.stat().st_mode & 0o777 == 0o640
    assert [path.name for path in with_demo.flake.iterdir()] == ["vms.toml"]  # no temp, no lock
