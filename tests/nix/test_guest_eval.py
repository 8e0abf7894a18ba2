"""microvm-base on its own, as another flake would import it with microvm.nix's guest
module: it evaluates with no failing assertion of microvm.nix or ours, and its defaults
are the documented ones."""

from nixeval import evaluate, harness

GUEST = """{
  networking.hostName = "solo";
  agentvm.guest = {
    enable = true;
    address = "10.0.0.5";
    gateway = "10.0.0.1";
    mac = "02:00:00:00:00:05";
    tap = "solo-tap";
    user = { name = "bob"; uid = 1001; gid = 1001; };
    stateDir = "/srv/solo";
  };
}"""


def test_a_standalone_guest_evaluates_with_its_defaults() -> None:
    guest = evaluate(
        f"""let
          h = {harness()};
          config = (h.evalGuest [ {GUEST} ]).config;
        in {{
          failed = h.failedAssertions config;
          inherit (config.microvm) hypervisor vcpu mem writableStoreOverlay;
          shares = map (s: {{ inherit (s) tag source proto; }}) config.microvm.shares;
          dns = config.systemd.network.networks."10-agentvm".dns;
          group = config.users.users.bob.group;
          gid = config.users.groups.bob.gid;
        }}"""
    )
    assert guest["failed"] == []
    assert (guest["hypervisor"], guest["vcpu"], guest["mem"]) == ("cloud-hypervisor", 4, 4096)
    assert guest["writableStoreOverlay"] == "/nix/.rw-store"
    assert {share["tag"]: share["source"] for share in guest["shares"]} == {
        "ro-store": "/nix/store",
        "workspace": "/srv/solo/workspace",
        "home": "/srv/solo/home",
        "host-keys": "/srv/solo/ssh-host-keys",
    }
    assert {share["proto"] for share in guest["shares"]} == {"virtiofs"}
    assert guest["dns"] == ["9.9.9.9", "1.1.1.1"]
    # A gid other than NixOS' `users` gets a group of the user's name.
    assert (guest["group"], guest["gid"]) == ("bob", 1001)


def test_the_guest_profile_can_be_overridden() -> None:
    guest = evaluate(
        f"""let
          config = ({harness()}.evalGuest [ {GUEST} {{ microvm.hypervisor = "qemu"; }} ]).config;
        in config.microvm.hypervisor"""
    )
    assert guest == "qemu"
