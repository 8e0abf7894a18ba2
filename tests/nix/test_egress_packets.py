"""The egress policy with real packets: the CLI writes a registry with one VM per mode,
the Nix side (modules/lib/egress.nix, evaluated) turns it into nftables tables and a
dnsmasq configuration, and those are loaded into network namespaces that stand for the
host, its VMs, a LAN and the internet. A twin lab without the policy proves that
everything refused below would otherwise get through."""

from collections.abc import Iterator
from typing import Any

import pytest
from lab import (
    ALLOWED_SITE,
    BLOCKED_SITE,
    GATEWAY,
    HOST_SERVICE,
    HTTP,
    LAN_ADDRESS,
    METADATA,
    PUBLIC_RESOLVER,
    SSH,
    GuestLink,
    Lab,
    lab,
    missing_requirements,
    render_nftables,
)
from nixeval import ROOT, agentvm_new, evaluate, nix_string

LIB = ROOT / "modules" / "lib"
MODES = {
    "web": ("--egress", "internet"),
    "peer": ("--egress", "internet"),
    "pinned": ("--egress", "allowlist", "--allow", "allowed.test"),
    "sealed": ("--egress", "none"),
}

pytestmark = pytest.mark.skipif(
    missing_requirements() is not None, reason=f"egress lab: {missing_requirements()}"
)


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the Nix side makes of a registry that the real CLI wrote."""
    directory = tmp_path_factory.mktemp("registry")
    for name, options in MODES.items():
        agentvm_new(directory, name, directory / "state", *options)
    result: dict[str, Any] = evaluate(
        f"""let
          lib = import {LIB};
          registry = lib.registry.read {nix_string(directory / "vms.toml")};
        in lib.egress.policy {{
          inherit (registry.network) bridge gateway;
          inherit (registry) vms;
          upstreams = [ "{PUBLIC_RESOLVER}" ];
        }} // {{ inherit (registry) vms; }}"""
    )
    return result


def guests(policy: dict[str, Any]) -> list[GuestLink]:
    return [GuestLink(name, vm["ip"], vm["tap"]) for name, vm in policy["vms"].items()]


@pytest.fixture(scope="module")
def open_lab(policy: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab(tmp_path_factory.mktemp("open-lab"), guests(policy)) as built:
        yield built


@pytest.fixture(scope="module")
def guarded(policy: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab(tmp_path_factory.mktemp("lab"), guests(policy)) as built:
        built.load_ruleset(render_nftables(policy["tables"]))
        built.start_dnsmasq("host", policy["dnsmasq"])
        built.wait_for(lambda: built.connects("host", GATEWAY, 53), "the host's dnsmasq")
        yield built


def ip(policy: dict[str, Any], name: str) -> str:
    address: str = policy["vms"][name]["ip"]
    return address


def test_without_the_policy_every_target_is_reachable(
    open_lab: Lab, policy: dict[str, Any]
) -> None:
    for target in [
        (ALLOWED_SITE, HTTP),
        (BLOCKED_SITE, HTTP),
        (LAN_ADDRESS, HTTP),
        (METADATA, HTTP),
        (GATEWAY, HOST_SERVICE),
        (ip(policy, "peer"), SSH),
        (PUBLIC_RESOLVER, 53),
    ]:
        assert open_lab.connects("web", *target), target
        assert open_lab.connects("sealed", *target), target
    assert open_lab.connects("lan", ip(policy, "web"), SSH)


def test_internet_vm_reaches_the_internet_and_public_dns(guarded: Lab) -> None:
    assert guarded.connects("web", ALLOWED_SITE, HTTP)
    assert guarded.connects("web", BLOCKED_SITE, HTTP)
    assert guarded.resolves("web", PUBLIC_RESOLVER, "blocked.test") == [BLOCKED_SITE]


def test_internet_vm_reaches_no_lan_metadata_or_host_port(guarded: Lab) -> None:
    assert not guarded.connects("web", LAN_ADDRESS, HTTP)
    assert not guarded.connects("web", METADATA, HTTP)
    assert not guarded.connects("web", GATEWAY, HOST_SERVICE)


def test_vms_cannot_reach_each_other(guarded: Lab, policy: dict[str, Any]) -> None:
    assert not guarded.connects("web", ip(policy, "peer"), SSH)
    assert not guarded.connects("peer", ip(policy, "web"), SSH)
    assert not guarded.connects("sealed", ip(policy, "web"), SSH)


def test_the_host_reaches_every_vm_and_the_lan_none(guarded: Lab, policy: dict[str, Any]) -> None:
    for name in MODES:
        assert guarded.connects("host", ip(policy, name), SSH), name
        assert not guarded.connects("lan", ip(policy, name), SSH), name


def test_allowlist_vm_reaches_only_what_the_host_resolved_for_it(guarded: Lab) -> None:
    assert not guarded.connects("pinned", ALLOWED_SITE, HTTP)  # not resolved yet
    assert guarded.resolves("pinned", GATEWAY, "allowed.test") == [ALLOWED_SITE]
    assert guarded.connects("pinned", ALLOWED_SITE, HTTP)
    assert guarded.resolves("pinned", GATEWAY, "blocked.test") == []
    assert not guarded.connects("pinned", BLOCKED_SITE, HTTP)
    assert not guarded.connects("pinned", PUBLIC_RESOLVER, 53)  # no way around the host
    assert guarded.resolves("pinned", PUBLIC_RESOLVER, "blocked.test") == []
    assert not guarded.connects("pinned", LAN_ADDRESS, HTTP)
    assert not guarded.connects("pinned", METADATA, HTTP)


def test_allowlisted_addresses_serve_only_the_vm_that_listed_them(guarded: Lab) -> None:
    assert guarded.resolves("pinned", GATEWAY, "allowed.test") == [ALLOWED_SITE]
    assert not guarded.connects("sealed", ALLOWED_SITE, HTTP)


def test_none_vm_reaches_nothing(guarded: Lab) -> None:
    assert not guarded.connects("sealed", ALLOWED_SITE, HTTP)
    assert not guarded.connects("sealed", PUBLIC_RESOLVER, 53)
    assert guarded.resolves("sealed", GATEWAY, "allowed.test") == []
    assert not guarded.connects("sealed", GATEWAY, 53)
    assert not guarded.connects("sealed", GATEWAY, HOST_SERVICE)
