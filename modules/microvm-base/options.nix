# Declarations of the agentvm guest profile (`agentvm.guest.*`). The host module fills
# them in from the registry; a flake using microvm-base on its own sets them itself.
{ config, lib, ... }:
let
  inherit (lib) literalExpression mkEnableOption mkOption types;
  cfg = config.agentvm.guest;
  layout = import ../lib/layout.nix;
in
{
  options.agentvm.guest = {
    enable = mkEnableOption "the agentvm guest profile: a disposable microVM for a coding agent";

    address = mkOption {
      type = types.str;
      example = "192.168.83.2";
      description = "The guest's static IPv4 address on the agentvm bridge.";
    };

    prefixLength = mkOption {
      type = types.ints.between 0 32;
      default = 24;
      description = "Prefix length of the bridge subnet that {option}`agentvm.guest.address` lies in.";
    };

    gateway = mkOption {
      type = types.str;
      example = "192.168.83.1";
      description = "The host's address on the bridge: the guest's default route.";
    };

    nameservers = mkOption {
      type = types.listOf types.str;
      default = (import ../lib/egress.nix).publicResolvers;
      example = [ "192.168.83.1" ];
      description = "DNS servers the guest's resolved asks; the host module sets them by the VM's egress policy.";
    };

    mac = mkOption {
      type = types.strMatching "([0-9a-f]{2}:){5}[0-9a-f]{2}";
      example = "02:00:00:00:00:02";
      description = ''
        MAC address of the guest's interface (lower case). Locally administered
        addresses (`02:…`) never collide with real hardware.
      '';
    };

    tap = mkOption {
      type = types.strMatching "[a-zA-Z0-9_.-]{1,15}";
      example = "agentvm2";
      description = "Name of the tap interface on the host (at most 15 characters, a Linux limit).";
    };

    user = {
      name = mkOption {
        type = types.str;
        example = "alice";
        description = "The agent's user: the host owner's name, so paths and prompts match.";
      };

      uid = mkOption {
        type = types.ints.unsigned;
        example = 1000;
        description = "The host owner's uid, so files in the shared workspace keep their owner.";
      };

      gid = mkOption {
        type = types.ints.unsigned;
        example = 100;
        description = "The host owner's primary gid.";
      };

      authorizedKeys = mkOption {
        type = types.listOf types.singleLineStr;
        default = [ ];
        example = [ "ssh-ed25519 AAAAC3Nza… alice@host" ];
        description = "Public keys allowed to log in as the agent's user over SSH.";
      };
    };

    stateDir = mkOption {
      type = types.str;
      example = "/home/alice/microvm/demo";
      description = "The VM's state directory on the host, as `agentvm new` created it.";
    };

    workspace = mkOption {
      type = types.str;
      default = "${cfg.stateDir}/${layout.workspaceDir}";
      defaultText = literalExpression ''"''${config.agentvm.guest.stateDir}/workspace"'';
      description = ''
        Host directory shared read-write with the guest, mounted at the same path
        inside so paths in tool output mean the same on both sides.
      '';
    };

    home = mkOption {
      type = types.str;
      default = "${cfg.stateDir}/${layout.homeDir}";
      defaultText = literalExpression ''"''${config.agentvm.guest.stateDir}/home"'';
      description = ''
        Host directory holding this VM's agent configuration and credentials. It is
        the agent user's home directory in the guest, mounted at the same path, and
        belongs to this VM alone.
      '';
    };

    hostKeys = mkOption {
      type = types.str;
      default = "${cfg.stateDir}/${layout.hostKeysDir}";
      defaultText = literalExpression ''"''${config.agentvm.guest.stateDir}/ssh-host-keys"'';
      description = ''
        Host directory holding the VM's SSH host key pair (`${layout.hostKeyFile}`),
        which `agentvm new` generated and pinned in the VM's known_hosts.
      '';
    };
  };
}
