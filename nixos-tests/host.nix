# The test host: agentvm's host module with the two VMs of the offline suite's fixture
# registry (demo 192.168.83.2, other 192.168.83.3, owned by alice), sized to run them
# nested. The VMs' state (keys, workspace, home) is made at run time by the real CLI,
# never at build time, so no private key is in the Nix store.
{
  lib,
  pkgs,
  self,
  ...
}:
let
  addresses = import ./addresses.nix;
in
{
  imports = [ self.nixosModules.host ];

  # Nested KVM, as microvm.nix's checks/vm.nix runs its VMs.
  virtualisation = {
    qemu.options = [
      "-cpu"
      "kvm64,+svm,+vmx"
    ];
    cores = 2;
    memorySize = 4096;
    diskSize = 8192;
    vlans = [ addresses.uplinkVlan ];
  };

  networking.interfaces.eth1.ipv4.addresses = lib.mkForce [
    {
      address = addresses.hostUplink;
      prefixLength = 24;
    }
  ];

  users.users.alice = {
    isNormalUser = true;
    uid = 1000;
  };

  environment.systemPackages = [ self.packages.${pkgs.stdenv.hostPlatform.system}.agentvm ];

  agentvm = {
    enable = true;
    registry = ../tests/nix/fixtures/two-vms.toml;
    network = {
      externalInterface = "eth1";
      nameservers = [ addresses.outside ];
    };
    # Small enough to run two nested in the test host.
    vms = lib.genAttrs [ "demo" "other" ] (_: {
      vcpu = 1;
      mem = 1024;
    });
    extraModules = [ { environment.systemPackages = [ pkgs.curl ]; } ];
  };
}
