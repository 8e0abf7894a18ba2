# The agentvm host: a bridge with the host as gateway, the VMs' taps on it, NAT to the
# uplink, and one microvm.nix VM per registry entry or `agentvm.vms` declaration, each
# built from microvm-base (and microvm-home).
{ config, lib, ... }:
let
  cfg = config.agentvm;
  ipv4 = import ../lib/ipv4.nix;
  registry = import ../lib/registry.nix;
  egressPolicy = import ../lib/egress.nix;

  fromRegistry = registry.read cfg.registry;
  inherit (ipv4.parseCidr cfg.network.subnet) prefixLength;
  taps = lib.mapAttrsToList (_: vm: vm.tap) cfg.vms;

  egress = egressPolicy.policy {
    inherit (cfg.network) bridge gateway;
    upstreams = cfg.network.nameservers;
    inherit (cfg) vms;
  };

  # Allowlisted VMs may resolve only through the host's dnsmasq, which knows only their names.
  nameserversFor =
    vm:
    {
      internet = cfg.network.nameservers;
      allowlist = [ cfg.network.gateway ];
      none = [ ];
    }
    .${vm.egress};

  guestModules =
    vm:
    [
      ../microvm-base
      {
        agentvm.guest = {
          enable = true;
          address = vm.ip;
          inherit prefixLength;
          inherit (cfg.network) gateway;
          nameservers = nameserversFor vm;
          inherit (vm)
            mac
            tap
            stateDir
            workspace
            ;
          user = {
            name = vm.user;
            inherit (vm) uid gid authorizedKeys;
          };
        };
        microvm = {
          inherit (vm) vcpu mem;
        };
      }
    ]
    ++ lib.optionals cfg.home.enable [
      cfg.homeManagerModule
      ../microvm-home
      {
        agentvm.home = {
          enable = true;
          inherit (cfg.home) agents;
        };
      }
    ]
    ++ cfg.extraModules
    ++ vm.extraModules;
in
{
  imports = [
    ./options.nix
    ./assertions.nix
  ];

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      # Registry values are defaults: a Nix definition of the same field wins.
      (lib.mkIf (cfg.registry != null) {
        # Named field by field: the module system must see which options are defined
        # without reading the registry, whose path is itself config.
        agentvm.network = {
          bridge = lib.mkDefault fromRegistry.network.bridge;
          subnet = lib.mkDefault fromRegistry.network.subnet;
          gateway = lib.mkDefault fromRegistry.network.gateway;
        };
        agentvm.vms = lib.mapAttrs (_: lib.mapAttrs (_: lib.mkDefault)) fromRegistry.vms;
      })

      {
        systemd.network = {
          enable = true;
          netdevs."10-agentvm-bridge".netdevConfig = {
            Kind = "bridge";
            Name = cfg.network.bridge;
          };
          networks."10-agentvm-bridge" = {
            matchConfig.Name = cfg.network.bridge;
            address = [ "${cfg.network.gateway}/${toString prefixLength}" ];
            # Up before any VM is, so the gateway address is there when they boot.
            networkConfig.ConfigureWithoutCarrier = true;
            linkConfig.RequiredForOnline = "no";
          };
          networks."11-agentvm-taps" = lib.mkIf (taps != [ ]) {
            matchConfig.Name = lib.concatStringsSep " " taps;
            networkConfig.Bridge = cfg.network.bridge;
            linkConfig.RequiredForOnline = "enslaved";
          };
        };

        networking.nftables = {
          enable = lib.mkDefault true;
          inherit (egress) tables;
        };

        services.dnsmasq = lib.mkIf (egress.dnsmasq != null) {
          enable = true;
          # The host's own resolver stays as it is; dnsmasq serves the VMs alone.
          resolveLocalQueries = false;
          settings = egress.dnsmasq;
        };
        # dnsmasq fills the allowlist sets, which must exist first.
        systemd.services.dnsmasq = lib.mkIf (egress.dnsmasq != null) {
          after = [ "nftables.service" ];
          requires = [ "nftables.service" ];
        };
        networking.firewall.interfaces.${cfg.network.bridge} = lib.mkIf (egress.dnsmasq != null) {
          allowedUDPPorts = [ 53 ];
          allowedTCPPorts = [ 53 ];
        };

        networking.nat = lib.mkIf (cfg.network.externalInterface != null) {
          enable = true;
          internalInterfaces = [ cfg.network.bridge ];
          inherit (cfg.network) externalInterface;
        };

        microvm.vms = lib.mapAttrs (_: vm: {
          inherit (vm) autostart;
          # A host rebuild must not kill an agent mid-task; the new config applies at
          # the VM's next start.
          restartIfChanged = lib.mkDefault false;
          config.imports = guestModules vm;
        }) cfg.vms;
      }
    ]
  );
}
