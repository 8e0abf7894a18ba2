# Declarations of the agentvm host (`agentvm.*`): the bridge network, the registry and
# the VMs. Per-VM values default to what `agentvm new` wrote into the registry.
{ config, lib, ... }:
let
  inherit (lib) literalExpression mkEnableOption mkOption types;
  cfg = config.agentvm;
  addressing = import ../lib/addressing.nix;
  layout = import ../lib/layout.nix;

  vmOptions =
    { config, name, ... }:
    {
      options = {
        index = mkOption {
          type = types.ints.positive;
          example = 2;
          description = "The VM's host number in {option}`agentvm.network.subnet`; its addresses follow from it.";
        };

        ip = mkOption {
          type = types.str;
          default = addressing.ip cfg.network.subnet config.index;
          defaultText = literalExpression "host number `index` of `agentvm.network.subnet`";
          description = "The VM's IPv4 address on the bridge.";
        };

        mac = mkOption {
          type = types.str;
          default = addressing.mac config.index;
          defaultText = literalExpression ''"02:00:" + the index as four hex bytes'';
          description = "MAC address of the VM's interface.";
        };

        tap = mkOption {
          type = types.str;
          default = addressing.tap config.index;
          defaultText = literalExpression ''"agentvm''${toString index}"'';
          description = "Name of the VM's tap interface on the host (at most 15 characters).";
        };

        vcpu = mkOption {
          type = types.ints.positive;
          default = 4;
          description = "Virtual CPUs.";
        };

        mem = mkOption {
          type = types.ints.between 256 1048576;
          default = 4096;
          description = "Memory in MiB.";
        };

        user = mkOption {
          type = types.str;
          example = "alice";
          description = "The host user who owns the VM; the guest's agent user has the same name, uid and gid.";
        };

        uid = mkOption {
          type = types.ints.unsigned;
          example = 1000;
          description = "The owner's uid.";
        };

        gid = mkOption {
          type = types.ints.unsigned;
          example = 100;
          description = "The owner's primary gid.";
        };

        stateDir = mkOption {
          type = types.str;
          example = "/home/alice/microvm/${name}";
          description = "The VM's state directory (host keys, home, known_hosts), made by `agentvm new`.";
        };

        workspace = mkOption {
          type = types.str;
          default = "${config.stateDir}/${layout.workspaceDir}";
          defaultText = literalExpression ''"''${stateDir}/workspace"'';
          description = "Host directory shared with the VM read-write, at the same path inside.";
        };

        egress = mkOption {
          type = types.enum [
            "internet"
            "allowlist"
            "none"
          ];
          default = "internet";
          description = ''
            What the VM may reach: `internet` (public addresses through the NAT; no
            private range, no cloud metadata, no other VM, no host port but DNS),
            `allowlist` (only addresses of the domains in {option}`allow`, resolved by
            the host) or `none` (nothing; the host's SSH still gets in). See SECURITY.md.
          '';
        };

        allow = mkOption {
          type = types.listOf types.str;
          default = [ ];
          example = [ "api.anthropic.com" ];
          description = "Domains the VM may reach when {option}`egress` is `allowlist`.";
        };

        autostart = mkOption {
          type = types.bool;
          default = cfg.autostart;
          defaultText = literalExpression "config.agentvm.autostart";
          description = "Whether the VM starts at boot.";
        };

        authorizedKeys = mkOption {
          type = types.listOf types.singleLineStr;
          default = cfg.authorizedKeys;
          defaultText = literalExpression "config.agentvm.authorizedKeys";
          description = "Public keys that may log in to the VM as its agent user.";
        };

        extraModules = mkOption {
          type = types.listOf types.deferredModule;
          default = [ ];
          description = "NixOS modules added to this VM's configuration.";
        };
      };
    };
in
{
  options.agentvm = {
    enable = mkEnableOption "agentvm: disposable microVMs for coding agents on this host";

    registry = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = literalExpression "./vms.toml";
      description = ''
        The registry `agentvm new` keeps (vms.toml). Its network and every VM in it
        become defaults of {option}`agentvm.network` and {option}`agentvm.vms`, which
        Nix definitions override field by field.
      '';
    };

    network = {
      bridge = mkOption {
        type = types.str;
        default = "microbr";
        description = "Name of the bridge the VMs' taps join.";
      };

      subnet = mkOption {
        type = types.str;
        default = "192.168.83.0/24";
        description = "The VMs' IPv4 subnet.";
      };

      gateway = mkOption {
        type = types.str;
        default = "192.168.83.1";
        description = "The host's address on the bridge, the VMs' default route.";
      };

      nameservers = mkOption {
        type = types.listOf types.str;
        default = (import ../lib/egress.nix).publicResolvers;
        description = ''
          Public DNS servers: `internet` VMs ask them through the NAT, and the host's
          dnsmasq asks them for the domains of `allowlist` VMs.
        '';
      };

      externalInterface = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "eth0";
        description = "The uplink the VMs' traffic is NATed to; `null` gives them no way out.";
      };
    };

    autostart = mkOption {
      type = types.bool;
      default = false;
      description = "Whether VMs start at boot unless a VM says otherwise.";
    };

    authorizedKeys = mkOption {
      type = types.listOf types.singleLineStr;
      default = [ ];
      example = [ "ssh-ed25519 AAAAC3Nza… alice@host" ];
      description = "Public keys that may log in to every VM as its agent user.";
    };

    extraModules = mkOption {
      type = types.listOf types.deferredModule;
      default = [ ];
      description = "NixOS modules added to every VM's configuration.";
    };

    home = {
      enable = mkEnableOption "the home-manager environment and agent CLIs in every VM";

      agents = mkOption {
        type = types.listOf (types.enum (import ../lib/agents.nix));
        default = [ "claude-code" ];
        description = "Agent CLIs installed for the VMs' agent user.";
      };
    };

    homeManagerModule = mkOption {
      type = types.nullOr types.deferredModule;
      default = null;
      internal = true;
      description = "home-manager's NixOS module, imported into VMs when {option}`agentvm.home.enable`; set by the flake.";
    };

    vms = mkOption {
      type = types.attrsOf (types.submodule vmOptions);
      default = { };
      description = "The VMs of this host; those in {option}`agentvm.registry` are added.";
    };
  };
}
