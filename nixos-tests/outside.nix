# "The internet": a web server and a DNS server on a public-looking address, plus the
# cloud metadata address that no VM may reach.
{ lib, pkgs, ... }:
let
  addresses = import ./addresses.nix;
in
{
  virtualisation.vlans = [ addresses.uplinkVlan ];
  networking.interfaces.eth1.ipv4.addresses = lib.mkForce [
    {
      address = addresses.outside;
      prefixLength = 24;
    }
    {
      address = addresses.metadata;
      prefixLength = 32;
    }
  ];
  networking.firewall = {
    allowedTCPPorts = [
      53
      80
    ];
    allowedUDPPorts = [ 53 ];
  };

  services.nginx = {
    enable = true;
    virtualHosts.default = {
      default = true;
      root = pkgs.writeTextDir "index.html" "hello from outside\n";
    };
  };

  services.dnsmasq = {
    enable = true;
    resolveLocalQueries = false;
    settings = {
      listen-address = addresses.outside;
      bind-interfaces = true;
      no-resolv = true;
      address = "/outside.test/${addresses.outside}";
    };
  };
}
