# The agent user's environment inside the guest, through home-manager: a shell, git and
# an editor, and the chosen agent CLIs set up to work without permission prompts (the
# VM is the sandbox). Their state lives in the user's home, the VM's own home share.
# Needs home-manager's NixOS module and microvm-base.
{ config, lib, ... }:
let
  cfg = config.agentvm.home;
  enabled = agent: builtins.elem agent cfg.agents;
in
{
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    home-manager = {
      # home-manager gets its own nixpkgs instance, so that unfree packages are allowed
      # for the listed agents only and the system's package set stays untouched.
      useGlobalPkgs = false;
      useUserPackages = true;
      users.${config.agentvm.guest.user.name} = {
        imports = cfg.modules;

        home.stateVersion = lib.mkDefault config.system.stateVersion;
        nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) cfg.agents;

        programs = {
          bash.enable = lib.mkDefault true;
          git.enable = lib.mkDefault true;
          vim = {
            enable = lib.mkDefault true;
            defaultEditor = lib.mkDefault true;
          };

          claude-code = lib.mkIf (enabled "claude-code") {
            enable = true;
            settings.permissions.defaultMode = lib.mkDefault "bypassPermissions";
          };

          codex = lib.mkIf (enabled "codex") {
            enable = true;
            settings = {
              approval_policy = lib.mkDefault "never";
              sandbox_mode = lib.mkDefault "danger-full-access";
            };
          };
        };
      };
    };
  };
}
