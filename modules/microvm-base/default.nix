# The agentvm guest: a cloud-hypervisor microVM with a static address, the host's
# /nix/store read-only under a writable overlay, the workspace and the VM's own home
# shared over virtiofs, and sshd presenting only the host key `agentvm new` pinned.
# Every opinion is `lib.mkDefault`, so a flake importing this can change it.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.agentvm.guest;
  layout = import ../lib/layout.nix;

  # The host-keys share is mounted only while its key is copied out, under a directory
  # only root can enter: on the host the key belongs to the user, and the agent runs
  # with that user's uid, so a permanently mounted share would let it read the key.
  keyDir = "/run/agentvm";
  hostKeysMount = "${keyDir}/host-keys";
  hostKey = "${keyDir}/${layout.hostKeyFile}";

  # The host owner's primary group is usually NixOS' `users` (gid 100); any other gid
  # gets a group of the user's name.
  group = if cfg.user.gid == config.ids.gids.users then "users" else cfg.user.name;

  virtiofs = share: share // { proto = "virtiofs"; };
in
{
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    microvm = {
      hypervisor = lib.mkDefault "cloud-hypervisor";
      vcpu = lib.mkDefault 4;
      mem = lib.mkDefault 4096;
      # Relative to the VM's state directory; without a socket microvm@ cannot stop the
      # hypervisor cleanly.
      socket = lib.mkDefault "control.socket";
      # Makes /nix/store writable (and nix-daemon run) so home-manager can activate and
      # the agent can build; the upper layer lives on the tmpfs root, gone at shutdown.
      writableStoreOverlay = lib.mkDefault "/nix/.rw-store";

      interfaces = [
        {
          type = "tap";
          id = cfg.tap;
          inherit (cfg) mac;
        }
      ];

      # microvm.nix defaults shares to 9p, which cloud-hypervisor does not support.
      shares = map virtiofs [
        {
          tag = "ro-store";
          source = "/nix/store";
          mountPoint = "/nix/.ro-store";
          readOnly = true;
        }
        {
          tag = "workspace";
          source = cfg.workspace;
          mountPoint = cfg.workspace;
        }
        {
          tag = "home";
          source = cfg.home;
          mountPoint = cfg.home;
        }
        {
          tag = "host-keys";
          source = cfg.hostKeys;
          mountPoint = hostKeysMount;
          readOnly = true;
        }
      ];
    };

    # Mounted by agentvm-host-key.service alone, never at boot.
    fileSystems.${hostKeysMount}.options = [ "noauto" ];

    # microvm.nix drops /nix/store's default dependencies so that shutdown does not hang
    # unmounting it, but only without a writable overlay; ours has one, so carry the fix.
    systemd.mounts = lib.optional (config.microvm.writableStoreOverlay != null) {
      what = "store";
      where = "/nix/store";
      overrideStrategy = "asDropin";
      unitConfig.DefaultDependencies = false;
    };

    # Disposable machines: nothing is worth waiting for at shutdown.
    systemd.settings.Manager.DefaultTimeoutStopSec = lib.mkDefault "5s";

    networking = {
      useNetworkd = lib.mkDefault true;
      useDHCP = lib.mkDefault false;
    };
    systemd.network = {
      enable = true;
      networks."10-agentvm" = {
        matchConfig.MACAddress = cfg.mac;
        address = [ "${cfg.address}/${toString cfg.prefixLength}" ];
        gateway = [ cfg.gateway ];
        dns = cfg.nameservers;
      };
    };
    services.resolved.enable = lib.mkDefault true;

    systemd.services.agentvm-host-key = {
      description = "Install the SSH host key that agentvm pinned for this VM";
      before = [ "sshd.service" ];
      requiredBy = [ "sshd.service" ];
      path = [
        pkgs.coreutils
        pkgs.util-linux
      ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      script = ''
        install -d -m 0700 ${keyDir} ${hostKeysMount}
        mount ${hostKeysMount}
        trap 'umount ${hostKeysMount}' EXIT
        install -m 0600 ${hostKeysMount}/${layout.hostKeyFile} ${hostKey}
        install -m 0644 ${hostKeysMount}/${layout.hostKeyFile}.pub ${hostKey}.pub
      '';
    };
    # A generated key would not match the pinned one; fail loudly instead.
    systemd.services.sshd-keygen.enable = false;

    services.openssh = {
      enable = true;
      hostKeys = [
        {
          path = hostKey;
          type = "ed25519";
        }
      ];
      settings = {
        PasswordAuthentication = lib.mkDefault false;
        KbdInteractiveAuthentication = lib.mkDefault false;
        PermitRootLogin = lib.mkDefault "no";
      };
    };

    users.users.${cfg.user.name} = {
      isNormalUser = true;
      inherit (cfg.user) uid;
      inherit group;
      # The VM's own home share: agent credentials persist per VM and nowhere else.
      home = cfg.home;
      createHome = false;
      openssh.authorizedKeys.keys = cfg.user.authorizedKeys;
    };
    users.groups = lib.mkIf (group != "users") { ${group}.gid = cfg.user.gid; };

    nix.settings.experimental-features = lib.mkDefault [
      "nix-command"
      "flakes"
    ];

    system.stateVersion = lib.mkDefault lib.trivial.release;
  };
}
