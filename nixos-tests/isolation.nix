# Proves the egress policy on real NixOS: `demo` (internet) fetches from outside but
# reaches no LAN host, no cloud metadata, no host port and not `other`; `other` (none)
# reaches nothing, not even DNS; the LAN cannot open a connection to a VM, the host can.
# Every refused target is shown reachable from the host itself first.
let
  addresses = import ./addresses.nix;
in
{
  name = "agentvm-isolation";
  nodes = {
    host =
      { lib, pkgs, ... }:
      {
        imports = [ ./host.nix ];
        # eth1 is the uplink (host.nix gives it its address), eth2 the LAN.
        virtualisation.vlans = lib.mkForce [
          addresses.uplinkVlan
          addresses.lanVlan
        ];
        agentvm.vms.other.egress = "none";
        # As a cloud host reaches its metadata service.
        networking.interfaces.eth1.ipv4.routes = [
          {
            address = addresses.metadata;
            prefixLength = 32;
            via = addresses.outside;
          }
        ];
        # A host service, open in the host's firewall: only the egress policy keeps VMs out.
        networking.firewall.allowedTCPPorts = [ 8080 ];
        systemd.services.host-service = {
          wantedBy = [ "multi-user.target" ];
          serviceConfig.ExecStart = "${pkgs.python3}/bin/python3 -m http.server 8080";
        };
      };
    outside = ./outside.nix;
    lan = {
      virtualisation.vlans = [ addresses.lanVlan ];
      # Replies to the VMs' subnet go back through the host, so only a filter can stop them.
      networking.interfaces.eth1.ipv4.routes = [
        {
          address = "192.168.83.0";
          prefixLength = 24;
          via = "192.168.${toString addresses.lanVlan}.1";
        }
      ];
      networking.firewall.allowedTCPPorts = [ 80 ];
      services.nginx = {
        enable = true;
        virtualHosts.default.default = true;
      };
    };
  };
  testScript = builtins.readFile ./common.py + builtins.readFile ./isolation.py;
}
