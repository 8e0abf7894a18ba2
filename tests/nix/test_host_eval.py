"""The host module, evaluated with microvm.nix's and home-manager's real option
declarations: VMs from the registry become microvm.nix VMs with the registry's values,
and every host assertion fires on its bad input with its message."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from nixeval import ROOT, agentvm_new, evaluate, harness, nix_string

from agentvm.keys import HOST_KEY_FILE

FIXTURE = Path(__file__).with_name("fixtures") / "two-vms.toml"
TEMPLATE = ROOT / "modules" / "templates" / "host"

# What the tests read of each guest; forcing more would force packages the stubs lack.
GUEST_SUMMARY = """guest: {
  shares = map (s: { inherit (s) tag proto source mountPoint readOnly; }) guest.microvm.shares;
  interfaces = map (i: { inherit (i) type id mac; }) guest.microvm.interfaces;
  inherit (guest.microvm) hypervisor vcpu mem writableStoreOverlay socket;
  network = guest.systemd.network.networks."10-agentvm";
  hostKeys = guest.services.openssh.hostKeys;
  storeMounts = guest.systemd.mounts;
  hostKeysMountOptions = guest.fileSystems."/run/agentvm/host-keys".options;
  hostKeyService = { inherit (guest.systemd.services.agentvm-host-key) before requiredBy; };
  sshdKeygen = guest.systemd.services.sshd-keygen.enable;
  user = { inherit (guest.users.users.${guest.agentvm.guest.user.name}) uid group home; };
}"""


def evaluate_host(module: str, guests: bool = True) -> dict[str, Any]:
    guest_part = "{ guest = summary vm.config.config; }" if guests else "{ }"
    expression = f"""
      let
        h = {harness()};
        host = (h.evalHost [ ({module}) ]).config;
        summary = {GUEST_SUMMARY};
      in {{
        failed = h.failedAssertions host;
        network = host.systemd.network;
        nat = if host.agentvm.network.externalInterface == null then null else host.networking.nat;
        vms = builtins.mapAttrs (name: vm: {{
          inherit (vm) autostart restartIfChanged;
        }} // {guest_part}) host.microvm.vms;
      }}"""
    result: dict[str, Any] = evaluate(expression)
    return result


def registry_host(registry: Path, extra: str = "") -> str:
    return (
        f"{{ agentvm = {{ enable = true; registry = {nix_string(registry)}; "
        f'network.externalInterface = "eth0"; {extra} }}; }}'
    )


def test_two_registry_vms_become_two_microvms() -> None:
    host = evaluate_host(registry_host(FIXTURE))
    assert host["failed"] == []
    assert sorted(host["vms"]) == ["demo", "other"]

    demo = host["vms"]["demo"]
    assert demo["autostart"] is False
    assert demo["restartIfChanged"] is False
    guest = demo["guest"]
    assert guest["interfaces"] == [{"type": "tap", "id": "agentvm2", "mac": "02:00:00:00:00:02"}]
    assert guest["hypervisor"] == "cloud-hypervisor"
    assert (guest["vcpu"], guest["mem"]) == (4, 4096)
    assert guest["writableStoreOverlay"] == "/nix/.rw-store"
    assert guest["socket"] == "control.socket"
    assert guest["network"]["address"] == ["192.168.83.2/24"]
    assert guest["network"]["gateway"] == ["192.168.83.1"]
    assert guest["network"]["matchConfig"] == {"MACAddress": "02:00:00:00:00:02"}
    assert guest["user"] == {"uid": 1000, "group": "users", "home": "/home/alice/microvm/demo/home"}

    shares = {share["tag"]: share for share in guest["shares"]}
    assert {share["proto"] for share in shares.values()} == {"virtiofs"}
    assert shares["ro-store"]["source"] == "/nix/store"
    assert shares["ro-store"]["readOnly"] is True
    assert shares["workspace"]["source"] == shares["workspace"]["mountPoint"]
    assert shares["workspace"]["source"] == "/home/alice/microvm/demo/workspace"
    assert shares["workspace"]["readOnly"] is False
    assert shares["home"]["source"] == "/home/alice/microvm/demo/home"
    assert shares["host-keys"]["source"] == "/home/alice/microvm/demo/ssh-host-keys"
    assert shares["host-keys"]["readOnly"] is True
    assert not shares["host-keys"]["mountPoint"].startswith("/home/")

    assert [key["path"] for key in guest["hostKeys"]] == ["/run/agentvm/ssh_host_ed25519_key"]
    # The key share is mounted only by the service that copies the key before sshd starts.
    assert "noauto" in guest["hostKeysMountOptions"]
    assert "defaults" in guest["hostKeysMountOptions"]
    assert guest["hostKeyService"] == {"before": ["sshd.service"], "requiredBy": ["sshd.service"]}
    assert guest["sshdKeygen"] is False
    assert [(m["where"], m["unitConfig"]) for m in guest["storeMounts"]] == [
        ("/nix/store", {"DefaultDependencies": False})
    ]

    other = host["vms"]["other"]["guest"]
    assert other["interfaces"][0]["id"] == "agentvm3"
    assert other["network"]["address"] == ["192.168.83.3/24"]


def test_host_network_bridges_the_registry_taps() -> None:
    host = evaluate_host(registry_host(FIXTURE), guests=False)
    networks = host["network"]["networks"]
    assert host["network"]["netdevs"]["10-agentvm-bridge"]["netdevConfig"] == {
        "Kind": "bridge",
        "Name": "microbr",
    }
    assert networks["10-agentvm-bridge"]["address"] == ["192.168.83.1/24"]
    assert networks["11-agentvm-taps"]["matchConfig"]["Name"] == "agentvm2 agentvm3"
    assert networks["11-agentvm-taps"]["networkConfig"]["Bridge"] == "microbr"
    assert host["nat"]["internalInterfaces"] == ["microbr"]
    assert host["nat"]["externalInterface"] == "eth0"


def test_nix_definitions_override_registry_fields() -> None:
    host = evaluate_host(registry_host(FIXTURE, "vms.demo.vcpu = 8; vms.demo.autostart = true;"))
    assert host["vms"]["demo"]["guest"]["vcpu"] == 8
    assert host["vms"]["demo"]["autostart"] is True
    assert host["vms"]["other"]["guest"]["vcpu"] == 4


def test_vms_declared_in_nix_get_the_cli_addresses() -> None:
    module = """{ agentvm = { enable = true; vms.nixvm = {
      index = 7; user = "alice"; uid = 1000; gid = 100; stateDir = "/home/alice/microvm/nixvm";
    }; }; }"""
    guest = evaluate_host(module)["vms"]["nixvm"]["guest"]
    assert guest["interfaces"] == [{"type": "tap", "id": "agentvm7", "mac": "02:00:00:00:00:07"}]
    assert guest["network"]["address"] == ["192.168.83.7/24"]


def test_a_host_from_the_template_reads_what_the_cli_wrote(tmp_path: Path) -> None:
    host_dir = tmp_path / "host"
    shutil.copytree(TEMPLATE, host_dir)
    for name in ("demo", "demo2"):
        agentvm_new(host_dir, name, tmp_path / "state")
    host = evaluate_host(f"import {nix_string(host_dir / 'agentvm.nix')}")
    assert host["failed"] == []
    assert sorted(host["vms"]) == ["demo", "demo2"]
    written = (host_dir / "vms.toml").read_text()
    for guest in (host["vms"][name]["guest"] for name in ("demo", "demo2")):
        assert f'ip = "{guest["network"]["address"][0].split("/")[0]}"' in written
        assert f'tap = "{guest["interfaces"][0]["id"]}"' in written
        assert f'mac = "{guest["interfaces"][0]["mac"]}"' in written
        keys = Path(next(s["source"] for s in guest["shares"] if s["tag"] == "host-keys"))
        assert (keys / HOST_KEY_FILE).is_file()
        assert Path(next(s["source"] for s in guest["shares"] if s["tag"] == "home")).is_dir()


def vm_b(fields: str) -> str:
    """A VM `b` declared in Nix beside the fixture's, with ``fields`` overriding the basics."""
    return f'vms.b = {{ user = "a"; uid = 1; gid = 1; stateDir = "/s/b"; }} // {{ {fields} }};'


BAD_HOSTS = [
    (
        vm_b("index = 2;"),
        "agentvm VM `b`: `agentvm.vms.b.index` 2 is also used by `demo`.",
    ),
    (
        vm_b('index = 9; ip = "192.168.83.2";'),
        "agentvm VM `demo`: `agentvm.vms.demo.ip` 192.168.83.2 is also used by `b`.",
    ),
    (
        vm_b('index = 9; mac = "02:00:00:00:00:02";'),
        "agentvm VM `b`: `agentvm.vms.b.mac` 02:00:00:00:00:02 is also used by `demo`.",
    ),
    (
        vm_b('index = 9; tap = "agentvm2";'),
        "agentvm VM `b`: `agentvm.vms.b.tap` agentvm2 is also used by `demo`.",
    ),
    (
        vm_b('index = 9; ip = "10.0.0.9";'),
        "agentvm VM `b`: `agentvm.vms.b.ip` 10.0.0.9 is not a host address in "
        "`agentvm.network.subnet` 192.168.83.0/24.",
    ),
    (
        vm_b("index = 1;"),
        "agentvm VM `b`: `agentvm.vms.b.ip` 192.168.83.1 is the host's gateway address.",
    ),
    (
        'vms.Bad_Name = { index = 9; user = "a"; uid = 1; gid = 1; stateDir = "/s/b"; };',
        "agentvm VM `Bad_Name`: the name must be a lower-case DNS label "
        "(letters, digits and inner hyphens, at most 63).",
    ),
    (
        vm_b('index = 9; tap = "agentvm-far-too-long";'),
        "agentvm VM `b`: `agentvm.vms.b.tap` `agentvm-far-too-long` is longer than "
        "Linux's 15-character interface names.",
    ),
    (
        vm_b('index = 9; stateDir = "/nix/store/x-b";'),
        "agentvm VM `b`: `agentvm.vms.b.stateDir` and `agentvm.vms.b.workspace` must not be "
        "in /nix/store, which every VM can read.",
    ),
    (
        vm_b('index = 9; allow = [ "example.org" ];'),
        "agentvm VM `b`: `agentvm.vms.b.allow` lists domains, but `agentvm.vms.b.egress` is "
        "`internet`, not `allowlist`.",
    ),
    (
        vm_b('index = 9; user = "root"; uid = 0; gid = 0;'),
        "agentvm VM `b`: `agentvm.vms.b.user` is root; the agent would be root in the VM and "
        "could read its SSH host key. Run `agentvm new` as your user.",
    ),
    (
        vm_b('index = 9; egress = "allowlist"; allow = [ "evil.com/#/1.2.3.4" ];'),
        "agentvm VM `b`: `agentvm.vms.b.allow` may hold only lower-case domain names such as "
        "example.com.",
    ),
    (
        'network.gateway = "10.1.1.1";',
        "agentvm: `agentvm.network.gateway` 10.1.1.1 is not in `agentvm.network.subnet` "
        "192.168.83.0/24.",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD_HOSTS)
def test_assertion_fires_with_its_message(extra: str, message: str) -> None:
    host = evaluate_host(registry_host(FIXTURE, extra), guests=False)
    assert message in host["failed"]


def test_home_without_home_manager_is_refused() -> None:
    without_home_manager = "({ lib, ... }: { agentvm.homeManagerModule = lib.mkForce null; })"
    with_home = registry_host(FIXTURE, "home.enable = true;")
    module = f"{{ imports = [ {with_home} {without_home_manager} ]; }}"
    failed = evaluate_host(module, guests=False)["failed"]
    assert (
        "agentvm: `agentvm.home.enable` needs home-manager's NixOS module; import agentvm's "
        "`nixosModules.host`, which provides it." in failed
    )


def test_the_egress_policy_is_wired_in_by_mode() -> None:
    modes = (
        'vms.other.egress = "allowlist"; vms.other.allow = [ "api.example.com" ]; '
        'vms.demo.egress = "none";'
    )
    expression = f"""
      let
        h = {harness()};
        host = (h.evalHost [ ({registry_host(FIXTURE, modes)}) ]).config;
        dns = name: host.microvm.vms.${{name}}.config.config.agentvm.guest.nameservers;
      in {{
        failed = h.failedAssertions host;
        nftables = host.networking.nftables.enable;
        tables = builtins.mapAttrs (_: t: {{ inherit (t) family content; }})
          host.networking.nftables.tables;
        dnsmasq = {{ inherit (host.services.dnsmasq) enable resolveLocalQueries settings; }};
        firewall = host.networking.firewall.interfaces.microbr;
        nameservers = {{ demo = dns "demo"; other = dns "other"; }};
      }}"""
    host = evaluate(expression)
    assert host["failed"] == []
    assert host["nftables"] is True
    assert host["tables"]["agentvm"]["family"] == "inet"
    assert host["tables"]["agentvm-bridge"]["family"] == "bridge"
    assert "ip saddr 192.168.83.3 ip daddr @allow_3 accept" in host["tables"]["agentvm"]["content"]
    assert "192.168.83.2" not in host["tables"]["agentvm"]["content"].split("chain vm_egress")[1]
    assert host["dnsmasq"]["enable"] is True
    assert host["dnsmasq"]["resolveLocalQueries"] is False
    assert host["dnsmasq"]["settings"]["nftset"] == ["/api.example.com/4#inet#agentvm#allow_3"]
    assert host["firewall"] == {"allowedUDPPorts": [53], "allowedTCPPorts": [53]}
    assert host["nameservers"] == {"demo": [], "other": ["192.168.83.1"]}


def test_internet_vms_need_no_dnsmasq() -> None:
    expression = f"""
      let host = ({harness()}.evalHost [ ({registry_host(FIXTURE)}) ]).config;
      in {{
        dnsmasq = host.services.dnsmasq.enable or false;
        nameservers = host.microvm.vms.demo.config.config.agentvm.guest.nameservers;
      }}"""
    host = evaluate(expression)
    assert host == {"dnsmasq": False, "nameservers": ["9.9.9.9", "1.1.1.1"]}


def test_egress_without_nftables_is_refused() -> None:
    module = f"{{ imports = [ {registry_host(FIXTURE)} ]; networking.nftables.enable = false; }}"
    assert (
        "agentvm: the VMs' egress policy is nftables rules; `networking.nftables.enable` must "
        "stay true." in evaluate_host(module, guests=False)["failed"]
    )
