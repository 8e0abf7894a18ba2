# Declarations of the agent's user environment in the guest (`agentvm.home.*`).
{ lib, ... }:
let
  inherit (lib) mkEnableOption mkOption types;
in
{
  options.agentvm.home = {
    enable = mkEnableOption "a home-manager environment with agent CLIs for the guest's agent user";

    agents = mkOption {
      type = types.listOf (types.enum (import ../lib/agents.nix));
      default = [ "claude-code" ];
      example = [
        "claude-code"
        "codex"
      ];
      description = ''
        Agent CLIs to install and configure through home-manager's
        `programs.<agent>` modules. Unfree packages are allowed for these alone.
      '';
    };

    modules = mkOption {
      type = types.listOf types.deferredModule;
      default = [ ];
      description = "home-manager modules added to the agent user's configuration.";
    };
  };
}
